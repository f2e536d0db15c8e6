import type { MarketplaceConnection } from "@prisma/client";
import type { Services } from "../../services.server";
import { recordEvent } from "../timeline.server";
import { markConnectionDirty } from "./dirty.server";
import { INVENTORY_IMPORT_STATUS_JOB, INVENTORY_PUSH_JOB, INVENTORY_RECONCILE_JOB } from "./job-names";
import { reconcileMemorySchema, STOCK_RECONCILED_EVENT, STOCK_RULE_CHANGED_EVENT } from "./reconcile.server";
import { stockRuleFingerprint } from "./stock-rule";
import { stockLocationsMissingTaskKey } from "./task-keys";

/** An import not terminal after this long gets its status job again (the worker that followed it may have died). */
const STUCK_IMPORT_MS = 2 * 60_000;
/** Stock imports and reconciliation runs are kept this long for the health view, then deleted. */
const KEEP_HISTORY_MS = 14 * 24 * 60 * 60_000;

/**
 * The inventory area's part of scheduler.tick (every minute, unpaused connections only):
 *  - no location chosen yet: a Task asks for them, and nothing else happens (nothing is sent meanwhile);
 *  - a changed stock rule (locations, buffer) marks every offer dirty: no webhook announces it;
 *  - a reconciliation every reconcileIntervalMinutes (30 by default);
 *  - a push when due dirty SKUs wait (a webhook's push that died, a deferred one, a retry coming due);
 *  - imports nobody follows any more get their status job again; old history is trimmed.
 * Everything it enqueues is stately per connection (or import), so a tick that overlaps a running job adds nothing.
 */
export async function scheduleInventory({ services, connection, now }: { services: Services; connection: MarketplaceConnection; now: Date }): Promise<number> {
  const { prisma, jobs } = services;
  const payload = { shop: connection.shop, connectionId: connection.id };
  let enqueued = 0;
  const count = (id: string | null) => {
    if (id) enqueued++;
  };

  const locationsTask = stockLocationsMissingTaskKey(connection.id);
  if (connection.locationIds.length === 0) {
    await services.tasks.raise({
      shop: connection.shop,
      connectionId: connection.id,
      dedupeKey: locationsTask,
      kind: "stock_locations_missing",
      severity: "warning",
      title: `${connection.name}: choose the Shopify locations it may sell from`,
      body: `No stock is sent to ${connection.name} until you choose which of your Shopify locations it sells from (and the safety buffer). Until then it keeps the quantities it has, which nobody updates: it can sell stock you no longer have.`,
      actionLabel: "Choose locations",
      actionUrl: `/app/connections/${connection.id}`,
      entityType: "connection",
      entityId: connection.id,
    });
    return 0;
  }
  if (await services.tasks.resolve({ shop: connection.shop, dedupeKey: locationsTask })) {
    // Locations were just chosen: changes made meanwhile were not tracked for this marketplace. Recompute everything.
    await markConnectionDirty({ prisma, connectionId: connection.id, now });
    count(await jobs.enqueueByName(INVENTORY_PUSH_JOB, payload));
  }

  const last = await prisma.syncEvent.findFirst({
    where: { entityType: "stock", entityId: connection.id, kind: { in: [STOCK_RECONCILED_EVENT, STOCK_RULE_CHANGED_EVENT] } },
    orderBy: { createdAt: "desc" },
    select: { data: true },
  });
  const recorded = reconcileMemorySchema.safeParse(last?.data ?? {});
  const rule = stockRuleFingerprint(connection);
  if (recorded.success && recorded.data.stockRule !== undefined && recorded.data.stockRule !== rule) {
    const skus = await markConnectionDirty({ prisma, connectionId: connection.id, now });
    await recordEvent(prisma, {
      shop: connection.shop,
      connectionId: connection.id,
      entityType: "stock",
      entityId: connection.id,
      kind: STOCK_RULE_CHANGED_EVENT,
      message: `Stock rule changed (${describeRule(connection)}): all ${skus} offers are recomputed and the changed quantities sent`,
      data: { stockRule: rule, previous: recorded.data.stockRule },
    });
  }

  const intervalMs = Math.max(1, connection.reconcileIntervalMinutes) * 60_000;
  if (!connection.lastReconcileAt || now.getTime() - connection.lastReconcileAt.getTime() >= intervalMs) {
    count(await jobs.enqueueByName(INVENTORY_RECONCILE_JOB, { ...payload, trigger: "schedule" }));
  }

  const due = await prisma.inventorySku.findFirst({ where: { connectionId: connection.id, dirty: true, dirtySince: { lte: now } }, select: { id: true } });
  if (due) count(await jobs.enqueueByName(INVENTORY_PUSH_JOB, payload));

  const stuck = await prisma.stockImport.findMany({
    where: { connectionId: connection.id, status: { in: ["SUBMITTING", "WAITING", "RUNNING"] }, submittedAt: { lt: new Date(now.getTime() - STUCK_IMPORT_MS) } },
    select: { id: true },
    take: 50,
  });
  for (const imp of stuck) count(await jobs.enqueueByName(INVENTORY_IMPORT_STATUS_JOB, { ...payload, stockImportId: imp.id }));

  const horizon = new Date(now.getTime() - KEEP_HISTORY_MS);
  await prisma.stockImport.deleteMany({ where: { connectionId: connection.id, status: { in: ["COMPLETE", "FAILED"] }, submittedAt: { lt: horizon } } });
  await prisma.reconciliationRun.deleteMany({ where: { connectionId: connection.id, startedAt: { lt: horizon } } });
  return enqueued;
}

/**
 * A mapping change just linked offers to Shopify variants. The reconciliation runs every reconcileIntervalMinutes, so
 * one that found nothing to compare (it ran before the first catalogue sync had matched anything: a new connection's
 * first tick starts both at once) would leave "Nothing to compare yet" on screen for up to that long while the SKU
 * screen shows offers mapped. Queue one now, but only in that state: a reconciliation costs a Shopify bulk
 * operation and an OF52, so a run that did compare offers keeps its schedule, and a connection with nothing mapped
 * never re-runs (this is only called when offers become MATCHED). Returns whether one was queued.
 */
export async function reconcileNowIfNothingCompared({ services, connectionId }: { services: Services; connectionId: string }): Promise<boolean> {
  const { prisma } = services;
  const connection = await prisma.marketplaceConnection.findUnique({ where: { id: connectionId }, select: { shop: true, paused: true, locationIds: true } });
  // Paused, or no location chosen: the scheduler runs no reconciliation there either, and says why on screen.
  if (!connection || connection.paused || connection.locationIds.length === 0) return false;
  // A running one records its skuCount only when it ends: judge by the last finished run.
  const finished = await prisma.reconciliationRun.findFirst({ where: { connectionId, status: "COMPLETE" }, orderBy: { startedAt: "desc" }, select: { skuCount: true } });
  if (finished && finished.skuCount > 0) return false;
  // None finished and none running: lastReconcileAt is empty and the scheduler's next tick starts the first one
  // anyway. One running may have counted before the match: the job is stately, so this one waits behind it.
  if (!finished && (await prisma.reconciliationRun.count({ where: { connectionId, status: "RUNNING" } })) === 0) return false;
  const id = await services.jobs.enqueueByName(INVENTORY_RECONCILE_JOB, { shop: connection.shop, connectionId, trigger: "first-mappings" });
  return id !== null;
}

function describeRule(c: Pick<MarketplaceConnection, "safetyStockMode" | "safetyStockValue" | "locationIds">): string {
  const buffer = c.safetyStockMode === "PERCENT" ? `${c.safetyStockValue}% buffer` : c.safetyStockMode === "HOLD_BACK_LAST" ? `hold back the last ${c.safetyStockValue}` : `${c.safetyStockValue} unit buffer`;
  return `${c.locationIds.length} location${c.locationIds.length === 1 ? "" : "s"}, ${buffer}`;
}
