import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startShopifySimulator, type ShopifySimulator } from "./index";
import { gql, seedShop, SHOP, TOKEN } from "./test-support";

let sim: ShopifySimulator;

beforeAll(async () => {
  sim = await startShopifySimulator({ seed: 11 });
  seedShop(sim, { plan: "standard" });
});
afterAll(async () => {
  await sim.close();
});

const BIG_ORDER = `mutation($order: OrderCreateOrderInput!) {
  orderCreate(order: $order) { order { id lineItems(first: 100) { nodes { id variant { id } } } } userErrors { message } }
}`;

function fortyLineOrder(n: number) {
  return {
    currency: "EUR",
    sourceIdentifier: `BURST-${n}`,
    lineItems: Array.from({ length: 40 }, (_, i) => ({
      title: `Item ${i}`,
      sku: `X-${i}`,
      quantity: 1,
      priceSet: { shopMoney: { amount: "1.00", currencyCode: "EUR" } },
    })),
  };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("cost-based throttling (notes §4.8)", () => {
  it("throttles a burst of orderCreate on the Standard plan, then recovers at 100 points/s", async () => {
    let throttled: Awaited<ReturnType<typeof gql>> | undefined;
    let created = 0;
    for (let i = 0; i < 60 && !throttled; i++) {
      const res = await gql(sim, TOKEN, BIG_ORDER, { order: fortyLineOrder(i) });
      if (res.body.errors) throttled = res;
      else {
        created++;
        // requested: 10 + 2 + 100 x (line 1 + variant 1); actual: 10 + 2 + 40 x 2 (custom lines have no variant: 1 each)
        expect(res.body.extensions?.cost?.requestedQueryCost).toBe(212);
        expect(res.body.extensions?.cost?.actualQueryCost).toBe(52);
      }
    }
    expect(throttled).toBeDefined();
    if (!throttled) return;
    expect(created).toBeGreaterThanOrEqual(30);
    expect(throttled.status).toBe(200);
    expect(throttled.body.data).toBeUndefined();
    expect(throttled.body.errors).toEqual([{ message: "Throttled", extensions: expect.objectContaining({ code: "THROTTLED" }) }]);
    const cost = throttled.body.extensions?.cost;
    expect(cost?.requestedQueryCost).toBe(212);
    expect(cost?.actualQueryCost).toBeNull();
    expect(cost?.throttleStatus.maximumAvailable).toBe(2000);
    expect(cost?.throttleStatus.restoreRate).toBe(100);
    expect(cost?.throttleStatus.currentlyAvailable).toBeLessThan(212);
    // A throttled request creates nothing.
    expect(sim.control.orders({ shop: SHOP })).toHaveLength(created);

    // A retry is throttled until the bucket has refilled at the restore rate: nothing comes back faster. (Under CPU
    // load the retry itself may take long enough to refill the deficit, so the check is against elapsed time.)
    const deficitMs = ((212 - (cost?.throttleStatus.currentlyAvailable ?? 0)) / 100) * 1000;
    const t0 = performance.now();
    const retry = await gql(sim, TOKEN, BIG_ORDER, { order: fortyLineOrder(998) });
    const retryThrottled = (retry.body.errors as Array<{ extensions?: Record<string, unknown> }> | undefined)?.[0]?.extensions?.code === "THROTTLED";
    if (!retryThrottled) expect(performance.now() - t0).toBeGreaterThanOrEqual(deficitMs - 50);
    // The bucket refills at the restore rate (100 points/s), measured against the time that really passed.
    const a = sim.control.getShop({ shop: SHOP }).throttleStatus.currentlyAvailable;
    const t1 = performance.now();
    await sleep(500);
    const b = sim.control.getShop({ shop: SHOP }).throttleStatus.currentlyAvailable;
    const elapsed = (performance.now() - t1) / 1000;
    if (b < 2000) {
      expect(b - a).toBeGreaterThanOrEqual(100 * 0.5 * 0.9);
      expect(b - a).toBeLessThanOrEqual(100 * elapsed + 5);
    }
    await sleep(Math.max(0, Math.ceil(((212 - b) / 100) * 1000)) + 150);
    const again = await gql(sim, TOKEN, BIG_ORDER, { order: fortyLineOrder(1000) });
    expect(again.body.errors).toBeUndefined();
    expect(again.body.data?.orderCreate.order.id).toMatch(/^gid:\/\/shopify\/Order\/\d+$/);
    expect(sim.control.stats().throttled).toBeGreaterThanOrEqual(1);
  });

  it("refuses a single query above 1000 points with MAX_COST_EXCEEDED whatever the plan", async () => {
    sim.control.setThrottle({ shop: SHOP, plan: "plus" });
    const res = await gql(sim, TOKEN, "{ orders(first: 250) { nodes { id lineItems(first: 250) { nodes { id } } } } }");
    expect(res.body.data).toBeUndefined();
    const err = (res.body.errors as Array<{ message: string; extensions?: Record<string, unknown> }>)[0];
    expect(err?.extensions).toEqual({ code: "MAX_COST_EXCEEDED", cost: 2 + 250 * (1 + 2 + 250), maxCost: 1000 });
    expect(res.body.extensions?.cost?.throttleStatus).toMatchObject({ maximumAvailable: 20000, restoreRate: 1000 });
  });

  it("can force throttling per shop from the control API", async () => {
    sim.control.setThrottle({ shop: SHOP, forceThrottled: true });
    const res = await gql(sim, TOKEN, "{ shop { name } }");
    expect((res.body.errors as Array<{ extensions?: Record<string, unknown> }>)[0]?.extensions?.code).toBe("THROTTLED");
    sim.control.setThrottle({ shop: SHOP, forceThrottled: false });
    const ok = await gql(sim, TOKEN, "{ shop { name } }");
    expect(ok.body.data?.shop.name).toBe("mirakl-test");
  });

  it("limits trial/development stores to 5 orderCreate per minute when switched on (notes §4.1)", async () => {
    sim.control.createShop({ domain: "dev.myshopify.com", accessToken: "shpat_dev", plan: "development", orderCreateLimit: true });
    const results = [];
    for (let i = 0; i < 6; i++) results.push(await gql(sim, "shpat_dev", BIG_ORDER, { order: fortyLineOrder(i) }));
    expect(results.slice(0, 5).every((r) => r.body.data?.orderCreate.order !== null && !r.body.errors)).toBe(true);
    const sixth = results[5];
    expect((sixth?.body.errors as Array<{ extensions?: Record<string, unknown> }>)[0]?.extensions?.code).toBe("TOO_MANY_REQUESTS");
    expect(sim.control.orders({ shop: "dev.myshopify.com" })).toHaveLength(5);
  });
});
