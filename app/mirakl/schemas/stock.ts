/** Stock-only imports: STO01 (201 `{ import_id }`, a string unlike OF01), STO02 status (seller-api-notes §2.4). */
import { z } from "zod";
import { dateTime, flag, id, loose, num, text } from "./primitives";

export const miraklStockImportCreatedSchema = loose({ import_id: id });

export const miraklStockImportStatusSchema = loose({
  import_id: id,
  shop_id: num.nullish(),
  date_created: dateTime.nullish(),
  // WAITING | RUNNING | COMPLETE | FAILED, as a string.
  status: text,
  lines_in_success: num.nullish(),
  lines_in_error: num.nullish(),
  has_error_report: flag.nullish(),
});

export type StockImportStatus = z.output<typeof miraklStockImportStatusSchema>;
