/** Orders and everything hanging off them: line items, fulfilment orders, fulfilments, refunds, transactions. */
import { connection, type PageArgs } from "../connection";
import { gid } from "../ids";
import type {
  CustomerRec,
  FulfillmentOrderLineRec,
  FulfillmentOrderRec,
  FulfillmentRec,
  LineItemRec,
  OrderRec,
  RefundRec,
  ShippingLineRec,
  TaxLineRec,
  TransactionRec,
} from "../model";
import {
  addPairs,
  currentQuantity,
  currentTotals,
  financialStatus,
  fulfilledQuantity,
  fulfillmentStatus,
  refundableQuantity,
  refundedShipping,
  timesPair,
  unfulfilledQuantity,
  zeroPair,
} from "../domain/order-math";
import { compileSearch, matchDate, matchNumber, matchString, type SearchSpec } from "../search-query";
import { gqlTime } from "../time";
import { inventoryItemIdOfVariant } from "./lookups";
import { count, legacyId, mailingAddressView, metafieldFields, moneyBag, moneyV2 } from "./common-views";
import { locationView, productView, variantView } from "./catalog-views";
import { recordSearchWarnings } from "./search-warnings";
import type { ViewCtx } from "./view-context";

function list<T>(items: T[], args: { first?: number | null }): T[] {
  return typeof args.first === "number" ? items.slice(0, args.first) : items;
}

export function taxLineView(t: TaxLineRec) {
  return {
    title: t.title,
    rate: t.rate,
    ratePercentage: Math.round(t.rate * 100_000) / 1000,
    priceSet: moneyBag(t.price),
    channelLiable: t.channelLiable,
    source: null,
  };
}

export function customerView(ctx: ViewCtx, c: CustomerRec) {
  return {
    __typename: "Customer",
    id: gid("Customer", c.id),
    legacyResourceId: legacyId(c.id),
    email: c.email,
    phone: c.phone,
    firstName: c.firstName,
    lastName: c.lastName,
    displayName: [c.firstName, c.lastName].filter(Boolean).join(" ") || c.email || c.phone || "",
    note: c.note,
    tags: c.tags,
    taxExempt: c.taxExempt,
    verifiedEmail: c.email !== null,
    state: "DISABLED",
    locale: "en",
    createdAt: gqlTime(c.createdAt),
    updatedAt: gqlTime(c.updatedAt),
    defaultEmailAddress: c.email ? { emailAddress: c.email, validFormat: true } : null,
    defaultPhoneNumber: c.phone ? { phoneNumber: c.phone } : null,
    get numberOfOrders() {
      return String([...ctx.shop.orders.values()].filter((o) => o.customerId === c.id).length);
    },
    ...metafieldFields(ctx, gid("Customer", c.id)),
  };
}

export function transactionView(ctx: ViewCtx, order: OrderRec, t: TransactionRec) {
  const all = () => [...order.transactions, ...order.refunds.flatMap((r) => r.transactions)];
  return {
    __typename: "OrderTransaction",
    id: gid("OrderTransaction", t.id),
    kind: t.kind,
    status: t.status,
    gateway: t.gateway,
    formattedGateway: t.gateway,
    manualPaymentGateway: t.gateway === "manual",
    manuallyCapturable: false,
    multiCapturable: false,
    test: t.test,
    amountSet: moneyBag(t.amount),
    createdAt: gqlTime(t.createdAt),
    processedAt: gqlTime(t.processedAt),
    errorCode: null,
    authorizationExpiresAt: null,
    receiptJson: null,
    paymentId: null,
    accountNumber: null,
    settlementCurrency: null,
    settlementCurrencyRate: null,
    totalUnsettledSet: null,
    amountRoundingSet: null,
    paymentDetails: null,
    fees: [],
    location: null,
    user: null,
    device: null,
    maximumRefundableV2: t.kind === "SALE" || t.kind === "CAPTURE" ? moneyV2(t.amount.shop) : null,
    parentTransaction: () => {
      const parent = all().find((x) => x.id === t.parentId);
      return parent ? transactionView(ctx, order, parent) : null;
    },
    order: () => orderView(ctx, order),
  };
}

export function shippingLineView(order: OrderRec, s: ShippingLineRec) {
  return {
    id: gid("ShippingLine", s.id),
    title: s.title,
    code: s.code,
    source: s.source,
    custom: true,
    carrierIdentifier: null,
    deliveryCategory: null,
    phone: null,
    shippingRateHandle: null,
    isRemoved: false,
    originalPriceSet: moneyBag(s.price),
    discountedPriceSet: moneyBag(s.price),
    get currentDiscountedPriceSet() {
      const refunded = order.refunds.flatMap((r) => r.shippingLines).filter((x) => x.shippingLineId === s.id);
      const left = addPairs(order, [s.price, ...refunded.map((r) => ({ shop: { ...r.subtotal.shop, minor: -r.subtotal.shop.minor }, presentment: { ...r.subtotal.presentment, minor: -r.subtotal.presentment.minor } }))]);
      return moneyBag(left);
    },
    taxLines: s.taxLines.map(taxLineView),
    discountAllocations: [],
  };
}

export function lineItemView(ctx: ViewCtx, order: OrderRec, li: LineItemRec) {
  const unitZero = zeroPair(order);
  const fulfilled = () => fulfilledQuantity(order, li);
  return {
    __typename: "LineItem",
    id: gid("LineItem", li.id),
    title: li.title,
    name: li.variantTitle ? `${li.title} - ${li.variantTitle}` : li.title,
    variantTitle: li.variantTitle,
    sku: li.sku,
    vendor: li.vendor,
    quantity: li.quantity,
    get currentQuantity() {
      return currentQuantity(li);
    },
    get refundableQuantity() {
      return refundableQuantity(li);
    },
    get unfulfilledQuantity() {
      return unfulfilledQuantity(order, li);
    },
    get fulfillableQuantity() {
      return unfulfilledQuantity(order, li);
    },
    nonFulfillableQuantity: 0,
    get fulfillmentStatus() {
      const f = fulfilled();
      return f === 0 ? "unfulfilled" : unfulfilledQuantity(order, li) === 0 ? "fulfilled" : "partial";
    },
    taxable: li.taxable,
    requiresShipping: li.requiresShipping,
    isGiftCard: li.giftCard,
    restockable: li.variantId !== null,
    canRestock: li.variantId !== null,
    merchantEditable: order.cancelledAt === null,
    customAttributes: li.properties.map((p) => ({ key: p.name, value: p.value })),
    discountAllocations: [],
    duties: [],
    originalUnitPriceSet: moneyBag(li.unitPrice),
    discountedUnitPriceSet: moneyBag(li.unitPrice),
    discountedUnitPriceAfterAllDiscountsSet: moneyBag(li.unitPrice),
    originalTotalSet: moneyBag(timesPair(li.unitPrice, li.quantity)),
    discountedTotalSet: () => moneyBag(timesPair(li.unitPrice, li.quantity)),
    totalDiscountSet: moneyBag(unitZero),
    get unfulfilledOriginalTotalSet() {
      return moneyBag(timesPair(li.unitPrice, unfulfilledQuantity(order, li)));
    },
    get unfulfilledDiscountedTotalSet() {
      return moneyBag(timesPair(li.unitPrice, unfulfilledQuantity(order, li)));
    },
    taxLines: (args: { first?: number | null }) => list(li.taxLines, args).map(taxLineView),
    variant: () => {
      const v = li.variantId !== null ? ctx.shop.variants.get(li.variantId) : undefined;
      return v ? variantView(ctx, v) : null;
    },
    product: () => {
      const p = li.productId !== null ? ctx.shop.products.get(li.productId) : undefined;
      return p ? productView(ctx, p) : null;
    },
    image: null,
  };
}

export function fulfillmentOrderLineView(ctx: ViewCtx, order: OrderRec, line: FulfillmentOrderLineRec) {
  const li = order.lineItems.find((x) => x.id === line.lineItemId);
  return {
    __typename: "FulfillmentOrderLineItem",
    id: gid("FulfillmentOrderLineItem", line.id),
    totalQuantity: line.totalQuantity,
    remainingQuantity: line.remainingQuantity,
    sku: li?.sku ?? null,
    productTitle: li?.title ?? "",
    variantTitle: li?.variantTitle ?? null,
    vendor: li?.vendor ?? null,
    requiresShipping: li?.requiresShipping ?? true,
    inventoryItemId: li ? inventoryItemIdOfVariant(ctx, li.variantId) : null,
    warnings: [],
    image: null,
    weight: null,
    lineItem: () => (li ? lineItemView(ctx, order, li) : null),
    variant: () => {
      const v = li?.variantId != null ? ctx.shop.variants.get(li.variantId) : undefined;
      return v ? variantView(ctx, v) : null;
    },
  };
}

export function fulfillmentOrderView(ctx: ViewCtx, order: OrderRec, fo: FulfillmentOrderRec) {
  const loc = ctx.shop.locations.get(fo.locationId);
  const a = order.shippingAddress;
  return {
    __typename: "FulfillmentOrder",
    id: gid("FulfillmentOrder", fo.id),
    status: fo.status,
    requestStatus: "UNSUBMITTED",
    createdAt: gqlTime(fo.createdAt),
    updatedAt: gqlTime(fo.updatedAt),
    orderId: gid("Order", order.id),
    orderName: order.name,
    orderProcessedAt: gqlTime(order.processedAt),
    fulfillAt: null,
    fulfillBy: null,
    channelId: null,
    fulfillmentHolds: [],
    internationalDuties: null,
    deliveryMethod: null,
    get supportedActions() {
      return fo.status === "OPEN" || fo.status === "IN_PROGRESS"
        ? ["CREATE_FULFILLMENT", "MOVE", "HOLD"].map((action) => ({ action, externalUrl: null }))
        : [];
    },
    assignedLocation: {
      name: loc?.name ?? "",
      countryCode: loc?.address.countryCode ?? "FR",
      address1: loc?.address.address1 ?? null,
      address2: loc?.address.address2 ?? null,
      city: loc?.address.city ?? null,
      province: loc?.address.provinceCode ?? null,
      zip: loc?.address.zip ?? null,
      phone: loc?.address.phone ?? null,
      location: () => (loc ? locationView(ctx, loc) : null),
    },
    destination: a
      ? {
          __typename: "FulfillmentOrderDestination",
          id: gid("FulfillmentOrder", fo.id),
          firstName: a.firstName,
          lastName: a.lastName,
          company: a.company,
          address1: a.address1,
          address2: a.address2,
          city: a.city,
          province: a.provinceCode,
          zip: a.zip,
          countryCode: a.countryCode,
          phone: a.phone,
          email: order.email,
          location: null,
        }
      : null,
    order: () => orderView(ctx, order),
    lineItems: (args: PageArgs) =>
      connection(fo.lines, args, { id: (l) => l.id, view: (l) => fulfillmentOrderLineView(ctx, order, l), unbounded: ctx.unbounded }),
    fulfillments: (args: PageArgs) =>
      connection(
        order.fulfillments.filter((f) => f.fulfillmentOrderIds.includes(fo.id)),
        args,
        { id: (f) => f.id, view: (f) => fulfillmentView(ctx, order, f), unbounded: ctx.unbounded },
      ),
  };
}

export function fulfillmentView(ctx: ViewCtx, order: OrderRec, f: FulfillmentRec) {
  const loc = ctx.shop.locations.get(f.locationId);
  return {
    __typename: "Fulfillment",
    id: gid("Fulfillment", f.id),
    legacyResourceId: legacyId(f.id),
    name: f.name,
    status: f.status,
    displayStatus: f.status === "SUCCESS" ? "FULFILLED" : "CANCELED",
    createdAt: gqlTime(f.createdAt),
    updatedAt: gqlTime(f.updatedAt),
    deliveredAt: null,
    estimatedDeliveryAt: null,
    inTransitAt: null,
    requiresShipping: true,
    totalQuantity: f.lines.reduce((a, l) => a + l.quantity, 0),
    service: null,
    originAddress: null,
    trackingInfo: (args: { first?: number | null }) => list(f.tracking, args).map((t) => ({ company: t.company, number: t.number, url: t.url })),
    location: () => (loc ? locationView(ctx, loc) : null),
    order: () => orderView(ctx, order),
    events: (args: PageArgs) => connection([] as Array<{ id: number }>, args, { id: (x) => x.id, view: (x) => x, unbounded: ctx.unbounded }),
    fulfillmentLineItems: (args: PageArgs) =>
      connection(f.lines, args, {
        id: (l) => l.id,
        unbounded: ctx.unbounded,
        view: (l) => {
          const li = order.lineItems.find((x) => x.id === l.lineItemId);
          const total = li ? timesPair(li.unitPrice, l.quantity) : zeroPair(order);
          return {
            __typename: "FulfillmentLineItem",
            id: gid("FulfillmentLineItem", l.id),
            quantity: l.quantity,
            originalTotalSet: moneyBag(total),
            discountedTotalSet: moneyBag(total),
            lineItem: () => (li ? lineItemView(ctx, order, li) : null),
          };
        },
      }),
    fulfillmentOrders: (args: PageArgs) =>
      connection(
        order.fulfillmentOrders.filter((fo) => f.fulfillmentOrderIds.includes(fo.id)),
        args,
        { id: (fo) => fo.id, view: (fo) => fulfillmentOrderView(ctx, order, fo), unbounded: ctx.unbounded },
      ),
  };
}

export function refundView(ctx: ViewCtx, order: OrderRec, r: RefundRec) {
  const refunded = addPairs(order, r.transactions.filter((t) => t.status === "SUCCESS").map((t) => t.amount));
  return {
    __typename: "Refund",
    id: gid("Refund", r.id),
    legacyResourceId: legacyId(r.id),
    note: r.note,
    createdAt: gqlTime(r.createdAt),
    updatedAt: gqlTime(r.createdAt),
    processedAt: gqlTime(r.processedAt),
    totalRefundedSet: moneyBag(refunded),
    totalRefunded: moneyV2(refunded.shop),
    duties: [],
    return: null,
    staffMember: null,
    order: () => orderView(ctx, order),
    refundLineItems: (args: PageArgs) =>
      connection(r.lines, args, {
        id: (l) => l.id,
        unbounded: ctx.unbounded,
        view: (l) => {
          const li = order.lineItems.find((x) => x.id === l.lineItemId);
          const loc = l.locationId !== null ? ctx.shop.locations.get(l.locationId) : undefined;
          return {
            id: gid("RefundLineItem", l.id),
            quantity: l.quantity,
            restockType: l.restockType,
            restocked: l.restocked,
            priceSet: moneyBag(li ? li.unitPrice : zeroPair(order)),
            subtotalSet: moneyBag(l.subtotal),
            totalTaxSet: moneyBag(l.totalTax),
            lineItem: () => (li ? lineItemView(ctx, order, li) : null),
            location: () => (loc ? locationView(ctx, loc) : null),
          };
        },
      }),
    refundShippingLines: (args: PageArgs) =>
      connection(r.shippingLines, args, {
        id: (l) => l.id,
        unbounded: ctx.unbounded,
        view: (l) => {
          const s = order.shippingLines.find((x) => x.id === l.shippingLineId);
          return {
            __typename: "RefundShippingLine",
            id: gid("RefundShippingLine", l.id),
            subtotalAmountSet: moneyBag(l.subtotal),
            taxAmountSet: moneyBag(l.tax),
            shippingLine: () => (s ? shippingLineView(order, s) : null),
          };
        },
      }),
    transactions: (args: PageArgs) =>
      connection(r.transactions, args, { id: (t) => t.id, view: (t) => transactionView(ctx, order, t), unbounded: ctx.unbounded }),
    orderAdjustments: (args: PageArgs) => connection([] as Array<{ id: number }>, args, { id: (x) => x.id, view: (x) => x, unbounded: ctx.unbounded }),
  };
}

export function orderView(ctx: ViewCtx, order: OrderRec) {
  const totals = () => currentTotals(order);
  const customer = () => (order.customerId !== null ? ctx.shop.customers.get(order.customerId) : undefined);
  const t = order.originalTotals;
  return {
    __typename: "Order",
    id: gid("Order", order.id),
    legacyResourceId: legacyId(order.id),
    name: order.name,
    number: order.number - 1000,
    email: order.email,
    phone: order.phone,
    note: order.note,
    poNumber: order.poNumber,
    get tags() {
      return order.tags;
    },
    createdAt: gqlTime(order.createdAt),
    get updatedAt() {
      return gqlTime(order.updatedAt);
    },
    processedAt: gqlTime(order.processedAt),
    get cancelledAt() {
      return gqlTime(order.cancelledAt);
    },
    get cancelReason() {
      return order.cancelReason;
    },
    get cancellation() {
      return order.cancelledAt === null ? null : { staffNote: order.cancelStaffNote };
    },
    get closed() {
      return order.closedAt !== null;
    },
    get closedAt() {
      return gqlTime(order.closedAt);
    },
    confirmed: true,
    confirmationNumber: null,
    test: order.test,
    get edited() {
      return order.edited;
    },
    currencyCode: order.currency,
    presentmentCurrencyCode: order.presentmentCurrency,
    taxesIncluded: order.taxesIncluded,
    taxExempt: false,
    dutiesIncluded: false,
    estimatedTaxes: false,
    sourceName: order.sourceName,
    sourceIdentifier: order.sourceIdentifier,
    registeredSourceUrl: order.sourceUrl,
    discountCode: null,
    discountCodes: [],
    paymentGatewayNames: [...new Set(order.transactions.map((x) => x.gateway).filter((g): g is string => Boolean(g)))],
    returnStatus: "NO_RETURN",
    statusPageUrl: `https://${ctx.shop.domain}/orders/${order.id}/authenticate`,
    app: order.appId !== null ? { id: gid("App", order.appId), name: "Mirakl Connector", icon: null } : null,
    get displayFinancialStatus() {
      return financialStatus(order);
    },
    get displayFulfillmentStatus() {
      return fulfillmentStatus(order);
    },
    get fullyPaid() {
      return ["PAID", "PARTIALLY_REFUNDED", "REFUNDED"].includes(financialStatus(order));
    },
    get unpaid() {
      return ["PENDING", "AUTHORIZED"].includes(financialStatus(order));
    },
    get canMarkAsPaid() {
      return ["PENDING", "PARTIALLY_PAID"].includes(financialStatus(order)) && order.cancelledAt === null;
    },
    capturable: false,
    get refundable() {
      return order.lineItems.some((li) => refundableQuantity(li) > 0);
    },
    get restockable() {
      return order.lineItems.some((li) => li.variantId !== null && refundableQuantity(li) > 0);
    },
    get fulfillable() {
      return order.cancelledAt === null && order.lineItems.some((li) => unfulfilledQuantity(order, li) > 0);
    },
    get requiresShipping() {
      return order.lineItems.some((li) => li.requiresShipping);
    },
    get merchantEditable() {
      return order.cancelledAt === null;
    },
    get merchantEditableErrors() {
      return order.cancelledAt === null ? [] : ["Order is cancelled."];
    },
    customAttributes: order.customAttributes.map((a) => ({ key: a.key, value: a.value })),
    customer: () => {
      const c = customer();
      return c ? customerView(ctx, c) : null;
    },
    shippingAddress: mailingAddressView(order.shippingAddress, order.id),
    billingAddress: mailingAddressView(order.billingAddress, order.id),
    displayAddress: mailingAddressView(order.shippingAddress ?? order.billingAddress, order.id),
    billingAddressMatchesShippingAddress: JSON.stringify(order.billingAddress) === JSON.stringify(order.shippingAddress),
    get subtotalLineItemsQuantity() {
      return order.lineItems.reduce((a, li) => a + li.originalQuantity, 0);
    },
    get currentSubtotalLineItemsQuantity() {
      return order.lineItems.reduce((a, li) => a + currentQuantity(li), 0);
    },
    subtotalPriceSet: moneyBag(t.subtotal),
    totalShippingPriceSet: moneyBag(t.shipping),
    totalTaxSet: moneyBag(t.tax),
    totalPriceSet: moneyBag(t.total),
    originalTotalPriceSet: moneyBag(t.total),
    totalDiscountsSet: moneyBag(zeroPair(order)),
    currentTotalDiscountsSet: moneyBag(zeroPair(order)),
    currentCartDiscountAmountSet: moneyBag(zeroPair(order)),
    totalCapturableSet: moneyBag(zeroPair(order)),
    totalTipReceivedSet: moneyBag(zeroPair(order)),
    get currentSubtotalPriceSet() {
      return moneyBag(totals().subtotal);
    },
    get currentShippingPriceSet() {
      return moneyBag(totals().shipping);
    },
    get currentTotalTaxSet() {
      return moneyBag(totals().tax);
    },
    get currentTotalPriceSet() {
      return moneyBag(totals().total);
    },
    get totalRefundedSet() {
      return moneyBag(totals().refunded);
    },
    get totalRefundedShippingSet() {
      return moneyBag(refundedShipping(order).subtotal);
    },
    get totalReceivedSet() {
      return moneyBag(totals().received);
    },
    get netPaymentSet() {
      return moneyBag(totals().net);
    },
    get totalOutstandingSet() {
      return moneyBag(totals().outstanding);
    },
    get taxLines() {
      const all = [...order.taxLines, ...order.lineItems.flatMap((li) => li.taxLines), ...order.shippingLines.flatMap((s) => s.taxLines)];
      return mergeTaxLines(order, all).map(taxLineView);
    },
    get currentTaxLines() {
      const all = [...order.taxLines, ...order.lineItems.flatMap((li) => li.taxLines), ...order.shippingLines.flatMap((s) => s.taxLines)];
      return mergeTaxLines(order, all).map(taxLineView);
    },
    totalWeight: "0",
    currentTotalWeight: "0",
    get fulfillmentsCount() {
      return count(order.fulfillments.length);
    },
    get shippingLine() {
      const s = order.shippingLines[0];
      return s ? shippingLineView(order, s) : null;
    },
    shippingLines: (args: PageArgs) =>
      connection(order.shippingLines, args, { id: (s) => s.id, view: (s) => shippingLineView(order, s), unbounded: ctx.unbounded }),
    lineItems: (args: PageArgs) =>
      connection(order.lineItems, args, { id: (li) => li.id, view: (li) => lineItemView(ctx, order, li), unbounded: ctx.unbounded }),
    fulfillmentOrders: (args: PageArgs & { displayable?: boolean | null; query?: string | null }) => {
      let fos = order.fulfillmentOrders;
      if (args.displayable) fos = fos.filter((fo) => fo.status !== "CANCELLED" && fo.lines.some((l) => l.totalQuantity > 0));
      const search = compileSearch<FulfillmentOrderRec>(args.query, {
        fields: {
          status: (fo, op, v) => matchString([fo.status], op, v),
          assigned_location_id: (fo, op, v) => matchNumber(fo.locationId, op, v.replace(/^gid:\/\/shopify\/Location\//, "")),
          updated_at: (fo, op, v) => matchDate(fo.updatedAt, op, v),
        },
        text: () => true,
      });
      recordSearchWarnings(ctx, ["order", "fulfillmentOrders"], args.query, search.warnings);
      return connection(fos.filter(search.predicate), args, {
        id: (fo) => fo.id,
        view: (fo) => fulfillmentOrderView(ctx, order, fo),
        unbounded: ctx.unbounded,
      });
    },
    fulfillments: (args: { first?: number | null }) => list(order.fulfillments, args).map((f) => fulfillmentView(ctx, order, f)),
    refunds: (args: { first?: number | null }) => list(order.refunds, args).map((r) => refundView(ctx, order, r)),
    transactions: (args: { first?: number | null }) =>
      list([...order.transactions, ...order.refunds.flatMap((r) => r.transactions)], args).map((x) => transactionView(ctx, order, x)),
    ...metafieldFields(ctx, gid("Order", order.id)),
  };
}

function mergeTaxLines(order: OrderRec, lines: TaxLineRec[]): TaxLineRec[] {
  const byKey = new Map<string, TaxLineRec>();
  for (const l of lines) {
    const key = `${l.title}\u0000${l.rate}`;
    const prev = byKey.get(key);
    byKey.set(key, prev ? { ...prev, price: addPairs(order, [prev.price, l.price]) } : l);
  }
  return [...byKey.values()];
}

/** orders(query:) filters (notes.md §4.1, §3.4: dedupe and reconciliation read these). */
export const orderSearch = (): SearchSpec<OrderRec> => ({
  fields: {
    tag: (o, op, v) => matchString(o.tags, op, v),
    tag_not: (o, op, v) => !matchString(o.tags, op, v),
    name: (o, op, v) => matchString([o.name, o.name.replace(/^#/, "")], op, v.replace(/^#/, "")) || matchString([o.name], op, v),
    source_identifier: (o, op, v) => matchString([o.sourceIdentifier], op, v),
    source_name: (o, op, v) => matchString([o.sourceName], op, v),
    updated_at: (o, op, v) => matchDate(o.updatedAt, op, v),
    created_at: (o, op, v) => matchDate(o.createdAt, op, v),
    processed_at: (o, op, v) => matchDate(o.processedAt, op, v),
    id: (o, op, v) => matchNumber(o.id, op, v.replace(/^gid:\/\/shopify\/Order\//, "")),
    email: (o, op, v) => matchString([o.email], op, v),
    sku: (o, op, v) => matchString(o.lineItems.map((li) => li.sku), op, v),
    financial_status: (o, op, v) => matchString([financialStatus(o)], op, v),
    fulfillment_status: (o, op, v) => {
      const s = fulfillmentStatus(o);
      const rest = s === "UNFULFILLED" ? "unshipped" : s === "PARTIALLY_FULFILLED" ? "partial" : s === "FULFILLED" ? "shipped" : s;
      return matchString([s, rest], op, v);
    },
    status: (o, _op, v) => {
      const val = v.toLowerCase();
      if (val === "any") return true;
      if (val === "cancelled") return o.cancelledAt !== null;
      if (val === "closed") return o.closedAt !== null;
      if (val === "open") return o.closedAt === null && o.cancelledAt === null;
      return false;
    },
    test: (o, _op, v) => String(o.test) === v.toLowerCase(),
  },
  text: (o, v) => {
    const val = v.toLowerCase();
    return [o.name, o.email, o.sourceIdentifier, ...o.lineItems.map((li) => li.sku)].some((s) => s?.toLowerCase().includes(val));
  },
});

export function orderSortValue(sortKey: string | null | undefined): (o: OrderRec) => number | string {
  switch (sortKey) {
    case "CREATED_AT":
      return (o) => o.createdAt;
    case "UPDATED_AT":
      return (o) => o.updatedAt;
    case "ORDER_NUMBER":
      return (o) => o.number;
    case "TOTAL_PRICE":
      return (o) => o.originalTotals.total.shop.minor;
    case "CURRENT_TOTAL_PRICE":
      return (o) => currentTotals(o).total.shop.minor;
    case "ID":
      return (o) => o.id;
    default:
      return (o) => o.processedAt;
  }
}
