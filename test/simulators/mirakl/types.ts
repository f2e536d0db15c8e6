/**
 * Types shared by the Mirakl seller-API simulator: the tenant configuration (a PC01-shaped view of one
 * marketplace), and the simulator's internal records. Internal records keep epoch milliseconds and amounts in
 * the order's own tax mode; order-view.ts turns them into the OR11 shapes.
 */

export type OrderState =
  | "STAGING"
  | "WAITING_ACCEPTANCE"
  | "WAITING_DEBIT"
  | "WAITING_DEBIT_PAYMENT"
  | "SHIPPING"
  | "SHIPPED"
  | "TO_COLLECT"
  | "RECEIVED"
  | "CLOSED"
  | "REFUSED"
  | "CANCELED";

export type OrderLineState = OrderState | "INCIDENT_OPEN" | "REFUNDED";

export const ORDER_STATES: readonly OrderState[] = [
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
];

export type TaxMode = "TAX_INCLUDED" | "TAX_EXCLUDED";
export type PresetName = "default" | "joules" | "bandq" | "decathlon";
export const PRESET_NAMES: readonly PresetName[] = ["default", "joules", "bandq", "decathlon"];

export interface Carrier {
  code: string;
  label: string;
  standardCode?: string;
  /** SH21 template; `{trackingId}` is replaced by the tracking number (notes §2.3). */
  trackingUrl?: string;
}

export interface ShippingType {
  code: string;
  label: string;
  description: string;
  standardCode?: string;
  /** SH12: OR24/ST24 refuse to ship without tracking (notes §5 gotcha 2). */
  mandatoryTracking: boolean;
  clickAndCollect: boolean;
  deliveryByOperator: boolean;
  zoneCode: string;
  zoneLabel: string;
  /** Shipping charged on the first unit of the first line. */
  price: number;
  /** Shipping charged on every further unit. */
  additionalPrice: number;
}

export type ReasonType =
  | "REFUND"
  | "CANCELATION"
  | "INCIDENT_OPEN"
  | "INCIDENT_CLOSE"
  | "ORDER_MESSAGING"
  | "OFFER_MESSAGING";

export interface Reason {
  code: string;
  label: string;
  type: ReasonType;
  isShopRight: boolean;
}

export interface TaxRule {
  code: string;
  /** Percent, e.g. 20 for 20 %. */
  rate: number;
}

export interface RateLimit {
  /** Bucket size: how many calls may be made in a burst. */
  capacity: number;
  /** Tokens added per minute of (simulated) time. */
  refillPerMinute: number;
}

export interface TenantConfig {
  tenantName: string;
  platformName: string;
  timezone: string;
  /** PC01 features.order_tax_mode. */
  orderTaxMode: TaxMode;
  /** PC01 features.order_workflows.order_acceptance. */
  orderAcceptance: "AUTOMATIC" | "NOT_AUTOMATIC";
  /** Shop-level switch; mixed OR21 decisions are refused with ORDER_PARTIAL_ACCEPTANCE_DISABLED when off. */
  partialAcceptance: boolean;
  /** "Shop partial cancelation" feature; OR30 is refused when off (notes §2.1 OR30). */
  partialCancel: boolean;
  /** PC01 shipping_and_billing_details_before_acceptance. */
  addressBeforeAcceptance: boolean;
  /** PC01 features.shipment.multi_shipment; enables ST01/ST11/ST23/ST24. */
  multiShipment: boolean;
  /** PC01 features.disable_seller_alternative_carrier. */
  disableSellerAlternativeCarrier: boolean;
  /** Time an order spends in STAGING (fraud check); 0 skips STAGING. */
  stagingMs: number;
  /** Acceptance window; at expiry the order is automatically refused. */
  acceptanceWindowMs: number;
  /** Delay between acceptance and the customer debit (WAITING_DEBIT_PAYMENT → SHIPPING). */
  debitDelayMs: number;
  /** Probability that the customer debit fails (order → CANCELED). */
  debitFailRate: number;
  /** SHIPPED → RECEIVED after this delay. */
  autoReceiveMs: number;
  /** RECEIVED → CLOSED after this delay. */
  autoCloseMs: number;
  /** Refund WAITING_REFUND → REFUNDED after this delay. */
  refundDelayMs: number;
  /** A billing cycle (SBC11) closes every this often. */
  billingCycleMs: number;
  /** A closed billing cycle is paid out (TO_PAY → PAID) after this delay. */
  payoutDelayMs: number;
  /** STO01 import: WAITING → RUNNING after this delay. */
  importWaitMs: number;
  /** STO01 import: RUNNING → COMPLETE after this further delay. */
  importRunMs: number;
  /** OF52 export: PENDING → COMPLETED after this delay. */
  exportDelayMs: number;
  /** OR11 start_update_date is moved back by this much (notes §5 gotcha 14). */
  updateDateSkewMs: number;
  currency: string;
  /** ISO 3166 alpha-3 countries customers are drawn from. */
  countries: string[];
  locale: string;
  leadtimeToShipDays: number;
  /** Product/shipping tax by ISO-3 country; "*" is the fallback. An empty map means no taxes on lines. */
  taxes: Record<string, TaxRule>;
  /** Line tax calculation rule; NONE makes tax amounts mandatory in OR28/OR30 (notes §5 gotcha 7). */
  taxCalculationRule: "PROPORTIONAL_TO_AMOUNT" | "NONE";
  /** Operator commission, fraction of line price + shipping. */
  commissionRate: number;
  /** VAT charged on the commission, percent. */
  commissionVatRate: number;
  carriers: Carrier[];
  shippingTypes: ShippingType[];
  reasons: Reason[];
  /** Token buckets by operation id ("OR11") or "*" for every operation; empty = unlimited. */
  rateLimits: Record<string, RateLimit>;
  /** What happens to the offer stock when an order line is refused or canceled (notes §5 gotcha 23). */
  stockOnRefusal: "restore" | "keep" | "zero";
  /** PC01 operator_csv_delimiter, used by STO01 files and CSV exports. */
  csvDelimiter: ";" | ",";
  paymentType: string;
}

export interface ShopAccount {
  apiKey: string;
  shopId: number;
  shopName: string;
}

export interface SimOffer {
  offerId: number;
  shopId: number;
  sku: string;
  productSku: string;
  productTitle: string;
  description: string;
  categoryCode: string;
  categoryLabel: string;
  price: number;
  quantity: number;
  stateCode: string;
  active: boolean;
  leadtimeToShip: number;
  createdAt: number;
  updatedAt: number;
  deleted: boolean;
}

export interface AmountTax {
  code: string;
  amount: number;
  /** Percent. */
  rate: number;
}

export interface SimRefund {
  id: string;
  orderRefundId: string;
  createdAt: number;
  quantity: number;
  amount: number;
  shippingAmount: number;
  reasonCode: string;
  state: "WAITING_REFUND" | "REFUNDED";
  taxes: AmountTax[];
  shippingTaxes: AmountTax[];
  commissionAmount: number;
  commissionTaxes: AmountTax[];
  transactionNumber: string | null;
  transactionDate: number | null;
  updatedAt: number;
}

export interface SimCancelation {
  id: string;
  createdAt: number;
  quantity: number;
  amount: number;
  shippingAmount: number;
  reasonCode: string;
  taxes: AmountTax[];
  shippingTaxes: AmountTax[];
  commissionAmount: number;
  commissionTaxes: AmountTax[];
}

export interface SimOrderLine {
  id: string;
  index: number;
  state: OrderLineState;
  stateReasonCode: string | null;
  stateReasonLabel: string | null;
  offerId: number;
  offerSku: string;
  productSku: string;
  productTitle: string;
  description: string;
  categoryCode: string;
  categoryLabel: string;
  /** False when the SKU is not one of the shop's offers (generator's unknown-SKU lines). */
  knownOffer: boolean;
  /** Current quantity: ordered quantity minus OR30 cancelations. */
  quantity: number;
  orderedQuantity: number;
  unitPrice: number;
  /** Current line price (cancelations taken out), in the order's tax mode. */
  price: number;
  shippingPrice: number;
  shippingPriceUnit: number;
  shippingPriceAdditionalUnit: number;
  taxes: AmountTax[];
  shippingTaxes: AmountTax[];
  commissionFee: number;
  commissionVat: number;
  cancelations: SimCancelation[];
  refunds: SimRefund[];
  /** Quantity covered by shipped shipments (multi-shipment) or OR24. */
  shippedQuantity: number;
  createdAt: number;
  updatedAt: number;
  debitedAt: number | null;
  shippedAt: number | null;
  receivedAt: number | null;
}

export interface SimAddress {
  civility: string | null;
  firstname: string;
  lastname: string;
  company: string | null;
  street1: string;
  street2: string | null;
  zipCode: string;
  city: string;
  state: string | null;
  country: string;
  countryIsoCode: string;
  phone: string | null;
  additionalInfo: string | null;
}

export interface SimCustomer {
  customerId: string;
  civility: string | null;
  firstname: string;
  lastname: string;
  locale: string;
  billingAddress: SimAddress;
  shippingAddress: SimAddress;
}

export interface SimTracking {
  carrierCode: string | null;
  carrierName: string | null;
  carrierStandardCode: string | null;
  trackingNumber: string | null;
  trackingUrl: string | null;
}

export interface SimOrder {
  id: string;
  commercialId: string;
  shopId: number;
  /** Creation sequence, the tie-breaker of OR11's dateCreated sort. */
  seq: number;
  state: OrderState;
  stateReasonCode: string | null;
  stateReasonLabel: string | null;
  createdAt: number;
  updatedAt: number;
  /** Set when the shop decided with OR21; null for automatic acceptance/refusal. */
  acceptanceDecisionAt: number | null;
  /** Set when the order was accepted, automatically or not (addresses become visible). */
  acceptedAt: number | null;
  waitingAcceptanceSince: number | null;
  customerDebitedAt: number | null;
  shippedAt: number | null;
  receivedAt: number | null;
  closedAt: number | null;
  shippingDeadline: number;
  leadtimeToShip: number;
  currency: string;
  taxMode: TaxMode;
  shippingTypeCode: string;
  shippingTypeLabel: string;
  shippingTypeStandardCode: string | null;
  shippingZoneCode: string;
  shippingZoneLabel: string;
  customer: SimCustomer;
  notificationEmail: string;
  referenceForCustomer: string;
  referenceForSeller: string | null;
  tracking: SimTracking | null;
  lines: SimOrderLine[];
  paymentWorkflow: "PAY_ON_ACCEPTANCE";
  paymentType: string;
  debitOutcome: "succeed" | "fail";
  transactionNumber: string | null;
  /** Bumped on every change; keys the view cache. */
  version: number;
}

export interface SimShipment {
  id: string;
  shopId: number;
  orderId: string;
  status: "SHIPPING" | "SHIPPED" | "RECEIVED" | "CLOSED" | "CANCELED";
  lines: Array<{ orderLineId: string; offerSku: string; quantity: number; packageReference: string | null }>;
  tracking: SimTracking | null;
  invoiceReference: string | null;
  createdAt: number;
  updatedAt: number;
  shippedAt: number | null;
}

export interface StockImportRow {
  line: number;
  raw: string[];
}

export interface SimStockImport {
  id: string;
  shopId: number;
  createdAt: number;
  status: "WAITING" | "RUNNING" | "COMPLETE" | "FAILED";
  header: string[];
  rows: StockImportRow[];
  linesInSuccess: number;
  linesInError: number;
  errorReport: string | null;
  reasonStatus: string | null;
}

export interface SimOfferExport {
  trackingId: string;
  shopId: number;
  createdAt: number;
  status: "PENDING" | "COMPLETED" | "FAILED";
  format: "application/json" | "text/csv";
  lastRequestDate: number | null;
  includeInactive: boolean;
  itemsPerChunk: number;
  baseUrl: string;
  completedAt: number | null;
  files: string[];
}

export type TransactionType =
  | "ORDER_AMOUNT"
  | "ORDER_AMOUNT_TAX"
  | "ORDER_SHIPPING_AMOUNT"
  | "ORDER_SHIPPING_AMOUNT_TAX"
  | "COMMISSION_FEE"
  | "COMMISSION_VAT"
  | "REFUND_ORDER_AMOUNT"
  | "REFUND_ORDER_AMOUNT_TAX"
  | "REFUND_ORDER_SHIPPING_AMOUNT"
  | "REFUND_ORDER_SHIPPING_AMOUNT_TAX"
  | "REFUND_COMMISSION_FEE"
  | "REFUND_COMMISSION_VAT";

export interface SimTransaction {
  id: string;
  shopId: number;
  seq: number;
  type: TransactionType;
  amount: number;
  balance: number;
  currency: string;
  createdAt: number;
  updatedAt: number;
  paymentState: "PENDING" | "PAYABLE" | "PAID";
  billingCycleId: string | null;
  orderId: string;
  orderLineId: string;
  refundId: string | null;
  tax: TaxRule | null;
  shopTax: TaxRule | null;
}

export interface SimBillingCycle {
  id: string;
  shopId: number;
  seq: number;
  createdAt: number;
  currency: string;
  payOutState: "TO_PAY" | "PAID";
  payOutReference: string | null;
  transactionDate: number | null;
  transactionIds: string[];
}

export interface FaultConfig {
  /** Probability of a 429 (Retry-After: 1) per request. */
  rate429?: number;
  /** Every request gets 429 for this long (simulated time). */
  storm429?: { forMs: number; retryAfterSeconds?: number };
  /** Probability of a 500/503 (nothing applied) per request. */
  rate5xx?: number;
  /** Real-time delay added before answering. */
  latencyMs?: [number, number];
  /** Probability that a write is applied and then never answered. */
  timeoutAfterWriteRate?: number;
  /** How long an unanswered request's socket is held before being destroyed (default 10 s). */
  hangMs?: number;
  /** Restrict faults to these operation ids. */
  only?: string[];
}

export interface GeneratorOptions {
  ordersPerMinute: number;
  basketSize?: [number, number];
  skuWeights?: Record<string, number>;
  /** Probability that a line references a SKU the shop does not sell. */
  unknownSkuRate?: number;
  shopId?: number;
}

export interface CreateOrderInput {
  shopId?: number;
  lines: Array<{ offerSku: string; quantity: number; unitPrice?: number; productTitle?: string }>;
  shippingTypeCode?: string;
  /** ISO 3166 alpha-3. */
  country?: string;
  customer?: Partial<{
    firstname: string;
    lastname: string;
    civility: string;
    company: string;
    street1: string;
    street2: string;
    zipCode: string;
    city: string;
    state: string;
    phone: string;
    locale: string;
  }>;
  orderId?: string;
  commercialId?: string;
  /** Force the outcome of the customer debit instead of drawing it from debitFailRate. */
  debit?: "succeed" | "fail";
}

export interface RefundInPortalLine {
  orderLineId: string;
  /** Defaults to the line's remaining refundable price. */
  amount?: number;
  /** Defaults to the line's remaining refundable shipping. */
  shippingAmount?: number;
  quantity?: number;
  reasonCode?: string;
}

export interface SimulatorStats {
  calls: Record<string, number>;
  responses: Record<string, Record<string, number>>;
  served429: number;
  served5xx: number;
  writesApplied: number;
  writesAppliedByOperation: Record<string, number>;
  timeoutsAfterWrite: number;
  ordersCreated: number;
}
