import type { MiraklOrder, MiraklOrderLine } from "../../mirakl";
import type { Services } from "../../services.server";
import { asGid, fromGid, getOrder, type OrderDetails, type OrderLineItem } from "../../shopify";
import { logger } from "../../lib/logger";
import { recordEvent } from "../timeline.server";
import { createAdjustment, type AdjustmentRequest } from "./adjustment-store.server";
import { editAdditionsTask, editLockedTask, editNoPartialCancelTask, editSwapTask, type ItemRef } from "./adjustment-tasks";
import { MIRAKL_METAFIELD, findLinkByShopifyOrder, loadSkuToOffer, orderEntity, pickCancelationReason, readMiraklOrder, type LinkWithConnection } from "./context.server";
import { CANCELLABLE_LINE_STATES, activeLines } from "./line-amounts";
import { SHIPPED_STATES } from "../fulfilment/order-lines";
import { orderEditedPayloadSchema, orderGidFromId } from "./shopify-payloads";

const log = logger.child({ module: "adjustments" });

export type OrderEditOutcome =
  | { kind: "ignored"; reason: string }
  | { kind: "queued"; adjustmentId: string; operation: "OR30" | "OR29"; lines: AdjustmentRequest["lines"] }
  | { kind: "task"; reason: "additions" | "swap" | "locked" | "no_partial_cancel"; adjustmentId: string }
  | { kind: "in_step"; adjustmentId: string };

interface Change {
  lineItem: OrderLineItem;
  delta: number;
}

/**
 * orders/edited on an imported order. Mirakl order lines cannot be edited: units can only be canceled before
 * shipment (OR30, notes §2.1) or refunded after (OR28). So:
 * - removed lines / reduced quantities → OR30 with amounts and taxes from the Mirakl line (sent by the
 *   adjustments.send job), or OR29 when the edit removed everything, or a Task when the marketplace has no
 *   partial cancellation;
 * - added lines, raised quantities and SKU swaps cannot exist on Mirakl → a Task saying what it means for the
 *   customer; nothing is sent (cancelling the swapped-out item would refund the customer for an item they get);
 * - removals on lines already being fulfilled (fulfilled units, a started fulfilment order, tracking for that line
 *   already on Mirakl, a Mirakl order or line past SHIPPING) are locked → a Task; nothing is sent. An order whose
 *   other lines are fulfilled (fulfilmentStatus PARTIAL / TRACKING_SENT) is not locked as a whole: on single-
 *   shipment marketplaces OR24 waits for every line, so an unfulfilled line can still be cancelled (OR30).
 * The payload only has line-item ids and deltas (notes §3.2): the order is re-read from Shopify, and the Mirakl
 * order from OR11. Idempotent by the edit id (`edit:<order_edit id>`); our own edits (e.g. mirroring a Mirakl
 * cancelation) find Mirakl already at the new quantities and end as "in step".
 */
export async function handleOrderEdited({ services, shop, payload }: { services: Services; shop: string; payload: unknown }): Promise<OrderEditOutcome> {
  const parsed = orderEditedPayloadSchema.safeParse(payload);
  if (!parsed.success) return { kind: "ignored", reason: "unreadable orders/edited payload" };
  const edit = parsed.data.order_edit;
  const prisma = services.prisma;
  const orderGid = orderGidFromId(edit.order_id);
  const link = await findLinkByShopifyOrder(prisma, shop, orderGid);
  if (!link) return { kind: "ignored", reason: "not an imported Mirakl order" };
  const dedupeKey = `edit:${edit.id}`;
  const existing = await prisma.miraklAdjustment.findUnique({ where: { dedupeKey } });
  if (existing) return { kind: "ignored", reason: `edit ${edit.id} already handled (${existing.status.toLowerCase()})` };
  const { additions, removals } = edit.line_items;
  if (additions.length === 0 && removals.length === 0) return { kind: "ignored", reason: "the edit changed no line item" };

  const conn = link.connection;
  const client = await services.shopifyAdmin(shop);
  const order = await getOrder({ client, id: asGid(orderGid, "Order"), namespace: MIRAKL_METAFIELD.namespace, include: { fulfillmentOrders: true, fulfillments: false, refunds: false } });
  if (!order) return { kind: "ignored", reason: "the Shopify order no longer exists" };
  const mirakl = await readMiraklOrder(services, conn, link.miraklOrderId);
  const { toOffer } = await loadSkuToOffer(prisma, conn.id);

  const byNumericId = new Map(order.lineItems.map((li) => [fromGid(li.id).id, li]));
  const resolve = (list: ReadonlyArray<{ id: string; delta: number }>): Change[] =>
    list.flatMap((c) => {
      const lineItem = byNumericId.get(c.id);
      return lineItem && c.delta > 0 ? [{ lineItem, delta: c.delta }] : [];
    });
  const removed = resolve(removals);
  const added = resolve(additions);
  const ref = (c: Change): ItemRef => ({ name: c.lineItem.name, sku: c.lineItem.sku, quantity: c.delta });
  const request: AdjustmentRequest = {
    source: "edit",
    shopifyOrderId: orderGid,
    shopifyOrderName: order.name,
    shopifyEditId: edit.id,
    reasonHint: "customer",
    lines: [],
    notBefore: null,
    plan: null,
  };
  const entity = orderEntity(link);

  if (added.length > 0) {
    const swap = removed.length > 0;
    const task = swap ? editSwapTask(conn, link, edit.id, removed.map(ref), added.map(ref)) : editAdditionsTask(conn, link, edit.id, added.map(ref));
    const { row } = await createAdjustment(prisma, { orderLinkId: link.id, connectionId: conn.id, dedupeKey, kind: "CANCEL_LINES", status: "TASK", request, lastError: swap ? "SKU swap: Mirakl lines cannot change item" : "added units cannot exist on Mirakl" });
    await services.tasks.raise(task);
    await recordEvent(prisma, { ...entity, kind: "edit_not_on_mirakl", level: "warning", message: `${order.name} was edited: ${swap ? "an item was swapped" : "items were added"}; Mirakl cannot take that, a task was raised`, data: { editId: edit.id, adjustmentId: row.id } });
    return { kind: "task", reason: swap ? "swap" : "additions", adjustmentId: row.id };
  }

  const tracked = await linesWithTrackingOnMirakl(prisma, link.id);
  const locked = removed.map((c) => ({ c, why: lockReason({ change: c, order, link, mirakl, tracked, offer: c.lineItem.sku ? toOffer(c.lineItem.sku) : null }) })).filter((x) => x.why !== null);
  if (locked.length > 0) {
    const { row } = await createAdjustment(prisma, { orderLinkId: link.id, connectionId: conn.id, dedupeKey, kind: "CANCEL_LINES", status: "TASK", request, lastError: "edit on lines already being fulfilled" });
    await services.tasks.raise(editLockedTask(conn, link, edit.id, removed.map(ref), locked.map((l) => l.why).join("; ")));
    await recordEvent(prisma, { ...entity, kind: "edit_locked", level: "warning", message: `${order.name} was edited after fulfilment started; the edit was not sent to Mirakl`, data: { editId: edit.id, adjustmentId: row.id } });
    return { kind: "task", reason: "locked", adjustmentId: row.id };
  }

  request.lines = unitsToCancel({ removed, order, mirakl, toOffer });
  if (request.lines.length === 0) {
    const { row } = await createAdjustment(prisma, { orderLinkId: link.id, connectionId: conn.id, dedupeKey, kind: "CANCEL_LINES", status: "SKIPPED", request, result: { reason: "Mirakl already shows these quantities (or the removed items were never on the Mirakl order)" } });
    await recordEvent(prisma, { ...entity, kind: "edit_in_step", message: `${order.name} was edited; Mirakl already shows the same quantities, nothing to send`, data: { editId: edit.id } });
    return { kind: "in_step", adjustmentId: row.id };
  }

  // Removing every unit of every line is a whole-order cancel, which OR29 takes even without partial cancellation.
  const remaining = activeLines(mirakl).reduce((s, l) => s + l.quantity, 0);
  const cancelled = request.lines.reduce((s, l) => s + l.quantity, 0);
  const wholeOrder = cancelled >= remaining && mirakl.can_cancel === true;
  if (!wholeOrder && !conn.partialCancel) {
    const { row } = await createAdjustment(prisma, { orderLinkId: link.id, connectionId: conn.id, dedupeKey, kind: "CANCEL_LINES", status: "TASK", request, lastError: "partial cancellation is not enabled on this marketplace" });
    const reason = pickCancelationReason(conn, "customer");
    await services.tasks.raise(editNoPartialCancelTask(conn, link, edit.id, removed.map(ref), reason?.label ?? null));
    await recordEvent(prisma, { ...entity, kind: "edit_not_on_mirakl", level: "warning", message: `${order.name} was edited; ${conn.name} has no partial cancellation, a task says what to cancel in the Mirakl back office`, data: { editId: edit.id } });
    return { kind: "task", reason: "no_partial_cancel", adjustmentId: row.id };
  }
  const kind = wholeOrder ? "CANCEL_ORDER" : "CANCEL_LINES";
  const { row } = await createAdjustment(prisma, { orderLinkId: link.id, connectionId: conn.id, dedupeKey, kind, status: "PENDING", request });
  await recordEvent(prisma, {
    ...entity,
    kind: "edit_received",
    message: `${order.name} was edited: ${request.lines.map((l) => `${l.quantity} × ${l.offerSku}`).join(", ")} to cancel on Mirakl (${wholeOrder ? "OR29, whole order" : "OR30"})`,
    data: { editId: edit.id, adjustmentId: row.id },
  });
  await services.jobs.enqueueByName("adjustments.send", { shop, connectionId: conn.id, adjustmentId: row.id });
  log.info("order edit queued for Mirakl", { shop, connectionId: conn.id, miraklOrderId: link.miraklOrderId, editId: edit.id, kind });
  return { kind: "queued", adjustmentId: row.id, operation: wholeOrder ? "OR29" : "OR30", lines: request.lines };
}

/**
 * Mirakl order lines whose shipment Mirakl has heard of, from the fulfilment flow's FulfillmentLink rows: tracking
 * accepted by OR23 (sentAt: single-shipment sends the newest parcel's tracking as the order's), a shipment created
 * with ST01 (miraklShipmentId), a fulfilment Mirakl confirmed (ACKNOWLEDGED), or one mirrored from the Mirakl back
 * office. Status SENT alone is not enough: single-shipment also marks fulfilments SENT while OR24 waits for the
 * rest of the order, without having sent anything for them. Cancelled fulfilments count too: Mirakl may still
 * show their tracking.
 */
async function linesWithTrackingOnMirakl(prisma: Services["prisma"], orderLinkId: string): Promise<Set<string>> {
  const rows = await prisma.fulfillmentLink.findMany({
    where: { orderLinkId, OR: [{ sentAt: { not: null } }, { miraklShipmentId: { not: null } }, { status: "ACKNOWLEDGED" }, { origin: "MIRAKL_PORTAL" }] },
    select: { lines: true },
  });
  const ids = new Set<string>();
  for (const r of rows) {
    for (const l of Array.isArray(r.lines) ? r.lines : []) {
      const id = l && typeof l === "object" && "miraklOrderLineId" in l ? l.miraklOrderLineId : null;
      if (typeof id === "string") ids.add(id);
    }
  }
  return ids;
}

/** Why a removal must not reach Mirakl because fulfilment has started, or null. */
function lockReason({ change, order, link, mirakl, tracked, offer }: { change: Change; order: OrderDetails; link: LinkWithConnection; mirakl: MiraklOrder; tracked: ReadonlySet<string>; offer: string | null }): string | null {
  const li = change.lineItem;
  const fulfilled = li.currentQuantity - li.unfulfilledQuantity;
  if (fulfilled > 0) return `${fulfilled} unit(s) of ${li.name} are already fulfilled in Shopify`;
  for (const fo of order.fulfillmentOrders) {
    const foLine = fo.lineItems.find((l) => l.lineItemId === li.id);
    if (!foLine) continue;
    if (["SUBMITTED", "ACCEPTED", "CANCELLATION_REQUESTED"].includes(fo.requestStatus)) return `a fulfilment service has accepted ${li.name} for shipping`;
    if (fo.status === "IN_PROGRESS" && foLine.totalQuantity > foLine.remainingQuantity) return `the warehouse has started fulfilling ${li.name}`;
  }
  // SHIPPED: OR24 (or the back office) confirmed the whole order; PARTIAL / TRACKING_SENT only say other lines moved.
  if (link.fulfilmentStatus === "SHIPPED" || SHIPPED_STATES.has(mirakl.order_state)) return `Mirakl already shows order ${mirakl.order_id} as shipped`;
  const lines = offer ? activeLines(mirakl).filter((l) => l.offer_sku === offer) : [];
  if (lines.some((l) => tracked.has(l.order_line_id))) return `tracking for ${li.name} was already sent to Mirakl`;
  const past = lines.find((l: MiraklOrderLine) => !CANCELLABLE_LINE_STATES.has(l.order_line_state));
  if (past) return `Mirakl shows ${past.offer_sku} as ${past.order_line_state.toLowerCase()}`;
  if (lines.length > 0 && mirakl.can_cancel === false) return `Mirakl no longer allows cancelling order ${mirakl.order_id} (${mirakl.order_state.toLowerCase()})`;
  return null;
}

/**
 * Units to cancel per Mirakl line. Never below what the Shopify order still holds: for each offer SKU, Mirakl may
 * lose at most (Mirakl units − Shopify units after the edit), so a replayed edit, or our own edit mirroring a
 * Mirakl cancelation, asks for nothing. Units of a SKU on several lines come off the largest line first.
 */
function unitsToCancel({ removed, order, mirakl, toOffer }: { removed: Change[]; order: OrderDetails; mirakl: MiraklOrder; toOffer: (sku: string) => string }): AdjustmentRequest["lines"] {
  const wanted = new Map<string, number>();
  for (const c of removed) {
    if (!c.lineItem.sku) continue;
    const offer = toOffer(c.lineItem.sku);
    wanted.set(offer, (wanted.get(offer) ?? 0) + c.delta);
  }
  const out: AdjustmentRequest["lines"] = [];
  for (const [offer, delta] of wanted) {
    const lines = activeLines(mirakl)
      .filter((l) => l.offer_sku === offer)
      .sort((a, b) => b.quantity - a.quantity);
    const miraklUnits = lines.reduce((s, l) => s + l.quantity, 0);
    const shopifyUnits = order.lineItems.filter((li) => li.sku && toOffer(li.sku) === offer).reduce((s, li) => s + li.currentQuantity, 0);
    let left = Math.min(delta, Math.max(0, miraklUnits - shopifyUnits));
    for (const l of lines) {
      if (left <= 0) break;
      const take = Math.min(left, l.quantity);
      if (take > 0) out.push({ orderLineId: l.order_line_id, offerSku: offer, quantity: take });
      left -= take;
    }
  }
  return out;
}
