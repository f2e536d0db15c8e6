/**
 * TL02 and SBC11 answers: filters, sort and seek pages over the simulator's transaction lines and billing cycles.
 */
import { isoDate, roundCents } from "./money";
import { parseDateParam, parseMultiValues } from "./query-params";
import { resolveSeek, seekPage } from "./seek-pagination";
import { badRequest } from "./sim-errors";
import type { SimState } from "./sim-state";
import type { SimBillingCycle, SimTransaction, TransactionType } from "./types";

function renderTransaction({ state, t }: { state: SimState; t: SimTransaction }): Record<string, unknown> {
  const order = state.orders.get(t.orderId);
  const entities: Record<string, unknown> = {
    domain: "PRODUCT",
    order: order
      ? {
          commercial_id: order.commercialId,
          creation_date: isoDate(order.createdAt),
          id: order.id,
          payment_info: { imprint_number: null, payment_type: order.paymentType },
          references: { order_reference_for_customer: order.referenceForCustomer, order_reference_for_seller: order.referenceForSeller },
        }
      : { id: t.orderId },
    order_line: { id: t.orderLineId },
  };
  if (t.refundId) entities.refund = { id: t.refundId };
  if (t.tax) entities.order_tax = { code: t.tax.code, rate: t.tax.rate };
  if (t.shopTax) entities.shop_tax = { code: t.shopTax.code, rate: t.shopTax.rate };
  if (order?.transactionNumber) entities.transaction_info = { date: isoDate(order.customerDebitedAt), number: order.transactionNumber };
  return {
    accounting_document_creation_date: null,
    accounting_document_id: null,
    accounting_document_number: null,
    amount: t.amount,
    amount_credited: t.amount > 0 ? t.amount : 0,
    amount_debited: t.amount < 0 ? roundCents(-t.amount) : 0,
    balance: t.balance,
    currency_iso_code: t.currency,
    date_created: isoDate(t.createdAt),
    entities,
    id: t.id,
    last_updated: isoDate(t.updatedAt),
    pay_out_psp_code: "NOT_SPECIFIED",
    payment_state: t.paymentState,
    psp_balance: t.balance,
    seller_billing_cycle_id: t.billingCycleId,
    type: t.type,
  };
}

function sortSpec({ query, allowed, fallback }: { query: URLSearchParams; allowed: string[]; fallback: { field: string; dir: "ASC" | "DESC" } }) {
  const raw = query.get("sort");
  if (!raw) return fallback;
  const [field = "", dirRaw] = raw.split(",");
  if (!allowed.includes(field)) throw badRequest(`The sort field '${field}' is not supported (${allowed.join(", ")}).`);
  const dir = (dirRaw ?? query.get("order") ?? fallback.dir).toUpperCase();
  if (dir !== "ASC" && dir !== "DESC") throw badRequest(`The sort direction '${dir}' is invalid (ASC or DESC).`);
  return { field, dir: dir as "ASC" | "DESC" };
}

export function listTransactions({ state, shopId, query }: { state: SimState; shopId: number; query: URLSearchParams }) {
  const seek = resolveSeek({ query, maxLimit: 2000 });
  const q = seek.query;
  const cycles = new Set(parseMultiValues({ query: q, name: "seller_billing_cycle_id" }));
  const states = new Set(parseMultiValues({ query: q, name: "payment_state" }));
  const types = new Set(parseMultiValues({ query: q, name: "transaction_type" }));
  const orderIds = new Set(parseMultiValues({ query: q, name: "order_id" }));
  const lineIds = new Set(parseMultiValues({ query: q, name: "order_line_id" }));
  const from = parseDateParam({ query: q, name: "date_created_from" }) ?? parseDateParam({ query: q, name: "transaction_date_from" });
  const to = parseDateParam({ query: q, name: "date_created_to" }) ?? parseDateParam({ query: q, name: "transaction_date_to" });
  const updatedFrom = parseDateParam({ query: q, name: "last_updated_from" });
  const sort = sortSpec({ query: q, allowed: ["dateCreated", "lastUpdated"], fallback: { field: "dateCreated", dir: "DESC" } });
  const items = (state.transactionsByShop.get(shopId) ?? []).filter(
    (t) =>
      (cycles.size === 0 || (t.billingCycleId !== null && cycles.has(t.billingCycleId))) &&
      (states.size === 0 || states.has(t.paymentState)) &&
      (types.size === 0 || types.has(t.type as TransactionType)) &&
      (orderIds.size === 0 || orderIds.has(t.orderId)) &&
      (lineIds.size === 0 || lineIds.has(t.orderLineId)) &&
      (from === null || t.createdAt >= from) &&
      (to === null || t.createdAt <= to) &&
      (updatedFrom === null || t.updatedAt >= updatedFrom),
  );
  const key = sort.field === "lastUpdated" ? (t: SimTransaction) => t.updatedAt : (t: SimTransaction) => t.createdAt;
  items.sort((a, b) => (key(a) - key(b) || a.seq - b.seq) * (sort.dir === "ASC" ? 1 : -1));
  const page = seekPage({ items, seek });
  return { ...page, data: page.data.map((t) => renderTransaction({ state, t })) };
}

function renderBillingCycle({ state, c }: { state: SimState; c: SimBillingCycle }): Record<string, unknown> {
  const ids = new Set(c.transactionIds);
  const txns = (state.transactionsByShop.get(c.shopId) ?? []).filter((t) => ids.has(t.id));
  const sum = (...types: TransactionType[]) => roundCents(txns.filter((t) => types.includes(t.type)).reduce((s, t) => s + t.amount, 0));
  const total = roundCents(txns.reduce((s, t) => s + t.amount, 0));
  const shop = state.shops.find((s) => s.shopId === c.shopId);
  return {
    amount_transferred_to_operator: total < 0 ? roundCents(-total) : 0,
    amount_transferred_to_seller: total > 0 ? total : 0,
    currency_iso_code: c.currency,
    date_created: isoDate(c.createdAt),
    id: c.id,
    pay_out: { failure_reason: null, reference: c.payOutReference, state: c.payOutState, transaction_date: isoDate(c.transactionDate) },
    pay_out_psp_code: "NOT_SPECIFIED",
    payment_voucher_number: String(c.seq).padStart(6, "0"),
    shop: { shop_corporate_name: shop?.shopName ?? "", shop_id: c.shopId, shop_model: "MARKETPLACE", shop_name: shop?.shopName ?? "", shop_operator_internal_id: null },
    summary: {
      total_commissions_excl_tax: sum("COMMISSION_FEE"),
      total_commissions_incl_tax: sum("COMMISSION_FEE", "COMMISSION_VAT"),
      total_payable_orders_excl_tax: sum("ORDER_AMOUNT", "ORDER_SHIPPING_AMOUNT"),
      total_payable_orders_incl_tax: sum("ORDER_AMOUNT", "ORDER_SHIPPING_AMOUNT", "ORDER_AMOUNT_TAX", "ORDER_SHIPPING_AMOUNT_TAX"),
      total_refund_commissions_excl_tax: sum("REFUND_COMMISSION_FEE"),
      total_refund_commissions_incl_tax: sum("REFUND_COMMISSION_FEE", "REFUND_COMMISSION_VAT"),
      total_refund_orders_excl_tax: sum("REFUND_ORDER_AMOUNT", "REFUND_ORDER_SHIPPING_AMOUNT"),
      total_refund_orders_incl_tax: sum("REFUND_ORDER_AMOUNT", "REFUND_ORDER_SHIPPING_AMOUNT", "REFUND_ORDER_AMOUNT_TAX", "REFUND_ORDER_SHIPPING_AMOUNT_TAX"),
      total_refund_payable_orders_excl_tax: sum("REFUND_ORDER_AMOUNT", "REFUND_ORDER_SHIPPING_AMOUNT"),
      total_refund_payable_orders_incl_tax: sum("REFUND_ORDER_AMOUNT", "REFUND_ORDER_SHIPPING_AMOUNT", "REFUND_ORDER_AMOUNT_TAX", "REFUND_ORDER_SHIPPING_AMOUNT_TAX"),
      total_fee_excl_tax: 0,
      total_fee_incl_tax: 0,
      total_other_credits_excl_tax: 0,
      total_other_credits_incl_tax: 0,
      total_other_invoices_excl_tax: 0,
      total_other_invoices_incl_tax: 0,
      total_subscription_excl_tax: 0,
      total_subscription_incl_tax: 0,
    },
  };
}

export function listBillingCycles({ state, shopId, query }: { state: SimState; shopId: number; query: URLSearchParams }) {
  const seek = resolveSeek({ query, maxLimit: 1000 });
  const q = seek.query;
  const ids = new Set(parseMultiValues({ query: q, name: "id" }));
  const payOutStates = new Set(parseMultiValues({ query: q, name: "pay_out_state" }));
  const currencies = new Set(parseMultiValues({ query: q, name: "currency" }));
  const from = parseDateParam({ query: q, name: "start_date" });
  const to = parseDateParam({ query: q, name: "end_date" });
  const sort = sortSpec({ query: q, allowed: ["dateCreated"], fallback: { field: "dateCreated", dir: "ASC" } });
  const items = state.billingCycles.filter(
    (c) =>
      c.shopId === shopId &&
      (ids.size === 0 || ids.has(c.id)) &&
      (payOutStates.size === 0 || payOutStates.has(c.payOutState)) &&
      (currencies.size === 0 || currencies.has(c.currency)) &&
      (from === null || c.createdAt >= from) &&
      (to === null || c.createdAt <= to),
  );
  items.sort((a, b) => (a.createdAt - b.createdAt || a.seq - b.seq) * (sort.dir === "ASC" ? 1 : -1));
  const page = seekPage({ items, seek });
  return { ...page, data: page.data.map((c) => renderBillingCycle({ state, c })) };
}
