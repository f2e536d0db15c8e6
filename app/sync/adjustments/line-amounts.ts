import type { MiraklOrder, MiraklOrderLine } from "../../mirakl";
import { addTaxes, fromCents, subtractTaxes, toCents, type TaxAmount } from "./money";

/**
 * What is left on a Mirakl order line, read only from the line's own amounts (OR11 seller view, notes §3):
 * - cancellable: OR30 takes canceled quantities and amounts out of the line (`quantity`, `price`,
 *   `shipping_price` and `taxes` already exclude earlier cancelations, notes §3.1 and gotcha 4), so what can
 *   still be canceled is the line as it stands now;
 * - refundable: refunds do not lower `price` (notes §3.1, M2 fixture), so what can still be refunded is the line
 *   minus its `refunds[]`.
 * Never re-derive a rate or a unit price from rounded amounts (gotcha 8): everything is scaled from totals.
 */
export interface LineAmounts {
  orderLineId: string;
  offerSku: string;
  state: string;
  quantity: number;
  price: number;
  shippingPrice: number;
  shippingPriceUnit: number | null;
  shippingPriceAdditionalUnit: number | null;
  taxes: TaxAmount[];
  shippingTaxes: TaxAmount[];
  canRefund: boolean;
  refunds: Array<{ id: string | null; amount: number; shippingAmount: number; quantity: number; taxes: TaxAmount[]; shippingTaxes: TaxAmount[]; reasonCode: string | null; state: string | null }>;
  cancelations: Array<{ id: string | null; amount: number; shippingAmount: number; quantity: number }>;
}

export interface Remaining {
  quantity: number;
  amount: number;
  shippingAmount: number;
  taxes: TaxAmount[];
  shippingTaxes: TaxAmount[];
}

function taxes(list: ReadonlyArray<{ code: string; amount?: number | null }>): TaxAmount[] {
  return list.map((t) => ({ code: t.code, amount: t.amount ?? 0 }));
}

export function lineAmounts(line: MiraklOrderLine): LineAmounts {
  return {
    orderLineId: line.order_line_id,
    offerSku: line.offer_sku,
    state: line.order_line_state,
    quantity: line.quantity,
    price: line.price,
    shippingPrice: line.shipping_price ?? 0,
    shippingPriceUnit: line.shipping_price_unit ?? null,
    shippingPriceAdditionalUnit: line.shipping_price_additional_unit ?? null,
    taxes: taxes(line.taxes),
    shippingTaxes: taxes(line.shipping_taxes),
    canRefund: line.can_refund ?? false,
    refunds: line.refunds.map((r) => ({
      id: r.id ?? null,
      amount: r.amount ?? 0,
      shippingAmount: r.shipping_amount ?? 0,
      quantity: r.quantity ?? 0,
      taxes: taxes(r.taxes),
      shippingTaxes: taxes(r.shipping_taxes),
      reasonCode: r.reason_code ?? null,
      state: r.refund_state ?? r.state ?? null,
    })),
    cancelations: line.cancelations.map((c) => ({ id: c.id ?? null, amount: c.amount ?? 0, shippingAmount: c.shipping_amount ?? 0, quantity: c.quantity ?? 0 })),
  };
}

export function refundableRemaining(line: LineAmounts): Remaining {
  const refunded = (pick: (r: LineAmounts["refunds"][number]) => number) => line.refunds.reduce((s, r) => s + toCents(pick(r)), 0);
  return {
    quantity: Math.max(0, line.quantity - line.refunds.reduce((s, r) => s + r.quantity, 0)),
    amount: fromCents(Math.max(0, toCents(line.price) - refunded((r) => r.amount))),
    shippingAmount: fromCents(Math.max(0, toCents(line.shippingPrice) - refunded((r) => r.shippingAmount))),
    taxes: subtractTaxes(line.taxes, addTaxes(...line.refunds.map((r) => r.taxes))),
    shippingTaxes: subtractTaxes(line.shippingTaxes, addTaxes(...line.refunds.map((r) => r.shippingTaxes))),
  };
}

export function cancellableRemaining(line: LineAmounts): Remaining {
  return { quantity: line.quantity, amount: line.price, shippingAmount: line.shippingPrice, taxes: line.taxes, shippingTaxes: line.shippingTaxes };
}

/** Lines that still belong to the order (refused and canceled lines have left it, gotcha 4). */
export function activeLines(order: MiraklOrder): MiraklOrderLine[] {
  return order.order_lines.filter((l) => l.order_line_state !== "REFUSED" && l.order_line_state !== "CANCELED");
}

/** Line states in which Mirakl still takes an OR30 for the line (accepted, not shipped; notes §4.2). */
export const CANCELLABLE_LINE_STATES: ReadonlySet<string> = new Set(["WAITING_DEBIT", "WAITING_DEBIT_PAYMENT", "SHIPPING"]);

/** Mirakl's `order_tax_mode` for the order, defaulting to the connection's (amounts are read in it, gotcha 7). */
export function orderTaxMode(order: MiraklOrder, fallback: string): "TAX_INCLUDED" | "TAX_EXCLUDED" {
  const mode = order.order_tax_mode ?? fallback;
  return mode === "TAX_EXCLUDED" ? "TAX_EXCLUDED" : "TAX_INCLUDED";
}

/**
 * OR30: taxes are required when the line has taxes, but must NOT be sent when the marketplace calculates taxes at
 * order level in TAX_EXCLUDED mode (notes §2.1 OR30). Order-level calculation shows as a non-empty `order_taxes`.
 */
export function sendLineTaxes(order: MiraklOrder, mode: "TAX_INCLUDED" | "TAX_EXCLUDED"): boolean {
  return !(mode === "TAX_EXCLUDED" && order.order_taxes.length > 0);
}
