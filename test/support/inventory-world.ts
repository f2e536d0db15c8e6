import type { MarketplaceConnection } from "@prisma/client";
import { startHarness, type Harness, type HarnessOptions } from "./harness";
import { startMiraklSimulator, type MiraklSimulator } from "../simulators/mirakl";
import { createConnection } from "../../app/sync/connections.server";
import { decryptSecret } from "../../app/lib/crypto.server";
import { createMiraklClient, createRateLimiter, type MiraklClient } from "../../app/mirakl";
import { inventoryImportStatusJob, inventoryPushJob, inventoryReconcileJob } from "../../app/jobs/inventory-jobs.server";
import { PUSH_DEBOUNCE_SECONDS } from "../../app/sync/inventory/job-names";

/**
 * The inventory tests' world: the harness (one Shopify shop, marketplace A on its Mirakl simulator) plus, when asked,
 * marketplace B on a second Mirakl simulator with the same SKUs, both connected through the real connect flow and
 * selling from every Shopify location.
 *
 * Time: Mirakl allows one stock import a minute and polls are paced; the app's own pacing is tested on purpose in
 * one test, elsewhere the connections' stockPushIntervalSeconds is 0 and the Mirakl clients get a fresh,
 * unlimited limiter, so a test can run several push cycles in seconds. A 429 is not absorbed inside the client
 * (maxRateLimitRetries 0): it reaches the job runner, which is what the 429 test is about. Mirakl's imports run on
 * the simulator's clock, which `settleImports` advances.
 */
export interface Marketplace {
  name: string;
  sim: MiraklSimulator;
  connection: MarketplaceConnection;
}

export interface InventoryWorld {
  h: Harness;
  a: Marketplace;
  b?: Marketplace;
  marketplaces(): Marketplace[];
  /** SkuMapping rows MATCHED to the seeded variants (what the catalogue sync would produce). */
  mapSkus(connectionId: string, skus?: string[], extra?: { safetyStockOverride?: number | null }): Promise<void>;
  reload(m: Marketplace): Promise<MarketplaceConnection>;
  /** Mirakl's offer quantity as the simulator holds it. */
  miraklQty(m: Marketplace, sku: string): number | undefined;
  /** Shopify `available` by location name. */
  shopifyAvailable(sku: string): Record<string, number>;
  /** Delivers Shopify's webhooks and runs every queued job that is due (the webhook jobs; pushes wait for their debounce). */
  deliverWebhooks(): Promise<void>;
  /** The real path: waits out the push debounce, then runs what the queue holds (the pushes the webhooks asked for). */
  runQueuedPushes(): Promise<void>;
  /** Runs the push job now for each marketplace (what the queued one would do), returning each outcome. */
  push(m?: Marketplace): Promise<unknown[]>;
  /** Lets Mirakl process the imports (simulated clock) and runs the status job of every import not terminal yet. */
  settleImports(): Promise<unknown[]>;
  reconcile(m: Marketplace): Promise<unknown>;
  sto01Calls(m: Marketplace): number;
  close(): Promise<void>;
}

export async function startInventoryWorld(opts: { harness?: HarnessOptions; twoMarketplaces?: boolean } = {}): Promise<InventoryWorld> {
  const h = await startHarness(opts.harness);
  const limiter = createRateLimiter();
  const clients = new Map<string, { fingerprint: string; client: MiraklClient }>();
  h.services.mirakl = (c) => {
    const fingerprint = `${c.baseUrl}|${c.apiKeyEncrypted}|${c.miraklShopId ?? ""}`;
    const cached = clients.get(c.id);
    if (cached?.fingerprint === fingerprint) return cached.client;
    const client = createMiraklClient({
      baseUrl: c.baseUrl,
      apiKey: decryptSecret(c.apiKeyEncrypted, h.services.env.ENCRYPTION_KEY),
      shopId: c.miraklShopId ?? undefined,
      rateLimiter: limiter,
      limits: { STO01: null, STO02: null, STO03: null, OF52: null, OF53: null },
      retry: { maxRateLimitRetries: 0 },
      maxReadRetries: 0,
      logContext: { shop: c.shop, connectionId: c.id },
    });
    clients.set(c.id, { fingerprint, client });
    return client;
  };
  if (!h.connection) throw new Error("the inventory world needs the harness's connection");
  const prisma = h.services.prisma;
  const a: Marketplace = { name: "Marketplace", sim: h.mirakl, connection: await prisma.marketplaceConnection.update({ where: { id: h.connection.id }, data: { stockPushIntervalSeconds: 0 } }) };

  let b: Marketplace | undefined;
  if (opts.twoMarketplaces) {
    const apiKey = "second-marketplace-key-0002";
    const sim = await startMiraklSimulator({
      preset: "default",
      shops: [{ apiKey, shopId: 3001, shopName: "Second Shop" }],
      offers: Object.keys(h.catalogue.variants).map((sku) => ({ sku, price: 10, quantity: h.mirakl.control.getOffers().find((o) => o.sku === sku)?.quantity ?? 0 })),
    });
    const res = await createConnection({ services: h.services, shop: h.shop, input: { name: "Second marketplace", baseUrl: sim.url, apiKey } });
    if (res.kind !== "created") throw new Error(`second connection failed: ${JSON.stringify(res)}`);
    const connection = await prisma.marketplaceConnection.update({
      where: { id: res.connection.id },
      data: { locationIds: Object.values(h.catalogue.locations), stockPushIntervalSeconds: 0 },
    });
    b = { name: "Second marketplace", sim, connection };
  }
  const all = () => (b ? [a, b] : [a]);

  const world: InventoryWorld = {
    h,
    a,
    b,
    marketplaces: all,
    async mapSkus(connectionId, skus = Object.keys(h.catalogue.variants), extra = {}) {
      for (const sku of skus) {
        const v = h.catalogue.variants[sku];
        if (!v) throw new Error(`unknown SKU ${sku}`);
        await prisma.skuMapping.upsert({
          where: { connectionId_offerSku: { connectionId, offerSku: sku } },
          create: { connectionId, offerSku: sku, shopifySku: sku, shopifyVariantId: v.variantId, shopifyInventoryItemId: v.inventoryItemId, matchStatus: "MATCHED", source: "AUTO", ...extra },
          update: { shopifyVariantId: v.variantId, shopifyInventoryItemId: v.inventoryItemId, matchStatus: "MATCHED", ...extra },
        });
      }
    },
    async reload(m) {
      m.connection = await prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: m.connection.id } });
      return m.connection;
    },
    miraklQty: (m, sku) => m.sim.control.getOffers().find((o) => o.sku === sku)?.quantity,
    shopifyAvailable(sku) {
      const inv = h.shopify.control.inventory({ shop: h.shop })[sku] ?? {};
      return Object.fromEntries(Object.entries(inv).map(([loc, q]) => [loc, q.available]));
    },
    async deliverWebhooks() {
      await h.drain();
    },
    async runQueuedPushes() {
      await h.drain();
      await new Promise((r) => setTimeout(r, PUSH_DEBOUNCE_SECONDS * 1000 + 300));
      await h.drain();
    },
    async push(m) {
      const out: unknown[] = [];
      for (const x of m ? [m] : all()) out.push(await h.services.jobs.runNow(inventoryPushJob, { shop: h.shop, connectionId: x.connection.id }));
      return out;
    },
    async settleImports() {
      for (const x of all()) x.sim.control.advanceClock(5_000);
      const open = await prisma.stockImport.findMany({ where: { status: { in: ["WAITING", "RUNNING"] } }, orderBy: { submittedAt: "asc" } });
      const out: unknown[] = [];
      for (const imp of open) {
        const c = all().find((x) => x.connection.id === imp.connectionId);
        if (c) out.push(await h.services.jobs.runNow(inventoryImportStatusJob, { shop: h.shop, connectionId: c.connection.id, stockImportId: imp.id }));
      }
      return out;
    },
    reconcile: (m) => h.services.jobs.runNow(inventoryReconcileJob, { shop: h.shop, connectionId: m.connection.id, trigger: "test" }),
    sto01Calls: (m) => m.sim.control.stats().calls.STO01 ?? 0,
    async close() {
      await h.close();
      await b?.sim.close();
    },
  };
  return world;
}
