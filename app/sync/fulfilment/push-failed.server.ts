import type { Services } from "../../services.server";
import { recordEvent } from "../timeline.server";
import { orderLabel, orderUrl } from "./fulfilment-tasks.server";

/**
 * A push that kept failing (Mirakl down for hours, an unexpected error): the fulfilments are marked FAILED with
 * the reason and the merchant gets one Task per order. Nothing is lost: the next fulfillments/update, the
 * carrier screen or the exception report queue the push again.
 */
export async function markPushFailed({ services, orderLinkId, error }: { services: Services; orderLinkId: string; error: string }): Promise<void> {
  const prisma = services.prisma;
  const orderLink = await prisma.orderLink.findUnique({ where: { id: orderLinkId }, include: { connection: true } });
  if (!orderLink) return;
  const { connection } = orderLink;
  const res = await prisma.fulfillmentLink.updateMany({
    where: { orderLinkId, origin: "SHOPIFY", status: { in: ["PENDING", "SENT"] } },
    data: { status: "FAILED", lastError: error },
  });
  await recordEvent(prisma, {
    shop: connection.shop,
    connectionId: connection.id,
    entityType: "order",
    entityId: orderLink.id,
    kind: "fulfilment_push_failed",
    level: "error",
    message: `Could not tell Mirakl about the shipment after repeated attempts: ${error}`,
  });
  await services.tasks.raise({
    shop: connection.shop,
    connectionId: connection.id,
    dedupeKey: `fulfilment-push-failed:${connection.id}:${orderLink.miraklOrderId}`,
    kind: "fulfilment_push_failed",
    severity: "critical",
    title: `Shipment of ${orderLabel(connection, orderLink)} could not be sent to ${connection.name}`,
    body: `We tried for several hours and Mirakl kept failing: ${error}. ${res.count} fulfilment(s) are not confirmed on ${connection.name}, which counts against your dispatch rate.\nIt is tried again by itself when the fulfilment changes in Shopify; you can also confirm the shipment in the ${connection.name} back office (it is then reflected here).`,
    actionLabel: "Open the order",
    actionUrl: orderUrl(orderLink.id),
    entityType: "order",
    entityId: orderLink.id,
    data: { jobName: "fulfilment.push", payload: { shop: connection.shop, connectionId: connection.id, orderLinkId } },
  });
}
