import { z } from "zod";
import { defineJob, type JobDefinition } from "./define-job";
import type { ScheduleContext } from "./schedule-context";
import { syncPayouts } from "../sync/payouts/sync.server";

const DAY_MS = 24 * 60 * 60 * 1000;
const HOUR_MS = 60 * 60 * 1000;

/**
 * payouts.sync: SBC11 payouts and their TL02 lines for one connection, matched to Shopify orders
 * (app/sync/payouts). Stately per connection: the daily run and a merchant's Refresh never run side by side,
 * which is also what keeps the shared TL02 budget exact.
 */
export const payoutSyncJob = defineJob({
  name: "payouts.sync",
  schema: z.object({
    shop: z.string(),
    connectionId: z.string(),
    trigger: z.string().default("schedule"),
  }),
  key: (p) => p.connectionId,
  retryLimit: 5,
  retryDelaySeconds: 120,
  expireInSeconds: 30 * 60,
  concurrency: 1,
  handler: async ({ connectionId }, { services }) => {
    const connection = await services.prisma.marketplaceConnection.findUnique({
      where: { id: connectionId },
    });
    if (!connection) return { kind: "ignored", reason: "connection deleted" };
    return syncPayouts({ services, connection });
  },
});

export const payoutJobs: JobDefinition<any>[] = [payoutSyncJob];

/**
 * Daily per connection (Mirakl closes billing cycles at most daily); sooner, hourly, while a payout's lines are
 * incomplete because the previous run used the hour's TL02 budget.
 */
export async function schedulePayoutJobs({ services, connection, now }: ScheduleContext): Promise<number> {
  const state = await services.prisma.payoutSyncState.findUnique({
    where: { connectionId: connection.id },
  });
  const last = state?.lastRunAt?.getTime() ?? 0;
  let due = now.getTime() - last >= DAY_MS;
  if (!due && now.getTime() - last >= HOUR_MS) {
    due =
      (await services.prisma.payout.count({
        where: { connectionId: connection.id, linesStatus: "PENDING" },
      })) > 0;
  }
  if (!due) return 0;
  return (await services.jobs.enqueue(payoutSyncJob, {
    shop: connection.shop,
    connectionId: connection.id,
    trigger: "schedule",
  }))
    ? 1
    : 0;
}
