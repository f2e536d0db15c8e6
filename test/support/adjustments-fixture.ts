import type { MarketplaceConnection, OrderLink, Prisma } from "@prisma/client";
import type { MiraklOrder } from "../../app/mirakl";
import type { Services } from "../../app/services.server";
import { createOrder, findVariantsBySkus, miraklOrderTag, type OrderCreateInput } from "../../app/shopify";
import type { MiraklSimulator } from "../simulators/mirakl";
import type { ShopifySimulator } from "../simulators/shopify";
import { startHarness, type Harness } from "./harness";

/**
 * An imported Mirakl order for the adjustments tests (edits, cancellations, refunds), built the way the order
 * import leaves one (issue 3), without depending on that code: the Mirakl order in the simulator, accepted (OR21)
 * and debited (SHIPPING), optionally shipped; a Shopify order with Mirakl's prices and taxes carrying the tag
 * `mirakl-<id>` and the metafield mirakl.order_id; and the OrderLink row (IMPORTED, snapshot = the OR11 order).
 */
export interface AdjustmentsWorld {
  services: Services;
  shop: string;
  connection: MarketplaceConnection;
  mirakl: MiraklSimulator;
  shopify: ShopifySimulator;
}

export interface ImportedOrder {
  miraklOrderId: string;
  link: OrderLink;
  shopifyOrderId: string;
  shopifyOrderName: string;
  /** Shopify line item GID per SKU. */
  lineItems: Record<string, string>;
  /** Mirakl order line id per SKU. */
  miraklLines: Record<string, string>;
  order: MiraklOrder;
}

export async function readMirakl(world: Pick<AdjustmentsWorld, "services" | "connection">, miraklOrderId: string): Promise<MiraklOrder> {
  const [order] = await world.services.mirakl(world.connection).getOrdersByIds([miraklOrderId]);
  if (!order) throw new Error(`Mirakl order ${miraklOrderId} not found`);
  return order;
}

export async function createImportedOrder(
  world: AdjustmentsWorld,
  opts: { lines: Array<{ sku: string; quantity: number }>; state?: "SHIPPING" | "SHIPPED"; fulfilInShopify?: boolean; shippingTypeCode?: string },
): Promise<ImportedOrder> {
  const { services, connection, mirakl, shopify, shop } = world;
  const created = mirakl.control.createOrder({ lines: opts.lines.map((l) => ({ offerSku: l.sku, quantity: l.quantity })), shippingTypeCode: opts.shippingTypeCode });
  const miraklOrderId = created.order_id as string;
  const client = services.mirakl(connection);
  const placed = await readMirakl(world, miraklOrderId);
  await client.acceptOrder({ orderId: miraklOrderId, lines: placed.order_lines.map((l) => ({ id: l.order_line_id, accepted: true })) });
  mirakl.control.advanceClock(mirakl.control.getTenant().debitDelayMs + 1_000);
  if (opts.state === "SHIPPED") {
    const carrier = mirakl.control.getTenant().carriers[0]!;
    mirakl.control.shipInPortal(miraklOrderId, { carrierCode: carrier.code, trackingNumber: `TRK${miraklOrderId.replace(/\W/g, "")}` });
  }
  const order = await readMirakl(world, miraklOrderId);
  const expected = opts.state ?? "SHIPPING";
  if (order.order_state !== expected) throw new Error(`fixture: Mirakl order ${miraklOrderId} is ${order.order_state}, expected ${expected}`);

  const admin = await services.shopifyAdmin(shop);
  const skus = [...new Set(order.order_lines.map((l) => l.offer_sku))];
  const variants = await findVariantsBySkus({ client: admin, skus });
  const currency = order.currency_iso_code ?? "GBP";
  const money = (amount: number) => ({ shopMoney: { amount: amount.toFixed(2), currencyCode: currency } });
  const taxLines = (taxes: MiraklOrder["order_lines"][number]["taxes"]) =>
    taxes.filter((t) => (t.amount ?? 0) > 0).map((t) => ({ title: t.code, rate: String((t.rate ?? 0) / 100), priceSet: money(t.amount ?? 0) }));
  const shipping = order.order_lines.reduce((s, l) => s + (l.shipping_price ?? 0), 0);
  const shippingTaxAmount = order.order_lines.reduce((s, l) => s + l.shipping_taxes.reduce((a, t) => a + (t.amount ?? 0), 0), 0);
  const firstShippingTax = order.order_lines.flatMap((l) => l.shipping_taxes)[0];
  const input: OrderCreateInput = {
    lineItems: order.order_lines.map((l) => {
      const variant = variants.get(l.offer_sku)?.[0];
      if (!variant) throw new Error(`fixture: no Shopify variant with SKU ${l.offer_sku}`);
      return { variantId: variant.id, quantity: l.quantity, priceSet: money(l.price_unit ?? l.price / l.quantity), taxLines: taxLines(l.taxes) };
    }),
    shippingLines:
      shipping > 0
        ? [{ title: order.shipping_type_label ?? "Shipping", code: order.shipping_type_code ?? undefined, priceSet: money(shipping), taxLines: firstShippingTax ? [{ title: firstShippingTax.code, rate: String((firstShippingTax.rate ?? 0) / 100), priceSet: money(shippingTaxAmount) }] : [] }]
        : [],
    currency,
    taxesIncluded: (order.order_tax_mode ?? connection.orderTaxMode) === "TAX_INCLUDED",
    email: order.customer_notification_email ?? "buyer@notification.mirakl.net",
    tags: [miraklOrderTag(miraklOrderId), "mirakl", connection.name],
    metafields: [{ namespace: "mirakl", key: "order_id", value: miraklOrderId, type: "single_line_text_field" }],
    sourceIdentifier: miraklOrderId,
    note: `Mirakl order ${miraklOrderId} (${connection.name})`,
    transactions: [{ amountSet: money(order.total_price ?? 0), kind: "SALE", status: "SUCCESS", gateway: "mirakl" }],
  };
  const shopifyOrder = await createOrder({ client: admin, input, options: { inventoryBehaviour: "DECREMENT_IGNORING_POLICY" } });
  if (opts.state === "SHIPPED" && opts.fulfilInShopify !== false) {
    shopify.control.fulfill({ shop, orderId: shopifyOrder.id, trackingCompany: "Royal Mail", trackingNumber: "RM123456785GB" });
  }
  const summary = shopify.control.order({ shop, orderId: shopifyOrder.id });
  const lineItems = Object.fromEntries(summary.lineItems.map((li) => [li.sku ?? li.id, li.id]));
  const link = await services.prisma.orderLink.create({
    data: {
      connectionId: connection.id,
      shop,
      miraklOrderId,
      miraklCommercialId: order.commercial_id ?? null,
      miraklState: order.order_state,
      miraklLastUpdated: new Date(order.last_updated_date ?? Date.now()),
      miraklCreatedAt: new Date(order.created_date ?? Date.now()),
      shippingDeadline: order.shipping_deadline ? new Date(order.shipping_deadline) : null,
      acceptanceStatus: "ACCEPTED",
      acceptedAt: new Date(),
      importStatus: "IMPORTED",
      shopifyOrderId: shopifyOrder.id,
      shopifyOrderName: shopifyOrder.name,
      shopifyState: "OPEN",
      fulfilmentStatus: opts.state === "SHIPPED" ? "SHIPPED" : "NONE",
      shippedAt: opts.state === "SHIPPED" ? new Date() : null,
      commissionTotal: order.total_commission ?? null,
      totalPrice: order.total_price ?? null,
      currency,
      snapshot: order as unknown as Prisma.InputJsonValue,
    },
  });
  // The order-create webhook is not subscribed; anything else the fixture caused (fulfilment) is delivered now.
  await shopify.control.flushWebhooks();
  return {
    miraklOrderId,
    link,
    shopifyOrderId: shopifyOrder.id,
    shopifyOrderName: shopifyOrder.name,
    lineItems,
    miraklLines: Object.fromEntries(order.order_lines.map((l) => [l.offer_sku, l.order_line_id])),
    order,
  };
}

/**
 * PC01 does not say whether "shop partial cancelation" is on (it is enabled by Mirakl support, notes §2.1 OR30), so a
 * fresh connection has partialCancel false; tests of the OR30 path switch it on as a merchant's marketplace would.
 */
export async function setPartialCancel(services: Services, connectionId: string, on: boolean): Promise<MarketplaceConnection> {
  return services.prisma.marketplaceConnection.update({ where: { id: connectionId }, data: { partialCancel: on } });
}

/** The harness the adjustments tests share: the Joules preset with partial cancellation switched on. */
export async function startAdjustmentsWorld(): Promise<{ h: Harness; world: AdjustmentsWorld }> {
  const h = await startHarness({ mirakl: { preset: "joules" } });
  const connection = await setPartialCancel(h.services, h.connection!.id, true);
  return { h, world: { services: h.services, shop: h.shop, connection, mirakl: h.mirakl, shopify: h.shopify } };
}

/** Runs a job handler as a worker would after its delay (pg-boss holds delayed jobs back from drain()). */
export function later(services: Services, ms: number): () => void {
  const real = services.now;
  const shifted = () => new Date(real().getTime() + ms);
  services.now = shifted;
  return () => {
    services.now = real;
  };
}
