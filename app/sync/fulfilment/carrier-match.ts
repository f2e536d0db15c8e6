import type { MarketplaceCarrier } from "./marketplace-reference";

/**
 * Which marketplace carrier a Shopify tracking company is (pure). OR23/ST01 only take the operator's SH21 codes
 * (notes gotcha 1): "Royal Mail 24" from a warehouse app is not "RM24", and a wrong code is refused. Exact
 * matches (case, spaces and punctuation ignored) on the code, label or standard code are applied automatically
 * when exactly one carrier matches; anything else waits for the merchant, with suggestions.
 */

/** CarrierMapping.shopifyCarrierKey: lower-cased, whitespace collapsed. */
export function carrierKey(name: string): string {
  return name.trim().replace(/\s+/g, " ").toLowerCase();
}

/** For comparisons only: "Royal_Mail", "royal mail" and "ROYAL-MAIL" are the same thing. */
function compact(value: string): string {
  return value.toLowerCase().replace(/[^a-z0-9]/g, "");
}

function tokens(value: string): Set<string> {
  return new Set(
    value
      .toLowerCase()
      .split(/[^a-z0-9]+/)
      .filter((t) => t.length > 0),
  );
}

function fieldsOf(c: MarketplaceCarrier): string[] {
  return [c.code, c.label, c.standardCode].filter((v): v is string => typeof v === "string" && v.trim() !== "");
}

/** Carriers whose code, label or standard code equals the name (ignoring case, spaces and punctuation). */
export function exactCarrierMatches(name: string, carriers: readonly MarketplaceCarrier[]): MarketplaceCarrier[] {
  const wanted = compact(name);
  if (wanted === "") return [];
  return carriers.filter((c) => fieldsOf(c).some((f) => compact(f) === wanted));
}

export interface CarrierSuggestion {
  carrier: MarketplaceCarrier;
  /** 0..100 */
  score: number;
  why: "exact" | "standard code" | "name";
}

/**
 * Ranked suggestions for the mapping screen: exact matches first, then carriers whose standard code or code is
 * contained in the name ("Royal Mail 24" → ROYAL_MAIL), then shared words ("royal mail 24" ~ "Royal Mail Tracked 24").
 */
export function suggestCarriers(name: string, carriers: readonly MarketplaceCarrier[], limit = 3): CarrierSuggestion[] {
  const wanted = compact(name);
  const words = tokens(name);
  if (wanted === "") return [];
  const scored: CarrierSuggestion[] = [];
  for (const carrier of carriers) {
    if (fieldsOf(carrier).some((f) => compact(f) === wanted)) {
      scored.push({ carrier, score: 100, why: "exact" });
      continue;
    }
    const codes = [carrier.standardCode, carrier.code].filter((v): v is string => !!v).map(compact).filter((v) => v.length >= 3);
    const contains = codes.some((c) => wanted.includes(c) || (wanted.length >= 3 && c.includes(wanted)));
    const label = tokens(carrier.label);
    const shared = [...words].filter((w) => label.has(w)).length;
    const union = new Set([...words, ...label]).size;
    const overlap = union === 0 ? 0 : shared / union;
    const score = Math.round((contains ? 50 : 0) + overlap * 50);
    if (score >= 20) scored.push({ carrier, score, why: contains ? "standard code" : "name" });
  }
  return scored.sort((a, b) => b.score - a.score || a.carrier.label.localeCompare(b.carrier.label)).slice(0, limit);
}

export interface CarrierMappingRule {
  miraklCarrierCode: string | null;
  useUnregistered: boolean;
}

export type HoldReason = "unmapped" | "ambiguous" | "unknown_code" | "unlisted_forbidden";

export type CarrierDecision =
  /** A carrier of the marketplace: OR23 carrier_code (Mirakl builds the tracking URL from SH21). */
  | { kind: "registered"; carrier: MarketplaceCarrier; source: "mapping" | "auto" }
  /** Sent as an unregistered carrier: OR23 carrier_name + carrier_url (only where PC01 allows it). */
  | { kind: "unregistered"; name: string; url: string | null }
  | { kind: "hold"; reason: HoldReason; suggestions: CarrierSuggestion[] };

/**
 * The decision for one tracking company. A merchant's mapping wins; a mapped code must still exist on the
 * marketplace (SH21 is refreshed daily and operators retire carriers); "send as unlisted" only where the
 * marketplace allows unregistered carriers (PC01 disable_seller_alternative_carrier).
 */
export function decideCarrier(input: {
  trackingCompany: string;
  trackingUrl: string | null;
  mapping: CarrierMappingRule | null;
  carriers: readonly MarketplaceCarrier[];
  allowUnregistered: boolean;
}): CarrierDecision {
  const { trackingCompany, mapping, carriers } = input;
  const suggestions = () => suggestCarriers(trackingCompany, carriers);
  if (mapping?.miraklCarrierCode) {
    const carrier = carriers.find((c) => c.code === mapping.miraklCarrierCode);
    return carrier ? { kind: "registered", carrier, source: "mapping" } : { kind: "hold", reason: "unknown_code", suggestions: suggestions() };
  }
  if (mapping?.useUnregistered) {
    return input.allowUnregistered
      ? { kind: "unregistered", name: trackingCompany.trim(), url: input.trackingUrl }
      : { kind: "hold", reason: "unlisted_forbidden", suggestions: suggestions() };
  }
  const exact = exactCarrierMatches(trackingCompany, carriers);
  if (exact.length === 1 && exact[0]) return { kind: "registered", carrier: exact[0], source: "auto" };
  return { kind: "hold", reason: exact.length > 1 ? "ambiguous" : "unmapped", suggestions: suggestions() };
}
