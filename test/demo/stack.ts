import path from "node:path";
import { existsSync, readFileSync, writeFileSync, mkdirSync, statSync, readdirSync } from "node:fs";
import { randomBytes } from "node:crypto";
import { execFileSync } from "node:child_process";
import { Session } from "@shopify/shopify-api";
import { startMiraklSimulator, type MiraklSimulator, type PresetName } from "../simulators/mirakl";
import { startShopifySimulator, type ShopifySimulator } from "../simulators/shopify";
import { parseEnv, type Env } from "../../app/env.server";
import { bootApp, type BootedApp } from "../../app/server/boot.server";
import { startHttpServer } from "../../app/server/http.server";
import { REQUIRED_SCOPES } from "../../app/shopify.server";
import { createConnection } from "../../app/sync/connections.server";
import { seedDemoPayout } from "./payouts";
import { DEMO_ACCESS_TOKEN, DEMO_LOCATIONS, DEMO_MIRAKL_API_KEY, DEMO_PRODUCTS, DEMO_SHOP, DEMO_SKUS } from "./catalogue";

/**
 * The whole product on one machine: both simulators, the app (built Remix server + jobs) on its embedded
 * database, a seeded demo shop and one connected marketplace. `npm run demo` and the Playwright tests use it.
 */
export interface StackOptions {
  appPort: number;
  miraklPort: number;
  shopifyPort: number;
  databaseUrl: string;
  /** Secrets file: kept across demo runs so the encrypted API key stays readable. */
  secretsFile?: string;
  miraklPreset?: PresetName;
  /** Point the marketplace at a real Mirakl instead of the simulator. */
  miraklUrl?: string;
  miraklApiKey?: string;
  connect?: boolean;
  logLevel?: Env["LOG_LEVEL"];
  /** Seed one closed Mirakl payout (orders imported, shipped, received) when the shop has none yet. */
  seedPayouts?: boolean;
}

export interface Stack {
  appUrl: string;
  signInUrl: string;
  env: Env;
  app: BootedApp;
  mirakl?: MiraklSimulator;
  shopify: ShopifySimulator;
  close(): Promise<void>;
}

const ROOT = path.resolve(path.dirname(new URL(import.meta.url).pathname), "../..");

/** Builds the Remix app unless build/ is newer than every source file under app/. */
export function ensureBuilt(): void {
  const serverBuild = path.join(ROOT, "build/server/index.js");
  const newest = (dir: string): number =>
    readdirSync(dir, { withFileTypes: true }).reduce((max, d) => {
      const p = path.join(dir, d.name);
      return Math.max(max, d.isDirectory() ? newest(p) : statSync(p).mtimeMs);
    }, 0);
  if (existsSync(serverBuild) && statSync(serverBuild).mtimeMs > newest(path.join(ROOT, "app"))) return;
  // Rollup reports our server-only route modules as "Generated an empty chunk" warnings on every build: expected,
  // and noise on the demo's console. Errors still show (stderr is inherited).
  execFileSync("npx", ["remix", "vite:build", "--logLevel", "error"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

function secrets(file?: string): { encryptionKey: string; apiSecret: string } {
  if (file && existsSync(file)) return JSON.parse(readFileSync(file, "utf8")) as { encryptionKey: string; apiSecret: string };
  const s = { encryptionKey: randomBytes(32).toString("hex"), apiSecret: randomBytes(24).toString("hex") };
  if (file) {
    mkdirSync(path.dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(s), { mode: 0o600 });
  }
  return s;
}

export async function startStack(opts: StackOptions): Promise<Stack> {
  ensureBuilt();
  const { encryptionKey, apiSecret } = secrets(opts.secretsFile);
  const appUrl = `http://localhost:${opts.appPort}`;

  const shopify = await startShopifySimulator({
    port: opts.shopifyPort,
    webhooks: { appUrl, secret: apiSecret },
  });
  const env = parseEnv({
    NODE_ENV: "development",
    PORT: String(opts.appPort),
    SHOPIFY_API_KEY: "demo-app-client-id",
    SHOPIFY_API_SECRET: apiSecret,
    SHOPIFY_APP_URL: appUrl,
    DATABASE_URL: opts.databaseUrl,
    ENCRYPTION_KEY: encryptionKey,
    DEV_SIGN_IN: "1",
    SHOPIFY_ADMIN_API_ORIGIN: shopify.url,
    LOG_LEVEL: opts.logLevel ?? "info",
  });

  const created = shopify.control.createShop({
    domain: DEMO_SHOP,
    accessToken: DEMO_ACCESS_TOKEN,
    name: "Demo Brand",
    currency: "GBP",
    ianaTimezone: "Europe/London",
    plan: "standard",
    locations: DEMO_LOCATIONS.map((name) => ({ name })),
    products: DEMO_PRODUCTS.map((p) => ({
      title: p.title,
      variants: p.variants.map((v) => ({
        sku: v.sku,
        title: v.title,
        price: v.price,
        inventory: { [DEMO_LOCATIONS[0]]: v.stock[0], [DEMO_LOCATIONS[1]]: v.stock[1] },
      })),
    })),
  });

  let mirakl: MiraklSimulator | undefined;
  if (!opts.miraklUrl) {
    mirakl = await startMiraklSimulator({
      port: opts.miraklPort,
      preset: opts.miraklPreset ?? "joules",
      shops: [{ apiKey: DEMO_MIRAKL_API_KEY, shopId: 2001, shopName: "Demo Brand (Joules Marketplace)" }],
      offers: DEMO_SKUS.map((v) => ({ sku: v.sku, quantity: v.stock[0] + v.stock[1], price: v.price, productTitle: v.title })),
    });
  }

  const app = await bootApp({ env, workers: true });
  const http = await startHttpServer({ port: opts.appPort, buildDir: path.join(ROOT, "build") });

  // What installing the app would have stored: the shop's offline session.
  const session = new Session({ id: `offline_${DEMO_SHOP}`, shop: DEMO_SHOP, state: "demo", isOnline: false });
  session.accessToken = created.accessToken;
  session.scope = [...REQUIRED_SCOPES].join(",");
  await app.services.shopify.sessionStorage.storeSession(session);
  await app.services.prisma.shop.upsert({ where: { domain: DEMO_SHOP }, create: { domain: DEMO_SHOP }, update: { uninstalledAt: null } });

  if (opts.connect ?? true) {
    const existing = await app.services.prisma.marketplaceConnection.findFirst({ where: { shop: DEMO_SHOP } });
    if (!existing) {
      const res = await createConnection({
        services: app.services,
        shop: DEMO_SHOP,
        input: { name: "Joules", baseUrl: opts.miraklUrl ?? mirakl!.url, apiKey: opts.miraklApiKey ?? DEMO_MIRAKL_API_KEY },
      });
      if (res.kind !== "created") throw new Error(`demo connection failed: ${JSON.stringify(res)}`);
      await app.services.prisma.marketplaceConnection.update({
        where: { id: res.connection.id },
        data: { locationIds: Object.values(created.locations), acceptanceWindowMinutes: 30, acceptanceEscalationMinutes: 10, safetyStockMode: "FIXED", safetyStockValue: 2 },
      });
    } else if (mirakl && existing.baseUrl !== mirakl.url) {
      // A previous demo ran the simulator on another port.
      await app.services.prisma.marketplaceConnection.update({ where: { id: existing.id }, data: { baseUrl: mirakl.url } });
    }
  }

  const connection = await app.services.prisma.marketplaceConnection.findFirst({ where: { shop: DEMO_SHOP } });
  if (opts.seedPayouts && mirakl && connection && (await app.services.prisma.payout.count({ where: { shop: DEMO_SHOP } })) === 0) {
    await seedDemoPayout({ services: app.services, mirakl, shop: DEMO_SHOP, connection, skus: DEMO_SKUS.slice(0, 3).map((v) => v.sku) });
  }

  return {
    appUrl,
    signInUrl: `${appUrl}/dev/sign-in?shop=${DEMO_SHOP}`,
    env,
    app,
    mirakl,
    shopify,
    async close() {
      mirakl?.control.stopGenerator();
      await http.close();
      await app.close();
      await mirakl?.close();
      await shopify.close();
    },
  };
}
