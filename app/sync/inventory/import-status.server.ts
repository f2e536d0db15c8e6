import type { MarketplaceConnection, PrismaClient, StockImport } from "@prisma/client";
import { z } from "zod";
import type { Services } from "../../services.server";
import { MiraklRequestError, type StockErrorRow } from "../../mirakl";
import { logger } from "../../lib/logger";
import { recordEvent } from "../timeline.server";
import { matchErrorRows, type SentLine } from "./error-lines";
import { delaySecondsFor } from "./pacing";
import { INVENTORY_IMPORT_STATUS_JOB, INVENTORY_PUSH_JOB, RETRY_REFUSED_AFTER_MS, STATUS_POLL_SECONDS } from "./job-names";
import { chunked, iso, ROWS_PER_STATEMENT, utc } from "./sql";
import { stockImportErrorsSummaryTaskKey, stockImportErrorTaskKey, stockImportFailedTaskKey } from "./task-keys";

const log = logger.child({ module: "inventory-import-status" });

/** One Task per refused offer up to this many per import; the rest are summed up in one Task. */
export const MAX_SKU_TASKS_PER_IMPORT = 100;
/** Mirakl queues imports at peak times, but one still WAITING after this long is treated as lost (its SKUs go again). */
export const IMPORT_GIVE_UP_MS = 6 * 60 * 60_000;
/** This many FAILED imports in a row become a Task: the marketplace is not taking our stock at all. */
export const FAILED_IMPORTS_FOR_TASK = 3;

const linesSchema = z.array(z.object({ offerSku: z.string(), quantity: z.number().int() }));

export type ImportStatusOutcome =
  | { kind: "ignored"; reason: string }
  | { kind: "pending"; status: string; delaySeconds: number }
  | { kind: "complete"; linesInSuccess: number; linesInError: number; tasksRaised: number; tasksResolved: number }
  | { kind: "failed"; reason: string; redirtied: number };

/**
 * inventory.import-status: follows one STO01 import to its end. STO01 only queues the file (notes gotcha 12): STO02
 * says WAITING → RUNNING → COMPLETE | FAILED (at most every 15 s), STO03 lists the refused lines (at most once a
 * minute). COMPLETE: the quantities of the accepted lines are now Mirakl's (pushedQty, miraklQty), each refused line
 * becomes a Task for that SKU and is tried again later. FAILED: every line is marked dirty again.
 * Re-running it is harmless: the terminal update is conditional on the import not being terminal yet, and every
 * SKU update is keyed on the import that carried the SKU.
 */
export async function followStockImport({ services, stockImportId }: { services: Services; stockImportId: string }): Promise<ImportStatusOutcome> {
  const { prisma } = services;
  const imp = await prisma.stockImport.findUnique({ where: { id: stockImportId } });
  if (!imp) return { kind: "ignored", reason: "import not found" };
  if (imp.status === "COMPLETE" || imp.status === "FAILED") return { kind: "ignored", reason: `already ${imp.status.toLowerCase()}` };
  const connection = await prisma.marketplaceConnection.findUnique({ where: { id: imp.connectionId } });
  if (!connection) return { kind: "ignored", reason: "connection deleted" };
  const now = services.now();
  if (!imp.miraklImportId) {
    // SUBMITTING with no id: the worker died between the call and recording its answer. Its SKUs were never
    // cleared (that happens after the id is stored), so they go out again with the next file.
    if (now.getTime() - imp.submittedAt.getTime() < 10 * 60_000) return { kind: "pending", status: imp.status, delaySeconds: 0 };
    await prisma.stockImport.updateMany({ where: { id: imp.id, status: "SUBMITTING" }, data: { status: "FAILED", completedAt: now, errorReport: "No import id was recorded for this file (interrupted while sending): its quantities went out again with a later file." } });
    return { kind: "failed", reason: "interrupted while sending", redirtied: 0 };
  }

  const client = services.mirakl(connection);
  const again = (delayMs: number, status: string): Promise<ImportStatusOutcome> => requeue({ services, imp, connection, delayMs, status });

  // linesInError set while not yet COMPLETE: Mirakl finished, only the error report (STO03) is still to read.
  let linesInError = imp.linesInError;
  if (linesInError === null) {
    const wait = client.nextAllowedAt("STO02") - Date.now();
    if (wait > 250) return again(wait, imp.status);
    let status: Awaited<ReturnType<typeof client.getStockImportStatus>>;
    try {
      status = await client.getStockImportStatus(imp.miraklImportId);
    } catch (err) {
      if (err instanceof MiraklRequestError && err.status === 404) return importFailed({ services, connection, imp, reason: "Mirakl does not know this import any more", now });
      throw err;
    }
    const state = status.status.toUpperCase();
    if (state === "FAILED") return importFailed({ services, connection, imp, reason: "Mirakl could not process the stock file (STO02 status FAILED)", now });
    if (state !== "COMPLETE") {
      if (now.getTime() - imp.submittedAt.getTime() > IMPORT_GIVE_UP_MS) return importFailed({ services, connection, imp, reason: `Mirakl had not processed the file after ${IMPORT_GIVE_UP_MS / 3_600_000} hours`, now });
      if (state === "WAITING" || state === "RUNNING") await prisma.stockImport.updateMany({ where: { id: imp.id, status: { in: ["WAITING", "RUNNING"] } }, data: { status: state } });
      return again(STATUS_POLL_SECONDS * 1000, state);
    }
    linesInError = Math.max(0, status.lines_in_error ?? 0);
    if (linesInError > 0 || status.has_error_report === true) {
      await prisma.stockImport.updateMany({ where: { id: imp.id, status: { in: ["WAITING", "RUNNING"] } }, data: { status: "RUNNING", linesInError } });
    }
  }

  let errorRows: StockErrorRow[] = [];
  if (linesInError > 0) {
    const wait = client.nextAllowedAt("STO03") - Date.now();
    if (wait > 250) return again(wait, "RUNNING");
    try {
      errorRows = await client.getStockImportErrorReport(imp.miraklImportId);
    } catch (err) {
      // No report although lines failed: the lines cannot be told apart, so all of them are tried again.
      if (err instanceof MiraklRequestError && err.status === 404) return importFailed({ services, connection, imp, reason: `${linesInError} line(s) failed and Mirakl has no error report for them`, now });
      throw err;
    }
  }
  return importComplete({ services, connection, imp, errorRows, now });
}

async function requeue({ services, imp, connection, delayMs, status }: { services: Services; imp: StockImport; connection: MarketplaceConnection; delayMs: number; status: string }): Promise<ImportStatusOutcome> {
  const delaySeconds = delaySecondsFor(delayMs);
  // Stately per import: this runs inside the job itself, which pg-boss allows (one queued beside one active).
  await services.jobs.enqueueByName(INVENTORY_IMPORT_STATUS_JOB, { shop: connection.shop, connectionId: connection.id, stockImportId: imp.id }, { delaySeconds });
  return { kind: "pending", status, delaySeconds };
}

async function importComplete({
  services,
  connection,
  imp,
  errorRows,
  now,
}: {
  services: Services;
  connection: MarketplaceConnection;
  imp: StockImport;
  errorRows: StockErrorRow[];
  now: Date;
}): Promise<ImportStatusOutcome> {
  const { prisma } = services;
  const lines = parseLines(imp);
  const { bySku, unmatched } = matchErrorRows({ lines, rows: errorRows });
  const ok = lines.filter((l) => !bySku.has(l.offerSku));
  await settleAccepted({ prisma, connectionId: connection.id, importId: imp.id, lines: ok, now });
  await settleRefused({ prisma, connectionId: connection.id, importId: imp.id, errors: bySku, now });

  let tasksRaised = 0;
  const refused = [...bySku];
  for (const [sku, message] of refused.slice(0, MAX_SKU_TASKS_PER_IMPORT)) {
    const sent = lines.find((l) => l.offerSku === sku);
    await services.tasks.raise({
      shop: connection.shop,
      connectionId: connection.id,
      dedupeKey: stockImportErrorTaskKey(connection.id, sku),
      kind: "stock_import_error",
      severity: "warning",
      title: `${connection.name} refused the stock of ${sku}`,
      body: `Mirakl answered: "${message}". ${connection.name} still shows its previous quantity for this offer, so it may sell units you no longer have, or miss sales${sent ? ` (we tried to set ${sent.quantity})` : ""}. If the offer does not exist on ${connection.name}, create it in the Mirakl back office or unmap ${sku}; otherwise correct what the message says. We try again every ${Math.round(RETRY_REFUSED_AFTER_MS / 60_000)} minutes and close this task once Mirakl accepts the quantity.`,
      actionLabel: "Open inventory",
      actionUrl: `/app/inventory/${connection.id}`,
      entityType: "stock",
      entityId: sku,
      data: { offerSku: sku, miraklImportId: imp.miraklImportId, message },
    });
    tasksRaised++;
    await recordEvent(prisma, {
      shop: connection.shop,
      connectionId: connection.id,
      entityType: "stock",
      entityId: `${connection.id}:${sku}`,
      kind: "stock_line_refused",
      level: "warning",
      message: `Mirakl refused the quantity${sent ? ` ${sent.quantity}` : ""}: ${message}`,
      data: { miraklImportId: imp.miraklImportId },
    });
  }
  const overflow = refused.length - tasksRaised + unmatched.length;
  if (overflow > 0) {
    await services.tasks.raise({
      shop: connection.shop,
      connectionId: connection.id,
      dedupeKey: stockImportErrorsSummaryTaskKey(connection.id),
      kind: "stock_import_error",
      severity: "warning",
      title: `${connection.name} refused ${overflow} more stock line${overflow === 1 ? "" : "s"}`,
      body: `Mirakl refused ${refused.length + unmatched.length} lines of stock file ${imp.miraklImportId}; the first ${tasksRaised} have their own task. The inventory page lists every refused line with Mirakl's reason. Those offers keep their previous quantity on ${connection.name} until fixed; we try again every ${Math.round(RETRY_REFUSED_AFTER_MS / 60_000)} minutes.`,
      actionLabel: "Open inventory",
      actionUrl: `/app/inventory/${connection.id}`,
    });
  } else {
    await services.tasks.resolve({ shop: connection.shop, dedupeKey: stockImportErrorsSummaryTaskKey(connection.id) });
  }

  // The cause of an open per-SKU Task is gone once Mirakl accepted that SKU's quantity.
  let tasksResolved = 0;
  const accepted = new Set(ok.map((l) => l.offerSku));
  const open = await prisma.task.findMany({ where: { shop: connection.shop, connectionId: connection.id, kind: "stock_import_error", status: "OPEN" }, select: { dedupeKey: true, entityId: true } });
  for (const t of open) {
    if (t.entityId && accepted.has(t.entityId) && (await services.tasks.resolve({ shop: connection.shop, dedupeKey: t.dedupeKey }))) tasksResolved++;
  }

  const report = [
    ...refused.map(([sku, message]) => `${sku}: ${message}`),
    ...unmatched.map((r) => `line ${r.errorLine ?? "?"}: ${r.errorMessage}`),
  ];
  const done = await prisma.stockImport.updateMany({
    where: { id: imp.id, status: { in: ["SUBMITTING", "WAITING", "RUNNING"] } },
    data: { status: "COMPLETE", linesInError: refused.length + unmatched.length, errorReport: report.length ? report.slice(0, 500).join("\n") : null, completedAt: now },
  });
  await services.tasks.resolve({ shop: connection.shop, dedupeKey: stockImportFailedTaskKey(connection.id) });
  if (done.count > 0) {
    await recordEvent(prisma, {
      shop: connection.shop,
      connectionId: connection.id,
      entityType: "stock",
      entityId: connection.id,
      kind: "stock_import_complete",
      level: refused.length > 0 ? "warning" : "success",
      message: `${connection.name} applied ${ok.length} of ${lines.length} quantities (Mirakl import ${imp.miraklImportId})${refused.length ? `; ${refused.length} refused` : ""}`,
      data: { stockImportId: imp.id, accepted: ok.length, refused: refused.length },
    });
  }
  log.info("stock import complete", { shop: connection.shop, connectionId: connection.id, miraklImportId: imp.miraklImportId, accepted: ok.length, refused: refused.length });
  return { kind: "complete", linesInSuccess: ok.length, linesInError: refused.length + unmatched.length, tasksRaised, tasksResolved };
}

async function importFailed({
  services,
  connection,
  imp,
  reason,
  now,
}: {
  services: Services;
  connection: MarketplaceConnection;
  imp: StockImport;
  reason: string;
  now: Date;
}): Promise<ImportStatusOutcome> {
  const { prisma } = services;
  const recent = await prisma.stockImport.findMany({
    where: { connectionId: connection.id, miraklImportId: { not: null }, id: { not: imp.id } },
    orderBy: { submittedAt: "desc" },
    take: FAILED_IMPORTS_FOR_TASK - 1,
    select: { status: true },
  });
  const failingInARow = recent.length === FAILED_IMPORTS_FOR_TASK - 1 && recent.every((r) => r.status === "FAILED");
  // The same file failing every minute helps nobody: after a run of failures, wait before the next attempt.
  const dueAt = failingInARow ? new Date(now.getTime() + RETRY_REFUSED_AFTER_MS) : now;
  const redirtied = await prisma.$executeRawUnsafe(
    `UPDATE "InventorySku" SET "dirty" = true, "dirtySince" = ${utc("$3")}, "updatedAt" = GREATEST(${utc("$4")}, "updatedAt" + interval '1 millisecond')
     WHERE "connectionId" = $1 AND "lastImportId" = $2 AND NOT "dirty"`,
    connection.id,
    imp.id,
    iso(dueAt),
    iso(now),
  );
  await prisma.stockImport.updateMany({ where: { id: imp.id, status: { in: ["SUBMITTING", "WAITING", "RUNNING"] } }, data: { status: "FAILED", completedAt: now, errorReport: reason } });
  if (failingInARow) {
    await services.tasks.raise({
      shop: connection.shop,
      connectionId: connection.id,
      dedupeKey: stockImportFailedTaskKey(connection.id),
      kind: "stock_import_failed",
      severity: "critical",
      title: `${connection.name}: the last ${FAILED_IMPORTS_FOR_TASK} stock files failed at Mirakl`,
      body: `Mirakl accepted our stock files but could not process them (${reason}). ${connection.name} keeps showing old quantities meanwhile, so it can sell stock you no longer have. If this goes on, ask the marketplace's support to look at your stock imports (the import ids are on the inventory page). We keep trying every ${Math.round(RETRY_REFUSED_AFTER_MS / 60_000)} minutes; this task closes by itself when a file goes through.`,
      actionLabel: "Open inventory",
      actionUrl: `/app/inventory/${connection.id}`,
      entityType: "connection",
      entityId: connection.id,
    });
  }
  await recordEvent(prisma, {
    shop: connection.shop,
    connectionId: connection.id,
    entityType: "stock",
    entityId: connection.id,
    kind: "stock_import_failed",
    level: "error",
    message: `Stock file ${imp.miraklImportId ?? "(no id)"} failed at ${connection.name}: ${reason}. Its ${imp.lineCount} quantities will be sent again.`,
    data: { stockImportId: imp.id },
  });
  await services.jobs.enqueueByName(INVENTORY_PUSH_JOB, { shop: connection.shop, connectionId: connection.id });
  log.warn("stock import failed", { shop: connection.shop, connectionId: connection.id, miraklImportId: imp.miraklImportId, reason, redirtied });
  return { kind: "failed", reason, redirtied };
}

/**
 * Accepted lines: Mirakl now shows exactly these quantities. Only rows still tied to this import are touched (a
 * later file supersedes this one). A drift found by the last reconciliation is cleared when what Mirakl shows is
 * what we computed.
 */
async function settleAccepted({ prisma, connectionId, importId, lines, now }: { prisma: PrismaClient; connectionId: string; importId: string; lines: SentLine[]; now: Date }): Promise<void> {
  for (const chunk of chunked(lines, ROWS_PER_STATEMENT)) {
    await prisma.$executeRawUnsafe(
      `UPDATE "InventorySku" AS s SET "pushedQty" = v.quantity, "pushedAt" = ${utc("$3")}, "miraklQty" = v.quantity, "miraklSeenAt" = ${utc("$3")},
         "lastDrift" = CASE WHEN s."computedQty" = v.quantity THEN 0 ELSE s."lastDrift" END,
         "lastError" = NULL, "updatedAt" = GREATEST(${utc("$3")}, s."updatedAt" + interval '1 millisecond')
       FROM jsonb_to_recordset($1::jsonb) AS v("offerSku" text, quantity int)
       WHERE s."connectionId" = $2 AND s."offerSku" = v."offerSku" AND s."lastImportId" = $4`,
      JSON.stringify(chunk),
      connectionId,
      iso(now),
      importId,
    );
  }
}

/** Refused lines: Mirakl kept its old quantity; the SKU is tried again later (sooner if it changes meanwhile). */
async function settleRefused({ prisma, connectionId, importId, errors, now }: { prisma: PrismaClient; connectionId: string; importId: string; errors: Map<string, string>; now: Date }): Promise<void> {
  const rows = [...errors].map(([offerSku, message]) => ({ offerSku, message: message.slice(0, 1000) }));
  const retryAt = new Date(now.getTime() + RETRY_REFUSED_AFTER_MS);
  for (const chunk of chunked(rows, ROWS_PER_STATEMENT)) {
    await prisma.$executeRawUnsafe(
      `UPDATE "InventorySku" AS s SET "pushedQty" = NULL, "lastError" = v.message, "dirty" = true,
         "dirtySince" = CASE WHEN s."dirty" THEN s."dirtySince" ELSE ${utc("$3")} END,
         "updatedAt" = GREATEST(${utc("$4")}, s."updatedAt" + interval '1 millisecond')
       FROM jsonb_to_recordset($1::jsonb) AS v("offerSku" text, message text)
       WHERE s."connectionId" = $2 AND s."offerSku" = v."offerSku" AND s."lastImportId" = $5`,
      JSON.stringify(chunk),
      connectionId,
      iso(retryAt),
      iso(now),
      importId,
    );
  }
}

function parseLines(imp: StockImport): SentLine[] {
  const parsed = linesSchema.safeParse(imp.lines);
  return parsed.success ? parsed.data : [];
}
