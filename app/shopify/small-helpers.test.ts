import { describe, expect, it } from "vitest";
import { fromGid, isGid, parseShopDomain, retypeGid, toGid, asGid } from "./gid";
import { deriveIdempotencyKey } from "./idempotency-key";
import { ThrottleBucket } from "./throttle-bucket";
import { collectUserErrors } from "./user-errors";

describe("gid helpers", () => {
  it("round-trips numeric ids", () => {
    const gid = toGid("Order", 123);
    expect(gid).toBe("gid://shopify/Order/123");
    expect(fromGid(gid)).toEqual({ type: "Order", id: "123" });
    expect(toGid("LineItem", 9007199254740993n)).toBe("gid://shopify/LineItem/9007199254740993");
    expect(retypeGid("gid://shopify/LineItem/77", "CalculatedLineItem")).toBe("gid://shopify/CalculatedLineItem/77");
  });
  it("rejects malformed input", () => {
    expect(() => toGid("Order", "12a")).toThrow();
    expect(() => toGid("Or der", 1)).toThrow();
    expect(() => fromGid("123")).toThrow();
    expect(() => asGid("gid://shopify/Order/1", "LineItem")).toThrow(/LineItem/);
    expect(isGid("gid://shopify/Order/1", "Order")).toBe(true);
    expect(isGid("gid://shopify/Order/1", "Refund")).toBe(false);
  });
  it("accepts only bare myshopify.com hosts as shop domains", () => {
    expect(parseShopDomain(" My-Shop.myshopify.com ")).toBe("my-shop.myshopify.com");
    for (const bad of ["shop.example.com", "x.myshopify.com/evil", "x.myshopify.com:8080", "user@x.myshopify.com", "x.myshopify.com.evil.io"]) {
      expect(() => parseShopDomain(bad), bad).toThrow();
    }
  });
});

describe("deriveIdempotencyKey", () => {
  it("is a deterministic RFC 4122 v5 UUID that separates parts unambiguously", () => {
    const a = deriveIdempotencyKey(["refund", "shop.myshopify.com", "M-1", "R-1"]);
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(deriveIdempotencyKey(["refund", "shop.myshopify.com", "M-1", "R-1"])).toBe(a);
    expect(deriveIdempotencyKey(["refund", "shop.myshopify.com", "M-1", "R-2"])).not.toBe(a);
    expect(deriveIdempotencyKey(["a|b"])).not.toBe(deriveIdempotencyKey(["a", "b"]));
    expect(() => deriveIdempotencyKey([])).toThrow();
  });
});

describe("ThrottleBucket", () => {
  it("sends at once while unknown, then refills at restoreRate up to the maximum", () => {
    const b = new ThrottleBucket();
    expect(b.reserve(500, 0)).toBe(0);
    b.observe({ maximumAvailable: 1000, currentlyAvailable: 100, restoreRate: 50 }, 0);
    expect(b.estimate(1_000)).toBe(150);
    expect(b.estimate(100_000)).toBe(1000);
    expect(b.reserve(200, 0)).toBe(2_000);
    expect(b.reserve(200, 2_000)).toBe(0);
    // The 200 points were taken locally, so a concurrent request waits for its own refill.
    expect(b.reserve(200, 2_000)).toBe(4_000);
  });
  it("never asks to wait for more than a full bucket", () => {
    const b = new ThrottleBucket();
    b.observe({ maximumAvailable: 1000, currentlyAvailable: 0, restoreRate: 100 }, 0);
    expect(b.reserve(5_000, 0)).toBe(10_000);
  });
});

describe("collectUserErrors", () => {
  it("reads every *userErrors list of every root payload, leniently", () => {
    expect(
      collectUserErrors({
        a: { userErrors: [] },
        b: { orderCancelUserErrors: [{ field: ["x", 0], message: "m", code: "C" }] },
        c: null,
        d: { userErrors: [{ message: "no field" }] },
      }),
    ).toEqual([
      { field: ["x", "0"], message: "m", code: "C" },
      { field: null, message: "no field", code: null },
    ]);
  });
});
