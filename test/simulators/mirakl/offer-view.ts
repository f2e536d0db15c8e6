/**
 * Offers as OF21 and OF54 show them. An offer with no stock is inactive (inactivity reason ZERO_QUANTITY), which
 * is why OF52 leaves it out unless include_inactive_offers is set.
 */
import { isoDate, roundCents } from "./money";
import type { SimState } from "./sim-state";
import type { SimOffer } from "./types";

export function isOfferActive(offer: SimOffer): boolean {
  return offer.active && !offer.deleted && offer.quantity > 0;
}

function minShipping({ state }: { state: SimState }) {
  const cheapest = [...state.tenant.shippingTypes].sort((a, b) => a.price - b.price)[0];
  return {
    price: cheapest?.price ?? 0,
    additional: cheapest?.additionalPrice ?? 0,
    type: cheapest?.code ?? "STD",
    zone: cheapest?.zoneCode ?? "DOM",
  };
}

export function renderOffer({ state, offer }: { state: SimState; offer: SimOffer }): Record<string, unknown> {
  const ship = minShipping({ state });
  return {
    active: isOfferActive(offer),
    allow_quote_requests: false,
    all_prices: [{ unit_origin_price: offer.price, price: offer.price, volume_prices: [{ quantity_threshold: 1, unit_origin_price: offer.price, unit_discount_price: null, price: offer.price }] }],
    applicable_pricing: { price: offer.price, unit_origin_price: offer.price, volume_prices: [] },
    available_end_date: null,
    available_start_date: null,
    category_code: offer.categoryCode,
    category_label: offer.categoryLabel,
    channels: [],
    currency_iso_code: state.tenant.currency,
    description: offer.description,
    discount: null,
    fulfillment: { center: { code: "DEFAULT" } },
    inactivity_reasons: isOfferActive(offer) ? [] : ["ZERO_QUANTITY"],
    leadtime_to_ship: offer.leadtimeToShip,
    logistic_class: { code: "STD", label: "Standard" },
    max_order_quantity: null,
    min_order_quantity: null,
    min_quantity_alert: 0,
    min_shipping_price: ship.price,
    min_shipping_price_additional: ship.additional,
    min_shipping_type: ship.type,
    min_shipping_zone: ship.zone,
    offer_additional_fields: [],
    offer_id: offer.offerId,
    package_quantity: 1,
    price: offer.price,
    price_additional_info: null,
    product_references: [{ reference: offer.productSku, reference_type: "SKU" }],
    product_sku: offer.productSku,
    product_title: offer.productTitle,
    quantity: offer.quantity,
    shipping_deadline: isoDate(state.clock.now() + offer.leadtimeToShip * 86_400_000),
    shop_sku: offer.sku,
    state_code: offer.stateCode,
    total_price: roundCents(offer.price + ship.price),
    warehouses: [],
  };
}

export function renderExportedOffer({ state, offer }: { state: SimState; offer: SimOffer }): Record<string, unknown> {
  const ship = minShipping({ state });
  const shop = state.shops.find((s) => s.shopId === offer.shopId);
  return {
    active: isOfferActive(offer),
    allow_quote_requests: false,
    channels: [],
    currency_iso_code: state.tenant.currency,
    date_created: isoDate(offer.createdAt),
    deleted: offer.deleted,
    description: offer.description,
    is_professional: true,
    last_updated: isoDate(offer.updatedAt),
    leadtime_to_ship: offer.leadtimeToShip,
    logistic_class: { code: "STD" },
    min_shipping_price: ship.price,
    min_shipping_price_additional: ship.additional,
    min_shipping_type: ship.type,
    min_shipping_zone: ship.zone,
    offer_additional_fields: [],
    offer_id: offer.offerId,
    package_quantity: 1,
    premium: false,
    prices: [{ origin_price: offer.price, volume_prices: [{ quantity_threshold: 1, unit_origin_price: offer.price }] }],
    product_sku: offer.productSku,
    quantity: offer.quantity,
    shop_id: offer.shopId,
    shop_name: shop?.shopName ?? "",
    shop_sku: offer.sku,
    state_code: offer.stateCode,
    warehouses: [],
  };
}

export const OFFER_CSV_COLUMNS = [
  "offer-id",
  "product-sku",
  "shop-sku",
  "price",
  "total-price",
  "quantity",
  "description",
  "state-code",
  "shop-id",
  "shop-name",
  "active",
  "deleted",
  "currency-iso-code",
  "leadtime-to-ship",
  "date-created",
  "last-updated",
] as const;

export function renderOfferCsvValues({ state, offer }: { state: SimState; offer: SimOffer }): Array<string | number | boolean> {
  const ship = minShipping({ state });
  const shop = state.shops.find((s) => s.shopId === offer.shopId);
  return [
    offer.offerId,
    offer.productSku,
    offer.sku,
    offer.price,
    roundCents(offer.price + ship.price),
    offer.quantity,
    offer.description,
    offer.stateCode,
    offer.shopId,
    shop?.shopName ?? "",
    isOfferActive(offer),
    offer.deleted,
    state.tenant.currency,
    offer.leadtimeToShip,
    isoDate(offer.createdAt) ?? "",
    isoDate(offer.updatedAt) ?? "",
  ];
}
