import type { PrismaClient, Prisma } from "@prisma/client";
import { z } from "zod";
import type { TaskService } from "./tasks.server";

/**
 * Customer data we hold comes from Mirakl orders (names, addresses, phone, the masked notification
 * e-mail in OrderLink.snapshot) and from webhook payloads. Shopify identifies the customer's orders by
 * their Shopify ids; we map them to our order links.
 */
const redactPayload = z.object({
  customer: z.object({ id: z.union([z.number(), z.string()]).optional(), email: z.string().nullish() }).passthrough().optional(),
  orders_to_redact: z.array(z.union([z.number(), z.string()])).optional(),
  orders_requested: z.array(z.union([z.number(), z.string()])).optional(),
});

function orderGids(ids: Array<number | string> | undefined): string[] {
  return (ids ?? []).map((id) => (String(id).startsWith("gid://") ? String(id) : `gid://shopify/Order/${id}`));
}

const REDACTED = "[redacted]";

function scrubCustomer(snapshot: Prisma.JsonValue): Prisma.InputJsonValue {
  if (!snapshot || typeof snapshot !== "object" || Array.isArray(snapshot)) return snapshot as Prisma.InputJsonValue;
  const s = { ...(snapshot as Record<string, unknown>) };
  if (s.customer) s.customer = { customer_id: REDACTED, firstname: REDACTED, lastname: REDACTED, billing_address: null, shipping_address: null };
  if ("customer_notification_email" in s) s.customer_notification_email = null;
  return s as Prisma.InputJsonValue;
}

export async function redactCustomer({ prisma, shop, payload }: { prisma: PrismaClient; shop: string; payload: unknown }): Promise<number> {
  const p = redactPayload.parse(payload);
  const gids = orderGids(p.orders_to_redact);
  if (gids.length === 0) return 0;
  const links = await prisma.orderLink.findMany({ where: { shop, shopifyOrderId: { in: gids } }, select: { id: true, snapshot: true } });
  for (const link of links) {
    await prisma.orderLink.update({ where: { id: link.id }, data: { snapshot: scrubCustomer(link.snapshot) } });
  }
  // Webhook payloads about those orders carry the same personal data.
  const numericIds = (p.orders_to_redact ?? []).map(String);
  const deliveries = await prisma.webhookDelivery.findMany({ where: { shop }, select: { id: true, payload: true } });
  for (const d of deliveries) {
    const body = d.payload as Record<string, unknown> | null;
    const orderId = body && (body.order_id ?? body.id);
    if (orderId !== undefined && numericIds.includes(String(orderId))) {
      await prisma.webhookDelivery.update({ where: { id: d.id }, data: { payload: { redacted: true } } });
    }
  }
  return links.length;
}

export async function reportCustomerData({ prisma, tasks, shop, payload }: { prisma: PrismaClient; tasks: TaskService; shop: string; payload: unknown }): Promise<number> {
  const p = redactPayload.parse(payload);
  const gids = orderGids(p.orders_requested);
  const links = gids.length
    ? await prisma.orderLink.findMany({ where: { shop, shopifyOrderId: { in: gids } }, select: { miraklOrderId: true, shopifyOrderName: true, snapshot: true } })
    : [];
  const lines = links.map((l) => {
    const c = ((l.snapshot as Record<string, unknown>)?.customer ?? {}) as Record<string, unknown>;
    return `${l.shopifyOrderName ?? "?"} (Mirakl ${l.miraklOrderId}): ${String(c.firstname ?? "")} ${String(c.lastname ?? "")}, shipping and billing address as imported`;
  });
  const customerRef = p.customer?.email ?? String(p.customer?.id ?? "unknown");
  await tasks.raise({
    shop,
    dedupeKey: `data-request:${customerRef}:${gids.join(",")}`,
    kind: "customer_data_request",
    severity: "info",
    title: "A customer asked for the data the Mirakl Connector holds",
    body:
      links.length === 0
        ? `We hold no marketplace order data for customer ${customerRef}. No further action is needed beyond telling the customer.`
        : `For customer ${customerRef} we hold ${links.length} marketplace order(s), with the name, addresses and phone number Mirakl provided:\n${lines.join("\n")}\nSend this to the customer as part of your response.`,
    data: { orders: links.map((l) => l.miraklOrderId) },
  });
  return links.length;
}
