/**
 * Every Mirakl failure becomes one of these, decided here and nowhere else, so callers (the job runner, the connect
 * screen) look at the class and `retryable`, never at HTTP codes.
 *
 * Writes: Mirakl has no idempotency keys (seller-api-notes §1.10, gotcha 16). When a write timed out or got a 5xx,
 * it may have been applied: such errors carry `details.writeMayHaveApplied: true`, and the caller must re-read the
 * Mirakl state (OR11 by order_ids) before sending it again.
 */
import { AppError } from "../lib/errors";
import type { MiraklOperationId } from "./operations";

export interface MiraklErrorOptions {
  code: string;
  operationId: MiraklOperationId;
  retryable: boolean;
  status?: number;
  miraklCode?: string;
  details?: Record<string, unknown>;
  retryAfterMs?: number;
  cause?: unknown;
}

export class MiraklError extends AppError {
  /** HTTP status Mirakl answered with, when it answered. */
  readonly status?: number;
  /** Mirakl's machine code from the error body (`code`, e.g. ORDER_INVALID_STATE on OR21), when present. */
  readonly miraklCode?: string;
  /** The Mirakl operation (OR21, STO01 ...) that failed. */
  readonly operationId: MiraklOperationId;

  constructor(message: string, opts: MiraklErrorOptions) {
    super(message, {
      code: opts.code,
      retryable: opts.retryable,
      details: { operationId: opts.operationId, ...(opts.status === undefined ? {} : { status: opts.status }), ...opts.details },
      retryAfterMs: opts.retryAfterMs,
      cause: opts.cause,
    });
    this.status = opts.status;
    this.miraklCode = opts.miraklCode;
    this.operationId = opts.operationId;
  }
}

type SubclassOptions = Omit<MiraklErrorOptions, "code" | "retryable">;

/** 401/403: the key is wrong, revoked, for another environment, or not allowed on this shop. A person must act. */
export class MiraklAuthError extends MiraklError {
  constructor(message: string, opts: SubclassOptions) {
    super(message, { ...opts, code: "MIRAKL_AUTH", retryable: false });
  }
}

/** 400/404/409/422 and other 4xx: Mirakl understood and refused (invalid state, unknown order, bad field). */
export class MiraklRequestError extends MiraklError {
  constructor(message: string, opts: SubclassOptions) {
    super(message, { ...opts, code: "MIRAKL_REQUEST", retryable: false });
  }
}

/** 429 beyond what the client waits for by itself; `retryAfterMs` says when Mirakl will take calls again. */
export class MiraklRateLimitError extends MiraklError {
  constructor(message: string, opts: SubclassOptions) {
    super(message, { ...opts, code: "MIRAKL_RATE_LIMIT", retryable: true });
  }
}

/** 5xx or a dropped connection: Mirakl (or a proxy in front of it) is having trouble. */
export class MiraklUnavailableError extends MiraklError {
  constructor(message: string, opts: SubclassOptions) {
    super(message, { ...opts, code: "MIRAKL_UNAVAILABLE", retryable: true });
  }
}

/** No complete answer within the timeout. */
export class MiraklTimeoutError extends MiraklError {
  constructor(message: string, opts: SubclassOptions) {
    super(message, { ...opts, code: "MIRAKL_TIMEOUT", retryable: true });
  }
}

/** A 2xx whose body does not have the shape we need (zod issues in `details.issues`). Retrying would not help. */
export class MiraklResponseError extends MiraklError {
  constructor(message: string, opts: SubclassOptions) {
    super(message, { ...opts, code: "MIRAKL_RESPONSE", retryable: false });
  }
}

/** The marketplace URL is wrong or unreachable (not http/https, unknown host, refused, TLS, redirect). */
export class MiraklConnectionError extends MiraklError {
  constructor(message: string, opts: SubclassOptions & { retryable: boolean }) {
    super(message, { ...opts, code: "MIRAKL_CONNECTION" });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Mapping

export type Scrub = (text: string) => string;

const MAX_MESSAGE = 500;

function clip(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > MAX_MESSAGE ? `${oneLine.slice(0, MAX_MESSAGE)}…` : oneLine;
}

/** Mirakl's error body is `{"message": "...", "status": 400}` and, on newer endpoints, a `code` (notes §1.8). */
export function readMiraklErrorBody(body: unknown, scrub: Scrub): { message?: string; miraklCode?: string } {
  if (body && typeof body === "object" && !Array.isArray(body)) {
    const b = body as Record<string, unknown>;
    const message = typeof b.message === "string" ? b.message : typeof b.error === "string" ? b.error : undefined;
    const code = typeof b.code === "string" || typeof b.code === "number" ? String(b.code) : undefined;
    return { message: message === undefined ? undefined : clip(scrub(message)), miraklCode: code };
  }
  if (typeof body === "string" && body.trim() !== "") {
    // A proxy's HTML error page: keep a short, tag-free excerpt.
    return { message: clip(scrub(body.replace(/<[^>]*>/g, " "))) };
  }
  return {};
}

export interface ResponseFailure {
  operationId: MiraklOperationId;
  write: boolean;
  status: number;
  body: unknown;
  path: string;
  retryAfterMs?: number;
  location?: string;
  scrub: Scrub;
}

/** A non-2xx answer that the request loop will not (or no longer) retry. */
export function errorFromResponse(f: ResponseFailure): MiraklError {
  const { message, miraklCode } = readMiraklErrorBody(f.body, f.scrub);
  const base = {
    operationId: f.operationId,
    status: f.status,
    miraklCode,
    details: { path: f.path, ...(message ? { miraklMessage: message } : {}) },
  };
  if (f.status === 401) {
    return new MiraklAuthError(
      "Mirakl rejected the API key (HTTP 401): generate a new key in the Mirakl seller back office (user menu → API key) and update the connection.",
      base,
    );
  }
  if (f.status === 403) {
    return new MiraklAuthError(
      `Mirakl rejected the API key for ${f.operationId} (HTTP 403): the key is valid but not allowed on this shop or resource; check the shop id and the key's permissions.`,
      base,
    );
  }
  if (f.status === 429) {
    const wait = f.retryAfterMs === undefined ? "" : ` Mirakl asks to wait ${Math.ceil(f.retryAfterMs / 1000)} s.`;
    return new MiraklRateLimitError(`Mirakl rate limit reached for ${f.operationId} (HTTP 429).${wait}`, {
      ...base,
      retryAfterMs: f.retryAfterMs,
    });
  }
  if (f.status >= 500) {
    return new MiraklUnavailableError(
      `Mirakl is unavailable for ${f.operationId} (HTTP ${f.status})${message ? `: ${message}` : ""}${f.write ? ". The change may have been applied: re-read it from Mirakl before sending it again." : ""}`,
      {
        ...base,
        retryAfterMs: f.retryAfterMs,
        details: { ...base.details, ...(f.write ? { writeMayHaveApplied: true } : {}) },
      },
    );
  }
  if (f.status >= 300 && f.status < 400) {
    const to = f.location ? ` to ${f.scrub(f.location)}` : "";
    return new MiraklConnectionError(
      `Mirakl answered ${f.operationId} with a redirect (HTTP ${f.status})${to}: check the marketplace URL (use the https:// address of the instance, without /api).`,
      { ...base, retryable: false },
    );
  }
  return new MiraklRequestError(`Mirakl refused ${f.operationId} (HTTP ${f.status})${message ? `: ${message}` : ""}`, base);
}

export type TransportFailureKind = "timeout" | "connection" | "network";

const CONNECTION_CODES = new Set(["ENOTFOUND", "ECONNREFUSED", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH", "ERR_INVALID_URL"]);
const TRANSIENT_CONNECTION_CODES = new Set(["ECONNREFUSED", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
const TIMEOUT_CODES = new Set(["ETIMEDOUT", "ECONNABORTED", "ESOCKETTIMEDOUT", "UND_ERR_CONNECT_TIMEOUT"]);

function errorCode(err: unknown): string | undefined {
  let e: unknown = err;
  for (let depth = 0; depth < 3 && e && typeof e === "object"; depth++) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === "string" && code !== "ERR_BAD_REQUEST" && code !== "ERR_NETWORK") return code;
    e = (e as { cause?: unknown }).cause;
  }
  const top = (err as { code?: unknown } | null)?.code;
  return typeof top === "string" ? top : undefined;
}

function isTlsCode(code: string | undefined): boolean {
  return !!code && (/CERT|SSL|TLS/.test(code) || code === "DEPTH_ZERO_SELF_SIGNED_CERT");
}

export function classifyTransportError(err: unknown, timedOut: boolean): { kind: TransportFailureKind; code?: string } {
  const code = errorCode(err);
  if (timedOut || (code && TIMEOUT_CODES.has(code))) return { kind: "timeout", code };
  if ((code && CONNECTION_CODES.has(code)) || isTlsCode(code)) return { kind: "connection", code };
  if (err instanceof Error && /Unsupported protocol|Invalid URL/i.test(err.message)) return { kind: "connection", code: code ?? "ERR_INVALID_URL" };
  return { kind: "network", code };
}

export interface TransportFailure {
  operationId: MiraklOperationId;
  write: boolean;
  error: unknown;
  timedOut: boolean;
  timeoutMs: number;
  origin: string;
  path: string;
  scrub: Scrub;
}

/** A request that got no HTTP answer: timeout, unreachable host, dropped connection. */
export function errorFromTransport(f: TransportFailure): MiraklError {
  const { kind, code } = classifyTransportError(f.error, f.timedOut);
  // Keep the low-level reason without the axios error itself: it holds the request config and headers.
  const reason = f.error instanceof Error ? clip(f.scrub(f.error.message)) : "unknown error";
  const cause = new Error(reason);
  const details: Record<string, unknown> = { path: f.path, ...(code ? { errorCode: code } : {}) };
  if (kind === "timeout") {
    return new MiraklTimeoutError(
      `Mirakl did not answer ${f.operationId} within ${f.timeoutMs} ms${f.write ? ": the change may have been applied, re-read it from Mirakl before sending it again" : ""}.`,
      { operationId: f.operationId, cause, details: { ...details, ...(f.write ? { writeMayHaveApplied: true } : {}) } },
    );
  }
  if (kind === "connection") {
    const why =
      code === "ENOTFOUND"
        ? "the host name does not exist"
        : code === "ECONNREFUSED"
          ? "the connection was refused"
          : isTlsCode(code)
            ? "a secure connection could not be established"
            : code === "ERR_INVALID_URL"
              ? "the address is not a valid http(s) URL"
              : "the host could not be reached";
    // The request never reached Mirakl, so a write cannot have been applied.
    return new MiraklConnectionError(`Could not reach ${f.origin} (${why}): check the marketplace URL.`, {
      operationId: f.operationId,
      retryable: !!code && TRANSIENT_CONNECTION_CODES.has(code),
      cause,
      details: { ...details, ...(f.write ? { writeMayHaveApplied: false } : {}) },
    });
  }
  return new MiraklUnavailableError(
    `The connection to Mirakl failed during ${f.operationId} (${reason})${f.write ? ": the change may have been applied, re-read it from Mirakl before sending it again" : ""}.`,
    { operationId: f.operationId, cause, details: { ...details, ...(f.write ? { writeMayHaveApplied: true } : {}) } },
  );
}

/** The configured base URL cannot be used at all (checked before any request is sent). */
export function invalidBaseUrlError(input: { operationId: MiraklOperationId; baseUrl: string; scrub: Scrub }): MiraklConnectionError {
  const shown = clip(input.scrub(input.baseUrl)) || "(empty)";
  return new MiraklConnectionError(
    `Could not reach ${shown}: check the marketplace URL (it must start with https:// and be the address of the Mirakl instance, e.g. https://yourmarketplace.mirakl.net).`,
    { operationId: input.operationId, retryable: false, details: { errorCode: "ERR_INVALID_URL" } },
  );
}

export interface ZodIssueLike {
  path: ReadonlyArray<string | number>;
  message: string;
  code?: string;
}

/** A 2xx body that fails our (lenient) schema: something essential is missing or of the wrong type. */
export function responseShapeError(input: {
  operationId: MiraklOperationId;
  status: number;
  write: boolean;
  path: string;
  issues: readonly ZodIssueLike[];
  reason?: string;
}): MiraklResponseError {
  const issues = input.issues.slice(0, 20).map((i) => ({ path: i.path.join("."), message: i.message, ...(i.code ? { code: i.code } : {}) }));
  const first = issues[0];
  const summary = input.reason ?? (first ? `${first.path || "(root)"}: ${first.message}` : "unreadable body");
  return new MiraklResponseError(`Mirakl returned an unexpected response to ${input.operationId} (${summary}).`, {
    operationId: input.operationId,
    status: input.status,
    details: {
      path: input.path,
      issues,
      issueCount: input.issues.length,
      // The write was accepted (2xx): it has been applied even though we cannot read the answer.
      ...(input.write ? { writeMayHaveApplied: true } : {}),
    },
  });
}
