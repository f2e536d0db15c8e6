import type { MarketplaceConnection, PrismaClient } from "@prisma/client";
import type { Services } from "../../services.server";
import { MiraklError } from "../../mirakl";
import { errorMessage, isRetryable } from "../../lib/errors";
import { logger } from "../../lib/logger";
import { recordEvent } from "../timeline.server";
import { computeSkuStock, type SkuStock } from "./sku-stock.server";
import { selectStockLines } from "./stock-lines";
import { delaySecondsFor, stockPushWaitMs } from "./pacing";
import { readLevelsByItems } from "./shopify-levels.server";
import { FIRST_STATUS_POLL_SECONDS, INVENTORY_IMPORT_STATUS_JOB, INVENTORY_PUSH_JOB, INVENTORY_RECONCILE_JOB, RETRY_REFUSED_AFTER_MS } from "./job-names";
import { chunked, iso, ROWS_PER_STATEMENT, utc } from "./sql";
import { stockPushFailedTaskKey } from "./task-keys";
import { stockFileDelimiter } from "./stock-file-delimiter";

const log = logger.child({ module: "inventory-push" });

/**
 * One stock file (STO01) holds at most this many lines; more dirty SKUs go into the next file a minute later.
 * A 100,000-line stock CSV is about 3 MB.
 */
export const MAX_LINES_PER_IMPORT = 100_000;
/** A cold cache (levels never seen) is filled by id for up to this many items; beyond, a reconciliation does it in bulk. */
export const COLD_FILL_MAX_ITEMS = 500;

export type PushOutcome =
  | { kind: "ignored"; reason: string }
  | { kind: "paused" }
  /** No Shopify location chosen yet: nothing is sent (see scheduler.server.ts), the SKUs wait. */
  | { kind: "not_configured" }
  | { kind: "nothing_due" }
  /** Dirty SKUs were recomputed and none differs from what Mirakl was last told: no file (the loop guard). */
  | { kind: "in_step"; checked: number }
  | { kind: "deferred"; reason: "pacing"; delaySeconds: number; lines: number }
  | { kind: "submitted"; stockImportId: string; miraklImportId: string; lines: number; checked: number; more: boolean; shopifyCalls: number }
  /** Mirakl refused the file itself (not a line of it): a Task says why; the SKUs are tried again later. */
  | { kind: "refused"; message: string; lines: number };

interface DueRow {
  id: string;
  offerSku: string;
  pushedQty: number | null;
  dirtySince: Date | null;
  updatedAt: Date;
}

/**
 * inventory.push: sends one connection's changed quantities to Mirakl, stock only (STO01, never OF24, which resets
 * every field it is not sent, nor OF01 REPLACE, which deletes every offer not in the file: seller-api-notes gotcha 11).
 *
 * 1. Take the due dirty SKUs and compute what the marketplace should show from the StockLevel cache.
 * 2. Keep only quantities that differ from what Mirakl was last told (our own pushes echo back as webhooks).
 * 3. Respect one import a minute per marketplace: claim the connection's slot atomically or defer.
 * 4. Send the file, record the StockImport, clear dirty only on rows nobody re-dirtied meanwhile, and let
 *    inventory.import-status follow it (STO02/STO03). Until a COMPLETE import covers a SKU, pushedQty keeps the
 *    old value, and a failed import marks its SKUs dirty again: a change is never lost.
 */
export async function pushStock({ services, connectionId }: { services: Services; connectionId: string }): Promise<PushOutcome> {
  const { prisma } = services;
  const connection = await prisma.marketplaceConnection.findUnique({ where: { id: connectionId } });
  if (!connection) return { kind: "ignored", reason: "connection deleted" };
  if (connection.paused) return { kind: "paused" };
  // A connection fresh from the connect flow has no location yet: offering 0 everywhere until the merchant picks
  // them would take every offer off the marketplace. Nothing is sent until then (a Task asks for the choice).
  if (connection.locationIds.length === 0) return { kind: "not_configured" };
  const ctx = { shop: connection.shop, connectionId: connection.id };
  const now = services.now();

  const due: DueRow[] = await prisma.inventorySku.findMany({
    where: { connectionId: connection.id, dirty: true, dirtySince: { lte: now } },
    orderBy: { dirtySince: "asc" },
    take: MAX_LINES_PER_IMPORT,
    select: { id: true, offerSku: true, pushedQty: true, dirtySince: true, updatedAt: true },
  });
  if (due.length === 0) return { kind: "nothing_due" };

  const { stock, skipped, shopifyCalls } = await computeWithWarmCache({ services, connection, offerSkus: due.map((d) => d.offerSku) });
  const considered = due.filter((d) => !skipped.has(d.offerSku));
  const expected = new Map([...stock].map(([sku, s]) => [sku, { managed: s.managed, quantity: s.breakdown.quantity }]));
  const selection = selectStockLines({ due: considered, expected, maxLines: MAX_LINES_PER_IMPORT });
  const rowBySku = new Map(considered.map((d) => [d.offerSku, d]));

  // Unchanged and ignored SKUs are settled without a call; a row re-dirtied meanwhile keeps its flag.
  await clearDirty({
    prisma,
    now,
    rows: [
      ...selection.unchanged.map((u) => ({ row: rowBySku.get(u.offerSku), qty: u.quantity })),
      ...selection.unmanaged.map((sku) => ({ row: rowBySku.get(sku), qty: null })),
    ],
    importId: null,
  });
  if (selection.lines.length === 0) {
    log.debug("stock in step, nothing sent", { ...ctx, checked: considered.length });
    return { kind: "in_step", checked: considered.length };
  }

  const client = services.mirakl(connection);
  const wait = stockPushWaitMs({
    nowMs: now.getTime(),
    lastPushAtMs: connection.lastStockPushAt?.getTime() ?? null,
    intervalSeconds: connection.stockPushIntervalSeconds,
    clientWaitMs: client.nextAllowedAt("STO01") - Date.now(),
  });
  if (wait > 0) return defer({ services, connection, waitMs: wait, lines: selection.lines.length });
  // The slot is claimed in the database so that two workers (a webhook-driven push and a reconciliation) never
  // send two files within Mirakl's minute.
  const claimed = await prisma.marketplaceConnection.updateMany({
    where: {
      id: connection.id,
      OR: [{ lastStockPushAt: null }, { lastStockPushAt: { lte: new Date(now.getTime() - Math.max(0, connection.stockPushIntervalSeconds) * 1000) } }],
    },
    data: { lastStockPushAt: now },
  });
  if (claimed.count === 0) return defer({ services, connection, waitMs: Math.max(1, connection.stockPushIntervalSeconds) * 1000, lines: selection.lines.length });

  const stockImport = await prisma.stockImport.create({
    data: { connectionId: connection.id, status: "SUBMITTING", lineCount: selection.lines.length, lines: selection.lines },
  });
  let miraklImportId: string;
  try {
    ({ importId: miraklImportId } = await client.importStock({ lines: selection.lines, delimiter: stockFileDelimiter(connection.platformConfig) }));
  } catch (err) {
    return submitFailed({ services, connection, stockImportId: stockImport.id, err, rows: selection.lines.map((l) => rowBySku.get(l.offerSku)), now });
  }

  await prisma.stockImport.update({ where: { id: stockImport.id }, data: { miraklImportId, status: "WAITING" } });
  await clearDirty({ prisma, now, rows: selection.lines.map((l) => ({ row: rowBySku.get(l.offerSku), qty: l.quantity })), importId: stockImport.id });
  await services.tasks.resolve({ shop: connection.shop, dedupeKey: stockPushFailedTaskKey(connection.id) });
  await services.jobs.enqueueByName(
    INVENTORY_IMPORT_STATUS_JOB,
    { shop: connection.shop, connectionId: connection.id, stockImportId: stockImport.id },
    { delaySeconds: FIRST_STATUS_POLL_SECONDS },
  );
  await recordEvent(prisma, {
    ...ctx,
    entityType: "stock",
    entityId: connection.id,
    kind: "stock_sent",
    message: `Sent ${selection.lines.length} stock quantit${selection.lines.length === 1 ? "y" : "ies"} to ${connection.name} (Mirakl import ${miraklImportId})`,
    data: { stockImportId: stockImport.id, miraklImportId, lines: selection.lines.length, sample: selection.lines.slice(0, 20) },
  });
  const more = due.length >= MAX_LINES_PER_IMPORT || skipped.size > 0;
  if (more) await services.jobs.enqueueByName(INVENTORY_PUSH_JOB, ctx, { delaySeconds: delaySecondsFor(Math.max(1, connection.stockPushIntervalSeconds) * 1000) });
  log.info("stock file sent", { ...ctx, miraklImportId, lines: selection.lines.length, checked: considered.length });
  return { kind: "submitted", stockImportId: stockImport.id, miraklImportId, lines: selection.lines.length, checked: considered.length, more, shopifyCalls };
}

/**
 * Computes from the cache, reading once from Shopify the levels it has never seen (a new mapping, a new location):
 * counting an unseen location as zero would take stock off the marketplace for nothing.
 */
async function computeWithWarmCache({
  services,
  connection,
  offerSkus,
}: {
  services: Services;
  connection: MarketplaceConnection;
  offerSkus: string[];
}): Promise<{ stock: Map<string, SkuStock>; skipped: Set<string>; shopifyCalls: number }> {
  const stock = await computeSkuStock({ prisma: services.prisma, connection, offerSkus });
  const cold = [...stock.values()].filter((s) => s.matchStatus === "MATCHED" && s.inventoryItemId && s.missingLocationIds.length > 0);
  if (cold.length === 0) return { stock, skipped: new Set(), shopifyCalls: 0 };
  const items = [...new Set(cold.map((s) => s.inventoryItemId as string))];
  if (items.length > COLD_FILL_MAX_ITEMS) {
    // Too many to read one by one: a reconciliation reads the catalogue in bulk, and these SKUs wait for it.
    await services.jobs.enqueueByName(INVENTORY_RECONCILE_JOB, { shop: connection.shop, connectionId: connection.id, trigger: "cold-cache" });
    return { stock, skipped: new Set(cold.map((s) => s.offerSku)), shopifyCalls: 0 };
  }
  const read = await readLevelsByItems({ services, connection, inventoryItemIds: items });
  const again = await computeSkuStock({ prisma: services.prisma, connection, offerSkus: cold.map((s) => s.offerSku) });
  for (const [sku, s] of again) stock.set(sku, s);
  return { stock, skipped: new Set(), shopifyCalls: read.calls };
}

async function defer({ services, connection, waitMs, lines }: { services: Services; connection: MarketplaceConnection; waitMs: number; lines: number }): Promise<PushOutcome> {
  const delaySeconds = delaySecondsFor(waitMs);
  await services.jobs.enqueueByName(INVENTORY_PUSH_JOB, { shop: connection.shop, connectionId: connection.id }, { delaySeconds });
  log.debug("stock push deferred to respect Mirakl's one import a minute", { shop: connection.shop, connectionId: connection.id, delaySeconds, lines });
  return { kind: "deferred", reason: "pacing", delaySeconds, lines };
}

/**
 * STO01 failed. A 429, a 5xx or a timeout is thrown again for the job runner to retry (the SKUs are still dirty).
 * After a 5xx or a timeout the file may have been applied: unlike OR28/OR30, sending the same absolute quantities
 * again cannot double anything, so no re-read is needed before the retry. A refusal (4xx) would fail the same way
 * every minute: it becomes a Task and the SKUs are tried again in RETRY_REFUSED_AFTER_MS.
 */
async function submitFailed({
  services,
  connection,
  stockImportId,
  err,
  rows,
  now,
}: {
  services: Services;
  connection: MarketplaceConnection;
  stockImportId: string;
  err: unknown;
  rows: (DueRow | undefined)[];
  now: Date;
}): Promise<PushOutcome> {
  const { prisma } = services;
  const mayHaveApplied = err instanceof MiraklError && err.details?.writeMayHaveApplied === true;
  const reason = errorMessage(err);
  await prisma.stockImport.update({
    where: { id: stockImportId },
    data: {
      status: "FAILED",
      completedAt: services.now(),
      errorReport: mayHaveApplied
        ? `Mirakl's answer was lost (${reason}). The file may have been applied; the same quantities go out again with the next file.`
        : `Mirakl did not take the file: ${reason}`,
    },
  });
  if (isRetryable(err)) throw err;
  await postpone({ prisma, rows, until: new Date(now.getTime() + RETRY_REFUSED_AFTER_MS), now });
  await services.tasks.raise({
    shop: connection.shop,
    connectionId: connection.id,
    dedupeKey: stockPushFailedTaskKey(connection.id),
    kind: "stock_push_failed",
    severity: "critical",
    title: `${connection.name}: stock updates are not reaching the marketplace`,
    body: `Mirakl refused our stock file: ${reason}. Until this is fixed, ${connection.name} keeps showing old quantities, so it can sell stock you no longer have. If the message mentions the API key, update it in the marketplace settings. We try again every ${Math.round(RETRY_REFUSED_AFTER_MS / 60_000)} minutes and close this task as soon as a file is accepted.`,
    actionLabel: "Open inventory",
    actionUrl: `/app/inventory/${connection.id}`,
    entityType: "connection",
    entityId: connection.id,
  });
  log.warn("stock file refused", { shop: connection.shop, connectionId: connection.id, error: reason });
  return { kind: "refused", message: reason, lines: rows.length };
}

/**
 * Compare-and-clear: only rows still exactly as read (same dirtySince and updatedAt) are cleared; a row re-marked
 * while this push ran stays dirty for the next one. `importId` ties the rows to the import that carries them.
 */
async function clearDirty({ prisma, rows, importId, now }: { prisma: PrismaClient; rows: { row: DueRow | undefined; qty: number | null }[]; importId: string | null; now: Date }): Promise<number> {
  const items = rows.flatMap(({ row, qty }) => (row && row.dirtySince ? [{ id: row.id, qty, seen: iso(row.dirtySince), ver: iso(row.updatedAt) }] : []));
  let n = 0;
  for (const chunk of chunked(items, ROWS_PER_STATEMENT)) {
    n += await prisma.$executeRawUnsafe(
      `UPDATE "InventorySku" AS s SET "dirty" = false, "computedQty" = v.qty, "lastImportId" = COALESCE($2, s."lastImportId"),
         "updatedAt" = GREATEST(${utc("$3")}, s."updatedAt" + interval '1 millisecond')
       FROM jsonb_to_recordset($1::jsonb) AS v(id text, qty int, seen text, ver text)
       WHERE s."id" = v.id AND s."dirty" AND s."dirtySince" = ${utc("v.seen")} AND s."updatedAt" = ${utc("v.ver")}`,
      JSON.stringify(chunk),
      importId,
      iso(now),
    );
  }
  return n;
}

/** A refused file: its SKUs stay dirty but are due again only later (unless a real change brings them forward). */
async function postpone({ prisma, rows, until, now }: { prisma: PrismaClient; rows: (DueRow | undefined)[]; until: Date; now: Date }): Promise<void> {
  const items = rows.flatMap((row) => (row && row.dirtySince ? [{ id: row.id, seen: iso(row.dirtySince), ver: iso(row.updatedAt) }] : []));
  for (const chunk of chunked(items, ROWS_PER_STATEMENT)) {
    await prisma.$executeRawUnsafe(
      `UPDATE "InventorySku" AS s SET "dirtySince" = ${utc("$2")}, "updatedAt" = GREATEST(${utc("$3")}, s."updatedAt" + interval '1 millisecond')
       FROM jsonb_to_recordset($1::jsonb) AS v(id text, seen text, ver text)
       WHERE s."id" = v.id AND s."dirty" AND s."dirtySince" = ${utc("v.seen")} AND s."updatedAt" = ${utc("v.ver")}`,
      JSON.stringify(chunk),
      iso(until),
      iso(now),
    );
  }
}
