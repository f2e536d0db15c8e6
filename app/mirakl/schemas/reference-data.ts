/** Shop and platform reference data: A01, PC01, SH12, SH21, RE01 (seller-api-notes §2.3). Callers cache these daily. */
import { z } from "zod";
import { dateTime, flag, id, list, loose, num, text } from "./primitives";

export const miraklAccountSchema = loose({
  shop_id: num,
  shop_name: text.nullish(),
  // OPEN | CLOSE | SUSPENDED | TERMINATED, as a string.
  shop_state: text.nullish(),
  currency_iso_code: text.nullish(),
  channels: list(text),
  is_professional: flag.nullish(),
  model: text.nullish(),
  suspension_type: text.nullish(),
  date_created: dateTime.nullish(),
  last_updated_date: dateTime.nullish(),
});

const orderWorkflowsSchema = loose({
  order_acceptance: text.nullish(),
  shipping_and_billing_details_before_acceptance: flag.nullish(),
});

export const miraklPlatformConfigurationSchema = loose({
  features: loose({
    order_tax_mode: text.nullish(),
    order_workflows: orderWorkflowsSchema.nullish(),
    shipment: loose({ multi_shipment: flag.nullish(), multi_part_item_shipment: flag.nullish() }).nullish(),
    disable_seller_alternative_carrier: flag.nullish(),
    multi_currency: flag.nullish(),
    offer_prices_decimals: text.nullish(),
    operator_csv_delimiter: text.nullish(),
  }).nullish(),
  platform_name: text.nullish(),
  tenant_name: text.nullish(),
  timezone: text.nullish(),
});

export const miraklShippingTypeSchema = loose({
  code: id,
  label: text.nullish(),
  description: text.nullish(),
  standard_code: text.nullish(),
  click_and_collect: flag.nullish(),
  delivery_by_operator: flag.nullish(),
  // OR24 is refused without tracking when true (gotcha 2).
  mandatory_tracking: flag.nullish(),
  ignore_lead_time_to_ship: flag.nullish(),
});

export const miraklCarrierSchema = loose({
  // Operator-defined code to send as OR23 carrier_code (gotcha 1).
  code: id,
  label: text,
  standard_code: text.nullish(),
  // Template with a {trackingId} placeholder.
  tracking_url: text.nullish(),
});

export const miraklReasonSchema = loose({
  code: id,
  label: text.nullish(),
  // REFUND, CANCELATION, INCIDENT_OPEN, ... and new types as they come.
  type: text,
  is_shop_right: flag.nullish(),
});

export const miraklShippingTypesResponseSchema = loose({ shipping_types: z.array(miraklShippingTypeSchema) });
export const miraklCarriersResponseSchema = loose({ carriers: z.array(miraklCarrierSchema) });
export const miraklReasonsResponseSchema = loose({ reasons: z.array(miraklReasonSchema), total_count: num.nullish() });

export type MiraklAccount = z.output<typeof miraklAccountSchema>;
export type MiraklShippingType = z.output<typeof miraklShippingTypeSchema>;
export type MiraklCarrier = z.output<typeof miraklCarrierSchema>;
export type MiraklReason = z.output<typeof miraklReasonSchema>;
type RawPlatformConfiguration = z.output<typeof miraklPlatformConfigurationSchema>;

/** The PC01 switches that decide how a seller integration behaves, flattened; null when the tenant does not say. */
export interface MiraklPlatformSummary {
  /** Default order_tax_mode for OR11/OR28/OR30 amounts (TAX_INCLUDED | TAX_EXCLUDED). */
  orderTaxMode: string | null;
  /** AUTOMATIC | NOT_AUTOMATIC | BOTH: whether the seller must call OR21. */
  orderAcceptance: string | null;
  /** Whether addresses are visible before acceptance (gotcha 10). */
  shippingAndBillingDetailsBeforeAcceptance: boolean | null;
  /** Whether ST* multi-shipment is on (§2.2). */
  multiShipment: boolean | null;
  /** Whether OR23 with an unregistered carrier (carrier_name + carrier_url) is forbidden (gotcha 1). */
  disableSellerAlternativeCarrier: boolean | null;
  /** Not documented in PC01 today; surfaced when a tenant sends it (OR21 ORDER_PARTIAL_ACCEPTANCE_DISABLED otherwise tells). */
  partialAcceptance: boolean | null;
  /** Not documented in PC01 today; OR30 needs "Shop partial cancelation" enabled by Mirakl support (gotcha 6). */
  partialCancelation: boolean | null;
  /** CSV delimiter of back-office exports (COMMA | SEMICOLON). */
  operatorCsvDelimiter: string | null;
}

export type MiraklPlatformConfiguration = RawPlatformConfiguration & { summary: MiraklPlatformSummary };

function findBoolean(sources: ReadonlyArray<Record<string, unknown> | null | undefined>, names: readonly string[]): boolean | null {
  for (const source of sources) {
    if (!source) continue;
    for (const name of names) {
      const v = source[name];
      if (typeof v === "boolean") return v;
      if (v === "true" || v === "false") return v === "true";
      if (v && typeof v === "object" && typeof (v as Record<string, unknown>).activated === "boolean") {
        return (v as Record<string, unknown>).activated as boolean;
      }
    }
  }
  return null;
}

export function summarisePlatformConfiguration(config: RawPlatformConfiguration): MiraklPlatformConfiguration {
  const features = config.features ?? null;
  const workflows = (features?.order_workflows ?? null) as Record<string, unknown> | null;
  const featureRecord = features as Record<string, unknown> | null;
  return {
    ...config,
    summary: {
      orderTaxMode: features?.order_tax_mode ?? null,
      orderAcceptance: features?.order_workflows?.order_acceptance ?? null,
      shippingAndBillingDetailsBeforeAcceptance: features?.order_workflows?.shipping_and_billing_details_before_acceptance ?? null,
      multiShipment: features?.shipment?.multi_shipment ?? null,
      disableSellerAlternativeCarrier: features?.disable_seller_alternative_carrier ?? null,
      partialAcceptance: findBoolean([workflows, featureRecord], ["partial_acceptance", "order_partial_acceptance", "shop_partial_acceptance"]),
      partialCancelation: findBoolean([workflows, featureRecord], [
        "partial_cancelation",
        "partial_cancellation",
        "shop_partial_cancelation",
        "order_partial_cancelation",
      ]),
      operatorCsvDelimiter: features?.operator_csv_delimiter ?? null,
    },
  };
}
