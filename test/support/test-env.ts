import { randomBytes } from "node:crypto";
import { parseEnv, type Env } from "../../app/env.server";

export const TEST_API_KEY = "test-api-key";
export const TEST_API_SECRET = "test-api-secret-0123456789";

/** The env a test app boots with: dummy Shopify app credentials, a fresh encryption key, no workers by default. */
export function testEnv(overrides: Record<string, string | undefined> = {}): Env {
  return parseEnv({
    NODE_ENV: "test",
    SHOPIFY_API_KEY: TEST_API_KEY,
    SHOPIFY_API_SECRET: TEST_API_SECRET,
    SHOPIFY_APP_URL: "http://localhost:3999",
    ENCRYPTION_KEY: randomBytes(32).toString("hex"),
    DATABASE_URL: "pglite:memory",
    LOG_LEVEL: process.env.LOG_LEVEL ?? "warn",
    JOBS_SECRET: "test-jobs-secret-0123456789",
    ...overrides,
  });
}
