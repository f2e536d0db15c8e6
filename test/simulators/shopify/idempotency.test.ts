import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startShopifySimulator, type ShopifySimulator } from "./index";
import { gql, miraklOrderInput, ORDER_CREATE, seedShop, SHOP, TOKEN } from "./test-support";

let sim: ShopifySimulator;
let seeded: ReturnType<typeof seedShop>;

beforeAll(async () => {
  sim = await startShopifySimulator({ seed: 3 });
  seeded = seedShop(sim);
});
afterAll(async () => {
  await sim.close();
});

const SET_WITH_KEY = `mutation($input: InventorySetQuantitiesInput!, $key: String!) {
  inventorySetQuantities(input: $input) @idempotent(key: $key) {
    inventoryAdjustmentGroup { id reason changes { name delta quantityAfterChange item { id } location { id } } }
    userErrors { field message code }
  }
}`;
const SET_WITHOUT_KEY = `mutation($input: InventorySetQuantitiesInput!) {
  inventorySetQuantities(input: $input) { inventoryAdjustmentGroup { id } userErrors { code } }
}`;

function available(sku: string, location: string): number | undefined {
  return sim.control.inventory({ shop: SHOP })[sku]?.[location]?.available;
}

function setInput(quantity: number, changeFromQuantity?: number | null) {
  const row: Record<string, unknown> = {
    inventoryItemId: seeded.variants["SKU-C"]?.inventoryItemId,
    locationId: seeded.locations.Paris,
    quantity,
  };
  if (changeFromQuantity !== undefined) row.changeFromQuantity = changeFromQuantity;
  return { name: "available", reason: "correction", referenceDocumentUri: "mirakl-connector://stock-sync/1", quantities: [row] };
}

describe("@idempotent on inventorySetQuantities (2026-04, notes §4.5)", () => {
  it("rejects the mutation without the directive: top-level BAD_REQUEST, no data, nothing changed", async () => {
    const before = available("SKU-C", "Paris");
    const res = await gql(sim, TOKEN, SET_WITHOUT_KEY, { input: setInput(40, null) });
    expect(res.status).toBe(200);
    expect(res.body.data).toBeUndefined();
    const errors = res.body.errors as Array<{ message: string; extensions?: Record<string, unknown> }>;
    expect(errors[0]?.extensions?.code).toBe("BAD_REQUEST");
    expect(errors[0]?.message).toContain("@idempotent");
    expect(available("SKU-C", "Paris")).toBe(before);
  });

  it("applies with the directive, and a replay with the same key returns the stored result without applying again", async () => {
    const first = await gql(sim, TOKEN, SET_WITH_KEY, { input: setInput(90, 100), key: "key-set-1" });
    const group = first.body.data?.inventorySetQuantities.inventoryAdjustmentGroup;
    expect(first.body.data?.inventorySetQuantities.userErrors).toEqual([]);
    expect(group.changes).toContainEqual({
      name: "available",
      delta: -10,
      quantityAfterChange: 90,
      item: { id: seeded.variants["SKU-C"]?.inventoryItemId },
      location: { id: seeded.locations.Paris },
    });
    expect(available("SKU-C", "Paris")).toBe(90);
    sim.control.adjustStock({ shop: SHOP, sku: "SKU-C", location: "Paris", delta: 5 }); // a sale-side change meanwhile
    const replay = await gql(sim, TOKEN, SET_WITH_KEY, { input: setInput(90, 100), key: "key-set-1" });
    expect(replay.body.data?.inventorySetQuantities.inventoryAdjustmentGroup.id).toBe(group.id);
    expect(available("SKU-C", "Paris")).toBe(95); // not set back to 90: the replay did not run again
  });

  it("answers the same key with different parameters with IDEMPOTENCY_KEY_PARAMETER_MISMATCH", async () => {
    const res = await gql(sim, TOKEN, SET_WITH_KEY, { input: setInput(10, null), key: "key-set-1" });
    expect(res.body.data?.inventorySetQuantities.inventoryAdjustmentGroup).toBeNull();
    expect(res.body.data?.inventorySetQuantities.userErrors).toEqual([
      expect.objectContaining({ code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" }),
    ]);
    expect(available("SKU-C", "Paris")).toBe(95);
  });

  it("requires changeFromQuantity on every row: omitted is an error, null skips the check, a stale value is refused", async () => {
    const omitted = await gql(sim, TOKEN, SET_WITH_KEY, { input: setInput(1), key: "key-set-2" });
    expect(omitted.body.data?.inventorySetQuantities.userErrors).toEqual([
      expect.objectContaining({ code: "COMPARE_QUANTITY_REQUIRED", field: ["input", "quantities", "0", "changeFromQuantity"] }),
    ]);
    expect(available("SKU-C", "Paris")).toBe(95);

    const stale = await gql(sim, TOKEN, SET_WITH_KEY, { input: setInput(1, 90), key: "key-set-3" });
    expect(stale.body.data?.inventorySetQuantities.userErrors).toEqual([expect.objectContaining({ code: "CHANGE_FROM_QUANTITY_STALE" })]);
    expect(available("SKU-C", "Paris")).toBe(95);

    const unchecked = await gql(sim, TOKEN, SET_WITH_KEY, { input: setInput(60, null), key: "key-set-4" });
    expect(unchecked.body.data?.inventorySetQuantities.userErrors).toEqual([]);
    expect(available("SKU-C", "Paris")).toBe(60);
  });

  it("validates the quantity name and the reason", async () => {
    const badName = await gql(sim, TOKEN, SET_WITH_KEY, { input: { ...setInput(1, null), name: "committed" }, key: "key-set-5" });
    expect(badName.body.data?.inventorySetQuantities.userErrors[0].code).toBe("INVALID_NAME");
    const badReason = await gql(sim, TOKEN, SET_WITH_KEY, { input: { ...setInput(1, null), reason: "mirakl sync" }, key: "key-set-6" });
    expect(badReason.body.data?.inventorySetQuantities.userErrors[0].code).toBe("INVALID_REASON");
  });

  it("reports ITEM_NOT_STOCKED_AT_LOCATION for an item without a level there", async () => {
    const res = await gql(sim, TOKEN, SET_WITH_KEY, {
      input: {
        name: "available",
        reason: "correction",
        quantities: [{ inventoryItemId: seeded.variants["SKU-B"]?.inventoryItemId, locationId: seeded.locations.Paris, quantity: 3, changeFromQuantity: null }],
      },
      key: "key-set-7",
    });
    expect(res.body.data?.inventorySetQuantities.userErrors[0].code).toBe("ITEM_NOT_STOCKED_AT_LOCATION");
  });
});

describe("@idempotent on inventoryAdjustQuantities", () => {
  const ADJUST = `mutation($input: InventoryAdjustQuantitiesInput!, $key: String!) {
    inventoryAdjustQuantities(input: $input) @idempotent(key: $key) { inventoryAdjustmentGroup { id changes { name delta quantityAfterChange } } userErrors { code } }
  }`;
  it("applies a delta once per key", async () => {
    const before = available("SKU-A", "Lyon") ?? 0;
    const input = {
      name: "available",
      reason: "received",
      changes: [{ inventoryItemId: seeded.variants["SKU-A"]?.inventoryItemId, locationId: seeded.locations.Lyon, delta: 3 }],
    };
    const a = await gql(sim, TOKEN, ADJUST, { input, key: "adj-1" });
    const b = await gql(sim, TOKEN, ADJUST, { input, key: "adj-1" });
    expect(a.body.data?.inventoryAdjustQuantities.inventoryAdjustmentGroup.changes).toContainEqual({ name: "available", delta: 3, quantityAfterChange: before + 3 });
    expect(b.body.data?.inventoryAdjustQuantities.inventoryAdjustmentGroup.id).toBe(a.body.data?.inventoryAdjustQuantities.inventoryAdjustmentGroup.id);
    expect(available("SKU-A", "Lyon")).toBe(before + 3);
  });
});

describe("@idempotent on refundCreate (2026-04, notes §4.2)", () => {
  const REFUND = (withKey: boolean) => `mutation($input: RefundInput!${withKey ? ", $key: String!" : ""}) {
    refundCreate(input: $input)${withKey ? " @idempotent(key: $key)" : ""} {
      refund { id totalRefundedSet { shopMoney { amount } } refundLineItems(first: 5) { nodes { quantity restockType subtotalSet { shopMoney { amount } } totalTaxSet { shopMoney { amount } } } } }
      order { displayFinancialStatus }
      userErrors { field message }
    }
  }`;

  async function createOrder(sourceIdentifier: string) {
    const res = await gql(sim, TOKEN, ORDER_CREATE, { order: miraklOrderInput(seeded.variants["SKU-C"]?.variantId ?? "", { sourceIdentifier }) });
    const order = res.body.data?.orderCreate.order;
    return { id: order.id as string, lineItemId: order.lineItems.nodes[0].id as string };
  }

  it("rejects refundCreate without the directive and creates nothing", async () => {
    const order = await createOrder("MK-REFUND-0");
    const res = await gql(sim, TOKEN, REFUND(false), { input: { orderId: order.id, refundLineItems: [{ lineItemId: order.lineItemId, quantity: 1 }] } });
    expect(res.body.data).toBeUndefined();
    expect((res.body.errors as Array<{ extensions?: Record<string, unknown> }>)[0]?.extensions?.code).toBe("BAD_REQUEST");
    expect(sim.control.order({ shop: SHOP, orderId: order.id }).refunds).toEqual([]);
  });

  it("creates the refund once per key and replays it", async () => {
    const order = await createOrder("MK-REFUND-1");
    const input = {
      orderId: order.id,
      refundLineItems: [{ lineItemId: order.lineItemId, quantity: 1, restockType: "CANCEL" }],
      transactions: [{ orderId: order.id, amount: "20.99", gateway: "mirakl", kind: "REFUND" }],
    };
    const a = await gql(sim, TOKEN, REFUND(true), { input, key: "refund-1" });
    const b = await gql(sim, TOKEN, REFUND(true), { input, key: "refund-1" });
    const refund = a.body.data?.refundCreate.refund;
    expect(a.body.data?.refundCreate.userErrors).toEqual([]);
    // Line tax is pro-rata of the tax given for the whole line (5.83 for 2 units).
    expect(refund.refundLineItems.nodes).toEqual([
      { quantity: 1, restockType: "CANCEL", subtotalSet: { shopMoney: { amount: "17.49" } }, totalTaxSet: { shopMoney: { amount: "2.92" } } },
    ]);
    expect(refund.totalRefundedSet.shopMoney.amount).toBe("20.99");
    expect(a.body.data?.refundCreate.order.displayFinancialStatus).toBe("PARTIALLY_REFUNDED");
    expect(b.body.data?.refundCreate.refund.id).toBe(refund.id);
    expect(sim.control.order({ shop: SHOP, orderId: order.id }).refunds).toHaveLength(1);

    const mismatch = await gql(sim, TOKEN, REFUND(true), { input: { ...input, note: "other" }, key: "refund-1" });
    expect(mismatch.body.data?.refundCreate).toBeNull();
    expect((mismatch.body.errors as Array<{ extensions?: Record<string, unknown> }>)[0]?.extensions?.code).toBe("IDEMPOTENCY_KEY_PARAMETER_MISMATCH");
    expect(sim.control.order({ shop: SHOP, orderId: order.id }).refunds).toHaveLength(1);
  });

  it("refuses @idempotent on orderCreate, which does not take it (notes §4.1)", async () => {
    const res = await gql(
      sim,
      TOKEN,
      `mutation($order: OrderCreateOrderInput!) { orderCreate(order: $order) @idempotent(key: "k") { order { id } } }`,
      { order: miraklOrderInput(seeded.variants["SKU-C"]?.variantId ?? "", { sourceIdentifier: "MK-IDEM" }) },
    );
    expect(res.body.data).toBeUndefined();
    expect((res.body.errors as Array<{ message: string }>)[0]?.message).toContain("not supported on the orderCreate");
  });
});
