import type { MiraklOrder } from "../../mirakl";
import { toCents } from "./money";

/**
 * Mirakl has no idempotency keys and OR28/OR30 are not idempotent (notes §1.10, gotcha 16): a write that timed out
 * may or may not have been applied. Before every send we record the ids of the refunds/cancelations already on each
 * line (the baseline); after an unknown outcome we re-read the order (OR11) and look for entries that are new since
 * the baseline and match what we sent. Found: the write applied, mark it sent. Not found: it did not, send again.
 */
export interface SentLine {
  orderLineId: string;
  amount: number;
  shippingAmount: number;
  quantity: number;
  /** refunds[].id / cancelations[].id present on the line before the first send. */
  baselineIds: string[];
}

export interface ReconcileResult {
  /** Lines whose write is on Mirakl, with the id Mirakl gave it. */
  applied: Array<{ orderLineId: string; id: string }>;
  /** Lines with no matching new entry: safe to send (again). */
  missing: SentLine[];
}

function reconcile(order: MiraklOrder, sent: ReadonlyArray<SentLine>, kind: "refunds" | "cancelations"): ReconcileResult {
  const applied: ReconcileResult["applied"] = [];
  const missing: SentLine[] = [];
  const claimed = new Set<string>();
  for (const s of sent) {
    const line = order.order_lines.find((l) => l.order_line_id === s.orderLineId);
    const entries = (kind === "refunds" ? line?.refunds : line?.cancelations) ?? [];
    const match = entries.find((e) => {
      const id = e.id ?? null;
      if (!id || s.baselineIds.includes(id) || claimed.has(id)) return false;
      const sameMoney = toCents(e.amount ?? 0) === toCents(s.amount) && toCents(e.shipping_amount ?? 0) === toCents(s.shippingAmount);
      // OR30 quantities are real; OR28's are informative (gotcha 7), so a refund matches on money alone.
      return kind === "refunds" ? sameMoney : sameMoney && (e.quantity ?? 0) === s.quantity;
    });
    if (match?.id) {
      claimed.add(match.id);
      applied.push({ orderLineId: s.orderLineId, id: match.id });
    } else missing.push(s);
  }
  return { applied, missing };
}

export function reconcileRefunds(order: MiraklOrder, sent: ReadonlyArray<SentLine>): ReconcileResult {
  return reconcile(order, sent, "refunds");
}

export function reconcileCancelations(order: MiraklOrder, sent: ReadonlyArray<SentLine>): ReconcileResult {
  return reconcile(order, sent, "cancelations");
}

/** The ids already on each line, taken right before a first send. */
export function baselineIds(order: MiraklOrder, orderLineId: string, kind: "refunds" | "cancelations"): string[] {
  const line = order.order_lines.find((l) => l.order_line_id === orderLineId);
  const entries = (kind === "refunds" ? line?.refunds : line?.cancelations) ?? [];
  return entries.map((e) => e.id).filter((id): id is string => typeof id === "string" && id !== "");
}
