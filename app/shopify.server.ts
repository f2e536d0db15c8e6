import "@shopify/shopify-app-remix/adapters/node";
import { ApiVersion, AppDistribution, LogSeverity, shopifyApp } from "@shopify/shopify-app-remix/server";
import { PrismaSessionStorage } from "@shopify/shopify-app-session-storage-prisma";
import type { PrismaClient } from "@prisma/client";
import type { Env } from "./env.server";

export const API_VERSION = ApiVersion.April26;

/**
 * Scopes the product needs (docs/decisions/0003-scopes.md has the why of each). Kept in sync with
 * shopify.app.toml [access_scopes] by test/unit/app-config.test.ts.
 */
export const REQUIRED_SCOPES = [
  "read_products",
  "read_inventory",
  "write_inventory",
  "read_locations",
  "read_orders",
  "write_orders",
  "read_order_edits",
  "write_order_edits",
  "read_fulfillments",
  "write_fulfillments",
  "read_merchant_managed_fulfillment_orders",
  "write_merchant_managed_fulfillment_orders",
  "read_assigned_fulfillment_orders",
  "write_assigned_fulfillment_orders",
  "read_third_party_fulfillment_orders",
  "write_third_party_fulfillment_orders",
  "read_customers",
  "write_customers",
] as const;

export function createShopify({ env, prisma, onInstalled }: { env: Env; prisma: PrismaClient; onInstalled?: (shop: string) => Promise<void> }) {
  return shopifyApp({
    apiKey: env.SHOPIFY_API_KEY,
    apiSecretKey: env.SHOPIFY_API_SECRET,
    apiVersion: API_VERSION,
    scopes: env.SCOPES ? env.SCOPES.split(",").map((s) => s.trim()) : [...REQUIRED_SCOPES],
    appUrl: env.SHOPIFY_APP_URL,
    authPathPrefix: "/auth",
    sessionStorage: new PrismaSessionStorage(prisma),
    distribution: AppDistribution.AppStore,
    // The demo runs outside the Shopify admin (no iframe, no App Bridge), signed in through /dev/sign-in;
    // env.server.ts refuses DEV_SIGN_IN in production, so production is always embedded.
    isEmbeddedApp: !env.DEV_SIGN_IN,
    future: { unstable_newEmbeddedAuthStrategy: true, expiringOfflineAccessTokens: true },
    // The library logs "Authenticating admin request" (and more) at Info on every request: noise next to our own
    // structured logs. Its warnings and errors still show; LOG_LEVEL=debug brings everything back.
    logger: { level: env.LOG_LEVEL === "debug" ? LogSeverity.Debug : LogSeverity.Warning },
    hooks: {
      afterAuth: async ({ session }) => {
        await onInstalled?.(session.shop);
      },
    },
  });
}

export type ShopifyApp = ReturnType<typeof createShopify>;
