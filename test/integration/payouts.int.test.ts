import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { createImportedOrder, type AdjustmentsWorld } from "../support/adjustments-fixture";
import { syncPayouts } from "../../app/sync/payouts/sync.server";
import { loadPayoutReport } from "../../app/sync/payouts/report.server";
import { payoutCsv } from "../../app/sync/payouts/csv";
import { sendRefundRequest } from "../../app/sync/adjustments/refund-requests.server";
import { payoutSyncJob, schedulePayoutJobs } from "../../app/jobs/payout-jobs.server";

/**
 * Payouts against the Mirakl simulator: orders imported into Shopify, one Mirakl order that never was, a Shopify
 * refund Mirakl never heard of; the billing cycle is closed in the simulator, then SBC11 + TL02 are read and matched.
 */
const DAY = 24 * 60 * 60 * 1000;
let h: Harness;
let world: AdjustmentsWorld;

beforeAll(async () => {
  // Orders are received a minute after shipping (so their lines become payable) and cycles close only when told.
  h = await startHarness({
    mirakl: {
      preset: "joules",
      tenant: {
        autoReceiveMs: 60_000,
        billingCycleMs: 365 * DAY,
        payoutDelayMs: DAY,
      },
    },
  });
  world = {
    services: h.services,
    shop: h.shop,
    connection: h.connection!,
    mirakl: h.mirakl,
    shopify: h.shopify,
  };
});
afterAll(async () => {
  await h?.close();
});

const counts = async () => ({
  payouts: await h.services.prisma.payout.count(),
  lines: await h.services.prisma.payoutTransaction.count(),
  tasks: await h.services.prisma.task.count({
    where: { shop: h.shop, kind: { startsWith: "payout_" } },
  }),
});
const taskByKey = (dedupeKey: string) =>
  h.services.prisma.task.findUniqueOrThrow({
    where: { shop_dedupeKey: { shop: h.shop, dedupeKey } },
  });

describe("payout sync and matching", () => {
  let matched: Awaited<ReturnType<typeof createImportedOrder>>;
  let refunded: Awaited<ReturnType<typeof createImportedOrder>>;
  let outsider = "";

  it("stores the closed cycle and its lines once, matches orders to Shopify and flags what finance must act on", async () => {
    matched = await createImportedOrder(world, {
      lines: [{ sku: "TOP-NAVY-M", quantity: 2 }],
      state: "SHIPPED",
    });
    refunded = await createImportedOrder(world, {
      lines: [{ sku: "TOTE", quantity: 1 }],
      state: "SHIPPED",
    });
    // A Mirakl order this app never imported (say, handled by hand before the app was connected).
    const created = h.mirakl.control.createOrder({
      lines: [{ offerSku: "TOTE", quantity: 1 }],
    });
    outsider = created.order_id;
    await h.services.mirakl(world.connection).acceptOrder({
      orderId: outsider,
      lines: created.order_lines.map((l) => ({
        id: l.order_line_id,
        accepted: true,
      })),
    });
    h.mirakl.control.advanceClock(h.mirakl.control.getTenant().debitDelayMs + 1_000);
    h.mirakl.control.shipInPortal(outsider, {
      carrierCode: h.mirakl.control.getTenant().carriers[0]!.code,
      trackingNumber: "RM1",
    });
    // Refunded in Shopify only: the refund request stays open, Mirakl never refunds, so it keeps its commission.
    h.shopify.control.refund({
      shop: h.shop,
      orderId: refunded.shopifyOrderId,
      lines: [{ lineItemId: refunded.lineItems.TOTE!, quantity: 1 }],
      amount: refunded.order.order_lines[0]!.price.toFixed(2),
    });
    await h.drain();
    const request = await h.services.prisma.refundRequest.findFirstOrThrow({
      where: { orderLinkId: refunded.link.id },
    });
    expect(request.status).toBe("OPEN");

    h.mirakl.control.advanceClock(61_000);
    expect(h.mirakl.control.closeBillingCycle()).toBe(1);

    const first = await syncPayouts({
      services: h.services,
      connection: world.connection,
    });
    expect(first).toMatchObject({ cycles: 1, pendingPayouts: 0, tl02Calls: 1 });
    const payout = await h.services.prisma.payout.findFirstOrThrow({
      where: { connectionId: world.connection.id },
    });
    expect(payout).toMatchObject({
      linesStatus: "COMPLETE",
      payOutState: "TO_PAY",
      orderCount: 3,
    });
    const tl02Lines = h.mirakl.control.snapshot() as {
      billingCycles: Array<{ transactions: number }>;
    };
    expect(payout.lineCount).toBe(tl02Lines.billingCycles[0]!.transactions);

    const report = await loadPayoutReport({
      prisma: h.services.prisma,
      payout,
    });
    expect(report.differenceCents).toBe(0);
    expect(report.paidCents).toBeGreaterThan(0);
    expect(report.totals.commission).toBeLessThan(0);
    const row = (id: string) => report.orders.find((o) => o.miraklOrderId === id)!;
    expect(row(matched.miraklOrderId)).toMatchObject({
      shopifyOrderName: matched.shopifyOrderName,
      orderLinkId: matched.link.id,
    });
    expect(row(matched.miraklOrderId).gross).toBe(Math.round((matched.order.total_price ?? 0) * 100));
    expect(row(matched.miraklOrderId).net).toBe(row(matched.miraklOrderId).gross + row(matched.miraklOrderId).commission);
    expect(row(outsider)).toMatchObject({
      shopifyOrderId: null,
      orderLinkId: null,
    });
    expect(report.flags.map((f) => f.kind).sort()).toEqual(["commission_not_recovered", "unmatched_order"]);

    const leak = await taskByKey(`payout-commission:${world.connection.id}:${request.id}`);
    expect(leak).toMatchObject({
      status: "OPEN",
      kind: "payout_commission_not_recovered",
      actionUrl: `/app/refunds/${request.id}`,
    });
    expect(leak.body).toMatch(/marketplace keeps its commission/);
    expect((await taskByKey(`payout-unmatched-order:${world.connection.id}:${outsider}`)).status).toBe("OPEN");

    // Run twice (and once more re-reading every line): nothing is stored twice, no task is duplicated.
    const before = await counts();
    await h.services.jobs.runNow(payoutSyncJob, {
      shop: h.shop,
      connectionId: world.connection.id,
      trigger: "manual",
    });
    await h.services.prisma.payout.updateMany({
      data: { linesStatus: "PENDING", linesCursor: null },
    });
    const reread = await syncPayouts({
      services: h.services,
      connection: world.connection,
    });
    expect(reread.linesStored).toBe(payout.lineCount);
    expect(await counts()).toEqual(before);

    const csv = payoutCsv(
      {
        reference: "x",
        date: payout.cycleCreatedAt,
        state: payout.payOutState,
        marketplace: world.connection.name,
        currency: payout.currency,
      },
      report.orders
    );
    const csvRow = csv.split("\r\n").find((l) => l.includes(matched.miraklOrderId))!;
    expect(csvRow).toContain(`,${matched.shopifyOrderName},yes,`);
    expect(csvRow.endsWith(`,${(row(matched.miraklOrderId).net / 100).toFixed(2)},GBP`)).toBe(true);
  });

  it("resolves the commission task once Mirakl's refund is in a payout, and follows the payout to PAID", async () => {
    const request = await h.services.prisma.refundRequest.findFirstOrThrow({
      where: { orderLinkId: refunded.link.id },
    });
    expect(
      (
        await sendRefundRequest({
          services: h.services,
          shop: h.shop,
          refundRequestId: request.id,
          reasonCode: "17",
          mode: "interactive",
        })
      ).kind
    ).toBe("sent");
    h.mirakl.control.advanceClock(DAY + 1_000); // the first payout is paid
    expect(h.mirakl.control.closeBillingCycle()).toBe(1);
    await syncPayouts({ services: h.services, connection: world.connection });
    const payouts = await h.services.prisma.payout.findMany({
      where: { connectionId: world.connection.id },
      orderBy: { cycleCreatedAt: "asc" },
    });
    expect(payouts.map((p) => p.payOutState)).toEqual(["PAID", "TO_PAY"]);
    const second = await loadPayoutReport({
      prisma: h.services.prisma,
      payout: payouts[1]!,
    });
    expect(second.totals.refunds).toBeLessThan(0);
    expect(second.totals.commissionRefunded).toBeGreaterThan(0);
    expect(second.orders.find((o) => o.miraklOrderId === refunded.miraklOrderId)).toMatchObject({ shopifyOrderName: refunded.shopifyOrderName });
    expect((await taskByKey(`payout-commission:${world.connection.id}:${request.id}`)).status).toBe("RESOLVED");
    expect((await taskByKey(`payout-unmatched-order:${world.connection.id}:${outsider}`)).status).toBe("OPEN");
  });

  it("never goes beyond TL02's 60 calls an hour and resumes where it stopped", async () => {
    const now = h.services.now();
    await h.services.prisma.payoutSyncState.update({
      where: { connectionId: world.connection.id },
      data: {
        tl02Calls: Array.from({ length: 60 }, (_, i) => new Date(now.getTime() - i * 1000)),
      },
    });
    await createImportedOrder(world, {
      lines: [{ sku: "TOTE", quantity: 1 }],
      state: "SHIPPED",
    });
    h.mirakl.control.advanceClock(61_000);
    expect(h.mirakl.control.closeBillingCycle()).toBe(1);
    const blocked = await syncPayouts({
      services: h.services,
      connection: world.connection,
    });
    expect(blocked).toMatchObject({
      cycles: expect.any(Number),
      tl02Calls: 0,
      linesStored: 0,
      pendingPayouts: 1,
    });
    // The scheduler comes back within the hour for unfinished payouts, not only daily.
    const later = new Date(now.getTime() + 61 * 60 * 1000);
    await h.drain();
    expect(
      await schedulePayoutJobs({
        services: h.services,
        connection: world.connection,
        now: later,
      })
    ).toBe(1);
    await h.services.prisma.payoutSyncState.update({
      where: { connectionId: world.connection.id },
      data: { tl02Calls: [] },
    });
    await h.drain();
    const third = await h.services.prisma.payout.findFirstOrThrow({
      where: { connectionId: world.connection.id },
      orderBy: { cycleCreatedAt: "desc" },
    });
    expect(third).toMatchObject({
      linesStatus: "COMPLETE",
      orderCount: 1,
      flagCount: 0,
    });
  });
});
