import type { MarketplaceConnection } from "@prisma/client";

/**
 * A connection's stock rule (locations and buffer) as one string. When the merchant changes it, every offer's
 * quantity changes at once, yet no inventory webhook fires: the scheduler compares this fingerprint with the one
 * recorded on the last stock event and marks every offer dirty when it differs.
 */
export function stockRuleFingerprint(c: Pick<MarketplaceConnection, "safetyStockMode" | "safetyStockValue" | "locationIds">): string {
  return `${c.safetyStockMode}:${c.safetyStockValue}:${[...c.locationIds].sort().join(",")}`;
}
