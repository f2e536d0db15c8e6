import type { MarketplaceConnection, SkuMapping } from "@prisma/client";
import type { Services } from "../../services.server";
import { logger } from "../../lib/logger";
import { NotFoundError } from "../../lib/errors";
import { findVariantsBySkus, getVariantsByIds, isGid, type ShopifyGid, type ShopifyVariant, type VariantMatch } from "../../shopify";
import { applyMappingEffects, type MappingEffects } from "./mapping-effects.server";
import { countMappings, raiseOrResolveUnmappedTask } from "./sync-catalogue.server";

const log = logger.child({ module: "sku-mapping" });

export interface VariantChoice {
  id: string;
  sku: string | null;
  displayName: string;
  productTitle: string;
  price: string;
}

/** What a mapping stores of the Shopify variant it is matched to (manual and CSV matching alike). */
export function variantFields(variant: VariantMatch): Pick<SkuMapping, "shopifyVariantId" | "shopifyInventoryItemId" | "shopifySku" | "productTitle" | "tracked"> {
  return {
    shopifyVariantId: variant.id,
    shopifyInventoryItemId: variant.inventoryItem.id,
    shopifySku: variant.sku,
    productTitle: variant.displayName,
    tracked: variant.inventoryItem.tracked,
  };
}

export function variantChoice(v: ShopifyVariant): VariantChoice {
  return { id: v.id, sku: v.sku, displayName: v.displayName, productTitle: v.product.title, price: v.price };
}

export type MapSkuResult =
  | { kind: "mapped"; mapping: SkuMapping; effects: MappingEffects }
  | { kind: "unchanged"; mapping: SkuMapping }
  | { kind: "unknown_offer"; offerSku: string }
  | { kind: "variant_not_found"; variantId: string }
  | { kind: "unknown_sku"; sku: string }
  | { kind: "ambiguous_sku"; sku: string; candidates: VariantChoice[] };

export async function getShopConnection({ services, shop, connectionId }: { services: Services; shop: string; connectionId: string }): Promise<MarketplaceConnection> {
  const connection = await services.prisma.marketplaceConnection.findFirst({ where: { id: connectionId, shop } });
  if (!connection) throw new NotFoundError("This marketplace connection does not exist (it may have been removed).", { connectionId });
  return connection;
}

/**
 * A person maps an offer SKU to a Shopify variant, by variant id (picked from a list) or by typing the variant's SKU.
 * The variant is checked in Shopify first: a mapping to a variant that does not exist would hold every order for it.
 * MANUAL (or CSV) mappings are never touched by the automatic matching again.
 */
export async function mapSku({
  services,
  shop,
  connectionId,
  offerSku,
  variantId,
  sku,
  source = "MANUAL",
}: {
  services: Services;
  shop: string;
  connectionId: string;
  offerSku: string;
  variantId?: string;
  sku?: string;
  source?: "MANUAL" | "CSV";
}): Promise<MapSkuResult> {
  const connection = await getShopConnection({ services, shop, connectionId });
  const row = await services.prisma.skuMapping.findUnique({ where: { connectionId_offerSku: { connectionId, offerSku } } });
  if (!row) return { kind: "unknown_offer", offerSku };
  const admin = await services.shopifyAdmin(shop);
  let variant: ShopifyVariant;
  if (variantId) {
    if (!isGid(variantId, "ProductVariant")) return { kind: "variant_not_found", variantId };
    const found = await getVariantsByIds({ client: admin, ids: [variantId as ShopifyGid] });
    const v = found.get(variantId as ShopifyGid);
    if (!v) return { kind: "variant_not_found", variantId };
    variant = v;
  } else {
    const wanted = (sku ?? "").trim();
    if (wanted === "") return { kind: "unknown_sku", sku: wanted };
    const found = (await findVariantsBySkus({ client: admin, skus: [wanted] })).get(wanted) ?? [];
    if (found.length === 0) return { kind: "unknown_sku", sku: wanted };
    if (found.length > 1) return { kind: "ambiguous_sku", sku: wanted, candidates: found.map(variantChoice) };
    variant = found[0]!;
  }
  if (row.matchStatus === "MATCHED" && row.shopifyVariantId === variant.id && row.source !== "AUTO") return { kind: "unchanged", mapping: row };
  const mapping = await services.prisma.skuMapping.update({
    where: { id: row.id },
    data: {
      source,
      matchStatus: "MATCHED",
      ...variantFields(variant),
    },
  });
  const effects = await applyMappingEffects({
    services,
    connection,
    changes: [{ mappingId: row.id, offerSku, before: row.matchStatus, after: "MATCHED", message: `Mapped ${source === "CSV" ? "by CSV import" : "by hand"} to Shopify SKU ${variant.sku ?? "(none)"} (${variant.displayName})` }],
    log,
  });
  await raiseOrResolveUnmappedTask({ services, connection, counts: await countMappings({ services, connectionId }), mode: "refresh" });
  log.info("sku mapped", { shop, connectionId, offerSku, variantId: variant.id, source });
  return { kind: "mapped", mapping, effects };
}

export type SetStatusResult = { kind: "updated"; mapping: SkuMapping } | { kind: "unchanged"; mapping: SkuMapping } | { kind: "unknown_offer"; offerSku: string };

/** Removes a mapping. The row becomes MANUAL so the daily auto-match does not put back what a person took away. */
export function unmapSku(input: { services: Services; shop: string; connectionId: string; offerSku: string }): Promise<SetStatusResult> {
  return setUnmapped({ ...input, status: "UNMATCHED", message: "Mapping removed by hand" });
}

/** An offer the merchant does not want linked (discontinued, sold elsewhere): no stock push, not counted as missing. */
export function ignoreSku(input: { services: Services; shop: string; connectionId: string; offerSku: string }): Promise<SetStatusResult> {
  return setUnmapped({ ...input, status: "IGNORED", message: "Ignored by hand: no stock is sent for this offer" });
}

async function setUnmapped({
  services,
  shop,
  connectionId,
  offerSku,
  status,
  message,
}: {
  services: Services;
  shop: string;
  connectionId: string;
  offerSku: string;
  status: "UNMATCHED" | "IGNORED";
  message: string;
}): Promise<SetStatusResult> {
  const connection = await getShopConnection({ services, shop, connectionId });
  const row = await services.prisma.skuMapping.findUnique({ where: { connectionId_offerSku: { connectionId, offerSku } } });
  if (!row) return { kind: "unknown_offer", offerSku };
  if (row.matchStatus === status && row.source !== "AUTO") return { kind: "unchanged", mapping: row };
  const mapping = await services.prisma.skuMapping.update({
    where: { id: row.id },
    data: { source: "MANUAL", matchStatus: status, shopifyVariantId: null, shopifyInventoryItemId: null, shopifySku: null, productTitle: null, tracked: true },
  });
  await applyMappingEffects({ services, connection, changes: [{ mappingId: row.id, offerSku, before: row.matchStatus, after: status, message }], log });
  await raiseOrResolveUnmappedTask({ services, connection, counts: await countMappings({ services, connectionId }), mode: "refresh" });
  return { kind: "updated", mapping };
}

/** Hands the SKU back to the automatic matching (and matches it now), undoing a manual unmap or ignore. */
export type ResetResult = { kind: "mapped"; mapping: SkuMapping; effects: MappingEffects } | { kind: "updated"; mapping: SkuMapping } | { kind: "unknown_offer"; offerSku: string };

export async function resetSkuToAutomatic({ services, shop, connectionId, offerSku }: { services: Services; shop: string; connectionId: string; offerSku: string }): Promise<ResetResult> {
  const connection = await getShopConnection({ services, shop, connectionId });
  const row = await services.prisma.skuMapping.findUnique({ where: { connectionId_offerSku: { connectionId, offerSku } } });
  if (!row) return { kind: "unknown_offer", offerSku };
  const admin = await services.shopifyAdmin(shop);
  const found = (await findVariantsBySkus({ client: admin, skus: [offerSku] })).get(offerSku) ?? [];
  const v = found.length === 1 ? found[0]! : null;
  const status = v ? "MATCHED" : found.length > 1 ? "AMBIGUOUS" : "UNMATCHED";
  const mapping = await services.prisma.skuMapping.update({
    where: { id: row.id },
    data: {
      source: "AUTO",
      matchStatus: status,
      shopifyVariantId: v?.id ?? null,
      shopifyInventoryItemId: v?.inventoryItem.id ?? null,
      shopifySku: v?.sku ?? null,
      productTitle: v?.displayName ?? null,
      tracked: v?.inventoryItem.tracked ?? true,
    },
  });
  const message = v ? `Matched automatically to Shopify SKU ${v.sku ?? offerSku} (${v.displayName})` : found.length > 1 ? `Automatic matching: ${found.length} Shopify variants have SKU ${offerSku}` : `Automatic matching: no Shopify variant has SKU ${offerSku}`;
  const effects = await applyMappingEffects({ services, connection, changes: [{ mappingId: row.id, offerSku, before: row.matchStatus, after: status, message }], log });
  await raiseOrResolveUnmappedTask({ services, connection, counts: await countMappings({ services, connectionId }), mode: "refresh" });
  return v ? { kind: "mapped", mapping, effects } : { kind: "updated", mapping };
}

/** Per-SKU safety stock (units held back from this marketplace); null = the marketplace's own buffer. */
export async function setSafetyStockOverride({
  services,
  shop,
  connectionId,
  offerSku,
  value,
}: {
  services: Services;
  shop: string;
  connectionId: string;
  offerSku: string;
  value: number | null;
}): Promise<SetStatusResult> {
  const connection = await getShopConnection({ services, shop, connectionId });
  const row = await services.prisma.skuMapping.findUnique({ where: { connectionId_offerSku: { connectionId, offerSku } } });
  if (!row) return { kind: "unknown_offer", offerSku };
  if (row.safetyStockOverride === value) return { kind: "unchanged", mapping: row };
  const mapping = await services.prisma.skuMapping.update({ where: { id: row.id }, data: { safetyStockOverride: value } });
  await applyMappingEffects({
    services,
    connection,
    changes: [{ mappingId: row.id, offerSku, before: row.matchStatus, after: row.matchStatus, release: false, kind: "safety_stock_override", message: value === null ? "Safety stock override removed: the marketplace's buffer applies" : `Safety stock override set to ${value}` }],
    log,
  });
  return { kind: "updated", mapping };
}
