/**
 * What the Orders screens say about an order, as plain functions of the stored OrderLink (no I/O, safe in the
 * browser bundle): state labels, one consistent status per column, timeline text without API jargon, and what a
 * confirmation must tell a person before an irreversible decision.
 */
import { formatDateTime, plural } from "../../components/format";

/** Mirakl order (and order line) states in the words of the Mirakl back office; raw codes are never shown. */
const MIRAKL_STATE_LABELS: Record<string, string> = {
  STAGING: "Being checked by the marketplace",
  WAITING_ACCEPTANCE: "Waiting acceptance",
  WAITING_DEBIT: "Waiting for payment",
  WAITING_DEBIT_PAYMENT: "Payment in progress",
  SHIPPING: "To ship",
  SHIPPED: "Shipped",
  TO_COLLECT: "Ready for collection",
  RECEIVED: "Received",
  CLOSED: "Closed",
  REFUSED: "Refused",
  CANCELED: "Cancelled",
  INCIDENT_OPEN: "Incident open",
  INCIDENT_CLOSED: "Incident closed",
  WAITING_REFUND: "Waiting refund",
  WAITING_REFUND_PAYMENT: "Refund in progress",
  REFUNDED: "Refunded",
};

/** A code without a label of its own as a capitalised phrase: "SOME_NEW_STATE" → "Some new state". */
export function codePhrase(code: string): string {
  return code.replace(/_/g, " ").trim().toLowerCase().replace(/^\w/, (c) => c.toUpperCase());
}

export function miraklStateLabel(state: string): string {
  return MIRAKL_STATE_LABELS[state] ?? codePhrase(state);
}

export interface OrderStatusInput {
  miraklState: string;
  acceptanceStatus: string;
  importStatus: string;
  shopifyOrderName: string | null;
  /** handledBeforeConnector(link): the order was already past acceptance when first read. */
  beforeConnector?: string | null;
}

export interface OrderStatusView {
  /** The Mirakl state column: what Mirakl reported, or our decision while Mirakl has not reported it yet. */
  mirakl: string;
  /** Secondary text under it (what Mirakl itself still says), if any. */
  miraklNote: string | null;
  /** The import status to badge, or null for "—" (nothing to import until the order is accepted). */
  importStatus: string | null;
  /** The Shopify order fact when there is no Shopify order. */
  noShopifyOrder: string;
}

/** Acceptance statuses that mean the order is accepted (by us, or needing no decision); the Orders tabs use it too. */
export const DECIDED_ACCEPTED = ["ACCEPTED", "PARTIALLY_ACCEPTED", "NOT_REQUIRED"];

/**
 * One status per column that never contradicts another. After our OR21 Mirakl answers 204 and moves the order on
 * its own schedule (debit, then shipping); acceptance.server.ts records our decision (acceptanceStatus) but keeps
 * miraklState as Mirakl last reported it, and the next poll stores the real state. Writing a guessed state would
 * be wrong whenever Mirakl takes another path (a debit that fails cancels the order), so the display says
 * "Accepted — waiting for Mirakl to confirm" until the poll catches up.
 */
export function orderStatusView(o: OrderStatusInput): OrderStatusView {
  const waiting = o.miraklState === "WAITING_ACCEPTANCE" || o.miraklState === "STAGING";
  const accepted = DECIDED_ACCEPTED.includes(o.acceptanceStatus);
  const refused = o.acceptanceStatus === "REFUSED" || o.miraklState === "REFUSED";
  let mirakl = miraklStateLabel(o.miraklState);
  let miraklNote: string | null = null;
  if (o.miraklState === "WAITING_ACCEPTANCE" && accepted) {
    mirakl = `${o.acceptanceStatus === "PARTIALLY_ACCEPTED" ? "Partly accepted" : "Accepted"} — waiting for Mirakl to confirm`;
    miraklNote = `Mirakl still reports "${miraklStateLabel(o.miraklState)}"`;
  } else if (o.miraklState === "WAITING_ACCEPTANCE" && o.acceptanceStatus === "REFUSED") {
    mirakl = "Refused — waiting for Mirakl to confirm";
    miraklNote = `Mirakl still reports "${miraklStateLabel(o.miraklState)}"`;
  }
  const ended = ["REFUSED", "CANCELED", "CLOSED"].includes(o.miraklState);
  // Import only means something once the order is accepted: before that (pending, held) there is nothing to wait for.
  const importStatus = o.beforeConnector || refused || (waiting && !accepted) ? null : o.importStatus;
  const noShopifyOrder = refused
    ? "Not imported: the order was refused"
    : ended || o.importStatus === "NOT_IMPORTED" || o.beforeConnector
      ? "Not imported"
      : waiting && !accepted
        ? "Imported once accepted"
        : "Not in Shopify yet";
  return { mirakl, miraklNote, importStatus, noShopifyOrder };
}

/**
 * A line's state next to our decision for it. The snapshot keeps the line as Mirakl last sent it ("Waiting
 * acceptance") until the next poll, so once our decision is sent the line says what we decided, pending Mirakl's
 * confirmation, the same display rule as orderStatusView.
 */
export function lineStateLabel(lineState: string, decidedAccept: boolean | null, acceptanceStatus: string): string {
  const sent = ["ACCEPTED", "PARTIALLY_ACCEPTED", "REFUSED"].includes(acceptanceStatus);
  if (lineState === "WAITING_ACCEPTANCE" && sent && decidedAccept !== null) return `${decidedAccept ? "Accepted" : "Refused"} — waiting for Mirakl to confirm`;
  return miraklStateLabel(lineState);
}

/**
 * A Mirakl tax code in plain words: marketplaces name their taxes with their own codes ("UK_VAT_STD", "FR-TVA"),
 * so only VAT is recognised (the code goes in a tooltip) and anything else reads "Tax".
 */
export function taxName(code: string | null | undefined): string {
  return code && /vat/i.test(code) ? "VAT" : "Tax";
}

/** OrderLink.fulfilmentStatus (NONE | PARTIAL | TRACKING_SENT | SHIPPED) as the order page says it. */
const FULFILMENT_STATUS_LABELS: Record<string, string> = {
  NONE: "Not fulfilled yet",
  PARTIAL: "Partly fulfilled",
  TRACKING_SENT: "Tracking sent to Mirakl",
  SHIPPED: "Shipped",
};

export function fulfilmentStatusLabel(status: string): string {
  return FULFILMENT_STATUS_LABELS[status] ?? codePhrase(status);
}

/** Mirakl operation codes as they appear in stored messages: "(OR21)", "(OR23, OR24)". */
const OPERATION_CODES = /\s*\(((?:[A-Z]{1,3}\d{2}[A-Z]?)(?:\s*[,/]\s*[A-Z]{1,3}\d{2}[A-Z]?)*)\)/g;
const ISO_DATE = /\b\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})\b/g;
// Whole words only: a SKU such as SHIPPING-BAG-01 must stay as it is.
const STATE_CODES = new RegExp(`(?<![\\w-])(${Object.keys(MIRAKL_STATE_LABELS).join("|")})(?![\\w-])`, "g");

export interface TimelineText {
  /** The message in plain words. */
  text: string;
  /** Mirakl operation codes it mentioned, for a tooltip. */
  codes: string[];
}

/**
 * A timeline message (SyncEvent.message, written by every flow over time) for a merchant: operation codes move to
 * a tooltip, Mirakl state codes become their labels, timestamps are formatted in the shop's zone. Done at display
 * time so events stored before this wording, and those of every flow, read the same.
 */
export function timelineText(message: string, timeZone = "UTC"): TimelineText {
  const codes: string[] = [];
  const text = message
    .replace(OPERATION_CODES, (_m, list: string) => {
      for (const c of list.split(/\s*[,/]\s*/)) if (!codes.includes(c)) codes.push(c);
      return "";
    })
    .replace(ISO_DATE, (iso) => formatDateTime(iso, timeZone))
    .replace(STATE_CODES, (code: string) => miraklStateLabel(code))
    .replace(/^Mirakl state (.+?) → /, "Mirakl state: $1 → ")
    // Messages stored before plurals were written properly: "1 line(s)" → "1 line", "3 line(s)" → "3 lines".
    .replace(/\b(\d+) line\(s\)/g, (_m, n: string) => plural(Number(n), "line"));
  return { text, codes };
}

export interface DecisionLineView {
  id: string;
  offerSku: string;
  title: string;
  quantity: number;
  /** false when the line is already refused or cancelled on Mirakl. */
  active: boolean;
  /** The automatic checks' verdict for the line (true = passed), if they ran. */
  proposeAccept: boolean;
  /** Why the checks would refuse it (stock, unlinked SKU), if they did. */
  problem: string | null;
}

export interface DecisionConfirmation {
  title: string;
  /** Lines, as "2 × SKU (title)". */
  lines: string[];
  /** Lines accepted although the checks failed, with the reason. */
  risky: string[];
  consequence: string;
  confirmLabel: string;
  destructive: boolean;
}

const lineText = (l: DecisionLineView) => `${l.quantity} × ${l.offerSku}${l.title ? ` (${l.title})` : ""}`;

/**
 * What the confirmation for a held order's decision says, or null when no confirmation is needed (accepting lines
 * that all passed the checks). Refusing cannot be undone and counts against the seller rating; accepting lines
 * that failed the stock or SKU check promises goods that may not be there.
 */
export function decisionConfirmation(input: { decision: "accept" | "refuse" | { accept: string[] }; lines: DecisionLineView[]; marketplace: string }): DecisionConfirmation | null {
  const active = input.lines.filter((l) => l.active);
  const accepted = input.decision === "accept" ? active : input.decision === "refuse" ? [] : active.filter((l) => (input.decision as { accept: string[] }).accept.includes(l.id));
  const refused = active.filter((l) => !accepted.includes(l));
  const risky = accepted.filter((l) => !l.proposeAccept).map((l) => `${lineText(l)}: ${l.problem ?? "did not pass the automatic checks"}`);
  if (refused.length === 0 && risky.length === 0) return null;
  const consequences: string[] = [];
  if (refused.length > 0) {
    consequences.push(
      `Refusing cannot be undone: ${input.marketplace} cancels ${refused.length === active.length ? "the order" : "these lines"} for the customer, and the refusal counts against your seller rating.`,
    );
  }
  if (risky.length > 0) consequences.push("Accepting lines that failed the checks promises stock you may not have: if you cannot ship them, cancelling later also counts against your seller rating.");
  const all = refused.length === active.length;
  return {
    title: all ? "Refuse this order?" : refused.length > 0 ? `Accept ${accepted.length} and refuse ${refused.length} ${refused.length === 1 ? "line" : "lines"}?` : "Accept lines that failed the checks?",
    lines: (all ? refused : refused.length > 0 ? refused : accepted).map(lineText),
    risky,
    consequence: consequences.join(" "),
    confirmLabel: all ? "Refuse order" : refused.length > 0 ? "Send decision" : "Accept anyway",
    destructive: refused.length > 0,
  };
}
