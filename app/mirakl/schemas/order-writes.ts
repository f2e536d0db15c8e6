/** Responses of the order write operations that answer with a body: OR28, OR30 (200 with created objects), OR04. */
import { z } from "zod";
import { dateTime, id, list, loose, num, text } from "./primitives";
import { miraklFeeSchema, miraklTaxSchema } from "./order";

export const miraklCreatedRefundSchema = loose({
  refund_id: id,
  // Groups the refunds created by one OR28 call (§2.1).
  order_refund_id: id.nullish(),
  order_line_id: id,
  amount: num.nullish(),
  shipping_amount: num.nullish(),
  quantity: num.nullish(),
  reason_code: id.nullish(),
  currency_iso_code: text.nullish(),
  taxes: list(miraklTaxSchema),
  shipping_taxes: list(miraklTaxSchema),
  fees: list(miraklFeeSchema),
});

export const miraklRefundResultSchema = loose({
  order_tax_mode: text.nullish(),
  refunds: z.array(miraklCreatedRefundSchema),
});

export const miraklCreatedCancelationSchema = loose({
  cancelation_id: id,
  order_line_id: id,
  amount: num.nullish(),
  shipping_amount: num.nullish(),
  quantity: num.nullish(),
  reason_code: id.nullish(),
  currency_iso_code: text.nullish(),
  taxes: list(miraklTaxSchema),
  shipping_taxes: list(miraklTaxSchema),
  fees: list(miraklFeeSchema),
});

export const miraklCancelationResultSchema = loose({
  order_tax_mode: text.nullish(),
  cancelations: z.array(miraklCreatedCancelationSchema),
});

export const miraklOrderUpdateErrorSchema = loose({ code: text.nullish(), field: text.nullish(), message: text.nullish() });

export const miraklUpdatedOrderSchema = loose({
  order_id: id,
  errors: list(miraklOrderUpdateErrorSchema),
  updated: loose({
    references: loose({ order_reference_for_seller: text.nullish() }).nullish(),
    last_updated_date: dateTime.nullish(),
  }).nullish(),
});

export const miraklUpdateOrdersResultSchema = loose({ updated_orders: list(miraklUpdatedOrderSchema) });

export type MiraklCreatedRefund = z.output<typeof miraklCreatedRefundSchema>;
export type MiraklRefundResult = z.output<typeof miraklRefundResultSchema>;
export type MiraklCreatedCancelation = z.output<typeof miraklCreatedCancelationSchema>;
export type MiraklCancelationResult = z.output<typeof miraklCancelationResultSchema>;
export type MiraklUpdatedOrder = z.output<typeof miraklUpdatedOrderSchema>;
