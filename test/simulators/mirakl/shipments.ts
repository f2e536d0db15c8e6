/**
 * Multi-shipment (ST01 create, ST23 tracking, ST24 ship, ST11 list) for tenants with PC01
 * features.shipment.multi_shipment (notes §2.2). These batch calls answer 200/201 with per-item
 * success/error arrays: a bad item never fails the others.
 */
import { isoDate } from "./money";
import { assertTrackingIfMandatory, resolveTracking, settleAfterLineChange } from "./order-workflow";
import { uuidFrom } from "./prng";
import { MiraklApiError, badRequest } from "./sim-errors";
import { touchOrder, type SimState } from "./sim-state";
import type { SimOrder, SimShipment, SimTracking } from "./types";

export interface TrackingInput {
  carrier_code?: string;
  carrier_name?: string;
  carrier_standard_code?: string;
  tracking_number?: string;
  tracking_url?: string;
}

export interface ShipmentCreateItem {
  order_id: string;
  shipment_lines: Array<{ order_line_id?: string; offer_sku?: string; quantity: number; package_reference?: string }>;
  tracking?: TrackingInput;
  shipped?: boolean;
  invoice_reference?: string;
}

export function assertMultiShipment({ state }: { state: SimState }): void {
  if (!state.tenant.multiShipment) throw badRequest("Multi-shipment is not enabled on this platform (PC01 features.shipment.multi_shipment).", "MULTI_SHIPMENT_DISABLED");
}

function trackingFrom({ state, input }: { state: SimState; input: TrackingInput }): SimTracking {
  return resolveTracking({
    state,
    input: {
      carrierCode: input.carrier_code,
      carrierName: input.carrier_name,
      carrierStandardCode: input.carrier_standard_code,
      url: input.tracking_url,
      trackingNumber: input.tracking_number,
    },
  });
}

function messageOf(err: unknown): string {
  if (err instanceof MiraklApiError) return err.message;
  throw err;
}

function quantityInShipments({ state, order, lineId }: { state: SimState; order: SimOrder; lineId: string }): number {
  let n = 0;
  for (const s of state.shipmentsByShop.get(order.shopId) ?? []) {
    if (s.orderId !== order.id || s.status === "CANCELED") continue;
    for (const l of s.lines) if (l.orderLineId === lineId) n += l.quantity;
  }
  return n;
}

function applyShipped({ state, shipment, at }: { state: SimState; shipment: SimShipment; at: number }): void {
  const order = state.orders.get(shipment.orderId);
  if (!order) return;
  shipment.status = "SHIPPED";
  shipment.shippedAt = at;
  shipment.updatedAt = at;
  for (const sl of shipment.lines) {
    const line = order.lines.find((l) => l.id === sl.orderLineId);
    if (line) line.shippedQuantity += sl.quantity;
  }
  if (shipment.tracking && !order.tracking) order.tracking = shipment.tracking;
  settleAfterLineChange({ state, order, at });
}

export function createShipments({ state, shopId, items, at }: { state: SimState; shopId: number; items: ShipmentCreateItem[]; at: number }) {
  assertMultiShipment({ state });
  const success: SimShipment[] = [];
  const errors: Array<{ order_id: string; message: string }> = [];
  for (const item of items) {
    const order = state.orders.get(item.order_id);
    if (!order || order.shopId !== shopId) {
      errors.push({ order_id: item.order_id, message: `The order '${item.order_id}' does not exist.` });
      continue;
    }
    if (order.state !== "SHIPPING") {
      // Text from the ST01 example in the spec.
      errors.push({ order_id: order.id, message: `The order status must be 'SHIPPING' but it is '${order.state}'.` });
      continue;
    }
    try {
      const lines: SimShipment["lines"] = [];
      for (const sl of item.shipment_lines) {
        const line = order.lines.find((l) => (sl.order_line_id ? l.id === sl.order_line_id : l.offerSku === sl.offer_sku));
        const pendingHere = lines.filter((l) => l.orderLineId === line?.id).reduce((s, l) => s + l.quantity, 0);
        if (!line || line.state !== "SHIPPING" || !Number.isInteger(sl.quantity) || sl.quantity < 1 || sl.quantity + pendingHere + quantityInShipments({ state, order, lineId: line.id }) > line.quantity) {
          throw badRequest("Shipment quantity is invalid.");
        }
        lines.push({ orderLineId: line.id, offerSku: line.offerSku, quantity: sl.quantity, packageReference: sl.package_reference ?? null });
      }
      if (lines.length === 0) throw badRequest("Shipment quantity is invalid.");
      const tracking = item.tracking ? trackingFrom({ state, input: item.tracking }) : null;
      if (item.shipped) assertTrackingIfMandatory({ state, order, tracking: tracking ?? order.tracking });
      const shipment: SimShipment = {
        id: uuidFrom({ prng: state.random.ids }),
        shopId,
        orderId: order.id,
        status: "SHIPPING",
        lines,
        tracking,
        invoiceReference: item.invoice_reference ?? null,
        createdAt: at,
        updatedAt: at,
        shippedAt: null,
      };
      state.shipments.set(shipment.id, shipment);
      state.shipmentsByShop.get(shopId)?.push(shipment);
      touchOrder({ order, at });
      if (item.shipped) applyShipped({ state, shipment, at });
      success.push(shipment);
    } catch (err) {
      errors.push({ order_id: order.id, message: messageOf(err) });
    }
  }
  return { success, errors };
}

export function updateShipmentTracking({ state, shopId, items, at }: { state: SimState; shopId: number; items: Array<{ id: string; tracking: TrackingInput }>; at: number }) {
  assertMultiShipment({ state });
  const success: Array<{ id: string }> = [];
  const errors: Array<{ id: string; message: string }> = [];
  for (const item of items) {
    const shipment = state.shipments.get(item.id);
    if (!shipment || shipment.shopId !== shopId) {
      errors.push({ id: item.id, message: `No shipment with id '${item.id}'.` });
      continue;
    }
    try {
      shipment.tracking = trackingFrom({ state, input: item.tracking });
      shipment.updatedAt = at;
      const order = state.orders.get(shipment.orderId);
      if (order) touchOrder({ order, at });
      success.push({ id: shipment.id });
    } catch (err) {
      errors.push({ id: item.id, message: messageOf(err) });
    }
  }
  return { success, errors };
}

export function shipShipments({ state, shopId, items, at }: { state: SimState; shopId: number; items: Array<{ id: string }>; at: number }) {
  assertMultiShipment({ state });
  const success: Array<{ id: string }> = [];
  const errors: Array<{ id: string; message: string }> = [];
  for (const item of items) {
    const shipment = state.shipments.get(item.id);
    const order = shipment ? state.orders.get(shipment.orderId) : undefined;
    if (!shipment || shipment.shopId !== shopId || !order) {
      errors.push({ id: item.id, message: `No shipment with id '${item.id}'.` });
      continue;
    }
    if (shipment.status !== "SHIPPING") {
      errors.push({ id: item.id, message: `The shipment status must be 'SHIPPING' but it is '${shipment.status}'.` });
      continue;
    }
    if (order.state !== "SHIPPING") {
      errors.push({ id: item.id, message: `The order status must be 'SHIPPING' but it is '${order.state}'.` });
      continue;
    }
    try {
      assertTrackingIfMandatory({ state, order, tracking: shipment.tracking ?? order.tracking });
      applyShipped({ state, shipment, at });
      success.push({ id: shipment.id });
    } catch (err) {
      errors.push({ id: item.id, message: messageOf(err) });
    }
  }
  return { success, errors };
}

/** Shipments follow their order to RECEIVED/CLOSED. */
export function followOrderState({ state, order, at }: { state: SimState; order: SimOrder; at: number }): void {
  for (const s of state.shipmentsByShop.get(order.shopId) ?? []) {
    if (s.orderId !== order.id) continue;
    if (order.state === "RECEIVED" && s.status === "SHIPPED") s.status = "RECEIVED";
    else if (order.state === "CLOSED" && s.status === "RECEIVED") s.status = "CLOSED";
    else continue;
    s.updatedAt = at;
  }
}

export function renderShipment({ state, shipment }: { state: SimState; shipment: SimShipment }): Record<string, unknown> {
  const order = state.orders.get(shipment.orderId);
  const t = shipment.tracking;
  return {
    created_date: isoDate(shipment.createdAt),
    id: shipment.id,
    invoice_reference: shipment.invoiceReference,
    last_updated_date: isoDate(shipment.updatedAt),
    order_id: shipment.orderId,
    payment_details: order?.customerDebitedAt
      ? { customer_debited_date: isoDate(order.customerDebitedAt), transaction_date: isoDate(order.customerDebitedAt), transaction_number: order.transactionNumber }
      : null,
    shipment_lines: shipment.lines.map((l) => ({ order_line_id: l.orderLineId, offer_sku: l.offerSku, quantity: l.quantity, package_reference: l.packageReference })),
    shipped_date: isoDate(shipment.shippedAt),
    status: shipment.status,
    status_customer_debit: order?.customerDebitedAt ? "DEBIT_OK" : "NOT_STARTED",
    tracking: {
      carrier_code: t?.carrierCode ?? null,
      carrier_name: t?.carrierName ?? null,
      carrier_standard_code: t?.carrierStandardCode ?? null,
      tracking_number: t?.trackingNumber ?? null,
      tracking_url: t?.trackingUrl ?? null,
      validity_status: t?.trackingNumber ? "UNVERIFIED" : "MISSING_TRACKING",
    },
  };
}
