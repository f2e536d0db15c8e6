import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { createImportedOrder, type ImportedOrder } from "../support/imported-order-fixture";
import { drainWithRetries, makeRetriesDue } from "../support/fulfilment-helpers";
import { reportUnacknowledgedShipments } from "../../app/sync/fulfilment/unacknowledged-report.server";
import { scheduleFulfilmentJobs } from "../../app/jobs/fulfilment-jobs.server";
import { refreshConnectionSettings } from "../../app/sync/connections.server";

/**
 * Mirakl misbehaving: 5xx before anything is applied, and writes applied whose answer never comes (the case
 * that makes blind retries send things twice: notes §1.10). Then the exception report, on simulated time.
 */
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ mirakl: { preset: "default", seed: 11 }, connection: { unacknowledgedShipmentMinutes: 60 } });
});
afterAll(async () => {
  await h?.close();
});

const world = () => ({ services: h.services, mirakl: h.mirakl, shop: h.shop, connection: h.connection! });
const writes = (op: string) => h.mirakl.control.stats().writesAppliedByOperation[op] ?? 0;
const links = (o: ImportedOrder) => h.services.prisma.fulfillmentLink.findMany({ where: { orderLinkId: o.orderLink.id } });
const task = (dedupeKey: string) => h.services.prisma.task.findUnique({ where: { shop_dedupeKey: { shop: h.shop, dedupeKey } } });
const minutesFromNow = (m: number) => new Date(Date.now() + m * 60_000);

describe("a Mirakl 5xx/timeout storm", () => {
  it("sends every shipment exactly once and loses none", async () => {
    const orders: ImportedOrder[] = [];
    for (let i = 0; i < 8; i++) orders.push(await createImportedOrder(world(), { lines: [{ sku: i % 2 ? "TOTE" : "TOP-NAVY-M", quantity: 1 }] }));
    const [or23, or24] = [writes("OR23"), writes("OR24")];
    const stats0 = h.mirakl.control.stats();
    h.mirakl.control.setFaults({ rate5xx: 0.3, timeoutAfterWriteRate: 0.4, hangMs: 25, only: ["OR11", "OR23", "OR24"] });
    orders.forEach((o, i) => h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, trackingCompany: "UPS", trackingNumber: `1ZSTORM${i}` }));

    const { rounds } = await drainWithRetries(h, 40);
    const stats = h.mirakl.control.stats();
    h.mirakl.control.clearFaults();

    // The storm happened…
    expect(stats.served5xx - stats0.served5xx).toBeGreaterThan(0);
    expect(stats.timeoutsAfterWrite - stats0.timeoutsAfterWrite).toBeGreaterThan(0);
    expect(rounds).toBeGreaterThan(1);
    // …nothing was lost…
    for (const [i, o] of orders.entries()) {
      expect(h.mirakl.control.getOrder(o.miraklOrderId)).toMatchObject({ order_state: "SHIPPED", shipping_carrier_code: "UPS", shipping_tracking: `1ZSTORM${i}` });
      expect((await links(o))[0]).toMatchObject({ status: "ACKNOWLEDGED" });
    }
    // …and nothing was applied twice, although some writes were applied without an answer.
    expect(writes("OR23") - or23).toBe(orders.length);
    expect(writes("OR24") - or24).toBe(orders.length);
    expect(await h.services.prisma.task.count({ where: { shop: h.shop, kind: { in: ["job_failed", "fulfilment_push_failed", "shipment_refused"] } } })).toBe(0);
  });
});

describe("the unacknowledged-shipment report", () => {
  it("flags a fulfilment Mirakl has not acknowledged after the connection's threshold, and clears it once it has", async () => {
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOTE", quantity: 1 }] });
    h.mirakl.control.setFaults({ rate5xx: 1, only: ["OR24"] });
    h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, trackingCompany: "UPS", trackingNumber: "1ZLATE" });
    await h.drain();
    expect(h.mirakl.control.getOrder(o.miraklOrderId)).toMatchObject({ order_state: "SHIPPING", shipping_tracking: "1ZLATE" });
    expect((await links(o))[0]!.status).toBe("SENT");
    const key = `unacknowledged-shipment:${h.connection!.id}:${o.miraklOrderId}`;

    const connection = await h.reloadConnection();
    expect(await reportUnacknowledgedShipments({ services: h.services, connection, now: minutesFromNow(59) })).toMatchObject({ raised: 0 });
    expect(await task(key)).toBeNull();

    const late = await reportUnacknowledgedShipments({ services: h.services, connection, now: minutesFromNow(61) });
    expect(late).toMatchObject({ late: 1, raised: 1 });
    const t = await task(key);
    expect(t).toMatchObject({ status: "OPEN", kind: "unacknowledged_shipment", entityType: "order", entityId: o.orderLink.id, connectionId: h.connection!.id });
    expect(t!.title).toContain(o.miraklOrderId);
    expect(t!.body).toContain("has not acknowledged the shipment");
    expect((await h.services.prisma.orderLink.findUniqueOrThrow({ where: { id: o.orderLink.id } })).fulfilmentStatus).toBe("TRACKING_SENT");

    // Raising again only counts an occurrence.
    await reportUnacknowledgedShipments({ services: h.services, connection, now: minutesFromNow(66) });
    expect((await task(key))!.occurrences).toBe(2);

    h.mirakl.control.clearFaults();
    await makeRetriesDue(h);
    await h.drain();
    expect(h.mirakl.control.getOrder(o.miraklOrderId)!.order_state).toBe("SHIPPED");
    expect(await task(key)).toMatchObject({ status: "RESOLVED" });
    expect(await reportUnacknowledgedShipments({ services: h.services, connection, now: minutesFromNow(90) })).toMatchObject({ late: 0, raised: 0 });
  });

  it("re-queues a push that never ran (sync was paused) and says why an order is late", async () => {
    await h.services.prisma.marketplaceConnection.update({ where: { id: h.connection!.id }, data: { paused: true } });
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOP-NAVY-L", quantity: 1 }] });
    h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, trackingCompany: "UPS", trackingNumber: "1ZPAUSE" });
    await h.drain();
    expect((await links(o))[0]!.status).toBe("PENDING");
    expect(h.mirakl.control.getOrder(o.miraklOrderId)!.order_state).toBe("SHIPPING");

    const connection = await h.services.prisma.marketplaceConnection.update({ where: { id: h.connection!.id }, data: { paused: false } });
    const late = await reportUnacknowledgedShipments({ services: h.services, connection, now: minutesFromNow(65) });
    expect(late).toMatchObject({ late: 1, raised: 1, requeued: 1 });
    const key = `unacknowledged-shipment:${h.connection!.id}:${o.miraklOrderId}`;
    expect((await task(key))!.body).toContain("it has not been sent yet");
    await h.drain();
    expect(h.mirakl.control.getOrder(o.miraklOrderId)).toMatchObject({ order_state: "SHIPPED", shipping_tracking: "1ZPAUSE" });
    expect(await task(key)).toMatchObject({ status: "RESOLVED" });
  });

  it("releases a shipment held for a carrier the marketplace starts listing (daily SH21 refresh)", async () => {
    const o = await createImportedOrder(world(), { lines: [{ sku: "TOTE", quantity: 1 }] });
    h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, trackingCompany: "Yodel", trackingNumber: "JD0099" });
    await h.drain();
    expect((await links(o))[0]!.status).toBe("HELD");

    const tenant = h.mirakl.control.getTenant();
    h.mirakl.control.configure({ carriers: [...tenant.carriers, { code: "YODEL", label: "Yodel", standardCode: "YODEL", trackingUrl: "https://www.yodel.co.uk/tracking/{trackingId}" }] });
    await refreshConnectionSettings({ services: h.services, connection: await h.reloadConnection() });
    const r = await reportUnacknowledgedShipments({ services: h.services, connection: await h.reloadConnection(), now: minutesFromNow(1) });
    expect(r.requeued).toBe(1);
    await h.drain();
    expect(h.mirakl.control.getOrder(o.miraklOrderId)).toMatchObject({ order_state: "SHIPPED", shipping_carrier_code: "YODEL", shipping_tracking: "JD0099" });
    expect(await task(`unmapped-carrier:${h.connection!.id}:yodel`)).toMatchObject({ status: "RESOLVED" });
  });

  it("runs every five minutes per connection from scheduler.tick", async () => {
    const connection = await h.reloadConnection();
    const at = (minute: number) => new Date(Date.UTC(2026, 0, 1, 10, minute));
    await h.drain();
    expect(await scheduleFulfilmentJobs({ services: h.services, connection, now: at(10) })).toBe(1);
    // Stately per connection: a second enqueue while one waits is a no-op.
    expect(await scheduleFulfilmentJobs({ services: h.services, connection, now: at(15) })).toBe(0);
    expect(await scheduleFulfilmentJobs({ services: h.services, connection, now: at(11) })).toBe(0);
    await h.drain();
  });
});
