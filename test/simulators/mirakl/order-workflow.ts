/**
 * The order state machine of notes §4: STAGING → WAITING_ACCEPTANCE → (OR21 or automatic) WAITING_DEBIT_PAYMENT →
 * (debit) SHIPPING → (OR24/ST24) SHIPPED → RECEIVED → CLOSED, with REFUSED and CANCELED exits. Line states follow
 * the order; refused/canceled lines leave it. Every change goes through touchOrder so OR11's update filter sees it.
 */
import { markOrderPayable, recordDebit, recordReversal } from "./accounting";
import { roundCents, subtractTaxes, sumAmounts } from "./money";
import { badRequest } from "./sim-errors";
import { findOffer, touchOrder, type SimState } from "./sim-state";
import type { AmountTax, OrderLineState, SimOrder, SimOrderLine, SimTracking } from "./types";

const ACTIVE_EXCLUDED: ReadonlySet<OrderLineState> = new Set(["REFUSED", "CANCELED"]);

export function isActiveLine(line: SimOrderLine): boolean {
  return !ACTIVE_EXCLUDED.has(line.state);
}

export function shippingTypeOf({ state, order }: { state: SimState; order: SimOrder }) {
  return state.tenant.shippingTypes.find((t) => t.code === order.shippingTypeCode);
}

/** OR29/OR30 are allowed on accepted orders that are not shipped yet (notes §4.2, PAY_ON_ACCEPTANCE workflow). */
export function canCancel(order: SimOrder): boolean {
  return (order.state === "WAITING_DEBIT_PAYMENT" || order.state === "SHIPPING") && order.lines.every((l) => l.shippedQuantity === 0);
}

export function canShopShip(order: SimOrder): boolean {
  return order.state === "SHIPPING";
}

/** What is left to refund on a line: price and shipping minus refunds (cancelations are already out of price). */
export function refundableRemaining(line: SimOrderLine): { amount: number; shippingAmount: number; taxes: AmountTax[]; shippingTaxes: AmountTax[] } {
  return {
    amount: roundCents(line.price - sumAmounts(line.refunds)),
    shippingAmount: roundCents(line.shippingPrice - line.refunds.reduce((s, r) => s + r.shippingAmount, 0)),
    taxes: subtractTaxes({ from: line.taxes, minus: line.refunds.flatMap((r) => r.taxes) }),
    shippingTaxes: subtractTaxes({ from: line.shippingTaxes, minus: line.refunds.flatMap((r) => r.shippingTaxes) }),
  };
}

/** Notes §5 gotcha 7: refunds only on shipped/received lines, never once CLOSED. */
export function lineCanRefund({ order, line }: { order: SimOrder; line: SimOrderLine }): boolean {
  if (order.state === "CLOSED") return false;
  if (line.state !== "SHIPPED" && line.state !== "RECEIVED") return false;
  const r = refundableRemaining(line);
  return r.amount > 0 || r.shippingAmount > 0;
}

function setLineState({ line, to, at }: { line: SimOrderLine; to: OrderLineState; at: number }): void {
  line.state = to;
  line.updatedAt = at;
}

/** Gives stock back (or zeroes it) when a line leaves the order, per the tenant's setting (notes §5 gotcha 23). */
export function releaseStock({ state, order, line, quantity, at }: { state: SimState; order: SimOrder; line: SimOrderLine; quantity: number; at: number }): void {
  if (!line.knownOffer || quantity <= 0) return;
  const offer = findOffer({ state, shopId: order.shopId, sku: line.offerSku });
  if (!offer) return;
  if (state.tenant.stockOnRefusal === "restore") offer.quantity += quantity;
  else if (state.tenant.stockOnRefusal === "zero") offer.quantity = 0;
  else return;
  offer.updatedAt = at;
}

export function enterWaitingAcceptance({ state, order, at }: { state: SimState; order: SimOrder; at: number }): void {
  if (state.tenant.orderAcceptance === "AUTOMATIC") {
    // B&Q-style tenants accept on creation; acceptance_decision_date stays null (automatic decision).
    acceptOrder({ state, order, decisions: new Map(order.lines.map((l) => [l.id, true])), at, automatic: true });
    return;
  }
  order.state = "WAITING_ACCEPTANCE";
  order.waitingAcceptanceSince = at;
  for (const line of order.lines) setLineState({ line, to: "WAITING_ACCEPTANCE", at });
  touchOrder({ order, at });
  state.scheduler.schedule({ at: at + state.tenant.acceptanceWindowMs, event: { kind: "acceptance-expiry", orderId: order.id } });
}

export function acceptOrder({
  state,
  order,
  decisions,
  at,
  automatic,
}: {
  state: SimState;
  order: SimOrder;
  decisions: Map<string, boolean>;
  at: number;
  automatic: boolean;
}): void {
  let accepted = 0;
  for (const line of order.lines) {
    if (decisions.get(line.id)) {
      setLineState({ line, to: "WAITING_DEBIT_PAYMENT", at });
      accepted++;
    } else {
      setLineState({ line, to: "REFUSED", at });
      releaseStock({ state, order, line, quantity: line.quantity, at });
    }
  }
  order.acceptanceDecisionAt = automatic ? null : at;
  order.waitingAcceptanceSince = null;
  if (accepted === 0) {
    order.state = "REFUSED";
    touchOrder({ order, at });
    return;
  }
  order.state = "WAITING_DEBIT_PAYMENT";
  order.acceptedAt = at;
  order.shippingDeadline = at + order.leadtimeToShip * 86_400_000;
  touchOrder({ order, at });
  state.scheduler.schedule({ at: at + state.tenant.debitDelayMs, event: { kind: "debit", orderId: order.id } });
}

/** Acceptance window expired: automatic refusal, acceptance_decision_date stays null (OR11 field doc). */
export function refuseAutomatically({ state, order, at }: { state: SimState; order: SimOrder; at: number }): void {
  if (order.state !== "WAITING_ACCEPTANCE") return;
  for (const line of order.lines) {
    setLineState({ line, to: "REFUSED", at });
    releaseStock({ state, order, line, quantity: line.quantity, at });
  }
  order.state = "REFUSED";
  order.acceptanceDecisionAt = null;
  order.waitingAcceptanceSince = null;
  order.stateReasonCode = null;
  order.stateReasonLabel = "Automatic refusal: the order was not accepted in time";
  touchOrder({ order, at });
}

export function applyDebit({ state, order, at }: { state: SimState; order: SimOrder; at: number }): void {
  if (order.state !== "WAITING_DEBIT_PAYMENT") return;
  if (order.debitOutcome === "fail") {
    cancelWholeOrder({ state, order, at, reasonLabel: "The customer payment was refused" });
    return;
  }
  order.state = "SHIPPING";
  order.customerDebitedAt = at;
  order.transactionNumber = `TRX-${order.commercialId}`;
  for (const line of order.lines) {
    if (line.state !== "WAITING_DEBIT_PAYMENT") continue;
    setLineState({ line, to: "SHIPPING", at });
    line.debitedAt = at;
  }
  touchOrder({ order, at });
  recordDebit({ state, order, at });
}

/**
 * Resolves OR23/ST01/ST23 carrier details. A registered carrier must be an SH21 code and gets its URL from the
 * SH21 template; an unregistered one needs a name and is forbidden by PC01 disable_seller_alternative_carrier
 * (notes §5 gotcha 1).
 */
export function resolveTracking({
  state,
  input,
}: {
  state: SimState;
  input: { carrierCode?: string; carrierName?: string; carrierStandardCode?: string; url?: string; trackingNumber?: string };
}): SimTracking {
  const trackingNumber = input.trackingNumber?.trim() ? input.trackingNumber.trim() : null;
  if (input.carrierCode) {
    const carrier = state.tenant.carriers.find((c) => c.code === input.carrierCode);
    if (!carrier) throw badRequest(`The carrier '${input.carrierCode}' is unknown. Use a carrier code returned by SH21.`, "CARRIER_NOT_FOUND");
    const template = carrier.trackingUrl ?? null;
    if (template?.includes("{trackingId}") && !trackingNumber) {
      throw badRequest(`A tracking number is mandatory for the carrier '${carrier.code}'.`, "TRACKING_NUMBER_MISSING");
    }
    return {
      carrierCode: carrier.code,
      carrierName: carrier.label,
      carrierStandardCode: carrier.standardCode ?? null,
      trackingNumber,
      trackingUrl: template && trackingNumber ? template.replace("{trackingId}", encodeURIComponent(trackingNumber)) : template,
    };
  }
  if (!input.carrierName) throw badRequest("A carrier code (registered carrier) or a carrier name (unregistered carrier) is mandatory.", "CARRIER_MISSING");
  if (state.tenant.disableSellerAlternativeCarrier) {
    throw badRequest("Unregistered carriers are not allowed on this marketplace: use a carrier code returned by SH21.", "UNREGISTERED_CARRIER_FORBIDDEN");
  }
  return {
    carrierCode: null,
    carrierName: input.carrierName,
    carrierStandardCode: input.carrierStandardCode ?? null,
    trackingNumber,
    trackingUrl: input.url ?? null,
  };
}

export function setOrderTracking({ order, tracking, at }: { order: SimOrder; tracking: SimTracking; at: number }): void {
  if (order.state !== "SHIPPING" && order.state !== "SHIPPED") {
    throw badRequest(`The order status must be 'SHIPPING' but it is '${order.state}'.`, "ORDER_INVALID_STATE");
  }
  order.tracking = tracking;
  touchOrder({ order, at });
}

export function assertTrackingIfMandatory({ state, order, tracking }: { state: SimState; order: SimOrder; tracking: SimTracking | null }): void {
  const type = shippingTypeOf({ state, order });
  if (type?.mandatoryTracking && !tracking?.trackingNumber) {
    // Exact text seen by integrators (notes §2.1 OR24, magento2-seller-connector #25).
    throw badRequest("Tracking details are mandatory for this shipping method.", "TRACKING_MANDATORY");
  }
}

/** OR24: only in SHIPPING (notes §5 gotcha 3); ships every remaining quantity. */
export function shipWholeOrder({ state, order, at }: { state: SimState; order: SimOrder; at: number }): void {
  if (order.state !== "SHIPPING") {
    throw badRequest(`The order status must be 'SHIPPING' but it is '${order.state}'.`, "ORDER_INVALID_STATE");
  }
  assertTrackingIfMandatory({ state, order, tracking: order.tracking });
  for (const line of order.lines) {
    if (line.state !== "SHIPPING") continue;
    line.shippedQuantity = line.quantity;
  }
  settleAfterLineChange({ state, order, at });
}

/**
 * Re-derives the order state from its lines after shipments or cancelations: fully shipped lines become
 * SHIPPED, an order whose active lines are all shipped is SHIPPED, an order with no active line is CANCELED.
 */
export function settleAfterLineChange({ state, order, at }: { state: SimState; order: SimOrder; at: number }): void {
  for (const line of order.lines) {
    if (line.state === "SHIPPING" && line.quantity > 0 && line.shippedQuantity >= line.quantity) {
      setLineState({ line, to: "SHIPPED", at });
      line.shippedAt = at;
    }
  }
  const active = order.lines.filter(isActiveLine);
  if (active.length === 0) {
    order.state = "CANCELED";
  } else if (order.state === "SHIPPING" && active.every((l) => l.state === "SHIPPED")) {
    order.state = "SHIPPED";
    order.shippedAt = at;
    state.scheduler.schedule({ at: at + state.tenant.autoReceiveMs, event: { kind: "auto-receive", orderId: order.id } });
  }
  touchOrder({ order, at });
}

export function receiveOrder({ state, order, at }: { state: SimState; order: SimOrder; at: number }): void {
  if (order.state !== "SHIPPED") return;
  order.state = "RECEIVED";
  order.receivedAt = at;
  for (const line of order.lines) {
    if (line.state === "SHIPPED") {
      setLineState({ line, to: "RECEIVED", at });
      line.receivedAt = at;
    }
  }
  touchOrder({ order, at });
  markOrderPayable({ state, order, at });
  state.scheduler.schedule({ at: at + state.tenant.autoCloseMs, event: { kind: "auto-close", orderId: order.id } });
}

export function closeOrder({ order, at }: { order: SimOrder; at: number }): void {
  if (order.state !== "RECEIVED") return;
  order.state = "CLOSED";
  order.closedAt = at;
  for (const line of order.lines) if (line.state === "RECEIVED") setLineState({ line, to: "CLOSED", at });
  touchOrder({ order, at });
}

/** OR29, customer cancellation and failed debit: every active line goes, money goes back if it was taken. */
export function cancelWholeOrder({
  state,
  order,
  at,
  reasonCode = null,
  reasonLabel = null,
}: {
  state: SimState;
  order: SimOrder;
  at: number;
  reasonCode?: string | null;
  reasonLabel?: string | null;
}): void {
  for (const line of order.lines) {
    if (!isActiveLine(line)) continue;
    if (order.customerDebitedAt !== null) {
      const r = refundableRemaining(line);
      const share = line.price + line.shippingPrice > 0 ? (r.amount + r.shippingAmount) / (line.price + line.shippingPrice) : 0;
      recordReversal({
        state,
        order,
        line,
        refundId: null,
        at,
        amounts: {
          amount: r.amount,
          shippingAmount: r.shippingAmount,
          taxes: r.taxes,
          shippingTaxes: r.shippingTaxes,
          commissionAmount: roundCents(line.commissionFee * share),
          commissionTaxes: [{ code: "TAXDEFAULT", rate: state.tenant.commissionVatRate, amount: roundCents(line.commissionVat * share) }],
        },
      });
    }
    setLineState({ line, to: "CANCELED", at });
    releaseStock({ state, order, line, quantity: line.quantity, at });
  }
  order.state = "CANCELED";
  order.waitingAcceptanceSince = null;
  order.stateReasonCode = reasonCode;
  order.stateReasonLabel = reasonLabel;
  touchOrder({ order, at });
}
