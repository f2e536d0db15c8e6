import { z } from "zod";
import { defineJob, type JobDefinition } from "./define-job";
import type { Services } from "../services.server";
import { refreshConnectionSettings } from "../sync/connections.server";
import type { AreaScheduler } from "./schedule-context";
import { orderJobs, scheduleOrderJobs } from "./order-jobs.server";
import { catalogueJobs, scheduleCatalogueJobs } from "./catalogue-jobs.server";
import { fulfilmentJobs, scheduleFulfilmentJobs } from "./fulfilment-jobs.server";
import { inventoryJobs, scheduleInventoryJobs } from "./inventory-jobs.server";
import { adjustmentJobs, scheduleAdjustmentJobs } from "./adjustment-jobs.server";
import { payoutJobs, schedulePayoutJobs } from "./payout-jobs.server";
import { logger } from "../lib/logger";

const log = logger.child({ module: "jobs.schedule" });

const connectionPayload = z.object({ shop: z.string(), connectionId: z.string() });

/** connection.refresh-settings: re-read A01/PC01/SH21/SH12/RE01 (Mirakl asks for at most once a day). */
export const refreshSettingsJob = defineJob({
  name: "connection.refresh-settings",
  schema: connectionPayload,
  key: (p) => p.connectionId,
  retryLimit: 5,
  retryDelaySeconds: 60,
  handler: async ({ connectionId }, { services }) => {
    const connection = await services.prisma.marketplaceConnection.findUnique({ where: { id: connectionId } });
    if (!connection) return { kind: "ignored", reason: "connection deleted" };
    return refreshConnectionSettings({ services, connection });
  },
});

/** Every area's jobs. Each area owns its file (app/jobs/<area>-jobs.server.ts) and its scheduler. */
export const connectionJobs: JobDefinition<any>[] = [refreshSettingsJob, ...orderJobs, ...catalogueJobs, ...fulfilmentJobs, ...inventoryJobs, ...adjustmentJobs, ...payoutJobs];

const areaSchedulers: AreaScheduler[] = [scheduleOrderJobs, scheduleCatalogueJobs, scheduleFulfilmentJobs, scheduleInventoryJobs, scheduleAdjustmentJobs, schedulePayoutJobs];

const DAY_MS = 24 * 60 * 60 * 1000;

export async function enqueueDueConnectionJobs({ services }: { services: Services }): Promise<{ enqueued: number }> {
  const now = services.now().getTime();
  const connections = await services.prisma.marketplaceConnection.findMany({ where: { paused: false } });
  let enqueued = 0;
  for (const c of connections) {
    const payload = { shop: c.shop, connectionId: c.id };
    if (!c.settingsRefreshedAt || now - c.settingsRefreshedAt.getTime() >= DAY_MS) {
      if (await services.jobs.enqueue(refreshSettingsJob, payload)) enqueued++;
    }
    for (const schedule of areaSchedulers) {
      // One area failing to schedule must not starve the others (or the other connections).
      enqueued += await schedule({ services, connection: c, now: new Date(now) }).catch((err: unknown) => {
        log.error("area scheduler failed", { shop: c.shop, connectionId: c.id, scheduler: schedule.name, err });
        return 0;
      });
    }
  }
  return { enqueued };
}
