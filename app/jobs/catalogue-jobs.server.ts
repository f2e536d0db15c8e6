import { z } from "zod";
import { defineJob, type JobDefinition } from "./define-job";
import type { ScheduleContext } from "./schedule-context";
import { recordEvent } from "../sync/timeline.server";
import { CATALOGUE_EVENT, syncCatalogue } from "../sync/catalogue/sync-catalogue.server";

const HOUR_MS = 60 * 60 * 1000;
/** Mirakl allows a full offer export once a day (OF52, seller-api-notes §1.9); the sync runs at that pace. */
export const CATALOGUE_SYNC_INTERVAL_MS = 24 * HOUR_MS;
/** After a sync failed for good, wait this long before the scheduler tries again (the Task already says why). */
export const CATALOGUE_RETRY_AFTER_FAILURE_MS = HOUR_MS;

export function catalogueSyncFailedTaskKey(connectionId: string): string {
  return `catalogue-sync-failed:${connectionId}`;
}

/** catalogue.sync: read every offer of the marketplace and auto-match them to Shopify variants (app/sync/catalogue). */
export const catalogueSyncJob = defineJob({
  name: "catalogue.sync",
  schema: z.object({ shop: z.string(), connectionId: z.string() }),
  key: (p) => p.connectionId,
  retryLimit: 5,
  retryDelaySeconds: 60,
  // 100,000 offers on a Standard-plan shop: the exact-SKU searches alone take the better part of an hour.
  expireInSeconds: 4 * 60 * 60,
  concurrency: 1,
  handler: async ({ connectionId, shop }, { services }) => {
    const connection = await services.prisma.marketplaceConnection.findFirst({ where: { id: connectionId, shop } });
    if (!connection) return { kind: "ignored", reason: "connection deleted" };
    const result = await syncCatalogue({ services, connection });
    if (result.kind === "synced") await services.tasks.resolve({ shop, dedupeKey: catalogueSyncFailedTaskKey(connectionId) });
    else {
      // Only a person's "Sync offers now" reaches a paused connection (the scheduler skips them): tell them why.
      await recordEvent(services.prisma, {
        shop,
        connectionId,
        entityType: "connection",
        entityId: connectionId,
        kind: CATALOGUE_EVENT.failed,
        level: "warning",
        message: `Offers were not synced: ${result.reason}. Resume the marketplace's sync first.`,
      });
    }
    return result;
  },
  onDeadLetter: async ({ shop, connectionId }, error, { services }) => {
    const connection = await services.prisma.marketplaceConnection.findFirst({ where: { id: connectionId, shop } });
    if (!connection) return;
    await recordEvent(services.prisma, {
      shop,
      connectionId,
      entityType: "connection",
      entityId: connectionId,
      kind: CATALOGUE_EVENT.failed,
      level: "error",
      message: `Offers could not be read from ${connection.name}: ${error}`,
    });
    await services.tasks.raise({
      shop,
      connectionId,
      dedupeKey: catalogueSyncFailedTaskKey(connectionId),
      kind: "catalogue_sync_failed",
      severity: "warning",
      title: `${connection.name}: offers could not be synced`,
      body: `Reading your offers from ${connection.name} and matching them to Shopify variants failed after several attempts: ${error}. New offers stay unmapped (their stock is not sent and their orders are held) until a sync succeeds. Check the marketplace connection, then use "Sync offers now" on the SKU mapping screen.`,
      actionLabel: "Open SKU mapping",
      actionUrl: `/app/skus?connection=${connectionId}`,
      entityType: "connection",
      entityId: connectionId,
    });
  },
});

/** The catalogue area's jobs (see app/sync/catalogue/). */
export const catalogueJobs: JobDefinition<any>[] = [catalogueSyncJob];

/**
 * Enqueues this area's due work for one connection (called by scheduler.tick every minute): a first sync as soon as a
 * connection exists (nothing synced yet), then one a day; after a final failure, not before an hour has passed.
 */
export async function scheduleCatalogueJobs({ services, connection, now }: ScheduleContext): Promise<number> {
  const last = await services.prisma.syncEvent.findFirst({
    where: { entityType: "connection", entityId: connection.id, kind: { in: [CATALOGUE_EVENT.synced, CATALOGUE_EVENT.failed] } },
    orderBy: { createdAt: "desc" },
    select: { kind: true, createdAt: true },
  });
  const age = last ? now.getTime() - last.createdAt.getTime() : Infinity;
  const due = !last || (last.kind === CATALOGUE_EVENT.synced ? age >= CATALOGUE_SYNC_INTERVAL_MS : age >= CATALOGUE_RETRY_AFTER_FAILURE_MS);
  if (!due) return 0;
  const id = await services.jobs.enqueue(catalogueSyncJob, { shop: connection.shop, connectionId: connection.id });
  return id ? 1 : 0;
}

/** "Sync offers now" on the mapping screen: queued like any other run (a sync already queued absorbs it). */
export async function requestCatalogueSync({ services, shop, connectionId }: { services: ScheduleContext["services"]; shop: string; connectionId: string }): Promise<{ queued: boolean }> {
  const connection = await services.prisma.marketplaceConnection.findFirst({ where: { id: connectionId, shop } });
  if (!connection) return { queued: false };
  await recordEvent(services.prisma, {
    shop,
    connectionId,
    entityType: "connection",
    entityId: connectionId,
    kind: CATALOGUE_EVENT.requested,
    message: `Offer sync requested for ${connection.name}`,
  });
  const id = await services.jobs.enqueue(catalogueSyncJob, { shop, connectionId });
  return { queued: id !== null };
}
