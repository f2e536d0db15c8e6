/**
 * startShopifySimulator: an in-process HTTP server speaking the Admin GraphQL API (2026-04 schema) for any number of
 * simulated shops, delivering webhooks to the app, with a control API for tests and the demo.
 */
import { randomUUID } from "node:crypto";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import { Kind, parse } from "graphql";
import type { AddressInfo, Socket } from "node:net";
import { createControl, type EmittedEvent, type Faults, type ShopifyControl, type SimStats } from "./control";
import { handleControl } from "./control-http";
import { executeGraphql } from "./graphql/execute-request";
import { createRng } from "./rng";
import { loadAdminSchema, SCHEMA_API_VERSION } from "./schema";
import { SimStore } from "./store";
import { defaultSubscriptions, type Subscription } from "./webhooks/subscriptions";
import { WebhookDispatcher, type WebhookConfig } from "./webhooks/dispatcher";

export interface ShopifySimulatorOptions {
  port?: number;
  host?: string;
  webhooks?: WebhookConfig;
  /** Seeds fault injection, duplicate and reorder decisions. */
  seed?: number;
}

export interface ShopifySimulator {
  /** Origin, e.g. http://127.0.0.1:4002 */
  url: string;
  close(): Promise<void>;
  control: ShopifyControl;
}

const MAX_LOG = 10_000;

/** Topics delivered even though the app is not (or no longer) installed. */
const ALWAYS_DELIVERED = new Set(["app/uninstalled", "customers/data_request", "customers/redact", "shop/redact"]);

const UNAUTHORIZED = { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" };

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", "Content-Length": String(Buffer.byteLength(text)), ...headers });
  res.end(text);
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

export async function startShopifySimulator(opts: ShopifySimulatorOptions = {}): Promise<ShopifySimulator> {
  loadAdminSchema(); // build once up front: the first request should not pay for it
  const rng = createRng(opts.seed ?? 1);
  const store = new SimStore();
  const editingAppId = store.ids.next();
  const subscriptions: Subscription[] | undefined = opts.webhooks ? (opts.webhooks.subscriptions ?? defaultSubscriptions()) : undefined;
  const dispatcher = opts.webhooks && subscriptions ? new WebhookDispatcher({ ...opts.webhooks, subscriptions }, rng) : null;
  const events: EmittedEvent[] = [];
  store.emit = (shop, topic, payload) => {
    if (!shop.installed && !ALWAYS_DELIVERED.has(topic)) return;
    events.push({ shop: shop.domain, topic, payload, at: new Date(store.now()).toISOString() });
    // A long-running demo server must not grow without bound; tests look at recent events.
    if (events.length > MAX_LOG) events.splice(0, events.length - MAX_LOG);
    dispatcher?.enqueue(shop.domain, topic, payload);
  };
  const faults: Faults = { rate5xx: 0, applyThenTimeoutRate: 0, latencyMs: 0, operations: [] };
  const stats: SimStats = { requests: 0, throttled: 0, costServed: 0, unauthorized: 0, injected5xx: 0, injectedTimeouts: 0, byRootField: {} };
  const control = createControl({ store, dispatcher, events, faults, stats, editingAppId });
  const sockets = new Set<Socket>();
  let baseUrl = "";

  const targeted = (rootFields: string[]) => faults.operations.length === 0 || rootFields.some((f) => faults.operations.includes(f));

  async function handleGraphql(req: IncomingMessage, res: ServerResponse, body: string): Promise<void> {
    const token = req.headers["x-shopify-access-token"];
    const shop = typeof token === "string" ? store.shopByToken(token) : undefined;
    if (!shop || !shop.installed) {
      stats.unauthorized++;
      return sendJson(res, 401, UNAUTHORIZED);
    }
    stats.requests++;
    if (faults.latencyMs > 0) await new Promise((r) => setTimeout(r, faults.latencyMs));
    let parsed: unknown;
    const contentType = String(req.headers["content-type"] ?? "");
    if (contentType.includes("application/graphql")) parsed = { query: body };
    else {
      try {
        parsed = JSON.parse(body);
      } catch {
        return sendJson(res, 400, { errors: "Invalid JSON in request body" });
      }
    }
    // A 5xx before anything runs (the client may retry safely). The targeting needs the root fields, so peek.
    const peekFields = typeof (parsed as { query?: unknown }).query === "string" ? rootFieldNames((parsed as { query: string }).query) : [];
    if (faults.rate5xx > 0 && targeted(peekFields) && rng() < faults.rate5xx) {
      stats.injected5xx++;
      return sendJson(res, 503, { errors: "Service Unavailable" });
    }
    const outcome = executeGraphql(store, shop, parsed, baseUrl);
    for (const f of outcome.rootFields) stats.byRootField[f] = (stats.byRootField[f] ?? 0) + 1;
    if (outcome.throttled) stats.throttled++;
    stats.costServed += outcome.actualCost;
    if (
      outcome.executed &&
      outcome.operation === "mutation" &&
      faults.applyThenTimeoutRate > 0 &&
      targeted(outcome.rootFields) &&
      rng() < faults.applyThenTimeoutRate
    ) {
      // Applied, but the response never comes: the client times out and must not blindly retry (notes.md §4.1).
      stats.injectedTimeouts++;
      return;
    }
    sendJson(res, outcome.status, outcome.body, { "X-Shopify-API-Version": SCHEMA_API_VERSION, "X-Request-Id": randomUUID() });
  }

  const server = http.createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", baseUrl || "http://localhost");
      const body = await readBody(req);
      if (req.method === "POST" && /^\/admin\/api\/[^/]+\/graphql\.json$/.test(url.pathname)) return handleGraphql(req, res, body);
      const bulk = /^\/_sim\/bulk\/(\d+)\/(\d+)\.jsonl$/.exec(url.pathname);
      if (req.method === "GET" && bulk) {
        const shop = store.shops().find((s) => s.id === Number(bulk[1]));
        const op = shop?.bulkOperations.get(Number(bulk[2]));
        if (!op || op.jsonl === null) return sendJson(res, 404, { error: "Not found" });
        res.writeHead(200, { "Content-Type": "application/jsonl", "Content-Length": String(Buffer.byteLength(op.jsonl)) });
        return void res.end(op.jsonl);
      }
      if (url.pathname.startsWith("/_sim/")) return handleControl(control, req, res, url, body);
      sendJson(res, 404, { errors: "Not Found" });
    })().catch((err: unknown) => {
      if (!res.headersSent) sendJson(res, 500, { errors: (err as Error).message });
      else res.destroy();
    });
  });
  server.on("connection", (s: Socket) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, opts.host ?? "127.0.0.1", () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  baseUrl = `http://${host}:${address.port}`;

  let closing: Promise<void> | null = null;
  return {
    url: baseUrl,
    control,
    close() {
      closing ??= (async () => {
        store.dispose();
        await dispatcher?.close();
        for (const s of sockets) s.destroy(); // includes requests held open by the apply-then-timeout fault
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
  };
}

/** Root field names of the first operation, for fault targeting. */
function rootFieldNames(query: string): string[] {
  try {
    const doc = parse(query);
    const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
    if (!op || op.kind !== Kind.OPERATION_DEFINITION) return [];
    return op.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
  } catch {
    return [];
  }
}
