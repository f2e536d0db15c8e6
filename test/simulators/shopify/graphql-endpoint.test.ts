import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startShopifySimulator, type ShopifySimulator } from "./index";
import { gql, seedShop, SHOP, TOKEN } from "./test-support";

let sim: ShopifySimulator;
let seeded: ReturnType<typeof seedShop>;

beforeAll(async () => {
  sim = await startShopifySimulator({ seed: 7 });
  seeded = seedShop(sim);
});
afterAll(async () => {
  await sim.close();
});

describe("Admin GraphQL endpoint: authentication", () => {
  it("answers an unknown access token with Shopify's 401 body", async () => {
    const res = await gql(sim, "shpat_nope", "{ shop { name } }");
    expect(res.status).toBe(401);
    expect(res.body).toEqual({ errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" });
  });

  it("identifies the shop by its own token and serves other version strings with the 2026-04 schema", async () => {
    sim.control.createShop({ domain: "other.myshopify.com", accessToken: "shpat_other", currency: "USD" });
    const a = await gql(sim, TOKEN, "{ shop { myshopifyDomain currencyCode } }");
    const b = await gql(sim, "shpat_other", "{ shop { myshopifyDomain currencyCode } }", undefined, { version: "2025-10" });
    expect(a.body.data?.shop).toEqual({ myshopifyDomain: SHOP, currencyCode: "EUR" });
    expect(b.body.data?.shop).toEqual({ myshopifyDomain: "other.myshopify.com", currencyCode: "USD" });
  });
});

describe("Admin GraphQL endpoint: validation against the 2026-04 schema", () => {
  it("refuses an unknown field with HTTP 200, errors and no data", async () => {
    const res = await gql(sim, TOKEN, "{ shop { name planName } }");
    expect(res.status).toBe(200);
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toEqual([
      expect.objectContaining({
        message: "Field 'planName' doesn't exist on type 'Shop'",
        extensions: { code: "undefinedField", typeName: "Shop", fieldName: "planName" },
        locations: [{ line: 1, column: 15 }],
      }),
    ]);
  });

  it("refuses a wrong argument", async () => {
    const res = await gql(sim, TOKEN, "{ orders(first: 5, search: \"x\") { nodes { id } } }");
    expect(res.body.data).toBeUndefined();
    expect(res.body.errors).toEqual([
      expect.objectContaining({ extensions: expect.objectContaining({ code: "argumentNotAccepted", argumentName: "search" }) }),
    ]);
  });

  it("refuses a missing required variable before running anything", async () => {
    const res = await gql(sim, TOKEN, "query($id: ID!) { order(id: $id) { id } }", {});
    expect(res.body.data).toBeUndefined();
    const err = (res.body.errors as Array<{ message: string; extensions?: Record<string, unknown> }>)[0];
    expect(err?.message).toBe("Variable $id of type ID! was provided invalid value");
    expect(err?.extensions?.code).toBe("INVALID_VARIABLE");
  });

  it("refuses an invalid enum value in an input variable (ISO country code)", async () => {
    const res = await gql(sim, TOKEN, "mutation($o: OrderCreateOrderInput!) { orderCreate(order: $o) { order { id } } }", {
      o: { lineItems: [{ title: "x", quantity: 1, priceSet: { shopMoney: { amount: "1", currencyCode: "EUR" } } }], shippingAddress: { countryCode: "FRA" } },
    });
    expect(res.body.data).toBeUndefined();
    expect((res.body.errors as Array<{ extensions?: Record<string, unknown> }>)[0]?.extensions?.code).toBe("INVALID_VARIABLE");
    expect(sim.control.orders({ shop: SHOP })).toHaveLength(0);
  });

  it("fails loudly on a root field the simulator does not implement", async () => {
    const res = await gql(sim, TOKEN, "{ shop { name } giftCards(first: 1) { nodes { id } } }");
    const errors = res.body.errors as Array<{ message: string; extensions?: Record<string, unknown>; path?: unknown[] }>;
    expect(errors[0]?.extensions?.code).toBe("SIMULATOR_NOT_IMPLEMENTED");
    expect(errors[0]?.path).toEqual(["giftCards"]);
    expect(errors[0]?.message).toContain("QueryRoot.giftCards");
  });

  it("carries extensions.cost on every executed response", async () => {
    const res = await gql(sim, TOKEN, "{ locations(first: 10) { nodes { id name } } }");
    expect(res.body.data?.locations.nodes.map((l: { name: string }) => l.name)).toEqual(["Lyon", "Paris"]);
    expect(res.body.extensions?.cost).toMatchObject({
      requestedQueryCost: 12,
      actualQueryCost: 4,
      throttleStatus: { maximumAvailable: 2000, restoreRate: 100 },
    });
  });
});

describe("Admin GraphQL endpoint: queries with real filtering and pagination", () => {
  it("finds variants by `sku:A OR sku:B` with inventory levels by location", async () => {
    const res = await gql(
      sim,
      TOKEN,
      `query($q: String!, $loc: ID!) { productVariants(first: 10, query: $q) { nodes { sku inventoryItem { tracked
          inventoryLevel(locationId: $loc) { quantities(names: ["available", "on_hand"]) { name quantity } }
          inventoryLevels(first: 5) { nodes { location { name } quantities(names: ["available"]) { quantity } } } } } } }`,
      { q: "sku:SKU-A OR sku:SKU-B", loc: seeded.locations.Lyon },
    );
    const nodes = res.body.data?.productVariants.nodes;
    expect(nodes.map((n: { sku: string }) => n.sku)).toEqual(["SKU-A", "SKU-B"]);
    expect(nodes[0].inventoryItem.inventoryLevel.quantities).toEqual([
      { name: "available", quantity: 2 },
      { name: "on_hand", quantity: 2 },
    ]);
    expect(nodes[1].inventoryItem.inventoryLevels.nodes).toEqual([{ location: { name: "Lyon" }, quantities: [{ quantity: 1 }] }]);
  });

  it("pages with first/after and reports hasNextPage", async () => {
    const page1 = await gql(sim, TOKEN, "{ productVariants(first: 2) { nodes { sku } pageInfo { hasNextPage endCursor } } }");
    const conn1 = page1.body.data?.productVariants;
    expect(conn1.nodes.map((n: { sku: string }) => n.sku)).toEqual(["SKU-A", "SKU-B"]);
    expect(conn1.pageInfo.hasNextPage).toBe(true);
    const page2 = await gql(sim, TOKEN, "query($a: String) { productVariants(first: 2, after: $a) { nodes { sku } pageInfo { hasNextPage } } }", {
      a: conn1.pageInfo.endCursor,
    });
    expect(page2.body.data?.productVariants).toEqual({ nodes: [{ sku: "SKU-C" }], pageInfo: { hasNextPage: false } });
  });

  it("requires first or last on a connection", async () => {
    const res = await gql(sim, TOKEN, "{ locations { nodes { id } } }");
    expect((res.body.errors as Array<{ message: string }>)[0]?.message).toBe("you must provide one of first or last");
  });

  it("reports an unknown search field in extensions.search instead of failing", async () => {
    const res = await gql(sim, TOKEN, '{ inventoryItems(first: 5, query: "sku:SKU-C colour:red") { nodes { sku } } }');
    expect(res.body.data?.inventoryItems.nodes).toEqual([{ sku: "SKU-C" }]);
    expect(res.body.extensions?.search).toEqual([
      { path: ["inventoryItems"], query: "sku:SKU-C colour:red", warnings: [{ field: "colour", message: "Invalid search field for this query." }] },
    ]);
  });

  it("returns null for unknown ids in nodes() and resolves abstract types by __typename", async () => {
    const res = await gql(sim, TOKEN, "query($ids: [ID!]!) { nodes(ids: $ids) { __typename ... on Location { name } } }", {
      ids: [seeded.locations.Paris, "gid://shopify/Location/1", seeded.variants["SKU-C"]?.variantId],
    });
    expect(res.body.data?.nodes).toEqual([{ __typename: "Location", name: "Paris" }, null, { __typename: "ProductVariant" }]);
  });
});
