/**
 * Quantities, statuses and current totals of an order, derived from its records. Original totals are stored at
 * creation (OrderRec.originalTotals) from the prices and taxes the caller gave; only the *current* figures (after
 * edits, refunds, removals) are computed here, as Shopify's current* fields are.
 */
import { prorate, sumMinor, type Money } from "../money";
import type { LineItemRec, MoneyPair, OrderRec, TaxLineRec } from "../model";

export function pair(shop: Money, presentment?: Money): MoneyPair {
  return { shop, presentment: presentment ?? shop };
}

export function zeroPair(o: { currency: string; presentmentCurrency: string }): MoneyPair {
  return { shop: { minor: 0, currency: o.currency }, presentment: { minor: 0, currency: o.presentmentCurrency } };
}

export function addPairs(o: { currency: string; presentmentCurrency: string }, values: MoneyPair[]): MoneyPair {
  return {
    shop: { minor: sumMinor(values.map((v) => v.shop.minor)), currency: o.currency },
    presentment: { minor: sumMinor(values.map((v) => v.presentment.minor)), currency: o.presentmentCurrency },
  };
}

export function scalePair(p: MoneyPair, part: number, whole: number): MoneyPair {
  return {
    shop: { minor: prorate(p.shop.minor, part, whole), currency: p.shop.currency },
    presentment: { minor: prorate(p.presentment.minor, part, whole), currency: p.presentment.currency },
  };
}

export function timesPair(p: MoneyPair, n: number): MoneyPair {
  return {
    shop: { minor: p.shop.minor * n, currency: p.shop.currency },
    presentment: { minor: p.presentment.minor * n, currency: p.presentment.currency },
  };
}

export function subPairs(a: MoneyPair, b: MoneyPair): MoneyPair {
  return {
    shop: { minor: a.shop.minor - b.shop.minor, currency: a.shop.currency },
    presentment: { minor: a.presentment.minor - b.presentment.minor, currency: a.presentment.currency },
  };
}

export function fulfilledQuantity(order: OrderRec, li: LineItemRec): number {
  let n = 0;
  for (const f of order.fulfillments) {
    if (f.status !== "SUCCESS") continue;
    for (const l of f.lines) if (l.lineItemId === li.id) n += l.quantity;
  }
  return n;
}

export function refundedQuantity(li: LineItemRec): number {
  return li.refundedUnfulfilled + li.refundedFulfilled;
}

/** LineItem.currentQuantity: quantity minus units removed by edits and refunds. */
export function currentQuantity(li: LineItemRec): number {
  return li.quantity - li.removedByEdit - refundedQuantity(li) - li.cancelledQuantity;
}

export function refundableQuantity(li: LineItemRec): number {
  return currentQuantity(li);
}

export function unfulfilledQuantity(order: OrderRec, li: LineItemRec): number {
  return Math.max(
    0,
    li.quantity - li.removedByEdit - li.refundedUnfulfilled - li.cancelledQuantity - fulfilledQuantity(order, li),
  );
}

/** Units that can still be removed by an order edit: only unfulfilled units are editable (notes.md §4.2). */
export function editableQuantity(order: OrderRec, li: LineItemRec): number {
  return unfulfilledQuantity(order, li);
}

export function taxForQuantity(o: OrderRec, taxLines: TaxLineRec[], quantity: number, base: number): MoneyPair {
  return addPairs(
    o,
    taxLines.map((t) => scalePair(t.price, quantity, base)),
  );
}

export function lineCurrentTax(order: OrderRec, li: LineItemRec): MoneyPair {
  return taxForQuantity(order, li.taxLines, currentQuantity(li), li.taxBaseQuantity);
}

export function refundedShipping(order: OrderRec): { subtotal: MoneyPair; tax: MoneyPair } {
  const lines = order.refunds.flatMap((r) => r.shippingLines);
  return { subtotal: addPairs(order, lines.map((l) => l.subtotal)), tax: addPairs(order, lines.map((l) => l.tax)) };
}

export interface CurrentTotals {
  subtotal: MoneyPair;
  shipping: MoneyPair;
  tax: MoneyPair;
  total: MoneyPair;
  refunded: MoneyPair;
  received: MoneyPair;
  net: MoneyPair;
  outstanding: MoneyPair;
}

function transactionSum(order: OrderRec, kinds: string[]): MoneyPair {
  const txs = [...order.transactions, ...order.refunds.flatMap((r) => r.transactions)].filter(
    (t) => kinds.includes(t.kind) && t.status === "SUCCESS",
  );
  return addPairs(order, txs.map((t) => t.amount));
}

export function currentTotals(order: OrderRec): CurrentTotals {
  const subtotal = addPairs(order, order.lineItems.map((li) => timesPair(li.unitPrice, currentQuantity(li))));
  const refundedShip = refundedShipping(order);
  const shipping = subPairs(addPairs(order, order.shippingLines.map((s) => s.price)), refundedShip.subtotal);
  const orderLevelTax = addPairs(order, order.taxLines.map((t) => t.price));
  const tax = subPairs(
    addPairs(order, [
      ...order.lineItems.map((li) => lineCurrentTax(order, li)),
      ...order.shippingLines.flatMap((s) => s.taxLines.map((t) => t.price)),
      orderLevelTax,
    ]),
    refundedShip.tax,
  );
  const total = addPairs(order, order.taxesIncluded ? [subtotal, shipping] : [subtotal, shipping, tax]);
  const refunded = transactionSum(order, ["REFUND"]);
  const received = transactionSum(order, ["SALE", "CAPTURE"]);
  const net = subPairs(received, refunded);
  const outstandingMinor = (p: "shop" | "presentment") => Math.max(0, total[p].minor - Math.max(0, net[p].minor));
  const outstanding =
    isPaidByOverride(order) ? zeroPair(order) : pair(
      { minor: outstandingMinor("shop"), currency: order.currency },
      { minor: outstandingMinor("presentment"), currency: order.presentmentCurrency },
    );
  return { subtotal, shipping, tax, total, refunded, received, net, outstanding };
}

function isPaidByOverride(order: OrderRec): boolean {
  return order.financialStatusOverride === "PAID" && order.transactions.length === 0;
}

/** OrderDisplayFinancialStatus. A given `financialStatus` wins over transactions until money is refunded. */
export function financialStatus(order: OrderRec): string {
  const received = transactionSum(order, ["SALE", "CAPTURE"]).shop.minor;
  const authorized = transactionSum(order, ["AUTHORIZATION"]).shop.minor;
  const refunded = transactionSum(order, ["REFUND"]).shop.minor;
  const total = order.originalTotals.total.shop.minor;
  let base: string;
  if (order.financialStatusOverride) base = order.financialStatusOverride;
  else if (total === 0 || received >= total) base = "PAID";
  else if (received > 0) base = "PARTIALLY_PAID";
  else if (authorized > 0) base = "AUTHORIZED";
  else base = "PENDING";
  if (refunded > 0) {
    const paid = base === "PAID" || base === "PARTIALLY_REFUNDED" ? Math.max(received, total) : received;
    return refunded >= paid ? "REFUNDED" : "PARTIALLY_REFUNDED";
  }
  if (order.cancelledAt !== null && (base === "PENDING" || base === "AUTHORIZED")) return "VOIDED";
  return base;
}

/** OrderDisplayFulfillmentStatus. */
export function fulfillmentStatus(order: OrderRec): "UNFULFILLED" | "PARTIALLY_FULFILLED" | "FULFILLED" | "RESTOCKED" {
  const fulfilled = sumMinor(order.lineItems.map((li) => fulfilledQuantity(order, li)));
  const pending = sumMinor(order.lineItems.map((li) => unfulfilledQuantity(order, li)));
  if (fulfilled === 0) return order.restockedOnCancel && pending === 0 ? "RESTOCKED" : "UNFULFILLED";
  return pending === 0 ? "FULFILLED" : "PARTIALLY_FULFILLED";
}
