import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { setLogSink } from "../lib/logger";
import { createAdminClient } from "./admin-client";
import {
  ShopifyAuthError,
  ShopifyGraphqlError,
  ShopifyHttpError,
  ShopifyResponseError,
  ShopifyThrottledError,
  ShopifyUnavailableError,
  ShopifyUserError,
} from "./errors";
import {
  TEST_SHOP,
  TEST_TOKEN,
  clientFor,
  createFakeClock,
  ok,
  startFakeAdminApi,
  type FakeAdminApi,
} from "./fake-admin-api.test-helper";
import { createOrder } from "./order-create";
import { getShopInfo } from "./shop";

const SHOP_DATA = {
  shop: { id: "gid://shopify/Shop/1", name: "Test", currencyCode: "EUR", ianaTimezone: "Europe/Paris", myshopifyDomain: TEST_SHOP },
};

const throttled = (requested: number, available: number, rate = 50, max = 1000) => ({
  errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/limits" } }],
  extensions: {
    cost: {
      requestedQueryCost: requested,
      actualQueryCost: null,
      throttleStatus: { maximumAvailable: max, currentlyAvailable: available, restoreRate: rate },
    },
  },
});

const ORDER_INPUT = {
  lineItems: [{ quantity: 1, sku: "A", title: "A", priceSet: { shopMoney: { amount: "10.00", currencyCode: "EUR" } } }],
};

let api: FakeAdminApi | undefined;
const quiet = () => setLogSink(() => undefined, "info");
beforeAll(quiet);
afterAll(quiet);
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe("createAdminClient request path", () => {
  it("sends the token header and JSON body to the endpoint and parses data", async () => {
    api = await startFakeAdminApi(() => ok(SHOP_DATA));
    const info = await getShopInfo({ client: clientFor(api) });
    expect(info).toEqual(SHOP_DATA.shop);
    const [req] = api.requests;
    expect(req?.url).toBe("/admin/api/2026-04/graphql.json");
    expect(req?.headers["x-shopify-access-token"]).toBe(TEST_TOKEN);
    expect(req?.headers["content-type"]).toContain("application/json");
    expect(req?.body?.operationName).toBe("ShopInfo");
    expect(req?.body?.query).toContain("query ShopInfo");
  });

  it("defaults the endpoint to https://<shop>/admin/api/2026-04/graphql.json", async () => {
    const urls: string[] = [];
    const fakeFetch: typeof fetch = async (input) => {
      urls.push(String(input));
      return new Response(JSON.stringify(ok(SHOP_DATA).body), { status: 200 });
    };
    const client = createAdminClient({ shop: TEST_SHOP, accessToken: TEST_TOKEN, fetch: fakeFetch });
    await getShopInfo({ client });
    expect(urls).toEqual([`https://${TEST_SHOP}/admin/api/2026-04/graphql.json`]);
  });

  it("refuses a shop that is not a myshopify.com host (the token would go there)", () => {
    expect(() => createAdminClient({ shop: "evil.example.com/x", accessToken: TEST_TOKEN })).toThrow(/myshopify/);
  });

  it("THROTTLED (HTTP 200) waits (requested - available) / restoreRate, then succeeds", async () => {
    api = await startFakeAdminApi((_r, i) => (i === 0 ? { body: throttled(50, 10, 50) } : ok(SHOP_DATA)));
    const clock = createFakeClock();
    await getShopInfo({ client: clientFor(api, clock) });
    expect(api.requests).toHaveLength(2);
    // (50 - 10) / 50 s = 800 ms; random() = 0 gives no jitter.
    expect(clock.sleeps).toEqual([800]);
  });

  it("THROTTLED with HTTP 429 retries a mutation too (a throttled request did not execute)", async () => {
    api = await startFakeAdminApi((_r, i) =>
      i === 0
        ? { status: 429, body: throttled(10, 0, 100) }
        : ok({ orderCreate: { order: { id: "gid://shopify/Order/1", name: "#1001", legacyResourceId: "1" }, userErrors: [] } }),
    );
    const clock = createFakeClock();
    const order = await createOrder({ client: clientFor(api, clock), input: ORDER_INPUT, options: { inventoryBehaviour: "BYPASS" } });
    expect(order.name).toBe("#1001");
    expect(api.requests).toHaveLength(2);
    expect(clock.sleeps).toEqual([100]);
  });

  it("adds jitter to throttle waits", async () => {
    api = await startFakeAdminApi((_r, i) => (i === 0 ? { body: throttled(50, 10, 50) } : ok(SHOP_DATA)));
    const clock = createFakeClock();
    await getShopInfo({ client: clientFor(api, clock, { random: () => 0.999 }) });
    expect(clock.sleeps[0]).toBeGreaterThan(800);
    expect(clock.sleeps[0]).toBeLessThanOrEqual(800 + 250);
  });

  it("gives up with a retryable ShopifyThrottledError when the wait budget is exhausted", async () => {
    api = await startFakeAdminApi(() => ({ body: throttled(1000, 0, 50) }));
    const clock = createFakeClock();
    const err = await getShopInfo({ client: clientFor(api, clock, { maxThrottleWaitMs: 5_000 }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyThrottledError);
    expect((err as ShopifyThrottledError).retryable).toBe(true);
    expect((err as ShopifyThrottledError).retryAfterMs).toBe(20_000);
    expect(api.requests).toHaveLength(1);
    expect(clock.sleeps).toEqual([]);
  });

  it("a THROTTLED answer with a full bucket still waits a minimum, and repeated throttling gives up", async () => {
    api = await startFakeAdminApi(() => ({ body: throttled(10, 1000, 100) }));
    const clock = createFakeClock();
    const err = await getShopInfo({ client: clientFor(api, clock, { maxThrottleWaitMs: 1_000_000 }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyThrottledError);
    expect(clock.sleeps.every((ms) => ms >= 100)).toBe(true);
    expect(api.requests.length).toBe(21);
  });

  it("paces: waits BEFORE sending when the known bucket is short of the learnt cost", async () => {
    // First answer: this operation costs 100, only 20 left, refill 40/s.
    api = await startFakeAdminApi(() => ok(SHOP_DATA, { requested: 100, available: 20, rate: 40 }));
    const clock = createFakeClock();
    const client = clientFor(api, clock);
    await getShopInfo({ client });
    expect(clock.sleeps).toEqual([]);
    await getShopInfo({ client });
    // (100 - 20) / 40 s = 2,000 ms, waited before the second request was sent.
    expect(clock.sleeps).toEqual([2_000]);
    expect(api.requests).toHaveLength(2);
    expect(client.throttleState()?.restoreRate).toBe(40);
  });

  it("does not pace when the bucket refilled meanwhile", async () => {
    api = await startFakeAdminApi(() => ok(SHOP_DATA, { requested: 100, available: 20, rate: 40 }));
    const clock = createFakeClock();
    const client = clientFor(api, clock);
    await getShopInfo({ client });
    clock.advance(2_000);
    await getShopInfo({ client });
    expect(clock.sleeps).toEqual([]);
  });

  it("paces a run of mutations at restoreRate / cost per second", async () => {
    // Bucket of 100 with 10 points/s and a 10-point mutation: once empty, one request per second.
    let available = 100;
    api = await startFakeAdminApi(() => {
      available = Math.max(0, available - 10);
      return ok(
        { orderCreate: { order: { id: "gid://shopify/Order/1", name: "#1", legacyResourceId: "1" }, userErrors: [] } },
        { requested: 10, available, max: 100, rate: 10 },
      );
    });
    const clock = createFakeClock();
    const client = clientFor(api, clock);
    const start = clock.now();
    for (let i = 0; i < 20; i++) {
      await createOrder({ client, input: ORDER_INPUT, options: { inventoryBehaviour: "BYPASS" } });
    }
    // The fake server does not refill (it ignores time), so after the first 10 the client must wait ~1 s each.
    expect(api.requests).toHaveLength(20);
    expect(clock.now() - start).toBeGreaterThanOrEqual(9_000);
  });

  it("retries a query after HTTP 5xx with backoff", async () => {
    api = await startFakeAdminApi((_r, i) => (i < 2 ? { status: 502, text: "Bad gateway" } : ok(SHOP_DATA)));
    const clock = createFakeClock();
    await getShopInfo({ client: clientFor(api, clock) });
    expect(api.requests).toHaveLength(3);
    expect(clock.sleeps).toHaveLength(2);
    expect(clock.sleeps[1]).toBeGreaterThan(clock.sleeps[0] ?? Infinity);
  });

  it("honours Retry-After on 503 for queries", async () => {
    api = await startFakeAdminApi((_r, i) => (i === 0 ? { status: 503, headers: { "retry-after": "7" }, text: "" } : ok(SHOP_DATA)));
    const clock = createFakeClock();
    await getShopInfo({ client: clientFor(api, clock) });
    expect(clock.sleeps).toEqual([7_000]);
  });

  it("stops retrying a query after maxRetries and reports ShopifyUnavailableError", async () => {
    api = await startFakeAdminApi(() => ({ status: 500, text: "oops" }));
    const err = await getShopInfo({ client: clientFor(api, createFakeClock(), { maxRetries: 2 }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyUnavailableError);
    expect((err as ShopifyUnavailableError).details).toMatchObject({ mayHaveApplied: false, attempts: 3, status: 500 });
    expect(api.requests).toHaveLength(3);
  });

  it("does NOT retry orderCreate after HTTP 5xx: mayHaveApplied", async () => {
    api = await startFakeAdminApi(() => ({ status: 503, text: "unavailable" }));
    const err = await createOrder({ client: clientFor(api), input: ORDER_INPUT, options: { inventoryBehaviour: "BYPASS" } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ShopifyUnavailableError);
    const e = err as ShopifyUnavailableError;
    expect(e.retryable).toBe(true);
    expect(e.details).toMatchObject({ mayHaveApplied: true, kind: "mutation", operationName: "OrderCreate" });
    expect(api.requests).toHaveLength(1);
  });

  it("does NOT retry a mutation that timed out", async () => {
    api = await startFakeAdminApi(() => ({ ...ok({}), delayMs: 500 }));
    const client = clientFor(api, createFakeClock(), { timeoutMs: 100 });
    const err = await createOrder({ client, input: ORDER_INPUT, options: { inventoryBehaviour: "BYPASS" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyUnavailableError);
    expect((err as ShopifyUnavailableError).details).toMatchObject({ mayHaveApplied: true });
    expect((err as Error).message).toMatch(/timeout/);
    expect(api.requests).toHaveLength(1);
  });

  it("retries a mutation whose connection was refused (never sent) and reports mayHaveApplied: false", async () => {
    const dead = await startFakeAdminApi(() => ok({}));
    const endpoint = dead.endpoint;
    await dead.close();
    const clock = createFakeClock();
    const client = createAdminClient({
      shop: TEST_SHOP,
      accessToken: TEST_TOKEN,
      endpoint,
      sleep: clock.sleep,
      now: clock.now,
      random: () => 0,
      maxRetries: 2,
    });
    const err = await createOrder({ client, input: ORDER_INPUT, options: { inventoryBehaviour: "BYPASS" } }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyUnavailableError);
    expect((err as ShopifyUnavailableError).details).toMatchObject({ mayHaveApplied: false, attempts: 3 });
    expect(clock.sleeps).toHaveLength(2);
  });

  it("retries a mutation carrying an idempotency key with the SAME key", async () => {
    api = await startFakeAdminApi((_r, i) => (i === 0 ? { status: 500, text: "" } : ok({ x: { userErrors: [] } })));
    const client = clientFor(api);
    await client.request({
      query: "mutation X($idempotencyKey: String!) { x @idempotent(key: $idempotencyKey) { userErrors { field message } } }",
      operationName: "X",
      kind: "mutation",
      idempotencyKey: "key-1",
      schema: z.object({ x: z.object({}) }),
    });
    expect(api.requests).toHaveLength(2);
    expect(api.requests.map((r) => r.body?.variables.idempotencyKey)).toEqual(["key-1", "key-1"]);
  });

  it("insists on a key for @idempotent documents and on the directive for keys", async () => {
    api = await startFakeAdminApi(() => ok({}));
    const client = clientFor(api);
    const schema = z.object({});
    await expect(
      client.request({ query: "mutation X { x @idempotent(key: $k) { id } }", operationName: "X", kind: "mutation", schema }),
    ).rejects.toThrow(/idempotency key/);
    await expect(
      client.request({ query: "mutation X { x { id } }", operationName: "X", kind: "mutation", schema, idempotencyKey: "k" }),
    ).rejects.toThrow(/no @idempotent/);
    expect(api.requests).toHaveLength(0);
  });

  it("turns userErrors into ShopifyUserError with field, message and code", async () => {
    api = await startFakeAdminApi(() =>
      ok({
        orderCreate: {
          order: null,
          userErrors: [{ field: ["order", "lineItems", "0", "variantId"], message: "Variant not found", code: "INVALID" }],
        },
      }),
    );
    const err = await createOrder({ client: clientFor(api), input: ORDER_INPUT, options: { inventoryBehaviour: "BYPASS" } }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ShopifyUserError);
    const e = err as ShopifyUserError;
    expect(e.retryable).toBe(false);
    expect(e.userErrors).toEqual([{ field: ["order", "lineItems", "0", "variantId"], message: "Variant not found", code: "INVALID" }]);
    expect(e.details).toMatchObject({ codes: ["INVALID"] });
    expect(e.message).toContain("order.lineItems.0.variantId: Variant not found (INVALID)");
  });

  it("finds prefixed userErrors lists (orderCancelUserErrors) and keeps code-less entries", async () => {
    api = await startFakeAdminApi(() =>
      ok({ orderCancel: { job: null, orderCancelUserErrors: [{ field: null, message: "Order already cancelled" }] } }),
    );
    const err = await clientFor(api)
      .request({ query: "mutation OrderCancel { x }", operationName: "OrderCancel", kind: "mutation", schema: z.unknown() })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyUserError);
    expect((err as ShopifyUserError).userErrors).toEqual([{ field: null, message: "Order already cancelled", code: null }]);
  });

  it("logs userErrors the caller expects (TAKEN) at debug, still throws them, and warns about any other", async () => {
    const lines: Array<{ level: string; msg: string }> = [];
    setLogSink((line, level) => lines.push({ level, msg: (JSON.parse(line) as { msg: string }).msg }), "debug");
    try {
      const taken = { field: ["definition", "key"], message: "Key is in use", code: "TAKEN" };
      const invalid = { field: ["definition", "type"], message: "Type is invalid", code: "INVALID" };
      let answer: unknown[] = [taken];
      api = await startFakeAdminApi(() => ok({ metafieldDefinitionCreate: { createdDefinition: null, userErrors: answer } }));
      const send = () =>
        clientFor(api!)
          .request({ query: "mutation MetafieldDefinitionCreate { x }", operationName: "MetafieldDefinitionCreate", kind: "mutation", schema: z.unknown(), expectedUserErrorCodes: ["TAKEN"] })
          .catch((e: unknown) => e);
      expect(await send()).toBeInstanceOf(ShopifyUserError);
      const userErrorLines = () => lines.filter((l) => l.msg.startsWith("shopify userErrors"));
      expect(userErrorLines()).toEqual([{ level: "debug", msg: "shopify userErrors (expected by the caller)" }]);

      answer = [taken, invalid];
      expect(await send()).toBeInstanceOf(ShopifyUserError);
      expect(userErrorLines()[1]).toEqual({ level: "warn", msg: "shopify userErrors" });
    } finally {
      quiet();
    }
  });

  it("IDEMPOTENCY_CONCURRENT_REQUEST is the one retryable userError", async () => {
    api = await startFakeAdminApi(() =>
      ok({ inventorySetQuantities: { userErrors: [{ field: null, message: "busy", code: "IDEMPOTENCY_CONCURRENT_REQUEST" }] } }),
    );
    const err = await clientFor(api)
      .request({
        query: "mutation S($idempotencyKey: String!) { s @idempotent(key: $idempotencyKey) }",
        operationName: "S",
        kind: "mutation",
        idempotencyKey: "k",
        schema: z.unknown(),
      })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyUserError);
    expect((err as ShopifyUserError).retryable).toBe(true);
  });

  it("HTTP 401 → ShopifyAuthError, not retried", async () => {
    api = await startFakeAdminApi(() => ({ status: 401, body: { errors: "[API] Invalid API key or access token (unrecognized login or wrong password)" } }));
    const err = await getShopInfo({ client: clientFor(api) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyAuthError);
    expect((err as ShopifyAuthError).retryable).toBe(false);
    expect(api.requests).toHaveLength(1);
  });

  it("HTTP 404 → ShopifyHttpError, not retried", async () => {
    api = await startFakeAdminApi(() => ({ status: 404, body: { errors: "Not Found" } }));
    const err = await getShopInfo({ client: clientFor(api) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyHttpError);
    expect((err as ShopifyHttpError).retryable).toBe(false);
  });

  it("top-level GraphQL errors (validation, MAX_COST_EXCEEDED, ACCESS_DENIED) → ShopifyGraphqlError", async () => {
    api = await startFakeAdminApi(() => ({
      body: {
        errors: [
          { message: "Query cost is 1500, which exceeds the single query max cost limit (1000).", extensions: { code: "MAX_COST_EXCEEDED" } },
          { message: "Field 'nope' doesn't exist on type 'Shop'", path: ["query ShopInfo", "shop", "nope"] },
        ],
      },
    }));
    const err = await getShopInfo({ client: clientFor(api) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyGraphqlError);
    const e = err as ShopifyGraphqlError;
    expect(e.retryable).toBe(false);
    expect(e.errors.map((x) => x.code)).toEqual(["MAX_COST_EXCEEDED", undefined]);
    expect(e.message).toContain("MAX_COST_EXCEEDED");
    expect(api.requests).toHaveLength(1);
  });

  it("GraphQL INTERNAL_SERVER_ERROR on a query is retried", async () => {
    api = await startFakeAdminApi((_r, i) =>
      i === 0 ? { body: { errors: [{ message: "Internal error", extensions: { code: "INTERNAL_SERVER_ERROR" } }] } } : ok(SHOP_DATA),
    );
    await getShopInfo({ client: clientFor(api) });
    expect(api.requests).toHaveLength(2);
  });

  it("a response the schema cannot read → ShopifyResponseError (retryable for a query)", async () => {
    api = await startFakeAdminApi(() => ok({ shop: { name: 42 } }));
    const err = await getShopInfo({ client: clientFor(api) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyResponseError);
    expect((err as ShopifyResponseError).retryable).toBe(true);
  });

  it("ignores unknown fields and new enum values (lenient parsing)", async () => {
    api = await startFakeAdminApi(() => ok({ shop: { ...SHOP_DATA.shop, brandNewField: { x: 1 } } }));
    await expect(getShopInfo({ client: clientFor(api) })).resolves.toEqual(SHOP_DATA.shop);
  });

  it("never writes the access token to logs or errors", async () => {
    const lines: string[] = [];
    setLogSink((line) => lines.push(line), "debug");
    try {
      const replies = [
        { body: throttled(50, 10, 50) },
        { status: 500, text: `upstream said ${TEST_SHOP}` },
        ok(SHOP_DATA),
      ];
      api = await startFakeAdminApi((_r, i) => replies[i] ?? ok(SHOP_DATA));
      const client = clientFor(api);
      await getShopInfo({ client });
      const errors: unknown[] = [];
      await api.close();
      api = await startFakeAdminApi(() => ({ status: 401, body: { errors: "bad token" } }));
      errors.push(await getShopInfo({ client: clientFor(api) }).catch((e: unknown) => e));
      await api.close();
      api = await startFakeAdminApi(() => ({ status: 503, text: "" }));
      errors.push(
        await createOrder({ client: clientFor(api), input: ORDER_INPUT, options: { inventoryBehaviour: "BYPASS" } }).catch((e: unknown) => e),
      );
      await api.close();
      api = await startFakeAdminApi(() => ok({ orderCreate: { order: null, userErrors: [{ field: ["x"], message: "bad", code: "INVALID" }] } }));
      errors.push(
        await createOrder({ client: clientFor(api), input: ORDER_INPUT, options: { inventoryBehaviour: "BYPASS" } }).catch((e: unknown) => e),
      );
      expect(lines.length).toBeGreaterThan(3);
      expect(errors.every((e) => e instanceof Error)).toBe(true);
      for (const line of lines) expect(line).not.toContain(TEST_TOKEN);
      for (const e of errors) {
        const err = e as Error & { details?: unknown; cause?: unknown };
        expect(err.message).not.toContain(TEST_TOKEN);
        expect(JSON.stringify(err.details)).not.toContain(TEST_TOKEN);
        expect(JSON.stringify(err)).not.toContain(TEST_TOKEN);
        expect(String(err.cause ?? "")).not.toContain(TEST_TOKEN);
      }
      expect(JSON.stringify(client)).not.toContain(TEST_TOKEN);
    } finally {
      quiet();
    }
  });
});
