import { services } from "../context.server";
import { recordWebhook, type WebhookTopic } from "../sync/webhooks.server";
import { webhookProcessJob } from "../jobs/registry.server";
import { logger } from "../lib/logger";

const log = logger.child({ module: "webhooks" });

/**
 * The body of every webhook route: verify (HMAC on the raw body, via authenticate.webhook: a bad one is a
 * 401 and nothing is recorded), record the delivery once (webhook id is unique), enqueue the processing
 * job, and answer within Shopify's 5 s. A duplicate delivery is acknowledged and not processed again.
 */
export async function receiveWebhook(request: Request, expected: WebhookTopic): Promise<Response> {
  const s = services();
  const { shop, topic, payload, webhookId, eventId, apiVersion, triggeredAt } = await s.shopify.authenticate.webhook(request);
  if (topic !== expected) {
    log.warn("webhook topic does not match its route", { shop, topic, expected });
    return new Response("Wrong topic for this address", { status: 400 });
  }
  const recorded = await recordWebhook(s.prisma, {
    webhookId,
    eventId: eventId ?? null,
    topic,
    shop,
    apiVersion,
    triggeredAt: triggeredAt ? new Date(triggeredAt) : null,
    payload,
  });
  if (recorded.kind === "duplicate") {
    log.info("duplicate webhook acknowledged", { shop, topic, webhookId });
    return new Response(null, { status: 200 });
  }
  // If this enqueue fails the delivery stays RECEIVED and scheduler.tick picks it up: nothing is lost.
  await s.jobs.enqueue(webhookProcessJob, { deliveryId: recorded.id, shop }).catch((err: unknown) => {
    log.error("could not enqueue webhook processing; the sweep will retry", { shop, topic, err });
  });
  return new Response(null, { status: 200 });
}
