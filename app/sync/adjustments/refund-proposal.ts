import type { MiraklOrder } from "../../mirakl";
import { activeLines, lineAmounts, refundableRemaining, type LineAmounts } from "./line-amounts";
import { capTaxes, formatAmount, proRata, roundCents, scaleTaxes, splitByWeights, sumAmounts, toCents, type TaxAmount } from "./money";

/** A Shopify refund as refunds/create describes it (notes §3.2), reduced to what the Mirakl side needs. */
export interface ShopifyRefundFacts {
  lines: Array<{ lineItemId: string; sku: string | null; name: string; quantity: number; subtotal: number; tax: number }>;
  shipping: { subtotal: number; tax: number };
  /** Money that moved (refund transactions), when any did. */
  transactionsTotal: number;
  /** Whether the Shopify order's prices include tax. */
  taxesIncluded: boolean;
}

/** What Shopify refunded against one Mirakl line, in the Mirakl order's tax mode. */
export interface RequestedRefundLine {
  orderLineId: string;
  offerSku: string;
  /** Units Shopify refunded (0 for a shipping-only or amount-only row). */
  quantity: number;
  /** Product amount asked for an amount-only refund (no units); null = price the units from the Mirakl line. */
  productAmount: number | null;
  /** Shipping asked for this line. */
  shippingAmount: number;
  shopify: { lineItemIds: string[]; names: string[]; quantity: number; amount: number; shipping: number };
}

export interface UnmatchedShopifyLine {
  lineItemId: string;
  sku: string | null;
  name: string;
  quantity: number;
  amount: number;
}

/** The proposed Mirakl refund for one line: what RefundRequest.lines holds and what OR28 sends. */
export interface ProposedRefundLine {
  orderLineId: string;
  offerSku: string;
  quantity: number;
  amount: number;
  shippingAmount: number;
  taxes: TaxAmount[];
  shippingTaxes: TaxAmount[];
  /** What the Shopify refund asked for on this line (before capping), in the order's tax mode. */
  wanted: { amount: number; shippingAmount: number };
  /** What Mirakl still allowed when this was computed. */
  allowed: { amount: number; shippingAmount: number };
  /** Plain-language reason when the proposal is below what Shopify refunded. */
  capped: string | null;
  /** Plain-language reason when Mirakl cannot take a refund on this line at all. */
  blocked: string | null;
  /** The Mirakl line state this was priced on (null: the line is gone): a later state means the plan is stale. */
  lineState: string | null;
  request: RequestedRefundLine;
}

export interface RefundProposal {
  lines: ProposedRefundLine[];
  unmatched: UnmatchedShopifyLine[];
  totals: { shopify: number; mirakl: number; sendable: number };
  /** Sentences for CX: caps, blocked lines, lines Mirakl does not know. */
  notes: string[];
}

export type SkuToOffer = (shopifySku: string) => string;

function orderModeAmount(facts: { subtotal: number; tax: number }, taxesIncluded: boolean, mode: "TAX_INCLUDED" | "TAX_EXCLUDED"): number {
  // Shopify keeps tax apart (or inside the subtotal when taxesIncluded); Mirakl reads amounts in its order tax mode (gotcha 7).
  if (mode === "TAX_INCLUDED") return roundCents(taxesIncluded ? facts.subtotal : facts.subtotal + facts.tax);
  return roundCents(taxesIncluded ? facts.subtotal - facts.tax : facts.subtotal);
}

/**
 * Stage 1: which Mirakl lines a Shopify refund touches and what it asked for on each, in the Mirakl order's tax mode.
 * Shopify line items map to Mirakl lines by SKU (SkuMapping, else equal SKU); units of a SKU present on several
 * Mirakl lines go to the lines with refundable units first. The shipping refund is spread over the lines in
 * proportion to the shipping each still has. A refund with no lines and no shipping (an amount typed in Shopify)
 * is spread over the lines in proportion to what each can still refund.
 */
export function requestFromShopifyRefund({
  order,
  refund,
  skuToOffer,
  mode,
}: {
  order: MiraklOrder;
  refund: ShopifyRefundFacts;
  skuToOffer: SkuToOffer;
  mode: "TAX_INCLUDED" | "TAX_EXCLUDED";
}): { lines: RequestedRefundLine[]; unmatched: UnmatchedShopifyLine[]; shopifyTotal: number } {
  const lines = activeLines(order).map(lineAmounts);
  const rows = new Map<string, RequestedRefundLine>();
  const row = (l: LineAmounts): RequestedRefundLine => {
    let r = rows.get(l.orderLineId);
    if (!r) {
      r = { orderLineId: l.orderLineId, offerSku: l.offerSku, quantity: 0, productAmount: null, shippingAmount: 0, shopify: { lineItemIds: [], names: [], quantity: 0, amount: 0, shipping: 0 } };
      rows.set(l.orderLineId, r);
    }
    return r;
  };
  const unmatched: UnmatchedShopifyLine[] = [];
  const unitsLeft = new Map(lines.map((l) => [l.orderLineId, refundableRemaining(l).quantity]));

  for (const s of refund.lines) {
    const amount = orderModeAmount(s, refund.taxesIncluded, mode);
    const offer = s.sku ? skuToOffer(s.sku) : null;
    const candidates = offer ? lines.filter((l) => l.offerSku === offer) : [];
    if (candidates.length === 0) {
      unmatched.push({ lineItemId: s.lineItemId, sku: s.sku, name: s.name, quantity: s.quantity, amount });
      continue;
    }
    let units = s.quantity;
    const sorted = [...candidates].sort((a, b) => (unitsLeft.get(b.orderLineId) ?? 0) - (unitsLeft.get(a.orderLineId) ?? 0));
    for (const [i, l] of sorted.entries()) {
      if (units <= 0) break;
      const last = i === sorted.length - 1;
      const take = last ? units : Math.min(units, unitsLeft.get(l.orderLineId) ?? 0);
      if (take <= 0) continue;
      const r = row(l);
      r.quantity += take;
      r.shopify.quantity += take;
      r.shopify.amount = roundCents(r.shopify.amount + proRata(amount, take, s.quantity));
      if (!r.shopify.lineItemIds.includes(s.lineItemId)) r.shopify.lineItemIds.push(s.lineItemId);
      if (!r.shopify.names.includes(s.name)) r.shopify.names.push(s.name);
      unitsLeft.set(l.orderLineId, (unitsLeft.get(l.orderLineId) ?? 0) - take);
      units -= take;
    }
  }

  const shipping = orderModeAmount(refund.shipping, refund.taxesIncluded, mode);
  if (shipping > 0) {
    const weights = lines.map((l) => toCents(refundableRemaining(l).shippingAmount));
    const fallback = weights.every((w) => w === 0) ? lines.map((l) => toCents(l.shippingPrice)) : weights;
    const parts = splitByWeights(shipping, fallback);
    lines.forEach((l, i) => {
      const part = parts[i] ?? 0;
      if (part <= 0) return;
      const r = row(l);
      r.shippingAmount = roundCents(r.shippingAmount + part);
      r.shopify.shipping = roundCents(r.shopify.shipping + part);
    });
  }

  const linesTotal = sumAmounts(refund.lines.map((s) => orderModeAmount(s, refund.taxesIncluded, mode)));
  let shopifyTotal = sumAmounts([linesTotal, shipping]);
  if (refund.lines.length === 0 && shipping === 0 && refund.transactionsTotal > 0) {
    // An amount typed in Shopify with no lines: spread it over what each line can still refund.
    shopifyTotal = roundCents(refund.transactionsTotal);
    const weights = lines.map((l) => toCents(refundableRemaining(l).amount));
    const parts = splitByWeights(shopifyTotal, weights.every((w) => w === 0) ? lines.map((l) => toCents(l.price)) : weights);
    lines.forEach((l, i) => {
      const part = parts[i] ?? 0;
      if (part <= 0) return;
      const r = row(l);
      r.productAmount = part;
      r.shopify.amount = part;
    });
  }
  const ordered = lines.map((l) => rows.get(l.orderLineId)).filter((r): r is RequestedRefundLine => r !== undefined);
  return { lines: ordered, unmatched, shopifyTotal };
}

/**
 * Stage 2: prices each requested line against the Mirakl line as it is now (run again on a fresh OR11 read right
 * before OR28): per-unit amount and tax from the line's totals, pro rata, never above what Mirakl still allows
 * (price and shipping minus earlier refunds). Lines Mirakl will not refund (`can_refund` false: not shipped yet, or
 * the order is closed) are kept, marked blocked, and never sent.
 */
export function priceRefundRequest({ order, requested }: { order: MiraklOrder; requested: ReadonlyArray<RequestedRefundLine> }): ProposedRefundLine[] {
  return requested.map((req) => {
    const raw = order.order_lines.find((l) => l.order_line_id === req.orderLineId);
    if (!raw) {
      return {
        orderLineId: req.orderLineId,
        offerSku: req.offerSku,
        quantity: 0,
        amount: 0,
        shippingAmount: 0,
        taxes: [],
        shippingTaxes: [],
        wanted: { amount: req.productAmount ?? 0, shippingAmount: req.shippingAmount },
        allowed: { amount: 0, shippingAmount: 0 },
        capped: null,
        blocked: "This line is no longer on the Mirakl order.",
        lineState: null,
        request: req,
      };
    }
    const line = lineAmounts(raw);
    const left = refundableRemaining(line);
    const wantedAmount = req.productAmount ?? proRata(line.price, req.quantity, line.quantity);
    const amount = Math.min(roundCents(wantedAmount), left.amount);
    const shippingAmount = Math.min(roundCents(req.shippingAmount), left.shippingAmount);
    const taxes =
      toCents(amount) >= toCents(left.amount) ? left.taxes : capTaxes(scaleTaxes(line.taxes, toCents(amount), toCents(line.price)), left.taxes);
    const shippingTaxes =
      toCents(shippingAmount) >= toCents(left.shippingAmount)
        ? left.shippingTaxes
        : capTaxes(scaleTaxes(line.shippingTaxes, toCents(shippingAmount), toCents(line.shippingPrice)), left.shippingTaxes);
    const caps: string[] = [];
    if (toCents(wantedAmount) > toCents(amount)) {
      caps.push(`Shopify refunded ${formatAmount(wantedAmount)} for the item but Mirakl only allows ${formatAmount(left.amount)} more on this line${line.refunds.length > 0 ? ` (${formatAmount(sumAmounts(line.refunds.map((r) => r.amount)))} already refunded)` : ""}`);
    }
    if (toCents(req.shippingAmount) > toCents(shippingAmount)) {
      caps.push(`Shopify refunded ${formatAmount(req.shippingAmount)} of shipping but Mirakl only allows ${formatAmount(left.shippingAmount)} more`);
    }
    const blocked = !line.canRefund
      ? line.state === "SHIPPING" || line.state === "WAITING_DEBIT_PAYMENT"
        ? `Mirakl only refunds shipped lines, and this one is not shipped yet. If these units will not ship, cancel them in the Mirakl back office (order ${order.order_id} → cancel the line), which refunds the customer; if they will ship, send this refund once Mirakl shows the order shipped.`
        : `Mirakl does not allow a refund on this line (line ${line.state.toLowerCase()}${toCents(left.amount) + toCents(left.shippingAmount) === 0 ? ", already fully refunded" : ""}).`
      : toCents(amount) + toCents(shippingAmount) === 0 && toCents(wantedAmount) + toCents(req.shippingAmount) > 0
        ? "Nothing is left to refund on this line in Mirakl."
        : null;
    return {
      orderLineId: line.orderLineId,
      offerSku: line.offerSku,
      quantity: Math.min(req.quantity, line.quantity),
      amount,
      shippingAmount,
      taxes,
      shippingTaxes,
      wanted: { amount: roundCents(wantedAmount), shippingAmount: roundCents(req.shippingAmount) },
      allowed: { amount: left.amount, shippingAmount: left.shippingAmount },
      capped: caps.length > 0 ? `${caps.join("; ")}.` : null,
      blocked,
      lineState: raw.order_line_state,
      request: req,
    };
  });
}

/** Lines that go into OR28 (not blocked, something to refund). */
export function sendableLines(lines: ReadonlyArray<ProposedRefundLine>): ProposedRefundLine[] {
  return lines.filter((l) => !l.blocked && toCents(l.amount) + toCents(l.shippingAmount) > 0);
}

export function summariseProposal(lines: ReadonlyArray<ProposedRefundLine>, unmatched: ReadonlyArray<UnmatchedShopifyLine>, shopifyTotal: number): RefundProposal {
  const mirakl = sumAmounts(lines.flatMap((l) => [l.amount, l.shippingAmount]));
  const sendable = sumAmounts(sendableLines(lines).flatMap((l) => [l.amount, l.shippingAmount]));
  const notes: string[] = [];
  for (const l of lines) {
    if (l.capped) notes.push(`${l.offerSku}: ${l.capped}`);
    if (l.blocked) notes.push(`${l.offerSku}: ${l.blocked}`);
  }
  for (const u of unmatched) {
    notes.push(`${u.name}${u.sku ? ` (${u.sku})` : ""} is not on the Mirakl order, so Mirakl cannot refund it (${formatAmount(u.amount)}).`);
  }
  return { lines: [...lines], unmatched: [...unmatched], totals: { shopify: roundCents(shopifyTotal), mirakl, sendable }, notes };
}
