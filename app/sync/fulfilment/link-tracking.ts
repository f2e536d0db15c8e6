import type { MarketplaceCarrier } from "./marketplace-reference";

/**
 * What Mirakl is told about one fulfilment's carrier and tracking (pure), and whether Mirakl already holds it.
 */
export type OutgoingTracking =
  /** OR23/ST01 carrier_code: Mirakl builds the tracking URL from the SH21 template. */
  | { kind: "registered"; carrier: MarketplaceCarrier; number: string | null }
  /** carrier_name (+ carrier_url): an unregistered carrier, where the marketplace allows it. */
  | { kind: "unregistered"; name: string; url: string | null; number: string | null }
  /** No carrier and no number: nothing to send before OR24 (allowed unless the shipping method needs tracking). */
  | { kind: "none" };

/** What OR11 shows after OR23 (notes §2.1 OR23: shipping_carrier_code, shipping_company, shipping_tracking). */
export interface MiraklOrderTracking {
  carrierCode: string | null;
  company: string | null;
  number: string | null;
}

const norm = (v: string | null | undefined) => (v ?? "").trim();

export function miraklHolds(tracking: OutgoingTracking, current: MiraklOrderTracking): boolean {
  if (tracking.kind === "none") return true;
  if (norm(tracking.number) !== norm(current.number)) return false;
  if (tracking.kind === "registered") return norm(current.carrierCode) === tracking.carrier.code;
  return !norm(current.carrierCode) && norm(current.company).toLowerCase() === tracking.name.trim().toLowerCase();
}

/** FulfillmentLink.sentCarrierCode: the SH21 code, or the name sent as an unregistered carrier. */
export function sentCarrierOf(tracking: OutgoingTracking): string | null {
  if (tracking.kind === "registered") return tracking.carrier.code;
  if (tracking.kind === "unregistered") return tracking.name;
  return null;
}

export function numberOf(tracking: OutgoingTracking): string | null {
  return tracking.kind === "none" ? null : tracking.number;
}

export function describeTracking(tracking: OutgoingTracking): string {
  if (tracking.kind === "none") return "no tracking";
  const who = tracking.kind === "registered" ? `${tracking.carrier.label} (${tracking.carrier.code})` : `${tracking.name} (unlisted carrier)`;
  return tracking.number ? `${who} ${tracking.number}` : who;
}

/** The camelCase tracking the Mirakl client takes for OR23. */
export function or23Input(orderId: string, tracking: Exclude<OutgoingTracking, { kind: "none" }>) {
  return tracking.kind === "registered"
    ? { orderId, carrierCode: tracking.carrier.code, trackingNumber: tracking.number ?? undefined }
    : { orderId, carrierName: tracking.name, carrierUrl: tracking.url ?? undefined, trackingNumber: tracking.number ?? undefined };
}

/** The camelCase tracking the Mirakl client takes for ST01/ST23. */
export function shipmentTrackingInput(tracking: OutgoingTracking) {
  if (tracking.kind === "none") return undefined;
  return tracking.kind === "registered"
    ? { carrierCode: tracking.carrier.code, trackingNumber: tracking.number ?? undefined }
    : { carrierName: tracking.name, trackingUrl: tracking.url ?? undefined, trackingNumber: tracking.number ?? undefined };
}
