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
});
