import type { MiraklShipment } from "../../mirakl";
import { AppError } from "../../lib/errors";
import { raiseMissingTrackingTask, raiseShipmentRefusedTask, raiseTrackingChangeRefusedTask } from "./fulfilment-tasks.server";
import { sameLines, shippingProgress, type FulfilledLine } from "./line-mapping";
import { describeTracking, numberOf, sentCarrierOf, shipmentTrackingInput, type OutgoingTracking } from "./link-tracking";
import { miraklLinesOf, SHIPPED_STATES } from "./order-lines";
import { acknowledge, countAttempt, holdRefusedCarrier, readyTracking, timeline, trackingChangedSinceSent, updateLink, type PathResult, type PushContext, type WorkLink } from "./push-context.server";

/** The order moved on between our OR11 re-read and ST01: run again from a fresh read. */
class OrderMovedError extends AppError {
  constructor(message: string) {
    super(`Mirakl refused the shipment because the order changed meanwhile (${message}); re-reading it`, { code: "MIRAKL_ORDER_MOVED", retryable: true });
  }
}

/**
 * Marketplaces with multi-shipment (PC01 features.shipment.multi_shipment, notes §2.2): one Mirakl shipment per
 * Shopify fulfilment, created shipped at once (ST01 `shipped: true`), its lines and tracking included; a later
 * tracking change goes out with ST23. Mirakl moves the order to SHIPPED when every line is shipped.
 *
 * ST01 has no idempotency key either: before creating a shipment we list the order's shipments (ST11) and adopt
 * one with the same lines and tracking that no other fulfilment has claimed, which is how a retry after a
 * timed-out ST01 finds the shipment it already made.
 */
export async function pushMultiShipment(ctx: PushContext): Promise<PathResult> {
  const { order } = ctx;
  const sent: string[] = [];
  const shipped = SHIPPED_STATES.has(order.order_state);
  const claimed = new Set(ctx.links.map((l) => l.row.miraklShipmentId).filter((id): id is string => !!id));
  let shipments: MiraklShipment[] | null = null;
  const listShipments = async () => {
    if (shipments) return shipments;
    const out: MiraklShipment[] = [];
    for await (const s of ctx.mirakl.iterateShipments({ orderIds: [order.order_id] })) out.push(s);
    shipments = out;
    return out;
  };

  for (const link of ctx.links) {
    if (link.row.origin !== "SHOPIFY") continue;
    const tracking = readyTracking(link);
    if (!tracking) continue;
    if (link.row.miraklShipmentId) {
      if (link.row.status === "ACKNOWLEDGED" && !trackingChangedSinceSent(link.row)) continue;
      if (tracking.kind !== "none" && trackingChangedSinceSent(link.row)) {
        if (await updateShipmentTracking(ctx, link, tracking)) sent.push("ST23");
      } else {
        await acknowledge(ctx, link, tracking);
      }
      continue;
    }
    const match = (await listShipments()).find(
      (s) => !claimed.has(s.id) && s.status !== "CANCELED" && sameLines(linesOf(s), link.lines) && (s.tracking?.tracking_number ?? "") === (numberOf(tracking) ?? ""),
    );
    if (match) {
      claimed.add(match.id);
      await updateLink(ctx, link, { miraklShipmentId: match.id, sentAt: link.row.sentAt ?? ctx.services.now() });
      if (match.status === "SHIPPING" && !shipped) {
        await countAttempt(ctx, link);
        const res = await ctx.mirakl.shipShipments({ shipmentIds: [match.id] });
        const error = res.errors[0]?.message;
        if (error) {
          await handleShipmentError(ctx, link, tracking, error);
          continue;
        }
        sent.push("ST24");
      }
      await acknowledge(ctx, link, tracking);
      await timeline(ctx, {
        kind: "shipment_found",
        level: "success",
        message: `Shipment already on Mirakl (an earlier attempt went through): ${describeTracking(tracking)}; nothing sent twice`,
      });
      continue;
    }
    if (shipped) {
      await acknowledge(ctx, link, tracking);
      await timeline(ctx, { kind: "shipment_already_confirmed", message: `Mirakl already shows the whole order ${order.order_state}: this fulfilment needs no shipment of its own` });
      continue;
    }
    await countAttempt(ctx, link);
    const res = await ctx.mirakl.createShipments({
      shipments: [
        {
          orderId: order.order_id,
          lines: link.lines.map((l) => ({ orderLineId: l.miraklOrderLineId, quantity: l.quantity })),
          tracking: shipmentTrackingInput(tracking),
          shipped: true,
        },
      ],
    });
    const created = res.successes[0];
    if (!created) {
      await handleShipmentError(ctx, link, tracking, res.errors[0]?.message ?? "no shipment created and no reason given");
      continue;
    }
    claimed.add(created.id);
    sent.push("ST01");
    const now = ctx.services.now();
    const done = created.status === "SHIPPED" || created.status == null;
    await updateLink(ctx, link, {
      miraklShipmentId: created.id,
      status: done ? "ACKNOWLEDGED" : "SENT",
      sentCarrierCode: sentCarrierOf(tracking),
      sentTrackingNumber: numberOf(tracking),
      sentAt: now,
      acknowledgedAt: done ? now : null,
      holdReason: null,
      lastError: null,
    });
    const units = link.lines.reduce((s, l) => s + l.quantity, 0);
    await timeline(ctx, { kind: "shipment_sent", level: "success", message: `Shipment sent to Mirakl (ST01, shipped): ${units} item(s), ${describeTracking(tracking)}` });
  }

  if (shipped) return { fulfilmentStatus: "SHIPPED", sent };
  const acknowledged = ctx.links.filter((l) => l.row.status === "ACKNOWLEDGED").map((l) => l.lines);
  const progress = shippingProgress({ miraklLines: miraklLinesOf(order), fulfilments: acknowledged });
  return { fulfilmentStatus: progress.complete ? "SHIPPED" : progress.fulfilledUnits > 0 ? "PARTIAL" : "NONE", sent };
}

function linesOf(s: MiraklShipment): FulfilledLine[] {
  return s.shipment_lines.flatMap((l) => (l.order_line_id && l.quantity ? [{ miraklOrderLineId: l.order_line_id, quantity: l.quantity }] : []));
}

async function updateShipmentTracking(ctx: PushContext, link: WorkLink, tracking: Exclude<OutgoingTracking, { kind: "none" }>): Promise<boolean> {
  const shipmentId = link.row.miraklShipmentId ?? "";
  await countAttempt(ctx, link);
  const res = await ctx.mirakl.updateShipmentTracking({ shipments: [{ shipmentId, tracking: shipmentTrackingInput(tracking) ?? {} }] });
  const error = res.errors[0]?.message;
  if (error) {
    // Do not retry a refused change forever: the merchant is told, and the link keeps the tracking it was refused with.
    await raiseTrackingChangeRefusedTask({ services: ctx.services, connection: ctx.connection, order: ctx.orderLink, trackingNumber: numberOf(tracking) ?? "", message: error });
    await acknowledge(ctx, link, tracking);
    await timeline(ctx, { kind: "tracking_change_refused", level: "warning", message: `Mirakl refused the tracking change to ${describeTracking(tracking)}: ${error}` });
    return false;
  }
  const now = ctx.services.now();
  await updateLink(ctx, link, { sentCarrierCode: sentCarrierOf(tracking), sentTrackingNumber: numberOf(tracking), sentAt: now });
  if (link.row.status !== "ACKNOWLEDGED") await acknowledge(ctx, link, tracking);
  await timeline(ctx, { kind: "tracking_changed", level: "success", message: `Tracking change sent to Mirakl (ST23): ${describeTracking(tracking)}` });
  return true;
}

/** ST01/ST24 answer 201/200 with per-shipment errors (notes §1.8): read the reason and act on it. */
async function handleShipmentError(ctx: PushContext, link: WorkLink, tracking: OutgoingTracking, message: string): Promise<void> {
  if (/status must be 'SHIPPING'/i.test(message)) throw new OrderMovedError(message);
  if (/carrier/i.test(message) && /(unknown|not allowed|unregistered)/i.test(message)) {
    await holdRefusedCarrier(ctx, link, tracking, message, /not allowed|unregistered/i.test(message) ? "unlisted_forbidden" : "unknown_code");
  } else if (/tracking/i.test(message) && /mandatory/i.test(message)) {
    await updateLink(ctx, link, { status: "HELD", holdReason: "The shipping method needs a tracking number and the fulfilment has none", lastError: message });
    await raiseMissingTrackingTask({ services: ctx.services, connection: ctx.connection, order: ctx.orderLink, shippingType: ctx.order.shipping_type_label ?? ctx.order.shipping_type_code ?? null });
  } else {
    await updateLink(ctx, link, { status: "FAILED", holdReason: `Mirakl refused: ${message}`, lastError: message });
    await raiseShipmentRefusedTask({ services: ctx.services, connection: ctx.connection, order: ctx.orderLink, message });
  }
  await timeline(ctx, { kind: "shipment_refused", level: "error", message: `Mirakl refused the shipment (${describeTracking(tracking)}): ${message}` });
}
