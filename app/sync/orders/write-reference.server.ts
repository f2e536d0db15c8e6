/**
 * OR04: write the Shopify order name back to Mirakl as `order_reference_for_seller`, so the seller portal shows
 * which Shopify order a Mirakl order became. OR04 takes at most 100 orders and may run once a minute
 * (seller-api-notes §1.9); setting the same reference twice is harmless, so a call that timed out is simply
 * sent again. The pacing is checked before calling (the client would otherwise hold a worker for a minute) and
 * across processes through the connection's timeline, where every OR04 call is recorded.
 */
import type { Services } from "../../services.server";
import { logger } from "../../lib/logger";
import { recordEvent } from "../timeline.server";
import { enqueueOrderJob, ORDER_JOBS } from "./job-names";
import { recordOrderEvents } from "./order-timeline.server";

const log = logger.child({ module: "orders.reference" });

export const OR04_BATCH = 100;
export const OR04_INTERVAL_MS = 60_000;
const SENT_EVENT = "seller_references_sent";
const PACING_SLACK_MS = 2_000;

export type WriteReferenceOutcome =
  | { kind: "sent"; updated: number; errors: number; more: boolean }
  | { kind: "nothing_to_send" }
  | { kind: "paced"; retryInSeconds: number }
  | { kind: "skipped"; reason: string };

export async function writeSellerReferences({ services, connectionId }: { services: Services; connectionId: string }): Promise<WriteReferenceOutcome> {
  const connection = await services.prisma.marketplaceConnection.findUnique({ where: { id: connectionId } });
  if (!connection) return { kind: "skipped", reason: "connection deleted" };
  if (connection.paused) return { kind: "skipped", reason: "connection paused" };
  const where = { connectionId, importStatus: "IMPORTED", sellerReferenceSent: false, shopifyOrderName: { not: null } };
  const pending = await services.prisma.orderLink.findMany({ where, orderBy: { updatedAt: "asc" }, take: OR04_BATCH });
  if (pending.length === 0) return { kind: "nothing_to_send" };

  const client = services.mirakl(connection);
  const last = await services.prisma.syncEvent.findFirst({ where: { entityType: "connection", entityId: connectionId, kind: SENT_EVENT }, orderBy: { createdAt: "desc" }, select: { createdAt: true } });
  const now = Date.now();
  const wait = Math.max(last ? last.createdAt.getTime() + OR04_INTERVAL_MS - now : 0, client.nextAllowedAt("OR04") - now);
  const payload = { shop: connection.shop, connectionId };
  // A wait of a moment is left to the client's own pacing; anything longer would hold a worker, so come back later.
  if (wait > PACING_SLACK_MS) {
    const retryInSeconds = Math.ceil(wait / 1000);
    await enqueueOrderJob(services, ORDER_JOBS.writeReference, payload, { delaySeconds: retryInSeconds });
    return { kind: "paced", retryInSeconds };
  }

  const res = await client.updateOrders({ orders: pending.map((p) => ({ orderId: p.miraklOrderId, orderReferenceForSeller: p.shopifyOrderName as string })) });
  const failed = new Map<string, string>();
  for (const e of res.errors) failed.set(e.orderId, [e.code, e.field, e.message].filter(Boolean).join(" "));
  await recordEvent(services.prisma, {
    shop: connection.shop,
    connectionId,
    entityType: "connection",
    entityId: connectionId,
    kind: SENT_EVENT,
    level: failed.size > 0 ? "warning" : "info",
    message: `Sent Shopify order names to ${connection.name} for ${pending.length - failed.size} order(s)${failed.size > 0 ? `; ${failed.size} refused` : ""}`,
  });
  const okIds = pending.filter((p) => !failed.has(p.miraklOrderId)).map((p) => p.id);
  if (okIds.length > 0) await services.prisma.orderLink.updateMany({ where: { id: { in: okIds } }, data: { sellerReferenceSent: true } });
  for (const p of pending) {
    const why = failed.get(p.miraklOrderId);
    if (!why) continue;
    // lastError also moves the order to the back of the queue (updatedAt), so one refusal cannot block the rest.
    await services.prisma.orderLink.updateMany({ where: { id: p.id }, data: { lastError: `OR04: ${why}`.slice(0, 1000) } });
    await recordOrderEvents(services.prisma, p, [{ kind: "reference_failed", level: "warning", message: `Mirakl did not take the Shopify order name (${why})` }]);
  }
  const more = (await services.prisma.orderLink.count({ where: { ...where, id: { notIn: pending.map((p) => p.id) } } })) > 0;
  if (more) await enqueueOrderJob(services, ORDER_JOBS.writeReference, payload, { delaySeconds: Math.ceil(OR04_INTERVAL_MS / 1000) });
  log.info("seller references written", { shop: connection.shop, connectionId, updated: okIds.length, errors: failed.size, more });
  return { kind: "sent", updated: okIds.length, errors: failed.size, more };
}
