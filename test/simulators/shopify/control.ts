/**
 * The control API: seed shops, inspect state, and act as the merchant (or another app) so that the app under test
 * sees exactly the webhooks and state changes Shopify would produce. Also fault injection, throttling and stats.
 * Exposed in-process (simulator.control) and over HTTP under /_sim/<method> (control-http.ts).
 */
import { CostBucket, PLAN_LIMITS, type PlanLimits } from "./cost-bucket";
import { gid, idOf, parseGid } from "./ids";
import { parseMoney } from "./money";
import type { LineItemRec, OrderRec, PlanName, ShopRec } from "./model";
import { SimError, type CreateShopInput, type CreateShopResult, type SimStore } from "./store";
import { applyDeltas, levelAt, onHand } from "./domain/inventory";
import { createOrder, type OrderCreateInput } from "./domain/order-create";
import { cancelOrder } from "./domain/order-cancel";
import { addEditVariant, beginEdit, commitEdit, setEditQuantity } from "./domain/order-edit";
import { cancelFulfillment, createFulfillment, updateTracking } from "./domain/fulfillment";
import { createRefund } from "./domain/refund";
import { metafieldsOf, setMetafield } from "./domain/metafields";
import { currentQuantity, currentTotals, financialStatus, fulfillmentStatus, unfulfilledQuantity } from "./domain/order-math";
import { formatDecimal } from "./money";
import { shopPayload } from "./webhooks/payloads";
import type { UserErr } from "./domain/user-error";
import type { WebhookDispatcher, WebhookLogEntry } from "./webhooks/dispatcher";

export interface Faults {
  /** Probability that a GraphQL request gets an HTTP 503 before anything runs. */
  rate5xx: number;
  /** Probability that a mutation is applied but its HTTP response never comes (tests duplicate protection). */
  applyThenTimeoutRate: number;
  /** Added latency before each GraphQL request is handled. */
  latencyMs: number;
  /** Root field names the two rates apply to; empty = all (rate5xx) / all mutations (applyThenTimeout). */
  operations: string[];
}

export interface SimStats {
  requests: number;
  throttled: number;
  costServed: number;
  unauthorized: number;
  injected5xx: number;
  injectedTimeouts: number;
  byRootField: Record<string, number>;
}

export interface EmittedEvent {
  shop: string;
  topic: string;
  payload: unknown;
  at: string;
}

export class ControlError extends Error {}

type Ref = string | number;

function userErrorsToThrow(errors: UserErr[]): never {
  throw new ControlError(errors.map((e) => `${e.field?.join(".") ?? ""}: ${e.message}${e.code ? ` (${e.code})` : ""}`).join("; "));
}

function orderOf(shop: ShopRec, ref: Ref): OrderRec {
  let order: OrderRec | undefined;
  if (typeof ref === "number") order = shop.orders.get(ref);
  else if (ref.startsWith("gid://")) order = shop.orders.get(idOf(ref, "Order") ?? -1);
  else if (/^\d+$/.test(ref)) order = shop.orders.get(Number(ref));
  else order = [...shop.orders.values()].find((o) => o.name === ref || o.name === `#${ref.replace(/^#/, "")}`);
  if (!order) throw new ControlError(`Unknown order ${ref} in ${shop.domain}`);
  return order;
}

function lineOf(order: OrderRec, ref: Ref): LineItemRec {
  const id = typeof ref === "number" ? ref : ref.startsWith("gid://") ? (parseGid(ref)?.id ?? -1) : /^\d+$/.test(ref) ? Number(ref) : -1;
  const li = order.lineItems.find((x) => x.id === id) ?? order.lineItems.find((x) => typeof ref === "string" && x.sku === ref && currentQuantity(x) > 0);
  if (!li) throw new ControlError(`Unknown line item ${ref} on order ${order.name}`);
  return li;
}

function variantBySku(shop: ShopRec, sku: string) {
  const v = [...shop.variants.values()].find((x) => x.sku === sku);
  if (!v) throw new ControlError(`Unknown SKU ${sku} in ${shop.domain}`);
  return v;
}

function locationByName(shop: ShopRec, name: string) {
  const loc = [...shop.locations.values()].find((l) => l.name === name) ?? shop.locations.get(idOf(name, "Location") ?? -1);
  if (!loc) throw new ControlError(`Unknown location ${name} in ${shop.domain}`);
  return loc;
}

export interface ControlDeps {
  store: SimStore;
  dispatcher: WebhookDispatcher | null;
  events: EmittedEvent[];
  faults: Faults;
  stats: SimStats;
  /** Another app that edits orders (replaceOrder); its orders carry this app_id. */
  editingAppId: number;
}

export function createControl(deps: ControlDeps) {
  const { store } = deps;
  const shopOf = (ref: string) => {
    try {
      return store.shop(ref);
    } catch (err) {
      if (err instanceof SimError) throw new ControlError(err.message);
      throw err;
    }
  };

  const orderSummary = (shop: ShopRec, o: OrderRec) => {
    const totals = currentTotals(o);
    return {
      id: gid("Order", o.id),
      name: o.name,
      appId: o.appId,
      sourceName: o.sourceName,
      sourceIdentifier: o.sourceIdentifier,
      tags: [...o.tags],
      createdAt: new Date(o.createdAt).toISOString(),
      updatedAt: new Date(o.updatedAt).toISOString(),
      cancelledAt: o.cancelledAt === null ? null : new Date(o.cancelledAt).toISOString(),
      cancelReason: o.cancelReason,
      financialStatus: financialStatus(o),
      fulfillmentStatus: fulfillmentStatus(o),
      currency: o.currency,
      taxesIncluded: o.taxesIncluded,
      inventoryBehaviour: o.inventoryBehaviour,
      totals: {
        subtotal: formatDecimal(o.originalTotals.subtotal.shop),
        shipping: formatDecimal(o.originalTotals.shipping.shop),
        tax: formatDecimal(o.originalTotals.tax.shop),
        total: formatDecimal(o.originalTotals.total.shop),
        currentTotal: formatDecimal(totals.total.shop),
        refunded: formatDecimal(totals.refunded.shop),
      },
      lineItems: o.lineItems.map((li) => ({
        id: gid("LineItem", li.id),
        sku: li.sku,
        title: li.title,
        quantity: li.quantity,
        currentQuantity: currentQuantity(li),
        unfulfilledQuantity: unfulfilledQuantity(o, li),
        unitPrice: formatDecimal(li.unitPrice.shop),
        tax: li.taxLines.map((t) => ({ title: t.title, rate: t.rate, amount: formatDecimal(t.price.shop) })),
        location: shop.locations.get(li.locationId)?.name ?? null,
      })),
      shippingLines: o.shippingLines.map((s) => ({
        title: s.title,
        price: formatDecimal(s.price.shop),
        tax: s.taxLines.map((t) => ({ title: t.title, rate: t.rate, amount: formatDecimal(t.price.shop) })),
      })),
      fulfillmentOrders: o.fulfillmentOrders.map((fo) => ({
        id: gid("FulfillmentOrder", fo.id),
        status: fo.status,
        location: shop.locations.get(fo.locationId)?.name ?? null,
      })),
      fulfillments: o.fulfillments.map((f) => ({ id: gid("Fulfillment", f.id), name: f.name, status: f.status, tracking: f.tracking })),
      refunds: o.refunds.map((r) => ({ id: gid("Refund", r.id), lines: r.lines.length })),
      metafields: metafieldsOf(shop, gid("Order", o.id)).map((m) => ({ namespace: m.namespace, key: m.key, value: m.value, type: m.type })),
      shippingAddress: o.shippingAddress,
      email: o.email,
    };
  };

  const inventory = (shop: ShopRec) => {
    const out: Record<string, Record<string, { available: number; onHand: number; committed: number }>> = {};
    for (const level of shop.levels.values()) {
      const item = shop.inventoryItems.get(level.inventoryItemId);
      const loc = shop.locations.get(level.locationId);
      if (!item || !loc) continue;
      const key = item.sku ?? gid("InventoryItem", item.id);
      out[key] = out[key] ?? {};
      out[key][loc.name] = { available: level.quantities.available, onHand: onHand(level), committed: level.quantities.committed };
    }
    return out;
  };

  const control = {
    createShop(input: CreateShopInput): CreateShopResult {
      try {
        return store.createShop(input);
      } catch (err) {
        if (err instanceof SimError) throw new ControlError(err.message);
        throw err;
      }
    },

    getShop(args: { shop: string }) {
      const shop = shopOf(args.shop);
      return {
        id: gid("Shop", shop.id),
        domain: shop.domain,
        name: shop.name,
        plan: shop.plan,
        currency: shop.currency,
        installed: shop.installed,
        orderCreateLimit: shop.orderCreateLimit,
        throttleStatus: shop.bucket.status(),
        forceThrottled: shop.forceThrottled,
        locations: [...shop.locations.values()].map((l) => ({ id: gid("Location", l.id), name: l.name, isActive: l.isActive })),
      };
    },

    /** Orders (summaries) and inventory by SKU and location name. */
    state(args: { shop: string }) {
      const shop = shopOf(args.shop);
      return { shop: control.getShop(args), orders: [...shop.orders.values()].map((o) => orderSummary(shop, o)), inventory: inventory(shop) };
    },

    orders(args: { shop: string }) {
      const shop = shopOf(args.shop);
      return [...shop.orders.values()].map((o) => orderSummary(shop, o));
    },

    order(args: { shop: string; orderId: Ref }) {
      const shop = shopOf(args.shop);
      return orderSummary(shop, orderOf(shop, args.orderId));
    },

    inventory(args: { shop: string }) {
      return inventory(shopOf(args.shop));
    },

    /** A web checkout: claims stock like Shopify's storefront, pays, fires orders/create + inventory_levels/update. */
    storefrontSale(args: { shop: string; lines: Array<{ sku: string; quantity: number }>; email?: string }) {
      const shop = shopOf(args.shop);
      const lines = args.lines.map((l) => {
        const v = variantBySku(shop, l.sku);
        return { v, quantity: l.quantity };
      });
      const total = lines.reduce((a, l) => a + l.v.price.minor * l.quantity, 0);
      const input: OrderCreateInput = {
        lineItems: lines.map((l) => ({ variantId: gid("ProductVariant", l.v.id), quantity: l.quantity })),
        email: args.email ?? "buyer@example.com",
        sourceName: "web",
        shippingAddress: { firstName: "Web", lastName: "Buyer", address1: "1 rue de la Paix", city: "Paris", zip: "75002", countryCode: "FR" },
        transactions: [
          {
            amountSet: { shopMoney: { amount: formatDecimal({ minor: total, currency: shop.currency }), currencyCode: shop.currency } },
            kind: "SALE",
            status: "SUCCESS",
            gateway: "shopify_payments",
          },
        ],
      };
      const result = createOrder(store, shop, input, { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" }, { appId: null });
      if (!result.ok) userErrorsToThrow(result.userErrors);
      return { orderId: gid("Order", result.value.id), name: result.value.name };
    },

    /** A merchant stock change in the admin (fires inventory_levels/update). */
    adjustStock(args: { shop: string; sku: string; location: string; delta?: number; set?: number }) {
      const shop = shopOf(args.shop);
      const v = variantBySku(shop, args.sku);
      const loc = locationByName(shop, args.location);
      let level = levelAt(shop, v.inventoryItemId, loc.id);
      if (!level) level = store.createLevel(shop, v.inventoryItemId, loc.id, 0);
      const delta = args.set !== undefined ? args.set - level.quantities.available : (args.delta ?? 0);
      applyDeltas(store, shop, level, { available: delta });
      return { available: level.quantities.available, onHand: onHand(level) };
    },

    /** The merchant fulfils (all remaining, or some lines) with tracking; one fulfilment per location involved. */
    fulfill(args: {
      shop: string;
      orderId: Ref;
      lines?: Array<{ lineItemId?: Ref; sku?: string; quantity: number }>;
      trackingCompany?: string;
      trackingNumber?: string;
      trackingUrl?: string;
      notifyCustomer?: boolean;
    }) {
      const shop = shopOf(args.shop);
      const order = orderOf(shop, args.orderId);
      const groups = new Map<number, Array<{ fulfillmentOrderId: string; fulfillmentOrderLineItems?: Array<{ id: string; quantity: number }> }>>();
      if (!args.lines) {
        for (const fo of order.fulfillmentOrders) {
          if (fo.status !== "OPEN" && fo.status !== "IN_PROGRESS") continue;
          groups.set(fo.locationId, [...(groups.get(fo.locationId) ?? []), { fulfillmentOrderId: gid("FulfillmentOrder", fo.id) }]);
        }
      } else {
        const byFo = new Map<number, Array<{ id: string; quantity: number }>>();
        for (const l of args.lines) {
          const li = lineOf(order, l.lineItemId ?? l.sku ?? "");
          let left = l.quantity;
          for (const fo of order.fulfillmentOrders) {
            for (const foLine of fo.lines) {
              if (foLine.lineItemId !== li.id || foLine.remainingQuantity === 0 || left === 0) continue;
              const take = Math.min(left, foLine.remainingQuantity);
              left -= take;
              byFo.set(fo.id, [...(byFo.get(fo.id) ?? []), { id: gid("FulfillmentOrderLineItem", foLine.id), quantity: take }]);
            }
          }
          if (left > 0) throw new ControlError(`Line ${li.sku ?? li.id} has only ${l.quantity - left} unit(s) left to fulfil`);
        }
        for (const [foId, items] of byFo) {
          const fo = order.fulfillmentOrders.find((x) => x.id === foId);
          if (!fo) continue;
          groups.set(fo.locationId, [
            ...(groups.get(fo.locationId) ?? []),
            { fulfillmentOrderId: gid("FulfillmentOrder", fo.id), fulfillmentOrderLineItems: items },
          ]);
        }
      }
      if (groups.size === 0) throw new ControlError(`Order ${order.name} has nothing left to fulfil`);
      const ids: string[] = [];
      for (const lineItemsByFulfillmentOrder of groups.values()) {
        const result = createFulfillment(store, shop, {
          lineItemsByFulfillmentOrder,
          trackingInfo: { company: args.trackingCompany ?? null, number: args.trackingNumber ?? null, url: args.trackingUrl ?? null },
          notifyCustomer: args.notifyCustomer ?? false,
        });
        if (!result.ok) userErrorsToThrow(result.userErrors);
        ids.push(gid("Fulfillment", result.value.fulfillment.id));
      }
      return { fulfillmentIds: ids, fulfillmentId: ids[0] };
    },

    updateTracking(args: { shop: string; fulfillmentId: string; trackingCompany?: string; trackingNumber: string; trackingUrl?: string }) {
      const shop = shopOf(args.shop);
      const result = updateTracking(store, shop, {
        fulfillmentId: args.fulfillmentId,
        trackingInfoInput: { company: args.trackingCompany ?? null, number: args.trackingNumber, url: args.trackingUrl ?? null },
      });
      if (!result.ok) userErrorsToThrow(result.userErrors);
      return { fulfillmentId: args.fulfillmentId };
    },

    /** The merchant cancels a fulfilment: its units can be fulfilled again; fires fulfillments/update (cancelled). */
    cancelFulfillment(args: { shop: string; fulfillmentId: string }) {
      const shop = shopOf(args.shop);
      const result = cancelFulfillment(store, shop, { fulfillmentId: args.fulfillmentId });
      if (!result.ok) userErrorsToThrow(result.userErrors);
      return { fulfillmentId: args.fulfillmentId, status: result.value.fulfillment.status };
    },

    /** A merchant edit in the admin (orders/edited with app_id null, then orders/updated). */
    editOrder(args: {
      shop: string;
      orderId: Ref;
      removeLineItemId?: Ref;
      setQuantity?: { lineItemId: Ref; quantity: number };
      addSku?: string | { sku: string; quantity: number };
      restock?: boolean;
    }) {
      const shop = shopOf(args.shop);
      const order = orderOf(shop, args.orderId);
      const begun = beginEdit(store, shop, gid("Order", order.id));
      if (!begun.ok) userErrorsToThrow(begun.userErrors);
      const calcId = gid("CalculatedOrder", begun.value.session.id);
      const stage = (lineItemId: Ref, quantity: number) => {
        const li = lineOf(order, lineItemId);
        const r = setEditQuantity(shop, { id: calcId, lineItemId: gid("CalculatedLineItem", li.id), quantity, restock: args.restock ?? true });
        if (!r.ok) userErrorsToThrow(r.userErrors);
      };
      if (args.removeLineItemId !== undefined) stage(args.removeLineItemId, 0);
      if (args.setQuantity) stage(args.setQuantity.lineItemId, args.setQuantity.quantity);
      if (args.addSku) {
        const add = typeof args.addSku === "string" ? { sku: args.addSku, quantity: 1 } : args.addSku;
        const v = variantBySku(shop, add.sku);
        const r = addEditVariant(store, shop, { id: calcId, variantId: gid("ProductVariant", v.id), quantity: add.quantity, allowDuplicates: true });
        if (!r.ok) userErrorsToThrow(r.userErrors);
      }
      const committed = commitEdit(store, shop, { id: calcId, notifyCustomer: false, staffNote: null }, { appId: null });
      if (!committed.ok) userErrorsToThrow(committed.userErrors);
      return { orderId: gid("Order", order.id) };
    },

    cancelOrder(args: { shop: string; orderId: Ref; restock: boolean; reason?: string; refund?: boolean; staffNote?: string }) {
      const shop = shopOf(args.shop);
      const order = orderOf(shop, args.orderId);
      const result = cancelOrder(store, shop, {
        orderId: gid("Order", order.id),
        reason: args.reason ?? "CUSTOMER",
        restock: args.restock,
        refund: args.refund ?? false,
        staffNote: args.staffNote ?? null,
      });
      if (!result.ok) userErrorsToThrow(result.userErrors);
      return { orderId: gid("Order", order.id), jobId: gid("Job", result.value.job.id) };
    },

    /** A merchant refund (fires refunds/create). `amount` refunds money on the order's first gateway. */
    refund(args: {
      shop: string;
      orderId: Ref;
      lines: Array<{ lineItemId: Ref; quantity: number; restockType?: "RETURN" | "CANCEL" | "NO_RESTOCK" }>;
      shippingAmount?: string | number;
      fullShipping?: boolean;
      amount?: string | number;
      note?: string;
    }) {
      const shop = shopOf(args.shop);
      const order = orderOf(shop, args.orderId);
      const orderGid = gid("Order", order.id);
      const result = createRefund(store, shop, {
        orderId: orderGid,
        note: args.note ?? null,
        refundLineItems: args.lines.map((l) => ({
          lineItemId: gid("LineItem", lineOf(order, l.lineItemId).id),
          quantity: l.quantity,
          restockType: l.restockType ?? "NO_RESTOCK",
        })),
        shipping: args.fullShipping ? { fullRefund: true } : args.shippingAmount !== undefined ? { amount: args.shippingAmount } : null,
        transactions:
          args.amount !== undefined
            ? [{ amount: args.amount, gateway: order.transactions[0]?.gateway ?? "manual", kind: "REFUND", orderId: orderGid }]
            : [],
        allowOverRefunding: true,
      });
      if (!result.ok) userErrorsToThrow(result.userErrors);
      return { refundId: gid("Refund", result.value.refund.id) };
    },

    /**
     * How order-editing apps "edit": cancel the original (restocking) and create a copy carrying its tags and
     * metafields (so the app sees a second order with the same custom id). `copySourceIdentifier` also copies the
     * source identifier (default false: such apps create orders under their own source).
     */
    replaceOrder(args: { shop: string; orderId: Ref; copySourceIdentifier?: boolean; dropLineItemId?: Ref }) {
      const shop = shopOf(args.shop);
      const order = orderOf(shop, args.orderId);
      const dropped = args.dropLineItemId !== undefined ? lineOf(order, args.dropLineItemId).id : null;
      const cancelled = cancelOrder(store, shop, { orderId: gid("Order", order.id), reason: "OTHER", restock: true, refund: false, staffNote: "Replaced" });
      if (!cancelled.ok) userErrorsToThrow(cancelled.userErrors);
      const money = (m: { shop: { minor: number; currency: string } }) => ({
        shopMoney: { amount: formatDecimal(m.shop), currencyCode: m.shop.currency },
      });
      const input: OrderCreateInput = {
        lineItems: order.lineItems
          .filter((li) => li.id !== dropped && li.quantity - li.removedByEdit - li.refundedUnfulfilled - li.refundedFulfilled > 0)
          .map((li) => ({
            variantId: li.variantId !== null ? gid("ProductVariant", li.variantId) : null,
            title: li.title,
            sku: li.sku,
            quantity: li.quantity - li.removedByEdit - li.refundedUnfulfilled - li.refundedFulfilled,
            priceSet: money(li.unitPrice),
            taxLines: li.taxLines.map((t) => ({ title: t.title, rate: t.rate, priceSet: money(t.price) })),
          })),
        shippingLines: order.shippingLines.map((s) => ({
          title: s.title,
          code: s.code,
          priceSet: money(s.price),
          taxLines: s.taxLines.map((t) => ({ title: t.title, rate: t.rate, priceSet: money(t.price) })),
        })),
        email: order.email,
        tags: [...order.tags],
        note: order.note,
        currency: order.currency,
        taxesIncluded: order.taxesIncluded,
        sourceName: String(deps.editingAppId),
        sourceIdentifier: args.copySourceIdentifier ? order.sourceIdentifier : null,
        shippingAddress: order.shippingAddress,
        billingAddress: order.billingAddress,
        customAttributes: order.customAttributes.filter((a): a is { key: string; value: string } => a.value !== null),
        financialStatus: financialStatus(order) === "PAID" ? "PAID" : null,
      };
      const created = createOrder(store, shop, input, { inventoryBehaviour: "DECREMENT_IGNORING_POLICY" }, { appId: deps.editingAppId });
      if (!created.ok) userErrorsToThrow(created.userErrors);
      for (const m of metafieldsOf(shop, gid("Order", order.id))) {
        setMetafield(store, shop, { ownerId: gid("Order", created.value.id), namespace: m.namespace, key: m.key, value: m.value, type: m.type });
      }
      return { originalOrderId: gid("Order", order.id), newOrderId: gid("Order", created.value.id), name: created.value.name };
    },

    /** The merchant uninstalls: app/uninstalled is sent, the access token stops working (HTTP 401). */
    uninstall(args: { shop: string }) {
      const shop = shopOf(args.shop);
      store.emit(shop, "app/uninstalled", shopPayload(shop));
      shop.installed = false;
      return { ok: true };
    },

    reinstall(args: { shop: string }) {
      shopOf(args.shop).installed = true;
      return { ok: true };
    },

    /** Mandatory compliance webhooks (notes.md §3.2, §6). */
    sendComplianceWebhook(args: { shop: string; topic: "customers/data_request" | "customers/redact" | "shop/redact"; customerEmail?: string }) {
      const shop = shopOf(args.shop);
      const customer = args.customerEmail ? [...shop.customers.values()].find((c) => c.email === args.customerEmail) : undefined;
      const orders = [...shop.orders.values()].filter((o) => args.customerEmail && o.email === args.customerEmail).map((o) => o.id);
      const base = { shop_id: shop.id, shop_domain: shop.domain };
      const customerJson = { id: customer?.id ?? null, email: args.customerEmail ?? null, phone: customer?.phone ?? null };
      const payload =
        args.topic === "shop/redact"
          ? base
          : args.topic === "customers/redact"
            ? { ...base, customer: customerJson, orders_to_redact: orders }
            : { ...base, customer: customerJson, orders_requested: orders, data_request: { id: store.ids.next() } };
      store.emit(shop, args.topic, payload);
      return { ok: true };
    },

    setThrottle(args: { shop: string; plan?: PlanName; forceThrottled?: boolean; maximumAvailable?: number; restoreRate?: number; drain?: boolean }) {
      const shop = shopOf(args.shop);
      if (args.plan) shop.plan = args.plan;
      if (args.plan || args.maximumAvailable !== undefined || args.restoreRate !== undefined) {
        const base: PlanLimits = PLAN_LIMITS[shop.plan];
        shop.bucket.setLimits({
          maximumAvailable: args.maximumAvailable ?? base.maximumAvailable,
          restoreRate: args.restoreRate ?? base.restoreRate,
        });
      }
      if (args.forceThrottled !== undefined) shop.forceThrottled = args.forceThrottled;
      if (args.drain) shop.bucket.drain();
      return shop.bucket.status();
    },

    /** Resets the bucket to full (a fresh minute). */
    resetThrottle(args: { shop: string }) {
      const shop = shopOf(args.shop);
      shop.bucket = new CostBucket(PLAN_LIMITS[shop.plan], store.now);
      return shop.bucket.status();
    },

    setShopOptions(args: { shop: string; orderCreateLimit?: boolean }) {
      const shop = shopOf(args.shop);
      if (args.orderCreateLimit !== undefined) shop.orderCreateLimit = args.orderCreateLimit;
      return { orderCreateLimit: shop.orderCreateLimit };
    },

    setFaults(args: Partial<Faults> & { jobDelayMs?: number; bulkDelayMs?: number }) {
      const f = deps.faults;
      if (args.rate5xx !== undefined) f.rate5xx = args.rate5xx;
      if (args.applyThenTimeoutRate !== undefined) f.applyThenTimeoutRate = args.applyThenTimeoutRate;
      if (args.latencyMs !== undefined) f.latencyMs = args.latencyMs;
      if (args.operations !== undefined) f.operations = args.operations;
      if (args.jobDelayMs !== undefined) store.settings.jobDelayMs = args.jobDelayMs;
      if (args.bulkDelayMs !== undefined) store.settings.bulkDelayMs = args.bulkDelayMs;
      return { ...f, jobDelayMs: store.settings.jobDelayMs, bulkDelayMs: store.settings.bulkDelayMs };
    },

    stats(): SimStats {
      return { ...deps.stats, byRootField: { ...deps.stats.byRootField } };
    },

    /** Every event the shop emitted (whether or not a webhook subscription exists for it). */
    events(args: { shop?: string; topic?: string } = {}): EmittedEvent[] {
      return deps.events.filter((e) => (!args.shop || e.shop === shopOf(args.shop).domain) && (!args.topic || e.topic === args.topic));
    },

    webhookLog(args: { shop?: string; topic?: string } = {}): WebhookLogEntry[] {
      return (deps.dispatcher?.log() ?? []).filter((e) => (!args.shop || e.shop === args.shop) && (!args.topic || e.topic === args.topic));
    },

    async flushWebhooks(): Promise<{ ok: true }> {
      await deps.dispatcher?.flush();
      return { ok: true };
    },

    /** Money helper for tests: "12.5" in the shop currency as Shopify would print it. */
    formatAmount(args: { shop: string; amount: string }) {
      const shop = shopOf(args.shop);
      return formatDecimal(parseMoney(args.amount, shop.currency));
    },
  };
  return control;
}

export type ShopifyControl = ReturnType<typeof createControl>;

