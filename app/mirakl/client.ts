/**
 * The Mirakl seller API client (Mirakl Marketplace Platform, seller role). One instance per marketplace connection.
 *
 * Every method names the Mirakl operation it calls (OR21 ...), shapes the input into what the spec accepts and parses
 * the answer leniently. Transport, pacing, retries and error mapping live in ./request.ts; errors in ./errors.ts.
 * Reference: ../shared/mirakl/mmp-seller-openapi.json (the contract) and seller-api-notes.md (behaviour).
 */
import type { AxiosInstance, AxiosResponse, InternalAxiosRequestConfig } from "axios";
import { z } from "zod";
import { ValidationError } from "../lib/errors";
import { logger } from "../lib/logger";
import { createSemaphore } from "./concurrency";
import { parseCsvRecords, type CsvDelimiter } from "./csv";
import { responseShapeError } from "./errors";
import type { MiraklOperationId } from "./operations";
import { chunk, paginateOffset, paginateSeek } from "./pagination";
import { createMiraklRequest, normaliseBaseUrl, resolveTransport, type QueryValue } from "./request";
import {
  buildAcceptOrderBody,
  buildCancelLinesBody,
  buildCreateShipmentsBody,
  buildRefundBody,
  buildSetTrackingBody,
  buildShipShipmentsBody,
  buildStartOfferExportBody,
  buildUpdateOrdersBody,
  buildUpdateShipmentTrackingBody,
  requireId,
  toMiraklDate,
  type AcceptOrderInput,
  type CancelLinesInput,
  type CreateShipmentInput,
  type OrderTaxMode,
  type RefundInput,
  type SetTrackingInput,
  type ShipmentTrackingInput,
  type StartOfferExportInput,
  type UpdateOrdersInput,
} from "./request-bodies";
import { resolveRateLimit, sharedRateLimiter, type MiraklRateLimiter, type RateLimit } from "./rate-limiter";
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from "./retry-policy";
import { miraklBillingCyclePageSchema, miraklTransactionLogPageSchema, type BillingCycle, type TransactionLog } from "./schemas/accounting";
import { miraklOfferSchema, miraklOfferChunkSchema, miraklOfferExportStartSchema, miraklOfferExportStatusSchema, miraklOfferPageSchema } from "./schemas/offer";
import type { MiraklOffer, OfferExportStatus } from "./schemas/offer";
import { miraklOrderPageSchema, type MiraklOrder } from "./schemas/order";
import {
  miraklCancelationResultSchema,
  miraklRefundResultSchema,
  miraklUpdateOrdersResultSchema,
  type MiraklCreatedCancelation,
  type MiraklCreatedRefund,
  type MiraklUpdatedOrder,
} from "./schemas/order-writes";
import {
  miraklAccountSchema,
  miraklCarriersResponseSchema,
  miraklPlatformConfigurationSchema,
  miraklReasonsResponseSchema,
  miraklShippingTypesResponseSchema,
  summarisePlatformConfiguration,
  type MiraklAccount,
  type MiraklCarrier,
  type MiraklPlatformConfiguration,
  type MiraklReason,
  type MiraklShippingType,
} from "./schemas/reference-data";
import {
  miraklCreateShipmentsResponseSchema,
  miraklShipmentBatchResponseSchema,
  miraklShipmentPageSchema,
  type MiraklShipment,
  type MiraklShipmentError,
} from "./schemas/shipment";
import { miraklStockImportCreatedSchema, miraklStockImportStatusSchema, type StockImportStatus } from "./schemas/stock";
import { buildStockCsv, parseStockErrorReport, type StockErrorRow, type StockLine } from "./stock-file";

/** An axios adapter, for tests or a custom HTTP stack. */
export type MiraklTransportAdapter = (config: InternalAxiosRequestConfig) => Promise<AxiosResponse>;

export interface CreateMiraklClientOptions {
  /** Instance root, e.g. https://x.mirakl.net (a trailing /api is tolerated); the client appends /api/... */
  baseUrl: string;
  /** Shop API key, sent raw in Authorization (never Bearer: notes §1.2). */
  apiKey: string;
  /** For keys that reach several shops: sent as shop_id on every call (notes §1.3). */
  shopId?: string | number;
  /** Per attempt, connect to last byte. Default 20 s. */
  timeoutMs?: number;
  transport?: AxiosInstance | MiraklTransportAdapter;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  random?: () => number;
  /** Per-operation pacing overrides; `null` or `{ windows: [] }` = unlimited. */
  limits?: Partial<Record<MiraklOperationId, RateLimit | null>>;
  /** Extra attempts for reads after a 5xx, a dropped connection or a timeout. Default 3. */
  maxReadRetries?: number;
  retry?: Partial<RetryPolicy>;
  /** Calls in flight at once for this client. Default 4. */
  maxConcurrency?: number;
  /** Pacing state; defaults to one shared by the process. */
  rateLimiter?: MiraklRateLimiter;
  /** Added to every log line (shop, connection, job ...). */
  logContext?: Record<string, unknown>;
}

export interface OrderFilter {
  /** Last-update window; Mirakl subtracts a safety delta, so expect repeats (gotcha 14). */
  startUpdateDate?: Date | string;
  endUpdateDate?: Date | string;
  /** Creation window. */
  startDate?: Date | string;
  endDate?: Date | string;
  /** Order states (OR11 order_state_codes): order-level values only. */
  orderStates?: readonly string[];
  orderIds?: readonly string[];
  orderReferencesForSeller?: readonly string[];
  channelCodes?: readonly string[];
  paymentWorkflow?: string;
  hasIncident?: boolean;
  customerDebited?: boolean;
  orderTaxMode?: OrderTaxMode;
  locale?: string;
}

export interface ListOrdersQuery extends OrderFilter {
  offset?: number;
  /** Page size, at most 100 (the default here; Mirakl's own default of 10 silently drops orders: gotcha 15). */
  max?: number;
}

export interface OrderPage {
  orders: MiraklOrder[];
  totalCount: number;
}

export interface BatchResult<S, E> {
  successes: S[];
  errors: E[];
}

export interface MiraklVersion {
  /** The version Mirakl reports, when the body says; V01's body "is subject to change". */
  version: string | null;
  body: string;
}

export interface MiraklClient {
  readonly baseUrl: string;
  /** When `operationId` may next run without waiting (epoch ms, per this client's clock). */
  nextAllowedAt(operationId: MiraklOperationId): number;

  /** A01: the shop behind the key (also the best "is this key valid" check). */
  getAccount(): Promise<MiraklAccount>;
  /** PC01: platform features that decide the integration's behaviour (read at connect time; gotcha 20). */
  getPlatformConfiguration(): Promise<MiraklPlatformConfiguration>;
  /** V01: health check; any 2xx means up. */
  getVersion(): Promise<MiraklVersion>;
  /** SH12: shipping methods (mandatory_tracking decides whether OR24 needs OR23 first). */
  listShippingTypes(input?: { locale?: string }): Promise<MiraklShippingType[]>;
  /** SH21: carriers; `code` is what OR23 carrier_code takes. */
  listCarriers(): Promise<MiraklCarrier[]>;
  /** RE01: refund / cancelation / incident reasons. */
  listReasons(input?: { locale?: string }): Promise<MiraklReason[]>;

  /** OR11: one page of orders. */
  listOrders(query?: ListOrdersQuery): Promise<OrderPage>;
  /** OR11: every order matching the filter, page after page (max=100), order_ids in chunks of 100. */
  iterateOrders(filter?: OrderFilter): AsyncGenerator<MiraklOrder, void, undefined>;
  /** OR11 by order_ids (chunks of 100): how to re-read orders before re-sending a write. */
  getOrdersByIds(input: readonly string[] | { orderIds: readonly string[] }): Promise<MiraklOrder[]>;

  /** OR21: accept or refuse every line of a WAITING_ACCEPTANCE order. */
  acceptOrder(input: AcceptOrderInput): Promise<void>;
  /** OR23: carrier and tracking number of an order in SHIPPING. */
  setTracking(input: SetTrackingInput): Promise<void>;
  /** OR24: confirm the shipment of an order in SHIPPING. */
  shipOrder(input: { orderId: string }): Promise<void>;
  /** OR28: refund order lines (several orders at once); returns the refunds Mirakl created. Not idempotent. */
  refund(input: RefundInput): Promise<{ orderTaxMode: string | null; refunds: MiraklCreatedRefund[] }>;
  /** OR29: cancel a whole order. */
  cancelOrder(input: { orderId: string }): Promise<void>;
  /** OR30: cancel quantities of order lines; returns the cancelations Mirakl created. Not idempotent. */
  cancelLines(input: CancelLinesInput): Promise<{ orderTaxMode: string | null; cancelations: MiraklCreatedCancelation[] }>;
  /** OR04: set order_reference_for_seller on up to 100 orders; per-order errors are returned, not thrown. */
  updateOrders(input: UpdateOrdersInput): Promise<{
    updatedOrders: MiraklUpdatedOrder[];
    errors: Array<{ orderId: string; code: string | null; field: string | null; message: string | null }>;
  }>;

  /** ST01: create shipments (multi-shipment tenants); per-order errors are returned, not thrown. */
  createShipments(input: { shipments: readonly CreateShipmentInput[] }): Promise<BatchResult<MiraklShipment, MiraklShipmentError>>;
  /** ST23: tracking on existing shipments. */
  updateShipmentTracking(input: {
    shipments: ReadonlyArray<{ shipmentId: string; tracking: ShipmentTrackingInput }>;
  }): Promise<BatchResult<{ id: string }, MiraklShipmentError>>;
  /** ST24: mark shipments shipped. */
  shipShipments(input: { shipmentIds: readonly string[] }): Promise<BatchResult<{ id: string }, MiraklShipmentError>>;
  /** ST11: shipments, seek-paginated. */
  iterateShipments(input?: {
    orderIds?: readonly string[];
    shipmentStates?: readonly string[];
    lastUpdatedFrom?: Date | string;
    lastUpdatedTo?: Date | string;
    limit?: number;
  }): AsyncGenerator<MiraklShipment, void, undefined>;

  /** OF21: one page of offers and `total_count` (how a caller decides between OF21 and the OF52 export). */
  listOffers(input?: { offset?: number; max?: number; offerStateCodes?: readonly string[] }): Promise<{ offers: MiraklOffer[]; totalCount: number }>;
  /** OF21: the shop's offers, offset-paginated. */
  iterateOffers(input?: { sku?: string; productId?: string; offerStateCodes?: readonly string[]; max?: number }): AsyncGenerator<MiraklOffer, void, undefined>;
  /** OF52: start an asynchronous offer export; poll with getOfferExportStatus. */
  startOfferExport(input?: StartOfferExportInput): Promise<{ trackingId: string }>;
  /** OF53: export status; `urls` once COMPLETED. */
  getOfferExportStatus(input: string | { trackingId: string }): Promise<{
    status: string;
    urls: string[];
    lastUpdated: string | null;
    error: OfferExportStatus["error"] | null;
  }>;
  /** OF54: one chunk of a finished export (an absolute URL from OF53). */
  downloadOfferExportChunk(input: string | { url: string }): Promise<MiraklOffer[]>;

  /**
   * STO01: absolute quantities per offer (and warehouse) as a stock-only CSV. At most once a minute. `delimiter` is
   * the tenant's (PC01 operator_csv_delimiter, see csvDelimiterFromPlatform): required, because a file in the other
   * one fails as a whole on Mirakl's side, long after this call returned 201.
   */
  importStock(input: { lines: readonly StockLine[]; delimiter: CsvDelimiter }): Promise<{ importId: string }>;
  /** STO02: progress of a stock import. */
  getStockImportStatus(input: string | { importId: string }): Promise<StockImportStatus>;
  /** STO03: the failing lines of a stock import. */
  getStockImportErrorReport(input: string | { importId: string }): Promise<StockErrorRow[]>;

  /** TL02: transaction lines (payout matching), seek-paginated; limit ≤ 2000 and 60 calls an hour. */
  iterateTransactionLogs(input?: {
    lastUpdatedFrom?: Date | string;
    dateCreatedFrom?: Date | string;
    dateCreatedTo?: Date | string;
    orderId?: string | readonly string[];
    billingCycleId?: string | readonly string[];
    paymentStates?: readonly string[];
    transactionTypes?: readonly string[];
    limit?: number;
    /** e.g. "lastUpdated,ASC" (seek sort syntax: field,ASC|DESC). */
    sort?: string;
  }): AsyncGenerator<TransactionLog, void, undefined>;
  /** SBC11: seller billing cycles (payouts), seek-paginated; limit ≤ 1000. */
  iterateBillingCycles(input?: {
    startDate?: Date | string;
    endDate?: Date | string;
    payOutStates?: readonly string[];
    ids?: readonly string[];
    limit?: number;
  }): AsyncGenerator<BillingCycle, void, undefined>;
}

const DEFAULT_TIMEOUT_MS = 20_000;
const ORDER_PAGE_MAX = 100;
const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

function dateParam(value: Date | string | undefined, field: string): string | undefined {
  return value === undefined ? undefined : toMiraklDate(value, field);
}

/** A comma-separated OR11 list (order_ids, order_state_codes ...), capped at 100 values (gotcha 15). */
function commaList(values: readonly string[] | undefined, field: string): string | undefined {
  if (!values || values.length === 0) return undefined;
  if (values.length > 100) throw new ValidationError(`${field} takes at most 100 values per call.`, { field, count: values.length });
  for (const v of values) {
    if (typeof v !== "string" || v === "" || v.includes(",")) throw new ValidationError(`${field} has an empty value or one containing a comma.`, { field });
  }
  return values.join(",");
}

function boundedInt(value: number | undefined, fallback: number, min: number, max: number, field: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < min || v > max) throw new ValidationError(`${field} must be a whole number from ${min} to ${max}.`, { field, value: v });
  return v;
}

function asArray(value: string | readonly string[] | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  return typeof value === "string" ? [value] : [...value];
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

export function createMiraklClient(opts: CreateMiraklClientOptions): MiraklClient {
  const now = opts.now ?? Date.now;
  const shopId = opts.shopId === undefined || opts.shopId === "" ? undefined : String(opts.shopId);
  const base = normaliseBaseUrl(opts.baseUrl);
  const log = logger.child({ module: "mirakl", ...opts.logContext, marketplace: base ? new URL(base).host : "invalid-url" });
  const limiter = opts.rateLimiter ?? sharedRateLimiter;
  const retry: RetryPolicy = {
    ...DEFAULT_RETRY_POLICY,
    ...opts.retry,
    ...(opts.maxReadRetries === undefined ? {} : { maxReadRetries: opts.maxReadRetries }),
  };
  const request = createMiraklRequest({
    baseUrl: opts.baseUrl,
    apiKey: opts.apiKey,
    shopId,
    timeoutMs: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    transport: resolveTransport(opts.transport as never),
    sleep: opts.sleep ?? realSleep,
    now,
    random: opts.random ?? Math.random,
    limiter,
    limits: opts.limits,
    semaphore: createSemaphore({ max: opts.maxConcurrency ?? 4 }),
    retry,
    log,
  });

  function orderQuery(filter: OrderFilter): Record<string, QueryValue> {
    return {
      order_ids: commaList(filter.orderIds, "orderIds"),
      order_references_for_seller: commaList(filter.orderReferencesForSeller, "orderReferencesForSeller"),
      order_state_codes: commaList(filter.orderStates, "orderStates"),
      channel_codes: commaList(filter.channelCodes, "channelCodes"),
      start_date: dateParam(filter.startDate, "startDate"),
      end_date: dateParam(filter.endDate, "endDate"),
      start_update_date: dateParam(filter.startUpdateDate, "startUpdateDate"),
      end_update_date: dateParam(filter.endUpdateDate, "endUpdateDate"),
      payment_workflow: filter.paymentWorkflow,
      has_incident: filter.hasIncident,
      customer_debited: filter.customerDebited,
      order_tax_mode: filter.orderTaxMode,
      locale: filter.locale,
    };
  }

  async function listOrders(query: ListOrdersQuery = {}): Promise<OrderPage> {
    const max = boundedInt(query.max, ORDER_PAGE_MAX, 1, ORDER_PAGE_MAX, "max");
    const offset = boundedInt(query.offset, 0, 0, Number.MAX_SAFE_INTEGER, "offset");
    const page = await request({
      operationId: "OR11",
      path: "/api/orders",
      // Creation order is stable while orders change underneath, so offset paging neither skips nor repeats.
      query: { ...orderQuery(query), max, offset, sort: "dateCreated", order: "asc" },
      responseSchema: miraklOrderPageSchema,
    });
    return { orders: page.orders, totalCount: page.total_count };
  }

  async function* iterateOrders(filter: OrderFilter = {}): AsyncGenerator<MiraklOrder, void, undefined> {
    const { orderIds, ...rest } = filter;
    const idChunks = orderIds === undefined ? [undefined] : chunk(unique(orderIds), 100);
    for (const ids of idChunks) {
      if (ids !== undefined && ids.length === 0) continue;
      yield* paginateOffset({
        max: ORDER_PAGE_MAX,
        fetchPage: async ({ offset, max }) => {
          const page = await listOrders({ ...rest, ...(ids ? { orderIds: ids } : {}), offset, max });
          return { items: page.orders, totalCount: page.totalCount };
        },
      });
    }
  }

  async function getOrdersByIds(input: readonly string[] | { orderIds: readonly string[] }): Promise<MiraklOrder[]> {
    const ids = Array.isArray(input) ? (input as readonly string[]) : (input as { orderIds: readonly string[] }).orderIds;
    if (ids.length === 0) return [];
    const out: MiraklOrder[] = [];
    for await (const order of iterateOrders({ orderIds: ids })) out.push(order);
    return out;
  }

  function orderPath(orderId: string, action: string): string {
    requireId(orderId, "orderId");
    return `/api/orders/${encodeURIComponent(orderId)}/${action}`;
  }

  function idOf<K extends string>(input: string | Record<K, string>, key: K): string {
    const value = typeof input === "string" ? input : input[key];
    requireId(value, key);
    return value;
  }

  function seekQuery(filters: Record<string, QueryValue>, token: string | undefined): Record<string, QueryValue> {
    // With page_token Mirakl ignores every other filter (notes §1.5): send the token alone.
    return token === undefined ? filters : { page_token: token };
  }

  function parseChunk(text: string, url: string): MiraklOffer[] {
    const trimmed = text.trim();
    if (trimmed === "") return [];
    if (trimmed.startsWith("[") || trimmed.startsWith("{")) {
      let json: unknown;
      try {
        json = JSON.parse(trimmed);
      } catch {
        throw responseShapeError({ operationId: "OF54", status: 200, write: false, path: new URL(url).pathname, issues: [], reason: "the chunk is not valid JSON" });
      }
      const items = Array.isArray(json) ? json : (json as { offers?: unknown }).offers;
      const parsed = miraklOfferChunkSchema.safeParse(items);
      if (!parsed.success) {
        throw responseShapeError({ operationId: "OF54", status: 200, write: false, path: new URL(url).pathname, issues: parsed.error.issues });
      }
      return parsed.data;
    }
    // A CSV chunk (export_type text/csv): kebab-case headers, empty cells for absent values, lists joined by "|".
    const { records } = parseCsvRecords({ text });
    return records.map((rec, index) => {
      const obj: Record<string, unknown> = {};
      for (const [k, v] of Object.entries(rec)) {
        const key = k.replace(/-/g, "_");
        obj[key] = v === "" ? null : key === "channels" ? v.split("|") : v;
      }
      const parsed = miraklOfferSchema.safeParse(obj);
      if (!parsed.success) {
        throw responseShapeError({
          operationId: "OF54",
          status: 200,
          write: false,
          path: new URL(url).pathname,
          issues: parsed.error.issues.map((i) => ({ ...i, path: [index, ...i.path] })),
        });
      }
      return parsed.data;
    });
  }

  const client: MiraklClient = {
    baseUrl: base ?? opts.baseUrl,

    nextAllowedAt(operationId) {
      return limiter.nextAllowedAt({
        key: { baseUrl: base ?? opts.baseUrl, apiKey: opts.apiKey, shopId, operationId },
        limit: resolveRateLimit({ operationId, overrides: opts.limits }),
        now: now(),
      });
    },

    getAccount() {
      return request({ operationId: "A01", path: "/api/account", responseSchema: miraklAccountSchema });
    },

    async getPlatformConfiguration() {
      const raw = await request({ operationId: "PC01", path: "/api/platform/configuration", responseSchema: miraklPlatformConfigurationSchema });
      return summarisePlatformConfiguration(raw);
    },

    async getVersion() {
      const body = await request({ operationId: "V01", path: "/api/version", responseSchema: z.string(), responseType: "text", accept: "application/json, */*" });
      let version: string | null = null;
      try {
        const json: unknown = JSON.parse(body);
        if (json && typeof json === "object" && typeof (json as { version?: unknown }).version === "string") version = (json as { version: string }).version;
      } catch {
        // V01's body "is subject to change": a 2xx is all that matters.
      }
      return { version, body };
    },

    async listShippingTypes(input = {}) {
      const res = await request({ operationId: "SH12", path: "/api/shipping/types", query: { locale: input.locale }, responseSchema: miraklShippingTypesResponseSchema });
      return res.shipping_types;
    },

    async listCarriers() {
      const res = await request({ operationId: "SH21", path: "/api/shipping/carriers", responseSchema: miraklCarriersResponseSchema });
      return res.carriers;
    },

    async listReasons(input = {}) {
      const res = await request({ operationId: "RE01", path: "/api/reasons", query: { locale: input.locale }, responseSchema: miraklReasonsResponseSchema });
      return res.reasons;
    },

    listOrders,
    iterateOrders,
    getOrdersByIds,

    async acceptOrder(input) {
      const body = buildAcceptOrderBody(input);
      await request({ operationId: "OR21", path: orderPath(input.orderId, "accept"), body });
    },

    async setTracking(input) {
      const body = buildSetTrackingBody(input);
      await request({ operationId: "OR23", path: orderPath(input.orderId, "tracking"), body });
    },

    async shipOrder(input) {
      await request({ operationId: "OR24", path: orderPath(input.orderId, "ship"), emptyBodyPut: true });
    },

    async refund(input) {
      const res = await request({ operationId: "OR28", path: "/api/orders/refund", body: buildRefundBody(input), responseSchema: miraklRefundResultSchema });
      return { orderTaxMode: res.order_tax_mode ?? null, refunds: res.refunds };
    },

    async cancelOrder(input) {
      await request({ operationId: "OR29", path: orderPath(input.orderId, "cancel"), emptyBodyPut: true });
    },

    async cancelLines(input) {
      const res = await request({ operationId: "OR30", path: "/api/orders/cancel", body: buildCancelLinesBody(input), responseSchema: miraklCancelationResultSchema });
      return { orderTaxMode: res.order_tax_mode ?? null, cancelations: res.cancelations };
    },

    async updateOrders(input) {
      const res = await request({ operationId: "OR04", path: "/api/orders", body: buildUpdateOrdersBody(input), responseSchema: miraklUpdateOrdersResultSchema });
      const errors = res.updated_orders.flatMap((o) =>
        o.errors.map((e) => ({ orderId: o.order_id, code: e.code ?? null, field: e.field ?? null, message: e.message ?? null })),
      );
      return { updatedOrders: res.updated_orders, errors };
    },

    async createShipments(input) {
      const res = await request({
        operationId: "ST01",
        path: "/api/shipments",
        body: buildCreateShipmentsBody(input),
        responseSchema: miraklCreateShipmentsResponseSchema,
      });
      return { successes: res.shipment_success, errors: res.shipment_errors };
    },

    async updateShipmentTracking(input) {
      const res = await request({
        operationId: "ST23",
        path: "/api/shipments/tracking",
        body: buildUpdateShipmentTrackingBody(input),
        responseSchema: miraklShipmentBatchResponseSchema,
      });
      return { successes: res.shipment_success.map((s) => ({ id: s.id })), errors: res.shipment_errors };
    },

    async shipShipments(input) {
      const res = await request({
        operationId: "ST24",
        path: "/api/shipments/ship",
        body: buildShipShipmentsBody(input),
        responseSchema: miraklShipmentBatchResponseSchema,
      });
      return { successes: res.shipment_success.map((s) => ({ id: s.id })), errors: res.shipment_errors };
    },

    async *iterateShipments(input = {}) {
      const limit = boundedInt(input.limit, 100, 1, 100, "limit");
      const idChunks = input.orderIds === undefined ? [undefined] : chunk(unique(input.orderIds), 100);
      for (const ids of idChunks) {
        if (ids !== undefined && ids.length === 0) continue;
        const filters: Record<string, QueryValue> = {
          order_id: ids,
          shipment_state_code: input.shipmentStates,
          last_updated_from: dateParam(input.lastUpdatedFrom, "lastUpdatedFrom"),
          last_updated_to: dateParam(input.lastUpdatedTo, "lastUpdatedTo"),
          limit,
        };
        yield* paginateSeek({
          operationId: "ST11",
          path: "/api/shipments",
          fetchPage: async (token) => {
            const page = await request({ operationId: "ST11", path: "/api/shipments", query: seekQuery(filters, token), responseSchema: miraklShipmentPageSchema });
            return { items: page.data, nextPageToken: page.next_page_token };
          },
        });
      }
    },

    async listOffers(input = {}) {
      const max = boundedInt(input.max, 100, 1, 100, "max");
      const offset = boundedInt(input.offset, 0, 0, Number.MAX_SAFE_INTEGER, "offset");
      const offerStateCodes = input.offerStateCodes && input.offerStateCodes.length > 0 ? input.offerStateCodes.join(",") : undefined;
      const res = await request({ operationId: "OF21", path: "/api/offers", query: { offer_state_codes: offerStateCodes, max, offset }, responseSchema: miraklOfferPageSchema });
      return { offers: res.offers, totalCount: res.total_count };
    },

    async *iterateOffers(input = {}) {
      const max = boundedInt(input.max, 100, 1, 100, "max");
      const filters: Record<string, QueryValue> = {
        sku: input.sku,
        product_id: input.productId,
        offer_state_codes: input.offerStateCodes && input.offerStateCodes.length > 0 ? input.offerStateCodes.join(",") : undefined,
      };
      yield* paginateOffset({
        max,
        fetchPage: async (page) => {
          const res = await request({ operationId: "OF21", path: "/api/offers", query: { ...filters, max: page.max, offset: page.offset }, responseSchema: miraklOfferPageSchema });
          return { items: res.offers, totalCount: res.total_count };
        },
      });
    },

    async startOfferExport(input = {}) {
      const res = await request({
        operationId: "OF52",
        path: "/api/offers/export/async",
        body: buildStartOfferExportBody(input),
        responseSchema: miraklOfferExportStartSchema,
      });
      return { trackingId: res.tracking_id };
    },

    async getOfferExportStatus(input) {
      const trackingId = idOf(input, "trackingId");
      const res = await request({
        operationId: "OF53",
        path: `/api/offers/export/async/status/${encodeURIComponent(trackingId)}`,
        responseSchema: miraklOfferExportStatusSchema,
      });
      return { status: res.status, urls: res.urls, lastUpdated: res.last_updated ?? null, error: res.error ?? null };
    },

    async downloadOfferExportChunk(input) {
      const raw = idOf(input, "url");
      let url: URL;
      try {
        url = new URL(raw);
      } catch {
        throw new ValidationError("An offer export chunk URL must be the absolute URL returned by OF53.");
      }
      if (url.protocol !== "https:" && url.protocol !== "http:") throw new ValidationError("An offer export chunk URL must be http(s).");
      const baseUrl = base ? new URL(base) : undefined;
      const sameHost = !!baseUrl && url.hostname.toLowerCase() === baseUrl.hostname.toLowerCase();
      // Never send the key in clear to the instance that we otherwise reach over https.
      if (sameHost && baseUrl?.protocol === "https:" && url.protocol === "http:") url.protocol = "https:";
      const text = await request({
        operationId: "OF54",
        path: url.toString(),
        responseSchema: z.string(),
        responseType: "text",
        accept: "application/json, text/csv, */*",
        // The key goes only to the Mirakl instance itself, not to a storage host a URL may point at.
        authenticate: sameHost,
        followRedirects: true,
      });
      return parseChunk(text, url.toString());
    },

    async importStock(input) {
      const csv = buildStockCsv(input);
      const res = await request({
        operationId: "STO01",
        path: "/api/offers/stock/imports",
        multipart: { field: "file", filename: "stock.csv", contentType: "text/csv", content: csv },
        responseSchema: miraklStockImportCreatedSchema,
      });
      return { importId: res.import_id };
    },

    getStockImportStatus(input) {
      const importId = idOf(input, "importId");
      return request({
        operationId: "STO02",
        path: `/api/offers/stock/imports/${encodeURIComponent(importId)}/status`,
        responseSchema: miraklStockImportStatusSchema,
      });
    },

    async getStockImportErrorReport(input) {
      const importId = idOf(input, "importId");
      const csv = await request({
        operationId: "STO03",
        path: `/api/offers/stock/imports/${encodeURIComponent(importId)}/error_report`,
        responseSchema: z.string(),
        responseType: "text",
        accept: "text/csv, application/json, */*",
      });
      return parseStockErrorReport({ csv });
    },

    async *iterateTransactionLogs(input = {}) {
      const limit = boundedInt(input.limit, 2000, 1, 2000, "limit");
      const orderIds = asArray(input.orderId);
      const cycleIds = asArray(input.billingCycleId);
      if (orderIds && orderIds.length > 100) throw new ValidationError("TL02 takes at most 100 order ids.", { count: orderIds.length });
      if (cycleIds && cycleIds.length > 100) throw new ValidationError("TL02 takes at most 100 billing cycle ids.", { count: cycleIds.length });
      const filters: Record<string, QueryValue> = {
        last_updated_from: dateParam(input.lastUpdatedFrom, "lastUpdatedFrom"),
        date_created_from: dateParam(input.dateCreatedFrom, "dateCreatedFrom"),
        date_created_to: dateParam(input.dateCreatedTo, "dateCreatedTo"),
        order_id: orderIds,
        seller_billing_cycle_id: cycleIds,
        payment_state: input.paymentStates,
        transaction_type: input.transactionTypes,
        sort: input.sort,
        limit,
      };
      yield* paginateSeek({
        operationId: "TL02",
        path: "/api/sellerpayment/transactions_logs",
        fetchPage: async (token) => {
          const page = await request({
            operationId: "TL02",
            path: "/api/sellerpayment/transactions_logs",
            query: seekQuery(filters, token),
            responseSchema: miraklTransactionLogPageSchema,
          });
          return { items: page.data, nextPageToken: page.next_page_token };
        },
      });
    },

    async *iterateBillingCycles(input = {}) {
      const limit = boundedInt(input.limit, 1000, 1, 1000, "limit");
      if (input.ids && input.ids.length > 100) throw new ValidationError("SBC11 takes at most 100 ids.", { count: input.ids.length });
      const filters: Record<string, QueryValue> = {
        start_date: dateParam(input.startDate, "startDate"),
        end_date: dateParam(input.endDate, "endDate"),
        pay_out_state: input.payOutStates,
        id: input.ids,
        limit,
      };
      yield* paginateSeek({
        operationId: "SBC11",
        path: "/api/seller-billing-cycles",
        fetchPage: async (token) => {
          const page = await request({
            operationId: "SBC11",
            path: "/api/seller-billing-cycles",
            query: seekQuery(filters, token),
            responseSchema: miraklBillingCyclePageSchema,
          });
          return { items: page.data, nextPageToken: page.next_page_token };
        },
      });
    },
  };
  return client;
}
