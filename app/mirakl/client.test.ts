/**
 * Behaviour of the Mirakl client's single request path against small in-test HTTP servers: retries, pacing,
 * errors, pagination, auth, and that the API key never leaks. Clocks and sleeps are injected, so "60 s apart"
 * costs nothing.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "vitest";
import { ValidationError } from "../lib/errors";
import { redact, setLogSink } from "../lib/logger";
import { createMiraklClient, type CreateMiraklClientOptions } from "./client";
import {
  MiraklAuthError,
  MiraklConnectionError,
  MiraklError,
  MiraklRateLimitError,
  MiraklRequestError,
  MiraklResponseError,
  MiraklTimeoutError,
  MiraklUnavailableError,
} from "./errors";
import { createRateLimiter } from "./rate-limiter";
import { startTestServer, type Handler, type TestServer } from "./test-http-server";

const API_KEY = "a1b2c3d4-secret-key-e5f6";

function fakeClock(start = Date.parse("2025-03-03T10:00:00Z")) {
  let t = start;
  const sleeps: number[] = [];
  return {
    now: () => t,
    sleep: async (ms: number) => {
      sleeps.push(ms);
      t += ms;
    },
    sleeps,
  };
}

let logLines: string[] = [];
const servers: TestServer[] = [];

beforeEach(() => {
  logLines = [];
  setLogSink((line) => logLines.push(line), "debug");
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});
afterAll(() => {
  setLogSink(() => {}, "info");
});

async function serve(handler: Handler): Promise<TestServer> {
  const s = await startTestServer(handler);
  servers.push(s);
  return s;
}

function clientFor(server: { baseUrl: string }, clock = fakeClock(), extra: Partial<CreateMiraklClientOptions> = {}) {
  return createMiraklClient({
    baseUrl: server.baseUrl,
    apiKey: API_KEY,
    now: clock.now,
    sleep: clock.sleep,
    random: () => 0.5,
    rateLimiter: createRateLimiter(),
    ...extra,
  });
}

const account = { shop_id: 2001, shop_name: "ACME", shop_state: "OPEN", currency_iso_code: "EUR" };

function order(id: string, extra: Record<string, unknown> = {}) {
  return {
    order_id: id,
    order_state: "WAITING_ACCEPTANCE",
    order_lines: [{ order_line_id: `${id}-1`, order_line_state: "WAITING_ACCEPTANCE", offer_sku: "SKU-1", quantity: 1, price: 10 }],
    ...extra,
  };
}

async function catchError(p: Promise<unknown>): Promise<MiraklError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof MiraklError) return err;
    throw err;
  }
  throw new Error("expected a MiraklError");
}

describe("request basics", () => {
  it("sends the raw key (never Bearer), shop_id and JSON accept header", async () => {
    const server = await serve(() => ({ status: 200, json: account }));
    const client = clientFor(server, fakeClock(), { shopId: 9179, baseUrl: `${server.baseUrl}/api/` });
    const result = await client.getAccount();
    expect(result.shop_id).toBe(2001);
    const req = server.requests[0]!;
    expect(req.path).toBe("/api/account");
    expect(req.headers.authorization).toBe(API_KEY);
    expect(req.query.get("shop_id")).toBe("9179");
    expect(req.headers.accept).toContain("application/json");
  });

  it("omits shop_id when none is configured", async () => {
    const server = await serve(() => ({ status: 200, json: account }));
    await clientFor(server).getAccount();
    expect(server.requests[0]!.query.has("shop_id")).toBe(false);
  });

  it("coerces numeric strings and keeps unknown fields and enum values", async () => {
    const server = await serve(() => ({
      status: 200,
      json: {
        orders: [
          order("O-1-A", {
            order_state: "SOMETHING_NEW",
            brand_new_field: { x: 1 },
            order_lines: [{ order_line_id: 95, order_line_state: "NEW_LINE_STATE", offer_sku: "S", quantity: "5000", price: "12.50", taxes: null }],
          }),
        ],
        total_count: "1",
      },
    }));
    const page = await clientFor(server).listOrders();
    const o = page.orders[0]!;
    expect(page.totalCount).toBe(1);
    expect(o.order_state).toBe("SOMETHING_NEW");
    expect((o as Record<string, unknown>).brand_new_field).toEqual({ x: 1 });
    expect(o.order_lines[0]).toMatchObject({ order_line_id: "95", quantity: 5000, price: 12.5, taxes: [] });
  });

  it("maps a body that misses essentials to MiraklResponseError with the issues", async () => {
    const server = await serve(() => ({ status: 200, json: { orders: [{ order_state: "SHIPPING", order_lines: [] }], total_count: 1 } }));
    const err = await catchError(clientFor(server).listOrders());
    expect(err).toBeInstanceOf(MiraklResponseError);
    expect(err.retryable).toBe(false);
    expect(err.details?.issues).toEqual(expect.arrayContaining([expect.objectContaining({ path: "orders.0.order_id" })]));
  });

  it("PC01: surfaces the switches that drive the integration, partial acceptance/cancel only when sent", async () => {
    const features = {
      order_tax_mode: "TAX_EXCLUDED",
      order_workflows: { order_acceptance: "NOT_AUTOMATIC", shipping_and_billing_details_before_acceptance: false, partial_acceptance: true },
      shipment: { multi_shipment: true },
      disable_seller_alternative_carrier: "true",
    };
    const server = await serve((_req, i) => ({ status: 200, json: i === 0 ? { features, tenant_name: "t" } : {} }));
    const client = clientFor(server);
    expect((await client.getPlatformConfiguration()).summary).toEqual({
      orderTaxMode: "TAX_EXCLUDED",
      orderAcceptance: "NOT_AUTOMATIC",
      shippingAndBillingDetailsBeforeAcceptance: false,
      multiShipment: true,
      disableSellerAlternativeCarrier: true,
      partialAcceptance: true,
      partialCancelation: null,
      operatorCsvDelimiter: null,
    });
    const empty = (await client.getPlatformConfiguration()).summary;
    expect(Object.values(empty).every((v) => v === null)).toBe(true);
  });

  it("maps a non-JSON 200 to MiraklResponseError", async () => {
    const server = await serve(() => ({ status: 200, text: "<html>maintenance</html>", headers: { "content-type": "text/html" } }));
    const err = await catchError(clientFor(server).getAccount());
    expect(err).toBeInstanceOf(MiraklResponseError);
  });
});

describe("429", () => {
  it("waits for Retry-After (seconds) and sends the same request again", async () => {
    const server = await serve((_req, i) => (i === 0 ? { status: 429, headers: { "retry-after": "7" }, json: { status: 429, message: "Too many requests" } } : { status: 200, json: account }));
    const clock = fakeClock();
    await clientFor(server, clock).getAccount();
    expect(server.requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([7_000]);
  });

  it("honours an HTTP-date Retry-After", async () => {
    const clock = fakeClock(Date.parse("2025-03-03T10:00:00Z"));
    const server = await serve((_req, i) => (i === 0 ? { status: 429, headers: { "retry-after": "Mon, 03 Mar 2025 10:00:12 GMT" } } : { status: 200, json: account }));
    await clientFor(server, clock).getAccount();
    expect(clock.sleeps).toEqual([12_000]);
  });

  it("retries a write after a 429 too: it was not processed", async () => {
    const server = await serve((_req, i) => (i === 0 ? { status: 429, headers: { "retry-after": "1" } } : { status: 204 }));
    const clock = fakeClock();
    await clientFor(server, clock).acceptOrder({ orderId: "O-1-A", lines: [{ id: "O-1-A-1", accepted: true }] });
    expect(server.requests).toHaveLength(2);
    expect(server.requests[1]!.json).toEqual(server.requests[0]!.json);
    expect(clock.sleeps).toEqual([1_000]);
  });

  it("gives up on a 429 storm with a retryable MiraklRateLimitError, within the budget", async () => {
    const server = await serve(() => ({ status: 429, headers: { "retry-after": "10" } }));
    const clock = fakeClock();
    const err = await catchError(clientFor(server, clock, { retry: { maxRateLimitRetries: 3, maxRateLimitWaitMs: 60_000 } }).getAccount());
    expect(err).toBeInstanceOf(MiraklRateLimitError);
    expect(err.retryable).toBe(true);
    expect(err.retryAfterMs).toBe(10_000);
    expect(server.requests).toHaveLength(4);
    expect(clock.sleeps).toEqual([10_000, 10_000, 10_000]);
  });

  it("does not sleep on a Retry-After beyond the budget: it reports it", async () => {
    const server = await serve(() => ({ status: 429, headers: { "retry-after": "3600" } }));
    const clock = fakeClock();
    const err = await catchError(clientFor(server, clock).listCarriers());
    expect(err).toBeInstanceOf(MiraklRateLimitError);
    expect(err.retryAfterMs).toBe(3_600_000);
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("backs off with jitter when a 429 has no Retry-After", async () => {
    const server = await serve((_req, i) => (i < 2 ? { status: 429 } : { status: 200, json: account }));
    const clock = fakeClock();
    await clientFor(server, clock, { random: () => 0, retry: { defaultRateLimitDelayMs: 4_000, maxDelayMs: 10_000 } }).getAccount();
    // Equal jitter with random()=0: half of 4 s, then half of 8 s.
    expect(clock.sleeps).toEqual([2_000, 4_000]);
  });
});

describe("5xx, network errors and timeouts", () => {
  it("retries a read after 5xx with bounded, jittered exponential backoff", async () => {
    const server = await serve((_req, i) => (i < 3 ? { status: i === 1 ? 502 : 503, text: "upstream" } : { status: 200, json: { carriers: [] } }));
    const clock = fakeClock();
    const randoms = [0.9, 0.1, 0.5];
    const client = clientFor(server, clock, { random: () => randoms.shift() ?? 0, retry: { baseDelayMs: 1_000, maxDelayMs: 3_000 } });
    await client.listCarriers();
    expect(server.requests).toHaveLength(4);
    // ceilings 1 s, 2 s, 3 s (capped at 4 s → 3 s) times the injected random values.
    expect(clock.sleeps).toEqual([900, 200, 1_500]);
  });

  it("stops after maxReadRetries and throws a retryable MiraklUnavailableError", async () => {
    const server = await serve(() => ({ status: 500, json: { status: 500, message: "Internal error" } }));
    const clock = fakeClock();
    const err = await catchError(clientFor(server, clock, { maxReadRetries: 2, random: () => 1 }).listReasons());
    expect(err).toBeInstanceOf(MiraklUnavailableError);
    expect(err.retryable).toBe(true);
    expect(err.status).toBe(500);
    expect(err.details?.writeMayHaveApplied).toBeUndefined();
    expect(server.requests).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
    for (const s of clock.sleeps) expect(s).toBeLessThanOrEqual(10_000);
  });

  it("never retries a write after a 5xx and says it may have been applied", async () => {
    const server = await serve(() => ({ status: 503, text: "Service Unavailable" }));
    const clock = fakeClock();
    const err = await catchError(
      clientFor(server, clock).refund({ orderTaxMode: "TAX_INCLUDED", refunds: [{ orderLineId: "O-1-A-1", reasonCode: "15", amount: 5, shippingAmount: 0 }] }),
    );
    expect(err).toBeInstanceOf(MiraklUnavailableError);
    expect(err.retryable).toBe(true);
    expect(err.details?.writeMayHaveApplied).toBe(true);
    expect(err.message).toMatch(/re-read/);
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("never retries a write that timed out", async () => {
    const server = await serve(() => ({ status: 200, hang: true }));
    const err = await catchError(clientFor(server, fakeClock(), { timeoutMs: 150 }).cancelOrder({ orderId: "O-1-A" }));
    expect(err).toBeInstanceOf(MiraklTimeoutError);
    expect(err.retryable).toBe(true);
    expect(err.details?.writeMayHaveApplied).toBe(true);
    expect(server.requests).toHaveLength(1);
  });

  it("retries a read that timed out, then reports the timeout", async () => {
    const server = await serve(() => ({ status: 200, hang: true }));
    const clock = fakeClock();
    const err = await catchError(clientFor(server, clock, { timeoutMs: 100, maxReadRetries: 1 }).getAccount());
    expect(err).toBeInstanceOf(MiraklTimeoutError);
    expect(err.details?.writeMayHaveApplied).toBeUndefined();
    expect(server.requests).toHaveLength(2);
    expect(clock.sleeps).toHaveLength(1);
  });

  it("retries a read whose connection dropped; a dropped write is not retried", async () => {
    const server = await serve((_req, i) => (i === 0 ? { status: 200, destroy: true } : { status: 200, json: account }));
    await clientFor(server).getAccount();
    expect(server.requests).toHaveLength(2);

    const writeServer = await serve(() => ({ status: 200, destroy: true }));
    const err = await catchError(clientFor(writeServer).shipOrder({ orderId: "O-1-A" }));
    expect(err).toBeInstanceOf(MiraklUnavailableError);
    expect(err.details?.writeMayHaveApplied).toBe(true);
    expect(writeServer.requests).toHaveLength(1);
  });
});

describe("4xx", () => {
  it("401 → MiraklAuthError, not retryable, with a clear message", async () => {
    const server = await serve(() => ({ status: 401, json: { status: 401, message: "Unauthorized" } }));
    const clock = fakeClock();
    const err = await catchError(clientFor(server, clock).getAccount());
    expect(err).toBeInstanceOf(MiraklAuthError);
    expect(err.retryable).toBe(false);
    expect(err.status).toBe(401);
    expect(err.message).toMatch(/^Mirakl rejected the API key/);
    expect(server.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("403 → MiraklAuthError", async () => {
    const server = await serve(() => ({ status: 403, json: { status: 403, message: "Forbidden" } }));
    const err = await catchError(clientFor(server).listCarriers());
    expect(err).toBeInstanceOf(MiraklAuthError);
    expect(err.message).toMatch(/Mirakl rejected the API key/);
  });

  it("400 keeps Mirakl's message and code, not retryable", async () => {
    const server = await serve(() => ({
      status: 400,
      json: { status: 400, message: "Order is not in the expected state for this operation", code: "ORDER_INVALID_STATE" },
    }));
    const err = await catchError(clientFor(server).acceptOrder({ orderId: "O-1-A", lines: [{ id: "O-1-A-1", accepted: true }] }));
    expect(err).toBeInstanceOf(MiraklRequestError);
    expect(err.retryable).toBe(false);
    expect(err.miraklCode).toBe("ORDER_INVALID_STATE");
    expect(err.operationId).toBe("OR21");
    expect(err.message).toContain("Order is not in the expected state");
    expect(server.requests).toHaveLength(1);
  });

  it.each([404, 409, 422])("%i → MiraklRequestError", async (status) => {
    const server = await serve(() => ({ status, json: { status, message: "nope" } }));
    const err = await catchError(clientFor(server).setTracking({ orderId: "O-1-A", carrierCode: "UPS", trackingNumber: "1Z" }));
    expect(err).toBeInstanceOf(MiraklRequestError);
    expect(err.status).toBe(status);
  });

  it("a redirect is a URL problem, not followed with the key", async () => {
    const server = await serve(() => ({ status: 301, headers: { location: "https://x.mirakl.net/api/account" } }));
    const err = await catchError(clientFor(server).getAccount());
    expect(err).toBeInstanceOf(MiraklConnectionError);
    expect(err.message).toContain("check the marketplace URL");
    expect(server.requests).toHaveLength(1);
  });
});

describe("connection problems", () => {
  it("ECONNREFUSED → MiraklConnectionError with a readable message, no retry", async () => {
    const server = await startTestServer(() => ({ status: 200 }));
    const { baseUrl } = server;
    await server.close();
    const clock = fakeClock();
    const err = await catchError(clientFor({ baseUrl }, clock).getAccount());
    expect(err).toBeInstanceOf(MiraklConnectionError);
    expect(err.message).toBe(`Could not reach ${baseUrl} (the connection was refused): check the marketplace URL.`);
    expect(err.retryable).toBe(true);
    expect(clock.sleeps).toEqual([]);
  });

  it.each(["ftp://x.mirakl.net", "not a url", "", "https://user:pw@x.mirakl.net"])("invalid base URL %j → MiraklConnectionError, nothing sent", async (baseUrl) => {
    let called = 0;
    const client = createMiraklClient({
      baseUrl,
      apiKey: API_KEY,
      rateLimiter: createRateLimiter(),
      transport: async () => {
        called++;
        throw new Error("must not be called");
      },
    });
    const err = await catchError(client.getAccount());
    expect(err).toBeInstanceOf(MiraklConnectionError);
    expect(err.retryable).toBe(false);
    expect(err.message).toMatch(/^Could not reach .*: check the marketplace URL/);
    expect(called).toBe(0);
  });

  it("an unknown host → MiraklConnectionError", async () => {
    const err = await catchError(
      createMiraklClient({
        baseUrl: "https://does-not-exist.invalid",
        apiKey: API_KEY,
        rateLimiter: createRateLimiter(),
        timeoutMs: 5_000,
        maxReadRetries: 0,
        sleep: fakeClock().sleep,
      }).getAccount(),
    );
    expect(err).toBeInstanceOf(MiraklConnectionError);
    expect(err.message).toContain("Could not reach https://does-not-exist.invalid");
  });
});

describe("pagination", () => {
  function ordersServer(total: number) {
    return serve((req) => {
      const offset = Number(req.query.get("offset"));
      const max = Number(req.query.get("max"));
      const ids = req.query.get("order_ids")?.split(",");
      if (ids) return { status: 200, json: { orders: ids.map((id) => order(id)), total_count: ids.length } };
      // Past total_count this server would keep answering full pages: only total_count can stop the iterator.
      const length = offset < total ? Math.min(max, total - offset) : max;
      const orders = Array.from({ length }, (_, i) => order(`O-${offset + i}-A`));
      return { status: 200, json: { orders, total_count: total } };
    });
  }

  it("OR11 follows offset pages with max=100 and stops at total_count", async () => {
    const server = await ordersServer(250);
    const seen: string[] = [];
    for await (const o of clientFor(server).iterateOrders({ startUpdateDate: new Date("2025-03-03T10:00:00+02:00"), orderStates: ["WAITING_ACCEPTANCE", "SHIPPING"] })) {
      seen.push(o.order_id);
    }
    expect(seen).toHaveLength(250);
    expect(new Set(seen).size).toBe(250);
    expect(server.requests.map((r) => [r.query.get("offset"), r.query.get("max")])).toEqual([
      ["0", "100"],
      ["100", "100"],
      ["200", "100"],
    ]);
    const q = server.requests[0]!.query;
    expect(q.get("start_update_date")).toBe("2025-03-03T08:00:00.000Z");
    expect(q.get("order_state_codes")).toBe("WAITING_ACCEPTANCE,SHIPPING");
  });

  it("stops on an empty page even if total_count says more", async () => {
    const server = await serve((req) => ({ status: 200, json: { orders: req.query.get("offset") === "0" ? [order("A")] : [], total_count: 500 } }));
    const seen: string[] = [];
    for await (const o of clientFor(server).iterateOrders()) seen.push(o.order_id);
    expect(seen).toEqual(["A"]);
    expect(server.requests).toHaveLength(2);
  });

  it("chunks order_ids by 100 (getOrdersByIds and iterateOrders)", async () => {
    const server = await ordersServer(0);
    const ids = Array.from({ length: 250 }, (_, i) => `O-${i}-A`);
    const orders = await clientFor(server).getOrdersByIds([...ids, "O-0-A"]);
    expect(orders.map((o) => o.order_id)).toEqual(ids);
    expect(server.requests.map((r) => r.query.get("order_ids")!.split(",").length)).toEqual([100, 100, 50]);
    expect(await clientFor(server).getOrdersByIds({ orderIds: [] })).toEqual([]);
  });

  it("listOrders refuses more than 100 ids or a page above 100", async () => {
    const server = await ordersServer(0);
    const client = clientFor(server);
    await expect(client.listOrders({ orderIds: Array.from({ length: 101 }, (_, i) => `O-${i}`) })).rejects.toBeInstanceOf(ValidationError);
    await expect(client.listOrders({ max: 500 })).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });

  it("TL02 follows next_page_token, sending the token alone, until it is absent", async () => {
    const server = await serve((req) => {
      const token = req.query.get("page_token");
      const line = (id: string) => ({ id, type: "ORDER_AMOUNT", amount: "10.00" });
      if (!token) return { status: 200, json: { data: [line("t1"), line("t2")], next_page_token: "p2" } };
      if (token === "p2") return { status: 200, json: { data: [line("t3")], next_page_token: "p3", previous_page_token: "p1" } };
      return { status: 200, json: { data: [line("t4")], previous_page_token: "p2", next_page_token: null } };
    });
    const ids: string[] = [];
    for await (const t of clientFor(server, fakeClock(), { shopId: 7 }).iterateTransactionLogs({ lastUpdatedFrom: "2025-03-01T00:00:00Z", limit: 500 })) {
      ids.push(t.id);
      expect(t.amount).toBe(10);
    }
    expect(ids).toEqual(["t1", "t2", "t3", "t4"]);
    expect(Object.fromEntries(server.requests[0]!.query)).toEqual({ last_updated_from: "2025-03-01T00:00:00.000Z", limit: "500", shop_id: "7" });
    expect(Object.fromEntries(server.requests[1]!.query)).toEqual({ page_token: "p2", shop_id: "7" });
  });

  it("a seek page token that comes back twice is an error, not an endless loop", async () => {
    const server = await serve(() => ({ status: 200, json: { data: [{ id: "c1" }], next_page_token: "same" } }));
    const seen: string[] = [];
    const err = await catchError(
      (async () => {
        for await (const c of clientFor(server).iterateBillingCycles()) seen.push(c.id);
      })(),
    );
    expect(err).toBeInstanceOf(MiraklResponseError);
    expect(seen).toEqual(["c1", "c1"]);
  });
});

describe("pacing and concurrency", () => {
  it("spaces OR04 and STO01 calls at least 60 s apart on the injected clock", async () => {
    const clock = fakeClock();
    const receivedAt: Record<string, number[]> = { OR04: [], STO01: [] };
    const server = await serve((req) => {
      if (req.path === "/api/orders") {
        receivedAt.OR04!.push(clock.now());
        return { status: 200, json: { updated_orders: [] } };
      }
      receivedAt.STO01!.push(clock.now());
      return { status: 201, json: { import_id: "imp-1" } };
    });
    const client = clientFor(server, clock);
    const update = { orders: [{ orderId: "O-1-A", orderReferenceForSeller: "#1001" }] };
    await client.updateOrders(update);
    expect(client.nextAllowedAt("OR04")).toBe(receivedAt.OR04![0]! + 60_000);
    await client.updateOrders(update);
    await client.importStock({ lines: [{ offerSku: "A", quantity: 1 }], delimiter: ";" });
    await client.importStock({ lines: [{ offerSku: "A", quantity: 2 }], delimiter: ";" });
    await client.importStock({ lines: [{ offerSku: "A", quantity: 3 }], delimiter: ";" });
    expect(receivedAt.OR04![1]! - receivedAt.OR04![0]!).toBeGreaterThanOrEqual(60_000);
    expect(receivedAt.STO01![1]! - receivedAt.STO01![0]!).toBeGreaterThanOrEqual(60_000);
    expect(receivedAt.STO01![2]! - receivedAt.STO01![1]!).toBeGreaterThanOrEqual(60_000);
  });

  it("does not pace OR11 or writes, and limits can be overridden", async () => {
    const clock = fakeClock();
    const server = await serve((req) => (req.method === "GET" ? { status: 200, json: { orders: [], total_count: 0 } } : { status: 204 }));
    const client = clientFor(server, clock, { limits: { OR24: { windows: [{ limit: 1, intervalMs: 5_000 }] } } });
    await client.listOrders();
    await client.listOrders();
    await client.acceptOrder({ orderId: "O", lines: [{ id: "O-1", accepted: true }] });
    await client.acceptOrder({ orderId: "O", lines: [{ id: "O-1", accepted: true }] });
    expect(clock.sleeps).toEqual([]);
    await client.shipOrder({ orderId: "O" });
    await client.shipOrder({ orderId: "O" });
    expect(clock.sleeps).toEqual([5_000]);
  });

  it("keeps at most maxConcurrency calls in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const server = await serve(async () => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((r) => setTimeout(r, 30));
      inFlight--;
      return { status: 200, json: { carriers: [] } };
    });
    const client = clientFor(server, fakeClock(), { maxConcurrency: 2 });
    await Promise.all(Array.from({ length: 6 }, () => client.listCarriers()));
    expect(server.requests).toHaveLength(6);
    expect(peak).toBe(2);
  });
});

describe("OR24/OR29 without a body", () => {
  it("sends no body with Content-Length: 0, and resends with a JSON null after a 411", async () => {
    const server = await serve((req) => (req.bodyText === "" ? { status: 411, text: "Length Required" } : { status: 204 }));
    await clientFor(server).shipOrder({ orderId: "O 1/A" });
    expect(server.requests).toHaveLength(2);
    const [first, second] = server.requests;
    expect(first!.path).toBe("/api/orders/O%201%2FA/ship");
    expect(first!.headers["content-length"]).toBe("0");
    expect(first!.headers["content-type"]).toBeUndefined();
    expect(second!.bodyText).toBe("null");
    expect(second!.headers["content-type"]).toBe("application/json");
  });

  it("a second 411 is reported, not looped on", async () => {
    const server = await serve(() => ({ status: 411, text: "Length Required" }));
    const err = await catchError(clientFor(server).cancelOrder({ orderId: "O-1-A" }));
    expect(err).toBeInstanceOf(MiraklRequestError);
    expect(server.requests).toHaveLength(2);
  });
});

describe("STO01 stock file", () => {
  it("sends the file in the delimiter it is given (the tenant's PC01 operator_csv_delimiter)", async () => {
    const server = await serve(() => ({ status: 201, json: { import_id: "imp-7" } }));
    const client = clientFor(server, fakeClock(), { limits: { STO01: null } });
    const lines = [{ offerSku: "TOP,NAVY;M", quantity: 4 }];
    expect(await client.importStock({ lines, delimiter: "," })).toEqual({ importId: "imp-7" });
    await client.importStock({ lines, delimiter: ";" });
    const [comma, semicolon] = server.requests;
    expect(comma!.headers["content-type"]).toMatch(/^multipart\/form-data; boundary=/);
    expect(comma!.bodyText).toContain('name="file"; filename="stock.csv"');
    expect(comma!.bodyText).toContain('"offer-sku","quantity"\n"TOP,NAVY;M","4"\n');
    expect(semicolon!.bodyText).toContain('"offer-sku";"quantity"\n"TOP,NAVY;M";"4"\n');
  });

  it("refuses a delimiter Mirakl has no setting for before sending anything", async () => {
    const server = await serve(() => ({ status: 201, json: { import_id: "imp-7" } }));
    // A caller outside TypeScript (or a cast) must still not produce a file no tenant can read.
    const bad = { lines: [{ offerSku: "A", quantity: 1 }], delimiter: "\t" } as unknown as Parameters<ReturnType<typeof clientFor>["importStock"]>[0];
    await expect(clientFor(server).importStock(bad)).rejects.toBeInstanceOf(ValidationError);
    expect(server.requests).toHaveLength(0);
  });
});

describe("OF54 chunk downloads", () => {
  it("sends the key to the Mirakl host only", async () => {
    const server = await serve(() => ({ status: 200, json: [{ shop_sku: "A", quantity: "3", offer_id: 1 }] }));
    const client = clientFor(server);
    const same = await client.downloadOfferExportChunk(`${server.baseUrl}/api/offers/export/async/file/x?file=0.json`);
    expect(same).toEqual([expect.objectContaining({ shop_sku: "A", quantity: 3 })]);
    expect(server.requests[0]!.headers.authorization).toBe(API_KEY);
    await client.downloadOfferExportChunk({ url: `http://localhost:${server.port}/storage/0.json` });
    expect(server.requests[1]!.headers.authorization).toBeUndefined();
  });

  it("reads a CSV chunk too", async () => {
    const server = await serve(() => ({
      status: 200,
      text: "offer-id;shop-sku;quantity;active;channels;price\n2130;sku-2130;40;true;FR|US;50.00\n2131;sku-2131;;false;;\n",
      headers: { "content-type": "text/csv" },
    }));
    const offers = await clientFor(server).downloadOfferExportChunk(`${server.baseUrl}/api/offers/export/async/file/x?file=0.csv`);
    expect(offers).toEqual([
      expect.objectContaining({ offer_id: 2130, shop_sku: "sku-2130", quantity: 40, active: true, channels: ["FR", "US"], price: 50 }),
      expect.objectContaining({ offer_id: 2131, shop_sku: "sku-2131", quantity: null, active: false, channels: [] }),
    ]);
  });
});

describe("the API key never leaks", () => {
  it("is absent from every log line and error, even when Mirakl echoes it", async () => {
    const server = await serve((req, i) => {
      const echo = `bad key ${String(req.headers.authorization)}`;
      if (req.path === "/api/account") return { status: 401, json: { status: 401, message: echo } };
      if (req.path === "/api/shipping/carriers") return i % 2 === 0 ? { status: 500, text: `<h1>${echo}</h1>` } : { status: 429, headers: { "retry-after": "1" } };
      if (req.path === "/api/reasons") return { status: 200, json: { reasons: [{ label: echo }] } };
      if (req.path.includes("hang")) return { status: 200, hang: true };
      return { status: 400, json: { status: 400, message: echo, code: "VALIDATION_ERROR" } };
    });
    const client = clientFor(server, fakeClock(), { logContext: { connectionId: "c1", apiKey: API_KEY }, maxReadRetries: 1 });
    const errors: MiraklError[] = [];
    errors.push(await catchError(client.getAccount()));
    errors.push(await catchError(client.listCarriers()));
    errors.push(await catchError(client.listReasons()));
    errors.push(await catchError(client.acceptOrder({ orderId: "O", lines: [{ id: "O-1", accepted: true }] })));
    const refused = await startTestServer(() => ({ status: 200 }));
    await refused.close();
    errors.push(await catchError(clientFor(refused).getAccount()));
    errors.push(await catchError(clientFor(server, fakeClock(), { timeoutMs: 50 }).cancelOrder({ orderId: "hang" })));

    expect(errors.map((e) => e.constructor.name)).toEqual([
      "MiraklAuthError",
      expect.stringMatching(/MiraklUnavailableError|MiraklRateLimitError/),
      "MiraklResponseError",
      "MiraklRequestError",
      "MiraklConnectionError",
      "MiraklTimeoutError",
    ]);
    expect(logLines.length).toBeGreaterThan(5);
    for (const line of logLines) expect(line).not.toContain(API_KEY);
    for (const err of errors) {
      expect(err.message).not.toContain(API_KEY);
      expect(JSON.stringify(redact(err))).not.toContain(API_KEY);
      expect(JSON.stringify(err.details ?? {})).not.toContain(API_KEY);
      expect(String((err as { cause?: unknown }).cause ?? "")).not.toContain(API_KEY);
    }
    expect(errors[3]!.message).toContain("bad key [redacted]");
  });
});
