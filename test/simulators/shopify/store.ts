/**
 * The simulator's state: shops (each with its own access token), the id sequence, the clock and the hook through
 * which domain changes become webhooks. createShop seeds a shop the way a merchant would have set it up.
 */
import { CostBucket, PLAN_LIMITS } from "./cost-bucket";
import { gid, IdSequence } from "./ids";
import { parseMoney } from "./money";
import type {
  AddressRec,
  InventoryLevelRec,
  LocationRec,
  PlanName,
  ShopRec,
  StoredQuantityName,
} from "./model";

export interface CreateShopInput {
  domain: string;
  accessToken: string;
  name?: string;
  email?: string;
  plan?: PlanName;
  currency?: string;
  ianaTimezone?: string;
  /** Trial/development store limit of 5 orderCreate per minute (notes.md §4.1). Default off. */
  orderCreateLimit?: boolean;
  locations?: Array<{ name: string; active?: boolean; countryCode?: string; fulfillsOnlineOrders?: boolean }>;
  products?: Array<{
    title: string;
    vendor?: string;
    productType?: string;
    tags?: string[];
    variants: Array<{
      sku: string | null;
      price: string | number;
      title?: string;
      barcode?: string;
      /** Stock by location name; a location not listed does not stock the item. Default: first location, 0. */
      inventory?: Record<string, number>;
      tracked?: boolean;
      inventoryPolicy?: "DENY" | "CONTINUE";
      requiresShipping?: boolean;
    }>;
  }>;
}

export interface CreateShopResult {
  shopId: string;
  domain: string;
  accessToken: string;
  locations: Record<string, string>;
  products: Array<{ id: string; title: string }>;
  variants: Record<string, { variantId: string; inventoryItemId: string; productId: string }>;
}

export type Emitter = (shop: ShopRec, topic: string, payload: unknown) => void;

export class SimError extends Error {}

function emptyAddress(): AddressRec {
  return {
    firstName: null,
    lastName: null,
    company: null,
    address1: null,
    address2: null,
    city: null,
    provinceCode: null,
    zip: null,
    countryCode: null,
    phone: null,
  };
}

export function emptyQuantities(): Record<StoredQuantityName, number> {
  return { available: 0, committed: 0, reserved: 0, damaged: 0, quality_control: 0, safety_stock: 0, incoming: 0 };
}

export class SimStore {
  readonly ids: IdSequence;
  /** The id of "our" app: orders it creates carry it as app_id (notes.md §3.4: your own writes echo back). */
  readonly appId: number;
  private readonly byDomain = new Map<string, ShopRec>();
  private readonly byToken = new Map<string, ShopRec>();
  emit: Emitter = () => undefined;
  /** Delay before async jobs (orderCancel) and bulk operations complete. */
  settings = { jobDelayMs: 0, bulkDelayMs: 10 };

  private readonly timers = new Set<NodeJS.Timeout>();

  constructor(readonly now: () => number = Date.now) {
    this.ids = new IdSequence();
    this.appId = this.ids.next();
  }

  /** Runs `fn` later (async jobs, bulk operations); pending timers are cleared by dispose(). */
  later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  dispose(): void {
    for (const t of this.timers) clearTimeout(t);
    this.timers.clear();
  }

  shops(): ShopRec[] {
    return [...this.byDomain.values()];
  }

  shopByToken(token: string): ShopRec | undefined {
    return this.byToken.get(token);
  }

  /** Accepts "x.myshopify.com", "x", or a shop GID. */
  shop(ref: string): ShopRec {
    const found =
      this.byDomain.get(ref) ??
      this.byDomain.get(`${ref}.myshopify.com`) ??
      this.shops().find((s) => gid("Shop", s.id) === ref);
    if (!found) throw new SimError(`Unknown shop ${ref}`);
    return found;
  }

  createShop(input: CreateShopInput): CreateShopResult {
    if (this.byDomain.has(input.domain)) throw new SimError(`Shop ${input.domain} already exists`);
    if (this.byToken.has(input.accessToken)) throw new SimError(`Access token already used by another shop`);
    const t = this.now();
    const plan = input.plan ?? "standard";
    const shop: ShopRec = {
      id: this.ids.next(),
      domain: input.domain,
      name: input.name ?? input.domain.replace(/\.myshopify\.com$/, ""),
      email: input.email ?? `owner@${input.domain}`,
      accessToken: input.accessToken,
      plan,
      currency: input.currency ?? "EUR",
      ianaTimezone: input.ianaTimezone ?? "Europe/Paris",
      installed: true,
      createdAt: t,
      orderCreateLimit: input.orderCreateLimit ?? false,
      orderCreateTimes: [],
      bucket: new CostBucket(PLAN_LIMITS[plan], this.now),
      forceThrottled: false,
      nextOrderNumber: 1001,
      locations: new Map(),
      products: new Map(),
      variants: new Map(),
      inventoryItems: new Map(),
      levels: new Map(),
      levelIndex: new Map(),
      orders: new Map(),
      customers: new Map(),
      metafields: new Map(),
      metafieldDefinitions: new Map(),
      edits: new Map(),
      jobs: new Map(),
      bulkOperations: new Map(),
      adjustmentGroups: new Map(),
      idempotency: new Map(),
    };
    const locations = input.locations?.length ? input.locations : [{ name: "Main warehouse" }];
    const locationIds: Record<string, string> = {};
    for (const l of locations) {
      const loc: LocationRec = {
        id: this.ids.next(),
        name: l.name,
        isActive: "active" in l ? l.active !== false : true,
        fulfillsOnlineOrders: "fulfillsOnlineOrders" in l ? l.fulfillsOnlineOrders !== false : true,
        createdAt: t,
        updatedAt: t,
        address: { ...emptyAddress(), countryCode: ("countryCode" in l ? l.countryCode : undefined) ?? "FR" },
      };
      shop.locations.set(loc.id, loc);
      locationIds[l.name] = gid("Location", loc.id);
    }
    const result: CreateShopResult = {
      shopId: gid("Shop", shop.id),
      domain: shop.domain,
      accessToken: shop.accessToken,
      locations: locationIds,
      products: [],
      variants: {},
    };
    const firstLocation = [...shop.locations.values()][0];
    for (const p of input.products ?? []) {
      const product = {
        id: this.ids.next(),
        title: p.title,
        handle: p.title.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, ""),
        vendor: p.vendor ?? shop.name,
        productType: p.productType ?? "",
        status: "ACTIVE" as const,
        tags: p.tags ?? [],
        createdAt: t,
        updatedAt: t,
        variantIds: [] as number[],
      };
      shop.products.set(product.id, product);
      result.products.push({ id: gid("Product", product.id), title: product.title });
      p.variants.forEach((v, index) => {
        const variantId = this.ids.next();
        const itemId = this.ids.next();
        shop.variants.set(variantId, {
          id: variantId,
          productId: product.id,
          inventoryItemId: itemId,
          sku: v.sku,
          barcode: v.barcode ?? null,
          title: v.title ?? (p.variants.length === 1 ? "Default Title" : (v.sku ?? `Variant ${index + 1}`)),
          price: parseMoney(v.price, shop.currency),
          position: index + 1,
          inventoryPolicy: v.inventoryPolicy ?? "DENY",
          taxable: true,
          createdAt: t,
          updatedAt: t,
        });
        shop.inventoryItems.set(itemId, {
          id: itemId,
          variantId,
          sku: v.sku,
          tracked: v.tracked ?? true,
          requiresShipping: v.requiresShipping ?? true,
          createdAt: t,
          updatedAt: t,
        });
        product.variantIds.push(variantId);
        const stock = v.inventory ?? (firstLocation ? { [firstLocation.name]: 0 } : {});
        for (const [locName, qty] of Object.entries(stock)) {
          const loc = [...shop.locations.values()].find((l) => l.name === locName);
          if (!loc) throw new SimError(`Product ${p.title}: unknown location ${locName}`);
          this.createLevel(shop, itemId, loc.id, qty);
        }
        if (v.sku) {
          result.variants[v.sku] = {
            variantId: gid("ProductVariant", variantId),
            inventoryItemId: gid("InventoryItem", itemId),
            productId: gid("Product", product.id),
          };
        }
      });
    }
    this.byDomain.set(shop.domain, shop);
    this.byToken.set(shop.accessToken, shop);
    return result;
  }

  createLevel(shop: ShopRec, inventoryItemId: number, locationId: number, available: number): InventoryLevelRec {
    const t = this.now();
    const level: InventoryLevelRec = {
      id: this.ids.next(),
      inventoryItemId,
      locationId,
      quantities: { ...emptyQuantities(), available },
      createdAt: t,
      updatedAt: t,
    };
    shop.levels.set(level.id, level);
    shop.levelIndex.set(`${inventoryItemId}:${locationId}`, level.id);
    return level;
  }

  /** Removes the shop entirely (tests re-seeding a domain). */
  deleteShop(domain: string): void {
    const shop = this.byDomain.get(domain);
    if (!shop) return;
    this.byDomain.delete(domain);
    this.byToken.delete(shop.accessToken);
  }
}
