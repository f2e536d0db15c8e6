/**
 * The quantity rule: what one marketplace may sell of one offer. Pure, so the settings screen's worked
 * example and the stock push use the same code.
 *
 *   total     = Σ available at the connection's chosen locations (a negative location, i.e. oversold, counts:
 *               its backlog will be filled from the other locations' stock)
 *   FIXED n   → total − n
 *   PERCENT p → total − ceil(total × p / 100)            (the buffer rounds up: never offer a unit we are unsure of)
 *   HOLD_BACK_LAST n → total when total > n, else 0        (stop selling when only the last n units remain)
 *   a per-SKU override replaces the connection's buffer value for that SKU (same mode)
 *   never below zero; zero for an unmapped offer, a variant whose inventory is not tracked, or no location
 */
export type SafetyStockMode = "FIXED" | "PERCENT" | "HOLD_BACK_LAST";

export interface QuantityInput {
  /** `available` per chosen location; locations not chosen must not be passed. */
  availableByLocation: ReadonlyArray<number>;
  mode: SafetyStockMode;
  value: number;
  override?: number | null;
  mapped: boolean;
  tracked: boolean;
}

export interface QuantityBreakdown {
  total: number;
  buffer: number;
  quantity: number;
  reason: "ok" | "unmapped" | "untracked" | "no_location";
}

export function computeQuantity(input: QuantityInput): QuantityBreakdown {
  if (!input.mapped) return { total: 0, buffer: 0, quantity: 0, reason: "unmapped" };
  if (!input.tracked) return { total: 0, buffer: 0, quantity: 0, reason: "untracked" };
  if (input.availableByLocation.length === 0) return { total: 0, buffer: 0, quantity: 0, reason: "no_location" };
  const total = input.availableByLocation.reduce((sum, n) => sum + (Number.isFinite(n) ? Math.trunc(n) : 0), 0);
  const value = Math.max(0, Math.trunc(input.override ?? input.value));
  let quantity: number;
  let buffer: number;
  switch (input.mode) {
    case "FIXED":
      buffer = value;
      quantity = total - value;
      break;
    case "PERCENT": {
      const pct = Math.min(100, value);
      buffer = total > 0 ? Math.ceil((total * pct) / 100) : 0;
      quantity = total - buffer;
      break;
    }
    case "HOLD_BACK_LAST":
      buffer = total > value ? 0 : Math.max(0, total);
      quantity = total > value ? total : 0;
      break;
  }
  return { total, buffer, quantity: Math.max(0, quantity), reason: "ok" };
}

export function computeOfferQuantity(input: QuantityInput): number {
  return computeQuantity(input).quantity;
}
