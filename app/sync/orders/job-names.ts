/**
 * Names and payloads of the order jobs: a contract shared with the Orders screen (retry buttons) and with
 * app/jobs/order-jobs.server.ts, which binds them to the functions here. Sync code enqueues by name so this
 * folder never imports the job registry (which imports this folder).
 */
import { z } from "zod";
import type { Services } from "../../services.server";
import type { EnqueueOptions } from "../../jobs/queue.server";

export const ORDER_JOBS = {
  poll: "orders.poll",
  backfill: "orders.backfill",
  accept: "orders.accept",
  import: "orders.import",
  writeReference: "orders.write-reference",
  escalate: "orders.escalate",
  /** Reflect a Mirakl cancellation (order or lines) in the Shopify order. */
  cancelInShopify: "orders.cancel-in-shopify",
  /** Run the order-update listeners (app/sync/order-events.server.ts) for one stored update. */
  notify: "orders.notify",
} as const;

export const connectionJobPayload = z.object({ shop: z.string().min(1), connectionId: z.string().min(1) });
export const orderJobPayload = connectionJobPayload.extend({ orderLinkId: z.string().min(1) });
export const notifyJobPayload = orderJobPayload.extend({ previous: z.unknown().optional() });

export type ConnectionJobPayload = z.infer<typeof connectionJobPayload>;
export type OrderJobPayload = z.infer<typeof orderJobPayload>;

type Name = (typeof ORDER_JOBS)[keyof typeof ORDER_JOBS];

/**
 * Many per-order jobs at once (a poll page making 100 orders importable): one INSERT … ON CONFLICT DO NOTHING
 * instead of 100 sends. Same payload check, dedupe key and queue settings as JobQueue.enqueue.
 */
export async function enqueueOrderJobs(services: Pick<Services, "jobs">, name: typeof ORDER_JOBS.import | typeof ORDER_JOBS.cancelInShopify | typeof ORDER_JOBS.accept, payloads: readonly OrderJobPayload[]): Promise<void> {
  if (payloads.length === 0) return;
  if (payloads.length === 1) {
    await services.jobs.enqueueByName(name, payloads[0]);
    return;
  }
  const unique = new Map(payloads.map((p) => [p.orderLinkId, orderJobPayload.parse(p)]));
  await services.jobs.boss.insert([...unique.values()].map((data) => ({ name, data: { ...data, __job: name }, singletonKey: data.orderLinkId })));
}

export function enqueueOrderJob(services: Pick<Services, "jobs">, name: Name, payload: ConnectionJobPayload | OrderJobPayload | z.infer<typeof notifyJobPayload>, opts?: EnqueueOptions): Promise<string | null> {
  return services.jobs.enqueueByName(name, payload, opts);
}
