/**
 * OR04: write the Shopify order name back to Mirakl as `order_reference_for_seller`, so the seller portal shows
 * which Shopify order a Mirakl order became. OR04 takes at most 100 orders and may run once a minute
 * (seller-api-notes §1.9); setting the same reference twice is harmless, so a call that timed out is simply
 * sent again. The pacing is checked before calling (the client would otherwise hold a worker for a minute) and
 * across processes through the connection's timeline, where every OR04 call is recorded.
 *
 * A per-order refusal (Mirakl answered, and said no for that order) will not change by itself, so an order is
 * sent at most OR04_MAX_REFUSALS times: the refusals are counted from its timeline ("reference_failed"), and the
 * last one also stamps lastError with a fixed prefix that keeps the order out of the queue query. A failed call
 * (timeout, 5xx) throws before anything is recorded: it is not a refusal and the job retries it.
 */
import type { Prisma } from "@prisma/client";
import type { Services } from "../../services.server";
import { logger } from "../../lib/logger";
import { recordEvent } from "../timeline.server";
import { enqueueOrderJob, ORDER_JOBS } from "./job-names";
import { recordOrderEvents } from "./order-timeline.server";

const log = logger.child({ module: "orders.reference" });

export const OR04_BATCH = 100;
export const OR04_INTERVAL_MS = 60_000;
export const OR04_MAX_REFUSALS = 3;
const SENT_EVENT = "seller_references_sent";
const REFUSED_EVENT = "reference_failed";
/** lastError of an order given up on; also what keeps it out of the queue (see pendingWhere). */
export const REFERENCE_GIVEN_UP = `OR04: Mirakl refused the Shopify order name ${OR04_MAX_REFUSALS} times; not sent again`;
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
  const where = pendingWhere(connectionId);
  const candidates = await services.prisma.orderLink.findMany({ where, orderBy: { updatedAt: "asc" }, take: OR04_BATCH });
  const refusals = await refusalCounts(services, candidates.map((c) => c.id));
  // Given up already, but another flow overwrote the lastError that marks it: never sent again all the same.
  const exhausted = candidates.filter((c) => (refusals.get(c.id) ?? 0) >= OR04_MAX_REFUSALS);
  if (exhausted.length > 0) await markGivenUp(services, exhausted.map((c) => c.id));
  const pending = candidates.filter((c) => (refusals.get(c.id) ?? 0) < OR04_MAX_REFUSALS);
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
    const refused = (refusals.get(p.id) ?? 0) + 1;
    const last = refused >= OR04_MAX_REFUSALS;
    // The event is written first: it is the count. lastError also moves the order to the back of the queue
    // (updatedAt), so one refusal cannot block the rest; after the last refusal it takes the order out of it.
    await recordOrderEvents(services.prisma, p, [
      {
        kind: REFUSED_EVENT,
        level: last ? "error" : "warning",
        message: last
          ? `Mirakl refused the Shopify order name ${OR04_MAX_REFUSALS} times; not sent again (${why}). The order itself is unaffected; only the seller reference in the Mirakl back office stays empty.`
          : `Mirakl did not take the Shopify order name (${why}); refusal ${refused} of ${OR04_MAX_REFUSALS}, sent again with the next batch`,
        data: { refusal: refused, max: OR04_MAX_REFUSALS },
      },
    ]);
    await services.prisma.orderLink.updateMany({ where: { id: p.id }, data: { lastError: (last ? `${REFERENCE_GIVEN_UP} (${why})` : `OR04: ${why}`).slice(0, 1000) } });
    if (last) log.warn("seller reference given up after repeated refusals", { shop: connection.shop, connectionId, miraklOrderId: p.miraklOrderId, refusals: refused });
  }
  const more = (await services.prisma.orderLink.count({ where: { ...where, id: { notIn: candidates.map((p) => p.id) } } })) > 0;
  if (more) await enqueueOrderJob(services, ORDER_JOBS.writeReference, payload, { delaySeconds: Math.ceil(OR04_INTERVAL_MS / 1000) });
  log.info("seller references written", { shop: connection.shop, connectionId, updated: okIds.length, errors: failed.size, more });
  return { kind: "sent", updated: okIds.length, errors: failed.size, more };
}

/**
 * Imported orders whose reference Mirakl has not taken yet, less those given up on. The OR is needed: NOT on a
 * NULL column is NULL in SQL, so `NOT startsWith` alone would also drop every order without a lastError.
 */
function pendingWhere(connectionId: string): Prisma.OrderLinkWhereInput {
  return {
    connectionId,
    importStatus: "IMPORTED",
    sellerReferenceSent: false,
    shopifyOrderName: { not: null },
    OR: [{ lastError: null }, { NOT: { lastError: { startsWith: REFERENCE_GIVEN_UP } } }],
  };
}

/** Refusals so far per order, from the orders' timelines (indexed by entity). */
async function refusalCounts(services: Services, orderLinkIds: string[]): Promise<Map<string, number>> {
  if (orderLinkIds.length === 0) return new Map();
  const rows = await services.prisma.syncEvent.groupBy({
    by: ["entityId"],
    where: { entityType: "order", entityId: { in: orderLinkIds }, kind: REFUSED_EVENT },
    _count: { _all: true },
  });
  return new Map(rows.map((r) => [r.entityId, r._count._all]));
}

/** Puts the marker back on orders given up on, without overwriting another flow's error (e.g. a Shopify cancellation). */
async function markGivenUp(services: Services, ids: string[]): Promise<void> {
  await services.prisma.orderLink.updateMany({
    where: { id: { in: ids }, OR: [{ lastError: null }, { lastError: { startsWith: "OR04:" } }] },
    data: { lastError: REFERENCE_GIVEN_UP },
  });
}
