import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startShopifySimulator, type ShopifySimulator } from "./index";
import { gql, seedShop, TOKEN } from "./test-support";

let sim: ShopifySimulator;
let seeded: ReturnType<typeof seedShop>;

beforeAll(async () => {
  sim = await startShopifySimulator({ seed: 2 });
  seeded = seedShop(sim);
});
afterAll(async () => {
  await sim.close();
});

// The app's variant/inventory export: a nested connection inside a plain nested object, no page sizes (notes §4.7).
const EXPORT = `query InventoryBulkExport {
  productVariants {
    edges { node { id sku inventoryItem { id tracked inventoryLevels { edges { node { location { id } quantities(names: ["available"]) { name quantity } } } } } } }
  }
}`;

const RUN = `mutation($q: String!) { bulkOperationRunQuery(query: $q, groupObjects: true) { bulkOperation { id status } userErrors { field message code } } }`;
const POLL = `query($id: ID!) { bulkOperation(id: $id) { id status errorCode objectCount rootObjectCount fileSize url partialDataUrl } }`;

async function runToCompletion(query: string) {
  const started = await gql(sim, TOKEN, RUN, { q: query });
  expect(started.body.data?.bulkOperationRunQuery.userErrors).toEqual([]);
  const id = started.body.data?.bulkOperationRunQuery.bulkOperation.id;
  expect(started.body.data?.bulkOperationRunQuery.bulkOperation.status).toBe("CREATED");
  for (let i = 0; i < 100; i++) {
    const res = await gql(sim, TOKEN, POLL, { id });
    const op = res.body.data?.bulkOperation;
    if (op.status === "COMPLETED" || op.status === "FAILED") return op;
    await new Promise((r) => setTimeout(r, 10));
  }
  throw new Error("bulk operation did not finish");
}

describe("bulkOperationRunQuery", () => {
  it("exports every variant with its inventory levels as JSONL with __parentId children after their parent", async () => {
    const op = await runToCompletion(EXPORT);
    expect(op.status).toBe("COMPLETED");
    expect(op.rootObjectCount).toBe("3");
    expect(op.objectCount).toBe("7"); // 3 variants + 4 levels (A: Paris, Lyon; B: Lyon; C: Paris)
    expect(op.url).toMatch(new RegExp(`^${sim.url}/`));
    const res = await fetch(op.url);
    const text = await res.text();
    expect(Number(op.fileSize)).toBe(Buffer.byteLength(text));
    const lines = text.trim().split("\n").map((l) => JSON.parse(l));
    const variantA = seeded.variants["SKU-A"];
    expect(lines[0]).toEqual({
      id: variantA?.variantId,
      sku: "SKU-A",
      inventoryItem: { id: variantA?.inventoryItemId, tracked: true },
    });
    expect(lines.slice(1, 3)).toEqual([
      { location: { id: seeded.locations.Paris }, quantities: [{ name: "available", quantity: 5 }], __parentId: variantA?.variantId },
      { location: { id: seeded.locations.Lyon }, quantities: [{ name: "available", quantity: 2 }], __parentId: variantA?.variantId },
    ]);
    expect(lines.filter((l) => !("__parentId" in l)).map((l) => l.sku)).toEqual(["SKU-A", "SKU-B", "SKU-C"]);
    expect(lines.find((l) => l.__parentId === seeded.variants["SKU-B"]?.variantId)).toMatchObject({ location: { id: seeded.locations.Lyon } });
  });

  it("refuses a bulk query without a connection and one that does not validate", async () => {
    const noConn = await gql(sim, TOKEN, RUN, { q: "{ shop { name } }" });
    expect(noConn.body.data?.bulkOperationRunQuery.userErrors[0]).toMatchObject({ code: "INVALID", field: ["query"] });
    const invalid = await gql(sim, TOKEN, RUN, { q: "{ productVariants { edges { node { colour } } } }" });
    expect(invalid.body.data?.bulkOperationRunQuery.userErrors[0].message).toContain("Field 'colour' doesn't exist on type 'ProductVariant'");
    expect(invalid.body.data?.bulkOperationRunQuery.bulkOperation).toBeNull();
  });

  it("refuses connections nested more than two deep", async () => {
    const deep = `{ products { edges { node { id variants { edges { node { id inventoryItem { inventoryLevels { edges { node { id } } } } } } } } } } }`;
    const res = await gql(sim, TOKEN, RUN, { q: deep });
    expect(res.body.data?.bulkOperationRunQuery.userErrors[0].message).toContain("nested more than 2 levels");
  });
});
