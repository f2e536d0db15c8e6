import type { MarketplaceConnection, PrismaClient, SkuMapping } from "@prisma/client";
import { computeQuantity, type QuantityBreakdown, type SafetyStockMode } from "../safety-stock";
import { readStockLevels } from "../stock-levels.server";
import { chunked, ROWS_PER_STATEMENT } from "./sql";

/**
 * What one marketplace should show for each of its offers, computed from the StockLevel cache with the quantity
 * rule (app/sync/safety-stock.ts), never by calling Shopify: the push runs within seconds of a webhook and must not
 * depend on Shopify's rate limits. Locations the cache has never seen are reported (`missingLocationIds`) so the
 * caller can read them once (a cold cache), rather than silently counting them as zero.
 */
export interface SkuStock {
  offerSku: string;
  /** false: the mapping is IGNORED (the merchant manages this offer's stock elsewhere). */
  managed: boolean;
  /** null: no mapping row at all (a SKU we pushed before whose mapping was deleted: offered 0). */
  matchStatus: string | null;
  inventoryItemId: string | null;
  tracked: boolean;
  override: number | null;
  /** `available` per chosen location that the cache holds, in the connection's location order. */
  levels: { locationId: string; available: number }[];
  missingLocationIds: string[];
  breakdown: QuantityBreakdown;
}

type StockConnection = Pick<MarketplaceConnection, "id" | "shop" | "locationIds" | "safetyStockMode" | "safetyStockValue">;

function stockMode(mode: string): SafetyStockMode {
  return mode === "PERCENT" || mode === "HOLD_BACK_LAST" ? mode : "FIXED";
}

export type MappingForStock = Pick<SkuMapping, "offerSku" | "matchStatus" | "shopifyInventoryItemId" | "tracked" | "safetyStockOverride">;
export const MAPPING_FOR_STOCK = { offerSku: true, matchStatus: true, shopifyInventoryItemId: true, tracked: true, safetyStockOverride: true } as const;

export async function computeSkuStock({
  prisma,
  connection,
  offerSkus,
  mappings: given,
}: {
  prisma: PrismaClient;
  connection: StockConnection;
  offerSkus: readonly string[];
  /** The mappings of exactly these SKUs when the caller already holds them (a reconciliation page). */
  mappings?: readonly MappingForStock[];
}): Promise<Map<string, SkuStock>> {
  const out = new Map<string, SkuStock>();
  const mode = stockMode(connection.safetyStockMode);
  for (const chunk of chunked([...new Set(offerSkus)], ROWS_PER_STATEMENT)) {
    const mappings = given ?? (await prisma.skuMapping.findMany({ where: { connectionId: connection.id, offerSku: { in: chunk } }, select: MAPPING_FOR_STOCK }));
    const bySku = new Map(mappings.map((m) => [m.offerSku, m]));
    const items = mappings.filter((m) => m.matchStatus === "MATCHED" && m.shopifyInventoryItemId).map((m) => m.shopifyInventoryItemId as string);
    const levels = await readStockLevels({ prisma, shop: connection.shop, inventoryItemIds: [...new Set(items)], locationIds: connection.locationIds });
    for (const sku of chunk) {
      const m = bySku.get(sku);
      const matched = m?.matchStatus === "MATCHED" && !!m.shopifyInventoryItemId;
      const itemLevels = matched ? levels.get(m.shopifyInventoryItemId as string) : undefined;
      const held = matched ? connection.locationIds.filter((l) => itemLevels?.has(l)).map((l) => ({ locationId: l, available: itemLevels?.get(l) ?? 0 })) : [];
      const missing = matched ? connection.locationIds.filter((l) => !itemLevels?.has(l)) : [];
      out.set(sku, {
        offerSku: sku,
        managed: m?.matchStatus !== "IGNORED",
        matchStatus: m?.matchStatus ?? null,
        inventoryItemId: m?.shopifyInventoryItemId ?? null,
        tracked: m?.tracked ?? true,
        override: m?.safetyStockOverride ?? null,
        levels: held,
        missingLocationIds: missing,
        breakdown: computeQuantity({
          availableByLocation: held.map((l) => l.available),
          mode,
          value: connection.safetyStockValue,
          override: m?.safetyStockOverride ?? null,
          mapped: matched,
          tracked: m?.tracked ?? true,
        }),
      });
    }
  }
  return out;
}
