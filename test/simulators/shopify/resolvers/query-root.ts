/** QueryRoot fields the app uses (brief + notes.md §4). Anything else fails loudly via the strict resolver. */
import { GraphQLError } from "graphql";
import { connection, type PageArgs } from "../connection";
import { idOf } from "../ids";
import type { OrderRec } from "../model";
import { findMetafield, resolveNamespace } from "../domain/metafields";
import { compileSearch } from "../search-query";
import { bulkOperationView, jobView } from "../views/bulk-views";
import {
  inventoryItemSearch,
  inventoryItemView,
  inventoryLevelView,
  locationSearch,
  locationView,
  productSearch,
  productView,
  shopView,
  variantSearch,
  variantView,
} from "../views/catalog-views";
import { nodeView } from "../views/node-views";
import { orderSearch, orderSortValue, orderView } from "../views/order-views";
import { recordSearchWarnings } from "../views/search-warnings";
import type { ViewCtx } from "../views/view-context";

function nodeOfType(ctx: ViewCtx, id: string, type: string): unknown {
  return id.startsWith(`gid://shopify/${type}/`) ? nodeView(ctx, id) : null;
}

type Search = PageArgs & { query?: string | null; sortKey?: string | null };

export function queryRoot(ctx: ViewCtx): Record<string, unknown> {
  const shop = ctx.shop;
  const root: Record<string, unknown> = {
    shop: () => shopView(ctx),
    locations: (args: Search & { includeInactive?: boolean | null; includeLegacy?: boolean | null }) => {
      const search = compileSearch(args.query, locationSearch());
      recordSearchWarnings(ctx, ["locations"], args.query, search.warnings);
      const list = [...shop.locations.values()].filter((l) => (args.includeInactive || l.isActive) && search.predicate(l));
      return connection(list, args, {
        id: (l) => l.id,
        sortValue: args.sortKey === "ID" ? (l) => l.id : (l) => l.name.toLowerCase(),
        view: (l) => locationView(ctx, l),
        unbounded: ctx.unbounded,
      });
    },
    location: (args: { id?: string | null }) => {
      // No id: the shop's primary location.
      const loc = args.id ? shop.locations.get(idOf(args.id, "Location") ?? -1) : [...shop.locations.values()][0];
      return loc ? locationView(ctx, loc) : null;
    },
    productVariants: (args: Search) => {
      const search = compileSearch(args.query, variantSearch(shop));
      recordSearchWarnings(ctx, ["productVariants"], args.query, search.warnings);
      const sortValue =
        args.sortKey === "SKU"
          ? (v: { sku: string | null }) => v.sku ?? ""
          : args.sortKey === "TITLE" || args.sortKey === "NAME"
            ? (v: { title: string }) => v.title
            : args.sortKey === "POSITION"
              ? (v: { position: number }) => v.position
              : (v: { id: number }) => v.id;
      return connection([...shop.variants.values()].filter(search.predicate), args, {
        id: (v) => v.id,
        sortValue: sortValue as (v: unknown) => number | string,
        view: (v) => variantView(ctx, v),
        unbounded: ctx.unbounded,
      });
    },
    productVariant: (args: { id: string }) => {
      const v = shop.variants.get(idOf(args.id, "ProductVariant") ?? -1);
      return v ? variantView(ctx, v) : null;
    },
    products: (args: Search) => {
      const search = compileSearch(args.query, productSearch());
      recordSearchWarnings(ctx, ["products"], args.query, search.warnings);
      return connection([...shop.products.values()].filter(search.predicate), args, {
        id: (p) => p.id,
        sortValue: args.sortKey === "TITLE" ? (p) => p.title : args.sortKey === "UPDATED_AT" ? (p) => p.updatedAt : (p) => p.id,
        view: (p) => productView(ctx, p),
        unbounded: ctx.unbounded,
      });
    },
    product: (args: { id: string }) => {
      const p = shop.products.get(idOf(args.id, "Product") ?? -1);
      return p ? productView(ctx, p) : null;
    },
    inventoryItems: (args: Search) => {
      const search = compileSearch(args.query, inventoryItemSearch());
      recordSearchWarnings(ctx, ["inventoryItems"], args.query, search.warnings);
      return connection([...shop.inventoryItems.values()].filter(search.predicate), args, {
        id: (i) => i.id,
        view: (i) => inventoryItemView(ctx, i),
        unbounded: ctx.unbounded,
      });
    },
    inventoryItem: (args: { id: string }) => {
      const i = shop.inventoryItems.get(idOf(args.id, "InventoryItem") ?? -1);
      return i ? inventoryItemView(ctx, i) : null;
    },
    inventoryLevel: (args: { id: string }) => {
      const l = shop.levels.get(idOf(args.id, "InventoryLevel") ?? -1);
      return l ? inventoryLevelView(ctx, l) : null;
    },
    orders: (args: Search) => {
      const search = compileSearch(args.query, orderSearch());
      recordSearchWarnings(ctx, ["orders"], args.query, search.warnings);
      return connection([...shop.orders.values()].filter(search.predicate), args, {
        id: (o) => o.id,
        sortValue: orderSortValue(args.sortKey),
        view: (o) => orderView(ctx, o),
        unbounded: ctx.unbounded,
      });
    },
    order: (args: { id: string }) => {
      const o = shop.orders.get(idOf(args.id, "Order") ?? -1);
      return o ? orderView(ctx, o) : null;
    },
    orderByIdentifier: (args: { identifier: { id?: string | null; customId?: { namespace?: string | null; key: string; value: string } | null } }) => {
      const { id, customId } = args.identifier;
      if ((id ? 1 : 0) + (customId ? 1 : 0) !== 1) {
        throw new GraphQLError("OrderIdentifierInput requires exactly one of id or customId.", { extensions: { code: "BAD_REQUEST" } });
      }
      if (id) {
        const o = shop.orders.get(idOf(id, "Order") ?? -1);
        return o ? orderView(ctx, o) : null;
      }
      if (!customId) return null;
      const namespace = resolveNamespace(ctx.store, customId.namespace);
      // Shopify needs a metafield definition with unique values here; the simulator returns the oldest match so a
      // duplicated custom id (an order-editing app copying metafields) is visible to the caller's own checks.
      const found = [...shop.orders.values()].find(
        (o: OrderRec) => findMetafield(shop, `gid://shopify/Order/${o.id}`, namespace, customId.key)?.value === customId.value,
      );
      return found ? orderView(ctx, found) : null;
    },
    fulfillmentOrder: (args: { id: string }) => nodeOfType(ctx, args.id, "FulfillmentOrder"),
    fulfillment: (args: { id: string }) => nodeOfType(ctx, args.id, "Fulfillment"),
    refund: (args: { id: string }) => nodeOfType(ctx, args.id, "Refund"),
    node: (args: { id: string }) => nodeView(ctx, args.id),
    nodes: (args: { ids: string[] }) => args.ids.map((id) => nodeView(ctx, id)),
    bulkOperation: (args: { id: string }) => {
      const b = shop.bulkOperations.get(idOf(args.id, "BulkOperation") ?? -1);
      return b ? bulkOperationView(ctx, b) : null;
    },
    currentBulkOperation: () => {
      const all = [...shop.bulkOperations.values()];
      const last = all[all.length - 1];
      return last ? bulkOperationView(ctx, last) : null;
    },
    job: (args: { id: string }) => {
      const job = shop.jobs.get(idOf(args.id, "Job") ?? -1);
      return job ? jobView(job, root) : null;
    },
  };
  return root;
}
