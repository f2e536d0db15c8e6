/**
 * OR28 refunds (and the operator's back-office refunds). All items are validated before any is applied, so a
 * refused call changes nothing. Refunds are recorded on the line as WAITING_REFUND and completed later by the
 * simulated PSP (refund-complete event), which is when the REFUND_* transaction lines appear.
 */
import { recordReversal } from "./accounting";
import { roundCents } from "./money";
import { lineCanRefund, refundableRemaining } from "./order-workflow";
import { uuidFrom } from "./prng";
import { assertTaxesWithin, resolveRequestedPart, type RequestedTax } from "./requested-amounts";
import { badRequest } from "./sim-errors";
import { findOrderLine, touchOrder, type SimState } from "./sim-state";
import type { AmountTax, SimOrder, SimOrderLine, SimRefund, TaxMode } from "./types";

export interface RefundRequestItem {
  order_line_id: string;
  amount: number;
  shipping_amount: number;
  reason_code: string;
  quantity?: number;
  currency_iso_code?: string;
  excluded_from_shipment?: boolean;
  taxes?: RequestedTax[];
  shipping_taxes?: RequestedTax[];
}

export interface CreatedRefund {
  order: SimOrder;
  line: SimOrderLine;
  refund: SimRefund;
  response: Record<string, unknown>;
}

export function refundLines({
  state,
  shopId,
  items,
  requestMode,
  at,
  origin,
}: {
  state: SimState;
  shopId: number;
  items: RefundRequestItem[];
  requestMode: TaxMode;
  at: number;
  origin: "shop" | "operator";
}): CreatedRefund[] {
  if (items.length === 0) throw badRequest("The field refunds must contain at least one refund.");
  const pending = new Map<string, { amount: number; shipping: number; taxes: AmountTax[]; shippingTaxes: AmountTax[] }>();
  const planned: Array<{ order: SimOrder; line: SimOrderLine; item: RefundRequestItem; stored: number; storedShipping: number; taxes: AmountTax[]; shippingTaxes: AmountTax[] }> = [];

  for (const item of items) {
    const found = findOrderLine({ state, shopId, lineId: item.order_line_id });
    if (!found) throw badRequest(`The order line '${item.order_line_id}' does not exist.`, "ORDER_LINE_NOT_FOUND");
    const { order, line } = found;
    const reason = state.tenant.reasons.find((r) => r.code === String(item.reason_code) && r.type === "REFUND");
    if (!reason || (origin === "shop" && !reason.isShopRight)) {
      throw badRequest(`The reason code '${item.reason_code}' is not a refund reason the shop may use (see RE01).`, "REASON_CODE_INVALID");
    }
    if (item.currency_iso_code !== undefined && item.currency_iso_code !== order.currency) {
      throw badRequest(`The currency '${item.currency_iso_code}' does not match the order currency '${order.currency}'.`, "CURRENCY_INVALID");
    }
    if (!lineCanRefund({ order, line })) {
      throw badRequest(`The order line '${line.id}' cannot be refunded (order ${order.state}, line ${line.state}).`, "ORDER_LINE_NOT_REFUNDABLE");
    }
    const amount = Number(item.amount);
    const shippingAmount = Number(item.shipping_amount);
    if (!Number.isFinite(amount) || !Number.isFinite(shippingAmount) || amount < 0 || shippingAmount < 0) {
      throw badRequest(`Invalid refund amounts for order line '${line.id}'.`);
    }
    if (amount === 0 && shippingAmount === 0) throw badRequest(`The refund of order line '${line.id}' has no amount.`);
    if (item.quantity !== undefined && (!Number.isInteger(item.quantity) || item.quantity < 0 || item.quantity > line.quantity)) {
      throw badRequest(`Invalid refund quantity for order line '${line.id}'.`);
    }
    const mandatory = state.tenant.taxCalculationRule === "NONE";
    const product = resolveRequestedPart({ lineId: line.id, part: "taxes", amount, givenTaxes: item.taxes, lineTaxes: line.taxes, lineAmount: line.price, requestMode, orderMode: order.taxMode, taxesMandatory: mandatory });
    const shipping = resolveRequestedPart({ lineId: line.id, part: "shipping_taxes", amount: shippingAmount, givenTaxes: item.shipping_taxes, lineTaxes: line.shippingTaxes, lineAmount: line.shippingPrice, requestMode, orderMode: order.taxMode, taxesMandatory: mandatory });

    const remaining = refundableRemaining(line);
    const already = pending.get(line.id) ?? { amount: 0, shipping: 0, taxes: [], shippingTaxes: [] };
    const leftAmount = roundCents(remaining.amount - already.amount);
    const leftShipping = roundCents(remaining.shippingAmount - already.shipping);
    if (product.stored > leftAmount + 0.005) {
      throw badRequest(`The refund amount ${product.stored} exceeds the amount left to refund (${leftAmount}) on order line '${line.id}'.`, "REFUND_AMOUNT_EXCEEDED");
    }
    if (shipping.stored > leftShipping + 0.005) {
      throw badRequest(`The refund shipping amount ${shipping.stored} exceeds the shipping amount left to refund (${leftShipping}) on order line '${line.id}'.`, "REFUND_SHIPPING_AMOUNT_EXCEEDED");
    }
    const minusPending = (from: AmountTax[], minus: AmountTax[]) =>
      from.map((t) => ({ ...t, amount: roundCents(t.amount - minus.filter((m) => m.code === t.code).reduce((s, m) => s + m.amount, 0)) }));
    assertTaxesWithin({ lineId: line.id, taxes: product.taxes, remaining: minusPending(remaining.taxes, already.taxes) });
    assertTaxesWithin({ lineId: line.id, taxes: shipping.taxes, remaining: minusPending(remaining.shippingTaxes, already.shippingTaxes) });
    pending.set(line.id, {
      amount: already.amount + product.stored,
      shipping: already.shipping + shipping.stored,
      taxes: [...already.taxes, ...product.taxes],
      shippingTaxes: [...already.shippingTaxes, ...shipping.taxes],
    });
    planned.push({ order, line, item, stored: product.stored, storedShipping: shipping.stored, taxes: product.taxes, shippingTaxes: shipping.taxes });
  }

  const groupIds = new Map<string, string>();
  const created: CreatedRefund[] = [];
  for (const p of planned) {
    const orderRefundId = groupIds.get(p.order.id) ?? uuidFrom({ prng: state.random.ids });
    groupIds.set(p.order.id, orderRefundId);
    const base = p.line.price + p.line.shippingPrice;
    const share = base > 0 ? (p.stored + p.storedShipping) / base : 0;
    const refund: SimRefund = {
      id: String(++state.counters.refund),
      orderRefundId,
      createdAt: at,
      updatedAt: at,
      quantity: p.item.quantity ?? 0,
      amount: p.stored,
      shippingAmount: p.storedShipping,
      reasonCode: String(p.item.reason_code),
      state: "WAITING_REFUND",
      taxes: p.taxes,
      shippingTaxes: p.shippingTaxes,
      commissionAmount: roundCents(p.line.commissionFee * share),
      commissionTaxes: [{ code: "TAXDEFAULT", rate: state.tenant.commissionVatRate, amount: roundCents(p.line.commissionVat * share) }],
      transactionNumber: null,
      transactionDate: null,
    };
    p.line.refunds.push(refund);
    p.line.updatedAt = at;
    touchOrder({ order: p.order, at });
    state.scheduler.schedule({ at: at + state.tenant.refundDelayMs, event: { kind: "refund-complete", orderId: p.order.id, refundId: refund.id } });
    created.push({
      order: p.order,
      line: p.line,
      refund,
      response: {
        amount: Number(p.item.amount),
        currency_iso_code: p.order.currency,
        excluded_from_shipment: p.item.excluded_from_shipment ?? false,
        fees: [],
        order_line_id: p.line.id,
        order_refund_id: orderRefundId,
        quantity: refund.quantity,
        reason_code: refund.reasonCode,
        refund_id: refund.id,
        shipping_amount: Number(p.item.shipping_amount),
        shipping_taxes: p.shippingTaxes.map((t) => ({ code: t.code, amount: t.amount, rate: t.rate })),
        taxes: p.taxes.map((t) => ({ code: t.code, amount: t.amount, rate: t.rate })),
      },
    });
  }
  return created;
}

/** The PSP paid the refund back to the customer: REFUNDED, money lines in TL02, line REFUNDED once fully refunded. */
export function completeRefund({ state, orderId, refundId, at }: { state: SimState; orderId: string; refundId: string; at: number }): void {
  const order = state.orders.get(orderId);
  if (!order) return;
  for (const line of order.lines) {
    const refund = line.refunds.find((r) => r.id === refundId);
    if (!refund || refund.state === "REFUNDED") continue;
    refund.state = "REFUNDED";
    refund.updatedAt = at;
    refund.transactionDate = at;
    refund.transactionNumber = `RFD-${refund.id}`;
    recordReversal({
      state,
      order,
      line,
      refundId: refund.id,
      at,
      amounts: {
        amount: refund.amount,
        shippingAmount: refund.shippingAmount,
        taxes: refund.taxes,
        shippingTaxes: refund.shippingTaxes,
        commissionAmount: refund.commissionAmount,
        commissionTaxes: refund.commissionTaxes,
      },
    });
    const left = refundableRemaining(line);
    if (left.amount <= 0 && left.shippingAmount <= 0 && line.refunds.every((r) => r.state === "REFUNDED")) {
      line.state = "REFUNDED";
    }
    line.updatedAt = at;
    touchOrder({ order, at });
  }
}
