import { z } from "zod";
import { ValidationError } from "../lib/errors";
import { logger as rootLogger, type Logger } from "../lib/logger";
import {
  ShopifyAuthError,
  ShopifyGraphqlError,
  ShopifyHttpError,
  ShopifyResponseError,
  ShopifyThrottledError,
  ShopifyUnavailableError,
  ShopifyUserError,
  type GraphqlErrorEntry,
  type ShopifyErrorContext,
  type ShopifyOperationKind,
} from "./errors";
import { parseShopDomain, type ShopDomain } from "./gid";
import { sharedBucketRegistry, type BucketRegistry, type BucketSnapshot, type ThrottleStatus } from "./throttle-bucket";
import { collectUserErrors } from "./user-errors";

export const DEFAULT_API_VERSION = "2026-04";

export interface AdminClientOptions {
  shop: string;
  /** Offline access token. Sent only as X-Shopify-Access-Token to `endpoint`; never logged. */
  accessToken: string;
  apiVersion?: string;
  /** Default https://<shop>/admin/api/<apiVersion>/graphql.json; tests and the dev server point it at a simulator. */
  endpoint?: string;
  fetch?: typeof globalThis.fetch;
  sleep?: (ms: number) => Promise<void>;
  now?: () => number;
  /** Jitter source, injectable so tests can assert exact waits. */
  random?: () => number;
  /** Per HTTP attempt, including reading the body. */
  timeoutMs?: number;
  /** Upper bound on time spent waiting for the bucket (pacing + THROTTLED) within one request() call. */
  maxThrottleWaitMs?: number;
  /** Retries after 5xx / network errors / timeouts, for queries and idempotency-keyed mutations only. */
  maxRetries?: number;
  buckets?: BucketRegistry;
  logger?: Logger;
}

export interface GraphqlRequest<T> {
  query: string;
  variables?: Record<string, unknown>;
  /** zod schema of `data`; parse leniently (objects strip unknown keys, enums read as strings). */
  schema: z.ZodType<T, z.ZodTypeDef, unknown>;
  /** Must equal the operation's name in `query`; it is also the key of the learnt cost estimate. */
  operationName: string;
  kind: ShopifyOperationKind;
  /**
   * Required exactly when the document carries `@idempotent(key: $idempotencyKey)` (mandatory on inventory
   * and refund mutations from 2026-04, notes §4.5). Deterministic per business event, so the job runner's
   * retry reuses it and Shopify returns the first outcome instead of applying twice.
   */
  idempotencyKey?: string;
  /**
   * userError codes this caller treats as an answer, not a failure (TAKEN for a create whose target may already
   * exist). Still thrown as ShopifyUserError; only logged at debug, so an expected answer is not a warning.
   */
  expectedUserErrorCodes?: readonly string[];
}

export interface AdminClient {
  readonly shop: ShopDomain;
  readonly apiVersion: string;
  request<T>(req: GraphqlRequest<T>): Promise<T>;
  /** Last known bucket state for this shop (for logs, health pages and tests). */
  throttleState(): BucketSnapshot | undefined;
}

const throttleStatusSchema = z.object({
  maximumAvailable: z.number(),
  currentlyAvailable: z.number(),
  restoreRate: z.number(),
});

const envelopeSchema = z
  .object({
    data: z.unknown().optional(),
    errors: z.unknown().optional(),
    extensions: z
      .object({
        cost: z
          .object({
            requestedQueryCost: z.number().nullable().optional().catch(undefined),
            actualQueryCost: z.number().nullable().optional().catch(undefined),
            throttleStatus: throttleStatusSchema.optional().catch(undefined),
          })
          .passthrough()
          .optional()
          .catch(undefined),
      })
      .passthrough()
      .optional()
      .catch(undefined),
  })
  .passthrough();

const graphqlErrorSchema = z
  .object({
    message: z.string().catch("(no message)"),
    extensions: z.object({ code: z.string().optional().catch(undefined) }).passthrough().optional().catch(undefined),
    path: z.array(z.union([z.string(), z.number()])).optional().catch(undefined),
  })
  .passthrough();

/** Shopify returns `errors` as a GraphQL list, or as a bare string on some HTTP errors ("Not Found"). */
function normalizeErrors(raw: unknown): GraphqlErrorEntry[] {
  if (raw === undefined || raw === null) return [];
  if (typeof raw === "string") return [{ message: raw }];
  if (!Array.isArray(raw)) return [{ message: JSON.stringify(raw).slice(0, 500) }];
  return raw.map((e) => {
    const p = graphqlErrorSchema.safeParse(e);
    if (!p.success) return { message: String(e) };
    const entry: GraphqlErrorEntry = { message: p.data.message };
    if (p.data.extensions?.code) entry.code = p.data.extensions.code;
    if (p.data.path) entry.path = p.data.path;
    return entry;
  });
}

/**
 * Before the first response for an operation we fall back to defaults: a mutation costs 10 points
 * (Shopify's rate-limit docs, notes §4.8); for queries it is a guess, corrected by the first response.
 */
const DEFAULT_QUERY_COST = 20;
const MIN_THROTTLE_WAIT_MS = 100;
/** THROTTLED answers tolerated within one request() call, whatever the waits (guards against a lying bucket). */
const MAX_THROTTLED_RESPONSES = 20;
const DEFAULT_MUTATION_COST = 10;

/** Connection codes meaning the request never left this machine, so even a mutation cannot have applied. */
const NOT_SENT_CODES = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ERR_INVALID_URL", "EHOSTUNREACH", "ENETUNREACH"]);

function errorCodes(err: unknown, depth = 0): string[] {
  if (depth > 4 || err === null || typeof err !== "object") return [];
  const out: string[] = [];
  const code = (err as { code?: unknown }).code;
  if (typeof code === "string") out.push(code);
  out.push(...errorCodes((err as { cause?: unknown }).cause, depth + 1));
  const nested = (err as { errors?: unknown }).errors;
  if (Array.isArray(nested)) for (const n of nested) out.push(...errorCodes(n, depth + 1));
  return out;
}

function parseRetryAfter(value: string | null, now: number): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

type SendOutcome =
  | { kind: "network"; error: unknown; timedOut: boolean; notSent: boolean }
  | { kind: "response"; status: number; retryAfterMs: number | undefined; body: unknown; bodyIsJson: boolean };

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createAdminClient(opts: AdminClientOptions): AdminClient {
  const shop = parseShopDomain(opts.shop);
  const apiVersion = opts.apiVersion ?? DEFAULT_API_VERSION;
  const endpoint = opts.endpoint ?? `https://${shop}/admin/api/${apiVersion}/graphql.json`;
  const doFetch = opts.fetch ?? globalThis.fetch;
  const sleep = opts.sleep ?? realSleep;
  const now = opts.now ?? Date.now;
  const random = opts.random ?? Math.random;
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const maxThrottleWaitMs = opts.maxThrottleWaitMs ?? 60_000;
  const maxRetries = opts.maxRetries ?? 3;
  const registry = opts.buckets ?? sharedBucketRegistry;
  const bucket = registry.get(shop);
  const requestedCostByOperation = registry.costs;
  const log = (opts.logger ?? rootLogger).child({ module: "shopify", shop });
  // Kept in a closure variable, not on the returned object, so a logged or serialised client cannot leak it.
  const accessToken = opts.accessToken;
  if (!accessToken) throw new ValidationError("createAdminClient: accessToken is required", { shop });

  async function send(body: string): Promise<SendOutcome> {
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, timeoutMs);
    try {
      const res = await doFetch(endpoint, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: "application/json",
          "X-Shopify-Access-Token": accessToken,
        },
        body,
        signal: controller.signal,
      });
      const text = await res.text();
      let parsed: unknown = undefined;
      let bodyIsJson = false;
      if (text.length > 0) {
        try {
          parsed = JSON.parse(text);
          bodyIsJson = true;
        } catch {
          parsed = undefined;
        }
      }
      return {
        kind: "response",
        status: res.status,
        retryAfterMs: parseRetryAfter(res.headers.get("retry-after"), now()),
        body: parsed,
        bodyIsJson,
      };
    } catch (error) {
      const codes = errorCodes(error);
      return { kind: "network", error, timedOut, notSent: !timedOut && codes.some((c) => NOT_SENT_CODES.has(c)) };
    } finally {
      clearTimeout(timer);
    }
  }

  async function request<T>(req: GraphqlRequest<T>): Promise<T> {
    const ctx: ShopifyErrorContext = { shop, operationName: req.operationName, kind: req.kind };
    const hasDirective = /@idempotent\b/.test(req.query);
    if (hasDirective && !req.idempotencyKey) {
      throw new ValidationError(`${req.operationName} requires an idempotency key (@idempotent, notes §4.5)`, { ...ctx });
    }
    if (!hasDirective && req.idempotencyKey) {
      throw new ValidationError(`${req.operationName} has no @idempotent directive; the key would be ignored`, { ...ctx });
    }
    const variables = req.idempotencyKey ? { ...req.variables, idempotencyKey: req.idempotencyKey } : (req.variables ?? {});
    const body = JSON.stringify({ query: req.query, variables, operationName: req.operationName });
    // A throttled request did not execute, and an idempotency key makes a repeat harmless; anything else
    // that may have reached Shopify must not be repeated blindly (notes §4.1: orderCreate has no idempotency).
    const safeToRepeat = req.kind === "query" || req.idempotencyKey !== undefined;

    let waitedForBucket = 0;
    let transientFailures = 0;
    let throttledResponses = 0;
    const startedAt = now();

    const waitForBucket = async (ms: number, reason: string, extra: Record<string, unknown>) => {
      if (waitedForBucket + ms > maxThrottleWaitMs) {
        log.warn("shopify throttle wait budget exhausted", { ...extra, operationName: req.operationName, waitedMs: waitedForBucket, nextWaitMs: ms });
        throw new ShopifyThrottledError({ ...ctx, waitedMs: waitedForBucket, retryAfterMs: ms });
      }
      log.debug(reason, { ...extra, operationName: req.operationName, waitMs: ms });
      waitedForBucket += ms;
      await sleep(ms);
    };

    const transient = async (info: { status?: number; retryAfterMs?: number; notSent?: boolean; error?: unknown; what: string }) => {
      transientFailures += 1;
      const repeatable = safeToRepeat || info.notSent === true;
      if (repeatable && transientFailures <= maxRetries) {
        const base = Math.min(8_000, 500 * 2 ** (transientFailures - 1));
        const backoff = Math.round(base / 2 + (random() * base) / 2);
        const wait = Math.max(backoff, info.retryAfterMs ?? 0);
        log.warn("shopify transient failure, retrying", {
          operationName: req.operationName,
          kind: req.kind,
          what: info.what,
          status: info.status,
          attempt: transientFailures,
          waitMs: wait,
        });
        await sleep(wait);
        return;
      }
      const mayHaveApplied = req.kind === "mutation" && info.notSent !== true;
      log.warn("shopify unavailable", {
        operationName: req.operationName,
        kind: req.kind,
        what: info.what,
        status: info.status,
        attempts: transientFailures,
        mayHaveApplied,
      });
      throw new ShopifyUnavailableError(
        `Shopify unavailable for ${req.operationName} on ${shop} (${info.what})${mayHaveApplied ? "; the mutation may have applied" : ""}`,
        { ...ctx, status: info.status, attempts: transientFailures, mayHaveApplied, retryAfterMs: info.retryAfterMs, cause: info.error },
      );
    };

    for (;;) {
      // Pace: wait until the bucket should hold the cost this operation asked for last time.
      const estimate =
        requestedCostByOperation.get(req.operationName) ?? (req.kind === "mutation" ? DEFAULT_MUTATION_COST : DEFAULT_QUERY_COST);
      for (;;) {
        const wait = bucket.reserve(estimate, now());
        if (wait <= 0) break;
        await waitForBucket(wait, "shopify pacing before send", { estimatedCost: estimate });
      }

      const outcome = await send(body);

      if (outcome.kind === "network") {
        const what = outcome.timedOut ? `timeout after ${timeoutMs} ms` : "network error";
        await transient({ what, notSent: outcome.notSent, error: outcome.timedOut ? undefined : outcome.error });
        continue;
      }

      const { status } = outcome;
      if (status === 401 || status === 403) {
        log.error("shopify auth rejected", { operationName: req.operationName, status });
        throw new ShopifyAuthError({ ...ctx, status });
      }

      const envelope = outcome.bodyIsJson ? envelopeSchema.safeParse(outcome.body) : undefined;
      const env = envelope?.success ? envelope.data : undefined;
      const cost = env?.extensions?.cost;
      if (cost?.throttleStatus) bucket.observe(cost.throttleStatus, now());
      if (typeof cost?.requestedQueryCost === "number") requestedCostByOperation.set(req.operationName, cost.requestedQueryCost);
      const errors = normalizeErrors(env?.errors);

      const throttled = status === 429 || errors.some((e) => e.code === "THROTTLED");
      if (throttled) {
        throttledResponses += 1;
        const ts: ThrottleStatus | undefined = cost?.throttleStatus;
        const requested = cost?.requestedQueryCost ?? estimate;
        let wait: number;
        if (ts && ts.restoreRate > 0) {
          // notes §4.8: sleep (requested − currentlyAvailable) / restoreRate seconds.
          const needed = Math.min(requested, ts.maximumAvailable) - ts.currentlyAvailable;
          wait = Math.max(0, Math.ceil((needed / ts.restoreRate) * 1000));
        } else {
          wait = outcome.retryAfterMs ?? 1_000;
        }
        // Never retry at once (a bucket we believe full but Shopify throttled must not spin), and add jitter
        // so workers throttled together do not come back in lockstep.
        wait = Math.max(wait, MIN_THROTTLE_WAIT_MS);
        wait += Math.round(random() * Math.min(250, Math.max(50, wait * 0.1)));
        if (throttledResponses > MAX_THROTTLED_RESPONSES) {
          throw new ShopifyThrottledError({ ...ctx, waitedMs: waitedForBucket, retryAfterMs: wait });
        }
        await waitForBucket(wait, "shopify throttled, waiting", { status, requestedCost: requested, throttleStatus: ts, throttledResponses });
        continue;
      }

      if (status >= 500) {
        await transient({ what: `HTTP ${status}`, status, retryAfterMs: outcome.retryAfterMs });
        continue;
      }
      if (status < 200 || status >= 300) {
        if (errors.length > 0 && status === 400) throw new ShopifyGraphqlError({ ...ctx, errors });
        log.error("shopify http error", { operationName: req.operationName, status });
        throw new ShopifyHttpError({ ...ctx, status });
      }
      if (!env) {
        // 2xx without a JSON object: a proxy page or a truncated body, not a Shopify answer.
        await transient({ what: `unreadable ${status} body`, status });
        continue;
      }
      if (errors.length > 0) {
        if (errors.some((e) => e.code === "INTERNAL_SERVER_ERROR")) {
          await transient({ what: "GraphQL INTERNAL_SERVER_ERROR", status });
          continue;
        }
        log.warn("shopify graphql errors", { operationName: req.operationName, errors });
        throw new ShopifyGraphqlError({ ...ctx, errors });
      }
      if (env.data === undefined || env.data === null) {
        throw new ShopifyResponseError({ ...ctx, issues: ["response has no data"] });
      }
      if (req.kind === "mutation") {
        const userErrors = collectUserErrors(env.data);
        if (userErrors.length > 0) {
          const expected = req.expectedUserErrorCodes ?? [];
          if (userErrors.every((e) => e.code && expected.includes(e.code))) log.debug("shopify userErrors (expected by the caller)", { operationName: req.operationName, userErrors });
          else log.warn("shopify userErrors", { operationName: req.operationName, userErrors });
          throw new ShopifyUserError({ ...ctx, userErrors });
        }
      }
      const parsed = req.schema.safeParse(env.data);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
        log.error("shopify response shape mismatch", { operationName: req.operationName, issues: issues.slice(0, 10) });
        throw new ShopifyResponseError({ ...ctx, issues });
      }
      log.debug("shopify request done", {
        operationName: req.operationName,
        kind: req.kind,
        durationMs: now() - startedAt,
        requestedCost: cost?.requestedQueryCost,
        actualCost: cost?.actualQueryCost,
        available: cost?.throttleStatus?.currentlyAvailable,
        waitedForBucketMs: waitedForBucket,
        retries: transientFailures,
      });
      return parsed.data;
    }
  }

  return {
    shop,
    apiVersion,
    request,
    throttleState: () => bucket.snapshot(),
  };
}
