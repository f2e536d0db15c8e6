/**
 * The one path every Mirakl call takes (stripe-node style): auth header, shop_id, pacing, concurrency cap, timeout,
 * retries, error mapping and response validation. The client's methods only shape inputs and outputs.
 */
import axios, { AxiosHeaders, type AxiosInstance, type AxiosResponse } from "axios";
import type { z } from "zod";
import type { Logger } from "../lib/logger";
import type { Semaphore } from "./concurrency";
import {
  classifyTransportError,
  errorFromResponse,
  errorFromTransport,
  invalidBaseUrlError,
  responseShapeError,
  type Scrub,
} from "./errors";
import { MIRAKL_OPERATIONS, type HttpMethod, type MiraklOperationId } from "./operations";
import { resolveRateLimit, type MiraklRateLimiter, type RateLimit } from "./rate-limiter";
import { computeBackoffMs, computeRateLimitDelayMs, parseRetryAfterMs, type RetryPolicy } from "./retry-policy";

export type QueryValue = string | number | boolean | readonly string[] | null | undefined;

export interface MultipartFile {
  /** Form part name (`file` for STO01). */
  field: string;
  filename: string;
  contentType: string;
  content: string;
}

export interface RequestSpec<S extends z.ZodTypeAny | undefined = z.ZodTypeAny | undefined> {
  operationId: MiraklOperationId;
  /** `/api/...` under the base URL, or an absolute URL Mirakl gave us (OF54 chunk URLs from OF53). */
  path: string;
  query?: Record<string, QueryValue>;
  /** JSON body. */
  body?: unknown;
  multipart?: MultipartFile;
  /** Zod schema of the 2xx body; none for 204 operations. */
  responseSchema?: S;
  /** How to read the 2xx body before the schema: JSON (default) or the raw text (CSV reports). */
  responseType?: "json" | "text";
  accept?: string;
  /**
   * OR24/OR29 take no body. Some proxies in front of Mirakl answer 411 Length Required to a body-less PUT
   * (notes §1.4, gotcha 19; Ventmere's client sends `null`): we send none with Content-Length: 0, and on a 411
   * resend once with a JSON `null` body. A 411 was refused before processing, so resending is safe.
   */
  emptyBodyPut?: boolean;
  /** Send the Authorization header (false for a chunk URL on another host). Default true. */
  authenticate?: boolean;
  /** Follow redirects (only for OF54 downloads). */
  followRedirects?: boolean;
}

export interface MiraklRequest {
  <S extends z.ZodTypeAny>(spec: RequestSpec<S> & { responseSchema: S }): Promise<z.output<S>>;
  (spec: RequestSpec<undefined>): Promise<void>;
}

export interface RequestContext {
  baseUrl: string;
  apiKey: string;
  shopId?: string;
  timeoutMs: number;
  transport: AxiosInstance;
  sleep: (ms: number) => Promise<void>;
  now: () => number;
  random: () => number;
  limiter: MiraklRateLimiter;
  limits?: Partial<Record<MiraklOperationId, RateLimit | null>>;
  semaphore: Semaphore;
  retry: RetryPolicy;
  log: Logger;
}

/** The instance root without a trailing slash or `/api` (merchants paste either), or null if unusable. */
export function normaliseBaseUrl(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    return null;
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  if (url.username || url.password || !url.hostname) return null;
  const path = url.pathname.replace(/\/+$/, "").replace(/\/api$/i, "");
  return `${url.protocol}//${url.host}${path}`;
}

export function makeScrub(apiKey: string): Scrub {
  // Short keys would mangle ordinary text; real Mirakl keys are UUID-like.
  if (apiKey.length < 6) return (text) => text;
  return (text) => text.split(apiKey).join("[redacted]");
}

function appendQuery(params: URLSearchParams, query: Record<string, QueryValue> | undefined): void {
  if (!query) return;
  for (const [name, value] of Object.entries(query)) {
    if (value === undefined || value === null) continue;
    if (Array.isArray(value)) {
      // Repeated parameter (`order_id=A&order_id=B`), as ST11/TL02/SBC11 document.
      for (const v of value as readonly string[]) params.append(name, v);
    } else {
      params.append(name, String(value));
    }
  }
}

function headerValue(headers: unknown, name: string): string | undefined {
  const h = AxiosHeaders.from((headers ?? {}) as Record<string, string>);
  const v = h.get(name);
  if (v === undefined || v === null || v === false) return undefined;
  return Array.isArray(v) ? v.join(", ") : String(v);
}

function readBody(res: AxiosResponse): { text?: string; json?: unknown; parsedOk: boolean } {
  const data: unknown = res.data;
  if (data === undefined || data === null) return { text: "", json: undefined, parsedOk: true };
  if (typeof data !== "string") {
    // An injected transport may hand back parsed data or a Buffer.
    if (data instanceof Uint8Array) return parseText(Buffer.from(data).toString("utf8"));
    return { json: data, parsedOk: true };
  }
  return parseText(data);
}

function parseText(text: string): { text: string; json?: unknown; parsedOk: boolean } {
  const trimmed = text.trim();
  if (trimmed === "") return { text, json: undefined, parsedOk: true };
  try {
    return { text, json: JSON.parse(trimmed), parsedOk: true };
  } catch {
    return { text, parsedOk: false };
  }
}

class Timeout extends Error {
  constructor() {
    super("timeout");
  }
}

export function createMiraklRequest(ctx: RequestContext): MiraklRequest {
  const scrub = makeScrub(ctx.apiKey);
  const base = normaliseBaseUrl(ctx.baseUrl);

  function buildUrl(spec: RequestSpec): URL {
    const url = /^https?:\/\//i.test(spec.path) ? new URL(spec.path) : new URL(`${base}${spec.path}`);
    appendQuery(url.searchParams, spec.query);
    // shop_id on every call when the key reaches several shops (notes §1.3); not on a foreign (storage) URL,
    // whose query string may be signed.
    if (ctx.shopId !== undefined && spec.authenticate !== false && !url.searchParams.has("shop_id")) url.searchParams.set("shop_id", ctx.shopId);
    return url;
  }

  function logPath(url: URL, spec: RequestSpec): string {
    // Chunk URLs may carry signed query strings: log only the path for absolute URLs.
    return /^https?:\/\//i.test(spec.path) ? url.pathname : `${url.pathname}${url.search}`;
  }

  async function throttle(operationId: MiraklOperationId): Promise<void> {
    const limit = resolveRateLimit({ operationId, overrides: ctx.limits });
    if (limit.windows.length === 0) return;
    const now = ctx.now();
    const at = ctx.limiter.reserve({
      key: { baseUrl: base ?? ctx.baseUrl, apiKey: ctx.apiKey, shopId: ctx.shopId, operationId },
      limit,
      now,
    });
    if (at > now) {
      ctx.log.debug("mirakl call paced", { operationId, waitMs: at - now });
      await ctx.sleep(at - now);
    }
  }

  async function send(input: {
    url: URL;
    method: HttpMethod;
    spec: RequestSpec;
    nullBody: boolean;
  }): Promise<{ res: AxiosResponse } | { error: unknown; timedOut: boolean }> {
    const { url, method, spec } = input;
    const headers: Record<string, string | false> = {
      Accept: spec.accept ?? "application/json",
      "User-Agent": "mirakl-connector",
    };
    if (spec.authenticate !== false) headers.Authorization = ctx.apiKey;
    let data: unknown;
    if (spec.multipart) {
      const form = new FormData();
      form.append(spec.multipart.field, new Blob([spec.multipart.content], { type: spec.multipart.contentType }), spec.multipart.filename);
      data = form;
    } else if (spec.body !== undefined) {
      data = JSON.stringify(spec.body);
      headers["Content-Type"] = "application/json";
    } else if (input.nullBody) {
      data = "null";
      headers["Content-Type"] = "application/json";
    } else if (method !== "GET") {
      // No form-urlencoded default from axios on a body-less PUT, and an explicit length (gotcha 19).
      headers["Content-Type"] = false;
      headers["Content-Length"] = "0";
    }

    const controller = new AbortController();
    let timedOut = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        timedOut = true;
        controller.abort();
        reject(new Timeout());
      }, ctx.timeoutMs);
    });
    try {
      const res = await Promise.race([
        ctx.transport.request({
          url: url.toString(),
          method,
          headers,
          data,
          signal: controller.signal,
          timeout: 0,
          responseType: "text",
          transformRequest: [(d: unknown) => d],
          transformResponse: [(d: unknown) => d],
          validateStatus: () => true,
          maxRedirects: spec.followRedirects ? 5 : 0,
        }),
        timeout,
      ]);
      return { res };
    } catch (error) {
      return { error, timedOut };
    } finally {
      if (timer) clearTimeout(timer);
    }
  }

  async function request(spec: RequestSpec): Promise<unknown> {
    const { operationId } = spec;
    const method = MIRAKL_OPERATIONS[operationId].method;
    const write = MIRAKL_OPERATIONS[operationId].write;
    if (!base) throw invalidBaseUrlError({ operationId, baseUrl: ctx.baseUrl, scrub });
    let url: URL;
    try {
      url = buildUrl(spec);
    } catch {
      throw invalidBaseUrlError({ operationId, baseUrl: spec.path, scrub });
    }
    const path = logPath(url, spec);
    let readRetries = 0;
    let rateLimitRetries = 0;
    let rateLimitWaitedMs = 0;
    let nullBody = false;
    let resentAfter411 = false;

    for (let attempt = 1; ; attempt++) {
      await throttle(operationId);
      const release = await ctx.semaphore.acquire();
      const started = ctx.now();
      let outcome: Awaited<ReturnType<typeof send>>;
      try {
        outcome = await send({ url, method, spec, nullBody });
      } finally {
        release();
      }

      if ("error" in outcome) {
        const { kind, code } = classifyTransportError(outcome.error, outcome.timedOut);
        ctx.log.debug("mirakl call failed", { operationId, method, path, attempt, kind, errorCode: code });
        // Reads are safe to repeat after a timeout or a dropped connection; a write may have been applied, so it
        // is never repeated here (notes §1.10). An unreachable host is a configuration problem: report it now.
        if (!write && kind !== "connection" && readRetries < ctx.retry.maxReadRetries) {
          const delay = computeBackoffMs({ attempt: readRetries, policy: ctx.retry, random: ctx.random });
          readRetries++;
          ctx.log.warn("mirakl call retried", { operationId, path, attempt, reason: kind, errorCode: code, delayMs: delay });
          await ctx.sleep(delay);
          continue;
        }
        throw errorFromTransport({
          operationId,
          write,
          error: outcome.error,
          timedOut: outcome.timedOut,
          timeoutMs: ctx.timeoutMs,
          origin: url.origin,
          path,
          scrub,
        });
      }

      const res = outcome.res;
      const status = res.status;
      ctx.log.debug("mirakl call", { operationId, method, path, attempt, status, durationMs: ctx.now() - started });

      if (status >= 200 && status < 300) return parseSuccess({ spec, res, write, path });

      const body = readBody(res);
      const errorBody = body.parsedOk ? body.json : body.text;
      const retryAfterMs = parseRetryAfterMs({ header: headerValue(res.headers, "retry-after"), now: ctx.now() });

      if (status === 429) {
        // Not processed: the same request is sent again, reads and writes alike, within the budget.
        const delay = retryAfterMs ?? computeRateLimitDelayMs({ attempt: rateLimitRetries, policy: ctx.retry, random: ctx.random });
        if (rateLimitRetries < ctx.retry.maxRateLimitRetries && rateLimitWaitedMs + delay <= ctx.retry.maxRateLimitWaitMs) {
          rateLimitRetries++;
          rateLimitWaitedMs += delay;
          ctx.log.warn("mirakl rate limited", { operationId, path, attempt, delayMs: delay, retryAfterHeader: retryAfterMs !== undefined });
          await ctx.sleep(delay);
          continue;
        }
        throw errorFromResponse({ operationId, write, status, body: errorBody, path, retryAfterMs: delay, scrub });
      }

      if (status === 411 && spec.emptyBodyPut && !resentAfter411) {
        resentAfter411 = true;
        nullBody = true;
        ctx.log.warn("mirakl asked for a body length, resending with a null body", { operationId, path });
        continue;
      }

      if (status >= 500 && !write && readRetries < ctx.retry.maxReadRetries) {
        const backoff = computeBackoffMs({ attempt: readRetries, policy: ctx.retry, random: ctx.random });
        const delay = retryAfterMs === undefined ? backoff : Math.max(backoff, retryAfterMs);
        if (delay <= ctx.retry.maxDelayMs) {
          readRetries++;
          ctx.log.warn("mirakl call retried", { operationId, path, attempt, status, delayMs: delay });
          await ctx.sleep(delay);
          continue;
        }
      }

      throw errorFromResponse({
        operationId,
        write,
        status,
        body: errorBody,
        path,
        retryAfterMs,
        location: headerValue(res.headers, "location"),
        scrub,
      });
    }
  }

  function parseSuccess(input: { spec: RequestSpec; res: AxiosResponse; write: boolean; path: string }): unknown {
    const { spec, res, write, path } = input;
    const { operationId } = spec;
    if (!spec.responseSchema) return undefined;
    const body = readBody(res);
    let value: unknown;
    if (spec.responseType === "text") {
      value = body.text ?? (typeof body.json === "string" ? body.json : JSON.stringify(body.json));
    } else {
      if (!body.parsedOk) {
        throw responseShapeError({ operationId, status: res.status, write, path, issues: [], reason: "the body is not JSON" });
      }
      value = body.json;
    }
    const parsed = spec.responseSchema.safeParse(value);
    if (!parsed.success) {
      ctx.log.warn("mirakl response did not match the expected shape", {
        operationId,
        path,
        issues: parsed.error.issues.slice(0, 5).map((i) => `${i.path.join(".")}: ${i.message}`),
      });
      throw responseShapeError({ operationId, status: res.status, write, path, issues: parsed.error.issues });
    }
    return parsed.data;
  }

  return request as MiraklRequest;
}

/** Turn the `transport` option (an axios instance or an axios adapter) into an axios instance. */
export function resolveTransport(transport: AxiosInstance | ((config: never) => Promise<AxiosResponse>) | undefined): AxiosInstance {
  if (!transport) return axios.create();
  if (typeof transport === "function" && "request" in transport && "defaults" in transport) return transport as AxiosInstance;
  return axios.create({ adapter: transport as never });
}
