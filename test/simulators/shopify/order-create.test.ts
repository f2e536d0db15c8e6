import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startShopifySimulator, type ShopifySimulator } from "./index";
import { gql, miraklOrderInput, ORDER_CREATE, seedShop, SHOP, TOKEN } from "./test-support";

let sim: ShopifySimulator;
let seeded: ReturnType<typeof seedShop>;

beforeAll(async () => {
  sim = await startShopifySimulator({ seed: 5 });
  seeded = seedShop(sim);
});
afterAll(async () => {
  await sim.close();
});

const stock = (sku: string, loc: string) => sim.control.inventory({ shop: SHOP })[sku]?.[loc];
const variant = (sku: string) => seeded.variants[sku]?.variantId ?? "";

describe("orderCreate (notes §4.1)", () => {
  it("stores Mirakl's prices and taxes as given and sums the totals from them", async () => {
    const res = await gql(sim, TOKEN, ORDER_CREATE, { order: miraklOrderInput(variant("SKU-C"), { sourceIdentifier: "MK-PRICES" }) });
    const order = res.body.data?.orderCreate.order;
    expect(res.body.data?.orderCreate.userErrors).toEqual([]);
    expect(order.lineItems.nodes[0]).toMatchObject({
      sku: "SKU-C",
      quantity: 2,
      originalUnitPriceSet: { shopMoney: { amount: "17.49" } }, // not the catalogue price 8.50
      taxLines: [{ title: "TVA", rate: 0.2, priceSet: { shopMoney: { amount: "5.83" } } }], // not 20% of 34.98 (7.0)
    });
    expect(order.subtotalPriceSet.shopMoney).toEqual({ amount: "34.98", currencyCode: "EUR" });
    expect(order.totalShippingPriceSet.shopMoney.amount).toBe("4.9");
    expect(order.totalTaxSet.shopMoney.amount).toBe("6.65");
    expect(order.totalPriceSet.shopMoney).toEqual({ amount: "46.53", currencyCode: "EUR" }); // taxes not included
  });

  it("does not touch stock with the default BYPASS behaviour", async () => {
    const before = stock("SKU-A", "Paris");
    await gql(sim, TOKEN, ORDER_CREATE, { order: miraklOrderInput(variant("SKU-A"), { sourceIdentifier: "MK-BYPASS", quantity: 2 }) });
    expect(stock("SKU-A", "Paris")).toEqual(before);
  });

  it("commits stock with DECREMENT_OBEYING_POLICY and fires inventory_levels/update", async () => {
    const before = stock("SKU-A", "Paris");
    const res = await gql(sim, TOKEN, ORDER_CREATE, {
      order: miraklOrderInput(variant("SKU-A"), { sourceIdentifier: "MK-DECREMENT", quantity: 2 }),
      options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" },
    });
    expect(res.body.data?.orderCreate.userErrors).toEqual([]);
    expect(stock("SKU-A", "Paris")).toEqual({ available: (before?.available ?? 0) - 2, committed: 2, onHand: before?.onHand });
    const levelEvents = sim.control.events({ shop: SHOP, topic: "inventory_levels/update" });
    expect(levelEvents[levelEvents.length - 1]?.payload).toMatchObject({ available: (before?.available ?? 0) - 2 });
  });

  it("refuses with INVENTORY_CLAIM_FAILED when no location has enough, creating nothing", async () => {
    const ordersBefore = sim.control.orders({ shop: SHOP }).length;
    const res = await gql(sim, TOKEN, ORDER_CREATE, {
      order: miraklOrderInput(variant("SKU-B"), { sourceIdentifier: "MK-SHORT", quantity: 3 }),
      options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" },
    });
    expect(res.body.data?.orderCreate.order).toBeNull();
    expect(res.body.data?.orderCreate.userErrors).toEqual([expect.objectContaining({ code: "INVENTORY_CLAIM_FAILED" })]);
    expect(sim.control.orders({ shop: SHOP })).toHaveLength(ordersBefore);
    expect(stock("SKU-B", "Lyon")?.available).toBe(1);
  });

  it("goes negative with DECREMENT_IGNORING_POLICY", async () => {
    await gql(sim, TOKEN, ORDER_CREATE, {
      order: miraklOrderInput(variant("SKU-B"), { sourceIdentifier: "MK-IGNORE", quantity: 3 }),
      options: { inventoryBehaviour: "DECREMENT_IGNORING_POLICY" },
    });
    expect(stock("SKU-B", "Lyon")).toEqual({ available: -2, committed: 3, onHand: 1 });
  });

  it("is not idempotent: the same input twice makes two orders", async () => {
    const input = { order: miraklOrderInput(variant("SKU-C"), { sourceIdentifier: "MK-TWICE" }) };
    const a = await gql(sim, TOKEN, ORDER_CREATE, input);
    const b = await gql(sim, TOKEN, ORDER_CREATE, input);
    expect(a.body.data?.orderCreate.order.id).not.toBe(b.body.data?.orderCreate.order.id);
  });

  it("rejects a future processedAt and both customer fields", async () => {
    const future = await gql(sim, TOKEN, ORDER_CREATE, {
      order: { ...miraklOrderInput(variant("SKU-C"), { sourceIdentifier: "MK-FUTURE" }), processedAt: "2999-01-01T00:00:00Z" },
    });
    expect(future.body.data?.orderCreate.userErrors[0]).toMatchObject({ code: "PROCESSED_AT_INVALID" });
    const both = await gql(sim, TOKEN, ORDER_CREATE, {
      order: {
        ...miraklOrderInput(variant("SKU-C"), { sourceIdentifier: "MK-CUST" }),
        customerId: "gid://shopify/Customer/1",
        customer: { toUpsert: { email: "a@b.c" } },
      },
    });
    expect(both.body.data?.orderCreate.userErrors[0]).toMatchObject({ code: "REDUNDANT_CUSTOMER_FIELDS" });
  });
});

describe("finding orders again (dedupe, notes §4.1)", () => {
  const SEARCH = `query($q: String!) { orders(first: 20, query: $q, sortKey: CREATED_AT) { nodes { name sourceIdentifier tags } } }`;

  it("filters orders by source_identifier, tag, name, id and updated_at", async () => {
    const created = await gql(sim, TOKEN, ORDER_CREATE, { order: miraklOrderInput(variant("SKU-C"), { sourceIdentifier: "MK-FIND-1" }) });
    const order = created.body.data?.orderCreate.order;
    const bySource = await gql(sim, TOKEN, SEARCH, { q: "source_identifier:MK-FIND-1" });
    expect(bySource.body.data?.orders.nodes).toEqual([{ name: order.name, sourceIdentifier: "MK-FIND-1", tags: ["mirakl", "marketplace:decathlon"] }]);
    const byName = await gql(sim, TOKEN, SEARCH, { q: `name:${order.name}` });
    expect(byName.body.data?.orders.nodes.map((n: { name: string }) => n.name)).toEqual([order.name]);
    const numeric = order.id.split("/").pop();
    const byId = await gql(sim, TOKEN, SEARCH, { q: `id:${numeric}` });
    expect(byId.body.data?.orders.nodes).toHaveLength(1);
    const byTag = await gql(sim, TOKEN, SEARCH, { q: "tag:mirakl -source_identifier:MK-FIND-1" });
    expect(byTag.body.data?.orders.nodes.map((n: { sourceIdentifier: string }) => n.sourceIdentifier)).not.toContain("MK-FIND-1");
    const future = await gql(sim, TOKEN, SEARCH, { q: `updated_at:>'${new Date(Date.now() + 60_000).toISOString()}'` });
    expect(future.body.data?.orders.nodes).toEqual([]);
    const past = await gql(sim, TOKEN, SEARCH, { q: "updated_at:>'2020-01-01T00:00:00Z' source_identifier:MK-FIND-1" });
    expect(past.body.data?.orders.nodes).toHaveLength(1);
  });

  it("resolves orderByIdentifier by customId (metafield) and by id", async () => {
    const created = await gql(sim, TOKEN, ORDER_CREATE, { order: miraklOrderInput(variant("SKU-C"), { sourceIdentifier: "MK-CUSTOM-9" }) });
    const id = created.body.data?.orderCreate.order.id;
    const q = `query($ns: String!, $key: String!, $value: String!) {
      orderByIdentifier(identifier: { customId: { namespace: $ns, key: $key, value: $value } }) { id metafield(namespace: $ns, key: $key) { value type } }
    }`;
    const found = await gql(sim, TOKEN, q, { ns: "mirakl", key: "order_id", value: "MK-CUSTOM-9" });
    expect(found.body.data?.orderByIdentifier).toEqual({ id, metafield: { value: "MK-CUSTOM-9", type: "single_line_text_field" } });
    const missing = await gql(sim, TOKEN, q, { ns: "mirakl", key: "order_id", value: "NOPE" });
    expect(missing.body.data?.orderByIdentifier).toBeNull();
    const byId = await gql(sim, TOKEN, "query($id: ID!) { orderByIdentifier(identifier: { id: $id }) { sourceIdentifier } }", { id });
    expect(byId.body.data?.orderByIdentifier.sourceIdentifier).toBe("MK-CUSTOM-9");
  });

  it("enforces unique values once a metafield definition asks for them", async () => {
    const def = await gql(
      sim,
      TOKEN,
      `mutation($d: MetafieldDefinitionInput!) { metafieldDefinitionCreate(definition: $d) { createdDefinition { namespace key } userErrors { code } } }`,
      { d: { namespace: "mirakl", key: "order_id", name: "Mirakl order", ownerType: "ORDER", type: "single_line_text_field", capabilities: { uniqueValues: { enabled: true } } } },
    );
    expect(def.body.data?.metafieldDefinitionCreate.createdDefinition).toEqual({ namespace: "mirakl", key: "order_id" });
    const dup = await gql(sim, TOKEN, ORDER_CREATE, { order: miraklOrderInput(variant("SKU-C"), { sourceIdentifier: "MK-CUSTOM-9" }) });
    expect(dup.body.data?.orderCreate.order).toBeNull();
    expect(dup.body.data?.orderCreate.userErrors[0].field).toEqual(["order", "metafields", "0", "value"]);
  });
});

describe("orderCancel refunds", () => {
  it("refunds what was paid when refundMethod asks for the original payment methods", async () => {
    const created = await gql(sim, TOKEN, ORDER_CREATE, { order: miraklOrderInput(variant("SKU-C"), { sourceIdentifier: "MK-CANCEL-REFUND" }) });
    const id = created.body.data?.orderCreate.order.id;
    const res = await gql(
      sim,
      TOKEN,
      `mutation($id: ID!) { orderCancel(orderId: $id, reason: INVENTORY, restock: false, refundMethod: { originalPaymentMethodsRefund: true }) { job { id } orderCancelUserErrors { code } } }`,
      { id },
    );
    expect(res.body.data?.orderCancel.orderCancelUserErrors).toEqual([]);
    const order = await gql(
      sim,
      TOKEN,
      `query($id: ID!) { order(id: $id) { cancelledAt cancelReason displayFinancialStatus totalRefundedSet { shopMoney { amount } } refunds { refundLineItems(first: 5) { nodes { quantity restockType } } } lineItems(first: 5) { nodes { currentQuantity unfulfilledQuantity } } } }`,
      { id },
    );
    expect(order.body.data?.order).toMatchObject({
      cancelReason: "INVENTORY",
      displayFinancialStatus: "REFUNDED",
      totalRefundedSet: { shopMoney: { amount: "46.53" } },
      refunds: [{ refundLineItems: { nodes: [{ quantity: 2, restockType: "NO_RESTOCK" }] } }],
      lineItems: { nodes: [{ currentQuantity: 0, unfulfilledQuantity: 0 }] },
    });
    expect(order.body.data?.order.cancelledAt).toEqual(expect.any(String));
  });
});
