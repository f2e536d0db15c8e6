import { describe, expect, it } from "vitest";
import { delaySecondsFor, stockPushWaitMs } from "./pacing";

describe("stockPushWaitMs", () => {
  const now = 1_000_000;
  it("lets the first push go at once", () => {
    expect(stockPushWaitMs({ nowMs: now, lastPushAtMs: null, intervalSeconds: 60, clientWaitMs: 0 })).toBe(0);
  });
  it("waits for the rest of the connection's minute", () => {
    expect(stockPushWaitMs({ nowMs: now, lastPushAtMs: now - 45_000, intervalSeconds: 60, clientWaitMs: 0 })).toBe(15_000);
    expect(stockPushWaitMs({ nowMs: now, lastPushAtMs: now - 60_000, intervalSeconds: 60, clientWaitMs: 0 })).toBe(0);
    expect(stockPushWaitMs({ nowMs: now, lastPushAtMs: now - 90_000, intervalSeconds: 60, clientWaitMs: 0 })).toBe(0);
  });
  it("takes the longer of the database slot and the client's limiter", () => {
    expect(stockPushWaitMs({ nowMs: now, lastPushAtMs: now - 50_000, intervalSeconds: 60, clientWaitMs: 30_000 })).toBe(30_000);
    expect(stockPushWaitMs({ nowMs: now, lastPushAtMs: null, intervalSeconds: 60, clientWaitMs: 12_345.2 })).toBe(12_346);
    expect(stockPushWaitMs({ nowMs: now, lastPushAtMs: null, intervalSeconds: 60, clientWaitMs: -5_000 })).toBe(0);
  });
  it("treats a negative interval as none", () => {
    expect(stockPushWaitMs({ nowMs: now, lastPushAtMs: now, intervalSeconds: -3, clientWaitMs: 0 })).toBe(0);
  });
});

describe("delaySecondsFor", () => {
  it("rounds up to whole seconds and never turns a wait into 0", () => {
    expect(delaySecondsFor(0)).toBe(0);
    expect(delaySecondsFor(-10)).toBe(0);
    expect(delaySecondsFor(1)).toBe(1);
    expect(delaySecondsFor(1_000)).toBe(1);
    expect(delaySecondsFor(1_001)).toBe(2);
    expect(delaySecondsFor(59_500)).toBe(60);
  });
});
