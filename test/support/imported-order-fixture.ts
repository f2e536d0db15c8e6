import type { MarketplaceConnection, OrderLink, Prisma } from "@prisma/client";
import type { MiraklOrder } from "../../app/mirakl";
import type { Services } from "../../app/services.server";
import { createOrder, findVariantsBySkus, miraklOrderTag } from "../../app/shopify";
import { emitMiraklOrderUpdated } from "../../app/sync/order-events.server";
import type { MiraklSimulator } from "../simulators/mirakl";

/**
 * An order as the order import (issue 3) leaves it: created in the Mirakl simulator, accepted through the real
 * Mirakl client, debited on the simulator's clock, created in Shopify with the importer's tag and metafield,
 * and an IMPORTED OrderLink whose snapshot is the OR11 order. For flows that start after the import
 * (fulfilment, edits, refunds); works with the integration harness and with the demo stack.
 */
export interface ImportedOrderWorld {
  services: Services;
  mirakl: MiraklSimulator;
  shop: string;
  connection: MarketplaceConnection;
}

export interface ImportedOrder {
  orderLink: OrderLink;
  miraklOrderId: string;
  miraklOrder: MiraklOrder;
  shopifyOrderId: string;
  shopifyOrderName: string;
}

export async function createImportedOrder(
  world: ImportedOrderWorld,
  opts: {
    lines: Array<{ sku: string; quantity: number }>;
    shippingTypeCode?: string;
    /** SHIPPING (default: accepted and debited) or WAITING_DEBIT_PAYMENT (accepted, debit still pending). */
    state?: "SHIPPING" | "WAITING_DEBIT_PAYMENT";
  },
): Promise<ImportedOrder> {
  const { services, mirakl, shop, connection } = world;
  const client = services.mirakl(connection);
  const created = mirakl.control.createOrder({ lines: opts.lines.map((l) => ({ offerSku: l.sku, quantity: l.quantity })), shippingTypeCode: opts.shippingTypeCode });
  const miraklOrderId = created.order_id;
  if (created.order_state === "WAITING_ACCEPTANCE") {
    await client.acceptOrder({ orderId: miraklOrderId, lines: created.order_lines.map((l) => ({ id: l.order_line_id, accepted: true })) });
  }
  if ((opts.state ?? "SHIPPING") === "SHIPPING" && mirakl.control.getOrder(miraklOrderId)?.order_state !== "SHIPPING") {
    mirakl.control.advanceClock(mirakl.control.getTenant().debitDelayMs + 1);
  }
  const [order] = await client.getOrdersByIds([miraklOrderId]);
  if (!order) throw new Error(`fixture: Mirakl order ${miraklOrderId} not found`);
  const expected = opts.state ?? "SHIPPING";
  if (order.order_state !== expected) throw new Error(`fixture: Mirakl order ${miraklOrderId} is ${order.order_state}, expected ${expected}`);

  const admin = await services.shopifyAdmin(shop);
  const variants = await findVariantsBySkus({ client: admin, skus: opts.lines.map((l) => l.sku) });
  const shopifyOrder = await createOrder({
    client: admin,
    input: {
      lineItems: opts.lines.map((l) => {
        const v = variants.get(l.sku)?.[0];
        if (!v) throw new Error(`fixture: no Shopify variant with SKU ${l.sku}`);
        return { variantId: v.id, quantity: l.quantity };
      }),
      tags: ["mirakl", miraklOrderTag(miraklOrderId)],
      metafields: [{ namespace: "mirakl", key: "order_id", value: miraklOrderId, type: "single_line_text_field" }],
      sourceIdentifier: miraklOrderId,
      financialStatus: "PAID",
      shippingAddress: { firstName: "Marketplace", lastName: "Customer", address1: "1 High Street", city: "London", zip: "SW1A 1AA", countryCode: "GB" },
    },
    options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" },
  });

  const imported = {
    miraklCommercialId: order.commercial_id ?? null,
    miraklState: order.order_state,
    miraklLastUpdated: new Date(order.last_updated_date ?? Date.now()),
    miraklCreatedAt: new Date(order.created_date ?? Date.now()),
    acceptanceStatus: "ACCEPTED",
    acceptedAt: new Date(),
    importStatus: "IMPORTED",
    shopifyOrderId: shopifyOrder.id,
    shopifyOrderName: shopifyOrder.name,
    shopifyState: "OPEN",
    currency: order.currency_iso_code ?? null,
    snapshot: order as unknown as Prisma.InputJsonValue,
  };
  // Upsert: where the real order poller runs (the demo stack), it may have seen the order first.
  const orderLink = await services.prisma.orderLink.upsert({
    where: { connectionId_miraklOrderId: { connectionId: connection.id, miraklOrderId } },
    create: { connectionId: connection.id, shop, miraklOrderId, ...imported },
    update: imported,
  });
  return { orderLink, miraklOrderId, miraklOrder: order, shopifyOrderId: shopifyOrder.id, shopifyOrderName: shopifyOrder.name };
}

/**
 * What the order poller does for one order (until issue 3's poller runs in tests): re-read it with OR11, store
 * the new state and snapshot on the link, and tell the listeners (fulfilment, adjustments …) about the update.
 */
export async function pollMiraklOrder(world: Pick<ImportedOrderWorld, "services" | "connection">, orderLinkId: string): Promise<MiraklOrder> {
  const { services, connection } = world;
  const before = await services.prisma.orderLink.findUniqueOrThrow({ where: { id: orderLinkId } });
  const [order] = await services.mirakl(connection).getOrdersByIds([before.miraklOrderId]);
  if (!order) throw new Error(`poll: Mirakl order ${before.miraklOrderId} not found`);
  const orderLink = await services.prisma.orderLink.update({
    where: { id: orderLinkId },
    data: {
      miraklState: order.order_state,
      miraklLastUpdated: new Date(order.last_updated_date ?? Date.now()),
      snapshot: order as unknown as Prisma.InputJsonValue,
      version: { increment: 1 },
    },
  });
  await emitMiraklOrderUpdated({ services, connection, orderLink, order, previous: before.snapshot as unknown as MiraklOrder });
  return order;
}
