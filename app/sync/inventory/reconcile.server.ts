import type { MarketplaceConnection, Prisma, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { Services } from "../../services.server";
import { errorMessage } from "../../lib/errors";
import { logger } from "../../lib/logger";
import { recordEvent } from "../timeline.server";
import { computeSkuStock, MAPPING_FOR_STOCK, type MappingForStock } from "./sku-stock.server";
import { planMiraklRead, planShopifyRead, type MiraklReadPlan } from "./read-plan";
import { readLevelsByItems, readLevelsInBulk } from "./shopify-levels.server";
import { NOT_ON_MIRAKL, readMiraklOffers, type MiraklReadResult } from "./mirakl-offers.server";
import { pushStock, type PushOutcome } from "./push.server";
import { stockRuleFingerprint } from "./stock-rule";
import { iso, ROWS_PER_STATEMENT, utc } from "./sql";

const log = logger.child({ module: "inventory-reconcile" });

/** Timeline entries per run for individual SKUs found drifted (the run's own entry has the totals). */
const MAX_SKU_EVENTS_PER_RUN = 200;

export const STOCK_RECONCILED_EVENT = "stock_reconciled";
export const STOCK_RULE_CHANGED_EVENT = "stock_rule_changed";

/** What a reconciliation remembers for the next one, in its timeline entry (SyncEvent.data). */
export const reconcileMemorySchema = z
  .object({
    stockRule: z.string().optional(),
    miraklRead: z.string().optional(),
    exportRequestedAt: z.string().nullable().optional(),
    lastFullExportAt: z.string().nullable().optional(),
  })
  .passthrough();

export type ReconcileOutcome =
  | { kind: "ignored"; reason: string }
  | {
      kind: "reconciled";
      runId: string;
      skuCount: number;
      differences: number;
      notOnMirakl: number;
      pushedLines: number;
      miraklCalls: number;
      shopifyCalls: number;
      shopifyRead: "by-items" | "bulk" | "none";
      miraklRead: MiraklReadPlan["kind"];
      push: PushOutcome | { kind: "paused" } | { kind: "not_needed" };
      /** Wall time per phase (ms): where a slow reconciliation spends it. */
      timings: { shopifyMs: number; miraklMs: number; compareMs: number; pushMs: number; shopifyBulkServerMs: number | null };
    };

/**
 * inventory.reconcile: the full comparison, every reconcileIntervalMinutes and on demand. Webhooks can be lost,
 * delayed for a day, or describe a change Shopify made while we were down; operators edit quantities in the Mirakl
 * back office; Mirakl decrements its own stock on orders. Reconciliation catches all of it:
 *
 * 1. Shopify: `available` for every mapped item (by id or one bulk operation) into the cache, as of the read's start.
 * 2. Mirakl: the marketplace's quantities into our copy (OF21, or the OF52 export: full once a day, else differential).
 * 3. Compare page by page (5,000 SKUs): expected by the quantity rule vs Mirakl; record the drift per SKU, and mark
 *    the SKUs that differ dirty with pushedQty set to what Mirakl actually shows.
 * 4. The push (the same code as the webhook path, so one file a minute and never an older quantity over a newer one)
 *    sends exactly the differing SKUs in one STO01.
 * A paused connection is compared but nothing is sent (its differences wait, dirty, for the resume).
 */
export async function reconcileStock({ services, connectionId, trigger = "schedule" }: { services: Services; connectionId: string; trigger?: string }): Promise<ReconcileOutcome> {
  const { prisma } = services;
  const connection = await prisma.marketplaceConnection.findUnique({ where: { id: connectionId } });
  if (!connection) return { kind: "ignored", reason: "connection deleted" };
  if (connection.locationIds.length === 0) return { kind: "ignored", reason: "no Shopify location chosen for this marketplace yet" };
  const ctx = { shop: connection.shop, connectionId: connection.id };
  const startedAt = services.now();
  await prisma.marketplaceConnection.update({ where: { id: connection.id }, data: { lastReconcileAt: startedAt } });
  const run = await prisma.reconciliationRun.create({ data: { connectionId: connection.id, status: "RUNNING", startedAt } });
  let miraklCalls = 0;
  let shopifyCalls = 0;
  try {
    const memory = await lastMemory({ prisma, connectionId: connection.id });
    const managedCount = await prisma.skuMapping.count({ where: { connectionId: connection.id, matchStatus: { not: "IGNORED" } } });
    if (managedCount === 0) {
      await prisma.reconciliationRun.update({ where: { id: run.id }, data: { status: "COMPLETE", finishedAt: services.now() } });
      return { kind: "ignored", reason: "no offer is mapped on this marketplace yet" };
    }
    const itemIds = await mappedItemIds({ prisma, connectionId: connection.id });

    const clock = Date.now();
    const timings = { shopifyMs: 0, miraklMs: 0, compareMs: 0, pushMs: 0, shopifyBulkServerMs: null as number | null };
    let mark = clock;
    const lap = (key: "shopifyMs" | "miraklMs" | "compareMs" | "pushMs") => {
      const t = Date.now();
      timings[key] = t - mark;
      mark = t;
    };

    // 1. Shopify
    const shopifyAsOf = services.now();
    let shopifyRead: "by-items" | "bulk" | "none" = "none";
    if (itemIds.size > 0 && connection.locationIds.length > 0) {
      shopifyRead = planShopifyRead({ itemCount: itemIds.size });
      if (shopifyRead === "by-items") {
        shopifyCalls += (await readLevelsByItems({ services, connection, inventoryItemIds: [...itemIds], asOf: shopifyAsOf })).calls;
      } else {
        const bulk = await readLevelsInBulk({ services, connection, itemIds, asOf: shopifyAsOf });
        shopifyCalls += bulk.calls;
        timings.shopifyBulkServerMs = bulk.serverMs;
      }
    }

    lap("shopifyMs");

    // 2. Mirakl
    const plan = planMiraklRead({
      managedCount,
      now: services.now(),
      lastFullExportAt: memory.lastFullExportAt ? new Date(memory.lastFullExportAt) : null,
      lastExportAt: memory.exportRequestedAt ? new Date(memory.exportRequestedAt) : null,
    });
    const mirakl = await readMiraklOffers({ prisma, client: services.mirakl(connection), connectionId: connection.id, plan, now: () => services.now() });
    miraklCalls += mirakl.calls;
    lap("miraklMs");

    // 3. Compare
    const compared = await compareAll({ prisma, connection, mirakl, now: services.now() });
    lap("compareMs");

    // 4. Push
    let push: PushOutcome | { kind: "paused" } | { kind: "not_needed" } = { kind: "not_needed" };
    const dueCount = await prisma.inventorySku.count({ where: { connectionId: connection.id, dirty: true, dirtySince: { lte: services.now() } } });
    if (connection.paused) push = { kind: "paused" };
    else if (dueCount > 0) {
      push = await pushStock({ services, connectionId: connection.id });
      if (push.kind === "submitted") {
        miraklCalls++;
        shopifyCalls += push.shopifyCalls;
      }
    }
    const pushedLines = push.kind === "submitted" ? push.lines : 0;
    lap("pushMs");

    const finishedAt = services.now();
    await prisma.reconciliationRun.update({
      where: { id: run.id },
      data: { status: "COMPLETE", finishedAt, skuCount: compared.skuCount, differences: compared.differences, pushedLines, miraklCalls, shopifyCalls },
    });
    const exportRequestedAt = plan.kind === "list" ? (memory.exportRequestedAt ?? null) : iso(mirakl.asOf);
    const lastFullExportAt = plan.kind === "full-export" ? iso(mirakl.asOf) : (memory.lastFullExportAt ?? null);
    await recordEvent(prisma, {
      ...ctx,
      entityType: "stock",
      entityId: connection.id,
      kind: STOCK_RECONCILED_EVENT,
      level: compared.differences > 0 ? "warning" : "success",
      message:
        compared.differences > 0
          ? `Reconciled ${compared.skuCount} offers: ${compared.differences} differed from Shopify${connection.paused ? " (sync paused: not corrected yet)" : push.kind === "submitted" ? ` and were corrected (${pushedLines} sent)` : ""}`
          : `Reconciled ${compared.skuCount} offers: all in step with Shopify`,
      data: {
        runId: run.id,
        trigger,
        stockRule: stockRuleFingerprint(connection),
        shopifyRead,
        miraklRead: plan.kind,
        exportRequestedAt,
        lastFullExportAt,
        notOnMirakl: compared.notOnMirakl,
        durationMs: finishedAt.getTime() - startedAt.getTime(),
        timings,
        push: push.kind,
      } satisfies Prisma.InputJsonValue,
    });
    log.info("stock reconciled", { ...ctx, runId: run.id, skus: compared.skuCount, differences: compared.differences, pushedLines, miraklCalls, shopifyCalls, ms: finishedAt.getTime() - startedAt.getTime() });
    return {
      kind: "reconciled",
      runId: run.id,
      skuCount: compared.skuCount,
      differences: compared.differences,
      notOnMirakl: compared.notOnMirakl,
      pushedLines,
      miraklCalls,
      shopifyCalls,
      shopifyRead,
      miraklRead: plan.kind,
      push,
      timings,
    };
  } catch (err) {
    await prisma.reconciliationRun.update({
      where: { id: run.id },
      data: { status: "FAILED", finishedAt: services.now(), error: errorMessage(err).slice(0, 1000), miraklCalls, shopifyCalls },
    });
    throw err;
  }
}

async function lastMemory({ prisma, connectionId }: { prisma: PrismaClient; connectionId: string }): Promise<z.infer<typeof reconcileMemorySchema>> {
  const event = await prisma.syncEvent.findFirst({
    where: { entityType: "stock", entityId: connectionId, kind: STOCK_RECONCILED_EVENT },
    orderBy: { createdAt: "desc" },
    select: { data: true },
  });
  const parsed = reconcileMemorySchema.safeParse(event?.data ?? {});
  return parsed.success ? parsed.data : {};
}

async function mappedItemIds({ prisma, connectionId }: { prisma: PrismaClient; connectionId: string }): Promise<Set<string>> {
  const ids = new Set<string>();
  let cursor: string | undefined;
  for (;;) {
    const page = await prisma.skuMapping.findMany({
      where: { connectionId, matchStatus: "MATCHED", shopifyInventoryItemId: { not: null }, ...(cursor ? { offerSku: { gt: cursor } } : {}) },
      orderBy: { offerSku: "asc" },
      take: ROWS_PER_STATEMENT * 4,
      select: { offerSku: true, shopifyInventoryItemId: true },
    });
    for (const m of page) if (m.shopifyInventoryItemId) ids.add(m.shopifyInventoryItemId);
    if (page.length < ROWS_PER_STATEMENT * 4) return ids;
    cursor = page[page.length - 1]?.offerSku;
  }
}

interface CompareResult {
  skuCount: number;
  differences: number;
  notOnMirakl: number;
}

/**
 * Page by page over the managed mappings: compute the expected quantities from the (fresh) cache and compare them,
 * in the database, with Mirakl's quantity as we now hold it. Doing the comparison in SQL reads the freshest copy of
 * Mirakl's quantity (an import may have completed meanwhile) and keeps memory flat.
 */
async function compareAll({ prisma, connection, mirakl, now }: { prisma: PrismaClient; connection: MarketplaceConnection; mirakl: MiraklReadResult; now: Date }): Promise<CompareResult> {
  const out: CompareResult = { skuCount: 0, differences: 0, notOnMirakl: 0 };
  let events = 0;
  let cursor: string | undefined;
  for (;;) {
    const mappings: MappingForStock[] = await prisma.skuMapping.findMany({
      where: { connectionId: connection.id, matchStatus: { not: "IGNORED" }, ...(cursor ? { offerSku: { gt: cursor } } : {}) },
      orderBy: { offerSku: "asc" },
      take: ROWS_PER_STATEMENT,
      select: MAPPING_FOR_STOCK,
    });
    if (mappings.length === 0) break;
    cursor = mappings[mappings.length - 1]?.offerSku;
    const skus = mappings.map((m) => m.offerSku);
    const stock = await computeSkuStock({ prisma, connection, offerSkus: skus, mappings });
    const rows = skus.map((sku) => ({ sku, expected: stock.get(sku)?.breakdown.quantity ?? 0 }));
    await prisma.$executeRawUnsafe(
      `INSERT INTO "InventorySku" ("id", "connectionId", "offerSku", "updatedAt")
       SELECT gen_random_uuid()::text, $1, v.sku, ${utc("$3")} FROM jsonb_array_elements_text($2::jsonb) AS v(sku)
       ON CONFLICT ("connectionId", "offerSku") DO NOTHING`,
      connection.id,
      JSON.stringify(skus),
      iso(now),
    );
    const changed = await prisma.$queryRawUnsafe<{ sku: string; state: string; drift: number | null; mirakl: number | null; expected: number }[]>(
      `WITH v AS (SELECT * FROM jsonb_to_recordset($2::jsonb) AS x(sku text, expected int)),
       cur AS (
         SELECT s."id", v.expected,
           -- A correction already on its way (a file Mirakl has not processed yet): Mirakl's quantity may predate it,
           -- so it is neither realigned nor sent again; the import's completion settles it.
           (NOT s."dirty" AND EXISTS (SELECT 1 FROM "StockImport" i WHERE i."id" = s."lastImportId" AND i."status" IN ('SUBMITTING', 'WAITING', 'RUNNING'))) AS inflight,
           CASE WHEN $3 = 'differential-export'
                  THEN CASE WHEN s."miraklQty" IS NOT NULL THEN 'on' WHEN s."lastError" = $5 THEN 'absent' ELSE 'unknown' END
                WHEN s."miraklQty" IS NOT NULL AND s."miraklSeenAt" >= ${utc("$4")} THEN 'on'
                ELSE 'absent' END AS state
         FROM "InventorySku" s JOIN v ON s."offerSku" = v.sku WHERE s."connectionId" = $1
       )
       UPDATE "InventorySku" AS s SET
         "computedQty" = cur.expected,
         "lastDrift" = CASE WHEN cur.state = 'on' THEN s."miraklQty" - cur.expected WHEN cur.state = 'absent' THEN NULL ELSE s."lastDrift" END,
         "driftSeenAt" = CASE WHEN cur.state = 'on' THEN ${utc("$6")} ELSE s."driftSeenAt" END,
         "pushedQty" = CASE WHEN cur.state = 'on' AND NOT cur.inflight THEN s."miraklQty" ELSE s."pushedQty" END,
         "miraklQty" = CASE WHEN cur.state = 'absent' THEN NULL ELSE s."miraklQty" END,
         "lastError" = CASE WHEN cur.state = 'absent' THEN $5 WHEN s."lastError" = $5 THEN NULL ELSE s."lastError" END,
         "dirty" = s."dirty" OR (NOT cur.inflight AND ((cur.state = 'on' AND s."miraklQty" <> cur.expected) OR (cur.state = 'unknown' AND s."pushedQty" IS NULL))),
         "dirtySince" = CASE
           WHEN NOT cur.inflight AND ((cur.state = 'on' AND s."miraklQty" <> cur.expected) OR (cur.state = 'unknown' AND s."pushedQty" IS NULL)) THEN
             CASE WHEN NOT s."dirty" OR s."dirtySince" IS NULL OR s."dirtySince" > ${utc("$6")} + interval '1 second' THEN ${utc("$6")}
                  ELSE GREATEST(${utc("$6")}, s."dirtySince" + interval '1 millisecond') END
           ELSE s."dirtySince" END,
         "updatedAt" = GREATEST(${utc("$6")}, s."updatedAt" + interval '1 millisecond')
       FROM cur WHERE s."id" = cur."id"
       RETURNING s."offerSku" AS sku, cur.state AS state, s."lastDrift" AS drift, s."pushedQty" AS mirakl, cur.expected AS expected`,
      connection.id,
      JSON.stringify(rows),
      mirakl.mode,
      iso(mirakl.asOf),
      NOT_ON_MIRAKL,
      iso(now),
    );
    out.skuCount += mappings.length;
    for (const r of changed) {
      if (r.state === "absent") out.notOnMirakl++;
      if (r.state !== "on" || !r.drift) continue;
      out.differences++;
      if (events++ < MAX_SKU_EVENTS_PER_RUN) {
        await recordEvent(prisma, {
          shop: connection.shop,
          connectionId: connection.id,
          entityType: "stock",
          entityId: `${connection.id}:${r.sku}`,
          kind: "stock_drift",
          level: "warning",
          message: `${connection.name} showed ${r.mirakl ?? "?"} but should show ${r.expected} (${r.drift > 0 ? "+" : ""}${r.drift})`,
          data: { mirakl: r.mirakl, expected: r.expected, drift: r.drift },
        });
      }
    }
    if (mappings.length < ROWS_PER_STATEMENT) break;
  }
  return out;
}
