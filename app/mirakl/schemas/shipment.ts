/** Multi-shipment (ST01, ST11, ST23, ST24; seller-api-notes §2.2). Batch calls answer 200/201 with per-item errors. */
import { z } from "zod";
import { dateTime, id, list, loose, num, text } from "./primitives";

export const miraklShipmentTrackingSchema = loose({
  carrier_code: text.nullish(),
  carrier_name: text.nullish(),
  carrier_standard_code: text.nullish(),
  tracking_number: text.nullish(),
  tracking_url: text.nullish(),
  // MISSING_TRACKING | UNVERIFIED | UNCOVERED | INVALID | VERIFIED, as a string.
  validity_status: text.nullish(),
});

export const miraklShipmentSchema = loose({
  id: id,
  order_id: id.nullish(),
  // SHIPPING, SHIPPED, TO_COLLECT, ... as a string.
  status: text.nullish(),
  status_customer_debit: text.nullish(),
  shipment_lines: list(
    loose({
      order_line_id: id.nullish(),
      offer_sku: id.nullish(),
      quantity: num.nullish(),
      package_reference: text.nullish(),
    }),
  ),
  tracking: miraklShipmentTrackingSchema.nullish(),
  invoice_reference: text.nullish(),
  created_date: dateTime.nullish(),
  last_updated_date: dateTime.nullish(),
  shipped_date: dateTime.nullish(),
});

export const miraklShipmentErrorSchema = loose({ order_id: id.nullish(), id: id.nullish(), message: text.nullish() });

export const miraklCreateShipmentsResponseSchema = loose({
  shipment_success: list(miraklShipmentSchema),
  shipment_errors: list(miraklShipmentErrorSchema),
});

export const miraklShipmentBatchResponseSchema = loose({
  shipment_success: list(loose({ id: id })),
  shipment_errors: list(miraklShipmentErrorSchema),
});

export const miraklShipmentPageSchema = loose({
  data: z.array(miraklShipmentSchema),
  next_page_token: text.nullish(),
  previous_page_token: text.nullish(),
});

export type MiraklShipment = z.output<typeof miraklShipmentSchema>;
export type MiraklShipmentError = z.output<typeof miraklShipmentErrorSchema>;
