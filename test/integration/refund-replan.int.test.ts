import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "../support/harness";
import { createImportedOrder, later, readMirakl, type AdjustmentsWorld, startAdjustmentsWorld } from "../support/adjustments-fixture";
import { REPLACEMENT_GRACE_SECONDS } from "../../app/sync/adjustments/replacement-orders.server";
import { emitMiraklOrderUpdated } from "../../app/sync/order-events.server";
import { refreshRefundForView } from "../../app/sync/adjustments/refund-replan.server";
import { refundView } from "../../app/sync/adjustments/refund-views.server";
import { miraklLines, parseEntries } from "../../app/sync/adjustments/refund-lines";

/**
 * A refund's plan follows the order: once the order ships on Mirakl the "not shipped yet, cancel the line" note
 * gives way to an OR28 proposal (via order polling's listener, and on opening the refund page), and a refund made
 * with a cancellation says "no action" and closes itself once the cancellation reached Mirakl.
 */
let h: Harness;
let world: AdjustmentsWorld;

beforeAll(async () => {
  ({ h, world } = await startAdjustmentsWorld());
});
afterAll(async () => {
  await h?.close();
});

const requestFor = (linkId: string) => h.services.prisma.refundRequest.findFirstOrThrow({ where: { orderLinkId: linkId }, orderBy: { createdAt: "desc" } });
const taskFor = (id: string) => h.services.prisma.task.findFirstOrThrow({ where: { shop: h.shop, kind: "mirakl_refund", entityId: id } });

async function refundBeforeShipping() {
  const o = await createImportedOrder(world, { lines: [{ sku: "TOTE", quantity: 1 }] });
  h.shopify.control.refund({ shop: h.shop, orderId: o.shopifyOrderId, lines: [{ lineItemId: o.lineItems.TOTE!, quantity: 1, restockType: "NO_RESTOCK" }], amount: "19.95" });
  await h.drain();
  const rr = await requestFor(o.link.id);
  expect(miraklLines(parseEntries(rr.lines))[0]!.blocked).toMatch(/not shipped yet/);
  expect((await taskFor(rr.id)).body).toMatch(/cancel them in the Mirakl back office/);
  return { o, rr };
}

describe("refund plan after the order changed on Mirakl", () => {
  it("order polling sees the order shipped: the refund becomes an OR28 proposal and the task says to send it", async () => {
    const { o, rr } = await refundBeforeShipping();
    const previous = await readMirakl(world, o.miraklOrderId);
    h.mirakl.control.shipInPortal(o.miraklOrderId, { carrierCode: h.mirakl.control.getTenant().carriers[0]!.code, trackingNumber: "RM777" });
    const order = await readMirakl(world, o.miraklOrderId);
    const orderLink = await h.services.prisma.orderLink.update({ where: { id: o.link.id }, data: { miraklState: order.order_state, snapshot: order as never } });
    await emitMiraklOrderUpdated({ services: h.services, connection: world.connection, orderLink, order, previous });

    const after = miraklLines(parseEntries((await requestFor(o.link.id)).lines))[0]!;
    expect(after).toMatchObject({ blocked: null, amount: 19.95, lineState: "SHIPPED" });
    const task = await taskFor(rr.id);
    expect(task.status).toBe("OPEN");
    expect(task.body).toMatch(/Mirakl would refund 19\.95/);
    expect(task.body).not.toMatch(/cancel them in the Mirakl back office/);
    const view = await refundView({ services: h.services, shop: h.shop, id: rr.id });
    expect(view).toMatchObject({ statusLabel: "Ready to send", canSend: true, order: { linkId: o.link.id } });
  });

  it("opening the refund page re-reads a stale plan (the order shipped since) before showing it", async () => {
    const { o, rr } = await refundBeforeShipping();
    h.mirakl.control.shipInPortal(o.miraklOrderId, { carrierCode: h.mirakl.control.getTenant().carriers[0]!.code, trackingNumber: "RM778" });
    // Order polling stored the shipped order (the listener is not run here: the page must catch up by itself).
    const order = await readMirakl(world, o.miraklOrderId);
    await h.services.prisma.orderLink.update({ where: { id: o.link.id }, data: { miraklState: order.order_state, snapshot: order as never } });
    const before = h.mirakl.control.stats().calls.OR11 ?? 0;

    expect(await refreshRefundForView({ services: h.services, shop: h.shop, id: rr.id })).toEqual({ refreshed: true, warning: null });
    expect(h.mirakl.control.stats().calls.OR11 ?? 0).toBe(before + 1);
    const view = (await refundView({ services: h.services, shop: h.shop, id: rr.id }))!;
    expect(view.statusLabel).toBe("Ready to send");
    expect(view.rows[0]).toMatchObject({ blocked: null, mirakl: { amount: 19.95 } });
    // Fresh now: opening the page again does not call Mirakl.
    expect(await refreshRefundForView({ services: h.services, shop: h.shop, id: rr.id })).toEqual({ refreshed: false, warning: null });
    expect(h.mirakl.control.stats().calls.OR11 ?? 0).toBe(before + 1);
  });
});

describe("refund of a cancelled order", () => {
  it("says no action while the cancellation waits, then closes itself once Mirakl has the cancellation", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOTE", quantity: 1 }] });
    h.shopify.control.cancelOrder({ shop: h.shop, orderId: o.shopifyOrderId, restock: true, refund: true });
    await h.drain();
    const pending = await h.services.prisma.miraklAdjustment.findUniqueOrThrow({ where: { dedupeKey: `cancel:${o.shopifyOrderId}` } });
    expect(pending.status).toBe("PENDING");
    const rr = await requestFor(o.link.id);
    expect(rr.status).toBe("OPEN");
    const task = await taskFor(rr.id);
    expect(task).toMatchObject({ status: "OPEN", severity: "info" });
    expect(task.body).toMatch(/No action: the cancellation will be sent to Mirakl in ~\d+ min/);
    expect(task.body).not.toMatch(/cancel them in the Mirakl back office/);
    const view = (await refundView({ services: h.services, shop: h.shop, id: rr.id }))!;
    expect(view).toMatchObject({ action: "wait_cancellation", canSend: false });
    expect(view.rows[0]).toMatchObject({ blocked: null, coveredBy: expect.stringMatching(/^No action/) });

    const restore = later(h.services, (REPLACEMENT_GRACE_SECONDS + 5) * 1000);
    try {
      await h.services.prisma.$executeRawUnsafe(`UPDATE pgboss.job SET start_after = now() WHERE state IN ('created', 'retry')`);
      await h.drain();
    } finally {
      restore();
    }
    expect((await h.services.prisma.miraklAdjustment.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("SENT");
    expect((await readMirakl(world, o.miraklOrderId)).order_state).toBe("CANCELED");
    expect((await h.services.prisma.refundRequest.findUniqueOrThrow({ where: { id: rr.id } })).status).toBe("NOT_NEEDED");
    expect((await h.services.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("RESOLVED");
    const done = (await refundView({ services: h.services, shop: h.shop, id: rr.id }))!;
    expect(done.statusLabel).toBe("Covered by the cancellation");
    expect(done.todo).toMatch(/^No action: the cancellation sent to Mirakl on .* returns the commission/);
    // Nothing was refunded on Mirakl besides the cancellation itself.
    expect((await readMirakl(world, o.miraklOrderId)).order_lines.flatMap((l) => l.refunds)).toEqual([]);
  });
});
