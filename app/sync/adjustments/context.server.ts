import type { MarketplaceConnection, OrderLink, PrismaClient } from "@prisma/client";
import { z } from "zod";
import type { MiraklOrder } from "../../mirakl";
import type { Services } from "../../services.server";
import { AppError } from "../../lib/errors";
import type { SkuToOffer } from "./refund-proposal";

/** Where the importer keeps the Mirakl order id on the Shopify order (see app/shopify/order-lookup.ts). */
export const MIRAKL_METAFIELD = { namespace: "mirakl", key: "order_id" } as const;

export type LinkWithConnection = OrderLink & { connection: MarketplaceConnection };

/** The imported Mirakl order whose current Shopify order is `shopifyOrderId` (a GID). */
export async function findLinkByShopifyOrder(prisma: PrismaClient, shop: string, shopifyOrderId: string): Promise<LinkWithConnection | null> {
  return prisma.orderLink.findFirst({
    where: { shop, shopifyOrderId, importStatus: "IMPORTED" },
    include: { connection: true },
  });
}

/** A link that pointed at this Shopify order before a replacement moved it. */
export async function findLinkByPreviousShopifyOrder(prisma: PrismaClient, shop: string, shopifyOrderId: string): Promise<OrderLink | null> {
  return prisma.orderLink.findFirst({ where: { shop, previousShopifyOrderIds: { has: shopifyOrderId } } });
}

/**
 * Shopify SKU → Mirakl offer SKU for one connection: the SkuMapping row when there is one, else the same SKU
 * (the mapping screen's rule, see SkuMapping in prisma/schema.prisma).
 */
export async function loadSkuToOffer(prisma: PrismaClient, connectionId: string): Promise<{ toOffer: SkuToOffer; toShopify: (offerSku: string) => string }> {
  const rows = await prisma.skuMapping.findMany({
    where: { connectionId, shopifySku: { not: null } },
    select: { offerSku: true, shopifySku: true },
  });
  const byShopify = new Map(rows.map((r) => [r.shopifySku as string, r.offerSku]));
  const byOffer = new Map(rows.map((r) => [r.offerSku, r.shopifySku as string]));
  return { toOffer: (sku) => byShopify.get(sku) ?? sku, toShopify: (offer) => byOffer.get(offer) ?? offer };
}

export class MiraklOrderMissingError extends AppError {
  constructor(miraklOrderId: string) {
    super(`Mirakl does not return order ${miraklOrderId} any more (OR11 by order_ids came back empty).`, { code: "MIRAKL_ORDER_MISSING", retryable: false, details: { miraklOrderId } });
  }
}

/** A fresh OR11 read of one order: every decision that leads to a write is taken on this, never on a snapshot. */
export async function readMiraklOrder(services: Services, connection: MarketplaceConnection, miraklOrderId: string): Promise<MiraklOrder> {
  const [order] = await services.mirakl(connection).getOrdersByIds([miraklOrderId]);
  if (!order) throw new MiraklOrderMissingError(miraklOrderId);
  return order;
}

const reasonSchema = z.object({ code: z.string(), label: z.string().nullish(), type: z.string(), is_shop_right: z.boolean().nullish() }).passthrough();

export interface Reason {
  code: string;
  label: string;
}

/** RE01 reasons of a type the shop may use (is_shop_right), as stored on the connection (refreshed daily). */
export function shopReasons(connection: Pick<MarketplaceConnection, "reasons">, type: "REFUND" | "CANCELATION"): Reason[] {
  const list = Array.isArray(connection.reasons) ? connection.reasons : [];
  const out: Reason[] = [];
  for (const raw of list) {
    const r = reasonSchema.safeParse(raw);
    if (r.success && r.data.type === type && r.data.is_shop_right === true) out.push({ code: r.data.code, label: r.data.label ?? r.data.code });
  }
  return out;
}

/**
 * The CANCELATION reason for an OR30 we send on the merchant's behalf: reason codes are operator-defined (notes
 * §2.3), so the label decides; the first usable one is the fallback.
 */
export function pickCancelationReason(connection: Pick<MarketplaceConnection, "reasons">, hint: "customer" | "stock" | "other"): Reason | null {
  const reasons = shopReasons(connection, "CANCELATION");
  const pattern = hint === "stock" ? /stock/i : hint === "customer" ? /client|customer/i : null;
  return (pattern ? reasons.find((r) => pattern.test(r.label)) : undefined) ?? reasons[0] ?? null;
}

/** The REFUND reason used when refunds are sent automatically (the CX screen lets a person choose instead). */
export function pickRefundReason(connection: Pick<MarketplaceConnection, "reasons">, hint: "return" | "other"): Reason | null {
  const reasons = shopReasons(connection, "REFUND");
  return (hint === "return" ? reasons.find((r) => /return/i.test(r.label)) : undefined) ?? reasons[0] ?? null;
}

/** The timeline entity of an order is its OrderLink (one per Mirakl order, ever). */
export function orderEntity(link: Pick<OrderLink, "id" | "shop" | "connectionId">) {
  return { shop: link.shop, connectionId: link.connectionId, entityType: "order" as const, entityId: link.id };
}

/** Where the order's tasks lead a person in the app. */
export function refundPageUrl(refundRequestId: string): string {
  return `/app/refunds/${refundRequestId}`;
}

/** The Shopify admin page of an order (numeric id from the GID). */
export function shopifyOrderAdminUrl(shop: string, shopifyOrderId: string): string {
  const id = shopifyOrderId.split("/").pop() ?? shopifyOrderId;
  return `https://${shop}/admin/orders/${id}`;
}
