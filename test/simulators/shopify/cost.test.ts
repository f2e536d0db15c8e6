import { parse, Kind, type FragmentDefinitionNode, type OperationDefinitionNode } from "graphql";
import { describe, expect, it } from "vitest";
import { actualQueryCost, requestedQueryCost } from "./cost";
import { CostBucket } from "./cost-bucket";
import { loadAdminSchema } from "./schema";

function input(query: string, variables: Record<string, unknown> = {}) {
  const doc = parse(query);
  const operation = doc.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  if (!operation) throw new Error("no operation");
  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  return { schema: loadAdminSchema().schema, operation, fragments, variables };
}

describe("calculated query cost (notes §4.8)", () => {
  it("charges 2 + first x node cost for a connection, nothing for scalars", () => {
    // Shopify's documented example: products(first: 10) with scalar fields costs 12.
    expect(requestedQueryCost(input("{ products(first: 10) { edges { node { id title } } } }"))).toBe(12);
  });

  it("reads page sizes from variables and multiplies nested connections", () => {
    const q = input(
      "query($n: Int!) { orders(first: $n) { nodes { id customer { id } lineItems(first: 5) { nodes { id } } } } }",
      { n: 3 },
    );
    // 2 + 3 x (order 1 + customer 1 + lineItems (2 + 5 x 1))
    expect(requestedQueryCost(q)).toBe(2 + 3 * (1 + 1 + 7));
  });

  it("charges mutations 10 plus the connections inside their payload", () => {
    expect(requestedQueryCost(input("mutation { tagsAdd(id: \"gid://shopify/Order/1\", tags: [\"a\"]) { node { id } userErrors { message } } }"))).toBe(10);
    expect(
      requestedQueryCost(
        input("mutation($o: OrderCreateOrderInput!) { orderCreate(order: $o) { order { id lineItems(first: 20) { nodes { id } } } } }", {
          o: {},
        }),
      ),
    ).toBe(10 + 2 + 20);
  });

  it("computes the actual cost from what came back", () => {
    const q = input("{ products(first: 10) { edges { node { id title } } } }");
    const data = { products: { edges: [{ node: { id: "1", title: "a" } }, { node: { id: "2", title: "b" } }] } };
    expect(actualQueryCost(q, data)).toBe(2 + 2);
  });
});

describe("leaky bucket", () => {
  it("refuses a request larger than what is left and restores at the restore rate", () => {
    let now = 0;
    const bucket = new CostBucket({ maximumAvailable: 1000, restoreRate: 100 }, () => now);
    expect(bucket.tryTake(900)).toBe(true);
    expect(bucket.tryTake(200)).toBe(false);
    expect(bucket.status().currentlyAvailable).toBe(100);
    now += 1000; // one second: +100
    expect(bucket.tryTake(200)).toBe(true);
    expect(bucket.status().currentlyAvailable).toBe(0);
    bucket.refund(150);
    expect(bucket.status().currentlyAvailable).toBe(150);
    now += 60_000;
    expect(bucket.status().currentlyAvailable).toBe(1000); // never above the maximum
  });
});
