/**
 * OR11 order and order line, seller view (seller-api-notes §3). Only what the integration cannot work without is
 * required (order id and state, line id, state, offer SKU, quantity, price); everything else is nullish and unknown
 * fields pass through.
 */
import { z } from "zod";
import { dateTime, flag, id, list, loose, num, text } from "./primitives";

export const miraklTaxSchema = loose({
  code: id,
  amount: num.nullish(),
  rate: num.nullish(),
  tax_calculation_rule: text.nullish(),
});

export const miraklFeeSchema = loose({ code: id.nullish(), amount: num.nullish() });

export const miraklAddressSchema = loose({
  civility: text.nullish(),
  firstname: text.nullish(),
  lastname: text.nullish(),
  company: text.nullish(),
  company_2: text.nullish(),
  street_1: text.nullish(),
  street_2: text.nullish(),
  zip_code: text.nullish(),
  city: text.nullish(),
  state: text.nullish(),
  country: text.nullish(),
  country_iso_code: text.nullish(),
  phone: text.nullish(),
  phone_secondary: text.nullish(),
  additional_info: text.nullish(),
});

export const miraklCustomerSchema = loose({
  customer_id: id.nullish(),
  civility: text.nullish(),
  firstname: text.nullish(),
  lastname: text.nullish(),
  locale: text.nullish(),
  // Null before acceptance when PC01 shipping_and_billing_details_before_acceptance is false (gotcha 10).
  billing_address: miraklAddressSchema.nullish(),
  shipping_address: miraklAddressSchema.nullish(),
});

export const miraklRefundSchema = loose({
  id: id.nullish(),
  order_refund_id: id.nullish(),
  created_date: dateTime.nullish(),
  quantity: num.nullish(),
  amount: num.nullish(),
  shipping_amount: num.nullish(),
  reason_code: id.nullish(),
  // refund_state gained WAITING_REFUND_TAX_CONFIRMATION over time; `state` is the deprecated twin (gotcha 17).
  refund_state: text.nullish(),
  state: text.nullish(),
  taxes: list(miraklTaxSchema),
  shipping_taxes: list(miraklTaxSchema),
  fees: list(miraklFeeSchema),
  commission_amount: num.nullish(),
  commission_total_amount: num.nullish(),
  transaction_number: text.nullish(),
  transaction_date: dateTime.nullish(),
});

export const miraklCancelationSchema = loose({
  id: id.nullish(),
  created_date: dateTime.nullish(),
  quantity: num.nullish(),
  amount: num.nullish(),
  shipping_amount: num.nullish(),
  reason_code: id.nullish(),
  taxes: list(miraklTaxSchema),
  shipping_taxes: list(miraklTaxSchema),
  fees: list(miraklFeeSchema),
  commission_amount: num.nullish(),
  commission_total_amount: num.nullish(),
});

export const miraklAdditionalFieldSchema = loose({ code: id.nullish(), type: text.nullish(), value: z.unknown().optional() });

export const miraklOrderLineSchema = loose({
  order_line_id: id,
  order_line_index: num.nullish(),
  // Line states = order states + INCIDENT_OPEN, REFUNDED, and whatever Mirakl adds next (§4.1).
  order_line_state: text,
  order_line_state_reason_code: text.nullish(),
  order_line_state_reason_label: text.nullish(),
  offer_id: num.nullish(),
  offer_sku: id,
  offer_state_code: text.nullish(),
  product_sku: id.nullish(),
  product_shop_sku: id.nullish(),
  product_title: text.nullish(),
  category_code: text.nullish(),
  category_label: text.nullish(),
  description: text.nullish(),
  quantity: num,
  price_unit: num.nullish(),
  origin_unit_price: num.nullish(),
  price: num,
  price_additional_info: text.nullish(),
  shipping_price: num.nullish(),
  shipping_price_unit: num.nullish(),
  shipping_price_additional_unit: num.nullish(),
  total_price: num.nullish(),
  taxes: list(miraklTaxSchema),
  shipping_taxes: list(miraklTaxSchema),
  tax_legal_notice: text.nullish(),
  commission_fee: num.nullish(),
  commission_taxes: list(miraklTaxSchema),
  commission_vat: num.nullish(),
  commission_rate_vat: num.nullish(),
  total_commission: num.nullish(),
  fees: list(miraklFeeSchema),
  cancelations: list(miraklCancelationSchema),
  refunds: list(miraklRefundSchema),
  can_refund: flag.nullish(),
  created_date: dateTime.nullish(),
  last_updated_date: dateTime.nullish(),
  debited_date: dateTime.nullish(),
  shipped_date: dateTime.nullish(),
  received_date: dateTime.nullish(),
  shipping_from: loose({ address: miraklAddressSchema.nullish(), warehouse: loose({ code: id.nullish() }).nullish() }).nullish(),
  order_line_additional_fields: list(miraklAdditionalFieldSchema),
});

export const miraklOrderSchema = loose({
  order_id: id,
  commercial_id: id.nullish(),
  references: loose({
    order_reference_for_customer: text.nullish(),
    order_reference_for_seller: text.nullish(),
  }).nullish(),
  channel: loose({ code: text.nullish(), label: text.nullish() }).nullish(),
  // Order states (§4.1) as a plain string: an unknown state must reach the sync code, not break the poll.
  order_state: text,
  order_state_reason_code: text.nullish(),
  order_state_reason_label: text.nullish(),
  created_date: dateTime.nullish(),
  last_updated_date: dateTime.nullish(),
  acceptance_decision_date: dateTime.nullish(),
  customer_debited_date: dateTime.nullish(),
  transaction_date: dateTime.nullish(),
  shipping_deadline: dateTime.nullish(),
  leadtime_to_ship: num.nullish(),
  delivery_date: loose({ earliest: dateTime.nullish(), latest: dateTime.nullish() }).nullish(),
  currency_iso_code: text.nullish(),
  order_tax_mode: text.nullish(),
  payment_workflow: text.nullish(),
  payment_type: text.nullish(),
  price: num.nullish(),
  shipping_price: num.nullish(),
  total_price: num.nullish(),
  total_commission: num.nullish(),
  order_taxes: list(loose({ code: id.nullish(), rate: num.nullish(), total_amount: num.nullish() })),
  can_cancel: flag.nullish(),
  can_shop_ship: flag.nullish(),
  has_incident: flag.nullish(),
  has_customer_message: flag.nullish(),
  has_invoice: flag.nullish(),
  fully_refunded: flag.nullish(),
  customer_directly_pays_seller: flag.nullish(),
  customer_notification_email: text.nullish(),
  shipping_type_code: text.nullish(),
  shipping_type_label: text.nullish(),
  shipping_type_standard_code: text.nullish(),
  shipping_zone_code: text.nullish(),
  shipping_zone_label: text.nullish(),
  shipping_carrier_code: text.nullish(),
  shipping_carrier_standard_code: text.nullish(),
  shipping_company: text.nullish(),
  shipping_tracking: text.nullish(),
  shipping_tracking_url: text.nullish(),
  shipping_pudo_id: text.nullish(),
  fulfillment: loose({ center: loose({ code: text.nullish() }).nullish() }).nullish(),
  customer: miraklCustomerSchema.nullish(),
  order_additional_fields: list(miraklAdditionalFieldSchema),
  order_lines: z.array(miraklOrderLineSchema),
});

/** OR11 page: `{ orders, total_count }`. */
export const miraklOrderPageSchema = loose({
  orders: z.array(miraklOrderSchema),
  total_count: num,
});

export type MiraklTax = z.output<typeof miraklTaxSchema>;
export type MiraklAddress = z.output<typeof miraklAddressSchema>;
export type MiraklRefund = z.output<typeof miraklRefundSchema>;
export type MiraklCancelation = z.output<typeof miraklCancelationSchema>;
export type MiraklOrderLine = z.output<typeof miraklOrderLineSchema>;
export type MiraklOrder = z.output<typeof miraklOrderSchema>;

/** Order states documented today (§4.1). A string from Mirakl may be none of these: compare, never switch exhaustively. */
export const MIRAKL_ORDER_STATES = [
  "STAGING",
  "WAITING_ACCEPTANCE",
  "WAITING_DEBIT",
  "WAITING_DEBIT_PAYMENT",
  "SHIPPING",
  "SHIPPED",
  "TO_COLLECT",
  "RECEIVED",
  "CLOSED",
  "REFUSED",
  "CANCELED",
] as const;
export type MiraklOrderState = (typeof MIRAKL_ORDER_STATES)[number];
