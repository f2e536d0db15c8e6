/**
 * The Mirakl API face of the simulator (everything under /api). Per request: route, latency fault, lazy
 * time transitions, 429/5xx faults, auth (raw key in Authorization, notes §1.2), shop_id (§1.3), rate limit,
 * contract validation of query and body (strict, like Mirakl refusing what the spec does not accept), handler,
 * then possibly "timeout after write".
 */
import type { IncomingMessage, ServerResponse } from "node:http";
import { validateQuery, validateRequestBody } from "../../contract/mirakl-spec";
import type { ApiContext, ApiResult } from "./api-context";
import { matchRoute } from "./api-routes";
import { decideFault, latencyFor, shouldTimeoutAfterWrite } from "./faults";
import { baseUrlOf, readBody, sendEmpty, sendJson, sendText } from "./http-helpers";
import { takeRateToken } from "./rate-limiter";
import { MiraklApiError } from "./sim-errors";
import type { SimState } from "./sim-state";
import { runDueTransitions } from "./time-transitions";

export interface ApiRuntime {
  state: SimState;
  validateRequests: boolean;
  /** Sockets held open by timeout-after-write, destroyed on close. */
  hanging: Set<NodeJS.Timeout>;
  fallbackBaseUrl: string;
}

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

function count(state: SimState, op: string, status: number): void {
  const byStatus = (state.stats.responses[op] ??= {});
  byStatus[String(status)] = (byStatus[String(status)] ?? 0) + 1;
  if (status === 429) state.stats.served429++;
  if (status >= 500) state.stats.served5xx++;
}

function send({ res, result }: { res: ServerResponse; result: ApiResult }): void {
  if (result.json !== undefined) sendJson({ res, status: result.status, body: result.json, headers: result.headers });
  else if (result.text !== undefined) sendText({ res, status: result.status, body: result.text, contentType: result.contentType ?? "text/plain", headers: result.headers });
  else sendEmpty({ res, status: result.status, headers: result.headers });
}

function errorResult(err: MiraklApiError): ApiResult {
  return { status: err.status, json: err.body(), headers: err.headers };
}

export async function handleApiRequest({ runtime, req, res, url }: { runtime: ApiRuntime; req: IncomingMessage; res: ServerResponse; url: URL }): Promise<void> {
  const match = matchRoute({ method: req.method ?? "GET", path: url.pathname });
  if (match.kind !== "found") {
    const status = match.kind === "method-not-allowed" ? 405 : 404;
    await readBody({ req }).catch(() => Buffer.alloc(0));
    sendJson({ res, status, body: { status, message: status === 405 ? "Method Not Allowed" : "Not Found" } });
    return;
  }
  const { route, params } = match;
  const op = route.operationId;
  const state = runtime.state;
  state.stats.calls[op] = (state.stats.calls[op] ?? 0) + 1;
  const rawBody = await readBody({ req });

  const delay = latencyFor({ state, operationId: op });
  if (delay > 0) await sleep(delay);
  // Time-based transitions are applied lazily, so the demo sees orders move without anyone advancing the clock.
  runDueTransitions({ state });
  const now = state.clock.now();

  let result: ApiResult;
  try {
    const fault = decideFault({ state, operationId: op, now });
    if (fault.kind === "429") {
      throw new MiraklApiError(429, "Too Many Requests", { headers: { "retry-after": String(fault.retryAfterSeconds) } });
    }
    if (fault.kind === "5xx") throw new MiraklApiError(fault.status, fault.status === 503 ? "Service Unavailable" : "Internal Server Error");

    const apiKey = req.headers.authorization ?? "";
    const shops = apiKey ? state.shopsByKey.get(apiKey) : undefined;
    if (!shops || shops.length === 0) throw new MiraklApiError(401, "Unauthorized");
    const shopIdRaw = url.searchParams.get("shop_id");
    const shop = shopIdRaw === null ? shops[0] : shops.find((s) => String(s.shopId) === shopIdRaw);
    if (!shop) throw new MiraklApiError(403, `Forbidden: the API key has no access to shop ${shopIdRaw ?? ""}`);

    const rate = takeRateToken({ state, apiKey, operationId: op, now });
    if (!rate.allowed) throw new MiraklApiError(429, "Too Many Requests", { headers: { "retry-after": String(rate.retryAfterSeconds) } });

    // OF54 URLs are minted by OF53 (with a `file` parameter the spec cannot declare), so only they skip this.
    if (runtime.validateRequests && op !== "OF54") {
      const q = validateQuery(op, url.searchParams);
      if (!q.ok) throw new MiraklApiError(400, `Invalid query: ${q.errors.join("; ")}`);
    }

    let body: unknown = undefined;
    const contentType = req.headers["content-type"] ?? "";
    if (route.jsonBody) {
      const text = rawBody.toString("utf8").trim();
      if (text !== "") {
        try {
          body = JSON.parse(text);
        } catch {
          throw new MiraklApiError(400, "The request body is not valid JSON.");
        }
      }
      route.precheck?.(body);
      if (runtime.validateRequests) {
        const v = validateRequestBody(op, body);
        if (!v.ok) throw new MiraklApiError(400, `Invalid request body: ${v.errors.join("; ")}`, { code: route.validationCode });
      }
    }

    const ctx: ApiContext = {
      state,
      shop,
      apiKey,
      params,
      query: url.searchParams,
      body,
      rawBody,
      contentType,
      baseUrl: baseUrlOf({ req, fallback: runtime.fallbackBaseUrl }),
      path: url.pathname,
      at: now,
    };
    result = route.handle(ctx);
    if (route.write && result.status < 300) {
      state.stats.writesApplied++;
      state.stats.writesAppliedByOperation[op] = (state.stats.writesAppliedByOperation[op] ?? 0) + 1;
      // A zero debit delay (and the like) takes effect at once.
      runDueTransitions({ state });
      if (shouldTimeoutAfterWrite({ state, operationId: op })) {
        state.stats.timeoutsAfterWrite++;
        const timer = setTimeout(() => {
          runtime.hanging.delete(timer);
          req.socket.destroy();
        }, state.faults.hangMs ?? 10_000);
        runtime.hanging.add(timer);
        return;
      }
    }
  } catch (err) {
    if (err instanceof MiraklApiError) result = errorResult(err);
    else result = { status: 500, json: { status: 500, message: `Simulator error: ${err instanceof Error ? err.message : String(err)}` } };
  }
  count(state, op, result.status);
  send({ res, result });
}
