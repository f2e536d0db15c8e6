import type { Prisma } from "@prisma/client";
import { z } from "zod";
import type { Services } from "../services.server";
import { logger } from "../lib/logger";
import { eraseShop, handleAppUninstalled } from "./shops.server";
import { redactCustomer, reportCustomerData } from "./privacy.server";

const log = logger.child({ module: "webhooks" });

/** Topics as @shopify/shopify-api normalises them (`orders/edited` → `ORDERS_EDITED`). */
export const WEBHOOK_TOPICS = [
  "APP_UNINSTALLED",
  "APP_SCOPES_UPDATE",
  "ORDERS_EDITED",
  "ORDERS_CANCELLED",
  "ORDERS_UPDATED",
  "FULFILLMENTS_CREATE",
  "FULFILLMENTS_UPDATE",
  "REFUNDS_CREATE",
  "INVENTORY_LEVELS_UPDATE",
  "CUSTOMERS_DATA_REQUEST",
  "CUSTOMERS_REDACT",
  "SHOP_REDACT",
] as const;
export type WebhookTopic = (typeof WEBHOOK_TOPICS)[number];

export type WebhookOutcome = { kind: "processed"; note?: string } | { kind: "ignored"; reason: string };
export type WebhookHandler = (input: { shop: string; payload: unknown; deliveryId: string; services: Services }) => Promise<WebhookOutcome>;

/**
 * One handler per topic. The flows of later features (order edits, fulfilments, refunds, stock) register
 * theirs with registerWebhookHandler so this file does not grow a dependency on every flow.
 */
const handlers = new Map<WebhookTopic, WebhookHandler[]>();

/** Several flows may listen to one topic (orders/updated …); each handler must be idempotent on its own. */
export function registerWebhookHandler(topic: WebhookTopic, handler: WebhookHandler): void {
  const list = handlers.get(topic) ?? [];
  if (!list.includes(handler)) list.push(handler);
  handlers.set(topic, list);
}

async function runHandlers(list: WebhookHandler[], input: Parameters<WebhookHandler>[0]): Promise<WebhookOutcome> {
  const outcomes: WebhookOutcome[] = [];
  for (const handler of list) outcomes.push(await handler(input));
  const processed = outcomes.filter((o): o is Extract<WebhookOutcome, { kind: "processed" }> => o.kind === "processed");
  if (processed.length > 0) return { kind: "processed", note: processed.map((o) => o.note).filter(Boolean).join("; ") || undefined };
  return { kind: "ignored", reason: outcomes.map((o) => (o.kind === "ignored" ? o.reason : "")).join("; ") };
}

registerWebhookHandler("APP_UNINSTALLED", async ({ shop, services }) => {
  const res = await handleAppUninstalled({ prisma: services.prisma, shop });
  return { kind: "processed", note: `${res.pausedConnections} connection(s) paused` };
});

registerWebhookHandler("APP_SCOPES_UPDATE", async ({ shop, payload, services }) => {
  const current = z.object({ current: z.array(z.string()) }).safeParse(payload);
  if (!current.success) return { kind: "ignored", reason: "payload without current scopes" };
  await services.prisma.session.updateMany({ where: { shop }, data: { scope: current.data.current.join(",") } });
  return { kind: "processed" };
});

registerWebhookHandler("SHOP_REDACT", async ({ shop, services }) => {
  await eraseShop({ prisma: services.prisma, shop });
  return { kind: "processed" };
});

registerWebhookHandler("CUSTOMERS_REDACT", async ({ shop, payload, services }) => {
  const n = await redactCustomer({ prisma: services.prisma, shop, payload });
  return { kind: "processed", note: `${n} order(s) redacted` };
});

registerWebhookHandler("CUSTOMERS_DATA_REQUEST", async ({ shop, payload, services }) => {
  const n = await reportCustomerData({ prisma: services.prisma, tasks: services.tasks, shop, payload });
  return { kind: "processed", note: `${n} order(s) reported` };
});

export interface RecordWebhookInput {
  webhookId: string;
  eventId?: string | null;
  topic: string;
  shop: string;
  apiVersion?: string | null;
  triggeredAt?: Date | null;
  payload: unknown;
}

/** Records a delivery once; a second delivery with the same webhook id is reported as a duplicate. */
export async function recordWebhook(prisma: Services["prisma"], input: RecordWebhookInput): Promise<{ kind: "new"; id: string } | { kind: "duplicate"; id: string }> {
  const rows = await prisma.$queryRaw<{ id: string }[]>`
    INSERT INTO "WebhookDelivery" ("id", "webhookId", "eventId", "topic", "shop", "apiVersion", "triggeredAt", "payload", "status", "receivedAt")
    VALUES (gen_random_uuid()::text, ${input.webhookId}, ${input.eventId ?? null}, ${input.topic}, ${input.shop}, ${input.apiVersion ?? null},
      ${input.triggeredAt ?? null}, ${JSON.stringify(input.payload ?? null)}::jsonb, 'RECEIVED', now())
    ON CONFLICT ("webhookId") DO NOTHING
    RETURNING "id"`;
  if (rows[0]) return { kind: "new", id: rows[0].id };
  const existing = await prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: input.webhookId }, select: { id: true } });
  return { kind: "duplicate", id: existing.id };
}

/** The webhook.process job: run the topic's handler once and record the outcome on the delivery. */
export async function processWebhookDelivery({ deliveryId, services }: { deliveryId: string; services: Services }): Promise<WebhookOutcome> {
  const prisma = services.prisma;
  // Claim it atomically: two workers (a retry and a sweep) must not both run the handler.
  const claimed = await prisma.webhookDelivery.updateMany({
    where: { id: deliveryId, status: { in: ["RECEIVED", "FAILED"] } },
    data: { status: "PROCESSING" },
  });
  const delivery = await prisma.webhookDelivery.findUnique({ where: { id: deliveryId } });
  if (!delivery) return { kind: "ignored", reason: "delivery not found" };
  if (claimed.count === 0) return { kind: "ignored", reason: `already ${delivery.status.toLowerCase()}` };
  const list = handlers.get(delivery.topic as WebhookTopic) ?? [];
  try {
    const outcome: WebhookOutcome =
      list.length > 0 ? await runHandlers(list, { shop: delivery.shop, payload: delivery.payload, deliveryId, services }) : { kind: "ignored", reason: `no handler for ${delivery.topic}` };
    // updateMany: shop/redact may just have erased this very delivery along with the shop's data.
    await prisma.webhookDelivery.updateMany({
      where: { id: deliveryId },
      data: {
        status: outcome.kind === "processed" ? "PROCESSED" : "IGNORED",
        processedAt: new Date(),
        error: outcome.kind === "ignored" ? outcome.reason : null,
      },
    });
    log.info("webhook processed", { shop: delivery.shop, topic: delivery.topic, deliveryId, outcome: outcome.kind });
    return outcome;
  } catch (err) {
    await prisma.webhookDelivery.updateMany({ where: { id: deliveryId }, data: { status: "FAILED", error: String(err) } });
    throw err;
  }
}

/** Deliveries recorded but never processed (the process died between recording and enqueueing). */
export async function findStuckDeliveries(prisma: Services["prisma"], olderThanMs = 60_000): Promise<{ id: string; shop: string }[]> {
  return prisma.webhookDelivery.findMany({
    where: {
      OR: [
        { status: "RECEIVED", receivedAt: { lt: new Date(Date.now() - olderThanMs) } },
        { status: "PROCESSING", receivedAt: { lt: new Date(Date.now() - 15 * 60_000) } },
      ],
    },
    select: { id: true, shop: true },
    take: 500,
  });
}

export type WebhookPayload = Prisma.JsonValue;
