import type { MarketplaceConnection, PrismaClient } from "@prisma/client";
import { computeSkuStock } from "./sku-stock.server";
import { NOT_ON_MIRAKL } from "./mirakl-offers.server";
import { STOCK_TASK_KINDS } from "./task-keys";

/**
 * What the inventory screens show per marketplace: is stock reaching it (last successful file, what waits, what
 * Mirakl refused), what the last reconciliation found, and where the marketplace differs from what it should show,
 * with the computation spelled out. Read-only; built from our own tables (no call to Shopify or Mirakl).
 */
export interface StockHealth {
  lastSuccessfulPush: { completedAt: Date | null; lineCount: number; linesInError: number | null; miraklImportId: string | null } | null;
  /** Dirty and due: will go out with the next file. */
  pending: number;
  /** The longest a due change has been waiting. */
  oldestPendingSince: Date | null;
  /** Dirty but due later (a refused line or file being retried). */
  retrying: number;
  /** Files sent and not yet processed by Mirakl. */
  inFlight: number;
  drifted: number;
  notOnMirakl: number;
  refused: number;
  openTasks: number;
  lastRun: { id: string; status: string; startedAt: Date; finishedAt: Date | null; skuCount: number; differences: number; pushedLines: number; miraklCalls: number; shopifyCalls: number; error: string | null } | null;
  runningRun: boolean;
}

export async function loadStockHealth({ prisma, connection, now }: { prisma: PrismaClient; connection: Pick<MarketplaceConnection, "id" | "shop">; now: Date }): Promise<StockHealth> {
  const id = connection.id;
  const [lastOk, pending, oldest, retrying, inFlight, drifted, notOnMirakl, refused, openTasks, lastRun, running] = await Promise.all([
    prisma.stockImport.findFirst({ where: { connectionId: id, status: "COMPLETE" }, orderBy: { completedAt: "desc" }, select: { completedAt: true, lineCount: true, linesInError: true, miraklImportId: true } }),
    prisma.inventorySku.count({ where: { connectionId: id, dirty: true, dirtySince: { lte: now } } }),
    prisma.inventorySku.findFirst({ where: { connectionId: id, dirty: true, dirtySince: { lte: now } }, orderBy: { dirtySince: "asc" }, select: { dirtySince: true } }),
    prisma.inventorySku.count({ where: { connectionId: id, dirty: true, dirtySince: { gt: now } } }),
    prisma.stockImport.count({ where: { connectionId: id, status: { in: ["SUBMITTING", "WAITING", "RUNNING"] } } }),
    prisma.inventorySku.count({ where: { connectionId: id, lastDrift: { not: 0 } } }),
    prisma.inventorySku.count({ where: { connectionId: id, lastError: NOT_ON_MIRAKL } }),
    prisma.inventorySku.count({ where: { connectionId: id, lastError: { not: null }, NOT: { lastError: NOT_ON_MIRAKL } } }),
    prisma.task.count({ where: { shop: connection.shop, connectionId: id, status: "OPEN", kind: { in: [...STOCK_TASK_KINDS] } } }),
    prisma.reconciliationRun.findFirst({ where: { connectionId: id }, orderBy: { startedAt: "desc" } }),
    prisma.reconciliationRun.count({ where: { connectionId: id, status: "RUNNING", startedAt: { gt: new Date(now.getTime() - 60 * 60_000) } } }),
  ]);
  return {
    lastSuccessfulPush: lastOk,
    pending,
    oldestPendingSince: oldest?.dirtySince ?? null,
    retrying,
    inFlight,
    drifted,
    notOnMirakl,
    refused,
    openTasks,
    lastRun: lastRun
      ? {
          id: lastRun.id,
          status: lastRun.status,
          startedAt: lastRun.startedAt,
          finishedAt: lastRun.finishedAt,
          skuCount: lastRun.skuCount,
          differences: lastRun.differences,
          pushedLines: lastRun.pushedLines,
          miraklCalls: lastRun.miraklCalls,
          shopifyCalls: lastRun.shopifyCalls,
          error: lastRun.error,
        }
      : null,
    runningRun: running > 0,
  };
}

export interface DriftRow {
  offerSku: string;
  /** `available` per chosen location (as the cache holds it). */
  levels: { locationId: string; available: number }[];
  total: number;
  buffer: number;
  expected: number;
  reason: string;
  miraklQty: number | null;
  drift: number;
  driftSeenAt: Date | null;
  /** waiting: queued for the next file; sent: in a file Mirakl has not processed yet; paused. */
  state: "waiting" | "sent" | "retrying" | "found";
}

export interface RefusedRow {
  offerSku: string;
  message: string;
  retryAt: Date | null;
}

export interface ImportRow {
  id: string;
  miraklImportId: string | null;
  status: string;
  lineCount: number;
  linesInError: number | null;
  errorReport: string | null;
  submittedAt: Date;
  completedAt: Date | null;
}

export interface StockDetail {
  health: StockHealth;
  driftRows: DriftRow[];
  refusedRows: RefusedRow[];
  imports: ImportRow[];
}

const MAX_ROWS = 100;

export async function loadStockDetail({
  prisma,
  connection,
  now,
}: {
  prisma: PrismaClient;
  connection: Pick<MarketplaceConnection, "id" | "shop" | "locationIds" | "safetyStockMode" | "safetyStockValue">;
  now: Date;
}): Promise<StockDetail> {
  const health = await loadStockHealth({ prisma, connection, now });
  const drifted = await prisma.inventorySku.findMany({
    where: { connectionId: connection.id, lastDrift: { not: 0 } },
    orderBy: { driftSeenAt: "desc" },
    take: MAX_ROWS,
    select: { offerSku: true, miraklQty: true, lastDrift: true, driftSeenAt: true, dirty: true, dirtySince: true, lastImportId: true },
  });
  const inFlight = new Set(
    (await prisma.stockImport.findMany({ where: { connectionId: connection.id, status: { in: ["SUBMITTING", "WAITING", "RUNNING"] } }, select: { id: true } })).map((i) => i.id),
  );
  const stock = await computeSkuStock({ prisma, connection, offerSkus: drifted.map((d) => d.offerSku) });
  const driftRows: DriftRow[] = drifted.map((d) => {
    const s = stock.get(d.offerSku);
    return {
      offerSku: d.offerSku,
      levels: s?.levels ?? [],
      total: s?.breakdown.total ?? 0,
      buffer: s?.breakdown.buffer ?? 0,
      expected: s?.breakdown.quantity ?? 0,
      reason: s?.breakdown.reason ?? "unmapped",
      miraklQty: d.miraklQty,
      drift: d.lastDrift ?? 0,
      driftSeenAt: d.driftSeenAt,
      state: d.dirty ? (d.dirtySince && d.dirtySince > now ? "retrying" : "waiting") : d.lastImportId && inFlight.has(d.lastImportId) ? "sent" : "found",
    };
  });
  const refused = await prisma.inventorySku.findMany({
    where: { connectionId: connection.id, lastError: { not: null } },
    orderBy: { updatedAt: "desc" },
    take: MAX_ROWS,
    select: { offerSku: true, lastError: true, dirty: true, dirtySince: true },
  });
  const imports = await prisma.stockImport.findMany({
    where: { connectionId: connection.id },
    orderBy: { submittedAt: "desc" },
    take: 10,
    select: { id: true, miraklImportId: true, status: true, lineCount: true, linesInError: true, errorReport: true, submittedAt: true, completedAt: true },
  });
  return {
    health,
    driftRows,
    refusedRows: refused.map((r) => ({ offerSku: r.offerSku, message: r.lastError ?? "", retryAt: r.dirty && r.dirtySince && r.dirtySince > now ? r.dirtySince : null })),
    imports,
  };
}
