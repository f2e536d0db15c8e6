/**
 * What an OR11 update means for our OrderLink (pure): the new statuses, the timeline entries, and the work it
 * triggers (decide acceptance, import, reflect a cancellation in Shopify). Kept free of I/O so every
 * transition of the order state machine (seller-api-notes §4.2) is unit-tested.
 */
import type { MiraklOrder } from "../../mirakl";
import { formatMoney, plural } from "../../components/format";
import { holdCodeOf } from "./acceptance-policy";
import {
  acceptanceFromLines,
  cancelledUnits,
  hasEndedUnshipped,
  hasShippingAddress,
  isAutomaticRefusal,
  isBeyondShipping,
  isDebited,
  isPreAcceptance,
  isWaitingAcceptance,
  orderCreatedAt,
  parseMiraklDate,
  reasonText,
} from "./mirakl-order";

export interface LinkState {
  miraklState: string;
  acceptanceStatus: string;
  importStatus: string;
  holdReason: string | null;
  shopifyState: string | null;
  /** A decision was stored (to send, or sent without confirmation yet). */
  hasDecision: boolean;
}

export interface PlannedEvent {
  kind: string;
  level: "info" | "success" | "warning" | "error";
  message: string;
  data?: Record<string, unknown>;
}

export interface IngestPlan {
  /** Status fields to write (only those that change). */
  status: {
    acceptanceStatus?: string;
    acceptedAt?: Date | null;
    importStatus?: string;
    holdReason?: string | null;
  };
  events: PlannedEvent[];
  effects: {
    /** Waiting for acceptance and undecided (or held only because Shopify could not answer): decide and send OR21 now. */
    decide: boolean;
    /** A decision was stored but Mirakl still waits: OR21 may never have arrived; this OR11 read is the re-read. */
    resend: boolean;
    /** The order just became importable. */
    import: boolean;
    /** Imported, and Mirakl cancelled the order or some of its lines. */
    cancelInShopify: boolean;
    /** The order left WAITING_ACCEPTANCE: a held-order task has nothing left to decide. */
    leftAcceptance: boolean;
    autoRefused: boolean;
    /** The order ended before it was imported: tasks about importing it are moot. */
    notImported: boolean;
  };
}

const IMPORT_PENDING: ReadonlySet<string> = new Set(["WAITING", "READY", "HELD", "FAILED"]);

/** holdReason code of an order first seen shipped, refused or cancelled: listed, never imported, no Task. */
export const BEFORE_CONNECTOR = "BEFORE_CONNECTOR";

/** What the Orders screen says about such an order. */
export function beforeConnectorNote(state: string): string {
  const what = state === "CANCELED" ? "Cancelled" : state === "REFUSED" ? "Refused" : "Shipped";
  return `${what} before Mirakl Connector saw it — not imported`;
}

/**
 * The note for an order that was handled before the connector saw it, or null. Rows stored before the
 * BEFORE_CONNECTOR code existed are recognised too: a link only becomes NOT_IMPORTED in a shipped state at first sight.
 */
export function handledBeforeConnector(link: { importStatus: string; miraklState: string; holdReason: string | null; shopifyOrderId: string | null }): string | null {
  if (link.importStatus !== "NOT_IMPORTED" || link.shopifyOrderId) return null;
  const prefix = `${BEFORE_CONNECTOR}:`;
  if (link.holdReason?.startsWith(prefix)) return link.holdReason.slice(prefix.length).trim();
  return isBeyondShipping(link.miraklState) ? beforeConnectorNote(link.miraklState) : null;
}

function noEffects(): IngestPlan["effects"] {
  return { decide: false, resend: false, import: false, cancelInShopify: false, leftAcceptance: false, autoRefused: false, notImported: false };
}

function lineEvents(previous: MiraklOrder | null, order: MiraklOrder): { events: PlannedEvent[]; reduced: boolean } {
  const events: PlannedEvent[] = [];
  let reduced = false;
  if (!previous) return { events, reduced };
  for (const line of order.order_lines) {
    const before = previous.order_lines.find((l) => l.order_line_id === line.order_line_id);
    if (!before) continue;
    const reason = line.order_line_state_reason_label ?? line.order_line_state_reason_code ?? null;
    if (before.order_line_state !== line.order_line_state && (line.order_line_state === "CANCELED" || line.order_line_state === "REFUSED")) {
      reduced = true;
      events.push({
        kind: line.order_line_state === "REFUSED" ? "line_refused" : "line_cancelled",
        level: "warning",
        message: `Line ${line.order_line_id} (${line.offer_sku}) ${line.order_line_state === "REFUSED" ? "refused" : "cancelled"} on Mirakl${reason ? `: ${reason}` : ""}`,
        data: { orderLineId: line.order_line_id, offerSku: line.offer_sku, state: line.order_line_state },
      });
      continue;
    }
    const cancelledNow = cancelledUnits(line) - cancelledUnits(before);
    if (cancelledNow > 0 || line.quantity < before.quantity) {
      reduced = true;
      const units = cancelledNow > 0 ? cancelledNow : before.quantity - line.quantity;
      const last = line.cancelations[line.cancelations.length - 1];
      events.push({
        kind: "line_reduced",
        level: "warning",
        message: `Mirakl cancelled ${units} unit(s) of ${line.offer_sku} on line ${line.order_line_id}${last?.reason_code ? ` (reason ${last.reason_code})` : ""}; ${line.quantity} left`,
        data: { orderLineId: line.order_line_id, offerSku: line.offer_sku, cancelled: units, remaining: line.quantity },
      });
    }
  }
  return { events, reduced };
}

/**
 * `connectedAt`: when the connection was made. An order created before it and first seen already shipped, refused
 * or cancelled was handled without the connector (another tool, the back office): it is listed, never imported,
 * and raises no Task. One created after it and first seen refused automatically is the connector's own miss
 * (polling was down for the whole acceptance window), which the auto-refusal Task must still report.
 */
export function planIngest(input: { existing: LinkState | null; previous: MiraklOrder | null; order: MiraklOrder; autoAccepts: boolean; now: Date; connectedAt?: Date | null }): IngestPlan {
  const { existing, previous, order, autoAccepts, now } = input;
  const state = order.order_state;
  const plan: IngestPlan = { status: {}, events: [], effects: noEffects() };
  const { status, events, effects } = plan;

  if (!existing) {
    events.push({
      kind: "seen",
      level: "info",
      message: `Order seen on Mirakl in state ${state} (${[plural(order.order_lines.length, "line"), ...(order.total_price == null ? [] : [formatMoney(order.total_price, order.currency_iso_code)])].join(", ")})`,
      data: { state },
    });
    if (autoAccepts) status.acceptanceStatus = "NOT_REQUIRED";
    else if (isPreAcceptance(state)) status.acceptanceStatus = "PENDING";
    else if (state === "CANCELED" && !order.acceptance_decision_date) status.acceptanceStatus = "PENDING";
    else {
      status.acceptanceStatus = acceptanceFromLines(order);
      status.acceptedAt = parseMiraklDate(order.acceptance_decision_date) ?? (status.acceptanceStatus === "REFUSED" ? null : now);
    }
    const missedByConnector = isAutomaticRefusal(order) && !autoAccepts && !!input.connectedAt && orderCreatedAt(order).getTime() >= input.connectedAt.getTime();
    if (missedByConnector) {
      status.importStatus = "NOT_IMPORTED";
      status.holdReason = "AUTO_REFUSED: the marketplace refused the order automatically because it was not accepted in time";
      effects.autoRefused = true;
      events.push({ kind: "auto_refused", level: "warning", message: `Mirakl refused the order automatically: it was not accepted within the marketplace's window` });
    } else if (hasEndedUnshipped(state) || isBeyondShipping(state)) {
      // Shipped, refused or cancelled before this connection ever saw it (handled by another tool or in the back
      // office): importing it now would only invite someone to ship it a second time, and nothing is left to decide.
      const note = beforeConnectorNote(state);
      status.importStatus = "NOT_IMPORTED";
      status.holdReason = `${BEFORE_CONNECTOR}: ${note}`;
      events.push({ kind: "not_imported", level: "info", message: `${note}: the order was already ${state} on Mirakl when first seen, so it was handled elsewhere; nothing to ship from Shopify` });
    } else if (isDebited(state) && hasShippingAddress(order)) {
      status.importStatus = "READY";
      effects.import = true;
    } else status.importStatus = "WAITING";
    effects.decide = !autoAccepts && isWaitingAcceptance(state);
    return plan;
  }

  if (existing.miraklState !== state) {
    events.push({ kind: "state", level: "info", message: `Mirakl state ${existing.miraklState} → ${state}`, data: { from: existing.miraklState, to: state } });
  }

  // -- acceptance ------------------------------------------------------------------------------------------------
  const undecided = existing.acceptanceStatus === "PENDING" || existing.acceptanceStatus === "HELD";
  if (isWaitingAcceptance(state) && !autoAccepts) {
    if (existing.acceptanceStatus === "PENDING") {
      if (existing.hasDecision) effects.resend = true;
      else effects.decide = true;
    } else if (existing.acceptanceStatus === "HELD" && holdCodeOf(existing.holdReason) === "UNVERIFIED") effects.decide = true;
  } else if (!isPreAcceptance(state) && undecided) {
    effects.leftAcceptance = true;
    if (isAutomaticRefusal(order)) {
      status.acceptanceStatus = "REFUSED";
      status.holdReason = "AUTO_REFUSED: the marketplace refused the order automatically because it was not accepted in time";
      effects.autoRefused = true;
      events.push({ kind: "auto_refused", level: "error", message: "Mirakl refused the order automatically: it was not accepted within the marketplace's window" });
    } else if (state === "CANCELED") {
      events.push({ kind: "cancelled_before_acceptance", level: "warning", message: `Cancelled on Mirakl before it was accepted (${reasonText(order)})` });
    } else {
      const outcome = acceptanceFromLines(order);
      status.acceptanceStatus = outcome;
      status.acceptedAt = outcome === "REFUSED" ? null : (parseMiraklDate(order.acceptance_decision_date) ?? now);
      if (existing.acceptanceStatus === "HELD") {
        status.holdReason = null;
        events.push({
          kind: "decided_outside",
          level: "info",
          message: `${outcome === "REFUSED" ? "Refused" : outcome === "ACCEPTED" ? "Accepted" : "Partly accepted"} outside the app (in the Mirakl back office)`,
        });
      } else if (!existing.hasDecision) {
        events.push({ kind: "decided_outside", level: "info", message: `Mirakl reports the order ${outcome === "REFUSED" ? "refused" : "accepted"} without a decision from the app` });
      } else {
        events.push({ kind: "acceptance_confirmed", level: "success", message: `Mirakl confirms the acceptance decision (${outcome.toLowerCase().replace("_", " ")})` });
      }
    }
  }

  // -- lines and import --------------------------------------------------------------------------------------------
  const { events: perLine, reduced } = lineEvents(previous, order);
  events.push(...perLine);
  const imported = existing.importStatus === "IMPORTED" || existing.importStatus === "IMPORTING";
  if (hasEndedUnshipped(state)) {
    if (IMPORT_PENDING.has(existing.importStatus)) {
      status.importStatus = "NOT_IMPORTED";
      effects.notImported = true;
      if (state === "CANCELED" && existing.miraklState !== state && !effects.leftAcceptance) {
        events.push({ kind: "cancelled", level: "warning", message: `Cancelled on Mirakl before it was imported (${reasonText(order)}); nothing to do in Shopify` });
      }
    } else if (imported && existing.shopifyState !== "CANCELLED") {
      effects.cancelInShopify = true;
      if (existing.miraklState !== state) {
        events.push({ kind: "cancelled", level: "warning", message: `Cancelled on Mirakl after import (${reasonText(order)}): cancelling the Shopify order` });
      }
    }
  } else if (imported && reduced) {
    effects.cancelInShopify = true;
  } else if (existing.importStatus === "WAITING" && isDebited(state) && hasShippingAddress(order)) {
    status.importStatus = "READY";
    effects.import = true;
  } else if (existing.importStatus === "HELD" && reduced) {
    // A held order lost a line (maybe the unmapped one): try again with what is left.
    status.importStatus = "READY";
    status.holdReason = null;
    effects.import = true;
  }
  return plan;
}
