import { defineJob, type JobDefinition } from "./define-job";
import type { ScheduleContext } from "./schedule-context";
import { acceptOrderJob } from "../sync/orders/acceptance.server";
import { reflectMiraklCancellation } from "../sync/orders/cancellation.server";
import { isBackfillDue, isPollDue } from "../sync/orders/cadence";
import { escalateHeldOrders } from "../sync/orders/escalation.server";
import { importOrder, STALE_CLAIM_MS } from "../sync/orders/import.server";
import { connectionJobPayload, notifyJobPayload, ORDER_JOBS, orderJobPayload } from "../sync/orders/job-names";
import { notifyOrderJob } from "../sync/orders/notify.server";
import { cancelFailedTask, heldOrderTask, importFailedTask } from "../sync/orders/order-tasks";
import { pollOrders } from "../sync/orders/poll.server";
import { raiseWhileTrue } from "../sync/orders/task-guard.server";
import { writeSellerReferences } from "../sync/orders/write-reference.server";
import type { Services } from "../services.server";
import { shopTimeZone } from "../sync/shops.server";

/** Loads what a dead-letter Task needs to name the order; null when it is gone. */
async function linkAndConnection(services: Services, orderLinkId: string) {
  const link = await services.prisma.orderLink.findUnique({ where: { id: orderLinkId } });
  if (!link) return null;
  const connection = await services.prisma.marketplaceConnection.findUnique({ where: { id: link.connectionId } });
  return connection ? { link, connection } : null;
}

/**
 * orders.poll (stately per connection: one running, one queued): OR11 since the cursor minus an overlap, page by
 * page, deciding and sending OR21 for every order waiting for acceptance on the page before the next one. A crashed
 * poll frees its key after expireInSeconds; the acceptance window is measured in hours, the expiry in minutes.
 */
export const pollOrdersJob = defineJob({
  name: ORDER_JOBS.poll,
  schema: connectionJobPayload,
  key: (p) => p.connectionId,
  concurrency: 1,
  retryLimit: 3,
  retryDelaySeconds: 15,
  expireInSeconds: 5 * 60,
  handler: ({ connectionId }, { services }) => pollOrders({ services, connectionId, mode: "poll" }),
});

/** orders.backfill: the same, looking back connection.backfillHours, every few hours, to find anything missed. */
export const backfillOrdersJob = defineJob({
  name: ORDER_JOBS.backfill,
  schema: connectionJobPayload,
  key: (p) => p.connectionId,
  concurrency: 1,
  retryLimit: 3,
  retryDelaySeconds: 60,
  expireInSeconds: 30 * 60,
  handler: ({ connectionId }, { services }) => pollOrders({ services, connectionId, mode: "backfill" }),
});

/** orders.accept: OR21 retries (always after re-reading the order) and orders released for a new decision. */
export const acceptOrderJobDef = defineJob({
  name: ORDER_JOBS.accept,
  schema: orderJobPayload,
  key: (p) => p.orderLinkId,
  concurrency: 4,
  retryLimit: 10,
  retryDelaySeconds: 10,
  expireInSeconds: 5 * 60,
  handler: ({ orderLinkId }, { services }) => acceptOrderJob({ services, orderLinkId }),
  onDeadLetter: async ({ orderLinkId }, error, { services }) => {
    const found = await linkAndConnection(services, orderLinkId);
    if (!found || found.link.miraklState !== "WAITING_ACCEPTANCE") return;
    await raiseWhileTrue(
      services,
      heldOrderTask({ connection: found.connection, link: found.link, summary: `sending the decision to Mirakl kept failing (${error})`, now: services.now(), escalated: true, timeZone: await shopTimeZone(services.prisma, found.link.shop) }),
      async () => (await services.prisma.orderLink.count({ where: { id: orderLinkId, miraklState: "WAITING_ACCEPTANCE" } })) > 0,
    );
  },
});

/**
 * orders.import: one Shopify order per Mirakl order. Concurrency is per worker process; a worker polls each queue
 * once a second, so 12 slots cover the Standard plan's 10 orderCreate a second (100 points/s ÷ 10 points).
 */
export const importOrderJob = defineJob({
  name: ORDER_JOBS.import,
  schema: orderJobPayload,
  key: (p) => p.orderLinkId,
  concurrency: 12,
  retryLimit: 10,
  retryDelaySeconds: 15,
  expireInSeconds: 4 * 60,
  handler: ({ orderLinkId }, { services }) => importOrder({ services, orderLinkId }),
  onDeadLetter: async ({ orderLinkId }, error, { services }) => {
    const found = await linkAndConnection(services, orderLinkId);
    if (!found || found.link.importStatus === "IMPORTED") return;
    await services.tasks.raise(importFailedTask({ connection: found.connection, link: found.link, message: `it kept failing (${error}); it is retried in the background every half hour` }));
  },
});

export const writeReferenceJob = defineJob({
  name: ORDER_JOBS.writeReference,
  schema: connectionJobPayload,
  key: (p) => p.connectionId,
  concurrency: 1,
  retryLimit: 5,
  retryDelaySeconds: 60,
  handler: ({ connectionId }, { services }) => writeSellerReferences({ services, connectionId }),
});

export const escalateJob = defineJob({
  name: ORDER_JOBS.escalate,
  schema: connectionJobPayload,
  key: (p) => p.connectionId,
  concurrency: 1,
  retryLimit: 2,
  retryDelaySeconds: 20,
  handler: ({ connectionId }, { services }) => escalateHeldOrders({ services, connectionId }),
});

export const cancelInShopifyJob = defineJob({
  name: ORDER_JOBS.cancelInShopify,
  schema: orderJobPayload,
  key: (p) => p.orderLinkId,
  concurrency: 2,
  retryLimit: 10,
  retryDelaySeconds: 30,
  handler: ({ orderLinkId }, { services }) => reflectMiraklCancellation({ services, orderLinkId }),
  onDeadLetter: async ({ orderLinkId }, error, { services }) => {
    const found = await linkAndConnection(services, orderLinkId);
    if (!found) return;
    await services.tasks.raise(cancelFailedTask({ connection: found.connection, link: found.link, message: `it kept failing (${error})` }));
  },
});

export const notifyJob = defineJob({
  name: ORDER_JOBS.notify,
  schema: notifyJobPayload,
  key: (p) => p.orderLinkId,
  concurrency: 2,
  retryLimit: 8,
  retryDelaySeconds: 30,
  handler: ({ orderLinkId, previous }, { services }) => notifyOrderJob({ services, orderLinkId, previous }),
});

/** The orders area's jobs (see app/sync/orders/). */
export const orderJobs: JobDefinition<any>[] = [pollOrdersJob, backfillOrdersJob, acceptOrderJobDef, importOrderJob, writeReferenceJob, escalateJob, cancelInShopifyJob, notifyJob];

const MINUTE = 60_000;
const SWEEP_LIMIT = 200;

/**
 * Enqueues this area's due work for one connection (called by scheduler.tick every minute): the poll (at most
 * once a minute, from lastOrderPollAt), the backfill sweep, escalations, and a recovery sweep for anything a
 * crashed worker or a lost enqueue left behind (every job is keyed, so re-enqueuing existing work is a no-op).
 */
export async function scheduleOrderJobs({ services, connection, now }: ScheduleContext): Promise<number> {
  const prisma = services.prisma;
  const payload = { shop: connection.shop, connectionId: connection.id };
  let enqueued = 0;
  const add = async (name: string, p: object, delaySeconds?: number) => {
    if (await services.jobs.enqueueByName(name, p, delaySeconds ? { delaySeconds } : undefined)) enqueued++;
  };
  if (isPollDue({ lastOrderPollAt: connection.lastOrderPollAt, pollIntervalSeconds: connection.pollIntervalSeconds, now })) await add(ORDER_JOBS.poll, payload);
  // The first poll already looks back backfillHours; the sweep starts four hours after the connection was made.
  if (connection.lastOrderPollAt && isBackfillDue({ lastBackfillAt: connection.lastBackfillAt ?? connection.createdAt, now })) await add(ORDER_JOBS.backfill, payload);

  const escalationHorizon = new Date(now.getTime() + connection.acceptanceEscalationMinutes * MINUTE);
  const nearDeadline = await prisma.orderLink.count({ where: { connectionId: connection.id, acceptanceStatus: "HELD", miraklState: "WAITING_ACCEPTANCE", acceptanceDeadline: { lte: escalationHorizon } } });
  if (nearDeadline > 0) await add(ORDER_JOBS.escalate, payload);

  const ago = (ms: number) => new Date(now.getTime() - ms);
  const stuckAcceptance = await prisma.orderLink.findMany({
    where: {
      connectionId: connection.id,
      miraklState: "WAITING_ACCEPTANCE",
      OR: [{ acceptanceStatus: "PENDING", updatedAt: { lt: ago(2 * MINUTE) } }, { acceptanceStatus: "HELD", holdReason: { startsWith: "UNVERIFIED" } }],
    },
    select: { id: true },
    take: SWEEP_LIMIT,
  });
  for (const l of stuckAcceptance) await add(ORDER_JOBS.accept, { ...payload, orderLinkId: l.id });

  const stuckImports = await prisma.orderLink.findMany({
    where: {
      connectionId: connection.id,
      OR: [
        { importStatus: "READY", updatedAt: { lt: ago(2 * MINUTE) } },
        { importStatus: "IMPORTING", importClaimedAt: { lt: ago(STALE_CLAIM_MS) } },
        { importStatus: "FAILED", holdReason: null, updatedAt: { lt: ago(30 * MINUTE) } },
      ],
    },
    select: { id: true },
    take: SWEEP_LIMIT,
  });
  for (const l of stuckImports) await add(ORDER_JOBS.import, { ...payload, orderLinkId: l.id });

  const cancellations = await prisma.orderLink.findMany({
    where: { connectionId: connection.id, importStatus: "IMPORTED", shopifyState: "OPEN", miraklState: { in: ["CANCELED", "REFUSED"] }, updatedAt: { lt: ago(5 * MINUTE) } },
    select: { id: true },
    take: SWEEP_LIMIT,
  });
  for (const l of cancellations) await add(ORDER_JOBS.cancelInShopify, { ...payload, orderLinkId: l.id });

  const unreferenced = await prisma.orderLink.count({ where: { connectionId: connection.id, importStatus: "IMPORTED", sellerReferenceSent: false } });
  if (unreferenced > 0) await add(ORDER_JOBS.writeReference, payload);
  return enqueued;
}
