import type { Services } from "../../services.server";
import { logger } from "../../lib/logger";
import { recordEvent } from "../timeline.server";
import { FINAL_STATUSES, createAdjustment, parseRequest, type AdjustmentRequest } from "./adjustment-store.server";
import { cancelNotAllowedTask, duplicateOrderTask, duplicateOrderTaskKey } from "./adjustment-tasks";
import { findLinkByPreviousShopifyOrder, findLinkByShopifyOrder, orderEntity, readMiraklOrder } from "./context.server";
import { CANCELLABLE_LINE_STATES, activeLines } from "./line-amounts";
import { REPLACEMENT_GRACE_SECONDS, claimedMiraklIds, moveLink, searchReplacement } from "./replacement-orders.server";
import { sendAdjustment, type SendAdjustmentOutcome } from "./send-adjustment.server";
import { orderGidFromId, orderPayloadSchema } from "./shopify-payloads";
import { replanOrderRefunds } from "./refund-replan.server";

const log = logger.child({ module: "adjustments" });

export type OrderCancelledOutcome =
  | { kind: "ignored"; reason: string }
  | { kind: "replaced"; by: string }
  | { kind: "waiting"; adjustmentId: string; notBefore: string }
  | { kind: "skipped"; reason: string };

function reasonHint(cancelReason: string | null | undefined): AdjustmentRequest["reasonHint"] {
  const r = (cancelReason ?? "").toLowerCase();
  return r === "inventory" ? "stock" : r === "customer" ? "customer" : "other";
}

/**
 * orders/cancelled on an imported order. An order-editing app "edits" by cancelling the order and creating a copy
 * (seeds/003), so a cancellation is not yet a Mirakl cancellation: look for a replacement carrying the Mirakl id
 * first; if none is visible, wait REPLACEMENT_GRACE_SECONDS (the replacement's webhook may come later, notes §3.4)
 * and decide then (decideCancellation). Idempotent by `cancel:<shopify order id>`.
 */
export async function handleOrderCancelled({ services, shop, payload }: { services: Services; shop: string; payload: unknown }): Promise<OrderCancelledOutcome> {
  const parsed = orderPayloadSchema.safeParse(payload);
  if (!parsed.success) return { kind: "ignored", reason: "unreadable order payload" };
  const p = parsed.data;
  const prisma = services.prisma;
  const orderGid = p.admin_graphql_api_id ?? orderGidFromId(p.id);
  const link = await findLinkByShopifyOrder(prisma, shop, orderGid);
  if (!link) {
    // A copy that claimed a Mirakl order is gone again: the duplicate warning no longer applies.
    const claimed = claimedMiraklIds(p);
    if (claimed.length > 0) {
      const links = await prisma.orderLink.findMany({ where: { shop, miraklOrderId: { in: claimed } }, include: { connection: true } });
      for (const l of links) await services.tasks.resolve({ shop, dedupeKey: duplicateOrderTaskKey(l.connection, l.miraklOrderId) });
    }
    const previous = await findLinkByPreviousShopifyOrder(prisma, shop, orderGid);
    return { kind: "ignored", reason: previous ? "this order was already replaced" : "not an imported Mirakl order" };
  }
  const dedupeKey = `cancel:${orderGid}`;
  const existing = await prisma.miraklAdjustment.findUnique({ where: { dedupeKey } });
  if (existing) return { kind: "ignored", reason: `cancellation already handled (${existing.status.toLowerCase()})` };
  const request: AdjustmentRequest = {
    source: "cancel",
    shopifyOrderId: orderGid,
    shopifyOrderName: p.name ?? link.shopifyOrderName,
    shopifyEditId: null,
    reasonHint: reasonHint(p.cancel_reason),
    lines: [],
    notBefore: null,
    plan: null,
  };
  const entity = orderEntity(link);

  // Mirakl cancelled or refused first and the order flow cancelled Shopify to match: nothing to tell Mirakl.
  if (link.miraklState === "CANCELED" || link.miraklState === "REFUSED") {
    await prisma.orderLink.updateMany({ where: { id: link.id, shopifyOrderId: orderGid }, data: { shopifyState: "CANCELLED" } });
    await createAdjustment(prisma, { orderLinkId: link.id, connectionId: link.connectionId, dedupeKey, kind: "CANCEL_ORDER", status: "SKIPPED", request, result: { reason: `already ${link.miraklState.toLowerCase()} on Mirakl` } });
    return { kind: "skipped", reason: "already cancelled on Mirakl" };
  }

  const found = await searchReplacement({ services, link });
  if (found.kind === "one") {
    await createAdjustment(prisma, { orderLinkId: link.id, connectionId: link.connectionId, dedupeKey, kind: "CANCEL_ORDER", status: "SKIPPED", request, result: { reason: "replaced", replacedBy: found.order.id } });
    await moveLink({ services, link, from: orderGid, to: { id: found.order.id, name: found.order.name }, via: "search" });
    return { kind: "replaced", by: found.order.id };
  }

  const notBefore = new Date(services.now().getTime() + REPLACEMENT_GRACE_SECONDS * 1000).toISOString();
  await prisma.orderLink.updateMany({ where: { id: link.id, shopifyOrderId: orderGid }, data: { shopifyState: "CANCELLED" } });
  const { row, created } = await createAdjustment(prisma, {
    orderLinkId: link.id,
    connectionId: link.connectionId,
    dedupeKey,
    kind: "CANCEL_ORDER",
    status: "PENDING",
    request: { ...request, notBefore },
  });
  if (!created) return { kind: "ignored", reason: "cancellation already handled" };
  if (found.kind === "several") {
    for (const o of found.orders) await services.tasks.raise(duplicateOrderTask(link.connection, link, { id: o.id, name: o.name }));
  }
  await recordEvent(prisma, {
    ...entity,
    kind: "shopify_order_cancelled",
    message: `${request.shopifyOrderName ?? orderGid} was cancelled in Shopify. Unless a replacement order carrying Mirakl order ${link.miraklOrderId} appears by ${notBefore}, the Mirakl order will be cancelled too.`,
    data: { adjustmentId: row.id, notBefore },
  });
  await services.jobs.enqueueByName("adjustments.decide-cancel", { shop, connectionId: link.connectionId, adjustmentId: row.id }, { delaySeconds: REPLACEMENT_GRACE_SECONDS });
  // Shopify sends refunds/create and orders/cancelled in either order: a refund planned before this cancellation
  // existed told CX to act by hand; its task now says the cancellation covers it.
  await replanOrderRefunds({ services, orderLinkId: link.id, force: true });
  log.info("shopify cancellation waiting for a replacement", { shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId, notBefore });
  return { kind: "waiting", adjustmentId: row.id, notBefore };
}

export type DecideCancellationOutcome = SendAdjustmentOutcome | { kind: "replaced"; by: string };

/**
 * After the grace period: a replacement that appeared meanwhile wins (the link moves, Mirakl is not touched);
 * otherwise OR29 where Mirakl allows it (`can_cancel`), OR30 for the lines that can still be cancelled when only
 * part of the order can (partial cancellation), else a Task saying what to do in the Mirakl back office.
 */
export async function decideCancellation({ services, adjustmentId }: { services: Services; adjustmentId: string }): Promise<DecideCancellationOutcome> {
  const prisma = services.prisma;
  const row = await prisma.miraklAdjustment.findUnique({ where: { id: adjustmentId } });
  if (!row) return { kind: "skipped", reason: "adjustment not found" };
  if (FINAL_STATUSES.has(row.status)) return { kind: "finished", status: row.status };
  const request = parseRequest(row);
  if (row.status === "SENDING" || request.plan) return sendAdjustment({ services, adjustmentId });
  if (request.notBefore && new Date(request.notBefore).getTime() > services.now().getTime()) return { kind: "waiting", until: request.notBefore };
  const link = await prisma.orderLink.findUnique({ where: { id: row.orderLinkId }, include: { connection: true } });
  if (!link) return { kind: "skipped", reason: "order link deleted" };
  if (link.shopifyOrderId !== request.shopifyOrderId) {
    await prisma.miraklAdjustment.updateMany({ where: { id: row.id, status: "PENDING" }, data: { status: "SKIPPED", result: { reason: "replaced", replacedBy: link.shopifyOrderId } } });
    return { kind: "replaced", by: link.shopifyOrderId ?? "" };
  }
  const found = await searchReplacement({ services, link });
  if (found.kind === "one") {
    await moveLink({ services, link, from: request.shopifyOrderId, to: { id: found.order.id, name: found.order.name }, via: "search" });
    return { kind: "replaced", by: found.order.id };
  }
  if (found.kind === "several") {
    for (const o of found.orders) await services.tasks.raise(duplicateOrderTask(link.connection, link, { id: o.id, name: o.name }));
    await prisma.miraklAdjustment.updateMany({ where: { id: row.id, status: "PENDING" }, data: { status: "TASK", result: { reason: "several possible replacement orders" } } });
    return { kind: "task", reason: "several replacements" };
  }

  const order = await readMiraklOrder(services, link.connection, link.miraklOrderId);
  if (order.order_state === "CANCELED" || order.order_state === "REFUSED") {
    await prisma.miraklAdjustment.updateMany({ where: { id: row.id, status: "PENDING" }, data: { status: "SKIPPED", result: { reason: `already ${order.order_state.toLowerCase()} on Mirakl` } } });
    return { kind: "skipped", reason: "already cancelled on Mirakl" };
  }
  if (order.can_cancel !== true) {
    const open = activeLines(order).filter((l) => CANCELLABLE_LINE_STATES.has(l.order_line_state));
    if (link.connection.partialCancel && open.length > 0) {
      const lines = open.map((l) => ({ orderLineId: l.order_line_id, offerSku: l.offer_sku, quantity: l.quantity }));
      await prisma.miraklAdjustment.updateMany({ where: { id: row.id, status: "PENDING" }, data: { kind: "CANCEL_LINES", request: { ...request, lines } } });
      return sendAdjustment({ services, adjustmentId });
    }
    const shipped = activeLines(order)
      .filter((l) => !CANCELLABLE_LINE_STATES.has(l.order_line_state))
      .map((l) => ({ name: l.product_title ?? l.offer_sku, sku: l.offer_sku, quantity: l.quantity }));
    const moved = await prisma.miraklAdjustment.updateMany({ where: { id: row.id, status: "PENDING" }, data: { status: "TASK", result: { reason: `Mirakl does not allow cancelling (order ${order.order_state})` } } });
    if (moved.count === 1) {
      await services.tasks.raise(cancelNotAllowedTask(link.connection, link, request.shopifyOrderId, order.order_state, shipped));
      await recordEvent(prisma, { ...orderEntity(link), kind: "adjustment_needs_person", level: "warning", message: `${request.shopifyOrderName ?? "The Shopify order"} was cancelled but Mirakl order ${link.miraklOrderId} can no longer be cancelled (${order.order_state}); a task was raised` });
    }
    return { kind: "task", reason: "not cancellable on Mirakl" };
  }
  return sendAdjustment({ services, adjustmentId });
}
