import type { PrismaClient, MarketplaceConnection } from "@prisma/client";
import type { Env } from "./env.server";
import type { Database } from "./db/database.server";
import type { JobQueue } from "./jobs/queue.server";
import type { ShopifyApp } from "./shopify.server";
import { createTaskService, type TaskService } from "./sync/tasks.server";
import { decryptSecret, SecretUnreadableError } from "./lib/crypto.server";
import { ApiKeyUnreadableError } from "./sync/api-key-unreadable.server";
import { createMiraklClient, type MiraklClient } from "./mirakl";
import { createAdminClient, type AdminClient } from "./shopify";
import { API_VERSION } from "./shopify.server";
import { NotFoundError } from "./lib/errors";

/**
 * Everything a sync function or a route needs from the running app, built once at boot.
 * Sync functions take the parts they use (`{ prisma, mirakl, shopify, tasks }`), never this whole object,
 * so they stay testable with the same real pieces the app uses.
 */
export interface Services {
  env: Env;
  db: Database;
  prisma: PrismaClient;
  jobs: JobQueue;
  tasks: TaskService;
  shopify: ShopifyApp;
  /** A Mirakl client for a connection (its API key decrypted here and nowhere else). Cached per connection. */
  mirakl(connection: Pick<MarketplaceConnection, "id" | "shop" | "baseUrl" | "apiKeyEncrypted" | "miraklShopId">): MiraklClient;
  /** An Admin API client for a shop's offline session. */
  shopifyAdmin(shop: string): Promise<AdminClient>;
  now(): Date;
}

export function buildServices(input: { env: Env; db: Database; jobs: () => JobQueue; shopify: ShopifyApp }): Services {
  const { env, db, shopify } = input;
  const prisma = db.prisma;
  const miraklCache = new Map<string, { fingerprint: string; client: MiraklClient }>();
  const services: Services = {
    env,
    db,
    prisma,
    get jobs() {
      return input.jobs();
    },
    tasks: createTaskService(prisma),
    shopify,
    mirakl(connection) {
      // The client keeps per-operation throttle state, so it must outlive a single job.
      const fingerprint = `${connection.baseUrl}|${connection.apiKeyEncrypted}|${connection.miraklShopId ?? ""}`;
      const cached = miraklCache.get(connection.id);
      if (cached && cached.fingerprint === fingerprint) return cached.client;
      const client = createMiraklClient({
        baseUrl: connection.baseUrl,
        apiKey: decryptApiKey(connection, env.ENCRYPTION_KEY),
        shopId: connection.miraklShopId ?? undefined,
        logContext: { shop: connection.shop, connectionId: connection.id },
      });
      miraklCache.set(connection.id, { fingerprint, client });
      return client;
    },
    async shopifyAdmin(shop) {
      // unauthenticated.admin loads the offline session and refreshes an expiring token when needed.
      const { session } = await shopify.unauthenticated.admin(shop).catch((err: unknown) => {
        throw new NotFoundError(`No Shopify session for ${shop}: the app must be (re)installed on this shop.`, { cause: String(err) });
      });
      return createAdminClient({
        shop,
        accessToken: session.accessToken ?? "",
        apiVersion: API_VERSION,
        endpoint: env.SHOPIFY_ADMIN_API_ORIGIN ? `${env.SHOPIFY_ADMIN_API_ORIGIN}/admin/api/${API_VERSION}/graphql.json` : undefined,
      });
    },
    now: () => new Date(),
  };
  return services;
}

/** The connection's Mirakl key; an unreadable one names its connection so the job runner can pause exactly that one. */
function decryptApiKey(connection: Pick<MarketplaceConnection, "id" | "shop" | "apiKeyEncrypted">, secret: string): string {
  try {
    return decryptSecret(connection.apiKeyEncrypted, secret);
  } catch (err) {
    if (err instanceof SecretUnreadableError) throw new ApiKeyUnreadableError({ shop: connection.shop, connectionId: connection.id, cause: err });
    throw err;
  }
}
