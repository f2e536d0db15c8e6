import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startShopifySimulator, type ShopifySimulator } from "./index";
import { TOKEN } from "./test-support";

let sim: ShopifySimulator;
const SHOP = "cancel-f.myshopify.com";

beforeAll(async () => {
  sim = await startShopifySimulator({ seed: 7 });
  sim.control.createShop({ domain: SHOP, accessToken: TOKEN, currency: "EUR", locations: [{ name: "Depot" }], products: [{ title: "Lamp", variants: [{ sku: "LAMP", price: "30", inventory: { Depot: 10 } }] }] });
});
afterAll(async () => {
  await sim.close();
});

describe("cancelFulfillment (control)", () => {
  it("puts the units back to fulfil and to committed stock, and fires fulfillments/update with status cancelled", () => {
    const sale = sim.control.storefrontSale({ shop: SHOP, lines: [{ sku: "LAMP", quantity: 2 }] });
    const { fulfillmentId } = sim.control.fulfill({ shop: SHOP, orderId: sale.orderId, trackingCompany: "DHL", trackingNumber: "D1" });
    expect(sim.control.inventory({ shop: SHOP }).LAMP!.Depot).toEqual({ available: 8, onHand: 8, committed: 0 });
    const before = sim.control.events({ shop: SHOP }).length;

    expect(sim.control.cancelFulfillment({ shop: SHOP, fulfillmentId: fulfillmentId! })).toEqual({ fulfillmentId, status: "CANCELLED" });
    const order = sim.control.order({ shop: SHOP, orderId: sale.orderId });
    expect(order.fulfillmentStatus).toBe("UNFULFILLED");
    expect(order.fulfillments[0]).toMatchObject({ id: fulfillmentId, status: "CANCELLED" });
    expect(order.fulfillmentOrders[0]!.status).toBe("OPEN");
    expect(order.lineItems[0]!.unfulfilledQuantity).toBe(2);
    expect(sim.control.inventory({ shop: SHOP }).LAMP!.Depot).toEqual({ available: 8, onHand: 10, committed: 2 });
    const events = sim.control.events({ shop: SHOP }).slice(before);
    expect(events.map((e) => e.topic)).toEqual(["inventory_levels/update", "fulfillments/update", "orders/updated"]);
    expect(events[1]!.payload).toMatchObject({ admin_graphql_api_id: fulfillmentId, status: "cancelled" });

    // Fulfillable again; cancelling twice is refused.
    expect(sim.control.fulfill({ shop: SHOP, orderId: sale.orderId }).fulfillmentIds).toHaveLength(1);
    expect(() => sim.control.cancelFulfillment({ shop: SHOP, fulfillmentId: fulfillmentId! })).toThrow(/already cancelled/);
  });
});
