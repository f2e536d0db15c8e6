/**
 * Offer SKU → Shopify variant. A merchant's mapping (SkuMapping MANUAL/CSV) wins and is never overwritten;
 * without one, an exact SKU match in Shopify (exactly one variant: SKUs are not unique there, Shopify notes §4.4)
 * is stored as an AUTO mapping so the next order with that SKU needs no Shopify call at all.
 */
import type { MarketplaceConnection } from "@prisma/client";
import type { Services } from "../../services.server";
import { errorMessage } from "../../lib/errors";
import { logger } from "../../lib/logger";
import { findVariantsBySkus, type ShopifyVariant } from "../../shopify";
import { withDeadline } from "./deadline";

const log = logger.child({ module: "orders.skus" });

export type SkuResolution =
  | { kind: "matched"; variantId: string; inventoryItemId: string | null; tracked: boolean }
  | { kind: "unmapped" }
  | { kind: "ambiguous"; variants: number }
  | { kind: "ignored" }
  /** Shopify could not be asked (down, throttled past the deadline): nothing may be concluded. */
  | { kind: "unverified"; error: string };

/**
 * @param shopifyDeadlineMs bound on the Shopify search (acceptance passes a few seconds: OR21 must not wait on a
 * slow Shopify); undefined = the client's own limits (import).
 */
export async function resolveSkus({
  services,
  connection,
  skus,
  shopifyDeadlineMs,
}: {
  services: Services;
  connection: Pick<MarketplaceConnection, "id" | "shop">;
  skus: readonly string[];
  shopifyDeadlineMs?: number;
}): Promise<Map<string, SkuResolution>> {
  const wanted = [...new Set(skus)];
  const out = new Map<string, SkuResolution>();
  if (wanted.length === 0) return out;
  const rows = await services.prisma.skuMapping.findMany({ where: { connectionId: connection.id, offerSku: { in: wanted } } });
  const byRow = new Map(rows.map((r) => [r.offerSku, r]));
  const toSearch: string[] = [];
  for (const sku of wanted) {
    const row = byRow.get(sku);
    if (!row) {
      toSearch.push(sku);
      continue;
    }
    if (row.matchStatus === "IGNORED") out.set(sku, { kind: "ignored" });
    else if (row.matchStatus === "MATCHED" && row.shopifyVariantId) {
      out.set(sku, { kind: "matched", variantId: row.shopifyVariantId, inventoryItemId: row.shopifyInventoryItemId, tracked: row.tracked });
    } else if (row.source === "AUTO") toSearch.push(sku); // the catalogue may have gained the SKU since
    else out.set(sku, row.matchStatus === "AMBIGUOUS" ? { kind: "ambiguous", variants: 2 } : { kind: "unmapped" });
  }
  if (toSearch.length === 0) return out;

  let found: Map<string, ShopifyVariant[]>;
  try {
    const search = (async () => findVariantsBySkus({ client: await services.shopifyAdmin(connection.shop), skus: toSearch }))();
    found = shopifyDeadlineMs === undefined ? await search : await withDeadline(search, shopifyDeadlineMs, "Shopify variant search");
  } catch (err) {
    log.warn("variant search failed; SKUs left unverified", { shop: connection.shop, connectionId: connection.id, count: toSearch.length, error: errorMessage(err) });
    for (const sku of toSearch) out.set(sku, { kind: "unverified", error: errorMessage(err) });
    return out;
  }
  for (const sku of toSearch) {
    const variants = found.get(sku) ?? [];
    const only = variants.length === 1 ? variants[0] : undefined;
    if (only) {
      out.set(sku, { kind: "matched", variantId: only.id, inventoryItemId: only.inventoryItem.id, tracked: only.inventoryItem.tracked });
      await storeAutoMapping({ services, connectionId: connection.id, offerSku: sku, status: "MATCHED", variant: only });
    } else {
      out.set(sku, variants.length === 0 ? { kind: "unmapped" } : { kind: "ambiguous", variants: variants.length });
      await storeAutoMapping({ services, connectionId: connection.id, offerSku: sku, status: variants.length === 0 ? "UNMATCHED" : "AMBIGUOUS", variant: null });
    }
  }
  return out;
}

/** INSERT … ON CONFLICT that only ever touches AUTO rows: a merchant's MANUAL or CSV mapping is never overwritten. */
async function storeAutoMapping(input: { services: Services; connectionId: string; offerSku: string; status: "MATCHED" | "UNMATCHED" | "AMBIGUOUS"; variant: ShopifyVariant | null }): Promise<void> {
  const v = input.variant;
  await input.services.prisma.$executeRaw`
    INSERT INTO "SkuMapping" ("id", "connectionId", "offerSku", "shopifyVariantId", "shopifyInventoryItemId", "shopifySku", "productTitle",
      "source", "matchStatus", "tracked", "createdAt", "updatedAt")
    VALUES (gen_random_uuid()::text, ${input.connectionId}, ${input.offerSku}, ${v?.id ?? null}, ${v?.inventoryItem.id ?? null}, ${v?.sku ?? null},
      ${v ? v.displayName : null}, 'AUTO', ${input.status}, ${v?.inventoryItem.tracked ?? true}, now(), now())
    ON CONFLICT ("connectionId", "offerSku") DO UPDATE SET
      "shopifyVariantId" = EXCLUDED."shopifyVariantId", "shopifyInventoryItemId" = EXCLUDED."shopifyInventoryItemId",
      "shopifySku" = EXCLUDED."shopifySku", "productTitle" = EXCLUDED."productTitle", "matchStatus" = EXCLUDED."matchStatus",
      "tracked" = EXCLUDED."tracked", "updatedAt" = now()
    WHERE "SkuMapping"."source" = 'AUTO' AND "SkuMapping"."matchStatus" <> 'IGNORED'`;
}
