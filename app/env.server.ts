import { z } from "zod";

/**
 * The only reader of process.env. Parsed once at boot; a missing or malformed value stops the process
 * with a message that names the variable and says what it should look like.
 */
const bool = z
  .enum(["1", "0", "true", "false", "yes", "no", ""])
  .optional()
  .transform((v) => v === "1" || v === "true" || v === "yes");

const schema = z
  .object({
    NODE_ENV: z.enum(["development", "test", "production"]).default("development"),
    PORT: z.coerce.number().int().positive().default(3000),
    SHOPIFY_API_KEY: z.string().min(1, "the app's client id from the Partner/Dev Dashboard"),
    SHOPIFY_API_SECRET: z.string().min(1, "the app's client secret"),
    SHOPIFY_APP_URL: z.string().url("the public https URL of this app, e.g. https://connector.example.com"),
    SCOPES: z.string().optional(),
    DATABASE_URL: z
      .string()
      .default("pglite:./data/pg")
      .refine((v) => /^(postgres(ql)?:\/\/|pglite:)/.test(v), "postgres://user:pass@host/db, or pglite:<folder>, or pglite:memory"),
    /** 32 bytes, hex (64 chars) or base64: encrypts Mirakl API keys at rest. */
    ENCRYPTION_KEY: z
      .string()
      .refine((v) => {
        const hex = /^[0-9a-fA-F]{64}$/.test(v);
        return hex || Buffer.from(v, "base64").length === 32;
      }, "32 random bytes as 64 hex characters (openssl rand -hex 32)"),
    /** Bearer secret for the sync routes (POST /jobs/<name>) that let an external cron drive jobs. */
    JOBS_SECRET: z.string().min(16, "at least 16 characters (openssl rand -hex 16)").optional(),
    /** inline: this process also runs the job workers (embedded default). web: serve only. */
    JOBS_MODE: z.enum(["inline", "web"]).default("inline"),
    WORKER_CONCURRENCY: z.coerce.number().int().positive().default(4),
    LOG_LEVEL: z.enum(["debug", "info", "warn", "error"]).default("info"),
    /** Development and tests only: send Admin GraphQL to this origin instead of https://<shop>. */
    SHOPIFY_ADMIN_API_ORIGIN: z.string().url().optional(),
    /** Development and tests only: the demo's sign-in page (no Shopify admin around the app). */
    DEV_SIGN_IN: bool,
  })
  .superRefine((env, ctx) => {
    if (env.NODE_ENV === "production") {
      if (env.DEV_SIGN_IN)
        ctx.addIssue({ code: "custom", path: ["DEV_SIGN_IN"], message: "the development sign-in cannot be enabled in production" });
      if (env.SHOPIFY_ADMIN_API_ORIGIN)
        ctx.addIssue({ code: "custom", path: ["SHOPIFY_ADMIN_API_ORIGIN"], message: "cannot redirect Admin API calls in production" });
      if (env.DATABASE_URL.startsWith("pglite:memory"))
        ctx.addIssue({ code: "custom", path: ["DATABASE_URL"], message: "an in-memory database loses everything on restart" });
    }
  });

export type Env = z.infer<typeof schema>;

export class EnvError extends Error {}

export function parseEnv(source: Record<string, string | undefined>): Env {
  const res = schema.safeParse(source);
  if (!res.success) {
    const lines = res.error.issues.map((i) => `  - ${i.path.join(".") || "(env)"}: ${i.message}`);
    throw new EnvError(`Invalid environment:\n${lines.join("\n")}\nSee README.md "Configuration".`);
  }
  return res.data;
}

let cached: Env | undefined;
export function loadEnv(): Env {
  cached ??= parseEnv(process.env);
  return cached;
}
/** Tests start servers with different settings in one process. */
export function resetEnvCache(): void {
  cached = undefined;
}
