import type { OrderLink, Prisma } from "@prisma/client";
import { z } from "zod";
import type { Services } from "../../services.server";
import { AppError } from "../../lib/errors";
import { logger } from "../../lib/logger";
import { getOrder, isGid, toGid, type ShopifyGid } from "../../shopify";
import { recordEvent } from "../timeline.server";
import { enqueuePush } from "./fulfilment-queue.server";
import { mapFulfilmentLines, readFulfilledLines } from "./line-mapping";
import { miraklLinesOf, readSnapshot } from "./order-lines";

const log = logger.child({ module: "fulfilment" });

/** fulfillments/create and fulfillments/update (REST-shaped, notes §3.2); only what we use, the rest passes. */
const idSchema = z.union([z.number().int(), z.string().regex(/^\d+$/)]).transform((v) => String(v));
export const fulfilmentWebhookSchema = z
  .object({
    id: idSchema,
    order_id: idSchema,
    admin_graphql_api_id: z.string().nullish(),
    name: z.string().nullish(),
    status: z.string().nullish(),
    tracking_company: z.string().nullish(),
    tracking_number: z.string().nullish(),
    tracking_numbers: z.array(z.string()).nullish(),
    tracking_url: z.string().nullish(),
    tracking_urls: z.array(z.string()).nullish(),
    line_items: z
      .array(z.object({ sku: z.string().nullish(), quantity: z.number().int().nonnegative() }).passthrough())
      .default([]),
  })
  .passthrough();
export type FulfilmentWebhook = z.infer<typeof fulfilmentWebhookSchema>;

export type RecordOutcome =
  | { kind: "queued"; fulfillmentLinkId: string; created: boolean }
  | { kind: "ignored"; reason: string };

const CANCELLED_STATUSES = new Set(["cancelled", "error", "failure"]);

/** The import is still running for an order this fulfilment belongs to: retry the webhook shortly. */
export class OrderStillImportingError extends AppError {
  constructor(miraklOrderId: string) {
    super(`The marketplace order ${miraklOrderId} is still being imported; the fulfilment is processed once it is`, {
      code: "ORDER_STILL_IMPORTING",
      retryable: true,
    });
  }
}

/**
 * A Shopify fulfilment (by a person, a 3PL/WMS app or Shopify Shipping) of an imported marketplace order.
 *
 * Records it once per Shopify fulfilment id (INSERT … ON CONFLICT DO NOTHING: duplicates and a create arriving
 * after its update are no-ops) and queues the order's push. Tracking and status are not trusted from the
 * payload: webhooks arrive out of order (notes §3.4), so the push reads the fulfilment from Shopify each time.
 * Lines are taken from the payload because a fulfilment's lines never change.
 */
export async function recordShopifyFulfilment({ services, shop, payload }: { services: Services; shop: string; payload: unknown }): Promise<RecordOutcome> {
  const parsed = fulfilmentWebhookSchema.safeParse(payload);
  if (!parsed.success) return { kind: "ignored", reason: `unreadable fulfilment payload: ${parsed.error.issues[0]?.message ?? "invalid"}` };
  const f = parsed.data;
  const fulfillmentId = f.admin_graphql_api_id && isGid(f.admin_graphql_api_id, "Fulfillment") ? f.admin_graphql_api_id : toGid("Fulfillment", f.id);
  const orderId = toGid("Order", f.order_id);
  const prisma = services.prisma;

  const existing = await prisma.fulfillmentLink.findUnique({ where: { shopifyFulfillmentId: fulfillmentId } });
  if (existing) {
    if (existing.origin === "MIRAKL_PORTAL") return { kind: "ignored", reason: "our own copy of a shipment made in the Mirakl back office" };
    const link = await prisma.orderLink.findUnique({ where: { id: existing.orderLinkId } });
    if (!link) return { kind: "ignored", reason: "order link no longer exists" };
    await enqueuePush({ services, shop, connectionId: link.connectionId, orderLinkId: link.id });
    return { kind: "queued", fulfillmentLinkId: existing.id, created: false };
  }

  const orderLink = await findOrderLink({ services, shop, orderId });
  if (!orderLink) return { kind: "ignored", reason: "not a marketplace order" };

  const snapshot = readSnapshot(orderLink.snapshot);
  const miraklLines = snapshot ? miraklLinesOf(snapshot) : [];
  const offerSkus = [...new Set(miraklLines.map((l) => l.offerSku))];
  const skuRows = offerSkus.length
    ? await prisma.skuMapping.findMany({ where: { connectionId: orderLink.connectionId, offerSku: { in: offerSkus } }, select: { offerSku: true, shopifySku: true } })
    : [];
  const skuMap = new Map(skuRows.map((r) => [r.offerSku, r.shopifySku ?? r.offerSku]));
  const others = await prisma.fulfillmentLink.findMany({ where: { orderLinkId: orderLink.id, status: { not: "CANCELLED" } }, select: { lines: true } });
  const alreadyAllocated = new Map<string, number>();
  for (const o of others) for (const l of readFulfilledLines(o.lines)) alreadyAllocated.set(l.miraklOrderLineId, (alreadyAllocated.get(l.miraklOrderLineId) ?? 0) + l.quantity);
  const mapped = mapFulfilmentLines({
    items: f.line_items.map((li) => ({ sku: li.sku ?? null, quantity: li.quantity })),
    miraklLines,
    shopifySkuOf: (offerSku) => skuMap.get(offerSku) ?? offerSku,
    alreadyAllocated,
  });

  const cancelled = CANCELLED_STATUSES.has((f.status ?? "").toLowerCase());
  const nothingToShip = mapped.lines.length === 0;
  const trackingNumber = f.tracking_number ?? f.tracking_numbers?.[0] ?? null;
  const trackingUrl = f.tracking_url ?? f.tracking_urls?.[0] ?? null;
  const res = await prisma.fulfillmentLink.createMany({
    data: [
      {
        orderLinkId: orderLink.id,
        connectionId: orderLink.connectionId,
        shopifyFulfillmentId: fulfillmentId,
        trackingCompany: f.tracking_company ?? null,
        trackingNumber,
        trackingUrl,
        lines: mapped.lines as unknown as Prisma.InputJsonValue,
        status: cancelled || nothingToShip ? "CANCELLED" : "PENDING",
        holdReason: nothingToShip && !cancelled ? "Nothing from the marketplace order is in this fulfilment" : null,
        origin: "SHOPIFY",
      },
    ],
    skipDuplicates: true,
  });
  const row = await prisma.fulfillmentLink.findUniqueOrThrow({ where: { shopifyFulfillmentId: fulfillmentId } });
  if (row.origin === "MIRAKL_PORTAL") return { kind: "ignored", reason: "our own copy of a shipment made in the Mirakl back office" };
  const created = res.count > 0;
  if (created) {
    const units = mapped.lines.reduce((s, l) => s + l.quantity, 0);
    const carrier = [f.tracking_company, trackingNumber].filter(Boolean).join(" ");
    await recordEvent(prisma, {
      shop,
      connectionId: orderLink.connectionId,
      entityType: "order",
      entityId: orderLink.id,
      kind: "fulfilment_received",
      message: nothingToShip
        ? `Fulfilment ${f.name ?? f.id} in Shopify holds none of the marketplace order's items: nothing to tell Mirakl`
        : `Fulfilled in Shopify (${f.name ?? `fulfilment ${f.id}`}): ${units} item(s)${carrier ? `, ${carrier}` : ", no tracking"}`,
      data: { shopifyFulfillmentId: fulfillmentId, lines: mapped.lines, unmatched: mapped.unmatched } as unknown as Prisma.InputJsonValue,
    });
    if (mapped.unmatched.length > 0 && !nothingToShip) {
      await recordEvent(prisma, {
        shop,
        connectionId: orderLink.connectionId,
        entityType: "order",
        entityId: orderLink.id,
        kind: "fulfilment_extra_items",
        level: "warning",
        message: `Not on the marketplace order, so not reported to Mirakl: ${mapped.unmatched.map((u) => `${u.quantity} × ${u.sku ?? "(no SKU)"}`).join(", ")}`,
      });
    }
  }
  if (!nothingToShip) {
    await enqueuePush({ services, shop, connectionId: orderLink.connectionId, orderLinkId: orderLink.id });
  }
  log.info("fulfilment recorded", { shop, connectionId: orderLink.connectionId, miraklOrderId: orderLink.miraklOrderId, fulfillmentId, created });
  return { kind: "queued", fulfillmentLinkId: row.id, created };
}

/**
 * The order link behind a Shopify order: its current order, one it replaced (order-editing apps cancel and
 * re-create), or, failing those, our `mirakl-<id>` tag on the Shopify order (copied by such apps) so a
 * fulfilment of a replacement made before the link was updated still reaches Mirakl.
 */
async function findOrderLink({ services, shop, orderId }: { services: Services; shop: string; orderId: ShopifyGid<"Order"> }): Promise<OrderLink | null> {
  const prisma = services.prisma;
  const direct = await prisma.orderLink.findFirst({
    where: { shop, OR: [{ shopifyOrderId: orderId }, { replacedByOrderId: orderId }, { previousShopifyOrderIds: { has: orderId } }] },
    orderBy: { createdAt: "desc" },
  });
  if (direct) return direct;
  if ((await prisma.marketplaceConnection.count({ where: { shop } })) === 0) return null;
  const client = await services.shopifyAdmin(shop);
  const order = await getOrder({ client, id: orderId, namespace: "mirakl", include: { fulfillmentOrders: false, fulfillments: false, refunds: false } });
  const ids = (order?.tags ?? []).filter((t) => /^mirakl-/i.test(t)).map((t) => t.slice("mirakl-".length));
  if (ids.length === 0) return null;
  const link = await prisma.orderLink.findFirst({ where: { shop, miraklOrderId: { in: ids } }, orderBy: { createdAt: "desc" } });
  if (!link) return null;
  if (!link.shopifyOrderId) throw new OrderStillImportingError(link.miraklOrderId);
  return link;
}
