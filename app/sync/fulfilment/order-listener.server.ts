import type { OrderUpdate } from "../order-events.server";
import { FULFILMENT_JOB, enqueuePush } from "./fulfilment-queue.server";
import { SHIPPED_STATES } from "./order-lines";

/**
 * What the fulfilment flow does when order polling sees a Mirakl order change (registered as a listener):
 *  - the order reached SHIPPING (the debit went through): fulfilments waiting for it go out now;
 *  - the order is shipped on Mirakl and Shopify has no fulfilment for it: the shipment was made in the back
 *    office, mirror it into Shopify; if we have unacknowledged fulfilments, the push acknowledges them.
 * Only database reads and enqueues here (the poller must stay fast); the same update seen twice queues the same
 * stately jobs, which is a no-op.
 */
export async function onOrderUpdateForFulfilment(update: OrderUpdate): Promise<void> {
  const { services, connection, orderLink, order } = update;
  const state = order.order_state;
  if (state !== "SHIPPING" && !SHIPPED_STATES.has(state)) return;
  const links = await services.prisma.fulfillmentLink.findMany({
    where: { orderLinkId: orderLink.id, status: { not: "CANCELLED" } },
    select: { status: true, origin: true },
  });
  const waiting = links.some((l) => l.origin === "SHOPIFY" && l.status !== "ACKNOWLEDGED");
  if (waiting) {
    await enqueuePush({ services, shop: connection.shop, connectionId: connection.id, orderLinkId: orderLink.id });
    return;
  }
  if (SHIPPED_STATES.has(state) && links.length === 0 && orderLink.shopifyOrderId) {
    await services.jobs.enqueueByName(FULFILMENT_JOB.mirrorPortal, { shop: connection.shop, connectionId: connection.id, orderLinkId: orderLink.id });
  }
}
