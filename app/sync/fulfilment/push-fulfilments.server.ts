import type { FulfillmentLink, MarketplaceConnection, OrderLink } from "@prisma/client";
import type { Services } from "../../services.server";
import { NotFoundError } from "../../lib/errors";
import { logger } from "../../lib/logger";
import { getFulfillments, type FulfillmentSummary, type ShopifyGid } from "../../shopify";
import { recordEvent } from "../timeline.server";
import { carrierKey } from "./carrier-match";
import {
  fulfilmentTaskKeys,
  raiseFulfilmentCancelledAfterShipmentTask,
  raiseMissingCarrierTask,
  raiseMissingTrackingTask,
  raiseShippedCancelledOrderTask,
  raiseUnmappedCarrierTask,
} from "./fulfilment-tasks.server";
import { readFulfilledLines } from "./line-mapping";
import { readCarriers, readShippingTypes, trackingMandatory } from "./marketplace-reference";
import { pushMultiShipment } from "./multi-shipment.server";
import { DEAD_STATES, PRE_SHIPPING_STATES, SHIPPED_STATES } from "./order-lines";
import { setOrderFulfilmentStatus, trackingChangedSinceSent, timeline, updateLink, type PathResult, type PushContext, type WorkLink } from "./push-context.server";
import { holdReasonText, resolveLinkTracking } from "./resolve-carrier.server";
import { pushSingleShipment } from "./single-shipment.server";

const log = logger.child({ module: "fulfilment" });

export type PushOutcome =
  | { kind: "ignored"; reason: string }
  | { kind: "up_to_date" }
  | { kind: "waiting"; reason: string }
  | { kind: "cancelled"; state: string }
  | { kind: "pushed"; sent: string[]; held: number; fulfilmentStatus: PathResult["fulfilmentStatus"] };

const CANCELLED_IN_SHOPIFY = new Set(["CANCELLED", "ERROR", "FAILURE"]);

/**
 * The fulfilment.push job: tell Mirakl everything it should know about one order's Shopify fulfilments.
 *
 * Every run starts from the truth on both sides, never from what a webhook said or what we last sent:
 *  1. the fulfilments as Shopify has them now (tracking edits and cancellations, whatever order webhooks came in);
 *  2. the order as Mirakl has it now (OR11 by id: notes §1.10, "re-read before re-sending").
 * Then each fulfilment's carrier is resolved (held with a Task when it cannot be), the Mirakl state decides
 * (not yet SHIPPING: wait; cancelled: stop; SHIPPED: acknowledge), and the marketplace's shipment model sends
 * what is missing, never what Mirakl already holds. Runs are serialised per order by the job's key.
 */
export async function pushOrderFulfilments({ services, orderLinkId }: { services: Services; orderLinkId: string }): Promise<PushOutcome> {
  const prisma = services.prisma;
  const orderLink = await prisma.orderLink.findUnique({ where: { id: orderLinkId }, include: { connection: true } });
  if (!orderLink) return { kind: "ignored", reason: "order link not found" };
  const { connection, ...link } = orderLink;
  const orderRow: OrderLink = link;
  const plog = log.child({ shop: connection.shop, connectionId: connection.id, miraklOrderId: orderRow.miraklOrderId });
  if (connection.paused) return { kind: "waiting", reason: "sync is paused for this marketplace" };

  let rows = await prisma.fulfillmentLink.findMany({ where: { orderLinkId }, orderBy: { createdAt: "asc" } });
  if (rows.length === 0) return { kind: "ignored", reason: "no fulfilment recorded for this order" };
  const changed = await refreshFromShopify({ services, connection, orderLink: orderRow, rows });
  rows = await prisma.fulfillmentLink.findMany({ where: { orderLinkId, status: { not: "CANCELLED" } }, orderBy: { createdAt: "asc" } });
  const ours = rows.filter((r) => r.origin === "SHOPIFY");
  if (ours.length === 0) return { kind: "up_to_date" };
  // A duplicate webhook of a fulfilment Mirakl already has: no Mirakl call at all.
  if (!changed && ours.every((r) => r.status === "ACKNOWLEDGED" && !trackingChangedSinceSent(r))) return { kind: "up_to_date" };

  const mirakl = services.mirakl(connection);
  const [order] = await mirakl.getOrdersByIds([orderRow.miraklOrderId]);
  if (!order) throw new NotFoundError(`Mirakl has no order ${orderRow.miraklOrderId} on ${connection.name}`, { miraklOrderId: orderRow.miraklOrderId });

  const carriers = readCarriers(connection.carriers);
  const mandatory = trackingMandatory(readShippingTypes(connection.shippingTypes), order.shipping_type_code);
  const links: WorkLink[] = rows.map((row) => ({ row, lines: readFulfilledLines(row.lines), resolution: null }));
  const ctx: PushContext = { services, connection, orderLink: orderRow, order, mirakl, carriers, links, log: plog };

  if (DEAD_STATES.has(order.order_state)) return cancelForDeadOrder(ctx);

  // Resolve carriers first, whatever the state, so an unmapped carrier reaches the merchant before the debit does.
  let held = 0;
  const heldKeys = new Set<string>();
  for (const wl of links) {
    if (wl.row.origin !== "SHOPIFY") continue;
    if (wl.row.status === "ACKNOWLEDGED" && !trackingChangedSinceSent(wl.row)) continue;
    wl.resolution = await resolveLinkTracking({ services, connection, link: wl.row, carriers, mandatoryTracking: mandatory });
    const r = wl.resolution;
    if (r.kind === "ready") {
      if (wl.row.status === "HELD") {
        await updateLink(ctx, wl, { status: "PENDING", holdReason: null });
        await timeline(ctx, { kind: "fulfilment_released", message: "Released: the fulfilment's carrier and tracking can now be sent" });
        // The carrier became known without the mapping screen (an exact match after the SH21 refresh): its Task goes
        // once nothing else waits for it.
        const key = wl.row.trackingCompany ? carrierKey(wl.row.trackingCompany) : null;
        if (key && (await countHeldForCarrier({ services, connectionId: connection.id, key })) === 0) {
          await services.tasks.resolve({ shop: connection.shop, dedupeKey: fulfilmentTaskKeys.unmappedCarrier(connection.id, key) });
        }
      }
      continue;
    }
    held++;
    const reason = holdReasonText(r, connection.name);
    if (wl.row.status === "ACKNOWLEDGED") {
      // Shipped already; only a tracking change is blocked. Keep the status, tell the merchant.
      await timeline(ctx, { kind: "tracking_change_held", level: "warning", message: `Tracking change not sent: ${reason}` });
    } else if (wl.row.status !== "HELD" || wl.row.holdReason !== reason) {
      await updateLink(ctx, wl, { status: "HELD", holdReason: reason });
      await timeline(ctx, { kind: "fulfilment_held", level: "warning", message: `Held: ${reason}` });
    }
    if (r.reason === "carrier") {
      heldKeys.add(r.key);
      await raiseUnmappedCarrierTask({
        services,
        connection,
        carrierName: r.carrierName,
        key: r.key,
        reason: r.carrierReason,
        heldShipments: await countHeldForCarrier({ services, connectionId: connection.id, key: r.key }),
        suggestions: r.suggestions,
        mappedCode: r.mappedCode,
      });
    } else if (r.reason === "missing_tracking") {
      await raiseMissingTrackingTask({ services, connection, order: orderRow, shippingType: order.shipping_type_label ?? order.shipping_type_code ?? null });
    } else {
      await raiseMissingCarrierTask({ services, connection, order: orderRow, trackingNumber: r.trackingNumber });
    }
  }
  await resolveClearedHoldTasks(ctx);

  if (order.order_state !== "SHIPPING" && !SHIPPED_STATES.has(order.order_state)) return waitForShipping(ctx);

  const result = connection.multiShipment ? await pushMultiShipment(ctx) : await pushSingleShipment(ctx);
  await setOrderFulfilmentStatus(ctx, result.fulfilmentStatus);
  if (ctx.links.filter((l) => l.row.origin === "SHOPIFY").every((l) => l.row.status === "ACKNOWLEDGED")) {
    for (const key of [fulfilmentTaskKeys.unacknowledged, fulfilmentTaskKeys.shipmentRefused]) {
      await services.tasks.resolve({ shop: connection.shop, dedupeKey: key(connection.id, orderRow.miraklOrderId) });
    }
  }
  plog.info("fulfilments pushed", { sent: result.sent, held, status: result.fulfilmentStatus, heldCarriers: [...heldKeys] });
  return { kind: "pushed", sent: result.sent, held, fulfilmentStatus: result.fulfilmentStatus };
}

/**
 * Shopify's current view of our fulfilments: tracking edits (fulfillments/update), cancellations. Returns
 * whether anything changed. A fulfilment cancelled after Mirakl heard of it cannot be taken back there: Task.
 */
async function refreshFromShopify(input: { services: Services; connection: MarketplaceConnection; orderLink: OrderLink; rows: FulfillmentLink[] }): Promise<boolean> {
  const { services, connection, orderLink } = input;
  const rows = input.rows.filter((r) => r.origin === "SHOPIFY" && r.status !== "CANCELLED");
  if (rows.length === 0) return false;
  const client = await services.shopifyAdmin(connection.shop);
  const current = await getFulfillments({ client, ids: rows.map((r) => r.shopifyFulfillmentId as ShopifyGid) });
  const byId = new Map<string, FulfillmentSummary>(current.map((f) => [f.id, f]));
  let changed = false;
  for (const row of rows) {
    const f = byId.get(row.shopifyFulfillmentId);
    const event = (e: { kind: string; message: string; level?: "info" | "warning" | "error" }) =>
      recordEvent(services.prisma, { shop: connection.shop, connectionId: connection.id, entityType: "order", entityId: orderLink.id, ...e });
    if (!f || CANCELLED_IN_SHOPIFY.has(f.status.toUpperCase())) {
      changed = true;
      const res = await services.prisma.fulfillmentLink.updateMany({ where: { id: row.id, status: { not: "CANCELLED" } }, data: { status: "CANCELLED", holdReason: "Cancelled in Shopify" } });
      if (res.count === 0) continue;
      const told = row.status === "ACKNOWLEDGED" || row.status === "SENT";
      const name = f?.name ?? row.shopifyFulfillmentId;
      await event({ kind: "fulfilment_cancelled", level: told ? "warning" : "info", message: `Fulfilment ${name} cancelled in Shopify${told ? " after Mirakl was told: Mirakl cannot take a shipment back" : ": nothing is sent"}` });
      if (told) {
        await raiseFulfilmentCancelledAfterShipmentTask({ services, connection, order: orderLink, fulfilmentId: row.shopifyFulfillmentId, fulfilmentName: f?.name ?? row.shopifyFulfillmentId });
      }
      continue;
    }
    const t = f.trackingInfo[0] ?? { company: null, number: null, url: null };
    const same = (a: string | null, b: string | null) => (a ?? "").trim() === (b ?? "").trim();
    if (same(t.company, row.trackingCompany) && same(t.number, row.trackingNumber) && same(t.url, row.trackingUrl)) continue;
    changed = true;
    const wasSent = row.status === "ACKNOWLEDGED" || row.status === "SENT";
    await services.prisma.fulfillmentLink.update({
      where: { id: row.id },
      data: {
        trackingCompany: t.company,
        trackingNumber: t.number,
        trackingUrl: t.url,
        // Forces a re-send even when only the carrier changed (the number alone decides "changed since sent").
        ...(wasSent && !same(t.company, row.trackingCompany) ? { sentTrackingNumber: null } : {}),
      },
    });
    if (row.trackingNumber || row.trackingCompany) {
      await event({
        kind: "tracking_edited",
        message: `Tracking edited in Shopify (${f.name}): ${[row.trackingCompany, row.trackingNumber].filter(Boolean).join(" ") || "none"} → ${[t.company, t.number].filter(Boolean).join(" ") || "none"}`,
      });
    }
  }
  return changed;
}

async function cancelForDeadOrder(ctx: PushContext): Promise<PushOutcome> {
  const state = ctx.order.order_state;
  let stopped = 0;
  for (const wl of ctx.links) {
    if (wl.row.origin !== "SHOPIFY" || wl.row.status === "ACKNOWLEDGED") continue;
    await updateLink(ctx, wl, { status: "CANCELLED", holdReason: `The order is ${state} on ${ctx.connection.name}` });
    stopped++;
  }
  if (stopped > 0) {
    await timeline(ctx, { kind: "fulfilment_for_dead_order", level: "error", message: `Fulfilled in Shopify but the order is ${state} on ${ctx.connection.name}: nothing sent` });
    await raiseShippedCancelledOrderTask({ services: ctx.services, connection: ctx.connection, order: ctx.orderLink, state });
  }
  return { kind: "cancelled", state };
}

/** Not yet SHIPPING (notes §4.3: never ship while WAITING_DEBIT*): keep the fulfilments PENDING; see order-listener. */
async function waitForShipping(ctx: PushContext): Promise<PushOutcome> {
  const state = ctx.order.order_state;
  const reason = PRE_SHIPPING_STATES.has(state)
    ? `Waiting for ${ctx.connection.name} to ${state === "WAITING_ACCEPTANCE" || state === "STAGING" ? "accept the order" : "charge the customer"} (Mirakl: ${state}); it goes out as soon as the order can ship`
    : `Waiting: Mirakl shows the order as ${state}, in which a shipment cannot be confirmed`;
  for (const wl of ctx.links) {
    if (wl.row.origin !== "SHOPIFY" || wl.resolution?.kind !== "ready") continue;
    if (wl.row.status === "PENDING" && wl.row.holdReason === reason) continue;
    await updateLink(ctx, wl, { status: "PENDING", holdReason: reason });
    await timeline(ctx, { kind: "fulfilment_waiting", message: reason });
  }
  return { kind: "waiting", reason };
}

async function countHeldForCarrier({ services, connectionId, key }: { services: Services; connectionId: string; key: string }): Promise<number> {
  const held = await services.prisma.fulfillmentLink.findMany({ where: { connectionId, status: "HELD", trackingCompany: { not: null } }, select: { trackingCompany: true } });
  return held.filter((h) => carrierKey(h.trackingCompany ?? "") === key).length;
}

/** Tasks about this order's tracking/carrier whose cause is gone (the fulfilment was edited in Shopify). */
async function resolveClearedHoldTasks(ctx: PushContext): Promise<void> {
  const holds = ctx.links.map((l) => l.resolution).filter((r) => r?.kind === "hold");
  const { shop, id } = ctx.connection;
  const miraklOrderId = ctx.orderLink.miraklOrderId;
  if (!holds.some((r) => r?.kind === "hold" && r.reason === "missing_tracking")) {
    await ctx.services.tasks.resolve({ shop, dedupeKey: fulfilmentTaskKeys.missingTracking(id, miraklOrderId) });
  }
  if (!holds.some((r) => r?.kind === "hold" && r.reason === "missing_carrier")) {
    await ctx.services.tasks.resolve({ shop, dedupeKey: fulfilmentTaskKeys.missingCarrier(id, miraklOrderId) });
  }
}
