import type { MarketplaceConnection, OrderLink } from "@prisma/client";
import type { Services } from "../../services.server";
import type { CarrierSuggestion, HoldReason } from "./carrier-match";

/**
 * Every fulfilment problem a person must act on, in plain language: what happened, what it costs, what to do.
 * Keys are stable so raising again only counts an occurrence and the code that clears the cause resolves them.
 */
type Conn = Pick<MarketplaceConnection, "id" | "shop" | "name" | "allowUnregisteredCarrier">;
type Order = Pick<OrderLink, "id" | "miraklOrderId" | "shopifyOrderName">;

export const fulfilmentTaskKeys = {
  unmappedCarrier: (connectionId: string, key: string) => `unmapped-carrier:${connectionId}:${key}`,
  missingTracking: (connectionId: string, miraklOrderId: string) => `missing-tracking:${connectionId}:${miraklOrderId}`,
  missingCarrier: (connectionId: string, miraklOrderId: string) => `missing-carrier:${connectionId}:${miraklOrderId}`,
  shipmentRefused: (connectionId: string, miraklOrderId: string) => `shipment-refused:${connectionId}:${miraklOrderId}`,
  trackingChangeRefused: (connectionId: string, miraklOrderId: string) => `tracking-change-refused:${connectionId}:${miraklOrderId}`,
  shippedCancelledOrder: (connectionId: string, miraklOrderId: string) => `shipped-cancelled-order:${connectionId}:${miraklOrderId}`,
  fulfilmentCancelledAfterShipment: (connectionId: string, fulfilmentId: string) => `fulfilment-cancelled:${connectionId}:${fulfilmentId}`,
  unacknowledged: (connectionId: string, miraklOrderId: string) => `unacknowledged-shipment:${connectionId}:${miraklOrderId}`,
  portalMirrorFailed: (connectionId: string, miraklOrderId: string) => `portal-shipment-not-mirrored:${connectionId}:${miraklOrderId}`,
};

export function carriersUrl(connectionId: string): string {
  return `/app/carriers?connection=${encodeURIComponent(connectionId)}`;
}

/** The order's page (app/routes/app.orders.$id.tsx: timeline, fulfilments, open tasks). */
export function orderUrl(orderLinkId: string): string {
  return `/app/orders/${encodeURIComponent(orderLinkId)}`;
}

export function orderLabel(connection: Pick<MarketplaceConnection, "name">, order: Order): string {
  return order.shopifyOrderName ? `${order.shopifyOrderName} (${connection.name} order ${order.miraklOrderId})` : `${connection.name} order ${order.miraklOrderId}`;
}

const SLA = "Until Mirakl is told, the order counts as not dispatched: late-shipment penalties, a held payout and “where is my order” messages follow.";

export async function raiseUnmappedCarrierTask(input: {
  services: Services;
  connection: Conn;
  carrierName: string;
  key: string;
  reason: HoldReason;
  heldShipments: number;
  suggestions: CarrierSuggestion[];
  mappedCode?: string | null;
}): Promise<void> {
  const { connection: c, carrierName } = input;
  const n = input.heldShipments;
  const shipments = n === 1 ? "1 shipment is" : `${n} shipments are`;
  const what =
    input.reason === "unknown_code"
      ? `"${carrierName}" is mapped to the carrier code ${input.mappedCode ?? "?"}, which ${c.name} no longer lists (its carrier list changes from time to time).`
      : input.reason === "unlisted_forbidden"
        ? `"${carrierName}" is set to be sent as an unlisted carrier, but ${c.name} only accepts carriers from its own list.`
        : input.reason === "ambiguous"
          ? `"${carrierName}" matches several of ${c.name}'s carriers, so we cannot tell which one it is.`
          : `${c.name} does not know the carrier "${carrierName}" that Shopify (or your warehouse app) put on the fulfilment.`;
  const hint = input.suggestions.length > 0 ? ` It looks like ${input.suggestions.map((s) => `${s.carrier.label} (${s.carrier.code})`).join(" or ")}.` : "";
  const choice = c.allowUnregisteredCarrier
    ? `Pick which of ${c.name}'s carriers it is, or send it as an unlisted carrier (name and tracking link).`
    : `Pick which of ${c.name}'s carriers it is: this marketplace does not accept unlisted carriers, so it cannot be sent under its own name.`;
  await input.services.tasks.raise({
    shop: c.shop,
    connectionId: c.id,
    dedupeKey: fulfilmentTaskKeys.unmappedCarrier(c.id, input.key),
    kind: "unmapped_carrier",
    severity: "critical",
    title: `${c.name}: map the carrier "${carrierName}"`,
    body: `${what} ${shipments} waiting, their tracking not sent to ${c.name}. ${SLA}\n${choice}${hint} Every held shipment then goes out automatically.`,
    actionLabel: "Map the carrier",
    actionUrl: carriersUrl(c.id),
    entityType: "connection",
    entityId: c.id,
    data: { carrierName, key: input.key, heldShipments: n, reason: input.reason },
  });
}

export async function raiseMissingTrackingTask(input: { services: Services; connection: Conn; order: Order; shippingType: string | null }): Promise<void> {
  const { connection: c, order } = input;
  await input.services.tasks.raise({
    shop: c.shop,
    connectionId: c.id,
    dedupeKey: fulfilmentTaskKeys.missingTracking(c.id, order.miraklOrderId),
    kind: "missing_tracking",
    severity: "critical",
    title: `${orderLabel(c, order)} needs a tracking number`,
    body: `The order was fulfilled in Shopify without a tracking number, but its shipping method${input.shippingType ? ` (${input.shippingType})` : ""} on ${c.name} requires one: Mirakl refuses the shipment confirmation without it. ${SLA}\nAdd the tracking number to the fulfilment in Shopify; it is sent to ${c.name} as soon as you save it.`,
    actionLabel: "Open the order",
    actionUrl: orderUrl(order.id),
    entityType: "order",
    entityId: order.id,
  });
}

export async function raiseMissingCarrierTask(input: { services: Services; connection: Conn; order: Order; trackingNumber: string }): Promise<void> {
  const { connection: c, order } = input;
  await input.services.tasks.raise({
    shop: c.shop,
    connectionId: c.id,
    dedupeKey: fulfilmentTaskKeys.missingCarrier(c.id, order.miraklOrderId),
    kind: "missing_carrier",
    severity: "critical",
    title: `${orderLabel(c, order)}: which carrier took the parcel?`,
    body: `The fulfilment has the tracking number ${input.trackingNumber} but no carrier, and ${c.name} needs one of its carriers to accept a tracking number. ${SLA}\nSet the carrier on the fulfilment in Shopify (Edit tracking); it is sent as soon as you save it.`,
    actionLabel: "Open the order",
    actionUrl: orderUrl(order.id),
    entityType: "order",
    entityId: order.id,
  });
}

export async function raiseShipmentRefusedTask(input: { services: Services; connection: Conn; order: Order; message: string }): Promise<void> {
  const { connection: c, order } = input;
  await input.services.tasks.raise({
    shop: c.shop,
    connectionId: c.id,
    dedupeKey: fulfilmentTaskKeys.shipmentRefused(c.id, order.miraklOrderId),
    kind: "shipment_refused",
    severity: "critical",
    title: `${c.name} refused the shipment of ${orderLabel(c, order)}`,
    body: `Mirakl answered: ${input.message}. ${SLA}\nCheck the order in the ${c.name} back office; if it shows as shipped there, nothing else is needed. Otherwise correct the fulfilment in Shopify (carrier, tracking number, items) and it is sent again.`,
    actionLabel: "Open the order",
    actionUrl: orderUrl(order.id),
    entityType: "order",
    entityId: order.id,
  });
}

export async function raiseTrackingChangeRefusedTask(input: { services: Services; connection: Conn; order: Order; trackingNumber: string; message: string }): Promise<void> {
  const { connection: c, order } = input;
  await input.services.tasks.raise({
    shop: c.shop,
    connectionId: c.id,
    dedupeKey: fulfilmentTaskKeys.trackingChangeRefused(c.id, order.miraklOrderId),
    kind: "tracking_change_refused",
    severity: "warning",
    title: `${c.name} kept the old tracking number of ${orderLabel(c, order)}`,
    body: `The tracking number was changed in Shopify to ${input.trackingNumber} after the shipment was confirmed, and Mirakl refused the change (${input.message}). The customer still sees the previous number, which may lead to “where is my order” messages.\nUpdate the tracking in the ${c.name} back office, or ask the operator to.`,
    actionLabel: "Open the order",
    actionUrl: orderUrl(order.id),
    entityType: "order",
    entityId: order.id,
  });
}

export async function raiseShippedCancelledOrderTask(input: { services: Services; connection: Conn; order: Order; state: string }): Promise<void> {
  const { connection: c, order } = input;
  await input.services.tasks.raise({
    shop: c.shop,
    connectionId: c.id,
    dedupeKey: fulfilmentTaskKeys.shippedCancelledOrder(c.id, order.miraklOrderId),
    kind: "shipped_cancelled_order",
    severity: "critical",
    title: `${orderLabel(c, order)} was fulfilled but is ${input.state.toLowerCase()} on ${c.name}`,
    body: `The order is ${input.state} on ${c.name}, so the marketplace will not pay for it, yet it was fulfilled in Shopify. If the parcel has not left, stop it and cancel the fulfilment in Shopify; if it has, contact the ${c.name} operator about recovering it.`,
    actionLabel: "Open the order",
    actionUrl: orderUrl(order.id),
    entityType: "order",
    entityId: order.id,
  });
}

export async function raiseFulfilmentCancelledAfterShipmentTask(input: { services: Services; connection: Conn; order: Order; fulfilmentId: string; fulfilmentName: string }): Promise<void> {
  const { connection: c, order } = input;
  await input.services.tasks.raise({
    shop: c.shop,
    connectionId: c.id,
    dedupeKey: fulfilmentTaskKeys.fulfilmentCancelledAfterShipment(c.id, input.fulfilmentId),
    kind: "fulfilment_cancelled_after_shipment",
    severity: "warning",
    title: `Fulfilment ${input.fulfilmentName} of ${orderLabel(c, order)} was cancelled after ${c.name} was told it shipped`,
    body: `Mirakl cannot take back a shipment confirmation, so ${c.name} still shows the order as shipped with the old tracking. If the parcel did not leave, contact the ${c.name} operator; if you re-fulfil it, the new tracking is sent as a change.`,
    actionLabel: "Open the order",
    actionUrl: orderUrl(order.id),
    entityType: "order",
    entityId: order.id,
  });
}
