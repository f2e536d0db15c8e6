import { z } from "zod";
import { defineJob, type JobDefinition } from "./define-job";
import type { ScheduleContext } from "./schedule-context";
import { STALE_CLAIM_MS, parseRequest } from "../sync/adjustments/adjustment-store.server";
import { miraklRefusedTask } from "../sync/adjustments/adjustment-tasks";
import { decideCancellation } from "../sync/adjustments/order-cancellations.server";
import { registerAdjustmentHandlers } from "../sync/adjustments/register.server";
import { sendAdjustment } from "../sync/adjustments/send-adjustment.server";
import { sendRefundRequest } from "../sync/adjustments/refund-requests.server";
import { retryPortalRefundMirrors } from "../sync/adjustments/portal-refunds.server";
import { onCancellationSettled } from "../sync/adjustments/refund-replan.server";

// Webhook handlers (orders/edited, orders/cancelled, orders/updated, refunds/create) and the Mirakl order-update
// listener (refunds made in the Mirakl back office) of this area.
registerAdjustmentHandlers();

const adjustmentPayload = z.object({ shop: z.string(), connectionId: z.string(), adjustmentId: z.string() });
const refundPayload = z.object({ shop: z.string(), connectionId: z.string(), refundRequestId: z.string() });

async function adjustmentDeadLetter(p: z.infer<typeof adjustmentPayload>, error: string, services: ScheduleContext["services"]): Promise<void> {
  const row = await services.prisma.miraklAdjustment.findUnique({ where: { id: p.adjustmentId } });
  const link = row ? await services.prisma.orderLink.findUnique({ where: { id: row.orderLinkId }, include: { connection: true } }) : null;
  if (!row || !link) return services.tasks.raiseJobFailure({ jobName: "adjustments.send", payload: p, error });
  const what = row.kind === "CANCEL_ORDER" ? "the order cancellation" : "the line cancellation";
  await services.tasks.raise(miraklRefusedTask(link.connection, link, `adjustment-refused:${row.dedupeKey}`, what, `Mirakl kept failing: ${error}. We re-read the order before every attempt, so nothing was sent twice`));
}

/** Whether a send/decide run settled the adjustment (not still waiting, claimed elsewhere or already done before). */
const settled = (outcome: { kind: string }) => outcome.kind !== "waiting" && outcome.kind !== "busy" && outcome.kind !== "finished";

/** adjustments.send: one OR30/OR29 adjustment, claimed, reconciled and sent (app/sync/adjustments/send-adjustment). */
export const adjustmentSendJob = defineJob({
  name: "adjustments.send",
  schema: adjustmentPayload,
  key: (p) => p.adjustmentId,
  retryLimit: 8,
  retryDelaySeconds: 15,
  handler: async ({ adjustmentId }, { services }) => {
    const outcome = await sendAdjustment({ services, adjustmentId });
    // A refund of the same order may be waiting on this cancellation ("No action: …"): it closes or is reworded now.
    if (settled(outcome)) await onCancellationSettled({ services, adjustmentId });
    return outcome;
  },
  onDeadLetter: (p, error, { services }) => adjustmentDeadLetter(p, error, services),
});

/** adjustments.decide-cancel: a Shopify cancellation after its grace period (replacement, OR29, OR30 or a Task). */
export const adjustmentDecideCancelJob = defineJob({
  name: "adjustments.decide-cancel",
  schema: adjustmentPayload,
  key: (p) => p.adjustmentId,
  retryLimit: 8,
  retryDelaySeconds: 15,
  handler: async ({ adjustmentId }, { services }) => {
    const outcome = await decideCancellation({ services, adjustmentId });
    if (settled(outcome)) await onCancellationSettled({ services, adjustmentId });
    return outcome;
  },
  onDeadLetter: (p, error, { services }) => adjustmentDeadLetter(p, error, services),
});

/** adjustments.send-refund: OR28 for a refund request (auto-send, or the retry after an unanswered send). */
export const refundSendJob = defineJob({
  name: "adjustments.send-refund",
  schema: refundPayload,
  key: (p) => p.refundRequestId,
  retryLimit: 8,
  retryDelaySeconds: 15,
  handler: ({ shop, refundRequestId }, { services }) => sendRefundRequest({ services, shop, refundRequestId, mode: "job" }),
});

/** adjustments.mirror-portal-refunds: finish recording back-office Mirakl refunds in Shopify after an interrupted attempt. */
export const portalRefundMirrorJob = defineJob({
  name: "adjustments.mirror-portal-refunds",
  schema: z.object({ shop: z.string(), connectionId: z.string(), orderLinkId: z.string() }),
  key: (p) => p.orderLinkId,
  retryLimit: 8,
  retryDelaySeconds: 30,
  handler: ({ orderLinkId }, { services }) => retryPortalRefundMirrors({ services, orderLinkId }),
});

/** The adjustments area's jobs (see app/sync/adjustments/). */
export const adjustmentJobs: JobDefinition<any>[] = [adjustmentSendJob, adjustmentDecideCancelJob, refundSendJob, portalRefundMirrorJob];

/**
 * Safety net, every minute per connection: work whose job was lost (a crash between the row and the enqueue, a
 * dead-lettered retry) is queued again. Stately keys make a second enqueue of waiting work a no-op.
 * - cancellations whose grace period is over, and other PENDING adjustments older than a minute;
 * - adjustments and refund requests left SENDING without a claim (unknown outcome) or with a stale claim;
 * - refunds that should be sent automatically and are still OPEN;
 * - back-office refunds whose recording in Shopify was interrupted.
 */
export async function scheduleAdjustmentJobs({ services, connection, now }: ScheduleContext): Promise<number> {
  const prisma = services.prisma;
  const shop = connection.shop;
  const minuteAgo = new Date(now.getTime() - 60_000);
  const stale = new Date(now.getTime() - STALE_CLAIM_MS);
  let enqueued = 0;
  const adjustments = await prisma.miraklAdjustment.findMany({
    where: {
      connectionId: connection.id,
      OR: [{ status: "PENDING", updatedAt: { lt: minuteAgo } }, { status: "SENDING", claim: null }, { status: "SENDING", updatedAt: { lt: stale } }],
    },
    take: 100,
  });
  for (const a of adjustments) {
    const request = parseRequest(a);
    if (a.status === "PENDING" && request.notBefore && new Date(request.notBefore) > now) continue;
    const def = a.dedupeKey.startsWith("cancel:") && a.status === "PENDING" ? adjustmentDecideCancelJob : adjustmentSendJob;
    if (await services.jobs.enqueue(def, { shop, connectionId: connection.id, adjustmentId: a.id })) enqueued++;
  }
  const refunds = await prisma.refundRequest.findMany({
    where: {
      connectionId: connection.id,
      OR: [
        { status: "SENDING", sendClaim: null, updatedAt: { lt: minuteAgo } },
        { status: "SENDING", updatedAt: { lt: stale } },
        ...(connection.autoSendRefunds ? [{ status: "OPEN", reasonCode: { not: null }, updatedAt: { lt: minuteAgo } }] : []),
      ],
      // Mirrors of back-office refunds are retried by the order-update listener, not here.
      shopifyRefundId: { startsWith: "gid://" },
    },
    take: 100,
  });
  for (const r of refunds) {
    if (await services.jobs.enqueue(refundSendJob, { shop, connectionId: connection.id, refundRequestId: r.id })) enqueued++;
  }
  // Back-office refunds whose mirroring into Shopify was interrupted (the poller only re-emits changed orders).
  const mirrors = await prisma.refundRequest.findMany({
    where: { connectionId: connection.id, status: "SENDING", shopifyRefundId: { startsWith: "mirakl:" }, updatedAt: { lt: stale } },
    select: { orderLinkId: true },
    distinct: ["orderLinkId"],
    take: 50,
  });
  for (const m of mirrors) {
    if (await services.jobs.enqueue(portalRefundMirrorJob, { shop, connectionId: connection.id, orderLinkId: m.orderLinkId })) enqueued++;
  }
  return enqueued;
}
