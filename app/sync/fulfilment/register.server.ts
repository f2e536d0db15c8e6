import { onMiraklOrderUpdated } from "../order-events.server";
import { registerWebhookHandler, type WebhookHandler } from "../webhooks.server";
import { onOrderUpdateForFulfilment } from "./order-listener.server";
import { recordShopifyFulfilment } from "./record-fulfilment.server";

/**
 * Wires the fulfilment flow into the shared entry points: Shopify's fulfillments/create and fulfillments/update
 * webhooks (whoever fulfilled: a person, a 3PL/WMS app, Shopify Shipping) and the Mirakl order updates seen by
 * order polling. Imported by app/jobs/fulfilment-jobs.server.ts, so it is loaded wherever jobs are.
 */
const handleFulfilment: WebhookHandler = async ({ shop, payload, services }) => {
  const outcome = await recordShopifyFulfilment({ services, shop, payload });
  return outcome.kind === "ignored" ? outcome : { kind: "processed", note: outcome.created ? "fulfilment recorded" : "fulfilment re-checked" };
};

registerWebhookHandler("FULFILLMENTS_CREATE", handleFulfilment);
registerWebhookHandler("FULFILLMENTS_UPDATE", handleFulfilment);
onMiraklOrderUpdated("fulfilment", onOrderUpdateForFulfilment);
