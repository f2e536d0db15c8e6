/**
 * Seller accounting (TL02 transaction lines, SBC11 billing cycles), following notes §6 "Accounting": the debit
 * creates ORDER_AMOUNT(+_TAX), ORDER_SHIPPING_AMOUNT(+_TAX), COMMISSION_FEE and COMMISSION_VAT per line; refunds
 * create the REFUND_* mirror lines carrying entities.refund.id. Amounts are from the seller's point of view
 * (credit positive, commission negative; notes §2.5 sign convention).
 */
import { roundCents, sumAmounts } from "./money";
import { uuidFrom } from "./prng";
import type { SimState } from "./sim-state";
import type { AmountTax, SimBillingCycle, SimOrder, SimOrderLine, SimTransaction, TaxRule, TransactionType } from "./types";

const COMMISSION_TAX_CODE = "TAXDEFAULT";

function addTransaction({
  state,
  order,
  line,
  type,
  amount,
  at,
  refundId = null,
  tax = null,
  paymentState,
}: {
  state: SimState;
  order: SimOrder;
  line: SimOrderLine;
  type: TransactionType;
  amount: number;
  at: number;
  refundId?: string | null;
  tax?: TaxRule | null;
  paymentState: SimTransaction["paymentState"];
}): void {
  const value = roundCents(amount);
  if (value === 0) return;
  const list = state.transactionsByShop.get(order.shopId);
  if (!list) return;
  const balance = roundCents((state.balances.get(order.shopId) ?? 0) + value);
  state.balances.set(order.shopId, balance);
  const isCommissionTax = type === "COMMISSION_VAT" || type === "REFUND_COMMISSION_VAT";
  list.push({
    id: uuidFrom({ prng: state.random.ids }),
    shopId: order.shopId,
    seq: ++state.counters.txn,
    type,
    amount: value,
    balance,
    currency: order.currency,
    createdAt: at,
    updatedAt: at,
    paymentState,
    billingCycleId: null,
    orderId: order.id,
    orderLineId: line.id,
    refundId,
    tax: isCommissionTax ? null : tax,
    shopTax: isCommissionTax ? tax : null,
  });
}

function netOf({ order, gross, taxes }: { order: SimOrder; gross: number; taxes: readonly AmountTax[] }): number {
  return order.taxMode === "TAX_INCLUDED" ? roundCents(gross - sumAmounts(taxes)) : gross;
}

/** The customer was debited: the accepted lines become money owed to the seller (PENDING until received). */
export function recordDebit({ state, order, at }: { state: SimState; order: SimOrder; at: number }): void {
  for (const line of order.lines) {
    if (line.state !== "SHIPPING") continue;
    const common = { state, order, line, at, paymentState: "PENDING" as const };
    addTransaction({ ...common, type: "ORDER_AMOUNT", amount: netOf({ order, gross: line.price, taxes: line.taxes }) });
    for (const t of line.taxes) addTransaction({ ...common, type: "ORDER_AMOUNT_TAX", amount: t.amount, tax: { code: t.code, rate: t.rate } });
    addTransaction({ ...common, type: "ORDER_SHIPPING_AMOUNT", amount: netOf({ order, gross: line.shippingPrice, taxes: line.shippingTaxes }) });
    for (const t of line.shippingTaxes) addTransaction({ ...common, type: "ORDER_SHIPPING_AMOUNT_TAX", amount: t.amount, tax: { code: t.code, rate: t.rate } });
    addTransaction({ ...common, type: "COMMISSION_FEE", amount: -line.commissionFee });
    addTransaction({ ...common, type: "COMMISSION_VAT", amount: -line.commissionVat, tax: { code: COMMISSION_TAX_CODE, rate: state.tenant.commissionVatRate } });
  }
}

/** Money going back to the customer after the debit (a refund, or a cancelation of a debited line). */
export function recordReversal({
  state,
  order,
  line,
  refundId,
  amounts,
  at,
}: {
  state: SimState;
  order: SimOrder;
  line: SimOrderLine;
  refundId: string | null;
  amounts: { amount: number; shippingAmount: number; taxes: AmountTax[]; shippingTaxes: AmountTax[]; commissionAmount: number; commissionTaxes: AmountTax[] };
  at: number;
}): void {
  if (order.customerDebitedAt === null) return;
  const common = { state, order, line, at, refundId, paymentState: "PAYABLE" as const };
  addTransaction({ ...common, type: "REFUND_ORDER_AMOUNT", amount: -netOf({ order, gross: amounts.amount, taxes: amounts.taxes }) });
  for (const t of amounts.taxes) addTransaction({ ...common, type: "REFUND_ORDER_AMOUNT_TAX", amount: -t.amount, tax: { code: t.code, rate: t.rate } });
  addTransaction({ ...common, type: "REFUND_ORDER_SHIPPING_AMOUNT", amount: -netOf({ order, gross: amounts.shippingAmount, taxes: amounts.shippingTaxes }) });
  for (const t of amounts.shippingTaxes) addTransaction({ ...common, type: "REFUND_ORDER_SHIPPING_AMOUNT_TAX", amount: -t.amount, tax: { code: t.code, rate: t.rate } });
  addTransaction({ ...common, type: "REFUND_COMMISSION_FEE", amount: amounts.commissionAmount });
  for (const t of amounts.commissionTaxes) addTransaction({ ...common, type: "REFUND_COMMISSION_VAT", amount: t.amount, tax: { code: t.code, rate: t.rate } });
}

/** Received orders become payable in the next billing cycle. */
export function markOrderPayable({ state, order, at }: { state: SimState; order: SimOrder; at: number }): void {
  for (const t of state.transactionsByShop.get(order.shopId) ?? []) {
    if (t.orderId === order.id && t.paymentState === "PENDING") {
      t.paymentState = "PAYABLE";
      t.updatedAt = at;
    }
  }
}

export function closeBillingCycle({ state, at }: { state: SimState; at: number }): SimBillingCycle[] {
  const created: SimBillingCycle[] = [];
  for (const shop of state.shops) {
    const payable = (state.transactionsByShop.get(shop.shopId) ?? []).filter((t) => t.paymentState === "PAYABLE" && t.billingCycleId === null);
    if (payable.length === 0) continue;
    const cycle: SimBillingCycle = {
      id: uuidFrom({ prng: state.random.ids }),
      shopId: shop.shopId,
      seq: ++state.counters.cycle,
      createdAt: at,
      currency: state.tenant.currency,
      payOutState: "TO_PAY",
      payOutReference: null,
      transactionDate: null,
      transactionIds: payable.map((t) => t.id),
    };
    for (const t of payable) {
      t.billingCycleId = cycle.id;
      t.updatedAt = at;
    }
    state.billingCycles.push(cycle);
    state.scheduler.schedule({ at: at + state.tenant.payoutDelayMs, event: { kind: "payout", cycleId: cycle.id } });
    created.push(cycle);
  }
  return created;
}

export function payOutCycle({ state, cycleId, at }: { state: SimState; cycleId: string; at: number }): void {
  const cycle = state.billingCycles.find((c) => c.id === cycleId);
  if (!cycle || cycle.payOutState === "PAID") return;
  cycle.payOutState = "PAID";
  cycle.transactionDate = at;
  cycle.payOutReference = `PAYOUT-${String(cycle.seq).padStart(6, "0")}`;
  const ids = new Set(cycle.transactionIds);
  for (const t of state.transactionsByShop.get(cycle.shopId) ?? []) {
    if (ids.has(t.id)) {
      t.paymentState = "PAID";
      t.updatedAt = at;
    }
  }
}
