/**
 * refundCreate (notes.md §4.2): refund lines with a restock type (RETURN for fulfilled units, CANCEL for unfulfilled
 * ones, NO_RESTOCK; LEGACY_RESTOCK is refused), shipping (fullRefund or an amount), and money only through the
 * transactions given (a refund without transactions moves no money, like Shopify's "refund without payment").
 * Fires refunds/create and orders/updated.
 *
 * Choices where the schema is silent: restockType defaults to NO_RESTOCK (never touches stock unasked); NO_RESTOCK
 * consumes unfulfilled units first; a CANCEL restock returns only stock this order had committed (an order created
 * with inventoryBehaviour BYPASS never took any, so restocking it would invent stock).
 */
import { idOf } from "../ids";
import { MoneyParseError, parseMoney } from "../money";
import type { LineItemRec, MoneyPair, OrderRec, RefundLineRec, RefundRec, RefundShippingLineRec, RestockType, ShopRec, TransactionRec } from "../model";
import type { SimStore } from "../store";
import { orderPayload, refundPayload } from "../webhooks/payloads";
import { applyDeltas, levelAt } from "./inventory";
import {
  addPairs,
  currentQuantity,
  currentTotals,
  fulfilledQuantity,
  refundedShipping,
  scalePair,
  subPairs,
  taxForQuantity,
  timesPair,
  unfulfilledQuantity,
  zeroPair,
} from "./order-math";
import { refreshFulfillmentOrderStatus } from "./fulfillment";
import { fail, ok, type Outcome } from "./user-error";

export interface RefundInput {
  orderId: string;
  note?: string | null;
  notify?: boolean | null;
  processedAt?: string | null;
  refundLineItems?: Array<{ lineItemId: string; quantity: number; restockType?: string | null; locationId?: string | null }> | null;
  shipping?: { fullRefund?: boolean | null; amount?: string | number | null } | null;
  transactions?: Array<{ amount: string | number; gateway: string; kind: string; orderId: string; parentId?: string | null }> | null;
  allowOverRefunding?: boolean | null;
}

/** Takes `units` unfulfilled units off the line's fulfilment-order lines (they will never ship). */
export function removeUnfulfilledUnits(store: SimStore, order: OrderRec, li: LineItemRec, units: number): void {
  let left = units;
  for (const fo of order.fulfillmentOrders) {
    for (const line of fo.lines) {
      if (line.lineItemId !== li.id || left === 0) continue;
      const take = Math.min(left, line.remainingQuantity);
      line.remainingQuantity -= take;
      line.totalQuantity -= take;
      left -= take;
    }
    refreshFulfillmentOrderStatus(fo, store.now());
  }
}

/** Releases up to `units` of the line's committed stock; back to available when restocking, else written off. */
export function releaseCommitted(store: SimStore, shop: ShopRec, li: LineItemRec, units: number, restock: boolean): number {
  if (!li.claimsInventory || li.variantId === null) return 0;
  const n = Math.min(li.committed, units);
  if (n <= 0) return 0;
  const variant = shop.variants.get(li.variantId);
  const level = variant ? levelAt(shop, variant.inventoryItemId, li.locationId) : undefined;
  li.committed -= n;
  if (level) applyDeltas(store, shop, level, restock ? { committed: -n, available: n } : { committed: -n });
  return n;
}

export function findOrder(shop: ShopRec, orderGid: string): OrderRec | undefined {
  const id = idOf(orderGid, "Order");
  return id === null ? undefined : shop.orders.get(id);
}

export function createRefund(store: SimStore, shop: ShopRec, input: RefundInput, opts: { silent?: boolean } = {}): Outcome<{ order: OrderRec; refund: RefundRec }> {
  const order = findOrder(shop, input.orderId);
  if (!order) return fail("Order does not exist.", ["input", "orderId"]);
  const t = store.now();
  const planned: Array<{ li: LineItemRec; quantity: number; restockType: RestockType; locationId: number; fromUnfulfilled: number }> = [];
  for (const [i, r] of (input.refundLineItems ?? []).entries()) {
    const field = ["input", "refundLineItems", String(i)];
    const liId = idOf(r.lineItemId, "LineItem");
    const li = order.lineItems.find((x) => x.id === liId);
    if (!li) return fail("Line item does not exist.", [...field, "lineItemId"]);
    const restockType = (r.restockType ?? "NO_RESTOCK") as RestockType;
    if (restockType === "LEGACY_RESTOCK") return fail("The LEGACY_RESTOCK restock type is not accepted when creating refunds.", [...field, "restockType"]);
    const alreadyPlanned = planned.filter((p) => p.li.id === li.id).reduce((a, p) => a + p.quantity, 0);
    if (r.quantity <= 0 || r.quantity + alreadyPlanned > currentQuantity(li)) {
      return fail(`Quantity cannot refund more items than were purchased (${currentQuantity(li) - alreadyPlanned} refundable).`, [...field, "quantity"]);
    }
    const unfulfilled = unfulfilledQuantity(order, li) - planned.filter((p) => p.li.id === li.id).reduce((a, p) => a + p.fromUnfulfilled, 0);
    const returnable = fulfilledQuantity(order, li) - li.refundedFulfilled;
    let fromUnfulfilled: number;
    if (restockType === "CANCEL") {
      if (r.quantity > unfulfilled) return fail("Only unfulfilled items can be cancelled; use RETURN for fulfilled items.", [...field, "restockType"]);
      fromUnfulfilled = r.quantity;
    } else if (restockType === "RETURN") {
      if (r.quantity > returnable) return fail("Only fulfilled items can be returned; use CANCEL for unfulfilled items.", [...field, "restockType"]);
      fromUnfulfilled = 0;
    } else fromUnfulfilled = Math.min(unfulfilled, r.quantity);
    let locationId = li.locationId;
    if (r.locationId) {
      const loc = idOf(r.locationId, "Location");
      if (loc === null || !shop.locations.has(loc)) return fail("Location does not exist.", [...field, "locationId"]);
      locationId = loc;
    }
    planned.push({ li, quantity: r.quantity, restockType, locationId, fromUnfulfilled });
  }
  // Shipping
  const shipRefunded = refundedShipping(order);
  const shippingLines: RefundShippingLineRec[] = [];
  if (input.shipping?.fullRefund) {
    for (const s of order.shippingLines) {
      const done = order.refunds.flatMap((r) => r.shippingLines).filter((x) => x.shippingLineId === s.id);
      const subtotal = subPairs(s.price, addPairs(order, done.map((d) => d.subtotal)));
      const tax = subPairs(addPairs(order, s.taxLines.map((x) => x.price)), addPairs(order, done.map((d) => d.tax)));
      if (subtotal.shop.minor > 0 || tax.shop.minor > 0) shippingLines.push({ id: store.ids.next(), shippingLineId: s.id, subtotal, tax });
    }
  } else if (input.shipping?.amount !== undefined && input.shipping.amount !== null) {
    let amount;
    try {
      amount = parseMoney(input.shipping.amount, order.currency);
    } catch (err) {
      if (err instanceof MoneyParseError) return fail(err.message, ["input", "shipping", "amount"]);
      throw err;
    }
    const remaining = subPairs(addPairs(order, order.shippingLines.map((s) => s.price)), shipRefunded.subtotal);
    if (amount.minor > remaining.shop.minor) return fail("Shipping refund amount is greater than the refundable shipping.", ["input", "shipping", "amount"]);
    const first = order.shippingLines[0];
    if (first && amount.minor > 0) {
      const subtotal: MoneyPair = scalePair(remaining, amount.minor, remaining.shop.minor);
      shippingLines.push({ id: store.ids.next(), shippingLineId: first.id, subtotal, tax: zeroPair(order) });
    }
  }
  // Money
  const transactions: TransactionRec[] = [];
  for (const [i, tx] of (input.transactions ?? []).entries()) {
    const field = ["input", "transactions", String(i)];
    if (tx.kind !== "REFUND") return fail("Refund transactions must be of kind REFUND.", [...field, "kind"]);
    if (tx.orderId !== input.orderId) return fail("Transaction order does not match the refund order.", [...field, "orderId"]);
    let amount;
    try {
      amount = parseMoney(tx.amount, order.currency);
    } catch (err) {
      if (err instanceof MoneyParseError) return fail(err.message, [...field, "amount"]);
      throw err;
    }
    transactions.push({
      id: store.ids.next(),
      kind: "REFUND",
      status: "SUCCESS",
      gateway: tx.gateway,
      amount: { shop: amount, presentment: { minor: amount.minor, currency: order.presentmentCurrency } },
      parentId: tx.parentId ? idOf(tx.parentId, "OrderTransaction") : null,
      test: false,
      processedAt: t,
      createdAt: t,
    });
  }
  const totals = currentTotals(order);
  const paid = order.financialStatusOverride === "PAID" && order.transactions.length === 0 ? order.originalTotals.total.shop.minor : totals.received.shop.minor;
  const refundable = paid - totals.refunded.shop.minor;
  const asked = transactions.reduce((a, x) => a + x.amount.shop.minor, 0);
  if (asked > refundable && !input.allowOverRefunding) {
    return fail(`Refund amount exceeds the refundable amount (${refundable} minor units left).`, ["input", "transactions"]);
  }
  if (planned.length === 0 && shippingLines.length === 0 && transactions.length === 0) {
    return fail("A refund needs line items, shipping or transactions.", ["input"]);
  }
  // Apply
  const lines: RefundLineRec[] = planned.map((p) => {
    const li = p.li;
    const fromFulfilled = p.quantity - p.fromUnfulfilled;
    li.refundedUnfulfilled += p.fromUnfulfilled;
    li.refundedFulfilled += fromFulfilled;
    if (p.fromUnfulfilled > 0) removeUnfulfilledUnits(store, order, li, p.fromUnfulfilled);
    let restocked = false;
    if (p.restockType === "CANCEL") restocked = releaseCommitted(store, shop, li, p.fromUnfulfilled, true) > 0;
    else if (p.fromUnfulfilled > 0) releaseCommitted(store, shop, li, p.fromUnfulfilled, false);
    if (p.restockType === "RETURN" && li.variantId !== null) {
      const variant = shop.variants.get(li.variantId);
      const level = variant ? levelAt(shop, variant.inventoryItemId, p.locationId) : undefined;
      if (level) {
        applyDeltas(store, shop, level, { available: p.quantity });
        restocked = true;
      }
    }
    return {
      id: store.ids.next(),
      lineItemId: li.id,
      quantity: p.quantity,
      restockType: p.restockType,
      restocked,
      locationId: p.restockType === "NO_RESTOCK" ? null : p.locationId,
      subtotal: timesPair(li.unitPrice, p.quantity),
      totalTax: taxForQuantity(order, li.taxLines, p.quantity, li.taxBaseQuantity),
    };
  });
  const refund: RefundRec = {
    id: store.ids.next(),
    note: input.note ?? null,
    lines,
    shippingLines,
    transactions,
    createdAt: t,
    processedAt: input.processedAt ? Date.parse(input.processedAt) : t,
  };
  order.refunds.push(refund);
  order.updatedAt = t;
  if (!opts.silent) {
    store.emit(shop, "refunds/create", refundPayload(shop, order, refund));
    store.emit(shop, "orders/updated", orderPayload(shop, order));
  }
  return ok({ order, refund });
}
