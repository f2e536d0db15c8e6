import type { Services } from "../../services.server";
import { z } from "zod";
import { recordEvent } from "../timeline.server";
import { refundFlagTask } from "./adjustment-tasks";
import { findLinkByPreviousShopifyOrder, findLinkByShopifyOrder, orderEntity, refundPageUrl } from "./context.server";
import { statusLabel } from "./refund-requests.server";

/**
 * What the admin block on the Shopify order page shows (extensions/mirakl-order-block). Read only from our database:
 * the block must render in well under a second and must not spend the merchant's Mirakl or Shopify API budget.
 */
export type OrderBlockData =
  | { kind: "not_mirakl" }
  | {
      kind: "mirakl";
      marketplace: string;
      miraklOrderId: string;
      miraklCommercialId: string | null;
      miraklState: string;
      acceptanceDeadline: string | null;
      shippingDeadline: string | null;
      commission: string | null;
      totalPrice: string | null;
      currency: string | null;
      /** Set when this Shopify order is no longer the one linked (it was replaced by an order-editing app). */
      replacedBy: { id: string; name: string | null } | null;
      openTasks: Array<{ id: string; title: string; severity: string; actionUrl: string | null }>;
      refunds: Array<{ id: string; status: string; statusLabel: string; amount: string | null; url: string }>;
      appUrls: { tasks: string; refunds: string };
    };

export const orderBlockQuerySchema = z.object({ orderId: z.string().regex(/^(gid:\/\/shopify\/Order\/)?\d+$/, "orderId must be an order GID or number") });

function toGid(orderId: string): string {
  return orderId.startsWith("gid://") ? orderId : `gid://shopify/Order/${orderId}`;
}

export async function orderBlockData({ services, shop, orderId }: { services: Services; shop: string; orderId: string }): Promise<OrderBlockData> {
  const prisma = services.prisma;
  const gid = toGid(orderId);
  let link = await findLinkByShopifyOrder(prisma, shop, gid);
  let replacedBy: { id: string; name: string | null } | null = null;
  if (!link) {
    const previous = await findLinkByPreviousShopifyOrder(prisma, shop, gid);
    if (!previous) return { kind: "not_mirakl" };
    link = await prisma.orderLink.findUnique({ where: { id: previous.id }, include: { connection: true } });
    if (!link) return { kind: "not_mirakl" };
    replacedBy = link.shopifyOrderId ? { id: link.shopifyOrderId, name: link.shopifyOrderName } : null;
  }
  const snapshot = (link.snapshot ?? {}) as { total_commission?: unknown; currency_iso_code?: unknown; shipping_deadline?: unknown };
  const commission = link.commissionTotal?.toFixed(2) ?? (typeof snapshot.total_commission === "number" ? snapshot.total_commission.toFixed(2) : null);
  const shippingDeadline = link.shippingDeadline?.toISOString() ?? (typeof snapshot.shipping_deadline === "string" ? snapshot.shipping_deadline : null);
  const [tasks, refunds] = await Promise.all([
    prisma.task.findMany({
      where: {
        shop,
        status: "OPEN",
        OR: [{ entityId: { in: [link.id, link.miraklOrderId, gid] } }, { dedupeKey: { contains: link.miraklOrderId } }],
      },
      orderBy: [{ severity: "asc" }, { createdAt: "desc" }],
      take: 10,
    }),
    prisma.refundRequest.findMany({ where: { orderLinkId: link.id }, orderBy: { createdAt: "desc" }, take: 10 }),
  ]);
  // Refund tasks point at the refund, not the order: include those of this order's refunds too.
  const refundTasks = await prisma.task.findMany({ where: { shop, status: "OPEN", entityType: "refund", entityId: { in: refunds.map((r) => r.id) } } });
  const allTasks = [...tasks, ...refundTasks.filter((t) => !tasks.some((x) => x.id === t.id))];
  return {
    kind: "mirakl",
    marketplace: link.connection.name,
    miraklOrderId: link.miraklOrderId,
    miraklCommercialId: link.miraklCommercialId,
    miraklState: link.miraklState,
    acceptanceDeadline: link.acceptanceDeadline?.toISOString() ?? null,
    shippingDeadline,
    commission,
    totalPrice: link.totalPrice?.toFixed(2) ?? null,
    currency: link.currency ?? (typeof snapshot.currency_iso_code === "string" ? snapshot.currency_iso_code : null),
    replacedBy,
    openTasks: allTasks.map((t) => ({ id: t.id, title: t.title, severity: t.severity, actionUrl: t.actionUrl })),
    refunds: refunds.map((r) => ({ id: r.id, status: r.status, statusLabel: statusLabel(r.status), amount: r.shopifyAmount?.toFixed(2) ?? null, url: refundPageUrl(r.id) })),
    appUrls: { tasks: "/app/tasks", refunds: `/app/refunds?order=${link.id}` },
  };
}

export const flagRefundInputSchema = z.object({
  orderId: orderBlockQuerySchema.shape.orderId,
  note: z
    .string()
    .trim()
    .max(500, "Keep the note under 500 characters")
    .optional()
    .transform((v) => (v ? v : null)),
});

/** "Flag a Mirakl refund task" from the order page: a CX task for this Mirakl order (raising it twice only counts). */
export async function flagRefundTask({ services, shop, orderId, note, by }: { services: Services; shop: string; orderId: string; note: string | null; by: string }): Promise<{ kind: "flagged"; taskId: string } | { kind: "not_mirakl" }> {
  const link = await findLinkByShopifyOrder(services.prisma, shop, toGid(orderId));
  if (!link) return { kind: "not_mirakl" };
  const task = await services.tasks.raise(refundFlagTask(link.connection, link, note));
  await recordEvent(services.prisma, { ...orderEntity(link), kind: "refund_flagged", message: `A Mirakl refund was flagged from the Shopify order page by ${by}${note ? `: ${note}` : ""}`, data: { taskId: task.id } });
  return { kind: "flagged", taskId: task.id };
}
