import type { MarketplaceConnection, OrderLink } from "@prisma/client";
import type { RaiseTaskInput } from "../tasks.server";
import { formatAmount } from "./money";
import { refundPageUrl, shopifyOrderAdminUrl } from "./context.server";

/**
 * Every adjustment a person must act on, in plain language: what happened, what it means for the customer and
 * the money, and exactly what to do (in Shopify or in the Mirakl back office). Keys are stable so raising again
 * only bumps occurrences, and the code that clears the cause resolves them by the same key.
 */
type Conn = Pick<MarketplaceConnection, "id" | "name" | "shop">;
type Link = Pick<OrderLink, "id" | "miraklOrderId" | "shopifyOrderId" | "shopifyOrderName">;

export interface ItemRef {
  name: string;
  sku: string | null;
  quantity: number;
}

function items(list: ReadonlyArray<ItemRef>): string {
  return list.map((i) => `${i.quantity} × ${i.name}${i.sku ? ` (${i.sku})` : ""}`).join(", ");
}

function orderName(link: Link): string {
  return link.shopifyOrderName ?? "The Shopify order";
}

function base(conn: Conn, link: Link) {
  return {
    shop: conn.shop,
    connectionId: conn.id,
    entityType: "order",
    entityId: link.id,
    actionLabel: "Open the order in Shopify",
    actionUrl: link.shopifyOrderId ? shopifyOrderAdminUrl(conn.shop, link.shopifyOrderId) : undefined,
  } satisfies Partial<RaiseTaskInput>;
}

function editTaskKey(conn: Conn, editId: string): string {
  return `order-edit:${conn.id}:${editId}`;
}

export function editAdditionsTask(conn: Conn, link: Link, editId: string, added: ReadonlyArray<ItemRef>): RaiseTaskInput {
  return {
    ...base(conn, link),
    dedupeKey: editTaskKey(conn, editId),
    kind: "order_edit_not_on_mirakl",
    severity: "warning",
    title: `${orderName(link)}: items added in Shopify cannot reach ${conn.name}`,
    body:
      `An edit added ${items(added)} to ${orderName(link)} (Mirakl order ${link.miraklOrderId}). A Mirakl order cannot gain lines or units, ` +
      `so ${conn.name} still shows the original items and the customer was charged by the marketplace for those only. ` +
      `If the warehouse ships the added items they leave unpaid and Mirakl never hears of them.\n` +
      `What to do: remove the added items from the Shopify order, or ship them as a free extra and charge the customer outside the marketplace. Nothing was changed on Mirakl.`,
  };
}

export function editSwapTask(conn: Conn, link: Link, editId: string, removed: ReadonlyArray<ItemRef>, added: ReadonlyArray<ItemRef>): RaiseTaskInput {
  return {
    ...base(conn, link),
    dedupeKey: editTaskKey(conn, editId),
    kind: "order_edit_not_on_mirakl",
    severity: "critical",
    title: `${orderName(link)}: item swap cannot reach ${conn.name}`,
    body:
      `An edit replaced ${items(removed)} with ${items(added)} on ${orderName(link)} (Mirakl order ${link.miraklOrderId}). A Mirakl order cannot change its items: ` +
      `${conn.name} still expects ${items(removed)} and the customer paid the marketplace for that. Nothing was sent to Mirakl, because cancelling ` +
      `the removed item there would refund the customer while the new item still ships unpaid.\n` +
      `What to do: if the customer wants the new item, cancel the removed item in the Mirakl back office (order ${link.miraklOrderId} → cancel the line) ` +
      `and charge the new item outside the marketplace, or ask the customer to reorder it on ${conn.name}; otherwise undo the edit in Shopify so the original item ships.`,
  };
}

export function editLockedTask(conn: Conn, link: Link, editId: string, removed: ReadonlyArray<ItemRef>, why: string): RaiseTaskInput {
  return {
    ...base(conn, link),
    dedupeKey: editTaskKey(conn, editId),
    kind: "order_edit_locked",
    severity: "critical",
    title: `${orderName(link)}: edit not sent to ${conn.name} (fulfilment already started)`,
    body:
      `An edit removed ${items(removed)} from ${orderName(link)} (Mirakl order ${link.miraklOrderId}), but ${why}. The edit is locked: ` +
      `Mirakl was not changed, so it still expects these units to ship and the customer has not been refunded by the marketplace.\n` +
      `What to do: check with the warehouse. If the units will not ship, cancel them in the Mirakl back office (order ${link.miraklOrderId}) or, once shipped, refund them; ` +
      `if they are already on their way, undo the edit in Shopify so both systems agree.`,
  };
}

export function editNoPartialCancelTask(conn: Conn, link: Link, editId: string, removed: ReadonlyArray<ItemRef>, reasonLabel: string | null): RaiseTaskInput {
  return {
    ...base(conn, link),
    dedupeKey: editTaskKey(conn, editId),
    kind: "order_edit_not_on_mirakl",
    severity: "critical",
    title: `${orderName(link)}: cancel ${removed.length === 1 ? "an item" : "items"} in the ${conn.name} back office`,
    body:
      `An edit removed ${items(removed)} from ${orderName(link)} (Mirakl order ${link.miraklOrderId}). ${conn.name} does not let sellers cancel part of an order through the API ` +
      `(Mirakl's "shop partial cancelation" is off), so the items are still on the Mirakl order and the customer has not been refunded for them.\n` +
      `What to do: in the Mirakl back office open order ${link.miraklOrderId}, cancel ${items(removed)}${reasonLabel ? ` with the reason "${reasonLabel}"` : ""}, then resolve this task. ` +
      `To have this done automatically, ask the marketplace operator to enable partial cancellation for your shop.`,
  };
}

export function miraklRefusedTask(conn: Conn, link: Link, dedupeKey: string, what: string, message: string): RaiseTaskInput {
  return {
    ...base(conn, link),
    dedupeKey,
    kind: "mirakl_adjustment_refused",
    severity: "critical",
    title: `${orderName(link)}: ${conn.name} refused ${what}`,
    body:
      `We asked Mirakl for ${what} on order ${link.miraklOrderId} (${orderName(link)}) and it refused: "${message}". Nothing changed on Mirakl: ` +
      `the customer is still charged by the marketplace for these items.\n` +
      `What to do: open order ${link.miraklOrderId} in the Mirakl back office and make the change there (or contact the operator if it is not allowed), then resolve this task.`,
  };
}

export function cancelTaskKey(conn: Conn, shopifyOrderId: string): string {
  return `order-cancel:${conn.id}:${shopifyOrderId}`;
}

export function cancelNotAllowedTask(conn: Conn, link: Link, shopifyOrderId: string, miraklState: string, shippedItems: ReadonlyArray<ItemRef>): RaiseTaskInput {
  const shipped = shippedItems.length > 0 ? ` Already shipped: ${items(shippedItems)}.` : "";
  return {
    ...base(conn, link),
    dedupeKey: cancelTaskKey(conn, shopifyOrderId),
    kind: "order_cancel_not_on_mirakl",
    severity: "critical",
    title: `${orderName(link)} was cancelled in Shopify but ${conn.name} cannot cancel it`,
    body:
      `${orderName(link)} was cancelled in Shopify, but Mirakl no longer allows cancelling order ${link.miraklOrderId} (Mirakl state: ${miraklState.toLowerCase()}).${shipped} ` +
      `The customer is still charged by the marketplace.\n` +
      `What to do: if the parcel has left, let it arrive and refund what comes back (a refund made in Shopify creates a Mirakl refund task). ` +
      `If nothing will ship, refund the order in the Mirakl back office (order ${link.miraklOrderId}) or ask the operator to cancel it, then resolve this task.`,
  };
}

export function duplicateOrderTaskKey(conn: Conn, miraklOrderId: string): string {
  return `duplicate-shopify-order:${conn.id}:${miraklOrderId}`;
}

export function duplicateOrderTask(conn: Conn, link: Link, other: { id: string; name: string | null }): RaiseTaskInput {
  return {
    ...base(conn, link),
    dedupeKey: duplicateOrderTaskKey(conn, link.miraklOrderId),
    kind: "duplicate_shopify_order",
    severity: "critical",
    title: `Two Shopify orders for ${conn.name} order ${link.miraklOrderId}`,
    body:
      `${other.name ?? other.id} carries Mirakl order ${link.miraklOrderId}, which is already ${orderName(link)}. If the warehouse fulfils both, the customer gets the items twice and only one is paid.\n` +
      `What to do: if ${other.name ?? "the new order"} replaces ${orderName(link)} (an order-editing app), cancel ${orderName(link)}: the Mirakl order then follows the new one. ` +
      `Otherwise cancel ${other.name ?? "the new order"} or remove its Mirakl tag. This task closes by itself once only one order remains.`,
  };
}

export function refundTaskKey(conn: Pick<MarketplaceConnection, "id">, shopifyRefundId: string): string {
  return `refund:${conn.id}:${shopifyRefundId}`;
}

export function refundTask(
  conn: Conn,
  link: Link,
  input: { refundRequestId: string; shopifyRefundId: string; shopifyAmount: number; miraklAmount: number; currency: string; notes: string[]; nothingToSend: boolean },
): RaiseTaskInput {
  const money = (v: number) => `${formatAmount(v)} ${input.currency}`;
  const notes = input.notes.length > 0 ? `\n${input.notes.join("\n")}` : "";
  return {
    shop: conn.shop,
    connectionId: conn.id,
    dedupeKey: refundTaskKey(conn, input.shopifyRefundId),
    kind: "mirakl_refund",
    severity: "warning",
    title: `Refund ${orderName(link)} on ${conn.name}: ${money(input.shopifyAmount)} refunded in Shopify`,
    body:
      `${money(input.shopifyAmount)} was refunded in Shopify on ${orderName(link)} (Mirakl order ${link.miraklOrderId}). A Shopify refund does not refund the marketplace: ` +
      `until Mirakl refunds it too, the marketplace keeps the customer's money and its commission, and finance has a difference to reconcile.\n` +
      (input.nothingToSend
        ? `Mirakl cannot take this refund as it stands (see below): check the order, then refund in the Mirakl back office or mark it done.`
        : `Mirakl would refund ${money(input.miraklAmount)}. Choose the refund reason and send it to Mirakl, or mark it done if you refunded in the Mirakl back office.`) +
      notes,
    actionLabel: "Review the Mirakl refund",
    actionUrl: refundPageUrl(input.refundRequestId),
    entityType: "refund",
    entityId: input.refundRequestId,
  };
}

export function portalRefundTaskKey(conn: Conn, miraklRefundId: string): string {
  return `portal-refund:${conn.id}:${miraklRefundId}`;
}

export function portalRefundNotMirroredTask(conn: Conn, link: Link, miraklRefundId: string, amount: string, message: string): RaiseTaskInput {
  return {
    ...base(conn, link),
    dedupeKey: portalRefundTaskKey(conn, miraklRefundId),
    kind: "portal_refund_not_in_shopify",
    severity: "warning",
    title: `${orderName(link)}: a ${conn.name} refund could not be recorded in Shopify`,
    body:
      `${conn.name} refunded ${amount} on order ${link.miraklOrderId} (refund ${miraklRefundId}, made in the Mirakl back office), but Shopify refused to record it on ${orderName(link)}: "${message}". ` +
      `The customer has been refunded by the marketplace; only Shopify's view is behind, so reports will over-state this order's revenue.\n` +
      `What to do: open the order in Shopify and record the refund by hand (refund without moving money), then resolve this task.`,
  };
}

export function refundFlagTaskKey(conn: Conn, miraklOrderId: string): string {
  return `refund-flag:${conn.id}:${miraklOrderId}`;
}

export function refundFlagTask(conn: Conn, link: Link, note: string | null): RaiseTaskInput {
  return {
    ...base(conn, link),
    dedupeKey: refundFlagTaskKey(conn, link.miraklOrderId),
    kind: "refund_flag",
    severity: "warning",
    title: `${orderName(link)}: refund to make on ${conn.name}`,
    body:
      `Someone flagged ${orderName(link)} (Mirakl order ${link.miraklOrderId}) from the Shopify order page for a refund on ${conn.name}${note ? `: "${note}"` : "."}\n` +
      `What to do: refund the items in Shopify (a Mirakl refund with the marketplace's amounts is then prepared for you to send), or refund them directly in the Mirakl back office. ` +
      `This task closes by itself once a Mirakl refund for this order is sent or marked done.`,
    actionLabel: "Open the order's refunds",
    actionUrl: `/app/refunds?order=${link.id}`,
  };
}
