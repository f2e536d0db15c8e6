import { describe, expect, it } from "vitest";
import { DEFAULT_RATE_LIMITS, UNLIMITED, createRateLimiter, resolveRateLimit, type RateLimit, type RateLimitKey } from "./rate-limiter";
import { createSemaphore } from "./concurrency";

const key = (operationId: RateLimitKey["operationId"], extra: Partial<RateLimitKey> = {}): RateLimitKey => ({
  baseUrl: "https://x.mirakl.net",
  apiKey: "key-123456",
  operationId,
  ...extra,
});

const perMinute: RateLimit = { windows: [{ limit: 1, intervalMs: 60_000 }] };

describe("rate limiter", () => {
  it("spaces once-a-minute calls by 60 s and reports the next slot", () => {
    const limiter = createRateLimiter();
    expect(limiter.reserve({ key: key("STO01"), limit: perMinute, now: 1_000 })).toBe(1_000);
    expect(limiter.nextAllowedAt({ key: key("STO01"), limit: perMinute, now: 2_000 })).toBe(61_000);
    expect(limiter.reserve({ key: key("STO01"), limit: perMinute, now: 2_000 })).toBe(61_000);
    // Reservations queue up in order.
    expect(limiter.reserve({ key: key("STO01"), limit: perMinute, now: 2_000 })).toBe(121_000);
    expect(limiter.nextAllowedAt({ key: key("STO01"), limit: perMinute, now: 500_000 })).toBe(500_000);
  });

  it("keeps separate buckets per operation, shop, key and instance", () => {
    const limiter = createRateLimiter();
    limiter.reserve({ key: key("OR04"), limit: perMinute, now: 0 });
    expect(limiter.nextAllowedAt({ key: key("OR04"), limit: perMinute, now: 0 })).toBe(60_000);
    expect(limiter.nextAllowedAt({ key: key("STO01"), limit: perMinute, now: 0 })).toBe(0);
    expect(limiter.nextAllowedAt({ key: key("OR04", { shopId: "2" }), limit: perMinute, now: 0 })).toBe(0);
    expect(limiter.nextAllowedAt({ key: key("OR04", { apiKey: "other-key-1" }), limit: perMinute, now: 0 })).toBe(0);
    expect(limiter.nextAllowedAt({ key: key("OR04", { baseUrl: "https://y.mirakl.net" }), limit: perMinute, now: 0 })).toBe(0);
  });

  it("applies both TL02 windows: 20 per minute and 60 per hour", () => {
    const limiter = createRateLimiter();
    const limit = DEFAULT_RATE_LIMITS.TL02!;
    const slots: number[] = [];
    for (let i = 0; i < 61; i++) slots.push(limiter.reserve({ key: key("TL02"), limit, now: 0 }));
    expect(slots.slice(0, 20).every((s) => s === 0)).toBe(true);
    expect(slots[20]).toBe(60_000);
    expect(slots[40]).toBe(120_000);
    // The 61st call must wait for the first one to leave the hour window.
    expect(slots[60]).toBe(3_600_000);
    // Any 60 s window holds at most 20, any hour at most 60.
    for (const s of slots) {
      expect(slots.filter((t) => t >= s && t < s + 60_000).length).toBeLessThanOrEqual(20);
      expect(slots.filter((t) => t >= s && t < s + 3_600_000).length).toBeLessThanOrEqual(60);
    }
  });

  it("never paces unlimited operations", () => {
    const limiter = createRateLimiter();
    for (let i = 0; i < 50; i++) expect(limiter.reserve({ key: key("OR11"), limit: UNLIMITED, now: 5 })).toBe(5);
  });

  it("derives sensible defaults and honours overrides", () => {
    expect(resolveRateLimit({ operationId: "OR04" })).toEqual(perMinute);
    expect(resolveRateLimit({ operationId: "STO01" })).toEqual(perMinute);
    expect(resolveRateLimit({ operationId: "OF52" })).toEqual(perMinute);
    expect(resolveRateLimit({ operationId: "OF53" })).toEqual({ windows: [{ limit: 1, intervalMs: 10_000 }] });
    for (const op of ["OR11", "OR21", "OR23", "OR24", "OR28", "OR29", "OR30", "A01", "PC01", "SH12", "SH21", "RE01"] as const) {
      expect(resolveRateLimit({ operationId: op }).windows).toEqual([]);
    }
    expect(resolveRateLimit({ operationId: "OR04", overrides: { OR04: null } }).windows).toEqual([]);
    expect(resolveRateLimit({ operationId: "OR11", overrides: { OR11: perMinute } })).toEqual(perMinute);
  });
});

describe("semaphore", () => {
  it("caps the number of holders and hands slots over in order", async () => {
    const sem = createSemaphore({ max: 2 });
    const order: string[] = [];
    const r1 = await sem.acquire();
    const r2 = await sem.acquire();
    const p3 = sem.acquire().then((r) => {
      order.push("3");
      return r;
    });
    const p4 = sem.acquire().then((r) => {
      order.push("4");
      return r;
    });
    await Promise.resolve();
    expect(order).toEqual([]);
    expect(sem.inFlight).toBe(2);
    r1();
    r1(); // a second release of the same slot is ignored
    const r3 = await p3;
    expect(order).toEqual(["3"]);
    r2();
    const r4 = await p4;
    expect(order).toEqual(["3", "4"]);
    r3();
    r4();
    expect(sem.inFlight).toBe(0);
  });
});
