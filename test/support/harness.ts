import { Session } from "@shopify/shopify-api";
import type { MarketplaceConnection } from "@prisma/client";
import { startMiraklSimulator, type MiraklSimulator, type StartMiraklSimulatorOptions } from "../simulators/mirakl";
import { startShopifySimulator, type ShopifySimulator } from "../simulators/shopify";
import { bootApp, type BootedApp } from "../../app/server/boot.server";
import type { Services } from "../../app/services.server";
import { REQUIRED_SCOPES } from "../../app/shopify.server";
import { createConnection } from "../../app/sync/connections.server";
import { createTestDatabaseUrl } from "./test-db";
import { startWebhookReceiver } from "./webhook-receiver";
import { TEST_API_SECRET, testEnv } from "./test-env";

/**
 * An integration-test world: a fresh database (PGlite, or PostgreSQL when TEST_DATABASE_URL is set), the
 * app's services and job queue, the Shopify simulator with one shop (whose webhooks reach the app's webhook
 * routes over HTTP), and a Mirakl simulator with the same SKUs as offers, connected like a merchant would.
 *
 * Jobs do not run by themselves unless `workers: true`: tests call `harness.drain()` (process everything queued)
 * or run a job with `services.jobs.runNow(def, payload)`, so they are deterministic.
 */
export interface HarnessOptions {
  shop?: string;
  /** Shopify products; default: three SKUs with stock at two locations. */
  products?: ProductSeed[];
  locations?: string[];
  shopifyPlan?: "standard" | "advanced" | "plus";
  mirakl?: StartMiraklSimulatorOptions & { apiKey?: string };
  /** Create the marketplace connection through the real connect flow (default true). */
  connect?: boolean;
  connection?: Partial<Pick<MarketplaceConnection, "acceptancePolicy" | "acceptanceWindowMinutes" | "customerPolicy" | "sharedCustomerEmail" | "safetyStockMode" | "safetyStockValue" | "autoSendRefunds" | "unacknowledgedShipmentMinutes">>;
  workers?: boolean;
  webhooks?: { duplicateRate?: number; reorder?: boolean };
}

export interface Harness {
  services: Services;
  app: BootedApp;
  shop: string;
  accessToken: string;
  shopify: ShopifySimulator;
  mirakl: MiraklSimulator;
  miraklApiKey: string;
  connection?: MarketplaceConnection;
  /** Shopify ids of the seeded catalogue. */
  catalogue: { locations: Record<string, string>; variants: Record<string, { variantId: string; inventoryItemId: string; productId: string }> };
  /** Delivers pending webhooks, then processes every queued job until none is left. */
  drain(opts?: { timeoutMs?: number }): Promise<number>;
  reloadConnection(): Promise<MarketplaceConnection>;
  close(): Promise<void>;
}

type ProductSeed = { title: string; variants: Array<{ sku: string; price: number; inventory?: Record<string, number>; tracked?: boolean }> };

export const DEFAULT_PRODUCTS: ProductSeed[] = [
  { title: "Breton top", variants: [{ sku: "TOP-NAVY-M", price: 39.95, inventory: { Warehouse: 20, Store: 5 } }, { sku: "TOP-NAVY-L", price: 39.95, inventory: { Warehouse: 3, Store: 0 } }] },
  { title: "Canvas tote", variants: [{ sku: "TOTE", price: 19.95, inventory: { Warehouse: 100, Store: 10 } }] },
];

export async function startHarness(opts: HarnessOptions = {}): Promise<Harness> {
  const shop = opts.shop ?? "test-brand.myshopify.com";
  const accessToken = `shpat_${shop.split(".")[0]}_token`;
  const locations = opts.locations ?? ["Warehouse", "Store"];
  const products = opts.products ?? DEFAULT_PRODUCTS;

  const db = await createTestDatabaseUrl();
  const receiver = await startWebhookReceiver();
  const shopify = await startShopifySimulator({
    webhooks: { appUrl: receiver.url, secret: TEST_API_SECRET, duplicateRate: opts.webhooks?.duplicateRate, reorder: opts.webhooks?.reorder },
  });
  const created = shopify.control.createShop({
    domain: shop,
    accessToken,
    currency: "GBP",
    plan: opts.shopifyPlan ?? "standard",
    locations: locations.map((name) => ({ name })),
    products: products.map((p) => ({ title: p.title, variants: p.variants.map((v) => ({ sku: v.sku, price: v.price, inventory: v.inventory, tracked: v.tracked })) })),
  });

  const env = testEnv({ DATABASE_URL: db.url, SHOPIFY_ADMIN_API_ORIGIN: shopify.url, SHOPIFY_APP_URL: receiver.url });
  const app = await bootApp({ env, workers: opts.workers ?? false, schedules: false });
  const services = app.services;
  const session = new Session({ id: `offline_${shop}`, shop, state: "test", isOnline: false });
  session.accessToken = accessToken;
  session.scope = [...REQUIRED_SCOPES].join(",");
  await services.shopify.sessionStorage.storeSession(session);
  await services.prisma.shop.create({ data: { domain: shop } });

  const miraklApiKey = opts.mirakl?.apiKey ?? "harness-mirakl-key-0001";
  const { apiKey: _ignored, ...miraklOpts } = opts.mirakl ?? {};
  const mirakl = await startMiraklSimulator({
    preset: "default",
    shops: [{ apiKey: miraklApiKey, shopId: 2001, shopName: "Harness Shop" }],
    offers: products.flatMap((p) =>
      p.variants.map((v) => ({ sku: v.sku, price: v.price, quantity: Object.values(v.inventory ?? {}).reduce((a, b) => a + b, 0), productTitle: p.title })),
    ),
    ...miraklOpts,
  });

  let connection: MarketplaceConnection | undefined;
  if (opts.connect ?? true) {
    const res = await createConnection({ services, shop, input: { name: "Marketplace", baseUrl: mirakl.url, apiKey: miraklApiKey } });
    if (res.kind !== "created") throw new Error(`harness connection failed: ${JSON.stringify(res)}`);
    connection = await services.prisma.marketplaceConnection.update({
      where: { id: res.connection.id },
      data: { locationIds: Object.values(created.locations), ...opts.connection },
    });
  }

  const harness: Harness = {
    services,
    app,
    shop,
    accessToken,
    shopify,
    mirakl,
    miraklApiKey,
    connection,
    catalogue: { locations: created.locations, variants: created.variants },
    async drain({ timeoutMs = 60_000 } = {}) {
      const deadline = Date.now() + timeoutMs;
      let total = 0;
      for (;;) {
        await shopify.control.flushWebhooks();
        const n = await services.jobs.drain({ timeoutMs: Math.max(1000, deadline - Date.now()) });
        total += n;
        if (n === 0 || Date.now() > deadline) return total;
      }
    },
    async reloadConnection() {
      if (!connection) throw new Error("no connection");
      connection = await services.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: connection.id } });
      harness.connection = connection;
      return connection;
    },
    async close() {
      mirakl.control.stopGenerator();
      await app.close();
      await mirakl.close();
      await shopify.close();
      await receiver.close();
      await db.drop();
    },
  };
  return harness;
}
