import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { createImportedOrder, type ImportedOrder } from "../support/imported-order-fixture";
import { TEST_API_SECRET } from "../support/test-env";
import { processWebhookDelivery } from "../../app/sync/webhooks.server";

/**
 * Shopify delivers at least once and in any order (notes §3.4). The simulator here sends every delivery twice
 * (same webhook id) and shuffles them; the tests also replay payloads under new webhook ids (a second
 * subscription, a manual resend) and process an update before its create.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ mirakl: { preset: "default" }, webhooks: { duplicateRate: 1, reorder: true } });
});
afterAll(async () => {
  await h?.close();
});

const world = () => ({ services: h.services, mirakl: h.mirakl, shop: h.shop, connection: h.connection! });
const writes = (op: string) => h.mirakl.control.stats().writesAppliedByOperation[op] ?? 0;
const calls = (op: string) => h.mirakl.control.stats().calls[op] ?? 0;
const links = (o: ImportedOrder) => h.services.prisma.fulfillmentLink.findMany({ where: { orderLinkId: o.orderLink.id } });

function post(topic: "fulfillments/create" | "fulfillments/update", body: unknown) {
  const raw = JSON.stringify(body);
  return fetch(`${h.services.env.SHOPIFY_APP_URL}/webhooks/${topic}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-hmac-sha256": createHmac("sha256", TEST_API_SECRET).update(raw, "utf8").digest("base64"),
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": h.shop,
      "x-shopify-api-version": "2026-04",
      "x-shopify-webhook-id": randomUUID(),
      "x-shopify-event-id": randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
    },
    body: raw,
  });
}

const deliveriesFor = async (fulfillmentId: string) =>
  h.services.prisma.webhookDelivery.findMany({
    where: { topic: { in: ["FULFILLMENTS_CREATE", "FULFILLMENTS_UPDATE"] }, payload: { path: ["admin_graphql_api_id"], equals: fulfillmentId } },
    orderBy: { receivedAt: "asc" },
  });

describe("duplicate and out-of-order fulfilment webhooks", () => {
  let o: ImportedOrder;
  let fulfillmentId: string;
  let createPayload: unknown;

  it("an update processed before its create, each delivered twice, sends the final tracking once", async () => {
    o = await createImportedOrder(world(), { lines: [{ sku: "TOTE", quantity: 1 }] });
    const [or23, or24] = [writes("OR23"), writes("OR24")];
    fulfillmentId = h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, trackingCompany: "UPS", trackingNumber: "1ZOLD" }).fulfillmentId!;
    h.shopify.control.updateTracking({ shop: h.shop, fulfillmentId, trackingCompany: "UPS", trackingNumber: "1ZNEW" });
    await h.shopify.control.flushWebhooks();

    const log = h.shopify.control.webhookLog({ shop: h.shop }).filter((e) => (e.payload as { admin_graphql_api_id?: string }).admin_graphql_api_id === fulfillmentId);
    expect(log.filter((e) => e.duplicate && e.state === "delivered").length).toBeGreaterThanOrEqual(2);
    const recorded = await deliveriesFor(fulfillmentId);
    // One row per webhook id: the second copy of each delivery was acknowledged and dropped by the route.
    expect(recorded.map((d) => d.topic).sort()).toEqual(["FULFILLMENTS_CREATE", "FULFILLMENTS_UPDATE"]);
    createPayload = recorded.find((d) => d.topic === "FULFILLMENTS_CREATE")!.payload;

    // The update first (the link is created from it), then the create (a no-op on the link), then the queue.
    const update = recorded.find((d) => d.topic === "FULFILLMENTS_UPDATE")!;
    const create = recorded.find((d) => d.topic === "FULFILLMENTS_CREATE")!;
    expect(await processWebhookDelivery({ deliveryId: update.id, services: h.services })).toMatchObject({ kind: "processed" });
    expect(await processWebhookDelivery({ deliveryId: create.id, services: h.services })).toMatchObject({ kind: "processed" });
    await h.drain();

    const m = h.mirakl.control.getOrder(o.miraklOrderId)!;
    expect(m).toMatchObject({ order_state: "SHIPPED", shipping_carrier_code: "UPS", shipping_tracking: "1ZNEW" });
    expect(writes("OR23") - or23).toBe(1);
    expect(writes("OR24") - or24).toBe(1);
    const all = await links(o);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ status: "ACKNOWLEDGED", trackingNumber: "1ZNEW", sentTrackingNumber: "1ZNEW" });
    expect((await deliveriesFor(fulfillmentId)).every((d) => d.status === "PROCESSED")).toBe(true);
  });

  it("the stale create replayed under a new webhook id neither re-sends nor brings back the old tracking", async () => {
    const [or23, or24, or11] = [calls("OR23"), calls("OR24"), calls("OR11")];
    expect((await post("fulfillments/create", createPayload)).status).toBe(200);
    expect((await post("fulfillments/create", createPayload)).status).toBe(200);
    await h.drain();
    expect(calls("OR23")).toBe(or23);
    expect(calls("OR24")).toBe(or24);
    // Nothing changed in Shopify and Mirakl already has it: not even a re-read of the Mirakl order.
    expect(calls("OR11")).toBe(or11);
    const all = await links(o);
    expect(all).toHaveLength(1);
    expect(all[0]).toMatchObject({ trackingNumber: "1ZNEW", status: "ACKNOWLEDGED" });
    expect(h.mirakl.control.getOrder(o.miraklOrderId)!.shipping_tracking).toBe("1ZNEW");
  });

  it("a fulfilment cancelled in Shopify before it went out is never sent", async () => {
    const p = await createImportedOrder(world(), { lines: [{ sku: "TOTE", quantity: 1 }], state: "WAITING_DEBIT_PAYMENT" });
    const { fulfillmentId: fid } = h.shopify.control.fulfill({ shop: h.shop, orderId: p.shopifyOrderId, trackingCompany: "UPS", trackingNumber: "1ZCXL" });
    await h.drain();
    expect((await links(p))[0]).toMatchObject({ status: "PENDING" });
    h.shopify.control.cancelFulfillment({ shop: h.shop, fulfillmentId: fid! });
    await h.drain();
    expect((await links(p))[0]).toMatchObject({ status: "CANCELLED", holdReason: "Cancelled in Shopify" });
    h.mirakl.control.advanceClock(h.mirakl.control.getTenant().debitDelayMs + 1);
    const before = calls("OR23") + calls("OR24");
    await h.services.jobs.enqueueByName("fulfilment.push", { shop: h.shop, connectionId: h.connection!.id, orderLinkId: p.orderLink.id });
    await h.drain();
    expect(calls("OR23") + calls("OR24")).toBe(before);
    expect(h.mirakl.control.getOrder(p.miraklOrderId)!.order_state).toBe("SHIPPING");
  });

  it("a fulfilment cancelled after Mirakl confirmed the shipment raises a Task (Mirakl cannot take it back)", async () => {
    const cancelledOne = (await links(o))[0]!;
    h.shopify.control.cancelFulfillment({ shop: h.shop, fulfillmentId });
    await h.drain();
    expect(await h.services.prisma.fulfillmentLink.findUniqueOrThrow({ where: { id: cancelledOne.id } })).toMatchObject({ status: "CANCELLED" });
    const task = await h.services.prisma.task.findUnique({ where: { shop_dedupeKey: { shop: h.shop, dedupeKey: `fulfilment-cancelled:${h.connection!.id}:${fulfillmentId}` } } });
    expect(task).toMatchObject({ status: "OPEN", kind: "fulfilment_cancelled_after_shipment" });
  });

  it("a fulfilment of an order that is not from a marketplace is ignored", async () => {
    const sale = h.shopify.control.storefrontSale({ shop: h.shop, lines: [{ sku: "TOP-NAVY-M", quantity: 1 }] });
    const { fulfillmentId: fid } = h.shopify.control.fulfill({ shop: h.shop, orderId: sale.orderId, trackingCompany: "UPS", trackingNumber: "1ZWEB" });
    await h.drain();
    expect(await h.services.prisma.fulfillmentLink.count({ where: { shopifyFulfillmentId: fid } })).toBe(0);
    const d = await deliveriesFor(fid!);
    expect(d.length).toBeGreaterThan(0);
    expect(d.every((x) => x.status === "IGNORED" && x.error === "not a marketplace order")).toBe(true);
  });
});
