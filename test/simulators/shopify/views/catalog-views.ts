/** Shop, locations, products, variants, inventory items and levels. */
import { GraphQLError } from "graphql";
import { connection, type PageArgs } from "../connection";
import { gid, idOf, inventoryLevelGid } from "../ids";
import { formatDecimal } from "../money";
import {
  QUANTITY_NAMES,
  type InventoryItemRec,
  type InventoryLevelRec,
  type LocationRec,
  type ProductRec,
  type ShopRec,
  type VariantRec,
} from "../model";
import { levelAt, quantityOf } from "../domain/inventory";
import { compileSearch, matchDate, matchNumber, matchString, type SearchSpec } from "../search-query";
import { gqlTime } from "../time";
import { planDisplayName } from "../webhooks/payloads";
import { count, legacyId, metafieldFields } from "./common-views";
import type { ViewCtx } from "./view-context";
import { recordSearchWarnings } from "./search-warnings";

export function shopView(ctx: ViewCtx) {
  const shop: ShopRec = ctx.shop;
  return {
    __typename: "Shop",
    id: gid("Shop", shop.id),
    name: shop.name,
    email: shop.email,
    contactEmail: shop.email,
    myshopifyDomain: shop.domain,
    url: `https://${shop.domain}`,
    primaryDomain: { __typename: "Domain", id: gid("Shop", shop.id), host: shop.domain, url: `https://${shop.domain}`, sslEnabled: true },
    currencyCode: shop.currency,
    enabledPresentmentCurrencies: [shop.currency],
    ianaTimezone: shop.ianaTimezone,
    plan: {
      partnerDevelopment: shop.plan === "development",
      shopifyPlus: shop.plan === "plus" || shop.plan === "enterprise",
      publicDisplayName: planDisplayName(shop),
      displayName: planDisplayName(shop),
    },
    taxesIncluded: false,
    taxShipping: false,
    setupRequired: false,
    checkoutApiSupported: true,
    description: null,
    shopOwnerName: shop.name,
    orderNumberFormatPrefix: "#",
    orderNumberFormatSuffix: "",
    weightUnit: "KILOGRAMS",
    unitSystem: "METRIC_SYSTEM",
    createdAt: gqlTime(shop.createdAt),
    updatedAt: gqlTime(shop.createdAt),
    ...metafieldFields(ctx, gid("Shop", shop.id)),
  };
}

function levelsOfLocation(ctx: ViewCtx, loc: LocationRec): InventoryLevelRec[] {
  return [...ctx.shop.levels.values()].filter((l) => l.locationId === loc.id);
}

export function locationView(ctx: ViewCtx, loc: LocationRec) {
  const primary = [...ctx.shop.locations.values()][0];
  return {
    __typename: "Location",
    id: gid("Location", loc.id),
    legacyResourceId: legacyId(loc.id),
    name: loc.name,
    isActive: loc.isActive,
    isPrimary: primary?.id === loc.id,
    activatable: !loc.isActive,
    deactivatable: loc.isActive,
    deletable: false,
    deactivatedAt: loc.isActive ? null : gqlTime(loc.updatedAt),
    fulfillsOnlineOrders: loc.fulfillsOnlineOrders,
    shipsInventory: loc.fulfillsOnlineOrders,
    isFulfillmentService: false,
    fulfillmentService: null,
    get hasActiveInventory() {
      return levelsOfLocation(ctx, loc).length > 0;
    },
    get hasUnfulfilledOrders() {
      return [...ctx.shop.orders.values()].some((o) =>
        o.fulfillmentOrders.some((fo) => fo.locationId === loc.id && (fo.status === "OPEN" || fo.status === "IN_PROGRESS")),
      );
    },
    addressVerified: true,
    createdAt: gqlTime(loc.createdAt),
    updatedAt: gqlTime(loc.updatedAt),
    address: {
      address1: loc.address.address1,
      address2: loc.address.address2,
      city: loc.address.city,
      country: loc.address.countryCode,
      countryCode: loc.address.countryCode,
      province: loc.address.provinceCode,
      provinceCode: loc.address.provinceCode,
      zip: loc.address.zip,
      phone: loc.address.phone,
      latitude: null,
      longitude: null,
      formatted: [loc.address.countryCode].filter((x): x is string => Boolean(x)),
    },
    inventoryLevel: (args: { inventoryItemId: string }) => {
      const itemId = idOf(args.inventoryItemId, "InventoryItem");
      const level = itemId === null ? undefined : levelAt(ctx.shop, itemId, loc.id);
      return level ? inventoryLevelView(ctx, level) : null;
    },
    inventoryLevels: (args: PageArgs & { query?: string | null }) =>
      levelConnection(ctx, levelsOfLocation(ctx, loc), args, ["location", "inventoryLevels"]),
    ...metafieldFields(ctx, gid("Location", loc.id)),
  };
}

const levelSearch = (ctx: ViewCtx): SearchSpec<InventoryLevelRec> => ({
  fields: {
    inventory_item_id: (l, op, v) => matchNumber(l.inventoryItemId, op, v.replace(/^gid:\/\/shopify\/InventoryItem\//, "")),
    location_id: (l, op, v) => matchNumber(l.locationId, op, v.replace(/^gid:\/\/shopify\/Location\//, "")),
    updated_at: (l, op, v) => matchDate(l.updatedAt, op, v),
    created_at: (l, op, v) => matchDate(l.createdAt, op, v),
    sku: (l, op, v) => matchString([ctx.shop.inventoryItems.get(l.inventoryItemId)?.sku], op, v),
  },
  text: () => true,
});

function levelConnection(ctx: ViewCtx, levels: InventoryLevelRec[], args: PageArgs & { query?: string | null }, path: string[]) {
  const search = compileSearch(args.query, levelSearch(ctx));
  recordSearchWarnings(ctx, path, args.query, search.warnings);
  return connection(levels.filter(search.predicate), args, {
    id: (l) => l.id,
    view: (l) => inventoryLevelView(ctx, l),
    unbounded: ctx.unbounded,
  });
}

export function inventoryLevelView(ctx: ViewCtx, level: InventoryLevelRec) {
  return {
    __typename: "InventoryLevel",
    id: inventoryLevelGid(level.id, level.inventoryItemId),
    isActive: true,
    canDeactivate: true,
    deactivationAlert: null,
    createdAt: gqlTime(level.createdAt),
    updatedAt: gqlTime(level.updatedAt),
    item: () => {
      const item = ctx.shop.inventoryItems.get(level.inventoryItemId);
      return item ? inventoryItemView(ctx, item) : null;
    },
    location: () => {
      const loc = ctx.shop.locations.get(level.locationId);
      return loc ? locationView(ctx, loc) : null;
    },
    quantities: (args: { names: string[] }) =>
      args.names.map((name) => {
        if (!QUANTITY_NAMES.includes(name)) {
          throw new GraphQLError(`Invalid quantity name '${name}'. Valid names: ${QUANTITY_NAMES.join(", ")}.`, {
            extensions: { code: "BAD_REQUEST" },
          });
        }
        return {
          __typename: "InventoryQuantity",
          id: `gid://shopify/InventoryQuantity/${level.id}?inventory_item_id=${level.inventoryItemId}&name=${name}`,
          name,
          quantity: quantityOf(level, name),
          updatedAt: gqlTime(level.updatedAt),
        };
      }),
  };
}

/**
 * An item's levels through the (item, location) index, in creation order: O(locations) per item. Scanning every level
 * of the shop per item made a bulk export of a 100,000-variant catalogue quadratic (minutes instead of seconds).
 */
function levelsOfItem(shop: ShopRec, inventoryItemId: number): InventoryLevelRec[] {
  const out: InventoryLevelRec[] = [];
  for (const loc of shop.locations.values()) {
    const level = levelAt(shop, inventoryItemId, loc.id);
    if (level) out.push(level);
  }
  return out.sort((a, b) => a.id - b.id);
}

export function inventoryItemView(ctx: ViewCtx, item: InventoryItemRec) {
  const levels = () => levelsOfItem(ctx.shop, item.id);
  const variant = () => {
    const v = ctx.shop.variants.get(item.variantId);
    return v ? variantView(ctx, v) : null;
  };
  return {
    __typename: "InventoryItem",
    id: gid("InventoryItem", item.id),
    legacyResourceId: legacyId(item.id),
    sku: item.sku,
    tracked: item.tracked,
    requiresShipping: item.requiresShipping,
    createdAt: gqlTime(item.createdAt),
    updatedAt: gqlTime(item.updatedAt),
    countryCodeOfOrigin: null,
    provinceCodeOfOrigin: null,
    harmonizedSystemCode: null,
    inventoryHistoryUrl: null,
    unitCost: null,
    get duplicateSkuCount() {
      return item.sku === null ? 0 : [...ctx.shop.inventoryItems.values()].filter((i) => i.sku === item.sku && i.id !== item.id).length;
    },
    get locationsCount() {
      return count(levels().length);
    },
    variant,
    variants: (args: PageArgs) => {
      const v = ctx.shop.variants.get(item.variantId);
      return connection(v ? [v] : [], args, { id: (x) => x.id, view: (x) => variantView(ctx, x), unbounded: ctx.unbounded });
    },
    inventoryLevel: (args: { locationId: string }) => {
      const locId = idOf(args.locationId, "Location");
      const level = locId === null ? undefined : levelAt(ctx.shop, item.id, locId);
      return level ? inventoryLevelView(ctx, level) : null;
    },
    inventoryLevels: (args: PageArgs & { query?: string | null }) => levelConnection(ctx, levels(), args, ["inventoryItem", "inventoryLevels"]),
  };
}

export function variantView(ctx: ViewCtx, v: VariantRec) {
  const product = () => ctx.shop.products.get(v.productId);
  const levels = () => levelsOfItem(ctx.shop, v.inventoryItemId);
  return {
    __typename: "ProductVariant",
    id: gid("ProductVariant", v.id),
    legacyResourceId: legacyId(v.id),
    title: v.title,
    get displayName() {
      return `${product()?.title ?? ""} - ${v.title}`;
    },
    sku: v.sku,
    barcode: v.barcode,
    price: formatDecimal(v.price),
    compareAtPrice: null,
    position: v.position,
    inventoryPolicy: v.inventoryPolicy,
    taxable: v.taxable,
    availableForSale: true,
    requiresComponents: false,
    showUnitPrice: false,
    unitPrice: null,
    createdAt: gqlTime(v.createdAt),
    updatedAt: gqlTime(v.updatedAt),
    selectedOptions: [{ name: "Title", value: v.title }],
    get inventoryQuantity() {
      return levels().reduce((a, l) => a + l.quantities.available, 0);
    },
    get sellableOnlineQuantity() {
      return levels().reduce((a, l) => a + Math.max(0, l.quantities.available), 0);
    },
    inventoryItem: () => {
      const item = ctx.shop.inventoryItems.get(v.inventoryItemId);
      return item ? inventoryItemView(ctx, item) : null;
    },
    product: () => {
      const p = product();
      return p ? productView(ctx, p) : null;
    },
    ...metafieldFields(ctx, gid("ProductVariant", v.id)),
  };
}

export function productView(ctx: ViewCtx, p: ProductRec) {
  const variants = () => p.variantIds.map((id) => ctx.shop.variants.get(id)).filter((v): v is VariantRec => v !== undefined);
  return {
    __typename: "Product",
    id: gid("Product", p.id),
    legacyResourceId: legacyId(p.id),
    title: p.title,
    handle: p.handle,
    vendor: p.vendor,
    productType: p.productType,
    status: p.status,
    tags: p.tags,
    description: "",
    descriptionHtml: "",
    isGiftCard: false,
    onlineStoreUrl: null,
    publishedAt: gqlTime(p.createdAt),
    createdAt: gqlTime(p.createdAt),
    updatedAt: gqlTime(p.updatedAt),
    get hasOnlyDefaultVariant() {
      return variants().length === 1 && variants()[0]?.title === "Default Title";
    },
    get totalInventory() {
      const items = new Set(variants().map((v) => v.inventoryItemId));
      return [...ctx.shop.levels.values()].filter((l) => items.has(l.inventoryItemId)).reduce((a, l) => a + l.quantities.available, 0);
    },
    get tracksInventory() {
      return variants().some((v) => ctx.shop.inventoryItems.get(v.inventoryItemId)?.tracked);
    },
    get variantsCount() {
      return count(variants().length);
    },
    variants: (args: PageArgs) =>
      connection(variants(), args, { id: (v) => v.id, sortValue: (v) => v.position, view: (v) => variantView(ctx, v), unbounded: ctx.unbounded }),
    ...metafieldFields(ctx, gid("Product", p.id)),
  };
}

// --- searches used by the root connections -------------------------------------------------------------------

const idMatcher = (type: string) => (id: number, op: Parameters<typeof matchNumber>[1], v: string) =>
  matchNumber(id, op, v.replace(new RegExp(`^gid://shopify/${type}/`), ""));

export const variantSearch = (shop: ShopRec): SearchSpec<VariantRec> => ({
  fields: {
    sku: (v, op, val) => matchString([v.sku], op, val),
    barcode: (v, op, val) => matchString([v.barcode], op, val),
    id: (v, op, val) => idMatcher("ProductVariant")(v.id, op, val),
    product_id: (v, op, val) => idMatcher("Product")(v.productId, op, val),
    title: (v, op, val) => matchString([v.title], op, val),
    updated_at: (v, op, val) => matchDate(v.updatedAt, op, val),
    created_at: (v, op, val) => matchDate(v.createdAt, op, val),
    inventory_quantity: (v, op, val) =>
      matchNumber(
        [...shop.levels.values()].filter((l) => l.inventoryItemId === v.inventoryItemId).reduce((a, l) => a + l.quantities.available, 0),
        op,
        val,
      ),
    location_id: (v, op, val) =>
      [...shop.levels.values()].some((l) => l.inventoryItemId === v.inventoryItemId && idMatcher("Location")(l.locationId, op, val)),
  },
  text: (v, val) => [v.sku, v.title, v.barcode, shop.products.get(v.productId)?.title].some((s) => s?.toLowerCase().includes(val.toLowerCase())),
});

export const inventoryItemSearch = (): SearchSpec<InventoryItemRec> => ({
  fields: {
    sku: (i, op, val) => matchString([i.sku], op, val),
    id: (i, op, val) => idMatcher("InventoryItem")(i.id, op, val),
    updated_at: (i, op, val) => matchDate(i.updatedAt, op, val),
    created_at: (i, op, val) => matchDate(i.createdAt, op, val),
  },
  text: (i, val) => (i.sku ?? "").toLowerCase().includes(val.toLowerCase()),
});

export const productSearch = (): SearchSpec<ProductRec> => ({
  fields: {
    title: (p, op, val) => matchString([p.title], op, val),
    handle: (p, op, val) => matchString([p.handle], op, val),
    vendor: (p, op, val) => matchString([p.vendor], op, val),
    product_type: (p, op, val) => matchString([p.productType], op, val),
    status: (p, op, val) => matchString([p.status], op, val),
    tag: (p, op, val) => matchString(p.tags, op, val),
    id: (p, op, val) => idMatcher("Product")(p.id, op, val),
    updated_at: (p, op, val) => matchDate(p.updatedAt, op, val),
    created_at: (p, op, val) => matchDate(p.createdAt, op, val),
  },
  text: (p, val) => p.title.toLowerCase().includes(val.toLowerCase()),
});

export const locationSearch = (): SearchSpec<LocationRec> => ({
  fields: {
    name: (l, op, val) => matchString([l.name], op, val),
    id: (l, op, val) => idMatcher("Location")(l.id, op, val),
    active: (l, _op, val) => String(l.isActive) === val.toLowerCase(),
  },
  text: (l, val) => l.name.toLowerCase().includes(val.toLowerCase()),
});
