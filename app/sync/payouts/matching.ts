/**
 * Payout matching, as pure functions over stored rows: what finance needs to reconcile one Mirakl payout
 * (SBC11 billing cycle) against the Shopify orders it pays for. Every sum is in integer cents (Mirakl rounds
 * each line to cents, and a float sum must never decide whether a payout "adds up").
 */
import { toCents } from "../orders/money";

/** How finance reads a TL02 line type (seller-api-notes §2.5); unknown future types land in "other". */
export const CATEGORIES = ["orders", "shipping", "commission", "refunds", "commissionRefunded", "fees", "manual", "other"] as const;
export type Category = (typeof CATEGORIES)[number];

export const CATEGORY_LABELS: Record<Category, string> = {
  orders: "Order amounts",
  shipping: "Shipping",
  commission: "Commission",
  refunds: "Refunds",
  commissionRefunded: "Commission refunded",
  fees: "Fees and subscriptions",
  manual: "Manual adjustments",
  other: "Other",
};

/**
 * PAYMENT is the transfer itself (the payout as a line), not something the payout pays for: counting it would
 * make every payout sum to zero.
 */
const NOT_PART_OF_PAYOUT = new Set(["PAYMENT"]);

export function categorize(type: string): Category {
  const t = type.toUpperCase();
  if (t.startsWith("REFUND_COMMISSION")) return "commissionRefunded";
  if (t.startsWith("REFUND_ORDER_SHIPPING") || t.startsWith("REFUND_ORDER_AMOUNT")) return "refunds";
  if (t.startsWith("COMMISSION")) return "commission";
  if (t.startsWith("ORDER_SHIPPING") || (t.startsWith("OPERATOR_PAID") && t.includes("SHIPPING"))) return "shipping";
  if (t.startsWith("ORDER_AMOUNT")) return "orders";
  if (t.startsWith("MANUAL_") || t.startsWith("INVOICEABLE_ONE_OFF")) return "manual";
  if (t.startsWith("SUBSCRIPTION") || t.includes("FEE")) return "fees";
  return "other";
}

/** Whether a line is Mirakl's side of a refund (any REFUND_* type carries entities.refund.id). */
function isRefundLine(type: string): boolean {
  return type.toUpperCase().startsWith("REFUND_");
}

/**
 * A TL02 line's amount from the seller's point of view. Mirakl documents amount = credited − debited but its own
 * examples disagree on refund signs (notes §2.5), so credited/debited win whenever they are present.
 */
export function signedAmount(line: { amount?: number | null; amount_credited?: number | null; amount_debited?: number | null }): number {
  if (line.amount_credited != null || line.amount_debited != null) return (toCents(line.amount_credited ?? 0) - toCents(line.amount_debited ?? 0)) / 100;
  return line.amount ?? 0;
}

export interface PayoutLine {
  type: string;
  /** cents, seller's point of view */
  cents: number;
  miraklOrderId: string | null;
  miraklRefundId: string | null;
}

export interface OrderMatch {
  orderLinkId: string;
  shopifyOrderId: string | null;
  shopifyOrderName: string | null;
}

export type Totals = Record<Category, number>;

export interface OrderRow {
  miraklOrderId: string;
  orderLinkId: string | null;
  shopifyOrderId: string | null;
  shopifyOrderName: string | null;
  /** order amounts + shipping (with their taxes), cents */
  gross: number;
  commission: number;
  refunds: number;
  commissionRefunded: number;
  other: number;
  net: number;
}

export interface RefundCheck {
  refundRequestId: string;
  miraklOrderId: string;
  shopifyOrderName: string | null;
  shopifyAmountCents: number | null;
  refundedAt: Date;
  /** Mirakl refund ids we know this Shopify refund became (OR28 answer or back-office match); may be empty. */
  miraklRefundIds: readonly string[];
}

export type PayoutFlag =
  | {
      kind: "unmatched_order";
      miraklOrderId: string;
      orderLinkId: string | null;
      netCents: number;
      reason: "unknown" | "not_imported";
    }
  | {
      kind: "commission_not_recovered";
      miraklOrderId: string;
      refundRequestId: string;
      shopifyOrderName: string | null;
      shopifyAmountCents: number | null;
      commissionChargedCents: number;
      refundedAt: string;
    }
  | {
      kind: "total_mismatch";
      paidCents: number;
      linesCents: number;
      differenceCents: number;
    };

export interface PayoutReport {
  totals: Totals;
  /** what the lines add up to (PAYMENT lines excluded), cents */
  linesCents: number;
  /** what Mirakl says it paid: to seller − to operator, cents */
  paidCents: number;
  differenceCents: number;
  /** false while the lines are still being read: totals are partial and no mismatch is reported */
  complete: boolean;
  orders: OrderRow[];
  flags: PayoutFlag[];
}

function emptyTotals(): Totals {
  return Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Totals;
}

/**
 * Refunds made in Shopify that Mirakl never saw: the marketplace keeps its commission on them. `orderLines` are
 * every stored line (any payout) of the refunds' orders. A refund is unrecovered when Mirakl charged commission on
 * its order and no REFUND_* line exists for it: by refund id when we know which Mirakl refund it became, else any
 * refund line on the order.
 */
export function findUnrecoveredRefunds(input: { refunds: readonly RefundCheck[]; orderLines: readonly PayoutLine[] }): PayoutFlag[] {
  const byOrder = new Map<string, PayoutLine[]>();
  for (const l of input.orderLines) {
    if (!l.miraklOrderId) continue;
    const list = byOrder.get(l.miraklOrderId) ?? [];
    list.push(l);
    byOrder.set(l.miraklOrderId, list);
  }
  const flags: PayoutFlag[] = [];
  for (const r of input.refunds) {
    const lines = byOrder.get(r.miraklOrderId) ?? [];
    const commissionCharged = lines.filter((l) => categorize(l.type) === "commission").reduce((s, l) => s + l.cents, 0);
    // Nothing charged (the order was never paid through a payout we hold): nothing to recover, nothing to say.
    if (commissionCharged === 0) continue;
    const ids = new Set(r.miraklRefundIds);
    const recovered = lines.some((l) => isRefundLine(l.type) && (ids.size === 0 || (l.miraklRefundId !== null && ids.has(l.miraklRefundId))));
    if (recovered) continue;
    flags.push({
      kind: "commission_not_recovered",
      miraklOrderId: r.miraklOrderId,
      refundRequestId: r.refundRequestId,
      shopifyOrderName: r.shopifyOrderName,
      shopifyAmountCents: r.shopifyAmountCents,
      commissionChargedCents: -commissionCharged,
      refundedAt: r.refundedAt.toISOString(),
    });
  }
  return flags;
}

/** Totals, the per-order table and the flags of one payout. */
export function buildPayoutReport(input: {
  lines: readonly PayoutLine[];
  paidCents: number;
  complete: boolean;
  matches: ReadonlyMap<string, OrderMatch>;
  /** refunds whose check belongs to this payout (made since the previous payout closed), with their orders' lines */
  refundChecks?: {
    refunds: readonly RefundCheck[];
    orderLines: readonly PayoutLine[];
  };
}): PayoutReport {
  const totals = emptyTotals();
  const rows = new Map<string, OrderRow>();
  let linesCents = 0;
  for (const line of input.lines) {
    if (NOT_PART_OF_PAYOUT.has(line.type.toUpperCase())) continue;
    const category = categorize(line.type);
    totals[category] += line.cents;
    linesCents += line.cents;
    if (!line.miraklOrderId) continue;
    let row = rows.get(line.miraklOrderId);
    if (!row) {
      const match = input.matches.get(line.miraklOrderId);
      row = {
        miraklOrderId: line.miraklOrderId,
        orderLinkId: match?.orderLinkId ?? null,
        shopifyOrderId: match?.shopifyOrderId ?? null,
        shopifyOrderName: match?.shopifyOrderName ?? null,
        gross: 0,
        commission: 0,
        refunds: 0,
        commissionRefunded: 0,
        other: 0,
        net: 0,
      };
      rows.set(line.miraklOrderId, row);
    }
    if (category === "orders" || category === "shipping") row.gross += line.cents;
    else if (category === "commission" || category === "commissionRefunded" || category === "refunds") row[category] += line.cents;
    else row.other += line.cents;
    row.net += line.cents;
  }
  const orders = [...rows.values()].sort((a, b) => a.miraklOrderId.localeCompare(b.miraklOrderId));
  const flags: PayoutFlag[] = [];
  for (const o of orders) {
    if (o.shopifyOrderId) continue;
    flags.push({
      kind: "unmatched_order",
      miraklOrderId: o.miraklOrderId,
      orderLinkId: o.orderLinkId,
      netCents: o.net,
      reason: o.orderLinkId ? "not_imported" : "unknown",
    });
  }
  if (input.refundChecks) flags.push(...findUnrecoveredRefunds(input.refundChecks));
  const differenceCents = input.paidCents - linesCents;
  if (input.complete && differenceCents !== 0)
    flags.push({
      kind: "total_mismatch",
      paidCents: input.paidCents,
      linesCents,
      differenceCents,
    });
  return {
    totals,
    linesCents,
    paidCents: input.paidCents,
    differenceCents,
    complete: input.complete,
    orders,
    flags,
  };
}
