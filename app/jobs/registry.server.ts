import { z } from "zod";
import { defineJob, type JobDefinition } from "./define-job";
import { findStuckDeliveries, processWebhookDelivery } from "../sync/webhooks.server";
import { enqueueDueConnectionJobs, connectionJobs } from "./connection-jobs.server";

/** webhook.process: run one recorded Shopify webhook delivery's handler. */
export const webhookProcessJob = defineJob({
  name: "webhook.process",
  schema: z.object({ deliveryId: z.string(), shop: z.string() }),
  key: (p) => p.deliveryId,
  concurrency: 4,
  handler: ({ deliveryId }, { services }) => processWebhookDelivery({ deliveryId, services }),
});

/**
 * scheduler.tick (cron, every minute): enqueues each connection's due work (order polling, backfill, stock
 * push and reconciliation, settings refresh) from its own cadence, and re-enqueues webhook deliveries that were
 * recorded but never processed. Per-connection cadences live in the database, not in cron expressions, so a
 * merchant's change takes effect at the next tick.
 */
export const schedulerTickJob = defineJob({
  name: "scheduler.tick",
  schema: z.object({}).passthrough(),
  key: () => "tick",
  retryLimit: 1,
  expireInSeconds: 5 * 60,
  concurrency: 1,
  handler: async (_p, { services }) => {
    for (const d of await findStuckDeliveries(services.prisma)) {
      await services.jobs.enqueue(webhookProcessJob, { deliveryId: d.id, shop: d.shop });
    }
    return enqueueDueConnectionJobs({ services });
  },
});

export const jobDefinitions: JobDefinition<any>[] = [webhookProcessJob, schedulerTickJob, ...connectionJobs];

export const jobSchedules: Record<string, string> = {
  [schedulerTickJob.name]: "* * * * *",
};
