import type { Services } from "../../services.server";

/**
 * Job names of the fulfilment area. Sync code enqueues by name (app/jobs depends on app/sync, never the
 * reverse); app/jobs/fulfilment-jobs.server.ts defines the jobs under these names.
 */
export const FULFILMENT_JOB = {
  /** Everything Mirakl must hear about one order's fulfilments (stately per order: OR23/OR24 act on the order). */
  push: "fulfilment.push",
  /** After a carrier mapping is saved: push every fulfilment held for that carrier. */
  releaseHeld: "fulfilment.release-held",
  /** A shipment made in the Mirakl back office becomes a Shopify fulfilment. */
  mirrorPortal: "fulfilment.mirror-portal-shipment",
  /** Fulfilled in Shopify but not acknowledged by Mirakl in time → Task; also re-queues stalled pushes. */
  report: "fulfilment.unacknowledged-report",
} as const;

export async function enqueuePush(input: { services: Services; shop: string; connectionId: string; orderLinkId: string; delaySeconds?: number }): Promise<boolean> {
  const id = await input.services.jobs.enqueueByName(
    FULFILMENT_JOB.push,
    { shop: input.shop, connectionId: input.connectionId, orderLinkId: input.orderLinkId },
    input.delaySeconds ? { delaySeconds: input.delaySeconds } : undefined,
  );
  return id !== null;
}
