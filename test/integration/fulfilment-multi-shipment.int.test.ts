import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { createImportedOrder, type ImportedOrder } from "../support/imported-order-fixture";
import { drainWithRetries } from "../support/fulfilment-helpers";
import { saveCarrierMapping } from "../../app/sync/fulfilment/carrier-mappings.server";

/**
 * The decathlon preset: multi-shipment (ST01/ST23/ST24), unlisted carriers forbidden (PC01
 * disable_seller_alternative_carrier), carriers COLISSIMO, CHRONOPOST, DHL, DPD, UPS, GLS.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ mirakl: { preset: "decathlon" } });
});
afterAll(async () => {
  await h?.close();
});

const world = () => ({ services: h.services, mirakl: h.mirakl, shop: h.shop, connection: h.connection! });
const writes = (op: string) => h.mirakl.control.stats().writesAppliedByOperation[op] ?? 0;
const calls = (op: string) => h.mirakl.control.stats().calls[op] ?? 0;
const miraklOrder = (o: ImportedOrder) => h.mirakl.control.getOrder(o.miraklOrderId)!;
const links = (o: ImportedOrder) => h.services.prisma.fulfillmentLink.findMany({ where: { orderLinkId: o.orderLink.id }, orderBy: { createdAt: "asc" } });
const shipments = async (o: ImportedOrder) => {
  const out = [];
  for await (const s of h.services.mirakl(h.connection!).iterateShipments({ orderIds: [o.miraklOrderId] })) out.push(s);
  return out;
};
const fulfil = (o: ImportedOrder, args: { trackingCompany?: string; trackingNumber?: string; lines?: Array<{ sku: string; quantity: number }> }) =>
  h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, ...args });

describe("fulfilment on a multi-shipment marketplace", () => {
  it("reads the marketplace's rules at connect time", () => {
    expect(h.connection).toMatchObject({ multiShipment: true, allowUnregisteredCarrier: false });
  });

  let partial: ImportedOrder;
  let firstFulfilment: string;

  it("each partial fulfilment becomes its own shipped ST01 shipment; the order ships with the last one", async () => {
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOP-NAVY-M", quantity: 2 }, { sku: "TOTE", quantity: 1 }] });
    const m0 = miraklOrder(o);
    const topLine = m0.order_lines.find((l) => l.offer_sku === "TOP-NAVY-M")!.order_line_id;
    const toteLine = m0.order_lines.find((l) => l.offer_sku === "TOTE")!.order_line_id;
    const [st01, or23, or24] = [writes("ST01"), calls("OR23"), calls("OR24")];

    firstFulfilment = fulfil(o, { trackingCompany: "Colissimo", trackingNumber: "6A12345678901", lines: [{ sku: "TOP-NAVY-M", quantity: 1 }] }).fulfillmentId!;
    await h.drain();
    expect(miraklOrder(o).order_state).toBe("SHIPPING");
    let onMirakl = await shipments(o);
    expect(onMirakl).toHaveLength(1);
    expect(onMirakl[0]).toMatchObject({ status: "SHIPPED", tracking: { carrier_code: "COLISSIMO", tracking_number: "6A12345678901" } });
    expect(onMirakl[0]!.shipment_lines).toEqual([expect.objectContaining({ order_line_id: topLine, quantity: 1 })]);
    const [l1] = await links(o);
    expect(l1).toMatchObject({ status: "ACKNOWLEDGED", miraklShipmentId: onMirakl[0]!.id, sentCarrierCode: "COLISSIMO" });
    expect((await h.services.prisma.orderLink.findUniqueOrThrow({ where: { id: o.orderLink.id } })).fulfilmentStatus).toBe("PARTIAL");

    fulfil(o, { trackingCompany: "DPD", trackingNumber: "DPD-777" });
    await h.drain();
    onMirakl = await shipments(o);
    expect(onMirakl).toHaveLength(2);
    const second = onMirakl.find((s) => s.tracking?.tracking_number === "DPD-777")!;
    expect(second.shipment_lines.map((l) => [l.order_line_id, l.quantity]).sort()).toEqual([[topLine, 1], [toteLine, 1]].sort());
    expect(miraklOrder(o).order_state).toBe("SHIPPED");
    expect(writes("ST01") - st01).toBe(2);
    expect(calls("OR23") - or23).toBe(0);
    expect(calls("OR24") - or24).toBe(0);
    expect((await links(o)).map((l) => l.status)).toEqual(["ACKNOWLEDGED", "ACKNOWLEDGED"]);
    expect((await h.services.prisma.orderLink.findUniqueOrThrow({ where: { id: o.orderLink.id } })).fulfilmentStatus).toBe("SHIPPED");
    partial = o;
  });

  it("a tracking change after shipment goes out with ST23 on that shipment only", async () => {
    const st23 = writes("ST23");
    h.shopify.control.updateTracking({ shop: h.shop, fulfillmentId: firstFulfilment, trackingCompany: "Chronopost", trackingNumber: "XY123456789FR" });
    await h.drain();
    expect(writes("ST23") - st23).toBe(1);
    const [l1] = await links(partial);
    const s = (await shipments(partial)).find((x) => x.id === l1!.miraklShipmentId)!;
    expect(s.tracking).toMatchObject({ carrier_code: "CHRONOPOST", tracking_number: "XY123456789FR" });
    expect(l1).toMatchObject({ sentCarrierCode: "CHRONOPOST", sentTrackingNumber: "XY123456789FR" });
  });

  it("an unknown carrier is held with a Task saying this marketplace takes only its own carriers", async () => {
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOTE", quantity: 1 }] });
    const st01 = calls("ST01");
    fulfil(o, { trackingCompany: "Royal Mail 24", trackingNumber: "RM-DKT-1" });
    await h.drain();
    expect(calls("ST01")).toBe(st01);
    expect((await links(o))[0]).toMatchObject({ status: "HELD" });
    const task = await h.services.prisma.task.findUniqueOrThrow({ where: { shop_dedupeKey: { shop: h.shop, dedupeKey: `unmapped-carrier:${h.connection!.id}:royal mail 24` } } });
    expect(task.status).toBe("OPEN");
    expect(task.body).toContain("this marketplace does not accept unlisted carriers");

    const refused = await saveCarrierMapping({ services: h.services, shop: h.shop, input: { connectionId: h.connection!.id, shopifyCarrierName: "Royal Mail 24", useUnregistered: "true" } });
    expect(refused).toMatchObject({ kind: "invalid", fieldErrors: { useUnregistered: expect.stringContaining("does not accept unlisted carriers") } });

    await saveCarrierMapping({ services: h.services, shop: h.shop, input: { connectionId: h.connection!.id, shopifyCarrierName: "Royal Mail 24", miraklCarrierCode: "DHL" } });
    await h.drain();
    expect(miraklOrder(o).order_state).toBe("SHIPPED");
    expect((await shipments(o))[0]).toMatchObject({ tracking: { carrier_code: "DHL", tracking_number: "RM-DKT-1" } });
  });

  it("an ST01 whose answer is lost is found on the retry and never created twice", async () => {
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOP-NAVY-L", quantity: 1 }, { sku: "TOTE", quantity: 1 }] });
    const st01 = writes("ST01");
    h.mirakl.control.setFaults({ timeoutAfterWriteRate: 1, hangMs: 20, only: ["ST01"] });
    fulfil(o, { trackingCompany: "GLS", trackingNumber: "GLS-1", lines: [{ sku: "TOTE", quantity: 1 }] });
    await h.drain();
    expect(h.mirakl.control.stats().timeoutsAfterWrite).toBeGreaterThan(0);
    const [pending] = await links(o);
    expect(pending!.miraklShipmentId).toBeNull();
    h.mirakl.control.clearFaults();
    await drainWithRetries(h);
    expect(writes("ST01") - st01).toBe(1);
    const onMirakl = await shipments(o);
    expect(onMirakl).toHaveLength(1);
    const [link] = await links(o);
    expect(link).toMatchObject({ status: "ACKNOWLEDGED", miraklShipmentId: onMirakl[0]!.id });
    expect(
      (await h.services.prisma.syncEvent.findMany({ where: { entityType: "order", entityId: o.orderLink.id } })).map((e) => e.kind),
    ).toContain("shipment_found");
  });
});
