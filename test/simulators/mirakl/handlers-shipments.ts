/**
 * Multi-shipment operations ST01, ST11, ST23, ST24 (notes §2.2), only on tenants with multi_shipment on.
 */
import { json, type ApiContext, type ApiRoute } from "./api-context";
import { parseDateParam, parseMultiValues } from "./query-params";
import { resolveSeek, seekPage } from "./seek-pagination";
import { assertMultiShipment, createShipments, renderShipment, shipShipments, updateShipmentTracking, type ShipmentCreateItem, type TrackingInput } from "./shipments";
import { badRequest } from "./sim-errors";

function shipmentsOf(ctx: ApiContext): unknown[] {
  const body = ctx.body as { shipments?: unknown } | undefined;
  if (!body || !Array.isArray(body.shipments) || body.shipments.length === 0) throw badRequest("The field shipments is mandatory.");
  if (body.shipments.length > 1000) throw badRequest("The limit of 1000 is exceeded for the field : shipments");
  return body.shipments;
}

function listShipments(ctx: ApiContext) {
  const { state, shop } = ctx;
  assertMultiShipment({ state });
  const seek = resolveSeek({ query: ctx.query, maxLimit: 100 });
  const q = seek.query;
  const orderIds = new Set(parseMultiValues({ query: q, name: "order_id" }));
  const states = new Set(parseMultiValues({ query: q, name: "shipment_state_code" }));
  const from = parseDateParam({ query: q, name: "last_updated_from" });
  const to = parseDateParam({ query: q, name: "last_updated_to" });
  const items = (state.shipmentsByShop.get(shop.shopId) ?? []).filter(
    (s) => (orderIds.size === 0 || orderIds.has(s.orderId)) && (states.size === 0 || states.has(s.status)) && (from === null || s.updatedAt >= from) && (to === null || s.updatedAt <= to),
  );
  const page = seekPage({ items, seek });
  return json(200, { ...page, data: page.data.map((shipment) => renderShipment({ state, shipment })) });
}

export const shipmentRoutes: ApiRoute[] = [
  {
    operationId: "ST01",
    method: "POST",
    template: "/api/shipments",
    write: true,
    jsonBody: true,
    handle: (ctx) => {
      const { success, errors } = createShipments({ state: ctx.state, shopId: ctx.shop.shopId, items: shipmentsOf(ctx) as ShipmentCreateItem[], at: ctx.at });
      return json(201, { shipment_errors: errors, shipment_success: success.map((shipment) => renderShipment({ state: ctx.state, shipment })) });
    },
  },
  { operationId: "ST11", method: "GET", template: "/api/shipments", write: false, jsonBody: false, handle: listShipments },
  {
    operationId: "ST23",
    method: "POST",
    template: "/api/shipments/tracking",
    write: true,
    jsonBody: true,
    handle: (ctx) => {
      const r = updateShipmentTracking({ state: ctx.state, shopId: ctx.shop.shopId, items: shipmentsOf(ctx) as Array<{ id: string; tracking: TrackingInput }>, at: ctx.at });
      return json(200, { shipment_errors: r.errors, shipment_success: r.success });
    },
  },
  {
    operationId: "ST24",
    method: "PUT",
    template: "/api/shipments/ship",
    write: true,
    jsonBody: true,
    handle: (ctx) => {
      const r = shipShipments({ state: ctx.state, shopId: ctx.shop.shopId, items: shipmentsOf(ctx) as Array<{ id: string }>, at: ctx.at });
      return json(200, { shipment_errors: r.errors, shipment_success: r.success });
    },
  },
];
