/**
 * fulfillmentCreate / fulfillmentTrackingInfoUpdate on the fulfilment-order model (notes.md §4.3): a fulfilment
 * takes fulfilment order lines (all remaining ones when `fulfillmentOrderLineItems` is omitted), all from one order
 * and one location; it consumes committed stock, closes fulfilment orders, and fires fulfillments/create (+
 * orders/updated and orders/fulfilled|partially_fulfilled). A known carrier in `company` gets a tracking URL built.
 * cancelFulfillment (the merchant's "Cancel fulfillment") puts the units back on their fulfilment orders.
 */
import { idOf } from "../ids";
import type { FulfillmentOrderRec, FulfillmentRec, OrderRec, ShopRec, TrackingRec } from "../model";
import type { SimStore } from "../store";
import { fulfillmentPayload, orderPayload } from "../webhooks/payloads";
import { applyDeltas, levelAt } from "./inventory";
import { fulfillmentStatus } from "./order-math";
import { fail, ok, type Outcome } from "./user-error";

export interface TrackingInput {
  company?: string | null;
  number?: string | null;
  numbers?: string[] | null;
  url?: string | null;
  urls?: string[] | null;
}

export interface FulfillmentInput {
  lineItemsByFulfillmentOrder: Array<{
    fulfillmentOrderId: string;
    fulfillmentOrderLineItems?: Array<{ id: string; quantity: number }> | null;
  }>;
  trackingInfo?: TrackingInput | null;
  notifyCustomer?: boolean | null;
}

const CARRIER_URLS: Record<string, (n: string) => string> = {
  ups: (n) => `https://www.ups.com/WebTracking?loc=en_US&requester=ST&trackNums=${encodeURIComponent(n)}`,
  usps: (n) => `https://tools.usps.com/go/TrackConfirmAction?tLabels=${encodeURIComponent(n)}`,
  fedex: (n) => `https://www.fedex.com/fedextrack/?trknbr=${encodeURIComponent(n)}`,
  "dhl express": (n) => `https://www.dhl.com/en/express/tracking.html?AWB=${encodeURIComponent(n)}`,
  colissimo: (n) => `https://www.laposte.fr/outils/suivre-vos-envois?code=${encodeURIComponent(n)}`,
  "la poste": (n) => `https://www.laposte.fr/outils/suivre-vos-envois?code=${encodeURIComponent(n)}`,
  chronopost: (n) => `https://www.chronopost.fr/tracking-no-cms/suivi-page?listeNumerosLT=${encodeURIComponent(n)}`,
};

export function trackingOf(input: TrackingInput | null | undefined): TrackingRec[] {
  if (!input) return [];
  const company = input.company ?? null;
  const numbers = input.numbers?.length ? input.numbers : input.number ? [input.number] : [];
  const urls = input.urls?.length ? input.urls : input.url ? [input.url] : [];
  const build = company ? CARRIER_URLS[company.toLowerCase()] : undefined;
  if (numbers.length === 0) return company || urls.length ? [{ company, number: null, url: urls[0] ?? null }] : [];
  return numbers.map((number, i) => ({ company, number, url: urls[i] ?? (build ? build(number) : null) }));
}

export function findFulfillmentOrder(shop: ShopRec, id: number): { order: OrderRec; fo: FulfillmentOrderRec } | undefined {
  for (const order of shop.orders.values()) {
    const fo = order.fulfillmentOrders.find((f) => f.id === id);
    if (fo) return { order, fo };
  }
  return undefined;
}

export function findFulfillment(shop: ShopRec, id: number): { order: OrderRec; fulfillment: FulfillmentRec } | undefined {
  for (const order of shop.orders.values()) {
    const fulfillment = order.fulfillments.find((f) => f.id === id);
    if (fulfillment) return { order, fulfillment };
  }
  return undefined;
}

export function refreshFulfillmentOrderStatus(fo: FulfillmentOrderRec, now: number): void {
  if (fo.status === "CANCELLED") return;
  const remaining = fo.lines.reduce((a, l) => a + l.remainingQuantity, 0);
  const total = fo.lines.reduce((a, l) => a + l.totalQuantity, 0);
  const next = remaining === 0 ? (total === 0 ? "CANCELLED" : "CLOSED") : remaining < total ? "IN_PROGRESS" : "OPEN";
  if (next !== fo.status) {
    fo.status = next;
    fo.updatedAt = now;
  }
}

export function createFulfillment(
  store: SimStore,
  shop: ShopRec,
  input: FulfillmentInput,
  opts: { silent?: boolean } = {},
): Outcome<{ order: OrderRec; fulfillment: FulfillmentRec }> {
  if (input.lineItemsByFulfillmentOrder.length === 0) {
    return fail("lineItemsByFulfillmentOrder can't be empty.", ["fulfillment", "lineItemsByFulfillmentOrder"]);
  }
  let order: OrderRec | undefined;
  let locationId: number | undefined;
  const picks: Array<{ fo: FulfillmentOrderRec; lineId: number; quantity: number }> = [];
  for (const [i, group] of input.lineItemsByFulfillmentOrder.entries()) {
    const field = ["fulfillment", "lineItemsByFulfillmentOrder", String(i)];
    const foId = idOf(group.fulfillmentOrderId, "FulfillmentOrder");
    const found = foId === null ? undefined : findFulfillmentOrder(shop, foId);
    if (!found) return fail("Fulfillment order does not exist.", [...field, "fulfillmentOrderId"]);
    if (order && found.order.id !== order.id) {
      return fail("All fulfillment orders must belong to the same order.", [...field, "fulfillmentOrderId"]);
    }
    if (locationId !== undefined && found.fo.locationId !== locationId) {
      return fail("All fulfillment orders must be assigned to the same location.", [...field, "fulfillmentOrderId"]);
    }
    order = found.order;
    locationId = found.fo.locationId;
    if (found.fo.status === "CLOSED" || found.fo.status === "CANCELLED") {
      return fail(
        `Fulfillment order ${group.fulfillmentOrderId} has an unfulfillable status= ${found.fo.status.toLowerCase()}.`,
        [...field, "fulfillmentOrderId"],
      );
    }
    if (!group.fulfillmentOrderLineItems) {
      for (const l of found.fo.lines) if (l.remainingQuantity > 0) picks.push({ fo: found.fo, lineId: l.id, quantity: l.remainingQuantity });
      continue;
    }
    for (const [j, item] of group.fulfillmentOrderLineItems.entries()) {
      const lineId = idOf(item.id, "FulfillmentOrderLineItem");
      const line = found.fo.lines.find((l) => l.id === lineId);
      if (!line) return fail("Fulfillment order line item does not exist.", [...field, "fulfillmentOrderLineItems", String(j), "id"]);
      if (item.quantity <= 0 || item.quantity > line.remainingQuantity) {
        return fail(
          `Invalid fulfillment order line item quantity requested (${item.quantity}, ${line.remainingQuantity} remaining).`,
          [...field, "fulfillmentOrderLineItems", String(j), "quantity"],
        );
      }
      picks.push({ fo: found.fo, lineId: line.id, quantity: item.quantity });
    }
  }
  if (!order || locationId === undefined) return fail("Nothing to fulfill.", ["fulfillment"]);
  if (picks.length === 0) return fail("The fulfillment order has no remaining line items.", ["fulfillment"]);
  const t = store.now();
  const fulfillment: FulfillmentRec = {
    id: store.ids.next(),
    name: `${order.name}.${order.fulfillments.length + 1}`,
    status: "SUCCESS",
    locationId,
    tracking: trackingOf(input.trackingInfo),
    lines: [],
    fulfillmentOrderIds: [...new Set(picks.map((p) => p.fo.id))],
    notifyCustomer: input.notifyCustomer ?? false,
    createdAt: t,
    updatedAt: t,
  };
  for (const p of picks) {
    const line = p.fo.lines.find((l) => l.id === p.lineId);
    if (!line) continue;
    line.remainingQuantity -= p.quantity;
    fulfillment.lines.push({ id: store.ids.next(), lineItemId: line.lineItemId, quantity: p.quantity, fulfillmentOrderLineId: line.id });
    const li = order.lineItems.find((x) => x.id === line.lineItemId);
    if (li && li.claimsInventory && li.committed > 0 && li.variantId !== null) {
      // Committed units leave the building: committed (and so on_hand) goes down, available does not move.
      const units = Math.min(li.committed, p.quantity);
      const variant = shop.variants.get(li.variantId);
      const level = variant ? levelAt(shop, variant.inventoryItemId, li.locationId) : undefined;
      li.committed -= units;
      if (level) applyDeltas(store, shop, level, { committed: -units });
    }
  }
  for (const fo of new Set(picks.map((p) => p.fo))) refreshFulfillmentOrderStatus(fo, t);
  order.fulfillments.push(fulfillment);
  order.updatedAt = t;
  if (!opts.silent) {
    store.emit(shop, "fulfillments/create", fulfillmentPayload(shop, order, fulfillment));
    const status = fulfillmentStatus(order);
    store.emit(shop, status === "FULFILLED" ? "orders/fulfilled" : "orders/partially_fulfilled", orderPayload(shop, order));
    store.emit(shop, "orders/updated", orderPayload(shop, order));
  }
  return ok({ order, fulfillment });
}

export function updateTracking(
  store: SimStore,
  shop: ShopRec,
  input: { fulfillmentId: string; trackingInfoInput: TrackingInput; notifyCustomer?: boolean | null },
): Outcome<{ order: OrderRec; fulfillment: FulfillmentRec }> {
  const id = idOf(input.fulfillmentId, "Fulfillment");
  const found = id === null ? undefined : findFulfillment(shop, id);
  if (!found) return fail("Fulfillment does not exist.", ["fulfillmentId"]);
  if (found.fulfillment.status === "CANCELLED") return fail("Cannot update tracking of a cancelled fulfillment.", ["fulfillmentId"]);
  const t = store.now();
  found.fulfillment.tracking = trackingOf(input.trackingInfoInput);
  found.fulfillment.updatedAt = t;
  found.fulfillment.notifyCustomer = input.notifyCustomer ?? found.fulfillment.notifyCustomer;
  found.order.updatedAt = t;
  store.emit(shop, "fulfillments/update", fulfillmentPayload(shop, found.order, found.fulfillment));
  store.emit(shop, "orders/updated", orderPayload(shop, found.order));
  return ok(found);
}

/**
 * The merchant cancels a fulfilment (fulfillmentCancel / "Cancel fulfillment" in the admin): status CANCELLED, its
 * units go back to their fulfilment order lines (to fulfil again) and back to committed stock, and
 * fulfillments/update (status "cancelled") and orders/updated fire.
 */
export function cancelFulfillment(store: SimStore, shop: ShopRec, input: { fulfillmentId: string }): Outcome<{ order: OrderRec; fulfillment: FulfillmentRec }> {
  const id = idOf(input.fulfillmentId, "Fulfillment");
  const found = id === null ? undefined : findFulfillment(shop, id);
  if (!found) return fail("Fulfillment does not exist.", ["id"]);
  const { order, fulfillment } = found;
  if (fulfillment.status === "CANCELLED") return fail("Fulfillment is already cancelled.", ["id"]);
  const t = store.now();
  fulfillment.status = "CANCELLED";
  fulfillment.updatedAt = t;
  for (const l of fulfillment.lines) {
    const fo = order.fulfillmentOrders.find((x) => x.lines.some((fl) => fl.id === l.fulfillmentOrderLineId));
    const foLine = fo?.lines.find((fl) => fl.id === l.fulfillmentOrderLineId);
    if (fo && foLine) {
      foLine.remainingQuantity += l.quantity;
      refreshFulfillmentOrderStatus(fo, t);
    }
    const li = order.lineItems.find((x) => x.id === l.lineItemId);
    if (li && li.claimsInventory && li.variantId !== null) {
      const variant = shop.variants.get(li.variantId);
      const level = variant ? levelAt(shop, variant.inventoryItemId, li.locationId) : undefined;
      li.committed += l.quantity;
      if (level) applyDeltas(store, shop, level, { committed: l.quantity });
    }
  }
  order.updatedAt = t;
  store.emit(shop, "fulfillments/update", fulfillmentPayload(shop, order, fulfillment));
  store.emit(shop, "orders/updated", orderPayload(shop, order));
  return ok(found);
}
