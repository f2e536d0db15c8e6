/**
 * Tenant presets: one object per marketplace personality the app must cope with (notes §5 gotcha 20: acceptance,
 * partial acceptance/cancel, multi-shipment, tax mode, reasons, carriers and shipping types are tenant config).
 * Names are the brands' marketplaces as seen by a seller; the values are plausible, not copied from them.
 */
import type { Carrier, PresetName, Reason, TenantConfig } from "./types";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface PresetOffer {
  sku: string;
  productTitle: string;
  price: number;
  quantity: number;
  categoryCode: string;
  categoryLabel: string;
}

/** RE01 reasons as a default Mirakl install ships them (notes §2.3: "15" out of stock, "34" client cancel ...). */
const DEFAULT_REASONS: Reason[] = [
  { code: "15", label: "Out of stock", type: "REFUND", isShopRight: true },
  { code: "16", label: "Damaged item", type: "REFUND", isShopRight: true },
  { code: "17", label: "Item returned", type: "REFUND", isShopRight: true },
  { code: "18", label: "Item not received", type: "REFUND", isShopRight: true },
  { code: "19", label: "Agreement found with the vendor", type: "REFUND", isShopRight: true },
  { code: "20", label: "Goodwill gesture granted by the operator", type: "REFUND", isShopRight: false },
  { code: "34", label: "Cancelled by the client prior to shipping", type: "CANCELATION", isShopRight: true },
  { code: "35", label: "Out of stock", type: "CANCELATION", isShopRight: true },
  { code: "36", label: "Pricing error", type: "CANCELATION", isShopRight: true },
  { code: "14", label: "No response from the shop", type: "CANCELATION", isShopRight: false },
  { code: "21", label: "Item not received", type: "INCIDENT_OPEN", isShopRight: false },
  { code: "22", label: "Item damaged", type: "INCIDENT_OPEN", isShopRight: false },
  { code: "23", label: "Problem solved", type: "INCIDENT_CLOSE", isShopRight: true },
  { code: "40", label: "Question about an order", type: "ORDER_MESSAGING", isShopRight: true },
];

const ukCarriers: Carrier[] = [
  { code: "RM24", label: "Royal Mail Tracked 24", standardCode: "ROYAL_MAIL", trackingUrl: "https://www.royalmail.com/track-your-item#/tracking-results/{trackingId}" },
  { code: "RM48", label: "Royal Mail Tracked 48", standardCode: "ROYAL_MAIL", trackingUrl: "https://www.royalmail.com/track-your-item#/tracking-results/{trackingId}" },
  { code: "DPD", label: "DPD UK", standardCode: "DPD", trackingUrl: "https://track.dpd.co.uk/parcels/{trackingId}" },
  { code: "DHL", label: "DHL Parcel UK", standardCode: "DHL", trackingUrl: "https://track.dhlparcel.co.uk/?con={trackingId}" },
  { code: "EVRI", label: "Evri", standardCode: "HERMES", trackingUrl: "https://www.evri.com/track/parcel/{trackingId}" },
];

const baseTenant: TenantConfig = {
  tenantName: "sim-prod",
  platformName: "Simulated Marketplace",
  timezone: "Europe/Paris",
  orderTaxMode: "TAX_INCLUDED",
  orderAcceptance: "NOT_AUTOMATIC",
  partialAcceptance: true,
  partialCancel: true,
  addressBeforeAcceptance: true,
  multiShipment: false,
  disableSellerAlternativeCarrier: false,
  stagingMs: 0,
  acceptanceWindowMs: 3 * DAY,
  debitDelayMs: MINUTE,
  debitFailRate: 0,
  autoReceiveMs: 7 * DAY,
  autoCloseMs: 30 * DAY,
  refundDelayMs: HOUR,
  billingCycleMs: 7 * DAY,
  payoutDelayMs: 2 * DAY,
  importWaitMs: 1_000,
  importRunMs: 2_000,
  exportDelayMs: 2_000,
  updateDateSkewMs: 30_000,
  currency: "EUR",
  countries: ["FRA"],
  locale: "fr_FR",
  leadtimeToShipDays: 2,
  taxes: { "*": { code: "TVA_FR_20", rate: 20 } },
  taxCalculationRule: "NONE",
  commissionRate: 0.15,
  commissionVatRate: 20,
  carriers: [
    { code: "UPS", label: "UPS", standardCode: "UPS", trackingUrl: "https://www.ups.com/track?tracknum={trackingId}" },
    { code: "DHL", label: "DHL", standardCode: "DHL", trackingUrl: "https://www.dhl.com/fr-en/home/tracking.html?tracking-id={trackingId}" },
    { code: "DPD", label: "DPD", standardCode: "DPD", trackingUrl: "https://www.dpd.fr/trace/{trackingId}" },
    { code: "FED", label: "FedEx", standardCode: "FEDEX", trackingUrl: "https://www.fedex.com/fedextrack/?trknbr={trackingId}" },
    { code: "COLISSIMO", label: "Colissimo", standardCode: "COLISSIMO", trackingUrl: "https://www.laposte.fr/outils/suivre-vos-envois?code={trackingId}" },
  ],
  shippingTypes: [
    { code: "STD", label: "Standard", description: "Standard delivery in 3-5 days", standardCode: "STANDARD", mandatoryTracking: false, clickAndCollect: false, deliveryByOperator: false, zoneCode: "DOM", zoneLabel: "Domestic", price: 4.99, additionalPrice: 0 },
    { code: "EXP", label: "Express", description: "Express delivery in 24 h", standardCode: "EXPRESS", mandatoryTracking: true, clickAndCollect: false, deliveryByOperator: false, zoneCode: "DOM", zoneLabel: "Domestic", price: 9.99, additionalPrice: 1 },
  ],
  reasons: DEFAULT_REASONS,
  rateLimits: {},
  stockOnRefusal: "restore",
  csvDelimiter: ";",
  paymentType: "CREDIT_CARD",
};

const presets: Record<PresetName, { tenant: TenantConfig; offers: PresetOffer[] }> = {
  default: {
    tenant: baseTenant,
    offers: [
      { sku: "SKU-TSHIRT-BLK-M", productTitle: "T-shirt coton noir - M", price: 19.99, quantity: 50, categoryCode: "H1203", categoryLabel: "T-shirts" },
      { sku: "SKU-TSHIRT-BLK-L", productTitle: "T-shirt coton noir - L", price: 19.99, quantity: 40, categoryCode: "H1203", categoryLabel: "T-shirts" },
      { sku: "SKU-MUG-WHT", productTitle: "Mug blanc 33cl", price: 12.5, quantity: 120, categoryCode: "K0410", categoryLabel: "Mugs" },
      { sku: "SKU-LAMP-01", productTitle: "Lampe de bureau LED", price: 39.9, quantity: 15, categoryCode: "D2001", categoryLabel: "Luminaires" },
      { sku: "SKU-CUSHION-GRY", productTitle: "Coussin gris 45x45", price: 14.95, quantity: 60, categoryCode: "D3002", categoryLabel: "Coussins" },
    ],
  },
  joules: {
    tenant: {
      ...baseTenant,
      tenantName: "joules-prod",
      platformName: "Joules Marketplace",
      timezone: "Europe/London",
      orderTaxMode: "TAX_INCLUDED",
      orderAcceptance: "NOT_AUTOMATIC",
      partialAcceptance: false,
      partialCancel: true,
      addressBeforeAcceptance: false,
      multiShipment: false,
      disableSellerAlternativeCarrier: false,
      acceptanceWindowMs: 2 * DAY,
      currency: "GBP",
      countries: ["GBR"],
      locale: "en_GB",
      leadtimeToShipDays: 2,
      taxes: { "*": { code: "UK_VAT_STD", rate: 20 } },
      taxCalculationRule: "NONE",
      commissionRate: 0.15,
      carriers: ukCarriers,
      shippingTypes: [
        { code: "STD", label: "Standard Delivery", description: "Delivered in 3-5 working days", standardCode: "STANDARD", mandatoryTracking: false, clickAndCollect: false, deliveryByOperator: false, zoneCode: "UK", zoneLabel: "United Kingdom", price: 3.95, additionalPrice: 0 },
        { code: "NXD", label: "Next Day Delivery", description: "Order before 8pm for next day delivery", standardCode: "EXPRESS", mandatoryTracking: true, clickAndCollect: false, deliveryByOperator: false, zoneCode: "UK", zoneLabel: "United Kingdom", price: 6.95, additionalPrice: 0 },
      ],
    },
    offers: [
      { sku: "JL-HARBOUR-NAVY-10", productTitle: "Harbour Long Sleeve Jersey Top - Navy, 10", price: 29.95, quantity: 40, categoryCode: "WOMENS-TOPS", categoryLabel: "Women's Tops" },
      { sku: "JL-HARBOUR-NAVY-12", productTitle: "Harbour Long Sleeve Jersey Top - Navy, 12", price: 29.95, quantity: 35, categoryCode: "WOMENS-TOPS", categoryLabel: "Women's Tops" },
      { sku: "JL-WELLIES-FLORAL-5", productTitle: "Molly Mid Height Wellies - Floral, 5", price: 49.95, quantity: 20, categoryCode: "FOOTWEAR", categoryLabel: "Footwear" },
      { sku: "JL-GILET-GREEN-M", productTitle: "Go To Gilet - Green, M", price: 64.95, quantity: 12, categoryCode: "MENS-COATS", categoryLabel: "Men's Coats" },
      { sku: "JL-MUG-DOG", productTitle: "Cottage Garden Dog Mug", price: 12.5, quantity: 80, categoryCode: "HOME", categoryLabel: "Home" },
    ],
  },
  bandq: {
    tenant: {
      ...baseTenant,
      tenantName: "kingfisher-bandq-prod",
      platformName: "B&Q Marketplace",
      timezone: "Europe/London",
      orderTaxMode: "TAX_INCLUDED",
      orderAcceptance: "AUTOMATIC",
      partialAcceptance: false,
      partialCancel: true,
      addressBeforeAcceptance: true,
      multiShipment: false,
      disableSellerAlternativeCarrier: false,
      acceptanceWindowMs: 1 * DAY,
      currency: "GBP",
      countries: ["GBR"],
      locale: "en_GB",
      leadtimeToShipDays: 3,
      taxes: { "*": { code: "GB_VAT_20", rate: 20 } },
      taxCalculationRule: "PROPORTIONAL_TO_AMOUNT",
      commissionRate: 0.12,
      carriers: [
        ...ukCarriers.filter((c) => c.code !== "EVRI"),
        { code: "PARCELFORCE", label: "Parcelforce Worldwide", standardCode: "PARCELFORCE", trackingUrl: "https://www.parcelforce.com/track-trace?trackNumber={trackingId}" },
        { code: "XDP", label: "XDP", standardCode: "XDP", trackingUrl: "https://www.xdp.co.uk/track.php?c={trackingId}" },
      ],
      shippingTypes: [
        { code: "STANDARD", label: "Standard Delivery", description: "Delivered in 3-5 working days", standardCode: "STANDARD", mandatoryTracking: false, clickAndCollect: false, deliveryByOperator: false, zoneCode: "GB-MAINLAND", zoneLabel: "UK Mainland", price: 5, additionalPrice: 0 },
        { code: "LARGE", label: "Large Item Delivery", description: "Two-person delivery for large items", standardCode: "BULKY", mandatoryTracking: true, clickAndCollect: false, deliveryByOperator: false, zoneCode: "GB-MAINLAND", zoneLabel: "UK Mainland", price: 25, additionalPrice: 5 },
      ],
    },
    offers: [
      { sku: "BQ-DRILL-18V", productTitle: "Cordless Combi Drill 18V", price: 89, quantity: 25, categoryCode: "POWER-TOOLS", categoryLabel: "Power Tools" },
      { sku: "BQ-PAINT-WHITE-5L", productTitle: "Matt Emulsion Paint Pure Brilliant White 5L", price: 22, quantity: 200, categoryCode: "PAINT", categoryLabel: "Paint" },
      { sku: "BQ-SCREWS-500", productTitle: "Wood Screws Assorted Pack of 500", price: 9.97, quantity: 300, categoryCode: "FIXINGS", categoryLabel: "Fixings" },
      { sku: "BQ-SHED-6X4", productTitle: "Overlap Apex Shed 6x4", price: 349, quantity: 6, categoryCode: "GARDEN", categoryLabel: "Garden Buildings" },
      { sku: "BQ-LADDER-3W", productTitle: "Aluminium 3-Way Combination Ladder", price: 119, quantity: 10, categoryCode: "LADDERS", categoryLabel: "Ladders" },
    ],
  },
  decathlon: {
    tenant: {
      ...baseTenant,
      tenantName: "marketplace-decathlon-eu",
      platformName: "Decathlon Marketplace",
      timezone: "Europe/Paris",
      orderTaxMode: "TAX_EXCLUDED",
      orderAcceptance: "NOT_AUTOMATIC",
      partialAcceptance: true,
      partialCancel: true,
      addressBeforeAcceptance: false,
      multiShipment: true,
      disableSellerAlternativeCarrier: true,
      acceptanceWindowMs: 2 * DAY,
      currency: "EUR",
      countries: ["FRA", "DEU"],
      locale: "fr_FR",
      leadtimeToShipDays: 2,
      taxes: { FRA: { code: "TVA_FR_20", rate: 20 }, DEU: { code: "MWST_DE_19", rate: 19 }, "*": { code: "TVA_FR_20", rate: 20 } },
      taxCalculationRule: "NONE",
      commissionRate: 0.18,
      carriers: [
        { code: "COLISSIMO", label: "Colissimo", standardCode: "COLISSIMO", trackingUrl: "https://www.laposte.fr/outils/suivre-vos-envois?code={trackingId}" },
        { code: "CHRONOPOST", label: "Chronopost", standardCode: "CHRONOPOST", trackingUrl: "https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT={trackingId}" },
        { code: "DHL", label: "DHL Paket", standardCode: "DHL", trackingUrl: "https://www.dhl.de/de/privatkunden/pakete-empfangen/verfolgen.html?piececode={trackingId}" },
        { code: "DPD", label: "DPD", standardCode: "DPD", trackingUrl: "https://tracking.dpd.de/status/fr_FR/parcel/{trackingId}" },
        { code: "UPS", label: "UPS", standardCode: "UPS", trackingUrl: "https://www.ups.com/track?tracknum={trackingId}" },
        { code: "GLS", label: "GLS", standardCode: "GLS", trackingUrl: "https://gls-group.com/track/{trackingId}" },
      ],
      shippingTypes: [
        { code: "STD", label: "Livraison standard", description: "Livraison à domicile en 3 à 5 jours", standardCode: "STANDARD", mandatoryTracking: false, clickAndCollect: false, deliveryByOperator: false, zoneCode: "EU-WEST", zoneLabel: "Europe de l'Ouest", price: 4.99, additionalPrice: 0.5 },
        { code: "EXP", label: "Livraison express", description: "Livraison à domicile en 24/48 h", standardCode: "EXPRESS", mandatoryTracking: true, clickAndCollect: false, deliveryByOperator: false, zoneCode: "EU-WEST", zoneLabel: "Europe de l'Ouest", price: 9.99, additionalPrice: 1 },
      ],
    },
    offers: [
      { sku: "DKT-TENT-2P", productTitle: "Tente de camping 2 places", price: 49.99, quantity: 30, categoryCode: "CAMPING", categoryLabel: "Camping" },
      { sku: "DKT-BOTTLE-1L", productTitle: "Gourde inox 1 L", price: 12.99, quantity: 150, categoryCode: "HYDRATION", categoryLabel: "Hydratation" },
      { sku: "DKT-RUNSHOE-42", productTitle: "Chaussures de running - 42", price: 59.99, quantity: 18, categoryCode: "RUNNING", categoryLabel: "Running" },
      { sku: "DKT-YOGAMAT", productTitle: "Tapis de yoga 5 mm", price: 19.99, quantity: 70, categoryCode: "YOGA", categoryLabel: "Yoga" },
      { sku: "DKT-BIKE-LIGHT", productTitle: "Éclairage vélo LED avant/arrière", price: 24.99, quantity: 45, categoryCode: "CYCLING", categoryLabel: "Vélo" },
    ],
  },
};

export function presetTenant({ preset }: { preset: PresetName }): TenantConfig {
  return structuredClone(presets[preset].tenant);
}

export function presetOffers({ preset }: { preset: PresetName }): PresetOffer[] {
  return structuredClone(presets[preset].offers);
}

export const TIME = { MINUTE, HOUR, DAY } as const;
