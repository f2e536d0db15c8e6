import type { SkuMapping } from "@prisma/client";
import type { Services } from "../../services.server";
import { logger } from "../../lib/logger";
import { findVariantMatchesBySkus, getVariantsByIds, type ShopifyGid, type VariantMatch } from "../../shopify";
import { recordEvent } from "../timeline.server";
import { applyMappingEffects, type MappingChange } from "./mapping-effects.server";
import { mappingCsvHeader, mappingCsvLine, parseMappingCsv, type ParsedMappingRow, type RowError } from "./mapping-csv";
import { getShopConnection, variantFields } from "./mapping.server";
import { countMappings, raiseOrResolveUnmappedTask } from "./sync-catalogue.server";

const log = logger.child({ module: "sku-mapping-csv" });

export type ImportMappingCsvResult =
  | { kind: "invalid_file"; message: string }
  | { kind: "imported"; dataRows: number; applied: number; unchanged: number; errors: RowError[]; released: number; releaseErrors: string[] };

type Planned = { row: ParsedMappingRow; current: SkuMapping; data: Partial<SkuMapping>; change: MappingChange };

/**
 * Applies the valid rows of a mapping CSV and reports the others with their row numbers. Shopify is asked once for the
 * whole file (variants by id, variants by SKU, chunked), so a 5,000-row file costs a few dozen calls, not 5,000.
 * Rows that would change nothing (an untouched export) are counted, not written, so re-importing an export is a no-op.
 */
export async function importMappingCsv({ services, shop, connectionId, text }: { services: Services; shop: string; connectionId: string; text: string }): Promise<ImportMappingCsvResult> {
  const connection = await getShopConnection({ services, shop, connectionId });
  const parsed = parseMappingCsv(text);
  if (parsed.kind === "invalid_file") return parsed;
  const errors: RowError[] = [...parsed.errors];

  const existing = new Map<string, SkuMapping>();
  const offerSkus = parsed.rows.map((r) => r.offerSku);
  for (let i = 0; i < offerSkus.length; i += 1_000) {
    const rows = await services.prisma.skuMapping.findMany({ where: { connectionId, offerSku: { in: offerSkus.slice(i, i + 1_000) } } });
    for (const r of rows) existing.set(r.offerSku, r);
  }
  const known = parsed.rows.filter((r) => {
    if (existing.has(r.offerSku)) return true;
    errors.push({ row: r.row, offerSku: r.offerSku, code: "unknown_offer_sku", message: `${connection.name} has no offer with SKU ${r.offerSku} (sync the offers first if it is new).` });
    return false;
  });

  // A row naming the variant the offer is already mapped to changes nothing: no Shopify lookup for it, so re-importing
  // a 5,000-row export costs no Shopify points at all (a lookup is ~3 points a variant, notes §4.8).
  const alreadyMapped = (r: ParsedMappingRow): boolean => {
    const current = existing.get(r.offerSku);
    if (!current || current.matchStatus !== "MATCHED") return false;
    if (r.request.kind === "variant") return current.shopifyVariantId === r.request.variantId && (r.request.expectSku === null || r.request.expectSku === current.shopifySku);
    if (r.request.kind === "sku") return current.shopifySku === r.request.sku;
    return false;
  };
  const toLookUp = known.filter((r) => !alreadyMapped(r));
  const wantIds = [...new Set(toLookUp.flatMap((r) => (r.request.kind === "variant" ? [r.request.variantId] : [])))];
  const wantSkus = [...new Set(toLookUp.flatMap((r) => (r.request.kind === "sku" ? [r.request.sku] : [])))];
  let byId = new Map<ShopifyGid, VariantMatch>();
  let bySku = new Map<string, VariantMatch[]>();
  if (wantIds.length > 0 || wantSkus.length > 0) {
    const admin = await services.shopifyAdmin(shop);
    if (wantIds.length > 0) byId = await getVariantsByIds({ client: admin, ids: wantIds as ShopifyGid[] });
    if (wantSkus.length > 0) bySku = await findVariantMatchesBySkus({ client: admin, skus: wantSkus });
  }

  const planned: Planned[] = [];
  let unchanged = 0;
  for (const r of known) {
    const current = existing.get(r.offerSku)!;
    const err = (code: RowError["code"], message: string) => errors.push({ row: r.row, offerSku: r.offerSku, code, message });
    let data: Partial<SkuMapping> = {};
    let message = "";
    let variant: VariantMatch | null = null;
    const req = r.request;
    if (alreadyMapped(r)) {
      // Same variant as now: only the safety stock override below may change.
    } else if (req.kind === "variant") {
      const v = byId.get(req.variantId as ShopifyGid);
      if (!v) {
        err("unknown_variant", `No Shopify variant has id ${req.variantId} (deleted, or from another shop?).`);
        continue;
      }
      if (req.expectSku !== null && v.sku !== req.expectSku) {
        err("malformed_row", `shopify_sku ${req.expectSku} does not match variant ${req.variantId}, whose SKU is ${v.sku ?? "(empty)"}: fix one of the two.`);
        continue;
      }
      variant = v;
    } else if (req.kind === "sku") {
      const found = bySku.get(req.sku) ?? [];
      if (found.length === 0) {
        err("unknown_shopify_sku", `No Shopify variant has SKU ${req.sku}.`);
        continue;
      }
      if (found.length > 1) {
        err("ambiguous_shopify_sku", `${found.length} Shopify variants have SKU ${req.sku} (${found.map((v) => `${v.displayName}: ${v.id}`).join("; ")}): put the one you mean in shopify_variant_id.`);
        continue;
      }
      variant = found[0]!;
    }
    let after = current.matchStatus;
    if (variant) {
      if (!(current.matchStatus === "MATCHED" && current.shopifyVariantId === variant.id)) {
        after = "MATCHED";
        data = {
          source: "CSV",
          matchStatus: "MATCHED",
          ...variantFields(variant),
        };
        message = `Mapped by CSV import to Shopify SKU ${variant.sku ?? "(none)"} (${variant.displayName})`;
      }
    } else if (req.kind === "ignore" && current.matchStatus !== "IGNORED") {
      after = "IGNORED";
      data = { source: "CSV", matchStatus: "IGNORED", shopifyVariantId: null, shopifyInventoryItemId: null, shopifySku: null, productTitle: null, tracked: true };
      message = "Ignored by CSV import: no stock is sent for this offer";
    } else if (req.kind === "clear" && (current.matchStatus === "MATCHED" || current.matchStatus === "IGNORED")) {
      after = "UNMATCHED";
      data = { source: "CSV", matchStatus: "UNMATCHED", shopifyVariantId: null, shopifyInventoryItemId: null, shopifySku: null, productTitle: null, tracked: true };
      message = "Mapping removed by CSV import";
    }
    if (r.safetyStockOverride !== undefined && r.safetyStockOverride !== current.safetyStockOverride) {
      data.safetyStockOverride = r.safetyStockOverride;
      const text = r.safetyStockOverride === null ? "safety stock override removed" : `safety stock override ${r.safetyStockOverride}`;
      message = message ? `${message}; ${text}` : `CSV import: ${text}`;
    }
    if (Object.keys(data).length === 0) {
      unchanged++;
      continue;
    }
    planned.push({ row: r, current, data, change: { mappingId: current.id, offerSku: r.offerSku, before: current.matchStatus, after, message, release: after === "MATCHED" && !!variant } });
  }

  // A person's file is the latest word on each row (last write wins, like the screen); one short write per row.
  for (const p of planned) await services.prisma.skuMapping.update({ where: { id: p.current.id }, data: p.data });
  const effects = await applyMappingEffects({ services, connection, changes: planned.map((p) => p.change), log });
  await raiseOrResolveUnmappedTask({ services, connection, counts: await countMappings({ services, connectionId }), mode: "refresh" });
  errors.sort((a, b) => a.row - b.row);
  await recordEvent(services.prisma, {
    shop,
    connectionId,
    entityType: "connection",
    entityId: connectionId,
    kind: "sku_csv_imported",
    level: errors.length > 0 ? "warning" : "success",
    message: `SKU mapping CSV imported: ${planned.length} rows applied, ${unchanged} unchanged, ${errors.length} with errors`,
    data: { dataRows: parsed.dataRows, applied: planned.length, unchanged, errors: errors.length },
  });
  log.info("mapping csv imported", { shop, connectionId, applied: planned.length, unchanged, errors: errors.length });
  return { kind: "imported", dataRows: parsed.dataRows, applied: planned.length, unchanged, errors, released: effects.released, releaseErrors: effects.releaseErrors };
}

const EXPORT_ORDER = ["UNMATCHED", "AMBIGUOUS", "MATCHED", "IGNORED"] as const;

/**
 * The whole mapping as CSV lines (header first), read in pages so a 100,000-offer marketplace streams in constant
 * memory. Rows needing a mapping come first: that is what the merchant opens the file for.
 */
export async function* exportMappingCsv({ services, shop, connectionId }: { services: Services; shop: string; connectionId: string }): AsyncGenerator<string, void, undefined> {
  await getShopConnection({ services, shop, connectionId });
  yield mappingCsvHeader() + "\r\n";
  for (const status of EXPORT_ORDER) {
    let after = "";
    for (;;) {
      const rows = await services.prisma.skuMapping.findMany({
        where: { connectionId, matchStatus: status, offerSku: { gt: after } },
        orderBy: { offerSku: "asc" },
        take: 1_000,
        select: { offerSku: true, offerTitle: true, shopifySku: true, shopifyVariantId: true, matchStatus: true, safetyStockOverride: true },
      });
      if (rows.length === 0) break;
      yield rows.map((r) => mappingCsvLine(r) + "\r\n").join("");
      after = rows[rows.length - 1]!.offerSku;
      if (rows.length < 1_000) break;
    }
  }
}
