/** Accounting: TL02 transaction lines and SBC11 billing cycles, both seek-paginated (seller-api-notes §2.5). */
import { z } from "zod";
import { dateTime, id, loose, num, text } from "./primitives";

const entityRef = loose({ id: id.nullish() }).nullish();

export const miraklTransactionLogSchema = loose({
  id: id,
  // ORDER_AMOUNT, COMMISSION_FEE, REFUND_ORDER_AMOUNT, ... and new types: a string.
  type: text,
  amount: num.nullish(),
  // Rely on credited/debited rather than the type name for the sign (§2.5).
  amount_credited: num.nullish(),
  amount_debited: num.nullish(),
  balance: num.nullish(),
  currency_iso_code: text.nullish(),
  date_created: dateTime.nullish(),
  last_updated: dateTime.nullish(),
  payment_state: text.nullish(),
  seller_billing_cycle_id: id.nullish(),
  accounting_document_id: id.nullish(),
  accounting_document_number: text.nullish(),
  entities: loose({
    order: loose({
      id: id.nullish(),
      commercial_id: id.nullish(),
      references: loose({
        order_reference_for_customer: text.nullish(),
        order_reference_for_seller: text.nullish(),
      }).nullish(),
    }).nullish(),
    order_line: entityRef,
    refund: entityRef,
    shipment: entityRef,
  }).nullish(),
});

export const miraklTransactionLogPageSchema = loose({
  data: z.array(miraklTransactionLogSchema),
  next_page_token: text.nullish(),
  previous_page_token: text.nullish(),
});

export const miraklBillingCycleSchema = loose({
  id: id,
  date_created: dateTime.nullish(),
  currency_iso_code: text.nullish(),
  amount_transferred_to_seller: num.nullish(),
  amount_transferred_to_operator: num.nullish(),
  payment_voucher_number: text.nullish(),
  pay_out: loose({
    // TO_PAY | PAID | FAILED, as a string.
    state: text.nullish(),
    reference: text.nullish(),
    transaction_date: dateTime.nullish(),
    failure_reason: text.nullish(),
  }).nullish(),
  pay_out_psp_code: text.nullish(),
  summary: loose({}).nullish(),
});

export const miraklBillingCyclePageSchema = loose({
  data: z.array(miraklBillingCycleSchema),
  next_page_token: text.nullish(),
  previous_page_token: text.nullish(),
});

export type TransactionLog = z.output<typeof miraklTransactionLogSchema>;
export type BillingCycle = z.output<typeof miraklBillingCycleSchema>;
