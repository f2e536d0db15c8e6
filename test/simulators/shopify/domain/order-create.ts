/**
 * orderCreate (notes.md §4.1): stores the prices, taxes and addresses it is given (totals are summed from them once,
 * never recomputed from rates), claims inventory only when asked (`inventoryBehaviour` defaults to BYPASS),
 * splits lines into fulfilment orders by location, and fires orders/create. It has no idempotency: calling it twice
 * creates two orders, which is exactly what the app must guard against.
 */
import { gid, idOf } from "../ids";
import { MoneyParseError, parseMoney, type Money } from "../money";
import type {
  AddressRec,
  CustomerRec,
  FulfillmentOrderRec,
  LineItemRec,
  MoneyPair,
  OrderRec,
  ShippingLineRec,
  ShopRec,
  TaxLineRec,
  TransactionRec,
} from "../model";
import type { SimStore } from "../store";
import { orderPayload } from "../webhooks/payloads";
import { applyDeltas, levelAt } from "./inventory";
import { addPairs, pair, timesPair } from "./order-math";
import { fail, ok, type Outcome } from "./user-error";
import { resolveNamespace, setMetafield, violatesUniqueness } from "./metafields";
import { createFulfillment } from "./fulfillment";

export interface MoneyBagInput {
  shopMoney: { amount: string | number; currencyCode: string };
  presentmentMoney?: { amount: string | number; currencyCode: string } | null;
}

export interface TaxLineInput {
  title: string;
  rate: string | number;
  priceSet?: MoneyBagInput | null;
  channelLiable?: boolean | null;
}

export interface AddressInput {
  firstName?: string | null;
  lastName?: string | null;
  company?: string | null;
  address1?: string | null;
  address2?: string | null;
  city?: string | null;
  provinceCode?: string | null;
  province?: string | null;
  zip?: string | null;
  countryCode?: string | null;
  country?: string | null;
  phone?: string | null;
}

export interface OrderCreateInput {
  lineItems?: Array<{
    variantId?: string | null;
    productId?: string | null;
    sku?: string | null;
    title?: string | null;
    variantTitle?: string | null;
    vendor?: string | null;
    quantity: number;
    priceSet?: MoneyBagInput | null;
    taxLines?: TaxLineInput[] | null;
    requiresShipping?: boolean | null;
    taxable?: boolean | null;
    giftCard?: boolean | null;
    properties?: Array<{ name: string; value: string }> | null;
  }> | null;
  shippingLines?: Array<{
    title: string;
    code?: string | null;
    source?: string | null;
    priceSet: MoneyBagInput;
    taxLines?: TaxLineInput[] | null;
  }> | null;
  taxLines?: TaxLineInput[] | null;
  shippingAddress?: AddressInput | null;
  billingAddress?: AddressInput | null;
  customer?: {
    toAssociate?: { id?: string | null; email?: string | null } | null;
    toUpsert?: {
      id?: string | null;
      email?: string | null;
      firstName?: string | null;
      lastName?: string | null;
      phone?: string | null;
      note?: string | null;
      tags?: string[] | null;
      taxExempt?: boolean | null;
    } | null;
  } | null;
  customerId?: string | null;
  email?: string | null;
  phone?: string | null;
  note?: string | null;
  poNumber?: string | null;
  name?: string | null;
  sourceName?: string | null;
  sourceIdentifier?: string | null;
  sourceUrl?: string | null;
  processedAt?: string | null;
  currency?: string | null;
  presentmentCurrency?: string | null;
  taxesIncluded?: boolean | null;
  test?: boolean | null;
  tags?: string[] | null;
  customAttributes?: Array<{ key: string; value: string }> | null;
  metafields?: Array<{ namespace?: string | null; key?: string | null; value?: string | null; type?: string | null }> | null;
  transactions?: Array<{
    amountSet: MoneyBagInput;
    kind?: string | null;
    status?: string | null;
    gateway?: string | null;
    processedAt?: string | null;
    test?: boolean | null;
  }> | null;
  financialStatus?: string | null;
  fulfillmentStatus?: string | null;
}

export interface OrderCreateOptions {
  inventoryBehaviour?: string | null;
  sendReceipt?: boolean | null;
  sendFulfillmentReceipt?: boolean | null;
}

type Behaviour = OrderRec["inventoryBehaviour"];

class InputError extends Error {
  constructor(
    message: string,
    readonly field: Array<string | number>,
    readonly code = "INVALID",
  ) {
    super(message);
  }
}

function moneyPairOf(bag: MoneyBagInput, currency: string, presentmentCurrency: string, field: Array<string | number>): MoneyPair {
  if (bag.shopMoney.currencyCode !== currency) {
    throw new InputError(
      `shopMoney currency ${bag.shopMoney.currencyCode} does not match the order currency ${currency}.`,
      [...field, "shopMoney", "currencyCode"],
    );
  }
  try {
    const shop = parseMoney(bag.shopMoney.amount, currency);
    const presentment = bag.presentmentMoney
      ? parseMoney(bag.presentmentMoney.amount, bag.presentmentMoney.currencyCode)
      : { minor: shop.minor, currency: presentmentCurrency };
    return { shop, presentment };
  } catch (err) {
    if (err instanceof MoneyParseError) throw new InputError(err.message, [...field, "shopMoney", "amount"]);
    throw err;
  }
}

function taxLinesOf(
  lines: TaxLineInput[] | null | undefined,
  base: MoneyPair,
  currency: string,
  presentmentCurrency: string,
  field: Array<string | number>,
): TaxLineRec[] {
  return (lines ?? []).map((t, i) => {
    const rate = Number(t.rate);
    if (!Number.isFinite(rate)) throw new InputError("Tax line rate is missing.", [...field, i, "rate"], "TAX_LINE_RATE_MISSING");
    // The amount given is kept as is; only a tax line without priceSet is derived from its rate.
    const price = t.priceSet
      ? moneyPairOf(t.priceSet, currency, presentmentCurrency, [...field, i, "priceSet"])
      : {
          shop: { minor: Math.round(base.shop.minor * rate), currency },
          presentment: { minor: Math.round(base.presentment.minor * rate), currency: presentmentCurrency },
        };
    return { title: t.title, rate, price, channelLiable: t.channelLiable ?? false };
  });
}

export function addressOf(a: AddressInput | null | undefined): AddressRec | null {
  if (!a) return null;
  return {
    firstName: a.firstName ?? null,
    lastName: a.lastName ?? null,
    company: a.company ?? null,
    address1: a.address1 ?? null,
    address2: a.address2 ?? null,
    city: a.city ?? null,
    provinceCode: a.provinceCode ?? a.province ?? null,
    zip: a.zip ?? null,
    countryCode: a.countryCode ?? null,
    phone: a.phone ?? null,
  };
}

function resolveCustomer(store: SimStore, shop: ShopRec, input: OrderCreateInput): number | null {
  if (input.customerId && input.customer) {
    throw new InputError("Cannot specify both customerId and customer.", ["order", "customer"], "REDUNDANT_CUSTOMER_FIELDS");
  }
  if (input.customerId) {
    const id = idOf(input.customerId, "Customer");
    if (id === null || !shop.customers.has(id)) throw new InputError("Customer does not exist.", ["order", "customerId"]);
    return id;
  }
  const c = input.customer;
  if (!c) return null;
  if (c.toAssociate && c.toUpsert) {
    throw new InputError("Specify either toAssociate or toUpsert, not both.", ["order", "customer"], "REDUNDANT_CUSTOMER_FIELDS");
  }
  const customers = [...shop.customers.values()];
  if (c.toAssociate) {
    const byId = c.toAssociate.id ? idOf(c.toAssociate.id, "Customer") : null;
    const found =
      (byId !== null ? shop.customers.get(byId) : undefined) ??
      (c.toAssociate.email ? customers.find((x) => x.email?.toLowerCase() === c.toAssociate?.email?.toLowerCase()) : undefined);
    if (!found) throw new InputError("Customer does not exist.", ["order", "customer", "toAssociate"]);
    return found.id;
  }
  if (c.toUpsert) {
    const u = c.toUpsert;
    const byId = u.id ? idOf(u.id, "Customer") : null;
    let found: CustomerRec | undefined =
      (byId !== null ? shop.customers.get(byId) : undefined) ??
      (u.email ? customers.find((x) => x.email?.toLowerCase() === u.email?.toLowerCase()) : undefined);
    const t = store.now();
    if (!found) {
      if (!u.email && !u.phone) throw new InputError("Customer must have an email or a phone.", ["order", "customer", "toUpsert"]);
      found = {
        id: store.ids.next(),
        email: u.email ?? null,
        phone: u.phone ?? null,
        firstName: u.firstName ?? null,
        lastName: u.lastName ?? null,
        note: u.note ?? null,
        tags: u.tags ?? [],
        taxExempt: u.taxExempt ?? false,
        createdAt: t,
        updatedAt: t,
      };
      shop.customers.set(found.id, found);
    } else {
      found.firstName = u.firstName ?? found.firstName;
      found.lastName = u.lastName ?? found.lastName;
      found.phone = u.phone ?? found.phone;
      found.note = u.note ?? found.note;
      found.updatedAt = t;
    }
    return found.id;
  }
  return null;
}

function normalizeTags(tags: readonly string[]): string[] {
  const out: string[] = [];
  for (const raw of tags) {
    const t = raw.trim();
    if (t && !out.some((x) => x.toLowerCase() === t.toLowerCase())) out.push(t);
  }
  return out;
}

export { normalizeTags };

/** Active locations in creation order (the first one plays the primary location). */
export function activeLocations(shop: ShopRec) {
  return [...shop.locations.values()].filter((l) => l.isActive);
}

interface PlannedLine {
  rec: LineItemRec;
  inventoryItemId: number | null;
  tracked: boolean;
  policy: "DENY" | "CONTINUE";
}

/**
 * Picks a location per line: the first active location holding enough available stock, else the first that stocks
 * the item. DECREMENT_OBEYING_POLICY refuses (INVENTORY_CLAIM_FAILED) when no location can cover a DENY-policy line.
 */
function planInventory(shop: ShopRec, lines: PlannedLine[], behaviour: Behaviour): void {
  const locations = activeLocations(shop);
  const primary = locations[0];
  if (!primary) throw new InputError("The shop has no active location.", ["order"]);
  const demand = new Map<string, number>(); // itemId:locationId -> units claimed by earlier lines of this order
  lines.forEach((line, index) => {
    const li = line.rec;
    li.locationId = primary.id;
    if (line.inventoryItemId === null) return;
    const itemId = line.inventoryItemId;
    const stocked = locations.filter((l) => levelAt(shop, itemId, l.id));
    const withStock = stocked.find((l) => {
      const level = levelAt(shop, itemId, l.id);
      const already = demand.get(`${itemId}:${l.id}`) ?? 0;
      return level !== undefined && level.quantities.available - already >= li.quantity;
    });
    const chosen = withStock ?? stocked[0];
    if (chosen) li.locationId = chosen.id;
    const claims = behaviour !== "BYPASS" && line.tracked;
    if (!claims) return;
    if (!withStock && behaviour === "DECREMENT_OBEYING_POLICY" && line.policy === "DENY") {
      throw new InputError(
        `Unable to reserve inventory for ${li.sku ?? li.title}: not enough available.`,
        ["order", "lineItems", index, "quantity"],
        "INVENTORY_CLAIM_FAILED",
      );
    }
    if (!chosen) return; // not stocked anywhere: nothing to decrement
    li.claimsInventory = true;
    li.committed = li.quantity;
    const key = `${itemId}:${chosen.id}`;
    demand.set(key, (demand.get(key) ?? 0) + li.quantity);
  });
}

export function claimLine(store: SimStore, shop: ShopRec, li: LineItemRec, units: number): void {
  if (li.variantId === null || units === 0) return;
  const variant = shop.variants.get(li.variantId);
  if (!variant) return;
  const level = levelAt(shop, variant.inventoryItemId, li.locationId);
  if (!level) return;
  applyDeltas(store, shop, level, { available: -units, committed: units });
}

export function buildFulfillmentOrders(store: SimStore, order: OrderRec, lines: LineItemRec[]): FulfillmentOrderRec[] {
  const byLocation = new Map<number, LineItemRec[]>();
  for (const li of lines) byLocation.set(li.locationId, [...(byLocation.get(li.locationId) ?? []), li]);
  const t = store.now();
  return [...byLocation.entries()].map(([locationId, ls]) => ({
    id: store.ids.next(),
    locationId,
    status: "OPEN" as const,
    createdAt: t,
    updatedAt: t,
    lines: ls.map((li) => ({ id: store.ids.next(), lineItemId: li.id, totalQuantity: li.quantity, remainingQuantity: li.quantity })),
  }));
}

export interface CreateOrderContext {
  /** The creating app (our app for orderCreate; null for storefront/merchant orders). */
  appId: number | null;
}

export function createOrder(
  store: SimStore,
  shop: ShopRec,
  input: OrderCreateInput,
  options: OrderCreateOptions | null | undefined,
  ctx: CreateOrderContext,
): Outcome<OrderRec> {
  try {
    return ok(buildOrder(store, shop, input, options ?? {}, ctx));
  } catch (err) {
    if (err instanceof InputError) return fail(err.message, err.field, err.code);
    throw err;
  }
}

function buildOrder(
  store: SimStore,
  shop: ShopRec,
  input: OrderCreateInput,
  options: OrderCreateOptions,
  ctx: CreateOrderContext,
): OrderRec {
  const t = store.now();
  const currency = input.currency ?? shop.currency;
  const presentmentCurrency = input.presentmentCurrency ?? currency;
  const behaviour = (options.inventoryBehaviour ?? "BYPASS") as Behaviour;
  let processedAt = t;
  if (input.processedAt) {
    processedAt = Date.parse(input.processedAt);
    if (Number.isNaN(processedAt)) throw new InputError("processedAt is invalid.", ["order", "processedAt"], "PROCESSED_AT_INVALID");
    if (processedAt > t + 1000) {
      throw new InputError("processedAt can't be in the future.", ["order", "processedAt"], "PROCESSED_AT_INVALID");
    }
  }
  const inputLines = input.lineItems ?? [];
  if (inputLines.length === 0) throw new InputError("Line items must have at least one line item.", ["order", "lineItems"]);
  if (input.taxLines?.length && inputLines.some((l) => l.taxLines?.length)) {
    throw new InputError("Tax lines can be given on the order or on its line items, not both.", ["order", "taxLines"]);
  }
  const planned: PlannedLine[] = inputLines.map((l, i) => {
    const field = ["order", "lineItems", i];
    if (!Number.isInteger(l.quantity) || l.quantity <= 0) throw new InputError("Quantity must be greater than 0.", [...field, "quantity"]);
    let variant = null;
    if (l.variantId) {
      const vid = idOf(l.variantId, "ProductVariant");
      variant = vid === null ? undefined : shop.variants.get(vid);
      if (!variant) throw new InputError(`Variant ${l.variantId} does not exist.`, [...field, "variantId"]);
    }
    const product = variant ? shop.products.get(variant.productId) : undefined;
    const item = variant ? shop.inventoryItems.get(variant.inventoryItemId) : undefined;
    if (!variant && !l.title) throw new InputError("Title can't be blank for a line item without a variant.", [...field, "title"]);
    let unitPrice: MoneyPair;
    if (l.priceSet) unitPrice = moneyPairOf(l.priceSet, currency, presentmentCurrency, [...field, "priceSet"]);
    else if (variant) unitPrice = pair(variant.price, { minor: variant.price.minor, currency: presentmentCurrency });
    else throw new InputError("priceSet is required for a line item without a variant.", [...field, "priceSet"]);
    const lineTotal = timesPair(unitPrice, l.quantity);
    const rec: LineItemRec = {
      id: store.ids.next(),
      variantId: variant?.id ?? null,
      productId: variant?.productId ?? null,
      sku: l.sku ?? variant?.sku ?? null,
      title: l.title ?? product?.title ?? "",
      variantTitle: l.variantTitle ?? (variant && variant.title !== "Default Title" ? variant.title : null),
      vendor: l.vendor ?? product?.vendor ?? null,
      originalQuantity: l.quantity,
      quantity: l.quantity,
      taxBaseQuantity: l.quantity,
      removedByEdit: 0,
      refundedUnfulfilled: 0,
      refundedFulfilled: 0,
      cancelledQuantity: 0,
      unitPrice,
      taxLines: taxLinesOf(l.taxLines, lineTotal, currency, presentmentCurrency, [...field, "taxLines"]),
      requiresShipping: l.requiresShipping ?? (item ? item.requiresShipping : false),
      taxable: l.taxable ?? true,
      giftCard: l.giftCard ?? false,
      properties: l.properties ?? [],
      locationId: 0,
      committed: 0,
      claimsInventory: false,
    };
    return {
      rec,
      inventoryItemId: item?.id ?? null,
      tracked: item?.tracked ?? false,
      policy: variant?.inventoryPolicy ?? "DENY",
    };
  });
  planInventory(shop, planned, behaviour);
  const shippingLines: ShippingLineRec[] = (input.shippingLines ?? []).map((s, i) => {
    const price = moneyPairOf(s.priceSet, currency, presentmentCurrency, ["order", "shippingLines", i, "priceSet"]);
    return {
      id: store.ids.next(),
      title: s.title,
      code: s.code ?? null,
      source: s.source ?? null,
      price,
      taxLines: taxLinesOf(s.taxLines, price, currency, presentmentCurrency, ["order", "shippingLines", i, "taxLines"]),
    };
  });
  const lines = planned.map((p) => p.rec);
  const subtotalBase = { currency, presentmentCurrency };
  const subtotal = addPairs(subtotalBase, lines.map((li) => timesPair(li.unitPrice, li.quantity)));
  const orderTaxLines = taxLinesOf(input.taxLines, subtotal, currency, presentmentCurrency, ["order", "taxLines"]);
  const shipping = addPairs(subtotalBase, shippingLines.map((s) => s.price));
  const tax = addPairs(subtotalBase, [
    ...lines.flatMap((li) => li.taxLines.map((x) => x.price)),
    ...shippingLines.flatMap((s) => s.taxLines.map((x) => x.price)),
    ...orderTaxLines.map((x) => x.price),
  ]);
  const total = addPairs(subtotalBase, input.taxesIncluded ? [subtotal, shipping] : [subtotal, shipping, tax]);
  const transactions: TransactionRec[] = (input.transactions ?? []).map((tx, i) => ({
    id: store.ids.next(),
    kind: tx.kind ?? "SALE",
    status: tx.status ?? "SUCCESS",
    gateway: tx.gateway ?? "manual",
    amount: moneyPairOf(tx.amountSet, currency, presentmentCurrency, ["order", "transactions", i, "amountSet"]),
    parentId: null,
    test: tx.test ?? false,
    processedAt: tx.processedAt ? Date.parse(tx.processedAt) : processedAt,
    createdAt: t,
  }));
  const metafieldInputs = input.metafields ?? [];
  metafieldInputs.forEach((m, i) => {
    if (!m.namespace || !m.key || m.value === null || m.value === undefined || !m.type) {
      throw new InputError("Metafields need namespace, key, value and type.", ["order", "metafields", i]);
    }
    if (m.key.length < 2 || m.key.length > 64) throw new InputError("Key must be 2 to 64 characters.", ["order", "metafields", i, "key"]);
    // The order does not exist yet, so any holder of the value is another order.
    if (violatesUniqueness(shop, "gid://shopify/Order/0", resolveNamespace(store, m.namespace), m.key, m.value)) {
      throw new InputError(`Metafield ${m.namespace}.${m.key}: value has already been taken.`, ["order", "metafields", i, "value"]);
    }
  });
  // Last validation step, because it may create the customer (a side effect).
  const customerId = resolveCustomer(store, shop, input);
  const number = shop.nextOrderNumber++;
  const order: OrderRec = {
    id: store.ids.next(),
    number,
    name: input.name ?? `#${number}`,
    createdAt: t,
    updatedAt: t,
    processedAt,
    cancelledAt: null,
    cancelReason: null,
    cancelStaffNote: null,
    closedAt: null,
    email: input.email ?? (customerId !== null ? (shop.customers.get(customerId)?.email ?? null) : null),
    phone: input.phone ?? null,
    note: input.note ?? null,
    poNumber: input.poNumber ?? null,
    tags: normalizeTags(input.tags ?? []),
    sourceName: input.sourceName ?? (ctx.appId !== null ? String(ctx.appId) : "web"),
    sourceIdentifier: input.sourceIdentifier ?? null,
    sourceUrl: input.sourceUrl ?? null,
    currency,
    presentmentCurrency,
    taxesIncluded: input.taxesIncluded ?? false,
    test: input.test ?? false,
    financialStatusOverride: input.financialStatus ?? null,
    customAttributes: (input.customAttributes ?? []).map((a) => ({ key: a.key, value: a.value })),
    shippingAddress: addressOf(input.shippingAddress),
    billingAddress: addressOf(input.billingAddress),
    customerId,
    lineItems: lines,
    shippingLines,
    taxLines: orderTaxLines,
    originalTotals: { subtotal, shipping, tax, total },
    transactions,
    fulfillmentOrders: [],
    fulfillments: [],
    refunds: [],
    edited: false,
    appId: ctx.appId,
    inventoryBehaviour: behaviour,
    restockedOnCancel: false,
  };
  // Everything validated: from here on the order exists and side effects happen.
  for (const li of lines) if (li.claimsInventory) claimLine(store, shop, li, li.committed);
  order.fulfillmentOrders = buildFulfillmentOrders(store, order, lines);
  shop.orders.set(order.id, order);
  for (const m of metafieldInputs) {
    setMetafield(store, shop, {
      ownerId: gid("Order", order.id),
      namespace: m.namespace ?? "",
      key: m.key ?? "",
      value: m.value ?? "",
      type: m.type ?? "single_line_text_field",
    });
  }
  if (input.fulfillmentStatus === "FULFILLED") {
    // Imports of already-shipped orders: one fulfilment of everything, no tracking, no webhook of its own beyond
    // what Shopify sends for the order.
    createFulfillment(
      store,
      shop,
      { lineItemsByFulfillmentOrder: order.fulfillmentOrders.map((fo) => ({ fulfillmentOrderId: gid("FulfillmentOrder", fo.id) })) },
      { silent: true },
    );
  }
  store.emit(shop, "orders/create", orderPayload(shop, order));
  return order;
}

export type { Money };
