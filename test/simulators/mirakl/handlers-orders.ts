/**
 * Order operations: OR11 list, OR21 accept/refuse, OR23 tracking, OR24 ship, OR28 refund, OR29 cancel,
 * OR30 line cancelations, OR04 seller reference. Error codes are the ones OR21 documents (notes §1.8).
 */
import { json, noContent, type ApiContext, type ApiRoute } from "./api-context";
import { cancelLines, type CancelationRequestItem } from "./order-cancelations";
import { listOrders } from "./order-queries";
import { refundLines, type RefundRequestItem } from "./order-refunds";
import { acceptOrder, canCancel, cancelWholeOrder, resolveTracking, setOrderTracking, shipWholeOrder } from "./order-workflow";
import { MiraklApiError, badRequest } from "./sim-errors";
import { touchOrder } from "./sim-state";
import type { SimOrder, TaxMode } from "./types";

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function orderOf(ctx: ApiContext): SimOrder {
  const id = ctx.params.order_id ?? "";
  const order = ctx.state.orders.get(id);
  if (!order || order.shopId !== ctx.shop.shopId) throw new MiraklApiError(404, `The order '${id}' does not exist.`, { code: "ORDER_NOT_FOUND" });
  return order;
}

function requestTaxMode(ctx: ApiContext, body: Record<string, unknown>): TaxMode {
  const mode = body.order_tax_mode ?? ctx.state.tenant.orderTaxMode;
  if (mode !== "TAX_INCLUDED" && mode !== "TAX_EXCLUDED") throw badRequest(`The order_tax_mode '${String(mode)}' is invalid.`);
  return mode;
}

function precheckAccept(body: unknown): void {
  if (!isObject(body) || !Array.isArray(body.order_lines)) throw badRequest("The field order_lines is mandatory.", "VALIDATION_ERROR");
  if (body.order_lines.some((l) => l === null)) throw badRequest("The order lines list contains a null element.", "ORDER_LINE_NULL_ELEMENT");
}

function accept(ctx: ApiContext) {
  precheckAccept(ctx.body);
  const lines = (ctx.body as { order_lines: unknown[] }).order_lines;
  const decisions = new Map<string, boolean>();
  const parsed = lines.map((l) => {
    if (!isObject(l) || typeof l.id !== "string" || typeof l.accepted !== "boolean") {
      throw badRequest("Each order line needs an id (string) and accepted (boolean).", "VALIDATION_ERROR");
    }
    return { id: l.id, accepted: l.accepted };
  });
  const order = orderOf(ctx);
  if (order.state !== "WAITING_ACCEPTANCE") {
    throw badRequest(`The order '${order.id}' must be in state WAITING_ACCEPTANCE but it is '${order.state}'.`, "ORDER_INVALID_STATE");
  }
  for (const { id, accepted } of parsed) {
    if (!order.lines.some((l) => l.id === id)) throw badRequest(`The order line '${id}' does not belong to the order '${order.id}'.`, "ORDER_LINE_NOT_FOUND");
    if (decisions.has(id)) throw badRequest(`The order line '${id}' appears more than once.`, "ORDER_LINE_DUPLICATE_ID");
    decisions.set(id, accepted);
  }
  const missing = order.lines.filter((l) => !decisions.has(l.id)).map((l) => l.id);
  if (missing.length > 0) {
    throw badRequest(`The acceptance decision is missing for the order lines: ${missing.join(", ")}.`, "ORDER_LINE_ACCEPTANCE_DECISION_MISSING");
  }
  const values = new Set(decisions.values());
  if (values.size > 1 && !ctx.state.tenant.partialAcceptance) {
    throw badRequest("Partial acceptance is disabled for this shop: accept or refuse every line.", "ORDER_PARTIAL_ACCEPTANCE_DISABLED");
  }
  acceptOrder({ state: ctx.state, order, decisions, at: ctx.at, automatic: false });
  return noContent();
}

function tracking(ctx: ApiContext) {
  const order = orderOf(ctx);
  const body = isObject(ctx.body) ? ctx.body : {};
  const str = (k: string) => (typeof body[k] === "string" ? (body[k] as string) : undefined);
  const resolved = resolveTracking({
    state: ctx.state,
    input: { carrierCode: str("carrier_code"), carrierName: str("carrier_name"), carrierStandardCode: str("carrier_standard_code"), url: str("carrier_url"), trackingNumber: str("tracking_number") },
  });
  setOrderTracking({ order, tracking: resolved, at: ctx.at });
  return noContent();
}

function refund(ctx: ApiContext) {
  if (!isObject(ctx.body) || !Array.isArray(ctx.body.refunds)) throw badRequest("The field refunds is mandatory.");
  const mode = requestTaxMode(ctx, ctx.body);
  const created = refundLines({ state: ctx.state, shopId: ctx.shop.shopId, items: ctx.body.refunds as RefundRequestItem[], requestMode: mode, at: ctx.at, origin: "shop" });
  return json(200, { order_tax_mode: mode, refunds: created.map((c) => c.response) });
}

function cancelWhole(ctx: ApiContext) {
  const order = orderOf(ctx);
  if (!canCancel(order)) throw badRequest(`The order '${order.id}' cannot be canceled in state '${order.state}'.`, "ORDER_INVALID_STATE");
  cancelWholeOrder({ state: ctx.state, order, at: ctx.at, reasonLabel: "Canceled by the shop" });
  return noContent();
}

function cancelPart(ctx: ApiContext) {
  if (!isObject(ctx.body) || !Array.isArray(ctx.body.cancelations)) throw badRequest("The field cancelations is mandatory.");
  const mode = requestTaxMode(ctx, ctx.body);
  const created = cancelLines({ state: ctx.state, shopId: ctx.shop.shopId, items: ctx.body.cancelations as CancelationRequestItem[], requestMode: mode, at: ctx.at });
  return json(200, { order_tax_mode: mode, cancelations: created.map((c) => c.response) });
}

function precheckPatch(body: unknown): void {
  if (isObject(body) && Array.isArray(body.orders) && body.orders.length > 100) throw badRequest("Too many orders given");
}

function patchOrders(ctx: ApiContext) {
  precheckPatch(ctx.body);
  if (!isObject(ctx.body) || !Array.isArray(ctx.body.orders) || ctx.body.orders.length === 0) throw badRequest("The field orders is mandatory.");
  const updated = (ctx.body.orders as unknown[]).map((item) => {
    const entry = isObject(item) ? item : {};
    const orderId = typeof entry.order_id === "string" ? entry.order_id : "";
    const order = ctx.state.orders.get(orderId);
    if (!order || order.shopId !== ctx.shop.shopId) {
      return { order_id: orderId, errors: [{ code: "ORDER_NOT_FOUND", field: "order_id", message: `The order '${orderId}' does not exist.` }] };
    }
    const refs = isObject(entry.references) ? entry.references : undefined;
    const out: Record<string, unknown> = { order_id: orderId, errors: [] };
    if (refs && "order_reference_for_seller" in refs) {
      const value = refs.order_reference_for_seller;
      if (value !== null && (typeof value !== "string" || value.length > 2000)) {
        return { order_id: orderId, errors: [{ code: "INVALID_FIELD", field: "references.order_reference_for_seller", message: "The seller reference must be a string of at most 2000 characters." }] };
      }
      order.referenceForSeller = value as string | null;
      touchOrder({ order, at: ctx.at });
      out.updated = { references: { order_reference_for_seller: order.referenceForSeller } };
    }
    return out;
  });
  return json(200, { updated_orders: updated });
}

export const orderRoutes: ApiRoute[] = [
  {
    operationId: "OR11",
    method: "GET",
    template: "/api/orders",
    write: false,
    jsonBody: false,
    handle: (ctx) => {
      const { body, link } = listOrders({ state: ctx.state, shopId: ctx.shop.shopId, query: ctx.query, baseUrl: ctx.baseUrl, path: ctx.path });
      return json(200, body, link ? { link } : undefined);
    },
  },
  { operationId: "OR21", method: "PUT", template: "/api/orders/{order_id}/accept", write: true, jsonBody: true, precheck: precheckAccept, validationCode: "VALIDATION_ERROR", handle: accept },
  { operationId: "OR23", method: "PUT", template: "/api/orders/{order_id}/tracking", write: true, jsonBody: true, handle: tracking },
  {
    operationId: "OR24",
    method: "PUT",
    template: "/api/orders/{order_id}/ship",
    write: true,
    jsonBody: false,
    handle: (ctx) => {
      shipWholeOrder({ state: ctx.state, order: orderOf(ctx), at: ctx.at });
      return noContent();
    },
  },
  { operationId: "OR28", method: "PUT", template: "/api/orders/refund", write: true, jsonBody: true, handle: refund },
  { operationId: "OR29", method: "PUT", template: "/api/orders/{order_id}/cancel", write: true, jsonBody: false, handle: cancelWhole },
  { operationId: "OR30", method: "PUT", template: "/api/orders/cancel", write: true, jsonBody: true, handle: cancelPart },
  { operationId: "OR04", method: "PUT", template: "/api/orders", write: true, jsonBody: true, precheck: precheckPatch, handle: patchOrders },
];
