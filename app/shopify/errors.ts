import { AppError } from "../lib/errors";

/**
 * Every way an Admin GraphQL call can fail, mapped onto AppError in this one file so callers (sync/, jobs/)
 * decide on `retryable` and `details` alone and never look at HTTP codes or GraphQL error shapes.
 *
 * Nothing here may carry the access token: messages and details are built from operation names, HTTP
 * statuses and Shopify's own error text only (tests assert it).
 */

export type ShopifyOperationKind = "query" | "mutation";

/** Common context attached to every Shopify error's details. */
export interface ShopifyErrorContext {
  shop: string;
  operationName: string;
  kind: ShopifyOperationKind;
}

/**
 * The leaky bucket stayed short for longer than the client is allowed to wait (maxThrottleWaitMs).
 * A throttled request never executed (notes §4.8), so retrying later is safe even for mutations.
 */
export class ShopifyThrottledError extends AppError {
  constructor(ctx: ShopifyErrorContext & { waitedMs: number; retryAfterMs: number }) {
    super(`Shopify throttled ${ctx.operationName} on ${ctx.shop}; gave up after waiting ${ctx.waitedMs} ms`, {
      code: "SHOPIFY_THROTTLED",
      retryable: true,
      retryAfterMs: ctx.retryAfterMs,
      details: { ...ctx, mayHaveApplied: false },
    });
  }
}

/**
 * 5xx, network failure, timeout, or an unreadable body. For a mutation the request may have executed:
 * `details.mayHaveApplied` tells the caller to re-read state (e.g. findOrderByMiraklId) before any retry,
 * because orderCreate and most other mutations have no idempotency in 2026-04 (notes §4.1).
 */
export class ShopifyUnavailableError extends AppError {
  constructor(
    message: string,
    ctx: ShopifyErrorContext & {
      status?: number;
      attempts: number;
      mayHaveApplied: boolean;
      retryAfterMs?: number;
      cause?: unknown;
    },
  ) {
    const { cause, retryAfterMs, ...details } = ctx;
    super(message, { code: "SHOPIFY_UNAVAILABLE", retryable: true, details, retryAfterMs, cause });
  }
}

/** 401/403: the token was revoked, the app uninstalled, or a scope is missing. A person has to act. */
export class ShopifyAuthError extends AppError {
  constructor(ctx: ShopifyErrorContext & { status: number; message?: string }) {
    super(`Shopify rejected the access token for ${ctx.shop} (HTTP ${ctx.status}) on ${ctx.operationName}`, {
      code: "SHOPIFY_AUTH",
      retryable: false,
      details: { ...ctx, mayHaveApplied: false },
    });
  }
}

/**
 * Any other HTTP status Shopify answers with outside 2xx (400 without GraphQL errors, 402 frozen shop,
 * 404 unknown shop or API version, 423 locked shop). Retrying the same request will not help.
 */
export class ShopifyHttpError extends AppError {
  readonly status: number;
  constructor(ctx: ShopifyErrorContext & { status: number }) {
    super(`Shopify answered HTTP ${ctx.status} to ${ctx.operationName} on ${ctx.shop}`, {
      code: `SHOPIFY_HTTP_${ctx.status}`,
      retryable: false,
      details: { ...ctx, mayHaveApplied: false },
    });
    this.status = ctx.status;
  }
}

export interface GraphqlErrorEntry {
  message: string;
  code?: string;
  path?: ReadonlyArray<string | number>;
}

/** Top-level GraphQL errors other than THROTTLED: validation, MAX_COST_EXCEEDED, ACCESS_DENIED, ... */
export class ShopifyGraphqlError extends AppError {
  readonly errors: GraphqlErrorEntry[];
  constructor(ctx: ShopifyErrorContext & { errors: GraphqlErrorEntry[] }) {
    const first = ctx.errors.map((e) => (e.code ? `${e.message} (${e.code})` : e.message)).join("; ");
    super(`Shopify GraphQL error in ${ctx.operationName}: ${first}`, {
      code: "SHOPIFY_GRAPHQL",
      retryable: false,
      details: { ...ctx, codes: ctx.errors.map((e) => e.code).filter(Boolean), mayHaveApplied: false },
    });
    this.errors = ctx.errors;
  }
}

export interface ShopifyUserErrorEntry {
  field: string[] | null;
  message: string;
  code: string | null;
}

/**
 * A mutation answered with userErrors. Never ignored: the request path throws this for any non-empty
 * `userErrors` / `*UserErrors` list. Not retryable, except IDEMPOTENCY_CONCURRENT_REQUEST (the same
 * idempotency key is still being processed; retrying later returns the first outcome, notes §4.5).
 */
export class ShopifyUserError extends AppError {
  readonly userErrors: ShopifyUserErrorEntry[];
  constructor(ctx: ShopifyErrorContext & { userErrors: ShopifyUserErrorEntry[] }) {
    const summary = ctx.userErrors
      .map((e) => `${e.field && e.field.length > 0 ? e.field.join(".") + ": " : ""}${e.message}${e.code ? ` (${e.code})` : ""}`)
      .join("; ");
    const concurrent =
      ctx.userErrors.length > 0 && ctx.userErrors.every((e) => e.code === "IDEMPOTENCY_CONCURRENT_REQUEST");
    super(`${ctx.operationName} rejected by Shopify: ${summary}`, {
      code: "SHOPIFY_USER_ERROR",
      retryable: concurrent,
      details: { ...ctx, codes: ctx.userErrors.map((e) => e.code).filter(Boolean) },
    });
    this.userErrors = ctx.userErrors;
  }

  hasCode(code: string): boolean {
    return this.userErrors.some((e) => e.code === code);
  }
}

/**
 * Shopify answered 200 with data our zod schema cannot read (a required field missing, a type changed).
 * For a query a retry may help; for a mutation the write happened, so it must not be retried blindly.
 */
export class ShopifyResponseError extends AppError {
  constructor(ctx: ShopifyErrorContext & { issues: string[] }) {
    super(`Unexpected response shape from ${ctx.operationName}: ${ctx.issues.slice(0, 3).join("; ")}`, {
      code: "SHOPIFY_BAD_RESPONSE",
      retryable: ctx.kind === "query",
      details: { ...ctx, mayHaveApplied: ctx.kind === "mutation" },
    });
  }
}

/**
 * A bulk operation result file could not be read: bad JSON line or child without its parent (not
 * retryable), or the download failed midway (retryable; the signed URL stays valid for 7 days, notes §4.7).
 */
export class ShopifyBulkResultError extends AppError {
  constructor(message: string, details?: Record<string, unknown>, opts: { retryable?: boolean; cause?: unknown } = {}) {
    super(message, { code: "SHOPIFY_BULK_RESULT", retryable: opts.retryable ?? false, details, cause: opts.cause });
  }
}
