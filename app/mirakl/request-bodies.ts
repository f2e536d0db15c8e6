/**
 * Our inputs (camelCase, checked) turned into the JSON bodies Mirakl's spec accepts (snake_case). Pure functions so
 * the contract tests can hold every body against the spec's request schemas. Anything Mirakl would refuse for a
 * reason we can see here (an empty list, a duplicate line, more than the documented maximum) is refused here,
 * before a write goes out.
 */
import { ValidationError } from "../lib/errors";

export type OrderTaxMode = "TAX_INCLUDED" | "TAX_EXCLUDED";

export interface TaxAmount {
  code: string;
  amount: number;
}

export interface FeeAmount {
  code: string;
  amount: number;
}

// -- OR21 --------------------------------------------------------------------------------------------------------

export interface AcceptOrderInput {
  orderId: string;
  /** Every line of the order, each accepted or refused (OR21 ORDER_LINE_ACCEPTANCE_DECISION_MISSING otherwise). */
  lines: ReadonlyArray<{ id: string; accepted: boolean }>;
}

export function buildAcceptOrderBody(input: AcceptOrderInput): { order_lines: Array<{ id: string; accepted: boolean }> } {
  requireId(input.orderId, "orderId");
  if (input.lines.length === 0) throw new ValidationError("OR21 needs a decision for every order line; none given.", { orderId: input.orderId });
  const ids = new Set<string>();
  for (const line of input.lines) {
    requireId(line.id, "line id");
    if (typeof line.accepted !== "boolean") throw new ValidationError("Each OR21 line decision must be true or false.", { lineId: line.id });
    // Mirakl answers ORDER_LINE_DUPLICATE_ID; catching it here keeps the write from being sent at all.
    if (ids.has(line.id)) throw new ValidationError("The same order line appears twice in an OR21 decision.", { lineId: line.id });
    ids.add(line.id);
  }
  return { order_lines: input.lines.map((l) => ({ id: l.id, accepted: l.accepted })) };
}

// -- OR23 --------------------------------------------------------------------------------------------------------

export interface SetTrackingInput {
  orderId: string;
  /** A code from SH21 (registered carrier). Mirakl then builds the tracking URL itself and ignores carrierUrl. */
  carrierCode?: string;
  /** Name of an unregistered carrier (forbidden when PC01 disable_seller_alternative_carrier is true). */
  carrierName?: string;
  /** Tracking URL for an unregistered carrier. */
  carrierUrl?: string;
  carrierStandardCode?: string;
  /** Mandatory for a registered carrier whose URL template needs a number. */
  trackingNumber?: string;
}

export function buildSetTrackingBody(input: SetTrackingInput): Record<string, string> {
  requireId(input.orderId, "orderId");
  const body: Record<string, string> = {};
  const put = (key: string, value: string | undefined) => {
    if (value !== undefined && value !== "") body[key] = value;
  };
  if (!input.carrierCode && !input.carrierName) {
    // OR23: carrier_code for a registered carrier, carrier_name for an unregistered one (gotcha 1).
    throw new ValidationError("OR23 needs a carrier: a Mirakl carrier code (SH21) or, for an unregistered carrier, its name.", {
      orderId: input.orderId,
    });
  }
  put("carrier_code", input.carrierCode);
  put("carrier_name", input.carrierName);
  put("carrier_standard_code", input.carrierStandardCode);
  // Ignored by Mirakl for registered carriers; sending it only for unregistered ones keeps the request honest.
  if (!input.carrierCode) put("carrier_url", input.carrierUrl);
  put("tracking_number", input.trackingNumber);
  return body;
}

// -- OR28 --------------------------------------------------------------------------------------------------------

export interface RefundLineInput {
  orderLineId: string;
  /** A REFUND reason from RE01 with is_shop_right = true. */
  reasonCode: string;
  /** Amount of the product part, in the request's order tax mode. */
  amount: number;
  /** Shipping part (may be 0). */
  shippingAmount: number;
  /** Informative only for Mirakl (gotcha 7). */
  quantity?: number;
  currencyIsoCode?: string;
  excludedFromShipment?: boolean;
  /** Required when the line has taxes whose rule is not PROPORTIONAL_TO_AMOUNT. */
  taxes?: readonly TaxAmount[];
  shippingTaxes?: readonly TaxAmount[];
  fees?: readonly FeeAmount[];
}

export interface RefundInput {
  /** Set it explicitly: amounts are read in this mode, defaulting to the platform's (gotcha 7). */
  orderTaxMode?: OrderTaxMode;
  refunds: readonly RefundLineInput[];
}

export function buildRefundBody(input: RefundInput): Record<string, unknown> {
  if (input.refunds.length === 0) throw new ValidationError("OR28 needs at least one refund.");
  return {
    ...(input.orderTaxMode ? { order_tax_mode: input.orderTaxMode } : {}),
    refunds: input.refunds.map((r) => {
      requireId(r.orderLineId, "orderLineId");
      requireId(r.reasonCode, "reasonCode");
      requireAmount(r.amount, "amount", r.orderLineId);
      requireAmount(r.shippingAmount, "shippingAmount", r.orderLineId);
      return {
        order_line_id: r.orderLineId,
        reason_code: r.reasonCode,
        amount: r.amount,
        shipping_amount: r.shippingAmount,
        ...(r.quantity === undefined ? {} : { quantity: requireQuantity(r.quantity, r.orderLineId) }),
        ...(r.currencyIsoCode ? { currency_iso_code: r.currencyIsoCode } : {}),
        ...(r.excludedFromShipment === undefined ? {} : { excluded_from_shipment: r.excludedFromShipment }),
        ...amountsField("taxes", r.taxes),
        ...amountsField("shipping_taxes", r.shippingTaxes),
        ...amountsField("fees", r.fees),
      };
    }),
  };
}

// -- OR30 --------------------------------------------------------------------------------------------------------

export interface CancelationLineInput {
  orderLineId: string;
  /** A CANCELATION reason from RE01 with is_shop_right = true. */
  reasonCode: string;
  quantity: number;
  amount: number;
  shippingAmount: number;
  currencyIsoCode?: string;
  /** Must NOT be sent with order-level tax calculation in TAX_EXCLUDED mode (notes §2.1 OR30). */
  taxes?: readonly TaxAmount[];
  shippingTaxes?: readonly TaxAmount[];
  fees?: readonly FeeAmount[];
}

export interface CancelLinesInput {
  orderTaxMode?: OrderTaxMode;
  cancelations: readonly CancelationLineInput[];
}

export function buildCancelLinesBody(input: CancelLinesInput): Record<string, unknown> {
  if (input.cancelations.length === 0) throw new ValidationError("OR30 needs at least one cancelation.");
  return {
    ...(input.orderTaxMode ? { order_tax_mode: input.orderTaxMode } : {}),
    cancelations: input.cancelations.map((c) => {
      requireId(c.orderLineId, "orderLineId");
      requireId(c.reasonCode, "reasonCode");
      requireAmount(c.amount, "amount", c.orderLineId);
      requireAmount(c.shippingAmount, "shippingAmount", c.orderLineId);
      return {
        order_line_id: c.orderLineId,
        // The spec example sends 34 (a number); the schema says string, and so do we.
        reason_code: c.reasonCode,
        quantity: requireQuantity(c.quantity, c.orderLineId),
        amount: c.amount,
        shipping_amount: c.shippingAmount,
        ...(c.currencyIsoCode ? { currency_iso_code: c.currencyIsoCode } : {}),
        ...amountsField("taxes", c.taxes),
        ...amountsField("shipping_taxes", c.shippingTaxes),
        ...amountsField("fees", c.fees),
      };
    }),
  };
}

// -- OR04 --------------------------------------------------------------------------------------------------------

export interface UpdateOrdersInput {
  /** At most 100 orders per call (OR04), and OR04 may run once a minute. */
  orders: ReadonlyArray<{ orderId: string; orderReferenceForSeller: string }>;
}

export function buildUpdateOrdersBody(input: UpdateOrdersInput): { orders: Array<Record<string, unknown>> } {
  if (input.orders.length === 0) throw new ValidationError("OR04 needs at least one order.");
  if (input.orders.length > 100) {
    throw new ValidationError("OR04 takes at most 100 orders per call.", { count: input.orders.length });
  }
  return {
    orders: input.orders.map((o) => {
      requireId(o.orderId, "orderId");
      if (typeof o.orderReferenceForSeller !== "string" || o.orderReferenceForSeller.length < 1 || o.orderReferenceForSeller.length > 2000) {
        throw new ValidationError("order_reference_for_seller must be 1 to 2000 characters (OR04).", { orderId: o.orderId });
      }
      return { order_id: o.orderId, references: { order_reference_for_seller: o.orderReferenceForSeller } };
    }),
  };
}

// -- ST01 / ST23 / ST24 ------------------------------------------------------------------------------------------

export interface ShipmentTrackingInput {
  carrierCode?: string;
  carrierName?: string;
  carrierStandardCode?: string;
  trackingNumber?: string;
  trackingUrl?: string;
}

export interface CreateShipmentInput {
  orderId: string;
  lines: ReadonlyArray<{ orderLineId: string; quantity: number; packageReference?: string }>;
  tracking?: ShipmentTrackingInput;
  /** Mark the shipment shipped at once. */
  shipped?: boolean;
  invoiceReference?: string;
  warehouseCode?: string;
}

const MAX_SHIPMENTS = 1000;

export function buildCreateShipmentsBody(input: { shipments: readonly CreateShipmentInput[] }): { shipments: Array<Record<string, unknown>> } {
  requireBatch(input.shipments.length, "ST01");
  return {
    shipments: input.shipments.map((s) => {
      requireId(s.orderId, "orderId");
      if (s.lines.length === 0) throw new ValidationError("A shipment needs at least one line (ST01).", { orderId: s.orderId });
      if (s.invoiceReference !== undefined && !/^[0-9a-zA-Z_-]{0,255}$/.test(s.invoiceReference)) {
        throw new ValidationError("invoice_reference may only hold letters, digits, _ and - (ST01).", { orderId: s.orderId });
      }
      const tracking = s.tracking ? buildShipmentTracking(s.tracking) : undefined;
      return {
        order_id: s.orderId,
        shipment_lines: s.lines.map((l) => {
          requireId(l.orderLineId, "orderLineId");
          if (!Number.isInteger(l.quantity) || l.quantity < 1) {
            throw new ValidationError("A shipment line quantity must be a whole number of at least 1 (ST01).", { orderLineId: l.orderLineId });
          }
          // order_line_id rather than the deprecated offer_sku.
          return { order_line_id: l.orderLineId, quantity: l.quantity, ...(l.packageReference ? { package_reference: l.packageReference } : {}) };
        }),
        ...(tracking && Object.keys(tracking).length > 0 ? { tracking } : {}),
        ...(s.shipped === undefined ? {} : { shipped: s.shipped }),
        ...(s.invoiceReference ? { invoice_reference: s.invoiceReference } : {}),
        ...(s.warehouseCode ? { shipping_from: { warehouse: { code: s.warehouseCode } } } : {}),
      };
    }),
  };
}

export function buildShipmentTracking(t: ShipmentTrackingInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (t.carrierCode) out.carrier_code = t.carrierCode;
  if (t.carrierName) out.carrier_name = t.carrierName;
  if (t.carrierStandardCode) out.carrier_standard_code = t.carrierStandardCode;
  if (t.trackingNumber) out.tracking_number = t.trackingNumber;
  if (t.trackingUrl) out.tracking_url = t.trackingUrl;
  return out;
}

export function buildUpdateShipmentTrackingBody(input: {
  shipments: ReadonlyArray<{ shipmentId: string; tracking: ShipmentTrackingInput }>;
}): { shipments: Array<{ id: string; tracking: Record<string, string> }> } {
  requireBatch(input.shipments.length, "ST23");
  return {
    shipments: input.shipments.map((s) => {
      requireId(s.shipmentId, "shipmentId");
      const tracking = buildShipmentTracking(s.tracking);
      if (!tracking.carrier_code && !tracking.carrier_name) {
        throw new ValidationError("ST23 needs a carrier code (SH21) or an unregistered carrier's name.", { shipmentId: s.shipmentId });
      }
      return { id: s.shipmentId, tracking };
    }),
  };
}

export function buildShipShipmentsBody(input: { shipmentIds: readonly string[] }): { shipments: Array<{ id: string }> } {
  requireBatch(input.shipmentIds.length, "ST24");
  return {
    shipments: input.shipmentIds.map((id) => {
      requireId(id, "shipmentId");
      return { id };
    }),
  };
}

// -- OF52 --------------------------------------------------------------------------------------------------------

export interface StartOfferExportInput {
  /** JSON chunks are what downloadOfferExportChunk reads best. */
  exportType?: "application/json" | "text/csv";
  /** Differential export since this date (includes deleted offers); omit for a full export (once a day at most). */
  lastRequestDate?: Date | string;
  includeInactiveOffers?: boolean;
  includeFields?: readonly string[];
  channelCodes?: readonly string[];
  /** 10,000 to 1,000,000 (lower minimum on TEST/DEV instances). */
  itemsPerChunk?: number;
  /** 10 to 1000. */
  megabytesPerChunk?: number;
}

export function buildStartOfferExportBody(input: StartOfferExportInput): Record<string, unknown> {
  return {
    export_type: input.exportType ?? "application/json",
    ...(input.lastRequestDate === undefined ? {} : { last_request_date: toMiraklDate(input.lastRequestDate, "lastRequestDate") }),
    ...(input.includeInactiveOffers === undefined ? {} : { include_inactive_offers: input.includeInactiveOffers }),
    ...(input.includeFields ? { include_fields: [...input.includeFields] } : {}),
    ...(input.channelCodes ? { channel_codes: [...input.channelCodes] } : {}),
    ...(input.itemsPerChunk === undefined ? {} : { items_per_chunk: input.itemsPerChunk }),
    ...(input.megabytesPerChunk === undefined ? {} : { megabytes_per_chunk: input.megabytesPerChunk }),
  };
}

// -- shared ------------------------------------------------------------------------------------------------------

/**
 * Dates go out as UTC ISO-8601 with `Z`: a `+hh:mm` offset turns into a space when not URL-encoded
 * (notes §1.6), and Z sidesteps the question.
 */
export function toMiraklDate(value: Date | string, field: string): string {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw new ValidationError(`${field} is not a valid date.`, { field, value: String(value) });
  return date.toISOString();
}

export function requireId(value: unknown, field: string): asserts value is string {
  if (typeof value !== "string" || value.trim() === "") throw new ValidationError(`${field} is required.`, { field });
}

function requireAmount(value: unknown, field: string, orderLineId: string): void {
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0) {
    throw new ValidationError(`${field} must be a number, zero or more.`, { field, orderLineId });
  }
}

function requireQuantity(value: unknown, orderLineId: string): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
    throw new ValidationError("quantity must be a whole number, zero or more.", { orderLineId });
  }
  return value;
}

function requireBatch(count: number, operation: string): void {
  if (count === 0) throw new ValidationError(`${operation} needs at least one shipment.`);
  if (count > MAX_SHIPMENTS) throw new ValidationError(`${operation} takes at most ${MAX_SHIPMENTS} shipments per call.`, { count });
}

function amountsField(name: string, amounts: readonly TaxAmount[] | readonly FeeAmount[] | undefined): Record<string, unknown> {
  if (!amounts || amounts.length === 0) return {};
  return { [name]: amounts.map((a) => ({ code: a.code, amount: a.amount })) };
}
