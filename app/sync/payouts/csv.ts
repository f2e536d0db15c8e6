/**
 * The payout detail as CSV for finance: one row per Mirakl order, amounts as plain decimals (a `.` separator,
 * no currency symbol, negative = money the marketplace kept) with the currency in its own column, so a
 * spreadsheet sums them without cleaning.
 */
import { centsToDecimal } from "../orders/money";
import type { OrderRow } from "./matching";
import { payoutStateLabel } from "./payout-state";

export const PAYOUT_CSV_COLUMNS = [
  "payout_reference",
  "payout_date",
  "payout_state",
  "marketplace",
  "mirakl_order_id",
  "shopify_order",
  "matched",
  "gross_sales",
  "commission",
  "refunds",
  "commission_refunded",
  "fees_and_other",
  "net_paid",
  "currency",
] as const;

export interface PayoutCsvMeta {
  /** Mirakl's payout reference (payoutReference in sync.server.ts), not the screen's "no. …" title. */
  reference: string;
  date: Date | null;
  /** Mirakl's pay_out.state; written with the screen's label ("To be paid"). */
  state: string | null;
  marketplace: string;
  currency: string | null;
}

/** RFC 4180 quoting, and a leading `'` on text a spreadsheet would run as a formula (=, +, -, @). */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) && !/^-?\d+(\.\d+)?$/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

export function payoutCsv(meta: PayoutCsvMeta, orders: readonly OrderRow[]): string {
  const lines = [PAYOUT_CSV_COLUMNS.join(",")];
  for (const o of orders) {
    const cells = [
      meta.reference,
      meta.date ? meta.date.toISOString().slice(0, 10) : "",
      payoutStateLabel(meta.state) ?? "",
      meta.marketplace,
      o.miraklOrderId,
      o.shopifyOrderName ?? "",
      o.shopifyOrderId ? "yes" : "no",
      centsToDecimal(o.gross),
      centsToDecimal(o.commission),
      centsToDecimal(o.refunds),
      centsToDecimal(o.commissionRefunded),
      centsToDecimal(o.other),
      centsToDecimal(o.net),
      meta.currency ?? "",
    ];
    lines.push(cells.map(csvCell).join(","));
  }
  return lines.join("\r\n") + "\r\n";
}
