import type { StockErrorRow } from "../../mirakl";

/**
 * Ties STO03 error-report rows back to the offer SKUs of the file we sent. Mirakl echoes the failing line's columns
 * after `error-line;error-message` (seller-api-notes §2.4 STO03/OF03), so the SKU is usually there; when only the
 * line number is given, line 1 is the header and line n is our (n-1)th data line.
 */
export interface SentLine {
  offerSku: string;
  quantity: number;
}

export interface MatchedErrors {
  bySku: Map<string, string>;
  /** Rows we could not tie to a SKU of the file (reported on the import as they are). */
  unmatched: StockErrorRow[];
}

export function matchErrorRows({ lines, rows }: { lines: readonly SentLine[]; rows: readonly StockErrorRow[] }): MatchedErrors {
  const sent = new Set(lines.map((l) => l.offerSku));
  const bySku = new Map<string, string>();
  const unmatched: StockErrorRow[] = [];
  for (const row of rows) {
    const message = row.errorMessage || "Mirakl refused this line without saying why";
    let sku: string | undefined;
    if (row.offerSku !== null && sent.has(row.offerSku)) sku = row.offerSku;
    else if (row.errorLine !== null && Number.isInteger(row.errorLine) && row.errorLine >= 2) sku = lines[row.errorLine - 2]?.offerSku;
    if (sku === undefined) unmatched.push(row);
    else if (!bySku.has(sku)) bySku.set(sku, message);
  }
  return { bySku, unmatched };
}
