/**
 * Reference and account data: A01, PC01, V01, SH12, SH21, RE01. Read once at connect time by a client
 * (notes §5 gotcha 20), so they are built from the tenant config on each call.
 */
import { json, type ApiRoute } from "./api-context";
import { isoDate, roundCents } from "./money";
import { countryName } from "./sample-data";
import type { SimState } from "./sim-state";
import type { ShopAccount } from "./types";

function renderAccount({ state, shop }: { state: SimState; shop: ShopAccount }): Record<string, unknown> {
  const country = state.tenant.countries[0] ?? "FRA";
  const offers = [...(state.offersByShop.get(shop.shopId)?.values() ?? [])].filter((o) => !o.deleted);
  const txns = state.transactionsByShop.get(shop.shopId) ?? [];
  const sumState = (s: string) => roundCents(txns.filter((t) => t.paymentState === s).reduce((a, t) => a + t.amount, 0));
  return {
    applicable_taxes: [{ code: "TAXDEFAULT", fee_types: ["COMMISSION", "SUBSCRIPTION"], label: "Default tax" }],
    approval_delay: 3600,
    approval_rate: 1,
    banner: null,
    billing_info: { bank_city: null, bank_name: null, bank_street: null, bic: null, iban: null, owner: shop.shopName, zip_code: null },
    channels: [],
    closed_from: null,
    closed_to: null,
    contact_informations: { city: "Paris", civility: null, country: countryName({ iso3: country }), email: `seller-${shop.shopId}@example.com`, firstname: "Seller", lastname: "Support", phone: null, street1: "1 Simulated Street", zip_code: "00000" },
    currency_iso_code: state.tenant.currency,
    date_created: isoDate(state.startedAt),
    default_billing_information: {
      default_language: state.tenant.locale,
      id: `00000000-0000-4000-8000-${String(shop.shopId).padStart(12, "0")}`,
      registration_address: { city: "Paris", country_iso_code: country, street_1: "1 Simulated Street", zip_code: "00000" },
    },
    description: `${shop.shopName} on ${state.tenant.platformName}`,
    domains: ["PRODUCT"],
    evaluations_count: 0,
    free_shipping: false,
    is_professional: true,
    last_updated_date: isoDate(state.startedAt),
    logo: null,
    model: "MARKETPLACE",
    offers_count: offers.length,
    orders_count: state.ordersByShop.get(shop.shopId)?.length ?? 0,
    payment_details: { paid_balance: sumState("PAID"), payable_balance: sumState("PAYABLE"), pending_balance: sumState("PENDING") },
    payment_method_mandatory: false,
    premium: false,
    pro_details: { corporate_name: shop.shopName, identification_number: null, tax_identification_number: null },
    shipping: { lead_time_to_ship: state.tenant.leadtimeToShipDays },
    shipping_country: country,
    shipping_types: state.tenant.shippingTypes.map((t) => t.code),
    shipping_zones: [...new Set(state.tenant.shippingTypes.map((t) => t.zoneCode))],
    shippings: state.tenant.shippingTypes.map((t) => ({
      additional_fields: [],
      shipping_free_amount: null,
      shipping_type_code: t.code,
      shipping_type_label: t.label,
      shipping_type_standard_code: t.standardCode ?? null,
      shipping_zone_code: t.zoneCode,
      shipping_zone_label: t.zoneLabel,
    })),
    shop_additional_fields: [],
    shop_id: shop.shopId,
    shop_name: shop.shopName,
    shop_state: "OPEN",
    suspension_type: null,
  };
}

export function renderPlatformConfiguration({ state }: { state: SimState }): Record<string, unknown> {
  const t = state.tenant;
  return {
    features: {
      catalog: { allow_shop_contribution_to_all_channels: false, exclude_invalid_products: true, list_of_multiple_values_separator: "|", product_acceptance_by_channel: false, product_data_validation_by_channel: false, product_import_only_on_leaf: true },
      circular_economy_data_collection: false,
      competitive_pricing_tool: false,
      direct_payment_customer_store: { activated: false, refund_cancel_authorized: false },
      disable_seller_alternative_carrier: t.disableSellerAlternativeCarrier,
      dropship: { retail_pricing_edition_enabled: "NO", retail_pricing_enabled: false },
      kyc_status_per_seller: false,
      lead_time_to_ship_by_sellers_enabled: "YES",
      multi_currency: false,
      multi_payout_psp_per_seller: false,
      no_reply_needed: true,
      offer_prices_decimals: "2",
      operator_csv_delimiter: t.csvDelimiter === ";" ? "SEMICOLON" : "COMMA",
      order_conditions: { lead_time_to_ship: true, maximum_order_quantity: false, minimum_order_quantity: false, package_order_quantity: false },
      order_tax_mode: t.orderTaxMode,
      order_workflows: {
        no_customer_payment_confirmation: false,
        order_acceptance: t.orderAcceptance,
        pause_debit_workflow: false,
        pay_on_due_date: false,
        pay_on_shipment: false,
        sellers_edit_shipping_origin: false,
        shipping_and_billing_details_before_acceptance: t.addressBeforeAcceptance,
      },
      payment_confirmation: false,
      pricing: { channel_pricing: "DISABLED", discount_period_required: false, discount_price_creation_in_the_past_blocked: false, scheduled_pricing: false, volume_discount: false, volume_pricing: false },
      product_data_validation_by_channel: false,
      promotion: { cart_promotion_campaign: false, discount_campaign: false, seller_promotion: false },
      returns: { drop_ship: false, marketplace: false, one_creditor: false },
      shipment: { multi_part_item_shipment: false, multi_shipment: t.multiShipment },
      shop_tax_options: { tax_identification_number: { mandatory: false } },
      tax_collection: { activated: "NO", product_tax_code_mandatory: false, tax_collection_by_operator: false },
      tax_id_number: { mandatory: false },
      warehouses: { geolocation: false, restricted_countries: [] },
    },
    modules: {
      mirakl_catalog_integrator: false,
      mirakl_catalog_manager: false,
      mirakl_catalog_transformer: false,
      mirakl_platform_services: false,
      offer_management: true,
      order_management: true,
      promotions: false,
      quotes: false,
      tax_manager: { activated: false, tax_provider: { avalara: false, vertex: false } },
    },
    platform_configuration: {
      customer_model: { b2b: false, b2c: true },
      enhanced_seller_invoicing: { enabled: false },
      platform_model: { drop_ship: false, marketplace: true, one_creditor: false },
    },
    platform_name: t.platformName,
    tenant_name: t.tenantName,
    timezone: t.timezone,
  };
}

export const platformRoutes: ApiRoute[] = [
  { operationId: "A01", method: "GET", template: "/api/account", write: false, jsonBody: false, handle: ({ state, shop }) => json(200, renderAccount({ state, shop })) },
  { operationId: "PC01", method: "GET", template: "/api/platform/configuration", write: false, jsonBody: false, handle: ({ state }) => json(200, renderPlatformConfiguration({ state })) },
  // V01 documents a 200 without a body: "checking the response code is enough".
  { operationId: "V01", method: "GET", template: "/api/version", write: false, jsonBody: false, handle: () => ({ status: 200 }) },
  {
    operationId: "SH12",
    method: "GET",
    template: "/api/shipping/types",
    write: false,
    jsonBody: false,
    handle: ({ state }) =>
      json(200, {
        shipping_types: state.tenant.shippingTypes.map((t) => ({
          click_and_collect: t.clickAndCollect,
          code: t.code,
          delivery_by_operator: t.deliveryByOperator,
          description: t.description,
          ignore_lead_time_to_ship: false,
          label: t.label,
          mandatory_tracking: t.mandatoryTracking,
          standard_code: t.standardCode ?? null,
        })),
      }),
  },
  {
    operationId: "SH21",
    method: "GET",
    template: "/api/shipping/carriers",
    write: false,
    jsonBody: false,
    // SH21 is sorted by label (notes §2.3).
    handle: ({ state }) =>
      json(200, {
        carriers: [...state.tenant.carriers]
          .sort((a, b) => a.label.localeCompare(b.label))
          .map((c) => ({ code: c.code, label: c.label, standard_code: c.standardCode ?? null, tracking_url: c.trackingUrl ?? null })),
      }),
  },
  {
    operationId: "RE01",
    method: "GET",
    template: "/api/reasons",
    write: false,
    jsonBody: false,
    // RE01 is sorted by type, then back-office order (notes §2.3).
    handle: ({ state }) => {
      const reasons = [...state.tenant.reasons]
        .map((r, i) => ({ r, i }))
        .sort((a, b) => a.r.type.localeCompare(b.r.type) || a.i - b.i)
        .map(({ r }) => ({ code: r.code, is_shop_right: r.isShopRight, label: r.label, type: r.type }));
      return json(200, { reasons, total_count: reasons.length });
    },
  },
];
