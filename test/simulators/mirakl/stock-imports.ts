/**
 * STO01 stock-only imports (notes §2.4): the file is accepted at once (201 + import_id) and processed later,
 * WAITING → RUNNING → COMPLETE, so clients must poll STO02 (notes §5 gotcha 12). Bad lines do not fail the
 * import; they end up in the STO03 error report with error-line and error-message first.
 *
 * The file is read with the tenant's delimiter only (PC01 operator_csv_delimiter, `tenant.csvDelimiter`), as Mirakl
 * reads imports: a file in the other delimiter has a one-column header without offer-sku/quantity, so the whole
 * import FAILS; a line in the other delimiter under a readable header does not reach the quantity column and is
 * an error-report line.
 */
import { isoDate } from "./money";
import { parseCsv, toCsvLine } from "./csv";
import { badRequest } from "./sim-errors";
import { findOffer, type SimState } from "./sim-state";
import type { SimStockImport } from "./types";

const SKU_COLUMN = "offer-sku";
const QUANTITY_COLUMN = "quantity";

export function createStockImport({ state, shopId, csv, at }: { state: SimState; shopId: number; csv: string; at: number }): SimStockImport {
  const rows = parseCsv({ text: csv, delimiter: state.tenant.csvDelimiter }).filter((r) => r.some((v) => v.trim() !== ""));
  const header = rows[0];
  if (!header) throw badRequest("The file is empty.");
  const imp: SimStockImport = {
    id: String(++state.counters.stockImport),
    shopId,
    createdAt: at,
    status: "WAITING",
    header: header.map((h) => h.trim().toLowerCase()),
    rows: rows.slice(1).map((raw, i) => ({ line: i + 2, raw })),
    linesInSuccess: 0,
    linesInError: 0,
    errorReport: null,
    reasonStatus: null,
  };
  state.stockImports.set(imp.id, imp);
  state.scheduler.schedule({ at: at + state.tenant.importWaitMs, event: { kind: "import-start", importId: imp.id } });
  state.scheduler.schedule({ at: at + state.tenant.importWaitMs + state.tenant.importRunMs, event: { kind: "import-complete", importId: imp.id } });
  return imp;
}

export function startStockImport({ state, importId }: { state: SimState; importId: string }): void {
  const imp = state.stockImports.get(importId);
  if (imp && imp.status === "WAITING") imp.status = "RUNNING";
}

export function completeStockImport({ state, importId, at }: { state: SimState; importId: string; at: number }): void {
  const imp = state.stockImports.get(importId);
  if (!imp || imp.status === "COMPLETE" || imp.status === "FAILED") return;
  const skuAt = imp.header.indexOf(SKU_COLUMN);
  const qtyAt = imp.header.indexOf(QUANTITY_COLUMN);
  const whAt = imp.header.indexOf("warehouse-code");
  const udAt = imp.header.indexOf("update-delete");
  if (skuAt < 0 || qtyAt < 0) {
    imp.status = "FAILED";
    imp.reasonStatus = `The file header must contain the columns "${SKU_COLUMN}" and "${QUANTITY_COLUMN}" separated by "${state.tenant.csvDelimiter}".`;
    return;
  }
  const seen = new Set<string>();
  const errors: Array<{ line: number; message: string; raw: string[] }> = [];
  for (const row of imp.rows) {
    const sku = (row.raw[skuAt] ?? "").trim();
    const qtyText = (row.raw[qtyAt] ?? "").trim();
    const warehouse = whAt >= 0 ? (row.raw[whAt] ?? "").trim() : "";
    const updateDelete = udAt >= 0 ? (row.raw[udAt] ?? "").trim().toLowerCase() : "";
    let message: string | null = null;
    const offer = sku ? findOffer({ state, shopId: imp.shopId, sku }) : undefined;
    if (row.raw.length <= Math.max(skuAt, qtyAt)) {
      message = `The line has ${row.raw.length} column(s) where the header has ${imp.header.length}: fields must be separated by "${state.tenant.csvDelimiter}".`;
    } else if (!sku) message = `The column ${SKU_COLUMN} is mandatory.`;
    else if (seen.has(sku)) message = `The offer '${sku}' appears more than once in the file.`;
    else if (!offer || offer.deleted) message = `The offer with SKU '${sku}' does not exist.`;
    else if (warehouse) message = `The warehouse '${warehouse}' does not exist for this shop.`;
    else if (updateDelete && updateDelete !== "update") message = `The value '${updateDelete}' is not allowed in update-delete for a stock import.`;
    else if (!/^\d+$/.test(qtyText) || Number(qtyText) > 2_147_483_647) message = `The quantity '${qtyText}' is invalid: it must be a positive integer.`;
    if (sku) seen.add(sku);
    if (message || !offer) {
      errors.push({ line: row.line, message: message ?? "Unknown error", raw: row.raw });
      continue;
    }
    offer.quantity = Number(qtyText);
    offer.updatedAt = at;
  }
  imp.linesInError = errors.length;
  imp.linesInSuccess = imp.rows.length - errors.length;
  imp.status = "COMPLETE";
  if (errors.length > 0) {
    const d = state.tenant.csvDelimiter;
    imp.errorReport = [
      toCsvLine({ values: ["error-line", "error-message", ...imp.header], delimiter: d }),
      ...errors.map((e) => toCsvLine({ values: [e.line, e.message, ...e.raw], delimiter: d })),
    ].join("\n") + "\n";
  }
}

export function renderStockImport({ imp }: { imp: SimStockImport }): Record<string, unknown> {
  return {
    date_created: isoDate(imp.createdAt),
    has_error_report: imp.errorReport !== null,
    import_id: imp.id,
    lines_in_error: imp.linesInError,
    lines_in_success: imp.linesInSuccess,
    shop_id: imp.shopId,
    status: imp.status,
  };
}
