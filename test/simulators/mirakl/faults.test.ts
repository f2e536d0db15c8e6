import { request } from "node:http";
import { afterEach, describe, expect, it } from "vitest";
import type { MiraklSimulator } from "./index";
import { call, startTestSim } from "./test-support";

let sim: MiraklSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const offers = [{ sku: "A", quantity: 100, price: 10 }];

/** Sends a request and reports whether an answer came back before the socket closed. */
function rawPut({ url, path, body, key }: { url: string; path: string; body: unknown; key: string }): Promise<{ answered: boolean; status?: number }> {
  return new Promise((resolve) => {
    const payload = JSON.stringify(body);
    const req = request(new URL(path, url), { method: "PUT", headers: { authorization: key, "content-type": "application/json", "content-length": Buffer.byteLength(payload) } }, (res) => {
      res.resume();
      res.on("end", () => resolve({ answered: true, status: res.statusCode }));
    });
    req.on("error", () => resolve({ answered: false }));
    req.end(payload);
  });
}

describe("fault injection", () => {
  it("serves a 429 storm with Retry-After, then recovers when it ends (simulated time)", async () => {
    sim = await startTestSim({ offers });
    sim.control.setFaults({ storm429: { forMs: 60_000, retryAfterSeconds: 7 } });
    for (let i = 0; i < 3; i++) {
      const r = await call({ sim, path: "/api/orders" });
      expect(r.status).toBe(429);
      expect(r.headers.get("retry-after")).toBe("7");
      expect(r.json).toEqual({ status: 429, message: "Too Many Requests" });
    }
    sim.control.advanceClock(60_000);
    expect((await call({ sim, path: "/api/orders" })).status).toBe(200);
    expect(sim.control.stats().served429).toBe(3);
  });

  it("derives Retry-After from the storm's remaining time when not given", async () => {
    sim = await startTestSim({ offers });
    sim.control.setFaults({ storm429: { forMs: 45_000 } });
    const r = await call({ sim, path: "/api/orders" });
    const seconds = Number(r.headers.get("retry-after"));
    expect(seconds).toBeGreaterThanOrEqual(44);
    expect(seconds).toBeLessThanOrEqual(45);
  });

  it("limits faults to the listed operations", async () => {
    sim = await startTestSim({ offers });
    sim.control.setFaults({ storm429: { forMs: 60_000 }, only: ["OR11"] });
    expect((await call({ sim, path: "/api/orders" })).status).toBe(429);
    expect((await call({ sim, path: "/api/account" })).status).toBe(200);
    sim.control.clearFaults();
    expect((await call({ sim, path: "/api/orders" })).status).toBe(200);
  });

  it("5xx faults apply nothing", async () => {
    sim = await startTestSim({ offers });
    const o = sim.control.createOrder({ lines: [{ offerSku: "A", quantity: 1 }] });
    sim.control.setFaults({ rate5xx: 1 });
    const r = await call({ sim, method: "PUT", path: `/api/orders/${o.order_id}/accept`, body: { order_lines: [{ id: `${o.order_id}-1`, accepted: true }] } });
    expect([500, 503]).toContain(r.status);
    expect(r.json.status).toBe(r.status);
    expect(sim.control.getOrder(o.order_id)?.order_state).toBe("WAITING_ACCEPTANCE");
    expect(sim.control.stats()).toMatchObject({ served5xx: 1, writesApplied: 0 });
  });

  it("timeout-after-write applies the write and never answers", async () => {
    sim = await startTestSim({ offers, tenant: { debitDelayMs: 60_000 } });
    const o = sim.control.createOrder({ lines: [{ offerSku: "A", quantity: 1 }] });
    sim.control.setFaults({ timeoutAfterWriteRate: 1, hangMs: 150 });
    const started = Date.now();
    const r = await rawPut({ url: sim.url, path: `/api/orders/${o.order_id}/accept`, key: "test-key", body: { order_lines: [{ id: `${o.order_id}-1`, accepted: true }] } });
    expect(r.answered).toBe(false);
    expect(Date.now() - started).toBeGreaterThanOrEqual(140);
    expect(sim.control.getOrder(o.order_id)?.order_state).toBe("WAITING_DEBIT_PAYMENT");
    expect(sim.control.stats()).toMatchObject({ timeoutsAfterWrite: 1, writesApplied: 1, writesAppliedByOperation: { OR21: 1 } });
    // Reads are not writes: they are still answered.
    expect((await call({ sim, path: "/api/orders" })).status).toBe(200);
  });

  it("draws random 429s from rate429 with Retry-After: 1", async () => {
    sim = await startTestSim({ offers });
    sim.control.setFaults({ rate429: 0.5 });
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await call({ sim, path: "/api/version" });
      statuses.push(r.status);
      if (r.status === 429) expect(r.headers.get("retry-after")).toBe("1");
    }
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(5);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(5);
  });

  it("adds latency", async () => {
    sim = await startTestSim({ offers });
    sim.control.setFaults({ latencyMs: [120, 120] });
    const t = Date.now();
    expect((await call({ sim, path: "/api/version" })).status).toBe(200);
    expect(Date.now() - t).toBeGreaterThanOrEqual(110);
  });

  it("rejects invalid fault settings", async () => {
    sim = await startTestSim({ offers });
    expect(() => sim?.control.setFaults({ rate429: 2 })).toThrow(/rate429/);
  });
});

describe("rate limits (token bucket per key and operation)", () => {
  it("answers 429 with Retry-After once the bucket is empty and refills over time", async () => {
    sim = await startTestSim({
      offers,
      shops: [{ apiKey: "test-key", shopId: 1 }, { apiKey: "other", shopId: 2 }],
      tenant: { rateLimits: { OR11: { capacity: 2, refillPerMinute: 6 } } },
    });
    expect((await call({ sim, path: "/api/orders" })).status).toBe(200);
    expect((await call({ sim, path: "/api/orders" })).status).toBe(200);
    const limited = await call({ sim, path: "/api/orders" });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThanOrEqual(9);
    expect(Number(limited.headers.get("retry-after"))).toBeLessThanOrEqual(10);
    expect((await call({ sim, path: "/api/account" })).status).toBe(200);
    expect((await call({ sim, path: "/api/orders", key: "other" })).status).toBe(200);
    sim.control.advanceClock(10_000);
    expect((await call({ sim, path: "/api/orders" })).status).toBe(200);
  });

  it("is permissive by default", async () => {
    sim = await startTestSim({ offers });
    const statuses = await Promise.all(Array.from({ length: 50 }, () => call({ sim: sim as MiraklSimulator, path: "/api/orders" }).then((r) => r.status)));
    expect(new Set(statuses)).toEqual(new Set([200]));
  });
});
