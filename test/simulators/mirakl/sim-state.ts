/**
 * Everything one simulated Mirakl instance (one tenant) holds in memory, with the indexes the hot paths need:
 * orders by id and per shop in creation order (OR11 pages), offers by shop and SKU, transactions per shop.
 */
import { createPrng, type Prng } from "./prng";
import { presetOffers, presetTenant } from "./presets";
import { Scheduler } from "./scheduler";
import { createSimClock, type SimClock } from "./sim-clock";
import type {
  FaultConfig,
  PresetName,
  ShopAccount,
  SimBillingCycle,
  SimOffer,
  SimOfferExport,
  SimOrder,
  SimShipment,
  SimStockImport,
  SimTransaction,
  SimulatorStats,
  TenantConfig,
} from "./types";

export interface OfferSeed {
  sku: string;
  quantity: number;
  price: number;
  productTitle?: string;
  productSku?: string;
  shopId?: number;
  categoryCode?: string;
  categoryLabel?: string;
}

export interface SimSeedConfig {
  preset: PresetName;
  tenant: TenantConfig;
  shops: ShopAccount[];
  offers: OfferSeed[];
  seed: number;
}

export interface SimState {
  config: SimSeedConfig;
  tenant: TenantConfig;
  shops: ShopAccount[];
  shopsByKey: Map<string, ShopAccount[]>;
  clock: SimClock;
  scheduler: Scheduler;
  random: { orders: Prng; faults: Prng; debit: Prng; ids: Prng };
  offersByShop: Map<number, Map<string, SimOffer>>;
  orders: Map<string, SimOrder>;
  ordersByShop: Map<number, SimOrder[]>;
  shipments: Map<string, SimShipment>;
  shipmentsByShop: Map<number, SimShipment[]>;
  stockImports: Map<string, SimStockImport>;
  offerExports: Map<string, SimOfferExport>;
  transactionsByShop: Map<number, SimTransaction[]>;
  billingCycles: SimBillingCycle[];
  balances: Map<number, number>;
  counters: { order: number; offer: number; refund: number; cancelation: number; stockImport: number; txn: number; cycle: number };
  commercialIds: Set<string>;
  stats: SimulatorStats;
  faults: FaultConfig & { stormUntil?: number };
  rateBuckets: Map<string, { tokens: number; at: number }>;
  startedAt: number;
  /** Bumped when the tenant config changes, so cached order views are rebuilt. */
  tenantRevision: number;
}

export function emptyStats(): SimulatorStats {
  return { calls: {}, responses: {}, served429: 0, served5xx: 0, writesApplied: 0, writesAppliedByOperation: {}, timeoutsAfterWrite: 0, ordersCreated: 0 };
}

export function createSimState({ config, clock }: { config: SimSeedConfig; clock?: SimClock }): SimState {
  const c = clock ?? createSimClock();
  const state: SimState = {
    config,
    tenant: structuredClone(config.tenant),
    shops: config.shops.map((s) => ({ ...s })),
    shopsByKey: new Map(),
    clock: c,
    scheduler: new Scheduler(),
    random: {
      orders: createPrng({ seed: config.seed }),
      faults: createPrng({ seed: config.seed ^ 0x5bd1e995 }),
      debit: createPrng({ seed: config.seed ^ 0x27d4eb2f }),
      ids: createPrng({ seed: config.seed ^ 0x165667b1 }),
    },
    offersByShop: new Map(),
    orders: new Map(),
    ordersByShop: new Map(),
    shipments: new Map(),
    shipmentsByShop: new Map(),
    stockImports: new Map(),
    offerExports: new Map(),
    transactionsByShop: new Map(),
    billingCycles: [],
    balances: new Map(),
    counters: { order: 0, offer: 2000, refund: 1000, cancelation: 2000, stockImport: 3000, txn: 0, cycle: 0 },
    commercialIds: new Set(),
    stats: emptyStats(),
    faults: {},
    rateBuckets: new Map(),
    startedAt: c.now(),
    tenantRevision: 0,
  };
  for (const shop of state.shops) {
    const list = state.shopsByKey.get(shop.apiKey) ?? [];
    list.push(shop);
    state.shopsByKey.set(shop.apiKey, list);
    state.offersByShop.set(shop.shopId, new Map());
    state.ordersByShop.set(shop.shopId, []);
    state.shipmentsByShop.set(shop.shopId, []);
    state.transactionsByShop.set(shop.shopId, []);
    state.balances.set(shop.shopId, 0);
  }
  const now = state.clock.now();
  for (const seed of config.offers) {
    const targets = seed.shopId === undefined ? state.shops : state.shops.filter((s) => s.shopId === seed.shopId);
    for (const shop of targets) upsertOffer({ state, shopId: shop.shopId, seed, at: now });
  }
  state.scheduler.schedule({ at: now + state.tenant.billingCycleMs, event: { kind: "billing-cycle" } });
  return state;
}

export function upsertOffer({ state, shopId, seed, at }: { state: SimState; shopId: number; seed: OfferSeed; at: number }): SimOffer {
  const offers = state.offersByShop.get(shopId);
  if (!offers) throw new Error(`unknown shop ${shopId}`);
  const existing = offers.get(seed.sku);
  if (existing) {
    existing.quantity = seed.quantity;
    existing.price = seed.price;
    existing.updatedAt = at;
    return existing;
  }
  const offer: SimOffer = {
    offerId: ++state.counters.offer,
    shopId,
    sku: seed.sku,
    productSku: seed.productSku ?? `MKP${String(100000000 + state.counters.offer).padStart(12, "0")}`,
    productTitle: seed.productTitle ?? seed.sku,
    description: seed.productTitle ?? seed.sku,
    categoryCode: seed.categoryCode ?? "GENERAL",
    categoryLabel: seed.categoryLabel ?? "General",
    price: seed.price,
    quantity: seed.quantity,
    stateCode: "11",
    active: true,
    leadtimeToShip: state.tenant.leadtimeToShipDays,
    createdAt: at,
    updatedAt: at,
    deleted: false,
  };
  offers.set(seed.sku, offer);
  return offer;
}

export function offerSeedsFromPreset({ preset }: { preset: PresetName }): OfferSeed[] {
  return presetOffers({ preset }).map((o) => ({
    sku: o.sku,
    quantity: o.quantity,
    price: o.price,
    productTitle: o.productTitle,
    categoryCode: o.categoryCode,
    categoryLabel: o.categoryLabel,
  }));
}

export function tenantFor({ preset, overrides }: { preset: PresetName; overrides?: Partial<TenantConfig> }): TenantConfig {
  return { ...presetTenant({ preset }), ...(overrides ?? {}) };
}

/** Records that an order changed: OR11's last_updated_date and start_update_date filter read this. */
export function touchOrder({ order, at }: { order: SimOrder; at: number }): void {
  order.updatedAt = Math.max(order.updatedAt, at);
  order.version++;
}

export function shopById({ state, shopId }: { state: SimState; shopId: number }): ShopAccount | undefined {
  return state.shops.find((s) => s.shopId === shopId);
}

export function findOffer({ state, shopId, sku }: { state: SimState; shopId: number; sku: string }): SimOffer | undefined {
  return state.offersByShop.get(shopId)?.get(sku);
}

/** Line ids are `<order_id>-<index>` here, so the order is found without a separate line index. */
export function findOrderLine({ state, shopId, lineId }: { state: SimState; shopId: number; lineId: string }) {
  const cut = lineId.lastIndexOf("-");
  if (cut <= 0) return undefined;
  const order = state.orders.get(lineId.slice(0, cut));
  if (!order || order.shopId !== shopId) return undefined;
  const line = order.lines.find((l) => l.id === lineId);
  return line ? { order, line } : undefined;
}
