/**
 * Mirakl cancelled (or refused) an order or some of its lines after we imported it: the customer cancelled, the
 * debit failed, the operator cancelled, a line was cancelled with OR30. The Shopify order follows: cancelled
 * with restock and no customer email (orderCancel, Shopify notes §4.2), or its lines reduced to what Mirakl still
 * has (orderEdit, target quantities rather than deltas, so seeing the same cancellation twice changes nothing).
 *
 * Orders not imported yet need nothing here: the import only ever takes Mirakl's active lines (ingest marks
 * cancelled-before-import orders NOT_IMPORTED).
 */
import type { MarketplaceConnection, OrderLink } from "@prisma/client";
import type { Services } from "../../services.server";
import { AppError, errorMessage, ValidationError } from "../../lib/errors";
import { logger } from "../../lib/logger";
import { cancelOrder, getOrder, removeOrReduceLines, ShopifyUserError, type AdminClient, type LineQuantityChange, type OrderDetails, type ShopifyGid } from "../../shopify";
import { parseDecision } from "./acceptance-policy";
import { snapshotOf } from "./ingest.server";
import { activeLines, hasEndedUnshipped, reasonText, shopifyCancelReason } from "./mirakl-order";
import { cancelFailedTask, orderTaskKeys } from "./order-tasks";
import { recordOrderEvents } from "./order-timeline.server";
import { MIRAKL_METAFIELD_NAMESPACE } from "./shopify-order-input";

const log = logger.child({ module: "orders.cancellation" });

export type CancellationOutcome =
  | { kind: "cancelled" }
  | { kind: "already_cancelled" }
  | { kind: "lines_reduced"; lines: number }
  | { kind: "unchanged" }
  | { kind: "not_imported" }
  | { kind: "failed"; message: string };

export async function reflectMiraklCancellation({ services, orderLinkId }: { services: Services; orderLinkId: string }): Promise<CancellationOutcome> {
  const link = await services.prisma.orderLink.findUnique({ where: { id: orderLinkId } });
  if (!link) return { kind: "not_imported" };
  if (link.importStatus === "IMPORTING") {
    throw new AppError(`Order ${link.miraklOrderId} is being imported; its cancellation follows once it is in Shopify`, { code: "IMPORT_IN_PROGRESS", retryable: true, retryAfterMs: 15_000 });
  }
  if (link.importStatus !== "IMPORTED" || !link.shopifyOrderId) return { kind: "not_imported" };
  const connection = await services.prisma.marketplaceConnection.findUnique({ where: { id: link.connectionId } });
  if (!connection) return { kind: "not_imported" };
  const order = snapshotOf(link);
  const client = await services.shopifyAdmin(link.shop);
  const details = await getOrder({ client, id: link.shopifyOrderId as ShopifyGid, namespace: MIRAKL_METAFIELD_NAMESPACE, include: { fulfillmentOrders: false, fulfillments: false, refunds: false } });
  if (!details) {
    return fail({ services, connection, link, message: `the Shopify order ${link.shopifyOrderName ?? link.shopifyOrderId} no longer exists or cannot be read` });
  }
  if (hasEndedUnshipped(order.order_state) || activeLines(order).length === 0) return cancelWhole({ services, connection, link, client, details });
  return reduceLines({ services, connection, link, client, details });
}

async function cancelWhole(input: { services: Services; connection: MarketplaceConnection; link: OrderLink; client: AdminClient; details: OrderDetails }): Promise<CancellationOutcome> {
  const { services, connection, link, client, details } = input;
  const order = snapshotOf(link);
  // orderCancel is not idempotent (cancelling twice is a userError): the read above is the check.
  if (details.cancelledAt) {
    await markCancelled(services, connection, link, `Shopify order ${details.name} was already cancelled`);
    return { kind: "already_cancelled" };
  }
  try {
    await cancelOrder({
      client,
      orderId: details.id,
      reason: shopifyCancelReason(order),
      restock: true,
      notifyCustomer: false,
      refund: false,
      staffNote: `Cancelled on ${connection.name} (Mirakl order ${link.miraklOrderId}): ${reasonText(order)}`,
    });
  } catch (err) {
    if (!(err instanceof ShopifyUserError)) throw err; // may have applied: the next attempt reads cancelledAt first
    const again = await getOrder({ client, id: details.id, namespace: MIRAKL_METAFIELD_NAMESPACE, include: { fulfillmentOrders: false, fulfillments: false, refunds: false } });
    if (again?.cancelledAt) {
      await markCancelled(services, connection, link, `Shopify order ${details.name} was already cancelled`);
      return { kind: "already_cancelled" };
    }
    return fail({ services, connection, link, message: errorMessage(err) });
  }
  await markCancelled(services, connection, link, `Cancelled Shopify order ${details.name} (restocked, customer not notified) because ${connection.name} cancelled it: ${reasonText(order)}`);
  return { kind: "cancelled" };
}

async function markCancelled(services: Services, connection: MarketplaceConnection, link: OrderLink, message: string): Promise<void> {
  const res = await services.prisma.orderLink.updateMany({ where: { id: link.id, NOT: { shopifyState: "CANCELLED" } }, data: { shopifyState: "CANCELLED", lastError: null, version: { increment: 1 } } });
  if (res.count === 1) await recordOrderEvents(services.prisma, link, [{ kind: "shopify_cancelled", level: "warning", message }]);
  await services.tasks.resolve({ shop: link.shop, dedupeKey: orderTaskKeys.cancelFailed(connection.id, link.miraklOrderId) });
  log.info("Shopify order cancelled after a Mirakl cancellation", { shop: link.shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId });
}

async function reduceLines(input: { services: Services; connection: MarketplaceConnection; link: OrderLink; client: AdminClient; details: OrderDetails }): Promise<CancellationOutcome> {
  const { services, connection, link, client, details } = input;
  const order = snapshotOf(link);
  const decision = parseDecision(link.acceptanceDecision) ?? [];
  const active = new Map(activeLines(order).map((l) => [l.order_line_id, l.quantity]));
  const changes: LineQuantityChange[] = [];
  const described: string[] = [];
  for (const d of decision) {
    if (d.importPosition === null || d.importPosition === undefined) continue;
    const target = active.get(d.orderLineId) ?? 0;
    // The line as created (orderCreate keeps the input's order); fall back to the variant if the order was edited.
    let li = details.lineItems[d.importPosition];
    if (!li || (d.variantId && li.variantId && li.variantId !== d.variantId)) li = details.lineItems.find((x) => x.variantId === d.variantId) ?? li;
    if (!li || li.currentQuantity <= target) continue;
    changes.push({ lineItemId: li.id, quantity: target });
    described.push(`${d.offerSku} ${li.currentQuantity} → ${target}`);
  }
  if (changes.length === 0) return { kind: "unchanged" };
  try {
    const res = await removeOrReduceLines({ client, orderId: details.id, changes, restock: true, notifyCustomer: false, staffNote: `Lines cancelled on ${connection.name} (Mirakl order ${link.miraklOrderId})` });
    if (res.kind === "unchanged") return { kind: "unchanged" };
  } catch (err) {
    if (err instanceof ValidationError || err instanceof ShopifyUserError) return fail({ services, connection, link, message: errorMessage(err) });
    throw err;
  }
  await services.prisma.orderLink.updateMany({ where: { id: link.id }, data: { shopifyState: "PARTIALLY_CANCELLED", version: { increment: 1 } } });
  await recordOrderEvents(services.prisma, link, [{ kind: "shopify_lines_reduced", level: "warning", message: `Reduced Shopify order ${details.name} to match ${connection.name} (restocked, customer not notified): ${described.join(", ")}` }]);
  await services.tasks.resolve({ shop: link.shop, dedupeKey: orderTaskKeys.cancelFailed(connection.id, link.miraklOrderId) });
  return { kind: "lines_reduced", lines: changes.length };
}

async function fail(input: { services: Services; connection: MarketplaceConnection; link: OrderLink; message: string }): Promise<CancellationOutcome> {
  const { services, connection, link, message } = input;
  await services.prisma.orderLink.updateMany({ where: { id: link.id }, data: { lastError: `Shopify cancellation: ${message}`.slice(0, 1000) } });
  await services.tasks.raise(cancelFailedTask({ connection, link, message }));
  await recordOrderEvents(services.prisma, link, [{ kind: "shopify_cancel_failed", level: "error", message: `Could not reflect the Mirakl cancellation in Shopify: ${message}` }]);
  log.warn("could not reflect a Mirakl cancellation in Shopify", { shop: link.shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId, error: message });
  return { kind: "failed", message };
}
