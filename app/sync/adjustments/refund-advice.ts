import type { MiraklOrder } from "../../mirakl";
import { formatDateTime } from "../../components/format";
import { toCents } from "./money";
import { miraklLines, type RefundEntry } from "./refund-lines";

/**
 * What a person must do about a refund request, in plain words (pure: the list, the refund page and the Task all
 * read it, so they never disagree). A refund's Mirakl lines were priced against the order at one moment; two
 * things change the answer afterwards:
 *  - the order shipped (or was cancelled) on Mirakl since: the plan is stale and must be priced again
 *    (`planIsStale`), because "not shipped yet, cancel the line" is the wrong instruction once it has shipped;
 *  - a cancellation of the same order is pending or was sent (MiraklAdjustment): cancelling on Mirakl refunds the
 *    customer and returns the commission by itself, so CX must not cancel or refund by hand as well.
 */

/** A cancellation of the order (or of some of its lines) that we send, or sent, to Mirakl. */
export interface CancellationCover {
  state: "pending" | "applied";
  /** pending: when it is due to go (null = being sent now); applied: when it was sent. */
  at: string | null;
  /** null = the whole order. */
  orderLineIds: string[] | null;
}

export type RefundAction = "send" | "mirakl" | "wait_cancellation" | "covered" | "sending" | "review_refusal" | "none";

export interface RefundAdvice {
  action: RefundAction;
  /** Short label for lists and badges. */
  label: string;
  tone: "success" | "warning" | "critical" | "info" | "attention" | undefined;
  /** One sentence saying what to do (or why nothing is needed). */
  todo: string;
  /** Lines the cancellation takes care of (their "not shipped" note is replaced by `coverNote`). */
  coveredLineIds: string[];
  coverNote: string | null;
  /** Sum of what can go to Mirakl now. */
  sendable: number;
}

function minutesUntil(at: string | null, now: Date): number {
  if (!at) return 0;
  return Math.max(0, Math.ceil((new Date(at).getTime() - now.getTime()) / 60_000));
}

/** `timeZone`: the shop's (shopTimeZone), as this text is shown on its screens and in its Tasks. */
export function coverNote(cover: CancellationCover, now: Date, timeZone = "UTC"): string {
  if (cover.state === "applied") return `No action: the cancellation sent to Mirakl on ${formatDateTime(cover.at, timeZone)} returns the commission and refunds the customer.`;
  const mins = minutesUntil(cover.at, now);
  return mins > 0
    ? `No action: the cancellation will be sent to Mirakl in ~${mins} min; it returns the commission and refunds the customer.`
    : "No action: the cancellation is being sent to Mirakl now; it returns the commission and refunds the customer.";
}

/** What a line still wants from Mirakl (a line asking for nothing needs no action either way). */
function wantsSomething(l: { wanted: { amount: number; shippingAmount: number } }): boolean {
  return toCents(l.wanted.amount) + toCents(l.wanted.shippingAmount) > 0;
}

function isSendable(l: { blocked: string | null; amount: number; shippingAmount: number; send?: { amount: number; shippingAmount: number } | null }): boolean {
  if (l.blocked) return false;
  return toCents(l.send?.amount ?? l.amount) + toCents(l.send?.shippingAmount ?? l.shippingAmount) > 0;
}

export function refundAdvice({
  status,
  entries,
  cover,
  now,
  timeZone = "UTC",
}: {
  status: string;
  entries: ReadonlyArray<RefundEntry>;
  cover: CancellationCover | null;
  now: Date;
  /** The shop's zone (shopTimeZone), for the date in the cover note. */
  timeZone?: string;
}): RefundAdvice {
  const lines = miraklLines(entries);
  const sendableLines = lines.filter(isSendable);
  const sendable = sendableLines.reduce((s, l) => s + toCents(l.send?.amount ?? l.amount) + toCents(l.send?.shippingAmount ?? l.shippingAmount), 0) / 100;
  // A cancellation only covers lines Mirakl will not refund (not shipped): a shipped line cannot be cancelled.
  const coveredLineIds = cover ? lines.filter((l) => l.blocked !== null && (cover.orderLineIds === null || cover.orderLineIds.includes(l.orderLineId))).map((l) => l.orderLineId) : [];
  const note = cover && coveredLineIds.length > 0 ? coverNote(cover, now, timeZone) : null;
  const base = { coveredLineIds, coverNote: note, sendable };
  const uncovered = lines.filter((l) => !isSendable(l) && wantsSomething(l) && !coveredLineIds.includes(l.orderLineId));
  switch (status) {
    case "SENT":
      return { ...base, action: "none", label: "Sent", tone: "success", todo: "Sent to Mirakl: nothing left to do." };
    case "DONE_IN_PORTAL":
      return { ...base, action: "none", label: "Done in the Mirakl portal", tone: "success", todo: "Refunded in the Mirakl back office: nothing left to do." };
    case "NOT_NEEDED":
      return note
        ? { ...base, action: "covered", label: "Covered by the cancellation", tone: "success", todo: note }
        : { ...base, action: "none", label: "Nothing to refund on Mirakl", tone: undefined, todo: "The refunded items are not on the Mirakl order: nothing to do on Mirakl." };
    case "SENDING":
      return { ...base, action: "sending", label: "Sending", tone: "info", todo: "Being sent or checked with Mirakl: nothing to do." };
    case "FAILED":
      return { ...base, action: "review_refusal", label: "Refused by Mirakl", tone: "critical", todo: "Mirakl refused the last attempt: check the reason, then send again or refund in the Mirakl back office." };
  }
  if (sendableLines.length > 0) {
    return {
      ...base,
      action: "send",
      label: "Ready to send",
      tone: "attention",
      todo: uncovered.length > 0 ? "Send the refund to Mirakl; the lines it cannot take need action in the Mirakl back office (see below)." : "Choose the refund reason and send the refund to Mirakl.",
    };
  }
  if (note && uncovered.length === 0 && coveredLineIds.length > 0) {
    return { ...base, action: cover?.state === "applied" ? "covered" : "wait_cancellation", label: cover?.state === "applied" ? "Covered by the cancellation" : "No action: cancellation pending", tone: "info", todo: note };
  }
  return { ...base, action: "mirakl", label: "Needs action in Mirakl", tone: "warning", todo: "Mirakl cannot take this refund as it stands: check the order, then refund or cancel in the Mirakl back office and mark it done." };
}

/**
 * Whether the lines were priced against another state of the order than `order` (a fresh OR11 or the link's last
 * snapshot). Lines already attempted (`send` set) are reconciled by the send, never re-priced. Entries stored before
 * the line state was recorded count as stale, so they are priced again once.
 */
export function planIsStale(entries: ReadonlyArray<RefundEntry>, order: Pick<MiraklOrder, "order_lines">): boolean {
  return miraklLines(entries).some((e) => {
    if (e.send) return false;
    const line = order.order_lines.find((l) => l.order_line_id === e.orderLineId);
    return (e.lineState ?? null) !== (line?.order_line_state ?? null);
  });
}
