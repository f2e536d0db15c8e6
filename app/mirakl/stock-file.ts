/**
 * The STO01 stock file and the STO03 error report.
 *
 * STO01 takes a CSV `"offer-sku";"quantity";"warehouse-code";"update-delete"` (spec STO01 `file` part): one line per
 * offer, or per offer and warehouse with the lines of one offer kept together; no warehouse-code means a global
 * quantity. We write the warehouse-code column only when a line uses it, so a global-stock seller sends the
 * simplest file Mirakl accepts. STO03 returns the failing lines with the line number and the reason (first two
 * columns per the spec, `error-line`/`error-message` in Mirakl's other reports): we read both layouts and either
 * delimiter.
 *
 * The file is written in the tenant's delimiter (PC01 operator_csv_delimiter): Mirakl reads an import with that one
 * only, and a file in the other has no readable header, so the whole import fails.
 */
import { ValidationError } from "../lib/errors";
import { formatCsvRow, parseCsvRecords, type CsvDelimiter } from "./csv";

export interface StockLine {
  /** The seller's offer SKU (Mirakl `shop_sku` / `offer-sku`). */
  offerSku: string;
  /** Absolute quantity to set (not a delta), an integer ≥ 0. */
  quantity: number;
  /** Only for per-warehouse stock; omit for the offer's global quantity. */
  warehouseCode?: string;
}

export function buildStockCsv(input: { lines: readonly StockLine[]; delimiter: CsvDelimiter }): string {
  const { lines, delimiter } = input;
  if (lines.length === 0) throw new ValidationError("A stock import needs at least one line.");
  if (delimiter !== ";" && delimiter !== ",") throw new ValidationError('A stock file\'s delimiter must be ";" or ",".', { delimiter });
  const seen = new Set<string>();
  const order: string[] = [];
  const bySku = new Map<string, StockLine[]>();
  lines.forEach((line, index) => {
    if (typeof line.offerSku !== "string" || line.offerSku.trim() === "") {
      throw new ValidationError("A stock line has no offer SKU.", { index });
    }
    if (/[\r\n]/.test(line.offerSku) || (line.warehouseCode !== undefined && /[\r\n]/.test(line.warehouseCode))) {
      throw new ValidationError("An offer SKU or warehouse code contains a line break.", { index, offerSku: line.offerSku });
    }
    if (!Number.isInteger(line.quantity) || line.quantity < 0) {
      throw new ValidationError("A stock quantity must be a whole number, zero or more.", { index, offerSku: line.offerSku, quantity: line.quantity });
    }
    const dedupeKey = `${line.offerSku}\u0000${line.warehouseCode ?? ""}`;
    if (seen.has(dedupeKey)) {
      throw new ValidationError("The same offer (and warehouse) appears twice in one stock import.", {
        offerSku: line.offerSku,
        warehouseCode: line.warehouseCode,
      });
    }
    seen.add(dedupeKey);
    const group = bySku.get(line.offerSku);
    if (group) group.push(line);
    else {
      bySku.set(line.offerSku, [line]);
      order.push(line.offerSku);
    }
  });
  const withWarehouse = lines.some((l) => l.warehouseCode !== undefined && l.warehouseCode !== "");
  const header = withWarehouse ? ["offer-sku", "quantity", "warehouse-code"] : ["offer-sku", "quantity"];
  const out = [formatCsvRow(header, delimiter)];
  // Lines of one offer together, as STO01 asks for per-warehouse quantities.
  for (const sku of order) {
    for (const line of bySku.get(sku) ?? []) {
      const fields = [line.offerSku, String(line.quantity)];
      if (withWarehouse) fields.push(line.warehouseCode ?? "");
      out.push(formatCsvRow(fields, delimiter));
    }
  }
  return out.join("\n") + "\n";
}

export interface StockErrorRow {
  offerSku: string | null;
  quantity: number | null;
  warehouseCode: string | null;
  /** Line number in the submitted file, when Mirakl gives it. */
  errorLine: number | null;
  errorMessage: string;
  /** Every column as Mirakl sent it (header names lower-cased). */
  raw: Record<string, string>;
}

const SKU_HEADERS = ["offer-sku", "offer_sku", "sku", "shop-sku", "shop_sku"];
const QUANTITY_HEADERS = ["quantity"];
const WAREHOUSE_HEADERS = ["warehouse-code", "warehouse_code"];
const LINE_HEADERS = ["error-line", "error_line", "line", "line-number", "error-line-number"];
const MESSAGE_HEADERS = ["error-message", "error_message", "error", "message", "errors", "error-reason"];

function pick(rec: Record<string, string>, names: readonly string[]): string | undefined {
  for (const n of names) if (n in rec) return rec[n];
  return undefined;
}

function toNumber(v: string | undefined): number | null {
  if (v === undefined || v.trim() === "") return null;
  const n = Number(v.trim());
  return Number.isFinite(n) ? n : null;
}

export function parseStockErrorReport(input: { csv: string }): StockErrorRow[] {
  const { headers, records } = parseCsvRecords({ text: input.csv });
  if (headers.length === 0) return [];
  const hasLine = LINE_HEADERS.some((h) => headers.includes(h));
  const hasMessage = MESSAGE_HEADERS.some((h) => headers.includes(h));
  // STO03: "The first column contains the line number in error. The second column contains the error reason."
  const lineHeader = hasLine ? undefined : headers[0];
  const messageHeader = hasMessage ? undefined : headers[1];
  return records
    .map((rec) => {
      const line = hasLine ? pick(rec, LINE_HEADERS) : lineHeader === undefined ? undefined : rec[lineHeader];
      const message = hasMessage ? pick(rec, MESSAGE_HEADERS) : messageHeader === undefined ? undefined : rec[messageHeader];
      const sku = pick(rec, SKU_HEADERS);
      const warehouse = pick(rec, WAREHOUSE_HEADERS);
      return {
        offerSku: sku === undefined || sku === "" ? null : sku,
        quantity: toNumber(pick(rec, QUANTITY_HEADERS)),
        warehouseCode: warehouse === undefined || warehouse === "" ? null : warehouse,
        errorLine: toNumber(line),
        errorMessage: (message ?? "").trim(),
        raw: rec,
      };
    })
    .filter((r) => r.offerSku !== null || r.errorMessage !== "" || r.errorLine !== null);
}
