/**
 * OR30 line cancelations: needs the partial-cancel feature, a CANCELATION reason with is_shop_right, an order that
 * can still be canceled (accepted, nothing shipped) and amounts within what is left. The canceled amount and
 * quantity are taken out of the line (notes §3 "taken out of the line/order price/total_price").
 */
import { recordReversal } from "./accounting";
import { roundCents, subtractTaxes } from "./money";
import { canCancel, releaseStock, settleAfterLineChange } from "./order-workflow";
import { assertTaxesWithin, resolveRequestedPart, type RequestedTax } from "./requested-amounts";
import { badRequest } from "./sim-errors";
import { findOrderLine, touchOrder, type SimState } from "./sim-state";
import type { AmountTax, SimCancelation, SimOrder, SimOrderLine, TaxMode } from "./types";

export interface CancelationRequestItem {
  order_line_id: string;
  quantity: number;
  amount: number;
  shipping_amount: number;
  reason_code: string;
  currency_iso_code?: string;
  taxes?: RequestedTax[];
  shipping_taxes?: RequestedTax[];
}

export function cancelLines({
  state,
  shopId,
  items,
  requestMode,
  at,
}: {
  state: SimState;
  shopId: number;
  items: CancelationRequestItem[];
  requestMode: TaxMode;
  at: number;
}): Array<{ order: SimOrder; line: SimOrderLine; cancelation: SimCancelation; response: Record<string, unknown> }> {
  if (!state.tenant.partialCancel) {
    throw badRequest("Partial cancelation is not enabled for this shop; cancel the whole order with OR29.", "PARTIAL_CANCELATION_DISABLED");
  }
  if (items.length === 0) throw badRequest("The field cancelations must contain at least one cancelation.");
  const used = new Map<string, { quantity: number; amount: number; shipping: number }>();
  const planned: Array<{ order: SimOrder; line: SimOrderLine; item: CancelationRequestItem; stored: number; storedShipping: number; taxes: AmountTax[]; shippingTaxes: AmountTax[] }> = [];
  for (const item of items) {
    const found = findOrderLine({ state, shopId, lineId: item.order_line_id });
    if (!found) throw badRequest(`The order line '${item.order_line_id}' does not exist.`, "ORDER_LINE_NOT_FOUND");
    const { order, line } = found;
    const reason = state.tenant.reasons.find((r) => r.code === String(item.reason_code) && r.type === "CANCELATION");
    if (!reason || !reason.isShopRight) {
      throw badRequest(`The reason code '${item.reason_code}' is not a cancelation reason the shop may use (see RE01).`, "REASON_CODE_INVALID");
    }
    if (!canCancel(order) || (line.state !== "WAITING_DEBIT_PAYMENT" && line.state !== "SHIPPING")) {
      throw badRequest(`The order line '${line.id}' cannot be canceled (order ${order.state}, line ${line.state}).`, "ORDER_LINE_NOT_CANCELABLE");
    }
    if (item.currency_iso_code !== undefined && item.currency_iso_code !== order.currency) {
      throw badRequest(`The currency '${item.currency_iso_code}' does not match the order currency '${order.currency}'.`, "CURRENCY_INVALID");
    }
    const prior = used.get(line.id) ?? { quantity: 0, amount: 0, shipping: 0 };
    const quantity = Number(item.quantity);
    if (!Number.isInteger(quantity) || quantity < 0 || quantity > line.quantity - prior.quantity) {
      throw badRequest(`The quantity to cancel (${item.quantity}) exceeds the quantity left (${line.quantity - prior.quantity}) on order line '${line.id}'.`, "CANCELATION_QUANTITY_INVALID");
    }
    const amount = Number(item.amount);
    const shippingAmount = Number(item.shipping_amount);
    if (!Number.isFinite(amount) || !Number.isFinite(shippingAmount) || amount < 0 || shippingAmount < 0 || amount + shippingAmount + quantity === 0) {
      throw badRequest(`Invalid cancelation amounts for order line '${line.id}'.`);
    }
    const mandatory = state.tenant.taxCalculationRule === "NONE";
    const product = resolveRequestedPart({ lineId: line.id, part: "taxes", amount, givenTaxes: item.taxes, lineTaxes: line.taxes, lineAmount: line.price, requestMode, orderMode: order.taxMode, taxesMandatory: mandatory });
    const shipping = resolveRequestedPart({ lineId: line.id, part: "shipping_taxes", amount: shippingAmount, givenTaxes: item.shipping_taxes, lineTaxes: line.shippingTaxes, lineAmount: line.shippingPrice, requestMode, orderMode: order.taxMode, taxesMandatory: mandatory });
    const leftAmount = roundCents(line.price - prior.amount);
    const leftShipping = roundCents(line.shippingPrice - prior.shipping);
    if (product.stored > leftAmount + 0.005) {
      throw badRequest(`The canceled amount ${product.stored} exceeds the amount left (${leftAmount}) on order line '${line.id}'.`, "CANCELATION_AMOUNT_EXCEEDED");
    }
    if (shipping.stored > leftShipping + 0.005) {
      throw badRequest(`The canceled shipping amount ${shipping.stored} exceeds the shipping amount left (${leftShipping}) on order line '${line.id}'.`, "CANCELATION_SHIPPING_AMOUNT_EXCEEDED");
    }
    assertTaxesWithin({ lineId: line.id, taxes: product.taxes, remaining: line.taxes });
    assertTaxesWithin({ lineId: line.id, taxes: shipping.taxes, remaining: line.shippingTaxes });
    used.set(line.id, { quantity: prior.quantity + quantity, amount: prior.amount + product.stored, shipping: prior.shipping + shipping.stored });
    planned.push({ order, line, item, stored: product.stored, storedShipping: shipping.stored, taxes: product.taxes, shippingTaxes: shipping.taxes });
  }

  const out: Array<{ order: SimOrder; line: SimOrderLine; cancelation: SimCancelation; response: Record<string, unknown> }> = [];
  const touched = new Set<SimOrder>();
  for (const p of planned) {
    const { line, order } = p;
    const base = line.price + line.shippingPrice;
    const share = base > 0 ? (p.stored + p.storedShipping) / base : 0;
    const commissionAmount = roundCents(line.commissionFee * share);
    const commissionVat = roundCents(line.commissionVat * share);
    const cancelation: SimCancelation = {
      id: String(++state.counters.cancelation),
      createdAt: at,
      quantity: Number(p.item.quantity),
      amount: p.stored,
      shippingAmount: p.storedShipping,
      reasonCode: String(p.item.reason_code),
      taxes: p.taxes,
      shippingTaxes: p.shippingTaxes,
      commissionAmount,
      commissionTaxes: [{ code: "TAXDEFAULT", rate: state.tenant.commissionVatRate, amount: commissionVat }],
    };
    line.cancelations.push(cancelation);
    line.quantity -= cancelation.quantity;
    line.price = roundCents(line.price - p.stored);
    line.shippingPrice = roundCents(line.shippingPrice - p.storedShipping);
    line.taxes = subtractTaxes({ from: line.taxes, minus: p.taxes });
    line.shippingTaxes = subtractTaxes({ from: line.shippingTaxes, minus: p.shippingTaxes });
    line.commissionFee = roundCents(line.commissionFee - commissionAmount);
    line.commissionVat = roundCents(line.commissionVat - commissionVat);
    line.updatedAt = at;
    releaseStock({ state, order, line, quantity: cancelation.quantity, at });
    recordReversal({
      state,
      order,
      line,
      refundId: null,
      at,
      amounts: { amount: p.stored, shippingAmount: p.storedShipping, taxes: p.taxes, shippingTaxes: p.shippingTaxes, commissionAmount, commissionTaxes: cancelation.commissionTaxes },
    });
    if (line.quantity === 0) line.state = "CANCELED";
    touchOrder({ order, at });
    touched.add(order);
    out.push({
      order,
      line,
      cancelation,
      response: {
        amount: Number(p.item.amount),
        cancelation_id: cancelation.id,
        currency_iso_code: order.currency,
        fees: [],
        order_line_id: line.id,
        quantity: cancelation.quantity,
        reason_code: cancelation.reasonCode,
        shipping_amount: Number(p.item.shipping_amount),
        shipping_taxes: p.shippingTaxes.map((t) => ({ code: t.code, amount: t.amount, rate: t.rate })),
        taxes: p.taxes.map((t) => ({ code: t.code, amount: t.amount, rate: t.rate })),
      },
    });
  }
  for (const order of touched) settleAfterLineChange({ state, order, at });
  return out;
}
