import { cancellableRemaining, type LineAmounts } from "./line-amounts";
import { fromCents, proRata, roundCents, scaleTaxes, toCents, type TaxAmount } from "./money";

/** One OR30 cancelation as we would send it (amounts in the order's tax mode). */
export interface CancelAmounts {
  orderLineId: string;
  quantity: number;
  amount: number;
  shippingAmount: number;
  taxes: TaxAmount[];
  shippingTaxes: TaxAmount[];
}

/**
 * Shipping that leaves with `quantity` canceled units. Mirakl prices line shipping as `shipping_price_unit` for the
 * first unit plus `shipping_price_additional_unit` for each further one (notes §3: shipping_price_unit,
 * shipping_price_additional_unit); when both are given and add up to the line's shipping, the units that remain
 * keep exactly what they would have cost to ship, and the customer gets the rest back. Otherwise pro rata.
 */
export function cancelledShipping(line: LineAmounts, quantity: number): number {
  const left = line.quantity - quantity;
  if (left <= 0) return roundCents(line.shippingPrice);
  const unit = line.shippingPriceUnit;
  const extra = line.shippingPriceAdditionalUnit;
  if (unit !== null && extra !== null && toCents(unit + extra * (line.quantity - 1)) === toCents(line.shippingPrice)) {
    const keep = toCents(unit + extra * (left - 1));
    return fromCents(Math.min(toCents(line.shippingPrice), Math.max(0, toCents(line.shippingPrice) - keep)));
  }
  return proRata(line.shippingPrice, quantity, line.quantity);
}

/**
 * The OR30 amounts for canceling `quantity` units of a line: per-unit price and tax taken from the line's totals,
 * pro rata and rounded to cents, so that canceling every unit (in one go or several) never asks for more than the
 * line holds; the last units take whatever is left exactly.
 */
export function priceCancellation(line: LineAmounts, quantity: number): CancelAmounts {
  const left = cancellableRemaining(line);
  const q = Math.max(0, Math.min(Math.trunc(quantity), left.quantity));
  const amount = proRata(left.amount, q, left.quantity);
  const shippingAmount = q === 0 ? 0 : cancelledShipping(line, q);
  return {
    orderLineId: line.orderLineId,
    quantity: q,
    amount,
    shippingAmount,
    taxes: scaleTaxes(left.taxes, q, left.quantity),
    shippingTaxes: scaleTaxes(left.shippingTaxes, toCents(shippingAmount), toCents(left.shippingAmount)),
  };
}
