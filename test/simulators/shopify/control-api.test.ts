import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startShopifySimulator, type ShopifySimulator } from "./index";
import { gql, miraklOrderInput, ORDER_CREATE, TOKEN } from "./test-support";

let sim: ShopifySimulator;

async function call(method: string, body: unknown) {
  const res = await fetch(`${sim.url}/_sim/${method}`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
  return { status: res.status, body: (await res.json()) as any };
}

beforeAll(async () => {
  sim = await startShopifySimulator({ seed: 4 });
});
afterAll(async () => {
  await sim.close();
});

const SHOP = "ctl.myshopify.com";

describe("control API over HTTP (/_sim)", () => {
  it("creates a shop and returns its ids", async () => {
    const res = await call("createShop", {
      domain: SHOP,
      accessToken: TOKEN,
      plan: "advanced",
      currency: "EUR",
      locations: [{ name: "Depot" }],
      products: [{ title: "Lamp", variants: [{ sku: "LAMP", price: "30", inventory: { Depot: 10 } }] }],
    });
    expect(res.status).toBe(200);
    expect(res.body.variants.LAMP.variantId).toMatch(/^gid:\/\/shopify\/ProductVariant\/\d+$/);
    expect(res.body.locations.Depot).toMatch(/^gid:\/\/shopify\/Location\/\d+$/);
    const shop = await fetch(`${sim.url}/_sim/getShop?shop=${SHOP}`).then((r) => r.json() as Promise<any>);
    expect(shop.throttleStatus).toEqual({ maximumAvailable: 4000, currentlyAvailable: 4000, restoreRate: 200 });
  });

  it("answers 400 with a message for an unknown shop or SKU, 404 for an unknown method", async () => {
    expect((await call("storefrontSale", { shop: "nope.myshopify.com", lines: [] })).status).toBe(400);
    const badSku = await call("storefrontSale", { shop: SHOP, lines: [{ sku: "NOPE", quantity: 1 }] });
    expect(badSku).toEqual({ status: 400, body: { error: `Unknown SKU NOPE in ${SHOP}` } });
    expect((await call("dropDatabase", {})).status).toBe(404);
  });

  it("a storefront sale creates a paid web order and commits stock", async () => {
    const sale = await call("storefrontSale", { shop: SHOP, lines: [{ sku: "LAMP", quantity: 3 }] });
    const state = await call("state", { shop: SHOP });
    const order = state.body.orders.find((o: { id: string }) => o.id === sale.body.orderId);
    expect(order).toMatchObject({ sourceName: "web", appId: null, financialStatus: "PAID", totals: { total: "90.0" } });
    expect(state.body.inventory.LAMP.Depot).toEqual({ available: 7, onHand: 10, committed: 3 });
    expect(sim.control.events({ shop: SHOP }).map((e) => e.topic)).toEqual(["inventory_levels/update", "orders/create"]);
  });

  it("merchant fulfilment, return refund and adjustStock change state the way Shopify does", async () => {
    const sale = sim.control.storefrontSale({ shop: SHOP, lines: [{ sku: "LAMP", quantity: 2 }] });
    const f = sim.control.fulfill({ shop: SHOP, orderId: sale.orderId, trackingCompany: "DHL Express", trackingNumber: "JD0001" });
    expect(f.fulfillmentIds).toHaveLength(1);
    let order = sim.control.order({ shop: SHOP, orderId: sale.orderId });
    expect(order.fulfillmentStatus).toBe("FULFILLED");
    expect(order.fulfillments[0]?.tracking[0]?.url).toContain("dhl.com");
    // Fulfilling moves committed units out: committed and on_hand drop, available does not move.
    expect(sim.control.inventory({ shop: SHOP }).LAMP?.Depot).toEqual({ available: 5, onHand: 8, committed: 3 });
    const li = order.lineItems[0]?.id ?? "";
    sim.control.refund({ shop: SHOP, orderId: sale.orderId, lines: [{ lineItemId: li, quantity: 1, restockType: "RETURN" }], amount: "30" });
    order = sim.control.order({ shop: SHOP, orderId: sale.orderId });
    expect(order.financialStatus).toBe("PARTIALLY_REFUNDED");
    expect(order.lineItems[0]?.currentQuantity).toBe(1);
    expect(sim.control.inventory({ shop: SHOP }).LAMP?.Depot).toEqual({ available: 6, onHand: 9, committed: 3 });
    const adjusted = sim.control.adjustStock({ shop: SHOP, sku: "LAMP", location: "Depot", delta: -6 });
    expect(adjusted.available).toBe(0);
  });

  it("replaceOrder cancels the original and creates a copy carrying tags and metafields", async () => {
    const created = await gql(sim, TOKEN, ORDER_CREATE, {
      order: { ...miraklOrderInput("", { sourceIdentifier: "MK-REPLACE" }), lineItems: [{ title: "Custom", sku: "LAMP", quantity: 1, priceSet: { shopMoney: { amount: "30", currencyCode: "EUR" } } }] },
    });
    const original = created.body.data?.orderCreate.order;
    expect(original).not.toBeNull();
    const res = await call("replaceOrder", { shop: SHOP, orderId: original.id });
    expect(res.status).toBe(200);
    const before = sim.control.order({ shop: SHOP, orderId: original.id });
    const copy = sim.control.order({ shop: SHOP, orderId: res.body.newOrderId });
    expect(before.cancelledAt).not.toBeNull();
    expect(copy.cancelledAt).toBeNull();
    expect(copy.name).not.toBe(before.name);
    expect(copy.tags).toEqual(before.tags);
    expect(copy.metafields).toEqual([{ namespace: "mirakl", key: "order_id", value: "MK-REPLACE", type: "single_line_text_field" }]);
    expect(copy.appId).not.toBeNull();
    expect(copy.appId).not.toBe(before.appId);
    const events = sim.control.events({ shop: SHOP }).slice(-3);
    expect(events.map((e) => e.topic)).toEqual(["orders/cancelled", "orders/updated", "orders/create"]);
    expect((events[2]?.payload as { id: number }).id).toBe(Number(String(res.body.newOrderId).split("/").pop()));
  });

  it("editOrder as the merchant fires orders/edited with app_id null", async () => {
    sim.control.adjustStock({ shop: SHOP, sku: "LAMP", location: "Depot", set: 5 });
    const sale = sim.control.storefrontSale({ shop: SHOP, lines: [{ sku: "LAMP", quantity: 2 }] });
    const li = sim.control.order({ shop: SHOP, orderId: sale.orderId }).lineItems[0]?.id ?? "";
    sim.control.editOrder({ shop: SHOP, orderId: sale.orderId, setQuantity: { lineItemId: li, quantity: 1 } });
    const edited = sim.control.events({ shop: SHOP, topic: "orders/edited" }).pop()?.payload as { order_edit: Record<string, any> };
    expect(edited.order_edit.app_id).toBeNull();
    expect(edited.order_edit.line_items.removals).toEqual([{ id: Number(li.split("/").pop()), delta: 1 }]);
    // The removed unit was restocked: 5 - 2 claimed + 1 released.
    expect(sim.control.inventory({ shop: SHOP }).LAMP?.Depot?.available).toBe(4);
  });
});
