import { formatRow, parseCsv, readCell, type CsvRecord } from "./csv";
import { isGid, toGid } from "../../shopify/gid";

/**
 * The SKU mapping file merchants export, edit in a spreadsheet and import back. The columns are the contract with
 * the merchant (the help text names them): keep them stable.
 */
export const MAPPING_CSV_COLUMNS = ["offer_sku", "offer_title", "shopify_sku", "shopify_variant_id", "status", "safety_stock_override"] as const;

export const MATCH_STATUSES = ["MATCHED", "UNMATCHED", "AMBIGUOUS", "IGNORED"] as const;
export type MatchStatus = (typeof MATCH_STATUSES)[number];

export interface MappingExportRow {
  offerSku: string;
  offerTitle: string | null;
  shopifySku: string | null;
  shopifyVariantId: string | null;
  matchStatus: string;
  safetyStockOverride: number | null;
}

export function mappingCsvHeader(): string {
  return formatRow(MAPPING_CSV_COLUMNS);
}

export function mappingCsvLine(r: MappingExportRow): string {
  return formatRow([r.offerSku, r.offerTitle, r.shopifySku, r.shopifyVariantId, r.matchStatus, r.safetyStockOverride]);
}

/**
 * What one valid row asks for. `clear` (both Shopify cells empty) unmaps a matched or ignored SKU and leaves an
 * unmatched or ambiguous one as it is, so re-importing an untouched export changes nothing. `keep` (a file without
 * Shopify columns) only changes the safety stock override.
 */
export type MappingRequest =
  | { kind: "variant"; variantId: string; expectSku: string | null }
  | { kind: "sku"; sku: string }
  | { kind: "ignore" }
  | { kind: "clear" }
  | { kind: "keep" };

export interface ParsedMappingRow {
  row: number;
  offerSku: string;
  request: MappingRequest;
  /** undefined = column absent (leave as is); null = empty cell (use the marketplace's buffer). */
  safetyStockOverride: number | null | undefined;
}

export type RowErrorCode = "malformed_row" | "duplicate_row" | "unknown_offer_sku" | "unknown_shopify_sku" | "ambiguous_shopify_sku" | "unknown_variant";

export interface RowError {
  row: number;
  offerSku: string | null;
  code: RowErrorCode;
  message: string;
}

export type ParseMappingCsvResult =
  | { kind: "parsed"; rows: ParsedMappingRow[]; errors: RowError[]; dataRows: number }
  | { kind: "invalid_file"; message: string };

/** Larger files are a job for the catalogue sync (auto-match), not a browser upload. */
export const MAX_IMPORT_ROWS = 50_000;

/**
 * Structural checks only (columns, values, duplicates). Whether the offer and the Shopify SKU exist is decided by
 * importMappingCsv, which asks the database and Shopify once for the whole file.
 */
export function parseMappingCsv(text: string): ParseMappingCsvResult {
  if (text.trim() === "") return { kind: "invalid_file", message: "The file is empty." };
  const records = parseCsv(text);
  const [head, ...body] = records;
  if (!head) return { kind: "invalid_file", message: "The file is empty." };
  const headers = head.cells.map((h) => readCell(h).toLowerCase().replace(/[\s-]+/g, "_"));
  const col = (name: (typeof MAPPING_CSV_COLUMNS)[number]) => headers.indexOf(name);
  if (col("offer_sku") < 0) {
    return { kind: "invalid_file", message: `The first row must name the columns, including offer_sku (expected: ${MAPPING_CSV_COLUMNS.join(", ")}).` };
  }
  if (col("shopify_sku") < 0 && col("shopify_variant_id") < 0 && col("status") < 0 && col("safety_stock_override") < 0) {
    return { kind: "invalid_file", message: "The file has no column to import: add shopify_sku, shopify_variant_id, status or safety_stock_override." };
  }
  if (body.length > MAX_IMPORT_ROWS) {
    return { kind: "invalid_file", message: `The file has ${body.length} rows; import at most ${MAX_IMPORT_ROWS} at a time (split it).` };
  }

  const rows: ParsedMappingRow[] = [];
  const errors: RowError[] = [];
  const firstRowOf = new Map<string, number>();
  for (const rec of body) {
    const parsed = parseRow(rec, headers, col);
    if ("code" in parsed) {
      errors.push(parsed);
      continue;
    }
    const earlier = firstRowOf.get(parsed.offerSku);
    if (earlier !== undefined) {
      errors.push({ row: rec.row, offerSku: parsed.offerSku, code: "duplicate_row", message: `Offer SKU ${parsed.offerSku} is already on row ${earlier}; this row was skipped.` });
      continue;
    }
    firstRowOf.set(parsed.offerSku, rec.row);
    rows.push(parsed);
  }
  return { kind: "parsed", rows, errors, dataRows: body.length };
}

function parseRow(rec: CsvRecord, headers: string[], col: (name: (typeof MAPPING_CSV_COLUMNS)[number]) => number): ParsedMappingRow | RowError {
  const cell = (name: (typeof MAPPING_CSV_COLUMNS)[number]): string | undefined => {
    const i = col(name);
    return i < 0 ? undefined : readCell(rec.cells[i] ?? "");
  };
  const offerSku = cell("offer_sku") ?? "";
  const malformed = (message: string): RowError => ({ row: rec.row, offerSku: offerSku || null, code: "malformed_row", message });
  if (rec.problem) return malformed(`This row is not valid CSV: ${rec.problem}.`);
  if (rec.cells.length !== headers.length) {
    return malformed(`This row has ${rec.cells.length} columns but the header has ${headers.length} (a stray separator or a missing quote?).`);
  }
  if (offerSku === "") return malformed("offer_sku is empty.");

  const statusText = (cell("status") ?? "").toUpperCase();
  if (statusText !== "" && !(MATCH_STATUSES as readonly string[]).includes(statusText)) {
    return malformed(`status "${cell("status")}" is not one of ${MATCH_STATUSES.join(", ")} (or empty).`);
  }

  const overrideText = cell("safety_stock_override");
  let safetyStockOverride: number | null | undefined;
  if (overrideText === undefined) safetyStockOverride = undefined;
  else if (overrideText === "") safetyStockOverride = null;
  else if (/^\d{1,6}$/.test(overrideText)) safetyStockOverride = Number(overrideText);
  else return malformed(`safety_stock_override "${overrideText}" must be a whole number of units (0 or more), or empty to use the marketplace's buffer.`);

  const variantText = cell("shopify_variant_id") ?? "";
  const skuText = cell("shopify_sku") ?? "";
  let request: MappingRequest;
  if (statusText === "IGNORED") {
    request = { kind: "ignore" };
  } else if (variantText !== "") {
    let variantId: string;
    if (isGid(variantText, "ProductVariant")) variantId = variantText;
    else if (/^\d+$/.test(variantText)) variantId = toGid("ProductVariant", variantText);
    else return malformed(`shopify_variant_id "${variantText}" is neither a variant GID (gid://shopify/ProductVariant/…) nor a numeric id.`);
    request = { kind: "variant", variantId, expectSku: skuText === "" ? null : skuText };
  } else if (skuText !== "") {
    request = { kind: "sku", sku: skuText };
  } else if (statusText === "MATCHED") {
    return malformed("status is MATCHED but shopify_sku and shopify_variant_id are both empty: say which Shopify variant it is.");
  } else if (statusText === "" && col("shopify_sku") < 0 && col("shopify_variant_id") < 0) {
    // A file with only offer_sku + safety_stock_override changes the override, never the mapping.
    request = { kind: "keep" };
  } else {
    request = { kind: "clear" };
  }
  return { row: rec.row, offerSku, request, safetyStockOverride };
}
