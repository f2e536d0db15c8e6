import type { FulfillmentLink, MarketplaceConnection } from "@prisma/client";
import type { Services } from "../../services.server";
import { logger } from "../../lib/logger";
import { carriersUrl, fulfilmentTaskKeys, orderLabel, orderUrl } from "./fulfilment-tasks.server";
import { enqueuePush } from "./fulfilment-queue.server";
import { carrierKey, decideCarrier } from "./carrier-match";
import { readCarriers } from "./marketplace-reference";

const log = logger.child({ module: "fulfilment" });

/** Statuses in which Mirakl has not (yet) acknowledged a Shopify fulfilment. */
const UNACKNOWLEDGED = ["PENDING", "HELD", "SENT", "FAILED"];
/** A push that should have run by now (listener missed, worker crashed, sync resumed): queue it again. */
const STALL_MS = 5 * 60_000;
const OUTAGE_RETRY_MS = 30 * 60_000;

export interface ReportOutcome {
  late: number;
  raised: number;
  resolved: number;
  requeued: number;
}

/**
 * The exception report: every order fulfilled in Shopify whose fulfilment Mirakl has not acknowledged within
 * connection.unacknowledgedShipmentMinutes becomes a Task (`unacknowledged-shipment:<connection>:<order>`, entity
 * = the order link, so the orders screen shows it), resolved here or by the push once Mirakl has it.
 * Also the safety net: fulfilments waiting longer than a few minutes get their push queued again, and so do
 * fulfilments held for a carrier that can now be resolved (the daily SH21 refresh added it).
 */
export async function reportUnacknowledgedShipments({ services, connection, now = services.now() }: { services: Services; connection: MarketplaceConnection; now?: Date }): Promise<ReportOutcome> {
  const prisma = services.prisma;
  const links = await prisma.fulfillmentLink.findMany({ where: { connectionId: connection.id, origin: "SHOPIFY", status: { in: UNACKNOWLEDGED } }, orderBy: { createdAt: "asc" } });

  // Held for a carrier the marketplace now lists (SH21 is re-read daily) or that was mapped meanwhile.
  const carriers = readCarriers(connection.carriers);
  const mappings = new Map((await prisma.carrierMapping.findMany({ where: { connectionId: connection.id } })).map((m) => [m.shopifyCarrierKey, m]));
  const releasable = links.filter((l) => {
    if (l.status !== "HELD" || !l.trackingCompany?.trim()) return false;
    const m = mappings.get(carrierKey(l.trackingCompany));
    const d = decideCarrier({
      trackingCompany: l.trackingCompany,
      trackingUrl: l.trackingUrl,
      mapping: m ? { miraklCarrierCode: m.miraklCarrierCode, useUnregistered: m.useUnregistered } : null,
      carriers,
      allowUnregistered: connection.allowUnregisteredCarrier,
    });
    // Without a number it may be held for mandatory tracking instead, which only an edit in Shopify clears.
    return d.kind !== "hold" && !!l.trackingNumber?.trim();
  });

  let requeued = 0;
  // HELD and refused (4xx) fulfilments wait for a person: re-trying them would only repeat the refusal. A push
  // that gave up on an outage (dead letter) is tried again every half hour until Mirakl takes it.
  const idle = (l: FulfillmentLink) => now.getTime() - l.updatedAt.getTime();
  const stalled = new Set(
    links
      .filter((l) => (l.status === "PENDING" && idle(l) >= STALL_MS) || (l.status === "FAILED" && !l.holdReason?.startsWith("Mirakl refused") && idle(l) >= OUTAGE_RETRY_MS))
      .concat(releasable)
      .map((l) => l.orderLinkId),
  );
  for (const orderLinkId of stalled) if (await enqueuePush({ services, shop: connection.shop, connectionId: connection.id, orderLinkId })) requeued++;

  const limit = connection.unacknowledgedShipmentMinutes * 60_000;
  const lateByOrder = new Map<string, FulfillmentLink[]>();
  for (const l of links) if (now.getTime() - l.createdAt.getTime() >= limit) lateByOrder.set(l.orderLinkId, [...(lateByOrder.get(l.orderLinkId) ?? []), l]);
  const orders = await prisma.orderLink.findMany({ where: { id: { in: [...lateByOrder.keys()] } } });

  let raised = 0;
  const lateKeys = new Set<string>();
  for (const order of orders) {
    const late = lateByOrder.get(order.id) ?? [];
    const oldest = late[0];
    if (!oldest) continue;
    const key = fulfilmentTaskKeys.unacknowledged(connection.id, order.miraklOrderId);
    lateKeys.add(key);
    const minutes = Math.floor((now.getTime() - oldest.createdAt.getTime()) / 60_000);
    const { why, todo, carrier } = explain(late, connection);
    await services.tasks.raise({
      shop: connection.shop,
      connectionId: connection.id,
      dedupeKey: key,
      kind: "unacknowledged_shipment",
      severity: "critical",
      title: `${orderLabel(connection, order)} shipped ${age(minutes)} ago, not confirmed on ${connection.name}`,
      body: `Fulfilled in Shopify ${age(minutes)} ago, but ${connection.name} has not acknowledged the shipment: ${why}. Until it does, the order counts as not dispatched on the marketplace (late-shipment rate, penalties, a held payout, “where is my order” messages).\n${todo}`,
      actionLabel: carrier ? "Map the carrier" : "Open the order",
      actionUrl: carrier ? carriersUrl(connection.id) : orderUrl(order.id),
      entityType: "order",
      entityId: order.id,
      data: { fulfillmentLinkIds: late.map((l) => l.id), statuses: late.map((l) => l.status) },
    });
    raised++;
  }

  // Resolve what is no longer late (acknowledged, cancelled, or the threshold was raised).
  let resolved = 0;
  const open = await prisma.task.findMany({ where: { shop: connection.shop, connectionId: connection.id, kind: "unacknowledged_shipment", status: "OPEN" }, select: { dedupeKey: true } });
  for (const t of open) {
    if (lateKeys.has(t.dedupeKey)) continue;
    if (await services.tasks.resolve({ shop: connection.shop, dedupeKey: t.dedupeKey })) resolved++;
  }
  if (raised || resolved || requeued) log.info("unacknowledged shipments", { shop: connection.shop, connectionId: connection.id, late: lateByOrder.size, raised, resolved, requeued });
  return { late: lateByOrder.size, raised, resolved, requeued };
}

function age(minutes: number): string {
  if (minutes < 120) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  return hours < 48 ? `${hours} h` : `${Math.floor(hours / 24)} days`;
}

function explain(late: FulfillmentLink[], connection: Pick<MarketplaceConnection, "name">): { why: string; todo: string; carrier: boolean } {
  const held = late.find((l) => l.status === "HELD");
  if (held) {
    const carrier = /carrier/i.test(held.holdReason ?? "");
    return {
      why: `it is held (${held.holdReason ?? "see the order's timeline"})`,
      todo: carrier ? `Map the carrier on the Carriers screen; the shipment then goes out by itself.` : `Correct the fulfilment in Shopify (tracking number, carrier); it is sent as soon as you save it.`,
      carrier,
    };
  }
  const failed = late.find((l) => l.status === "FAILED");
  if (failed) {
    return { why: `Mirakl refused it (${failed.lastError ?? "no reason given"})`, todo: `Check the order in the ${connection.name} back office and correct the fulfilment in Shopify; it is sent again when you do.`, carrier: false };
  }
  const pending = late.find((l) => l.status === "PENDING");
  if (pending) {
    return {
      why: pending.holdReason ? pending.holdReason.charAt(0).toLowerCase() + pending.holdReason.slice(1) : "it has not been sent yet (Mirakl was unreachable; it is retried automatically)",
      todo: `Nothing to do if it goes through on its own shortly; if this stays open, check the order in the ${connection.name} back office.`,
      carrier: false,
    };
  }
  const sent = late[0];
  return {
    why: sent?.holdReason ? sent.holdReason.charAt(0).toLowerCase() + sent.holdReason.slice(1) : "the tracking was sent but the shipment is not confirmed",
    todo: `Fulfil the rest of the order in Shopify (or cancel what will not ship) so the whole order can be confirmed.`,
    carrier: false,
  };
}
