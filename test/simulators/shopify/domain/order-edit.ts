/**
 * Native order editing (notes.md §4.2): orderEditBegin opens a session (a CalculatedOrder), orderEditSetQuantity and
 * orderEditAddVariant stage changes, orderEditCommit applies them and fires orders/edited (ids + deltas only,
 * §3.2) and orders/updated. Only unfulfilled units are editable. Added units claim stock, removed units release it
 * (restocked when `restock` is true).
 */
import { gid, idOf } from "../ids";
import type { EditSessionRec, LineItemRec, OrderRec, ShopRec, VariantRec } from "../model";
import type { SimStore } from "../store";
import { orderEditPayload, orderPayload } from "../webhooks/payloads";
import { levelAt } from "./inventory";
import { activeLocations, claimLine } from "./order-create";
import { currentQuantity, editableQuantity } from "./order-math";
import { releaseCommitted, removeUnfulfilledUnits } from "./refund";
import { refreshFulfillmentOrderStatus } from "./fulfillment";
import { fail, ok, type Outcome } from "./user-error";

export interface CalculatedLine {
  /** CalculatedLineItem numeric id: the line item id for existing lines, a fresh id for added ones. */
  calcId: number;
  lineItem: LineItemRec | null;
  variant: VariantRec | null;
  quantity: number;
  editableQuantity: number;
  editableQuantityBeforeChanges: number;
  restocking: boolean;
}

export function findSession(shop: ShopRec, calculatedOrderId: string): EditSessionRec | undefined {
  const id = idOf(calculatedOrderId, "CalculatedOrder");
  return id === null ? undefined : shop.edits.get(id);
}

export function calculatedLines(shop: ShopRec, order: OrderRec, session: EditSessionRec): CalculatedLine[] {
  const lines: CalculatedLine[] = order.lineItems
    .filter((li) => currentQuantity(li) > 0 || session.quantities.has(li.id))
    .map((li) => {
      const staged = session.quantities.get(li.id);
      const current = currentQuantity(li);
      const editable = editableQuantity(order, li);
      const quantity = staged?.quantity ?? current;
      return {
        calcId: li.id,
        lineItem: li,
        variant: li.variantId !== null ? (shop.variants.get(li.variantId) ?? null) : null,
        quantity,
        editableQuantity: editable + (quantity - current),
        editableQuantityBeforeChanges: editable,
        restocking: staged?.restock ?? false,
      };
    });
  for (const a of session.added) {
    lines.push({
      calcId: a.calcId,
      lineItem: null,
      variant: shop.variants.get(a.variantId) ?? null,
      quantity: a.quantity,
      editableQuantity: a.quantity,
      editableQuantityBeforeChanges: 0,
      restocking: false,
    });
  }
  return lines;
}

export function beginEdit(store: SimStore, shop: ShopRec, orderGid: string): Outcome<{ order: OrderRec; session: EditSessionRec }> {
  const orderId = idOf(orderGid, "Order");
  const order = orderId === null ? undefined : shop.orders.get(orderId);
  if (!order) return fail("The order does not exist.", ["id"]);
  if (order.cancelledAt !== null) return fail("The order cannot be edited because it has been cancelled.", ["id"]);
  const session: EditSessionRec = {
    id: store.ids.next(),
    sessionId: store.ids.next(),
    orderId: order.id,
    quantities: new Map(),
    added: [],
    committed: false,
    createdAt: store.now(),
  };
  shop.edits.set(session.id, session);
  return ok({ order, session });
}

function openSession(shop: ShopRec, id: string): Outcome<{ order: OrderRec; session: EditSessionRec }> {
  const session = findSession(shop, id);
  if (!session) return fail("The calculated order does not exist.", ["id"]);
  if (session.committed) return fail("The order edit has already been committed.", ["id"]);
  const order = shop.orders.get(session.orderId);
  if (!order) return fail("The order does not exist.", ["id"]);
  return ok({ order, session });
}

export function setEditQuantity(
  shop: ShopRec,
  input: { id: string; lineItemId: string; quantity: number; restock?: boolean | null },
): Outcome<{ order: OrderRec; session: EditSessionRec; calcId: number }> {
  const opened = openSession(shop, input.id);
  if (!opened.ok) return opened;
  const { order, session } = opened.value;
  if (input.quantity < 0) return fail("Quantity must be greater than or equal to 0.", ["quantity"]);
  const calcId = idOf(input.lineItemId, "CalculatedLineItem");
  const added = session.added.find((a) => a.calcId === calcId);
  if (added) {
    if (input.quantity === 0) session.added = session.added.filter((a) => a !== added);
    else added.quantity = input.quantity;
    return ok({ order, session, calcId: added.calcId });
  }
  const li = order.lineItems.find((x) => x.id === calcId);
  if (!li) return fail("The line item does not exist on the calculated order.", ["lineItemId"]);
  const current = currentQuantity(li);
  const locked = current - editableQuantity(order, li);
  if (input.quantity < locked) {
    // Only unfulfilled units can be removed (notes.md §4.2).
    return fail(`Cannot reduce the quantity below the ${locked} fulfilled unit(s): only unfulfilled items can be edited.`, ["quantity"]);
  }
  if (input.quantity === current) session.quantities.delete(li.id);
  else session.quantities.set(li.id, { quantity: input.quantity, restock: input.restock ?? false });
  return ok({ order, session, calcId: li.id });
}

export function addEditVariant(
  store: SimStore,
  shop: ShopRec,
  input: { id: string; variantId: string; locationId?: string | null; quantity: number; allowDuplicates?: boolean | null },
): Outcome<{ order: OrderRec; session: EditSessionRec; calcId: number }> {
  const opened = openSession(shop, input.id);
  if (!opened.ok) return opened;
  const { order, session } = opened.value;
  const variantId = idOf(input.variantId, "ProductVariant");
  const variant = variantId === null ? undefined : shop.variants.get(variantId);
  if (!variant) return fail("The variant does not exist.", ["variantId"]);
  if (input.quantity <= 0) return fail("Quantity must be greater than 0.", ["quantity"]);
  const duplicate =
    order.lineItems.some((li) => li.variantId === variant.id && currentQuantity(li) > 0) || session.added.some((a) => a.variantId === variant.id);
  if (duplicate && !input.allowDuplicates) {
    return fail("The variant is already on the order. Set allowDuplicates to add it as a separate line.", ["variantId"]);
  }
  let locationId: number | undefined;
  if (input.locationId) {
    const loc = idOf(input.locationId, "Location");
    if (loc === null || !shop.locations.has(loc)) return fail("The location does not exist.", ["locationId"]);
    locationId = loc;
  } else {
    locationId =
      activeLocations(shop).find((l) => levelAt(shop, variant.inventoryItemId, l.id))?.id ?? activeLocations(shop)[0]?.id;
  }
  if (locationId === undefined) return fail("No location can fulfil the variant.", ["locationId"]);
  const calcId = store.ids.next();
  session.added.push({ calcId, variantId: variant.id, quantity: input.quantity, locationId });
  return ok({ order, session, calcId });
}

function addToFulfillmentOrder(store: SimStore, order: OrderRec, li: LineItemRec, units: number): void {
  const t = store.now();
  for (const fo of order.fulfillmentOrders) {
    if (fo.locationId !== li.locationId || (fo.status !== "OPEN" && fo.status !== "IN_PROGRESS")) continue;
    const line = fo.lines.find((l) => l.lineItemId === li.id);
    if (line) {
      line.totalQuantity += units;
      line.remainingQuantity += units;
    } else fo.lines.push({ id: store.ids.next(), lineItemId: li.id, totalQuantity: units, remainingQuantity: units });
    fo.updatedAt = t;
    refreshFulfillmentOrderStatus(fo, t);
    return;
  }
  order.fulfillmentOrders.push({
    id: store.ids.next(),
    locationId: li.locationId,
    status: "OPEN",
    createdAt: t,
    updatedAt: t,
    lines: [{ id: store.ids.next(), lineItemId: li.id, totalQuantity: units, remainingQuantity: units }],
  });
}

function claimsFor(shop: ShopRec, variant: VariantRec): boolean {
  return shop.inventoryItems.get(variant.inventoryItemId)?.tracked ?? false;
}

export function commitEdit(
  store: SimStore,
  shop: ShopRec,
  input: { id: string; notifyCustomer?: boolean | null; staffNote?: string | null },
  actor: { appId: number | null },
): Outcome<{ order: OrderRec }> {
  const opened = openSession(shop, input.id);
  if (!opened.ok) return opened;
  const { order, session } = opened.value;
  const t = store.now();
  const additions: Array<{ id: number; delta: number }> = [];
  const removals: Array<{ id: number; delta: number }> = [];
  for (const [lineId, staged] of session.quantities) {
    const li = order.lineItems.find((x) => x.id === lineId);
    if (!li) continue;
    const delta = staged.quantity - currentQuantity(li);
    if (delta < 0) {
      li.removedByEdit += -delta;
      removeUnfulfilledUnits(store, order, li, -delta);
      releaseCommitted(store, shop, li, -delta, staged.restock);
      removals.push({ id: li.id, delta: -delta });
    } else if (delta > 0) {
      li.quantity += delta;
      addToFulfillmentOrder(store, order, li, delta);
      const variant = li.variantId !== null ? shop.variants.get(li.variantId) : undefined;
      if (variant && claimsFor(shop, variant)) {
        li.claimsInventory = true;
        li.committed += delta;
        claimLine(store, shop, li, delta);
      }
      additions.push({ id: li.id, delta });
    }
  }
  for (const a of session.added) {
    const variant = shop.variants.get(a.variantId);
    if (!variant) continue;
    const product = shop.products.get(variant.productId);
    const li: LineItemRec = {
      id: store.ids.next(),
      variantId: variant.id,
      productId: variant.productId,
      sku: variant.sku,
      title: product?.title ?? "",
      variantTitle: variant.title === "Default Title" ? null : variant.title,
      vendor: product?.vendor ?? null,
      originalQuantity: 0,
      quantity: a.quantity,
      taxBaseQuantity: a.quantity,
      removedByEdit: 0,
      refundedUnfulfilled: 0,
      refundedFulfilled: 0,
      cancelledQuantity: 0,
      unitPrice: { shop: variant.price, presentment: { minor: variant.price.minor, currency: order.presentmentCurrency } },
      taxLines: [],
      requiresShipping: shop.inventoryItems.get(variant.inventoryItemId)?.requiresShipping ?? true,
      taxable: variant.taxable,
      giftCard: false,
      properties: [],
      locationId: a.locationId,
      committed: 0,
      claimsInventory: false,
    };
    order.lineItems.push(li);
    addToFulfillmentOrder(store, order, li, a.quantity);
    if (claimsFor(shop, variant) && levelAt(shop, variant.inventoryItemId, a.locationId)) {
      li.claimsInventory = true;
      li.committed = a.quantity;
      claimLine(store, shop, li, a.quantity);
    }
    additions.push({ id: li.id, delta: a.quantity });
  }
  session.committed = true;
  order.edited = true;
  order.updatedAt = t;
  store.emit(
    shop,
    "orders/edited",
    orderEditPayload(shop, {
      editId: session.sessionId,
      appId: actor.appId,
      orderId: order.id,
      createdAt: session.createdAt,
      committedAt: t,
      notifyCustomer: input.notifyCustomer ?? false,
      staffNote: input.staffNote ?? null,
      additions,
      removals,
    }),
  );
  store.emit(shop, "orders/updated", orderPayload(shop, order));
  return ok({ order });
}

export function calculatedOrderGid(session: EditSessionRec): string {
  return gid("CalculatedOrder", session.id);
}
