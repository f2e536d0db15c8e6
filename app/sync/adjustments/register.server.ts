import { onMiraklOrderUpdated } from "../order-events.server";
import { registerWebhookHandler, type WebhookOutcome } from "../webhooks.server";
import { handleOrderCancelled } from "./order-cancellations.server";
import { handleOrderEdited } from "./order-edits.server";
import { mirrorPortalRefunds } from "./portal-refunds.server";
import { onOrderUpdateForRefunds } from "./refund-replan.server";
import { handleRefundCreated } from "./refund-requests.server";
import { handleOrderUpdated } from "./replacement-orders.server";

/**
 * The adjustments area's entry points, registered when app/jobs/adjustment-jobs.server.ts is loaded (the job
 * registry loads it in every process that runs jobs or receives webhooks). Handlers run inside the webhook.process
 * job, after the delivery was verified, recorded and deduplicated by webhook id; each is also idempotent on its
 * business key (edit id, Shopify order id, refund id) because Shopify delivers at least once and out of order.
 */
function outcome(o: { kind: string; reason?: string }): WebhookOutcome {
  return o.kind === "ignored" ? { kind: "ignored", reason: o.reason ?? "ignored" } : { kind: "processed", note: o.kind };
}

let registered = false;

export function registerAdjustmentHandlers(): void {
  if (registered) return;
  registered = true;
  registerWebhookHandler("ORDERS_EDITED", async ({ shop, payload, services }) => outcome(await handleOrderEdited({ services, shop, payload })));
  registerWebhookHandler("ORDERS_CANCELLED", async ({ shop, payload, services }) => outcome(await handleOrderCancelled({ services, shop, payload })));
  registerWebhookHandler("ORDERS_UPDATED", async ({ shop, payload, services }) => outcome(await handleOrderUpdated({ services, shop, payload })));
  registerWebhookHandler("REFUNDS_CREATE", async ({ shop, payload, services }) => outcome(await handleRefundCreated({ services, shop, payload })));
  onMiraklOrderUpdated("adjustments.portal-refunds", async (update) => {
    await mirrorPortalRefunds(update);
  });
  // The order shipped or was cancelled on Mirakl: open refunds are re-planned so their instructions stay right.
  onMiraklOrderUpdated("adjustments.refund-replan", onOrderUpdateForRefunds);
}
