/**
 * Pure readings of an OR11 order (seller-api-notes §3, §4): which lines still count, where the order is in its
 * life, what a refusal or cancellation means. States are compared as strings, never switched on exhaustively
 * (gotcha 17: Mirakl adds states).
 */
import type { MiraklOrder, MiraklOrderLine } from "../../mirakl";

/** Line states that take a line out of the order (refused at acceptance, cancelled later). */
const INACTIVE_LINE_STATES: ReadonlySet<string> = new Set(["REFUSED", "CANCELED"]);
const PRE_ACCEPTANCE: ReadonlySet<string> = new Set(["STAGING", "WAITING_ACCEPTANCE"]);
const ENDED_UNSHIPPED: ReadonlySet<string> = new Set(["REFUSED", "CANCELED"]);
/** The customer has been debited and the seller may ship (or already has): the order belongs in Shopify. */
const DEBITED: ReadonlySet<string> = new Set(["SHIPPING", "SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"]);
const BEYOND_SHIPPING: ReadonlySet<string> = new Set(["SHIPPED", "TO_COLLECT", "RECEIVED", "CLOSED"]);

export function isActiveLine(line: MiraklOrderLine): boolean {
  return !INACTIVE_LINE_STATES.has(line.order_line_state) && line.quantity > 0;
}

/** Lines still to be delivered or already delivered: refused and cancelled lines, and zero quantities, are out (gotcha 4). */
export function activeLines(order: MiraklOrder): MiraklOrderLine[] {
  return order.order_lines.filter(isActiveLine);
}

export function isPreAcceptance(state: string): boolean {
  return PRE_ACCEPTANCE.has(state);
}

export function isWaitingAcceptance(state: string): boolean {
  return state === "WAITING_ACCEPTANCE";
}

/** REFUSED or CANCELED: the order ended without being shipped. */
export function hasEndedUnshipped(state: string): boolean {
  return ENDED_UNSHIPPED.has(state);
}

export function isDebited(state: string): boolean {
  return DEBITED.has(state);
}

export function isBeyondShipping(state: string): boolean {
  return BEYOND_SHIPPING.has(state);
}

export function parseMiraklDate(value: string | null | undefined): Date | null {
  if (!value) return null;
  const t = Date.parse(value);
  return Number.isNaN(t) ? null : new Date(t);
}

/** OR11 dedupe key part (gotcha 14): last_updated_date, or the creation date on payloads without it. */
export function orderUpdatedAt(order: MiraklOrder): Date {
  return parseMiraklDate(order.last_updated_date) ?? parseMiraklDate(order.created_date) ?? new Date(0);
}

export function orderCreatedAt(order: MiraklOrder): Date {
  return parseMiraklDate(order.created_date) ?? orderUpdatedAt(order);
}

/** Addresses are null before acceptance on some marketplaces (gotcha 10); importing needs the shipping one. */
export function hasShippingAddress(order: MiraklOrder): boolean {
  const a = order.customer?.shipping_address;
  return Boolean(a && (a.street_1 || a.city) && (a.country_iso_code || a.country));
}

/** Mirakl refused by itself because the acceptance window expired: acceptance_decision_date stays null (§4.2). */
export function isAutomaticRefusal(order: MiraklOrder): boolean {
  return order.order_state === "REFUSED" && !order.acceptance_decision_date;
}

/** What Mirakl's line states say about an acceptance that has happened (by us, by a person in the portal, or automatically). */
export function acceptanceFromLines(order: MiraklOrder): "ACCEPTED" | "PARTIALLY_ACCEPTED" | "REFUSED" {
  const refused = order.order_lines.filter((l) => l.order_line_state === "REFUSED").length;
  if (refused === 0) return "ACCEPTED";
  if (refused === order.order_lines.length) return "REFUSED";
  return "PARTIALLY_ACCEPTED";
}

export type ShopifyCancelReason = "CUSTOMER" | "DECLINED" | "OTHER";

/** Shopify's cancel reason for a Mirakl cancellation: the customer's own, a refused payment, or anything else. */
export function shopifyCancelReason(order: MiraklOrder): ShopifyCancelReason {
  if (order.order_state === "REFUSED") return "DECLINED";
  const text = `${order.order_state_reason_code ?? ""} ${order.order_state_reason_label ?? ""}`;
  if (/payment|debit|paiement/i.test(text)) return "DECLINED";
  // "34" is the default Mirakl reason "Cancelled by the client prior to shipping" (RE01, notes §2.3).
  if (/\b34\b|customer|client/i.test(text)) return "CUSTOMER";
  return "OTHER";
}

export function reasonText(order: MiraklOrder): string {
  return order.order_state_reason_label ?? (order.order_state_reason_code ? `reason ${order.order_state_reason_code}` : "no reason given");
}

/** Units Mirakl cancelled on a line (OR30), from its cancelations history. */
export function cancelledUnits(line: MiraklOrderLine): number {
  return line.cancelations.reduce((s, c) => s + (c.quantity ?? 0), 0);
}
