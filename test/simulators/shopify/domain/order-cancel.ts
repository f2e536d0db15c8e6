/**
 * orderCancel (notes.md §4.2): irreversible, asynchronous (returns a Job), cancels the unfulfilled units, restocks
 * committed stock when `restock` is true (written off otherwise), optionally refunds what was paid, and fires
 * orders/cancelled + orders/updated (+ refunds/create when refunding). Fulfilled units stay fulfilled: a
 * merchant-managed fulfilment does not block cancellation (the schema only blocks "outstanding fulfillments that
 * can't be cancelled", which this simulator has none of).
 */
import { gid } from "../ids";
import type { JobRec, OrderRec, ShopRec } from "../model";
import type { SimStore } from "../store";
import { formatDecimal } from "../money";
import { orderPayload } from "../webhooks/payloads";
import { currentTotals, unfulfilledQuantity } from "./order-math";
import { createRefund, findOrder, releaseCommitted, removeUnfulfilledUnits } from "./refund";
import { refreshFulfillmentOrderStatus } from "./fulfillment";
import { fail, ok, type Outcome } from "./user-error";

export interface CancelInput {
  orderId: string;
  reason: string;
  restock: boolean;
  refund?: boolean | null;
  /** Replaces `refund` in recent versions: refunding to the original payment methods (or store credit). */
  refundMethod?: { originalPaymentMethodsRefund?: boolean | null; storeCreditRefund?: unknown } | null;
  notifyCustomer?: boolean | null;
  staffNote?: string | null;
}

export function cancelOrder(store: SimStore, shop: ShopRec, input: CancelInput): Outcome<{ job: JobRec; order: OrderRec }> {
  const order = findOrder(shop, input.orderId);
  if (!order) return fail("Order not found.", ["orderId"], "NOT_FOUND");
  if (order.cancelledAt !== null) return fail("Order has already been cancelled.", ["orderId"], "INVALID");
  if ((input.staffNote ?? "").length > 255) return fail("Staff note is too long (maximum is 255 characters).", ["staffNote"], "INVALID");
  const job: JobRec = { id: store.ids.next(), done: false };
  shop.jobs.set(job.id, job);
  const apply = () => {
    applyCancel(store, shop, order, input);
    job.done = true;
  };
  // The job runs after the response, as Shopify's does; with no delay configured the order is already cancelled
  // when the response leaves (job.done still reads false in that response).
  if (store.settings.jobDelayMs > 0) store.later(store.settings.jobDelayMs, apply);
  else {
    applyCancel(store, shop, order, input);
    store.later(0, () => {
      job.done = true;
    });
  }
  return ok({ job, order });
}

function applyCancel(store: SimStore, shop: ShopRec, order: OrderRec, input: CancelInput): void {
  if (order.cancelledAt !== null) return;
  const t = store.now();
  const refund = input.refund ?? Boolean(input.refundMethod?.originalPaymentMethodsRefund || input.refundMethod?.storeCreditRefund);
  if (refund) {
    const totals = currentTotals(order);
    const paid =
      order.financialStatusOverride === "PAID" && order.transactions.length === 0
        ? order.originalTotals.total.shop.minor
        : totals.received.shop.minor;
    const left = paid - totals.refunded.shop.minor;
    const lines = order.lineItems
      .map((li) => ({ li, units: unfulfilledQuantity(order, li) }))
      .filter((x) => x.units > 0)
      .map((x) => ({ lineItemId: gid("LineItem", x.li.id), quantity: x.units, restockType: input.restock ? "CANCEL" : "NO_RESTOCK" }));
    const gateway = order.transactions[0]?.gateway ?? "manual";
    createRefund(store, shop, {
      orderId: gid("Order", order.id),
      note: "Order cancelled",
      refundLineItems: lines,
      shipping: { fullRefund: true },
      transactions:
        left > 0
          ? [{ amount: formatDecimal({ minor: left, currency: order.currency }), gateway, kind: "REFUND", orderId: gid("Order", order.id) }]
          : [],
    });
  }
  for (const li of order.lineItems) {
    const units = unfulfilledQuantity(order, li);
    if (units <= 0) continue;
    li.cancelledQuantity += units;
    removeUnfulfilledUnits(store, order, li, units);
    releaseCommitted(store, shop, li, units, input.restock);
  }
  for (const fo of order.fulfillmentOrders) {
    refreshFulfillmentOrderStatus(fo, t);
    if (fo.status === "OPEN") fo.status = "CANCELLED";
  }
  order.cancelledAt = t;
  order.cancelReason = input.reason;
  order.cancelStaffNote = input.staffNote ?? null;
  order.restockedOnCancel = input.restock;
  order.closedAt = t;
  order.updatedAt = t;
  store.emit(shop, "orders/cancelled", orderPayload(shop, order));
  store.emit(shop, "orders/updated", orderPayload(shop, order));
}
