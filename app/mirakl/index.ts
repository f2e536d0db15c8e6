/** The Mirakl seller API client: everything other modules may use. Imports nothing outside app/lib. */
export {
  createMiraklClient,
  type BatchResult,
  type CreateMiraklClientOptions,
  type ListOrdersQuery,
  type MiraklClient,
  type MiraklTransportAdapter,
  type MiraklVersion,
  type OrderFilter,
  type OrderPage,
} from "./client";
export {
  MiraklAuthError,
  MiraklConnectionError,
  MiraklError,
  MiraklRateLimitError,
  MiraklRequestError,
  MiraklResponseError,
  MiraklTimeoutError,
  MiraklUnavailableError,
} from "./errors";
export { MIRAKL_OPERATIONS, isWriteOperation, type MiraklOperationId } from "./operations";
export {
  DEFAULT_RATE_LIMITS,
  UNLIMITED,
  createRateLimiter,
  sharedRateLimiter,
  type MiraklRateLimiter,
  type RateLimit,
  type RateLimitWindow,
} from "./rate-limiter";
export { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy";
export {
  toMiraklDate,
  type AcceptOrderInput,
  type CancelLinesInput,
  type CancelationLineInput,
  type CreateShipmentInput,
  type FeeAmount,
  type OrderTaxMode,
  type RefundInput,
  type RefundLineInput,
  type SetTrackingInput,
  type ShipmentTrackingInput,
  type StartOfferExportInput,
  type TaxAmount,
  type UpdateOrdersInput,
} from "./request-bodies";
export { buildStockCsv, parseStockErrorReport, type StockErrorRow, type StockLine } from "./stock-file";
export { csvDelimiterFromPlatform, type CsvDelimiter } from "./csv";
export {
  MIRAKL_ORDER_STATES,
  miraklOrderLineSchema,
  miraklOrderSchema,
  type MiraklAddress,
  type MiraklCancelation,
  type MiraklOrder,
  type MiraklOrderLine,
  type MiraklOrderState,
  type MiraklRefund,
  type MiraklTax,
} from "./schemas/order";
export type {
  MiraklCancelationResult,
  MiraklCreatedCancelation,
  MiraklCreatedRefund,
  MiraklRefundResult,
  MiraklUpdatedOrder,
} from "./schemas/order-writes";
export type {
  MiraklAccount,
  MiraklCarrier,
  MiraklPlatformConfiguration,
  MiraklPlatformSummary,
  MiraklReason,
  MiraklShippingType,
} from "./schemas/reference-data";
export type { MiraklShipment, MiraklShipmentError } from "./schemas/shipment";
export type { MiraklOffer, OfferExportStatus } from "./schemas/offer";
export type { StockImportStatus } from "./schemas/stock";
export type { BillingCycle, TransactionLog } from "./schemas/accounting";
