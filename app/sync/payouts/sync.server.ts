/**
 * Payout sync for one connection: SBC11 billing cycles (payouts) and their TL02 transaction lines into our
 * database, then matching against Shopify orders and the Tasks finance acts on.
 *
 * TL02 allows 60 calls an hour (and 20 a minute). The client paces within one process; the hour's budget is
 * also kept in PayoutSyncState so that several worker processes, a manual Refresh and the daily run share it.
 * Lines are read oldest first and the position is saved after every page, so a run that runs out of budget (or
 * crashes) resumes where it stopped instead of re-reading a cycle from the start.
 */
import { Prisma, type MarketplaceConnection, type Payout } from "@prisma/client";
import type { BillingCycle, TransactionLog } from "../../mirakl";
import { logger } from "../../lib/logger";
import type { Services } from "../../services.server";
import { signedAmount } from "./matching";
import { PAYOUT_TASK_KINDS, payoutTask, payoutTaskKey } from "./payout-tasks";
import { loadPayoutReport } from "./report.server";

const log = logger.child({ module: "payouts" });

const HOUR_MS = 60 * 60 * 1000;
/** Mirakl's documented TL02 maximum per hour. */
export const TL02_CALLS_PER_HOUR = 60;
/** TL02 page size: Mirakl's maximum, so a cycle costs as few calls as possible. */
const TL02_PAGE = 2000;
/** TL02 takes at most 100 billing cycle ids per call. */
const CYCLES_PER_CALL = 100;
/** A first sync reads this far back; older payouts were reconciled before the app existed. */
const FIRST_SYNC_LOOKBACK_DAYS = 90;
/** Reports (and their Tasks) are recomputed for this many recent payouts per run. */
const RECOMPUTE_LIMIT = 200;
/** Lines are written in chunks of this many rows (14 parameters each stays far below PostgreSQL's limit). */
const WRITE_CHUNK = 500;

export interface PayoutSyncResult {
  kind: "synced";
  cycles: number;
  linesStored: number;
  tl02Calls: number;
  /** payouts whose lines are still incomplete (budget used up): the next run carries on */
  pendingPayouts: number;
  flags: number;
}

function cycleFields(c: BillingCycle) {
  return {
    cycleCreatedAt: c.date_created ? new Date(c.date_created) : null,
    currency: c.currency_iso_code ?? null,
    amountToSeller: new Prisma.Decimal(c.amount_transferred_to_seller ?? 0),
    amountToOperator: new Prisma.Decimal(c.amount_transferred_to_operator ?? 0),
    payOutState: c.pay_out?.state ?? null,
    payOutReference: c.pay_out?.reference ?? null,
    paidAt: c.pay_out?.transaction_date ? new Date(c.pay_out.transaction_date) : null,
    failureReason: c.pay_out?.failure_reason ?? null,
    voucherNumber: c.payment_voucher_number ?? null,
  };
}

/** The hour's TL02 budget, shared through the database: a slot is taken (and saved) before each call. */
function tl02Budget(services: Services, connectionId: string, calls: Date[]) {
  let used = 0;
  return {
    get used() {
      return used;
    },
    async take(): Promise<boolean> {
      const now = services.now().getTime();
      const recent = calls.filter((d) => d.getTime() > now - HOUR_MS);
      if (recent.length >= TL02_CALLS_PER_HOUR) return false;
      recent.push(new Date(now));
      calls.splice(0, calls.length, ...recent);
      await services.prisma.payoutSyncState.update({
        where: { connectionId },
        data: { tl02Calls: recent },
      });
      used++;
      return true;
    },
  };
}

async function storeLines(services: Services, connectionId: string, lines: TransactionLog[]): Promise<void> {
  for (let i = 0; i < lines.length; i += WRITE_CHUNK) {
    const chunk = lines.slice(i, i + WRITE_CHUNK);
    const values = chunk.map((t) => {
      const order = t.entities?.order;
      return Prisma.sql`(gen_random_uuid()::text, ${connectionId}, ${t.id}, ${t.seller_billing_cycle_id ?? null}, ${t.type},
        ${signedAmount(t).toFixed(2)}::numeric, ${t.currency_iso_code ?? null}, ${order?.id ?? null}, ${t.entities?.order_line?.id ?? null},
        ${t.entities?.refund?.id ?? null}, ${t.payment_state ?? null}, ${t.date_created ? new Date(t.date_created) : null}::timestamp, now(), now())`;
    });
    // Upsert by Mirakl's id: a line read twice (a resumed page, a Refresh) is stored once; its state may move on.
    await services.prisma.$executeRaw`
      INSERT INTO "PayoutTransaction" ("id", "connectionId", "miraklId", "miraklCycleId", "type", "amount", "currency", "miraklOrderId",
        "orderLineId", "miraklRefundId", "paymentState", "dateCreated", "createdAt", "updatedAt")
      VALUES ${Prisma.join(values)}
      ON CONFLICT ("connectionId", "miraklId") DO UPDATE SET
        "miraklCycleId" = COALESCE(EXCLUDED."miraklCycleId", "PayoutTransaction"."miraklCycleId"),
        "paymentState" = EXCLUDED."paymentState", "updatedAt" = now()`;
  }
}

/** SBC11: every payout since the oldest one not yet paid (their state moves), or the lookback on a first sync. */
async function syncCycles(services: Services, connection: MarketplaceConnection): Promise<number> {
  const prisma = services.prisma;
  const [oldestOpen, newest] = await Promise.all([
    prisma.payout.findFirst({
      where: { connectionId: connection.id, NOT: { payOutState: "PAID" } },
      orderBy: { cycleCreatedAt: "asc" },
    }),
    prisma.payout.findFirst({
      where: { connectionId: connection.id },
      orderBy: { cycleCreatedAt: "desc" },
    }),
  ]);
  const from = oldestOpen?.cycleCreatedAt ?? newest?.cycleCreatedAt ?? new Date(services.now().getTime() - FIRST_SYNC_LOOKBACK_DAYS * 24 * HOUR_MS);
  let count = 0;
  for await (const cycle of services.mirakl(connection).iterateBillingCycles({ startDate: from })) {
    const fields = cycleFields(cycle);
    await prisma.payout.upsert({
      where: {
        connectionId_miraklCycleId: {
          connectionId: connection.id,
          miraklCycleId: cycle.id,
        },
      },
      create: {
        connectionId: connection.id,
        shop: connection.shop,
        miraklCycleId: cycle.id,
        ...fields,
      },
      update: fields,
    });
    count++;
  }
  return count;
}

/**
 * TL02 for the payouts whose lines are incomplete, up to 100 cycles per query. Payouts that stopped at the same
 * point form one query, resumed from that point (`date_created_from` is inclusive: the lines at the boundary are
 * read again and the upsert ignores them).
 */
async function syncLines(services: Services, connection: MarketplaceConnection, budget: ReturnType<typeof tl02Budget>): Promise<{ stored: number; pending: number }> {
  const prisma = services.prisma;
  const client = services.mirakl(connection);
  let stored = 0;
  for (;;) {
    const first = await prisma.payout.findFirst({
      where: { connectionId: connection.id, linesStatus: "PENDING" },
      orderBy: [{ cycleCreatedAt: "asc" }, { id: "asc" }],
    });
    if (!first) break;
    const batch = await prisma.payout.findMany({
      where: {
        connectionId: connection.id,
        linesStatus: "PENDING",
        linesCursor: first.linesCursor,
      },
      orderBy: [{ cycleCreatedAt: "asc" }, { id: "asc" }],
      take: CYCLES_PER_CALL,
    });
    const ids = batch.map((p) => p.id);
    const lines = client.iterateTransactionLogs({
      billingCycleId: batch.map((p) => p.miraklCycleId),
      sort: "dateCreated,ASC",
      limit: TL02_PAGE,
      dateCreatedFrom: first.linesCursor ?? undefined,
    });
    const iterator = lines[Symbol.asyncIterator]();
    let buffer: TransactionLog[] = [];
    let read = 0;
    let outOfBudget = false;
    const flush = async () => {
      if (!buffer.length) return;
      await storeLines(services, connection.id, buffer);
      stored += buffer.length;
      const last = buffer[buffer.length - 1]!;
      buffer = [];
      // Everything created before the last stored line is stored: that is where a later run resumes.
      if (last.date_created)
        await prisma.payout.updateMany({
          where: { id: { in: ids } },
          data: { linesCursor: new Date(last.date_created) },
        });
    };
    for (;;) {
      // A new page (a TL02 call) is fetched before the first line and after every full page.
      if (read % TL02_PAGE === 0 && !(await budget.take())) {
        outOfBudget = true;
        break;
      }
      const next = await iterator.next();
      if (next.done) break;
      buffer.push(next.value);
      read++;
      if (buffer.length >= WRITE_CHUNK) await flush();
    }
    await flush();
    if (outOfBudget) {
      await iterator.return?.(undefined);
      log.info("payout lines: TL02 hourly budget used, resuming at the next run", { shop: connection.shop, connectionId: connection.id });
      break;
    }
    const counts = await prisma.payoutTransaction.groupBy({
      by: ["miraklCycleId"],
      where: {
        connectionId: connection.id,
        miraklCycleId: { in: batch.map((p) => p.miraklCycleId) },
      },
      _count: { _all: true },
    });
    const countOf = new Map(counts.map((c) => [c.miraklCycleId, c._count._all]));
    for (const p of batch) {
      await prisma.payout.update({
        where: { id: p.id },
        data: {
          linesStatus: "COMPLETE",
          linesSyncedAt: services.now(),
          lineCount: countOf.get(p.miraklCycleId) ?? 0,
        },
      });
    }
  }
  const pending = await prisma.payout.count({
    where: { connectionId: connection.id, linesStatus: "PENDING" },
  });
  return { stored, pending };
}

/** The payout's own reference for finance (CSV, file name): Mirakl's payout reference, else its voucher, else the cycle id. */
export function payoutReference(p: Pick<Payout, "payOutReference" | "voucherNumber" | "miraklCycleId">): string {
  return p.payOutReference ?? p.voucherNumber ?? p.miraklCycleId;
}

export function payoutLabel(p: Pick<Payout, "payOutReference" | "voucherNumber" | "cycleCreatedAt" | "miraklCycleId">): string {
  return p.payOutReference ?? (p.voucherNumber ? `no. ${p.voucherNumber}` : p.cycleCreatedAt ? `of ${p.cycleCreatedAt.toISOString().slice(0, 10)}` : p.miraklCycleId);
}

/** Recomputes the recent payouts' reports, stores their summary, raises a Task per flag and resolves cleared ones. */
async function refreshPayoutReports({ services, connection }: { services: Services; connection: MarketplaceConnection }): Promise<number> {
  const prisma = services.prisma;
  const payouts = await prisma.payout.findMany({
    where: { connectionId: connection.id },
    orderBy: { cycleCreatedAt: "desc" },
    take: RECOMPUTE_LIMIT,
  });
  const raised = new Set<string>();
  let flags = 0;
  for (const payout of payouts) {
    const report = await loadPayoutReport({ prisma, payout });
    const { orders, ...summary } = report;
    await prisma.payout.update({
      where: { id: payout.id },
      data: {
        orderCount: orders.length,
        flagCount: report.flags.length,
        summary: summary as unknown as Prisma.InputJsonValue,
      },
    });
    const ctx = {
      shop: connection.shop,
      connectionId: connection.id,
      connectionName: connection.name,
      payoutId: payout.id,
      payoutLabel: payoutLabel(payout),
      currency: payout.currency,
    };
    for (const flag of report.flags) {
      const key = payoutTaskKey(connection.id, payout.miraklCycleId, flag);
      if (raised.has(key)) continue;
      raised.add(key);
      await services.tasks.raise(payoutTask(ctx, payout.miraklCycleId, flag));
    }
    flags += report.flags.length;
  }
  // A cause that cleared (the order was imported, Mirakl's refund arrived) resolves its task.
  const open = await prisma.task.findMany({
    where: {
      shop: connection.shop,
      connectionId: connection.id,
      status: "OPEN",
      kind: { in: [...PAYOUT_TASK_KINDS] },
      entityId: { in: payouts.map((p) => p.id) },
    },
    select: { dedupeKey: true },
  });
  for (const t of open)
    if (!raised.has(t.dedupeKey))
      await services.tasks.resolve({
        shop: connection.shop,
        dedupeKey: t.dedupeKey,
        by: "payout-sync",
      });
  return flags;
}

export async function syncPayouts({ services, connection }: { services: Services; connection: MarketplaceConnection }): Promise<PayoutSyncResult> {
  const prisma = services.prisma;
  const state = await prisma.payoutSyncState.upsert({
    where: { connectionId: connection.id },
    create: { connectionId: connection.id },
    update: {},
  });
  await prisma.payoutSyncState.update({
    where: { connectionId: connection.id },
    data: { lastRunAt: services.now() },
  });
  const budget = tl02Budget(services, connection.id, [...state.tl02Calls]);
  try {
    const cycles = await syncCycles(services, connection);
    const lines = await syncLines(services, connection, budget);
    const flags = await refreshPayoutReports({ services, connection });
    await prisma.payoutSyncState.update({
      where: { connectionId: connection.id },
      data: { lastSuccessAt: services.now(), lastError: null },
    });
    log.info("payouts synced", {
      shop: connection.shop,
      connectionId: connection.id,
      cycles,
      linesStored: lines.stored,
      tl02Calls: budget.used,
      pending: lines.pending,
      flags,
    });
    return {
      kind: "synced",
      cycles,
      linesStored: lines.stored,
      tl02Calls: budget.used,
      pendingPayouts: lines.pending,
      flags,
    };
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    await prisma.payoutSyncState
      .update({
        where: { connectionId: connection.id },
        data: { lastError: message },
      })
      .catch(() => undefined);
    log.warn("payout sync failed", {
      shop: connection.shop,
      connectionId: connection.id,
      error: message,
    });
    throw err;
  }
}
