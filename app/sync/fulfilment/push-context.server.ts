import type { FulfillmentLink, MarketplaceConnection, OrderLink, Prisma } from "@prisma/client";
import type { MiraklClient, MiraklOrder } from "../../mirakl";
import type { Logger } from "../../lib/logger";
import type { Services } from "../../services.server";
import { recordEvent } from "../timeline.server";
import { carrierKey } from "./carrier-match";
import { raiseUnmappedCarrierTask } from "./fulfilment-tasks.server";
import type { FulfilledLine } from "./line-mapping";
import type { OutgoingTracking } from "./link-tracking";
import { sentCarrierOf, numberOf } from "./link-tracking";
import type { MarketplaceCarrier } from "./marketplace-reference";
import type { LinkResolution } from "./resolve-carrier.server";

/** One fulfilment of the order being pushed, as this run sees it. */
export interface WorkLink {
  row: FulfillmentLink;
  lines: FulfilledLine[];
  /** null for links that are not ours to send (MIRAKL_PORTAL) or were not resolved this run. */
  resolution: LinkResolution | null;
}

export interface PushContext {
  services: Services;
  connection: MarketplaceConnection;
  orderLink: OrderLink;
  /** The order as just re-read from Mirakl (OR11 by order id): every decision is made on it. */
  order: MiraklOrder;
  mirakl: MiraklClient;
  carriers: readonly MarketplaceCarrier[];
  /** Non-cancelled fulfilments of the order, oldest first, every origin. */
  links: WorkLink[];
  log: Logger;
}

export interface PathResult {
  /** OrderLink.fulfilmentStatus: NONE | PARTIAL | TRACKING_SENT | SHIPPED */
  fulfilmentStatus: "NONE" | "PARTIAL" | "TRACKING_SENT" | "SHIPPED";
  sent: string[];
}

export function readyTracking(link: WorkLink): OutgoingTracking | null {
  return link.resolution?.kind === "ready" ? link.resolution.tracking : null;
}

/** Whether this link's tracking changed since Mirakl last heard about it (a fulfillments/update after shipment). */
export function trackingChangedSinceSent(row: Pick<FulfillmentLink, "trackingNumber" | "sentTrackingNumber">): boolean {
  return (row.trackingNumber ?? "").trim() !== (row.sentTrackingNumber ?? "").trim();
}

export async function updateLink(ctx: PushContext, link: WorkLink, data: Prisma.FulfillmentLinkUpdateInput): Promise<void> {
  link.row = await ctx.services.prisma.fulfillmentLink.update({ where: { id: link.row.id }, data });
}

/** Counted before each write, so the timeline and the report can say how often Mirakl was tried. */
export async function countAttempt(ctx: PushContext, link: WorkLink): Promise<void> {
  await updateLink(ctx, link, { attempts: { increment: 1 } });
}

/**
 * Mirakl knows (or no longer needs) this fulfilment. `sent*` records the tracking it was accounted with, so
 * only a later change of it is sent again.
 */
export async function acknowledge(ctx: PushContext, link: WorkLink, tracking: OutgoingTracking | null): Promise<void> {
  const now = ctx.services.now();
  await updateLink(ctx, link, {
    status: "ACKNOWLEDGED",
    holdReason: null,
    lastError: null,
    acknowledgedAt: link.row.acknowledgedAt ?? now,
    sentTrackingNumber: tracking ? numberOf(tracking) : link.row.trackingNumber,
    sentCarrierCode: tracking ? sentCarrierOf(tracking) : link.row.sentCarrierCode,
  });
}

export async function timeline(ctx: PushContext, event: { kind: string; message: string; level?: "info" | "success" | "warning" | "error"; data?: Prisma.InputJsonValue }): Promise<void> {
  await recordEvent(ctx.services.prisma, {
    shop: ctx.connection.shop,
    connectionId: ctx.connection.id,
    entityType: "order",
    entityId: ctx.orderLink.id,
    ...event,
  });
}

/**
 * Mirakl refused the carrier we sent: our daily copy of SH21/PC01 is behind the marketplace's, so hold the
 * fulfilment like an unmapped carrier and ask the merchant to map it. Shared by the OR23 and ST01/ST23 paths.
 */
export async function holdRefusedCarrier(
  ctx: PushContext,
  link: WorkLink,
  tracking: OutgoingTracking,
  message: string,
  reason: "unknown_code" | "unlisted_forbidden",
): Promise<void> {
  const name = link.row.trackingCompany ?? "";
  await updateLink(ctx, link, { status: "HELD", holdReason: `${ctx.connection.name} refused the carrier: ${message}`, lastError: message });
  await raiseUnmappedCarrierTask({
    services: ctx.services,
    connection: ctx.connection,
    carrierName: name,
    key: carrierKey(name),
    reason,
    heldShipments: 1,
    suggestions: [],
    mappedCode: tracking.kind === "registered" ? tracking.carrier.code : null,
  });
}

/** OrderLink.fulfilmentStatus, never downgrading SHIPPED (a late, out-of-order run must not undo it). */
export async function setOrderFulfilmentStatus(ctx: PushContext, status: PathResult["fulfilmentStatus"]): Promise<void> {
  const prisma = ctx.services.prisma;
  const where = { id: ctx.orderLink.id, fulfilmentStatus: { not: "SHIPPED" } };
  if (status === "SHIPPED") await prisma.orderLink.updateMany({ where, data: { fulfilmentStatus: "SHIPPED", shippedAt: ctx.services.now() } });
  else await prisma.orderLink.updateMany({ where, data: { fulfilmentStatus: status } });
}
