import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { createImportedOrder, pollMiraklOrder, type ImportedOrder } from "../support/imported-order-fixture";
import { saveCarrierMapping } from "../../app/sync/fulfilment/carrier-mappings.server";

/**
 * Fulfilment → Mirakl on a single-shipment marketplace that accepts unlisted carriers (the simulator's default
 * preset: carriers UPS, DHL, DPD, FED, COLISSIMO; shipping types STD and EXP, EXP with mandatory tracking).
 * Everything goes through the real webhook routes, job queue, Mirakl client and both simulators.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ mirakl: { preset: "default" } });
});
afterAll(async () => {
  await h?.close();
});

const world = () => ({ services: h.services, mirakl: h.mirakl, shop: h.shop, connection: h.connection! });
const writes = (op: string) => h.mirakl.control.stats().writesAppliedByOperation[op] ?? 0;
const calls = (op: string) => h.mirakl.control.stats().calls[op] ?? 0;
const miraklOrder = (o: ImportedOrder) => h.mirakl.control.getOrder(o.miraklOrderId)!;
const links = (o: ImportedOrder) => h.services.prisma.fulfillmentLink.findMany({ where: { orderLinkId: o.orderLink.id }, orderBy: { createdAt: "asc" } });
const orderLink = (o: ImportedOrder) => h.services.prisma.orderLink.findUniqueOrThrow({ where: { id: o.orderLink.id } });
const task = (dedupeKey: string) => h.services.prisma.task.findUnique({ where: { shop_dedupeKey: { shop: h.shop, dedupeKey } } });
const timeline = async (o: ImportedOrder) =>
  (await h.services.prisma.syncEvent.findMany({ where: { entityType: "order", entityId: o.orderLink.id }, orderBy: { createdAt: "asc" } })).map((e) => e.kind);
const fulfil = (o: ImportedOrder, args: { trackingCompany?: string; trackingNumber?: string; trackingUrl?: string; lines?: Array<{ sku: string; quantity: number }> }) =>
  h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, ...args });

describe("fulfilment on a single-shipment marketplace", () => {
  let shipped: ImportedOrder;
  let shippedFulfilmentId: string;

  it("a carrier the marketplace lists exactly is mapped automatically and goes out as OR23 then OR24", async () => {
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }] });
    const [or23, or24] = [writes("OR23"), writes("OR24")];
    const { fulfillmentId } = fulfil(o, { trackingCompany: "ups", trackingNumber: "1Z999AA10123456784" });
    await h.drain();

    const m = miraklOrder(o);
    expect(m.order_state).toBe("SHIPPED");
    expect(m.shipping_carrier_code).toBe("UPS");
    expect(m.shipping_tracking).toBe("1Z999AA10123456784");
    expect(writes("OR23") - or23).toBe(1);
    expect(writes("OR24") - or24).toBe(1);
    const [link] = await links(o);
    expect(link).toMatchObject({ shopifyFulfillmentId: fulfillmentId, status: "ACKNOWLEDGED", sentCarrierCode: "UPS", sentTrackingNumber: "1Z999AA10123456784", origin: "SHOPIFY" });
    expect(link!.lines).toEqual([{ miraklOrderLineId: m.order_lines[0]!.order_line_id, quantity: 1 }]);
    expect(await orderLink(o)).toMatchObject({ fulfilmentStatus: "SHIPPED" });
    expect((await orderLink(o)).shippedAt).not.toBeNull();
    const mapping = await h.services.prisma.carrierMapping.findUniqueOrThrow({ where: { connectionId_shopifyCarrierKey: { connectionId: h.connection!.id, shopifyCarrierKey: "ups" } } });
    expect(mapping).toMatchObject({ miraklCarrierCode: "UPS", source: "AUTO" });
    expect(await timeline(o)).toEqual(expect.arrayContaining(["fulfilment_received", "tracking_sent", "shipment_confirmed"]));
    shipped = o;
    shippedFulfilmentId = fulfillmentId!;
  });

  it("a tracking number changed after shipment is sent again with OR23, and only once", async () => {
    const [or23, or24] = [writes("OR23"), writes("OR24")];
    h.shopify.control.updateTracking({ shop: h.shop, fulfillmentId: shippedFulfilmentId, trackingCompany: "UPS", trackingNumber: "1Z999AA10123456785" });
    await h.drain();
    expect(miraklOrder(shipped).shipping_tracking).toBe("1Z999AA10123456785");
    expect(writes("OR23") - or23).toBe(1);
    expect(writes("OR24") - or24).toBe(0);
    const [link] = await links(shipped);
    expect(link).toMatchObject({ status: "ACKNOWLEDGED", trackingNumber: "1Z999AA10123456785", sentTrackingNumber: "1Z999AA10123456785" });
    expect(await timeline(shipped)).toContain("tracking_changed");

    // The same update delivered again changes nothing on Mirakl (no OR11 needed either).
    const or11 = calls("OR11");
    h.shopify.control.updateTracking({ shop: h.shop, fulfillmentId: shippedFulfilmentId, trackingCompany: "UPS", trackingNumber: "1Z999AA10123456785" });
    await h.drain();
    expect(writes("OR23") - or23).toBe(1);
    expect(calls("OR11")).toBe(or11);
  });

  it("a merchant's mapping sends the marketplace's code for a name it does not use", async () => {
    const saved = await saveCarrierMapping({ services: h.services, shop: h.shop, input: { connectionId: h.connection!.id, shopifyCarrierName: "Parcel Express", miraklCarrierCode: "DPD" } });
    expect(saved.kind).toBe("saved");
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOTE", quantity: 2 }] });
    fulfil(o, { trackingCompany: "Parcel  express", trackingNumber: "PE-1" });
    await h.drain();
    expect(miraklOrder(o)).toMatchObject({ order_state: "SHIPPED", shipping_carrier_code: "DPD", shipping_tracking: "PE-1" });
    expect((await links(o))[0]).toMatchObject({ status: "ACKNOWLEDGED", sentCarrierCode: "DPD" });
  });

  it("refuses to map to a code the marketplace does not have", async () => {
    const r = await saveCarrierMapping({ services: h.services, shop: h.shop, input: { connectionId: h.connection!.id, shopifyCarrierName: "Parcel Express", miraklCarrierCode: "RM24" } });
    expect(r).toEqual({ kind: "invalid", fieldErrors: { miraklCarrierCode: "RM24 is not one of Marketplace's carriers" } });
    const kept = await h.services.prisma.carrierMapping.findUniqueOrThrow({ where: { connectionId_shopifyCarrierKey: { connectionId: h.connection!.id, shopifyCarrierKey: "parcel express" } } });
    expect(kept.miraklCarrierCode).toBe("DPD");
  });

  it("an unmapped carrier is held with a Task naming it; mapping it sends every held shipment", async () => {
    const a = await createImportedOrder(world(), { lines: [{ sku: "TOP-NAVY-L", quantity: 1 }] });
    const b = await createImportedOrder(world(), { lines: [{ sku: "TOTE", quantity: 1 }] });
    const [or23, or24] = [writes("OR23"), writes("OR24")];
    fulfil(a, { trackingCompany: "Royal Mail 24", trackingNumber: "RM100" });
    fulfil(b, { trackingCompany: "royal mail 24", trackingNumber: "RM200" });
    await h.drain();

    for (const o of [a, b]) {
      expect(miraklOrder(o).order_state).toBe("SHIPPING");
      const [l] = await links(o);
      expect(l!.status).toBe("HELD");
      expect(l!.holdReason).toMatch(/^The carrier "royal mail 24" is not mapped to a Marketplace carrier$/i);
    }
    expect(writes("OR23") - or23).toBe(0);
    expect(writes("OR24") - or24).toBe(0);
    const key = `unmapped-carrier:${h.connection!.id}:royal mail 24`;
    const t = await task(key);
    expect(t).toMatchObject({ status: "OPEN", kind: "unmapped_carrier", actionUrl: `/app/carriers?connection=${h.connection!.id}` });
    // Named as first seen (either spelling, the two webhooks race), and the same name on both holds.
    expect(t!.title.toLowerCase()).toContain('map the carrier "royal mail 24"');
    expect(t!.body).toContain("2 shipments are waiting");
    expect(t!.body).toContain("unlisted carrier");
    const seen = await h.services.prisma.carrierMapping.findUniqueOrThrow({ where: { connectionId_shopifyCarrierKey: { connectionId: h.connection!.id, shopifyCarrierKey: "royal mail 24" } } });
    expect(seen.miraklCarrierCode).toBeNull();

    const saved = await saveCarrierMapping({ services: h.services, shop: h.shop, input: { connectionId: h.connection!.id, shopifyCarrierName: "Royal Mail 24", miraklCarrierCode: "DHL" } });
    expect(saved).toMatchObject({ kind: "saved", released: 2 });
    expect(await task(key)).toMatchObject({ status: "RESOLVED" });
    await h.drain();
    expect(miraklOrder(a)).toMatchObject({ order_state: "SHIPPED", shipping_carrier_code: "DHL", shipping_tracking: "RM100" });
    expect(miraklOrder(b)).toMatchObject({ order_state: "SHIPPED", shipping_carrier_code: "DHL", shipping_tracking: "RM200" });
    expect(writes("OR23") - or23).toBe(2);
    expect(writes("OR24") - or24).toBe(2);
    expect(await timeline(a)).toEqual(expect.arrayContaining(["fulfilment_held", "fulfilment_released", "shipment_confirmed"]));
  });

  it("a carrier the merchant chose to send as unlisted goes out by name and tracking link", async () => {
    await saveCarrierMapping({ services: h.services, shop: h.shop, input: { connectionId: h.connection!.id, shopifyCarrierName: "Yodel", useUnregistered: "true" } });
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOTE", quantity: 1 }] });
    fulfil(o, { trackingCompany: "Yodel", trackingNumber: "JD0002", trackingUrl: "https://www.yodel.co.uk/tracking/JD0002" });
    await h.drain();
    const m = miraklOrder(o);
    expect(m).toMatchObject({ order_state: "SHIPPED", shipping_carrier_code: null, shipping_company: "Yodel", shipping_tracking: "JD0002" });
    expect(m.shipping_tracking_url).toBe("https://www.yodel.co.uk/tracking/JD0002");
    expect((await links(o))[0]).toMatchObject({ status: "ACKNOWLEDGED", sentCarrierCode: "Yodel" });
  });

  it("a shipping method with mandatory tracking holds a fulfilment without a number until one is added", async () => {
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }], shippingTypeCode: "EXP" });
    const [or23, or24] = [writes("OR23"), calls("OR24")];
    const { fulfillmentId } = fulfil(o, {});
    await h.drain();
    expect(miraklOrder(o).order_state).toBe("SHIPPING");
    expect(calls("OR24")).toBe(or24);
    expect((await links(o))[0]).toMatchObject({ status: "HELD", holdReason: "The shipping method needs a tracking number and the fulfilment has none" });
    const key = `missing-tracking:${h.connection!.id}:${o.miraklOrderId}`;
    expect(await task(key)).toMatchObject({ status: "OPEN", kind: "missing_tracking", entityType: "order", entityId: o.orderLink.id });

    h.shopify.control.updateTracking({ shop: h.shop, fulfillmentId: fulfillmentId!, trackingCompany: "DHL", trackingNumber: "JJD01" });
    await h.drain();
    expect(miraklOrder(o)).toMatchObject({ order_state: "SHIPPED", shipping_carrier_code: "DHL", shipping_tracking: "JJD01" });
    expect(writes("OR23") - or23).toBe(1);
    expect(await task(key)).toMatchObject({ status: "RESOLVED" });
  });

  it("a partial fulfilment sends its tracking at once but confirms the order only when every line is fulfilled", async () => {
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOP-NAVY-M", quantity: 2 }, { sku: "TOTE", quantity: 1 }] });
    const [or23, or24] = [writes("OR23"), writes("OR24")];
    const firstParcel = fulfil(o, { trackingCompany: "UPS", trackingNumber: "1ZPART1", lines: [{ sku: "TOTE", quantity: 1 }] }).fulfillmentId!;
    await h.drain();
    expect(miraklOrder(o)).toMatchObject({ order_state: "SHIPPING", shipping_tracking: "1ZPART1" });
    expect(writes("OR24") - or24).toBe(0);
    const [first] = await links(o);
    expect(first).toMatchObject({ status: "SENT" });
    expect(first!.holdReason).toMatch(/confirms whole orders only \(1 of 3 items fulfilled\)/);
    expect(await orderLink(o)).toMatchObject({ fulfilmentStatus: "TRACKING_SENT" });
    expect(await timeline(o)).toContain("shipment_waiting");

    fulfil(o, { trackingCompany: "UPS", trackingNumber: "1ZPART2", lines: [{ sku: "TOP-NAVY-M", quantity: 2 }] });
    await h.drain();
    expect(miraklOrder(o)).toMatchObject({ order_state: "SHIPPED", shipping_tracking: "1ZPART2" });
    expect(writes("OR23") - or23).toBe(2);
    expect(writes("OR24") - or24).toBe(1);
    expect((await links(o)).map((l) => l.status)).toEqual(["ACKNOWLEDGED", "ACKNOWLEDGED"]);
    expect(await orderLink(o)).toMatchObject({ fulfilmentStatus: "SHIPPED" });

    // Mirakl keeps one tracking per order here: editing the older parcel must not replace the newest one.
    h.shopify.control.updateTracking({ shop: h.shop, fulfillmentId: firstParcel, trackingCompany: "UPS", trackingNumber: "1ZPART1-FIXED" });
    await h.drain();
    expect(miraklOrder(o).shipping_tracking).toBe("1ZPART2");
    expect(writes("OR23") - or23).toBe(2);
    expect((await links(o))[0]).toMatchObject({ status: "ACKNOWLEDGED", trackingNumber: "1ZPART1-FIXED", sentTrackingNumber: "1ZPART1-FIXED" });
  });

  it("a fulfilment made before the customer is debited waits, then goes out when the order reaches SHIPPING", async () => {
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOTE", quantity: 1 }], state: "WAITING_DEBIT_PAYMENT" });
    const [or23c, or24c] = [calls("OR23"), calls("OR24")];
    fulfil(o, { trackingCompany: "DPD", trackingNumber: "DPD-EARLY" });
    await h.drain();
    expect(miraklOrder(o).order_state).toBe("WAITING_DEBIT_PAYMENT");
    expect(calls("OR23")).toBe(or23c);
    expect(calls("OR24")).toBe(or24c);
    const [link] = await links(o);
    expect(link).toMatchObject({ status: "PENDING" });
    expect(link!.holdReason).toContain("charge the customer (Mirakl: WAITING_DEBIT_PAYMENT)");

    h.mirakl.control.advanceClock(h.mirakl.control.getTenant().debitDelayMs + 1);
    await pollMiraklOrder(world(), o.orderLink.id);
    await h.drain();
    expect(miraklOrder(o)).toMatchObject({ order_state: "SHIPPED", shipping_carrier_code: "DPD", shipping_tracking: "DPD-EARLY" });
    expect((await links(o))[0]).toMatchObject({ status: "ACKNOWLEDGED" });
  });

  it("a fulfilment of an order cancelled on the marketplace is not sent and raises a Task", async () => {
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOTE", quantity: 1 }], state: "WAITING_DEBIT_PAYMENT" });
    h.mirakl.control.customerCancel(o.miraklOrderId);
    const before = calls("OR23") + calls("OR24");
    fulfil(o, { trackingCompany: "DPD", trackingNumber: "DPD-CXL" });
    await h.drain();
    expect(calls("OR23") + calls("OR24")).toBe(before);
    expect((await links(o))[0]).toMatchObject({ status: "CANCELLED" });
    expect(await task(`shipped-cancelled-order:${h.connection!.id}:${o.miraklOrderId}`)).toMatchObject({ status: "OPEN", severity: "critical" });
  });

  it("a shipment made in the Mirakl back office becomes a Shopify fulfilment with the same tracking, and is not sent back", async () => {
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOP-NAVY-L", quantity: 1 }, { sku: "TOTE", quantity: 1 }] });
    const [or23, or24] = [writes("OR23"), writes("OR24")];
    h.mirakl.control.shipInPortal(o.miraklOrderId, { carrierCode: "DPD", trackingNumber: "15501234567890" });
    await pollMiraklOrder(world(), o.orderLink.id);
    await h.drain();

    const shopifyOrder = h.shopify.control.order({ shop: h.shop, orderId: o.shopifyOrderId });
    expect(shopifyOrder.fulfillmentStatus).toBe("FULFILLED");
    expect(shopifyOrder.fulfillments).toHaveLength(1);
    expect(shopifyOrder.fulfillments[0]!.tracking).toEqual([{ company: "DPD", number: "15501234567890", url: "https://www.dpd.fr/trace/15501234567890" }]);
    const [link] = await links(o);
    expect(link).toMatchObject({ origin: "MIRAKL_PORTAL", status: "ACKNOWLEDGED", shopifyFulfillmentId: shopifyOrder.fulfillments[0]!.id, trackingNumber: "15501234567890" });
    expect(writes("OR23") - or23).toBe(0);
    expect(writes("OR24") - or24).toBe(0);
    const delivery = await h.services.prisma.webhookDelivery.findFirst({ where: { topic: "FULFILLMENTS_CREATE", payload: { path: ["admin_graphql_api_id"], equals: shopifyOrder.fulfillments[0]!.id } } });
    expect(delivery?.status === "IGNORED" || delivery?.status === "PROCESSED").toBe(true);
    expect(await orderLink(o)).toMatchObject({ fulfilmentStatus: "SHIPPED" });
    expect(await timeline(o)).toContain("portal_shipment_mirrored");

    // The next poll of the same (now RECEIVED-bound) order does not mirror it twice.
    await pollMiraklOrder(world(), o.orderLink.id);
    await h.drain();
    expect(h.shopify.control.order({ shop: h.shop, orderId: o.shopifyOrderId }).fulfillments).toHaveLength(1);
  });
});
