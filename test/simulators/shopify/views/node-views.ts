/** `node(id)` / `nodes(ids)`: any GID of the shop back to its view, or null (Shopify returns null for unknown ids). */
import { parseGid } from "../ids";
import { findFulfillment, findFulfillmentOrder } from "../domain/fulfillment";
import { bulkOperationView } from "./bulk-views";
import { calculatedOrderView } from "./calculated-order-views";
import {
  inventoryItemView,
  inventoryLevelView,
  locationView,
  productView,
  shopView,
  variantView,
} from "./catalog-views";
import { metafieldDefinitionView, metafieldView } from "./common-views";
import { customerView, fulfillmentOrderView, fulfillmentView, lineItemView, orderView, refundView } from "./order-views";
import type { ViewCtx } from "./view-context";

export function nodeView(ctx: ViewCtx, id: string): unknown {
  const parsed = parseGid(id);
  if (!parsed) return null;
  const shop = ctx.shop;
  const n = parsed.id;
  switch (parsed.type) {
    case "Shop":
      return n === shop.id ? shopView(ctx) : null;
    case "Order": {
      const o = shop.orders.get(n);
      return o ? orderView(ctx, o) : null;
    }
    case "LineItem": {
      for (const o of shop.orders.values()) {
        const li = o.lineItems.find((x) => x.id === n);
        if (li) return lineItemView(ctx, o, li);
      }
      return null;
    }
    case "FulfillmentOrder": {
      const found = findFulfillmentOrder(shop, n);
      return found ? fulfillmentOrderView(ctx, found.order, found.fo) : null;
    }
    case "Fulfillment": {
      const found = findFulfillment(shop, n);
      return found ? fulfillmentView(ctx, found.order, found.fulfillment) : null;
    }
    case "Refund": {
      for (const o of shop.orders.values()) {
        const r = o.refunds.find((x) => x.id === n);
        if (r) return refundView(ctx, o, r);
      }
      return null;
    }
    case "Location": {
      const l = shop.locations.get(n);
      return l ? locationView(ctx, l) : null;
    }
    case "Product": {
      const p = shop.products.get(n);
      return p ? productView(ctx, p) : null;
    }
    case "ProductVariant": {
      const v = shop.variants.get(n);
      return v ? variantView(ctx, v) : null;
    }
    case "InventoryItem": {
      const i = shop.inventoryItems.get(n);
      return i ? inventoryItemView(ctx, i) : null;
    }
    case "InventoryLevel": {
      const l = shop.levels.get(n);
      return l ? inventoryLevelView(ctx, l) : null;
    }
    case "Customer": {
      const c = shop.customers.get(n);
      return c ? customerView(ctx, c) : null;
    }
    case "Metafield": {
      const m = shop.metafields.get(n);
      return m ? metafieldView(ctx, m) : null;
    }
    case "MetafieldDefinition": {
      const d = shop.metafieldDefinitions.get(n);
      return d ? metafieldDefinitionView(ctx, d) : null;
    }
    case "CalculatedOrder": {
      const s = shop.edits.get(n);
      const o = s ? shop.orders.get(s.orderId) : undefined;
      return s && o ? calculatedOrderView(ctx, o, s) : null;
    }
    case "BulkOperation": {
      const b = shop.bulkOperations.get(n);
      return b ? bulkOperationView(ctx, b) : null;
    }
    default:
      return null;
  }
}
