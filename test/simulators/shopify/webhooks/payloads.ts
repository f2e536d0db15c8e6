/**
 * REST-shaped webhook payloads (notes.md §3.2): numeric ids, `admin_graphql_api_id` with the GID, money as strings
 * with the currency's decimals plus `*_set` bags, times in the shop's offset. Built when the event happens, so a
 * retried or late delivery carries the original payload (§3.4).
 */
import { gid, inventoryLevelGid } from "../ids";
import { formatRest, type Money } from "../money";
import type {
  AddressRec,
  FulfillmentRec,
  InventoryLevelRec,
  LineItemRec,
  MoneyPair,
  OrderRec,
  RefundRec,
  ShopRec,
  TaxLineRec,
  TransactionRec,
} from "../model";
import {
  currentQuantity,
  currentTotals,
  financialStatus,
  fulfilledQuantity,
  fulfillmentStatus,
  unfulfilledQuantity,
} from "../domain/order-math";
import { restTime } from "../time";

type Json = Record<string, unknown>;

function restMoney(m: Money): string {
  return formatRest(m);
}

function moneySet(p: MoneyPair): Json {
  return {
    shop_money: { amount: restMoney(p.shop), currency_code: p.shop.currency },
    presentment_money: { amount: restMoney(p.presentment), currency_code: p.presentment.currency },
  };
}

function address(a: AddressRec | null): Json | null {
  if (!a) return null;
  const name = [a.firstName, a.lastName].filter(Boolean).join(" ");
  return {
    first_name: a.firstName,
    last_name: a.lastName,
    name: name || null,
    company: a.company,
    address1: a.address1,
    address2: a.address2,
    city: a.city,
    province_code: a.provinceCode,
    province: a.provinceCode,
    zip: a.zip,
    country_code: a.countryCode,
    country: a.countryCode,
    phone: a.phone,
    latitude: null,
    longitude: null,
  };
}

function taxLines(lines: TaxLineRec[]): Json[] {
  return lines.map((t) => ({
    title: t.title,
    price: restMoney(t.price.shop),
    price_set: moneySet(t.price),
    rate: t.rate,
    channel_liable: t.channelLiable,
  }));
}

export function lineItemPayload(order: OrderRec, li: LineItemRec, quantityOverride?: number): Json {
  const fulfilled = fulfilledQuantity(order, li);
  const unfulfilled = unfulfilledQuantity(order, li);
  const zero = { minor: 0, currency: order.currency };
  return {
    id: li.id,
    admin_graphql_api_id: gid("LineItem", li.id),
    variant_id: li.variantId,
    product_id: li.productId,
    sku: li.sku,
    title: li.title,
    name: li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title,
    variant_title: li.variantTitle,
    vendor: li.vendor,
    quantity: quantityOverride ?? li.quantity,
    current_quantity: currentQuantity(li),
    fulfillable_quantity: unfulfilled,
    fulfillment_status: fulfilled === 0 ? null : unfulfilled === 0 ? "fulfilled" : "partial",
    fulfillment_service: "manual",
    price: restMoney(li.unitPrice.shop),
    price_set: moneySet(li.unitPrice),
    total_discount: restMoney(zero),
    total_discount_set: moneySet({ shop: zero, presentment: { minor: 0, currency: order.presentmentCurrency } }),
    tax_lines: taxLines(li.taxLines),
    taxable: li.taxable,
    requires_shipping: li.requiresShipping,
    gift_card: li.giftCard,
    grams: 0,
    properties: li.properties.map((p) => ({ name: p.name, value: p.value })),
    product_exists: li.productId !== null,
    duties: [],
    discount_allocations: [],
  };
}

function transactionPayload(order: OrderRec, t: TransactionRec, shop: ShopRec): Json {
  return {
    id: t.id,
    admin_graphql_api_id: gid("OrderTransaction", t.id),
    order_id: order.id,
    kind: t.kind.toLowerCase(),
    gateway: t.gateway,
    status: t.status.toLowerCase(),
    amount: restMoney(t.amount.shop),
    currency: t.amount.shop.currency,
    parent_id: t.parentId,
    test: t.test,
    processed_at: restTime(t.processedAt, shop.ianaTimezone),
    created_at: restTime(t.createdAt, shop.ianaTimezone),
  };
}

export function fulfillmentPayload(shop: ShopRec, order: OrderRec, f: FulfillmentRec): Json {
  const first = f.tracking[0];
  return {
    id: f.id,
    admin_graphql_api_id: gid("Fulfillment", f.id),
    order_id: order.id,
    name: f.name,
    status: f.status === "SUCCESS" ? "success" : "cancelled",
    shipment_status: null,
    service: "manual",
    location_id: f.locationId,
    created_at: restTime(f.createdAt, shop.ianaTimezone),
    updated_at: restTime(f.updatedAt, shop.ianaTimezone),
    tracking_company: first?.company ?? null,
    tracking_number: first?.number ?? null,
    tracking_numbers: f.tracking.map((t) => t.number).filter((n): n is string => n !== null),
    tracking_url: first?.url ?? null,
    tracking_urls: f.tracking.map((t) => t.url).filter((u): u is string => u !== null),
    email: order.email,
    destination: address(order.shippingAddress),
    origin_address: {},
    receipt: {},
    notify_customer: f.notifyCustomer,
    line_items: f.lines.flatMap((l) => {
      const li = order.lineItems.find((x) => x.id === l.lineItemId);
      return li ? [lineItemPayload(order, li, l.quantity)] : [];
    }),
  };
}

export function refundPayload(shop: ShopRec, order: OrderRec, r: RefundRec): Json {
  return {
    id: r.id,
    admin_graphql_api_id: gid("Refund", r.id),
    order_id: order.id,
    created_at: restTime(r.createdAt, shop.ianaTimezone),
    processed_at: restTime(r.processedAt, shop.ianaTimezone),
    note: r.note,
    user_id: null,
    restock: r.lines.some((l) => l.restocked),
    duties: [],
    total_duties_set: moneySet({
      shop: { minor: 0, currency: order.currency },
      presentment: { minor: 0, currency: order.presentmentCurrency },
    }),
    return: null,
    order_adjustments: [],
    refund_shipping_lines: r.shippingLines.map((s) => ({
      id: s.id,
      shipping_line_id: s.shippingLineId,
      subtotal_amount_set: moneySet(s.subtotal),
      tax_amount_set: moneySet(s.tax),
    })),
    refund_line_items: r.lines.map((l) => {
      const li = order.lineItems.find((x) => x.id === l.lineItemId);
      return {
        id: l.id,
        line_item_id: l.lineItemId,
        quantity: l.quantity,
        location_id: l.locationId,
        restock_type: l.restockType.toLowerCase(),
        subtotal: Number(restMoney(l.subtotal.shop)),
        subtotal_set: moneySet(l.subtotal),
        total_tax: Number(restMoney(l.totalTax.shop)),
        total_tax_set: moneySet(l.totalTax),
        line_item: li ? lineItemPayload(order, li) : null,
      };
    }),
    transactions: r.transactions.map((t) => transactionPayload(order, t, shop)),
  };
}

function customerPayload(shop: ShopRec, order: OrderRec): Json | null {
  const c = order.customerId === null ? undefined : shop.customers.get(order.customerId);
  if (!c) return null;
  return {
    id: c.id,
    admin_graphql_api_id: gid("Customer", c.id),
    email: c.email,
    first_name: c.firstName,
    last_name: c.lastName,
    phone: c.phone,
    tags: c.tags.join(", "),
    note: c.note,
    tax_exempt: c.taxExempt,
    created_at: restTime(c.createdAt, shop.ianaTimezone),
    updated_at: restTime(c.updatedAt, shop.ianaTimezone),
  };
}

export function orderPayload(shop: ShopRec, order: OrderRec): Json {
  const cur = currentTotals(order);
  const fs = fulfillmentStatus(order);
  const t = order.originalTotals;
  const zero: MoneyPair = {
    shop: { minor: 0, currency: order.currency },
    presentment: { minor: 0, currency: order.presentmentCurrency },
  };
  return {
    id: order.id,
    admin_graphql_api_id: gid("Order", order.id),
    app_id: order.appId,
    name: order.name,
    number: order.number - 1000,
    order_number: order.number,
    email: order.email,
    contact_email: order.email,
    phone: order.phone,
    created_at: restTime(order.createdAt, shop.ianaTimezone),
    updated_at: restTime(order.updatedAt, shop.ianaTimezone),
    processed_at: restTime(order.processedAt, shop.ianaTimezone),
    cancelled_at: restTime(order.cancelledAt, shop.ianaTimezone),
    cancel_reason: order.cancelReason?.toLowerCase() ?? null,
    closed_at: restTime(order.closedAt, shop.ianaTimezone),
    confirmed: true,
    test: order.test,
    financial_status: financialStatus(order).toLowerCase(),
    fulfillment_status: fs === "UNFULFILLED" ? null : fs === "PARTIALLY_FULFILLED" ? "partial" : fs.toLowerCase(),
    currency: order.currency,
    presentment_currency: order.presentmentCurrency,
    taxes_included: order.taxesIncluded,
    subtotal_price: restMoney(t.subtotal.shop),
    subtotal_price_set: moneySet(t.subtotal),
    total_line_items_price: restMoney(t.subtotal.shop),
    total_line_items_price_set: moneySet(t.subtotal),
    total_shipping_price_set: moneySet(t.shipping),
    total_tax: restMoney(t.tax.shop),
    total_tax_set: moneySet(t.tax),
    total_price: restMoney(t.total.shop),
    total_price_set: moneySet(t.total),
    total_discounts: restMoney(zero.shop),
    total_discounts_set: moneySet(zero),
    current_subtotal_price: restMoney(cur.subtotal.shop),
    current_subtotal_price_set: moneySet(cur.subtotal),
    current_total_tax: restMoney(cur.tax.shop),
    current_total_tax_set: moneySet(cur.tax),
    current_total_price: restMoney(cur.total.shop),
    current_total_price_set: moneySet(cur.total),
    current_total_discounts: restMoney(zero.shop),
    current_total_discounts_set: moneySet(zero),
    total_outstanding: restMoney(cur.outstanding.shop),
    tags: order.tags.join(", "),
    note: order.note,
    note_attributes: order.customAttributes.map((a) => ({ name: a.key, value: a.value })),
    po_number: order.poNumber,
    source_name: order.sourceName,
    source_identifier: order.sourceIdentifier,
    source_url: order.sourceUrl,
    customer: customerPayload(shop, order),
    billing_address: address(order.billingAddress),
    shipping_address: address(order.shippingAddress),
    shipping_lines: order.shippingLines.map((s) => ({
      id: s.id,
      title: s.title,
      code: s.code,
      source: s.source,
      price: restMoney(s.price.shop),
      price_set: moneySet(s.price),
      discounted_price: restMoney(s.price.shop),
      discounted_price_set: moneySet(s.price),
      tax_lines: taxLines(s.taxLines),
      discount_allocations: [],
    })),
    tax_lines: taxLines(order.taxLines),
    discount_codes: [],
    discount_applications: [],
    line_items: order.lineItems.map((li) => lineItemPayload(order, li)),
    fulfillments: order.fulfillments.map((f) => fulfillmentPayload(shop, order, f)),
    refunds: order.refunds.map((r) => refundPayload(shop, order, r)),
    returns: [],
    payment_terms: null,
    payment_gateway_names: [...new Set(order.transactions.map((tx) => tx.gateway).filter(Boolean))],
  };
}

export function inventoryLevelPayload(level: InventoryLevelRec): Json {
  return {
    inventory_item_id: level.inventoryItemId,
    location_id: level.locationId,
    available: level.quantities.available,
    updated_at: new Date(level.updatedAt).toISOString(),
    admin_graphql_api_id: inventoryLevelGid(level.id, level.inventoryItemId),
  };
}

export function orderEditPayload(
  shop: ShopRec,
  input: {
    editId: number;
    appId: number | null;
    orderId: number;
    createdAt: number;
    committedAt: number;
    notifyCustomer: boolean;
    staffNote: string | null;
    additions: Array<{ id: number; delta: number }>;
    removals: Array<{ id: number; delta: number }>;
  },
): Json {
  // Only ids and deltas: consumers must re-query the order (notes.md §3.2).
  return {
    order_edit: {
      id: input.editId,
      app_id: input.appId,
      created_at: restTime(input.createdAt, shop.ianaTimezone),
      committed_at: restTime(input.committedAt, shop.ianaTimezone),
      notify_customer: input.notifyCustomer,
      order_id: input.orderId,
      staff_note: input.staffNote ?? "",
      user_id: null,
      line_items: { additions: input.additions, removals: input.removals },
      discounts: { line_item: { additions: [], removals: [] } },
      shipping_lines: { additions: [], removals: [] },
    },
  };
}

export function shopPayload(shop: ShopRec): Json {
  return {
    id: shop.id,
    name: shop.name,
    email: shop.email,
    domain: shop.domain,
    myshopify_domain: shop.domain,
    customer_email: shop.email,
    currency: shop.currency,
    iana_timezone: shop.ianaTimezone,
    plan_name: shop.plan === "development" ? "partner_test" : shop.plan,
    plan_display_name: planDisplayName(shop),
    created_at: restTime(shop.createdAt, shop.ianaTimezone),
    updated_at: restTime(shop.createdAt, shop.ianaTimezone),
  };
}

export function planDisplayName(shop: ShopRec): string {
  switch (shop.plan) {
    case "development":
      return "Development";
    case "advanced":
      return "Advanced";
    case "plus":
      return "Shopify Plus";
    case "enterprise":
      return "Commerce Components";
    default:
      return "Basic";
  }
}
