import { describe, expect, it } from "vitest";
import { DEFAULT_RETRY_POLICY, computeBackoffMs, computeRateLimitDelayMs, parseRetryAfterMs } from "./retry-policy";

describe("parseRetryAfterMs", () => {
  const now = Date.parse("2025-03-03T10:00:00Z");
  it("reads delta-seconds", () => {
    expect(parseRetryAfterMs({ header: "120", now })).toBe(120_000);
    expect(parseRetryAfterMs({ header: " 0 ", now })).toBe(0);
    expect(parseRetryAfterMs({ header: "1.5", now })).toBe(1_500);
  });
  it("reads an HTTP date, never negative", () => {
    expect(parseRetryAfterMs({ header: "Mon, 03 Mar 2025 10:00:30 GMT", now })).toBe(30_000);
    expect(parseRetryAfterMs({ header: "Mon, 03 Mar 2025 09:00:00 GMT", now })).toBe(0);
  });
  it("ignores what it cannot read", () => {
    expect(parseRetryAfterMs({ header: undefined, now })).toBeUndefined();
    expect(parseRetryAfterMs({ header: "", now })).toBeUndefined();
    expect(parseRetryAfterMs({ header: "soon", now })).toBeUndefined();
    expect(parseRetryAfterMs({ header: "-5", now })).toBeUndefined();
  });
});

describe("backoff", () => {
  it("uses full jitter under an exponential, capped ceiling", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, baseDelayMs: 500, maxDelayMs: 4_000 };
    expect(computeBackoffMs({ attempt: 0, policy, random: () => 1 })).toBe(500);
    expect(computeBackoffMs({ attempt: 1, policy, random: () => 1 })).toBe(1_000);
    expect(computeBackoffMs({ attempt: 2, policy, random: () => 0.5 })).toBe(1_000);
    expect(computeBackoffMs({ attempt: 10, policy, random: () => 1 })).toBe(4_000);
    expect(computeBackoffMs({ attempt: 3, policy, random: () => 0 })).toBe(0);
  });
  it("never waits close to zero after a 429 without Retry-After", () => {
    const policy = { ...DEFAULT_RETRY_POLICY, defaultRateLimitDelayMs: 2_000, maxDelayMs: 10_000 };
    expect(computeRateLimitDelayMs({ attempt: 0, policy, random: () => 0 })).toBe(1_000);
    expect(computeRateLimitDelayMs({ attempt: 0, policy, random: () => 1 })).toBe(2_000);
    expect(computeRateLimitDelayMs({ attempt: 5, policy, random: () => 1 })).toBe(10_000);
  });
});
