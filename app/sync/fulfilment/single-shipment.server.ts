import { MiraklRequestError } from "../../mirakl";
import { errorMessage } from "../../lib/errors";
import { raiseMissingTrackingTask, raiseShipmentRefusedTask, raiseTrackingChangeRefusedTask } from "./fulfilment-tasks.server";
import { shippingProgress } from "./line-mapping";
import { describeTracking, miraklHolds, numberOf, or23Input, sentCarrierOf, type OutgoingTracking } from "./link-tracking";
import { miraklLinesOf, SHIPPED_STATES } from "./order-lines";
import { acknowledge, countAttempt, holdRefusedCarrier, readyTracking, setOrderFulfilmentStatus, timeline, trackingChangedSinceSent, updateLink, type PathResult, type PushContext, type WorkLink } from "./push-context.server";

/**
 * Marketplaces without multi-shipment: Mirakl holds one carrier + tracking per order (OR23) and confirms the
 * whole order at once (OR24, SHIPPING → SHIPPED). So:
 *  - the order's tracking is the newest fulfilment's, sent as soon as it exists (OR23 may be repeated while
 *    SHIPPING, and after SHIPPED where the operator allows it: notes §2.1 OR23 [U]);
 *  - OR24 goes out once every active Mirakl line is fulfilled in Shopify and nothing is held;
 *  - every write is preceded by the OR11 re-read in ctx.order, and what Mirakl already holds is never re-sent,
 *    which is what makes a retry after a timed-out OR23/OR24 safe (no idempotency keys: notes §1.10).
 */
export async function pushSingleShipment(ctx: PushContext): Promise<PathResult> {
  const { order } = ctx;
  const sent: string[] = [];
  const ours = ctx.links.filter((l) => l.row.origin === "SHOPIFY");
  const ready = ours.filter((l) => readyTracking(l) !== null);
  const held = ours.filter((l) => l.resolution?.kind === "hold");
  const shipped = SHIPPED_STATES.has(order.order_state);
  const progress = shippingProgress({ miraklLines: miraklLinesOf(order), fulfilments: ctx.links.map((l) => l.lines) });

  // The order-level tracking Mirakl should show: the newest fulfilment that has one. If that one is held, or
  // already acknowledged and unchanged (not resolved this run), there is nothing to send: an edit of an older
  // parcel must not overwrite the newest parcel's tracking on Mirakl.
  const newest = [...ours].reverse().find((l) => (l.row.trackingNumber ?? "").trim() !== "" || (l.row.trackingCompany ?? "").trim() !== "");
  const latest = newest && readyTracking(newest) ? newest : undefined;
  const latestTracking = latest ? readyTracking(latest) : null;
  let trackingOk = true;
  if (latest && latestTracking && latestTracking.kind !== "none") {
    const current = { carrierCode: order.shipping_carrier_code ?? null, company: order.shipping_company ?? null, number: order.shipping_tracking ?? null };
    if (!miraklHolds(latestTracking, current)) {
      trackingOk = await sendTracking(ctx, latest, latestTracking, shipped);
      if (trackingOk) sent.push("OR23");
    }
  }

  if (shipped) {
    // Confirmed already: by us (an OR24 whose answer was lost), in the back office, or by the operator.
    const newly = ready.filter((l) => l.row.status !== "ACKNOWLEDGED");
    for (const link of ready) {
      if (link.row.status !== "ACKNOWLEDGED" || trackingChangedSinceSent(link.row)) await acknowledge(ctx, link, readyTracking(link));
    }
    if (newly.length > 0 && !sent.includes("OR23")) {
      await timeline(ctx, {
        kind: "shipment_already_confirmed",
        level: "success",
        message: `Mirakl already shows the order ${order.order_state} (confirmed in the back office, by the operator or by an earlier attempt whose answer was lost): nothing sent twice`,
      });
    }
    return { fulfilmentStatus: "SHIPPED", sent };
  }

  if (progress.complete && held.length === 0 && trackingOk && ready.length > 0) {
    for (const link of ready) await countAttempt(ctx, link);
    try {
      await ctx.mirakl.shipOrder({ orderId: order.order_id });
    } catch (err) {
      if (!(err instanceof MiraklRequestError)) throw err;
      // A refusal may just mean someone confirmed it meanwhile (gotcha 3: OR24 only in SHIPPING): look again.
      const [again] = await ctx.mirakl.getOrdersByIds([order.order_id]);
      if (!again || !SHIPPED_STATES.has(again.order_state)) {
        await refuse(ctx, ready, errorMessage(err));
        return { fulfilmentStatus: sentTrackingKnown(ctx, sent) ? "TRACKING_SENT" : "PARTIAL", sent };
      }
    }
    sent.push("OR24");
    for (const link of ready) await acknowledge(ctx, link, readyTracking(link));
    await timeline(ctx, {
      kind: "shipment_confirmed",
      level: "success",
      message: `Shipment confirmed to Mirakl (OR24)${latestTracking ? ` with ${describeTracking(latestTracking)}` : ""}`,
    });
    return { fulfilmentStatus: "SHIPPED", sent };
  }

  // Not yet: part of the order is unfulfilled, or another fulfilment is held.
  const waitingFor = !progress.complete
    ? `Waiting for the rest of the order: ${ctx.connection.name} confirms whole orders only (${progress.fulfilledUnits} of ${progress.totalUnits} items fulfilled)`
    : held.length > 0
      ? `Waiting for the other fulfilment of this order, which is held`
      : `Waiting for the tracking to be accepted`;
  for (const link of ready) {
    if (link.row.status === "SENT" && link.row.holdReason === waitingFor) continue;
    const tracking = readyTracking(link);
    await updateLink(ctx, link, { status: "SENT", holdReason: waitingFor, lastError: null });
    await timeline(ctx, {
      kind: "shipment_waiting",
      message: `${waitingFor}.${tracking && tracking.kind !== "none" && link === latest && trackingOk ? " The tracking is already on the order in Mirakl." : ""}`,
    });
  }
  return { fulfilmentStatus: sentTrackingKnown(ctx, sent) ? "TRACKING_SENT" : "PARTIAL", sent };
}

function sentTrackingKnown(ctx: PushContext, sent: string[]): boolean {
  return sent.includes("OR23") || !!ctx.order.shipping_tracking;
}

/** OR23. Returns false when Mirakl refused it (the reason is handled here: a hold, a Task). */
async function sendTracking(ctx: PushContext, link: WorkLink, tracking: Exclude<OutgoingTracking, { kind: "none" }>, shipped: boolean): Promise<boolean> {
  await countAttempt(ctx, link);
  try {
    await ctx.mirakl.setTracking(or23Input(ctx.order.order_id, tracking));
  } catch (err) {
    if (!(err instanceof MiraklRequestError)) throw err;
    const message = errorMessage(err);
    if (shipped) {
      // The operator does not take tracking changes after shipment: say so once, do not retry forever.
      await raiseTrackingChangeRefusedTask({ services: ctx.services, connection: ctx.connection, order: ctx.orderLink, trackingNumber: numberOf(tracking) ?? "", message });
      await acknowledge(ctx, link, tracking);
      await timeline(ctx, { kind: "tracking_change_refused", level: "warning", message: `Mirakl refused the tracking change to ${describeTracking(tracking)}: ${message}` });
      return false;
    }
    if (err.miraklCode === "CARRIER_NOT_FOUND" || err.miraklCode === "UNREGISTERED_CARRIER_FORBIDDEN") {
      await holdRefusedCarrier(ctx, link, tracking, message, err.miraklCode === "CARRIER_NOT_FOUND" ? "unknown_code" : "unlisted_forbidden");
      await timeline(ctx, { kind: "tracking_refused", level: "error", message: `Mirakl refused the carrier of ${describeTracking(tracking)}: ${message}` });
      return false;
    }
    await refuse(ctx, [link], message);
    return false;
  }
  const now = ctx.services.now();
  await updateLink(ctx, link, {
    status: shipped ? "ACKNOWLEDGED" : "SENT",
    sentCarrierCode: sentCarrierOf(tracking),
    sentTrackingNumber: numberOf(tracking),
    sentAt: now,
    lastError: null,
    ...(shipped ? { acknowledgedAt: link.row.acknowledgedAt ?? now, holdReason: null } : {}),
  });
  // Recorded now, not at the end of the run: the OR24 that follows may fail and leave this run early.
  if (!shipped) await setOrderFulfilmentStatus(ctx, "TRACKING_SENT");
  await timeline(ctx, {
    kind: shipped ? "tracking_changed" : "tracking_sent",
    level: "success",
    message: shipped ? `Tracking change sent to Mirakl (OR23): ${describeTracking(tracking)}` : `Tracking sent to Mirakl (OR23): ${describeTracking(tracking)}`,
  });
  return true;
}

/** Mirakl said no for good (a 4xx). The mandatory-tracking refusal means our SH12 copy is behind: a tracking Task. */
async function refuse(ctx: PushContext, links: WorkLink[], message: string): Promise<void> {
  if (/tracking/i.test(message) && /mandatory/i.test(message)) {
    for (const link of links) await updateLink(ctx, link, { status: "HELD", lastError: message, holdReason: "The shipping method needs a tracking number and the fulfilment has none" });
    await raiseMissingTrackingTask({ services: ctx.services, connection: ctx.connection, order: ctx.orderLink, shippingType: ctx.order.shipping_type_label ?? ctx.order.shipping_type_code ?? null });
    await timeline(ctx, { kind: "shipment_refused", level: "error", message: `Mirakl refused the shipment: ${message}` });
    return;
  }
  for (const link of links) await updateLink(ctx, link, { status: "FAILED", lastError: message, holdReason: `Mirakl refused: ${message}` });
  await raiseShipmentRefusedTask({ services: ctx.services, connection: ctx.connection, order: ctx.orderLink, message });
  await timeline(ctx, { kind: "shipment_refused", level: "error", message: `Mirakl refused the shipment: ${message}` });
}
