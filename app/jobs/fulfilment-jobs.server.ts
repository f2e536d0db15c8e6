import { z } from "zod";
import { defineJob, type JobDefinition } from "./define-job";
import type { ScheduleContext } from "./schedule-context";
// Registers the fulfillments/* webhook handlers and the Mirakl order-update listener.
import "../sync/fulfilment/register.server";
import { FULFILMENT_JOB } from "../sync/fulfilment/fulfilment-queue.server";
import { pushOrderFulfilments } from "../sync/fulfilment/push-fulfilments.server";
import { releaseHeldFulfilments } from "../sync/fulfilment/carrier-mappings.server";
import { mirrorPortalShipment } from "../sync/fulfilment/mirror-portal-shipment.server";
import { reportUnacknowledgedShipments } from "../sync/fulfilment/unacknowledged-report.server";
import { markPushFailed } from "../sync/fulfilment/push-failed.server";

const orderPayload = z.object({ shop: z.string(), connectionId: z.string(), orderLinkId: z.string() });
const connectionPayload = z.object({ shop: z.string(), connectionId: z.string() });

/**
 * fulfilment.push: Mirakl hears about one order's fulfilments (OR23/OR24 or ST01/ST23). Keyed by order, not by
 * fulfilment: OR23/OR24 act on the whole order, so two fulfilments of one order must not race. Retries back off
 * from 30 s (a Mirakl outage), and every retry re-reads both sides before sending anything.
 */
export const fulfilmentPushJob = defineJob({
  name: FULFILMENT_JOB.push,
  schema: orderPayload,
  key: (p) => p.orderLinkId,
  retryLimit: 10,
  retryDelaySeconds: 30,
  // I/O-bound (one Shopify read, OR11, OR23/OR24); each worker takes one job per polling interval.
  concurrency: 4,
  handler: ({ orderLinkId }, { services }) => pushOrderFulfilments({ services, orderLinkId }),
  onDeadLetter: ({ orderLinkId }, error, { services }) => markPushFailed({ services, orderLinkId, error }),
});

/** fulfilment.release-held: after a carrier mapping is saved, push every fulfilment held for it. */
export const fulfilmentReleaseHeldJob = defineJob({
  name: FULFILMENT_JOB.releaseHeld,
  schema: connectionPayload.extend({ carrierKey: z.string().nullish() }),
  key: (p) => `${p.connectionId}:${p.carrierKey ?? "*"}`,
  retryLimit: 5,
  handler: ({ shop, connectionId, carrierKey }, { services }) => releaseHeldFulfilments({ services, shop, connectionId, key: carrierKey ?? null }),
});

/** fulfilment.mirror-portal-shipment: a shipment made in the Mirakl back office becomes a Shopify fulfilment. */
export const fulfilmentMirrorPortalJob = defineJob({
  name: FULFILMENT_JOB.mirrorPortal,
  schema: orderPayload,
  key: (p) => p.orderLinkId,
  retryLimit: 8,
  retryDelaySeconds: 30,
  handler: ({ orderLinkId }, { services }) => mirrorPortalShipment({ services, orderLinkId }),
});

/** fulfilment.unacknowledged-report: per connection, every few minutes (see scheduleFulfilmentJobs). */
export const fulfilmentReportJob = defineJob({
  name: FULFILMENT_JOB.report,
  schema: connectionPayload,
  key: (p) => p.connectionId,
  retryLimit: 2,
  concurrency: 1,
  handler: async ({ connectionId }, { services }) => {
    const connection = await services.prisma.marketplaceConnection.findUnique({ where: { id: connectionId } });
    if (!connection) return { kind: "ignored", reason: "connection deleted" };
    return reportUnacknowledgedShipments({ services, connection });
  },
});

/** The fulfilment area's jobs (see app/sync/fulfilment/). */
export const fulfilmentJobs: JobDefinition<any>[] = [fulfilmentPushJob, fulfilmentReleaseHeldJob, fulfilmentMirrorPortalJob, fulfilmentReportJob];

/** How often the exception report runs per connection. */
export const REPORT_EVERY_MINUTES = 5;

/** Enqueues this area's due work for one connection (called by scheduler.tick every minute). */
export async function scheduleFulfilmentJobs({ services, connection, now }: ScheduleContext): Promise<number> {
  const minutes = Math.floor(now.getTime() / 60_000);
  if (minutes % REPORT_EVERY_MINUTES !== 0) return 0;
  const id = await services.jobs.enqueue(fulfilmentReportJob, { shop: connection.shop, connectionId: connection.id });
  return id ? 1 : 0;
}
