/**
 * The order area's scheduling and recovery: the poll at most once a minute, the backfill sweep finding what the
 * regular poll missed, the scheduler's sweep re-queuing work a lost enqueue or a crashed worker left behind, and the
 * Orders screen's Retry.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { backfillNow, linkOf, pollAndDrain, pollNow, shopifyOrdersFor, timeline } from "../support/orders";
import { scheduleOrderJobs } from "../../app/jobs/order-jobs.server";
import { retryOrder } from "../../app/sync/orders/retry.server";
import { REFERENCE_GIVEN_UP } from "../../app/sync/orders/write-reference.server";
import { orderTasksAndRefunds } from "../../app/sync/orders/order-views.server";

describe("order scheduling and recovery", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mirakl: { tenant: { debitDelayMs: 0 } } });
  });
  afterAll(async () => h?.close());

  const tick = async (now = new Date()) => scheduleOrderJobs({ services: h.services, connection: await h.reloadConnection(), now });
  const queued = async (name: string) => {
    const rows = await h.services.db.sql.executeSql(`SELECT count(*)::int AS n FROM pgboss.job WHERE name = $1 AND state IN ('created', 'retry')`, [name]);
    return Number(rows.rows[0]?.n ?? 0);
  };

  it("queues the poll at most once a minute, measured from the last poll's start", async () => {
    const first = new Date();
    await tick(first);
    expect(await queued("orders.poll")).toBe(1);
    await h.drain();
    const c = await h.reloadConnection();
    expect(c.lastOrderPollAt).not.toBeNull();
    await tick(new Date(c.lastOrderPollAt!.getTime() + 30_000));
    expect(await queued("orders.poll")).toBe(0);
    await tick(new Date(c.lastOrderPollAt!.getTime() + 60_000));
    expect(await queued("orders.poll")).toBe(1);
    await h.drain();
  });

  it("the backfill sweep finds an order the regular poll missed", async () => {
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }] });
    // A cursor in the future: the regular poll asks for updates since then and misses the order.
    await h.services.prisma.marketplaceConnection.update({ where: { id: h.connection!.id }, data: { ordersCursor: new Date(Date.now() + 3_600_000) } });
    await pollNow(h);
    expect(await h.services.prisma.orderLink.count({ where: { miraklOrderId: order.order_id } })).toBe(0);
    const res = (await backfillNow(h)) as { kind: string; seen: number };
    expect(res.kind).toBe("polled");
    expect(h.mirakl.control.getOrder(order.order_id)!.order_state).toBe("SHIPPING");
    expect((await linkOf(h, order.order_id)).acceptanceStatus).toBe("ACCEPTED");
    expect((await h.reloadConnection()).lastBackfillAt).not.toBeNull();
    await h.services.prisma.marketplaceConnection.update({ where: { id: h.connection!.id }, data: { ordersCursor: null } });
    await pollAndDrain(h);
    expect(shopifyOrdersFor(h, order.order_id)).toHaveLength(1);
  });

  it("re-queues an import whose job was lost, and takes over a crashed worker's claim once it is stale", async () => {
    const lost = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }] });
    const crashed = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOP-NAVY-M", quantity: 1 }] });
    await pollNow(h);
    await pollNow(h); // both READY, imports queued
    // Lose both jobs (as if the enqueue never happened), and leave the second as a dead worker's claim.
    await h.services.db.sql.executeSql(`DELETE FROM pgboss.job WHERE name = 'orders.import'`, []);
    const crashedLink = await linkOf(h, crashed.order_id);
    await h.services.prisma.orderLink.update({ where: { id: crashedLink.id }, data: { importStatus: "IMPORTING", importClaim: "dead", importClaimedAt: new Date(), importAttempts: 1 } });
    // Right away nothing is re-queued: the READY one is recent, the claim is fresh.
    await tick();
    expect(await queued("orders.import")).toBe(0);
    // Later (the sweep's thresholds: 2 minutes for READY, 5 for a claim) both are queued again and imported once.
    await tick(new Date(Date.now() + 6 * 60_000));
    expect(await queued("orders.import")).toBe(2);
    h.services.now = () => new Date(Date.now() + 6 * 60_000);
    try {
      await h.drain();
    } finally {
      h.services.now = () => new Date();
    }
    expect(shopifyOrdersFor(h, lost.order_id)).toHaveLength(1);
    expect(shopifyOrdersFor(h, crashed.order_id)).toHaveLength(1);
    expect((await linkOf(h, crashed.order_id)).importStatus).toBe("IMPORTED");
  });

  it("Retry on a failed import queues it again and says so on the timeline", async () => {
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }] });
    await pollNow(h);
    await pollNow(h);
    await h.services.db.sql.executeSql(`DELETE FROM pgboss.job WHERE name = 'orders.import'`, []);
    const link = await linkOf(h, order.order_id);
    await h.services.prisma.orderLink.update({ where: { id: link.id }, data: { importStatus: "FAILED", lastError: "Shopify was down" } });
    const res = await retryOrder({ services: h.services, orderLinkId: link.id });
    expect(res).toEqual({ kind: "queued", jobs: ["orders.import"] });
    await h.drain();
    expect(shopifyOrdersFor(h, order.order_id)).toHaveLength(1);
    expect((await timeline(h, link.id)).some((e) => e.kind === "retry")).toBe(true);
    // Imported: Retry only has the reference write-back left to offer, if it is still pending.
    const after = await linkOf(h, order.order_id);
    const again = await retryOrder({ services: h.services, orderLinkId: link.id });
    if (after.sellerReferenceSent) expect(again.kind).toBe("nothing_to_do");
    else expect(again).toEqual({ kind: "queued", jobs: ["orders.write-reference"] });
  });

  it("Retry does not offer the reference write-back Mirakl refused for good (it would queue a job that sends nothing)", async () => {
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }] });
    await pollAndDrain(h, 2);
    const link = await linkOf(h, order.order_id);
    expect(link.importStatus).toBe("IMPORTED");
    await h.services.prisma.orderLink.update({ where: { id: link.id }, data: { sellerReferenceSent: false, lastError: `${REFERENCE_GIVEN_UP} (too long)` } });
    const res = await retryOrder({ services: h.services, orderLinkId: link.id });
    expect(res.kind).toBe("nothing_to_do");
    expect((await timeline(h, link.id)).some((e) => e.kind === "retry")).toBe(false);
  });

  it("the order page lists every open task about the order, its refunds' included, and links its refunds", async () => {
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }] });
    await pollAndDrain(h, 2);
    const link = await linkOf(h, order.order_id);
    const refund = await h.services.prisma.refundRequest.create({
      data: { orderLinkId: link.id, connectionId: link.connectionId, shop: h.shop, shopifyRefundId: `gid://shopify/Refund/${Date.now()}`, status: "OPEN", shopifyAmount: "12.50" },
    });
    const other = await h.services.prisma.refundRequest.create({
      data: { orderLinkId: link.id, connectionId: link.connectionId, shop: `other-${h.shop}`, shopifyRefundId: `gid://shopify/Refund/${Date.now() + 1}`, status: "OPEN" },
    });
    await h.services.tasks.raise({
      shop: h.shop,
      connectionId: link.connectionId,
      dedupeKey: `refund-review:${refund.id}`,
      kind: "refund_review",
      title: "Review the Mirakl refund",
      body: "Mirakl would refund 0.00 GBP.",
      actionLabel: "Review the Mirakl refund",
      actionUrl: `/app/refunds/${refund.id}`,
      entityType: "refund",
      entityId: refund.id,
    });
    await h.services.tasks.raise({ shop: h.shop, connectionId: link.connectionId, dedupeKey: `unrelated:${refund.id}`, kind: "x", title: "Another order's refund", body: "b", entityType: "refund", entityId: other.id });
    const view = await orderTasksAndRefunds(h.services.prisma, h.shop, link, ["TOTE"]);
    expect(view.tasks.map((t) => t.title)).toEqual(["Review the Mirakl refund"]);
    expect(view.tasks[0]?.actionUrl).toBe(`/app/refunds/${refund.id}`);
    expect(view.refunds).toEqual([expect.objectContaining({ id: refund.id, url: `/app/refunds/${refund.id}`, shopifyAmount: "12.5" })]);
  });
});
