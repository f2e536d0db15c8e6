import { z } from "zod";
import { defineJob, type JobDefinition } from "./define-job";
import type { ScheduleContext } from "./schedule-context";
import { pushStock } from "../sync/inventory/push.server";
import { followStockImport } from "../sync/inventory/import-status.server";
import { reconcileStock } from "../sync/inventory/reconcile.server";
import { scheduleInventory } from "../sync/inventory/scheduler.server";
import { registerInventoryWebhooks } from "../sync/inventory/level-webhook.server";
import { INVENTORY_IMPORT_STATUS_JOB, INVENTORY_PUSH_JOB, INVENTORY_RECONCILE_JOB } from "../sync/inventory/job-names";
import { stockPushFailedTaskKey } from "../sync/inventory/task-keys";

// inventory_levels/update is handled by the inventory flow (registered once, when the job registry loads).
registerInventoryWebhooks();

const connectionPayload = z.object({ shop: z.string(), connectionId: z.string() });

/** inventory.push: one connection's changed quantities in one STO01 (see app/sync/inventory/push.server.ts). */
export const inventoryPushJob = defineJob({
  name: INVENTORY_PUSH_JOB,
  schema: connectionPayload,
  // Stately per connection: a burst of webhooks queues one push, and one runs at a time per marketplace.
  key: (p) => p.connectionId,
  retryLimit: 8,
  retryDelaySeconds: 15,
  expireInSeconds: 10 * 60,
  handler: ({ connectionId }, { services }) => pushStock({ services, connectionId }),
  onDeadLetter: async (payload, error, { services }) => {
    const connection = await services.prisma.marketplaceConnection.findUnique({ where: { id: payload.connectionId } });
    if (!connection) return;
    // The SKUs are still dirty: the next scheduler tick tries again, and this Task says why it keeps failing.
    await services.tasks.raise({
      shop: connection.shop,
      connectionId: connection.id,
      dedupeKey: stockPushFailedTaskKey(connection.id),
      kind: "stock_push_failed",
      severity: "critical",
      title: `${connection.name}: stock updates are not reaching the marketplace`,
      body: `Sending stock to ${connection.name} failed repeatedly: ${error}. No change is lost: the quantities wait and go out as soon as Mirakl takes them again, but until then ${connection.name} shows old quantities and may sell stock you no longer have. If it lasts, check the connection (Test connection on the marketplace page).`,
      actionLabel: "Open inventory",
      actionUrl: `/app/inventory/${connection.id}`,
      entityType: "connection",
      entityId: connection.id,
    });
  },
});

/** inventory.import-status: follows one STO01 import through STO02/STO03. */
export const inventoryImportStatusJob = defineJob({
  name: INVENTORY_IMPORT_STATUS_JOB,
  schema: connectionPayload.extend({ stockImportId: z.string() }),
  key: (p) => p.stockImportId,
  retryLimit: 10,
  retryDelaySeconds: 15,
  expireInSeconds: 5 * 60,
  handler: ({ stockImportId }, { services }) => followStockImport({ services, stockImportId }),
});

/** inventory.reconcile: full Shopify vs Mirakl comparison (scheduled, and "Reconcile now"). */
export const inventoryReconcileJob = defineJob({
  name: INVENTORY_RECONCILE_JOB,
  schema: connectionPayload.extend({ trigger: z.string().optional() }),
  key: (p) => p.connectionId,
  retryLimit: 3,
  retryDelaySeconds: 60,
  // A 100,000-SKU catalogue: a bulk operation, an offer export and their downloads.
  expireInSeconds: 45 * 60,
  concurrency: 1,
  handler: ({ connectionId, trigger }, { services }) => reconcileStock({ services, connectionId, trigger }),
});

/** The inventory area's jobs (see app/sync/inventory/). */
export const inventoryJobs: JobDefinition<any>[] = [inventoryPushJob, inventoryImportStatusJob, inventoryReconcileJob];

/** Enqueues this area's due work for one connection (called by scheduler.tick every minute). */
export async function scheduleInventoryJobs(ctx: ScheduleContext): Promise<number> {
  return scheduleInventory({ services: ctx.services, connection: ctx.connection, now: ctx.now });
}
