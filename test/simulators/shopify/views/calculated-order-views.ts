/** CalculatedOrder / CalculatedLineItem: the staged state of an order edit session (notes.md §4.2). */
import { connection, type PageArgs } from "../connection";
import { gid } from "../ids";
import type { EditSessionRec, OrderRec } from "../model";
import { calculatedLines, type CalculatedLine } from "../domain/order-edit";
import { addPairs, timesPair, zeroPair } from "../domain/order-math";
import { moneyBag } from "./common-views";
import { variantView } from "./catalog-views";
import { orderView } from "./order-views";
import type { ViewCtx } from "./view-context";

function unitPrice(order: OrderRec, line: CalculatedLine) {
  if (line.lineItem) return line.lineItem.unitPrice;
  if (line.variant) return { shop: line.variant.price, presentment: { minor: line.variant.price.minor, currency: order.presentmentCurrency } };
  return zeroPair(order);
}

export function calculatedLineItemView(ctx: ViewCtx, order: OrderRec, line: CalculatedLine) {
  const price = unitPrice(order, line);
  const locked = line.quantity - line.editableQuantity;
  return {
    __typename: "CalculatedLineItem",
    id: gid("CalculatedLineItem", line.calcId),
    quantity: line.quantity,
    editableQuantity: line.editableQuantity,
    editableQuantityBeforeChanges: line.editableQuantityBeforeChanges,
    editableSubtotalSet: moneyBag(timesPair(price, line.editableQuantity)),
    uneditableSubtotalSet: moneyBag(timesPair(price, Math.max(0, locked))),
    originalUnitPriceSet: moneyBag(price),
    discountedUnitPriceSet: moneyBag(price),
    sku: line.lineItem?.sku ?? line.variant?.sku ?? null,
    title: line.lineItem?.title ?? (line.variant ? (ctx.shop.products.get(line.variant.productId)?.title ?? "") : ""),
    variantTitle: line.lineItem?.variantTitle ?? line.variant?.title ?? null,
    restockable: line.variant !== null,
    restocking: line.restocking,
    hasStagedLineItemDiscount: false,
    calculatedDiscountAllocations: [],
    customAttributes: [],
    stagedChanges: [],
    image: null,
    variant: () => (line.variant ? variantView(ctx, line.variant) : null),
  };
}

export function calculatedOrderView(ctx: ViewCtx, order: OrderRec, session: EditSessionRec) {
  const lines = () => calculatedLines(ctx.shop, order, session);
  const subtotal = () => addPairs(order, lines().map((l) => timesPair(unitPrice(order, l), l.quantity)));
  const conn = (items: CalculatedLine[], args: PageArgs) =>
    connection(items, args, { id: (l) => l.calcId, view: (l) => calculatedLineItemView(ctx, order, l), unbounded: ctx.unbounded });
  return {
    __typename: "CalculatedOrder",
    id: gid("CalculatedOrder", session.id),
    originalOrder: () => orderView(ctx, order),
    lineItems: (args: PageArgs) => conn(lines(), args),
    addedLineItems: (args: PageArgs) => conn(lines().filter((l) => l.lineItem === null), args),
    stagedChanges: (args: PageArgs) => connection([] as Array<{ id: number }>, args, { id: (x) => x.id, view: (x) => x, unbounded: ctx.unbounded }),
    addedDiscountApplications: (args: PageArgs) =>
      connection([] as Array<{ id: number }>, args, { id: (x) => x.id, view: (x) => x, unbounded: ctx.unbounded }),
    get subtotalLineItemsQuantity() {
      return lines().reduce((a, l) => a + l.quantity, 0);
    },
    get subtotalPriceSet() {
      return moneyBag(subtotal());
    },
    get totalPriceSet() {
      return moneyBag(subtotal());
    },
    totalOutstandingSet: moneyBag(zeroPair(order)),
    cartDiscountAmountSet: null,
    taxLines: [],
    shippingLines: [],
    notificationPreviewTitle: `Order ${order.name} has been updated`,
    notificationPreviewHtml: null,
  };
}

export function orderEditSessionView(session: EditSessionRec) {
  return { __typename: "OrderEditSession", id: gid("OrderEditSession", session.sessionId) };
}
