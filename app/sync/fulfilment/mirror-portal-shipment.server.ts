import type { Prisma } from "@prisma/client";
import type { Services } from "../../services.server";
import { logger } from "../../lib/logger";
import { asGid, createFulfillment, listFulfillmentOrders, listOrderFulfillments } from "../../shopify";
import { recordEvent } from "../timeline.server";
import { isActiveLine, type FulfilledLine } from "./line-mapping";
import { readCarriers } from "./marketplace-reference";
import { miraklLinesOf, SHIPPED_STATES } from "./order-lines";

const log = logger.child({ module: "fulfilment" });

export type MirrorOutcome =
  | { kind: "ignored"; reason: string }
  | { kind: "mirrored"; shopifyFulfillmentIds: string[] }
  | { kind: "adopted"; shopifyFulfillmentId: string };

/** Fulfilment orders Shopify can still fulfil from (notes §4.3). */
const OPEN_FO = new Set(["OPEN", "IN_PROGRESS"]);

/**
 * A shipment confirmed in the Mirakl back office (the portal) becomes a Shopify fulfilment with the same
 * tracking, so the two systems never disagree and Shopify stops showing the order as to-do.
 *
 * Idempotent: fulfillmentCreate has no idempotency key, so before creating we read the order's fulfilments and
 * adopt one with Mirakl's tracking number (ours from a run whose answer was lost). The link is recorded with
 * origin MIRAKL_PORTAL so the fulfillments/create webhook it triggers is recognised and not pushed back.
 */
export async function mirrorPortalShipment({ services, orderLinkId }: { services: Services; orderLinkId: string }): Promise<MirrorOutcome> {
  const prisma = services.prisma;
  const orderLink = await prisma.orderLink.findUnique({ where: { id: orderLinkId }, include: { connection: true } });
  if (!orderLink?.shopifyOrderId) return { kind: "ignored", reason: "the order is not in Shopify" };
  const { connection } = orderLink;
  const existing = await prisma.fulfillmentLink.count({ where: { orderLinkId, status: { not: "CANCELLED" } } });
  if (existing > 0) return { kind: "ignored", reason: "the order already has fulfilments" };

  const [order] = await services.mirakl(connection).getOrdersByIds([orderLink.miraklOrderId]);
  if (!order || !SHIPPED_STATES.has(order.order_state)) return { kind: "ignored", reason: `the order is ${order?.order_state ?? "missing"} on Mirakl` };

  const carrier = readCarriers(connection.carriers).find((c) => c.code === order.shipping_carrier_code);
  const company = carrier?.label ?? order.shipping_company ?? order.shipping_carrier_code ?? null;
  const number = order.shipping_tracking ?? null;
  const url = order.shipping_tracking_url ?? null;
  const client = await services.shopifyAdmin(connection.shop);
  const shopifyOrderId = asGid(orderLink.shopifyOrderId, "Order");
  const event = (e: { kind: string; message: string; level?: "info" | "success" | "warning" }) =>
    recordEvent(prisma, { shop: connection.shop, connectionId: connection.id, entityType: "order", entityId: orderLink.id, ...e });

  const fulfilments = ((await listOrderFulfillments({ client, orderId: shopifyOrderId })) ?? []).filter((f) => f.status === "SUCCESS");
  if (fulfilments.length > 0) {
    const ours = number ? fulfilments.find((f) => f.trackingInfo.some((t) => t.number === number)) : undefined;
    if (!ours) return { kind: "ignored", reason: "Shopify already has a fulfilment for this order; its webhook brings it in" };
    await recordLink({ services, orderLinkId, connectionId: connection.id, shopifyFulfillmentId: ours.id, company, number, url, carrierCode: order.shipping_carrier_code ?? null, lines: [] });
    return { kind: "adopted", shopifyFulfillmentId: ours.id };
  }

  // What Mirakl shipped, per offer SKU (every active line: the portal confirms the whole order).
  const shippedBySku = new Map<string, number>();
  for (const l of miraklLinesOf(order).filter(isActiveLine)) shippedBySku.set(l.offerSku, (shippedBySku.get(l.offerSku) ?? 0) + l.quantity);
  const skuRows = await prisma.skuMapping.findMany({ where: { connectionId: connection.id, offerSku: { in: [...shippedBySku.keys()] } }, select: { offerSku: true, shopifySku: true } });
  const leftBySku = new Map<string, number>();
  for (const [offerSku, qty] of shippedBySku) {
    const sku = skuRows.find((r) => r.offerSku === offerSku)?.shopifySku ?? offerSku;
    leftBySku.set(sku, (leftBySku.get(sku) ?? 0) + qty);
  }

  // The whole order is shipped on Mirakl; its lines go on the first mirrored fulfilment (what the push and the
  // report count), a second one (another location) only carries the Shopify side.
  const miraklLines: FulfilledLine[] = miraklLinesOf(order)
    .filter(isActiveLine)
    .map((l) => ({ miraklOrderLineId: l.orderLineId, quantity: l.quantity }));
  const fos = (await listFulfillmentOrders({ client, orderId: shopifyOrderId })) ?? [];
  const created: string[] = [];
  for (const fo of fos) {
    if (!OPEN_FO.has(fo.status)) continue;
    const lines = fo.lineItems.flatMap((l) => {
      const left = l.sku ? (leftBySku.get(l.sku) ?? 0) : 0;
      const take = Math.min(left, l.remainingQuantity);
      if (take <= 0 || !l.sku) return [];
      leftBySku.set(l.sku, left - take);
      return [{ fulfillmentOrderLineItemId: l.id, quantity: take }];
    });
    if (lines.length === 0) continue;
    const f = await createFulfillment({ client, fulfillmentOrderId: fo.id, lines, tracking: { company, number, url }, notifyCustomer: false });
    created.push(f.id);
    await recordLink({ services, orderLinkId, connectionId: connection.id, shopifyFulfillmentId: f.id, company, number, url, carrierCode: order.shipping_carrier_code ?? null, lines: created.length === 1 ? miraklLines : [] });
  }
  if (created.length === 0) {
    await event({ kind: "portal_shipment_not_mirrored", level: "warning", message: "Shipped in the Mirakl back office, but Shopify has nothing left to fulfil for it" });
    return { kind: "ignored", reason: "nothing left to fulfil in Shopify" };
  }
  await prisma.orderLink.updateMany({ where: { id: orderLinkId, fulfilmentStatus: { not: "SHIPPED" } }, data: { fulfilmentStatus: "SHIPPED", shippedAt: services.now() } });
  await event({
    kind: "portal_shipment_mirrored",
    level: "success",
    message: `Shipped in the Mirakl back office${company || number ? ` (${[company, number].filter(Boolean).join(" ")})` : ""}: fulfilled in Shopify with the same tracking, customer not notified again`,
  });
  log.info("portal shipment mirrored", { shop: connection.shop, connectionId: connection.id, miraklOrderId: orderLink.miraklOrderId, fulfilments: created });
  return { kind: "mirrored", shopifyFulfillmentIds: created };
}

async function recordLink(input: {
  services: Services;
  orderLinkId: string;
  connectionId: string;
  shopifyFulfillmentId: string;
  company: string | null;
  number: string | null;
  url: string | null;
  carrierCode: string | null;
  lines: FulfilledLine[];
}): Promise<void> {
  const now = input.services.now();
  const data = {
    origin: "MIRAKL_PORTAL",
    status: "ACKNOWLEDGED",
    holdReason: null,
    trackingCompany: input.company,
    trackingNumber: input.number,
    trackingUrl: input.url,
    sentCarrierCode: input.carrierCode,
    sentTrackingNumber: input.number,
    acknowledgedAt: now,
  };
  // Upsert on the Shopify id: the fulfillments/create webhook of this very fulfilment may have been recorded first.
  await input.services.prisma.fulfillmentLink.upsert({
    where: { shopifyFulfillmentId: input.shopifyFulfillmentId },
    create: { ...data, orderLinkId: input.orderLinkId, connectionId: input.connectionId, shopifyFulfillmentId: input.shopifyFulfillmentId, lines: input.lines as unknown as Prisma.InputJsonValue },
    update: data,
  });
}
