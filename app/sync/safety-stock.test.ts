import { describe, expect, it } from "vitest";
import { computeOfferQuantity, computeQuantity, type SafetyStockMode } from "./safety-stock";

const base = { mapped: true, tracked: true };

describe("computeQuantity (the documented rule)", () => {
  it.each<[number[], SafetyStockMode, number, number]>([
    // locations, mode, value, expected
    [[12, 8], "FIXED", 0, 20],
    [[12, 8], "FIXED", 2, 18],
    [[1], "FIXED", 2, 0],
    [[0], "FIXED", 0, 0],
    [[12, 8], "PERCENT", 10, 18], // buffer ceil(2.0) = 2
    [[7], "PERCENT", 10, 6], // buffer ceil(0.7) = 1
    [[3], "PERCENT", 50, 1], // buffer ceil(1.5) = 2
    [[5], "PERCENT", 100, 0],
    [[5], "PERCENT", 250, 0], // clamped to 100 %
    [[12, 8], "HOLD_BACK_LAST", 2, 20],
    [[2], "HOLD_BACK_LAST", 2, 0],
    [[3], "HOLD_BACK_LAST", 2, 3],
    [[-4, 10], "FIXED", 0, 6], // an oversold location's backlog is filled from the others
    [[-4, 1], "FIXED", 0, 0], // never below zero
    [[-4], "PERCENT", 10, 0],
  ])("%j %s %i → %i", (locs, mode, value, expected) => {
    expect(computeOfferQuantity({ ...base, availableByLocation: locs, mode, value })).toBe(expected);
  });

  it("a per-SKU override replaces the connection's buffer", () => {
    expect(computeOfferQuantity({ ...base, availableByLocation: [10], mode: "FIXED", value: 2, override: 5 })).toBe(5);
    expect(computeOfferQuantity({ ...base, availableByLocation: [10], mode: "FIXED", value: 2, override: 0 })).toBe(10);
    expect(computeOfferQuantity({ ...base, availableByLocation: [10], mode: "PERCENT", value: 10, override: 50 })).toBe(5);
  });

  it("is zero for unmapped, untracked, or no chosen location", () => {
    expect(computeQuantity({ ...base, mapped: false, availableByLocation: [10], mode: "FIXED", value: 0 })).toMatchObject({ quantity: 0, reason: "unmapped" });
    expect(computeQuantity({ ...base, tracked: false, availableByLocation: [10], mode: "FIXED", value: 0 })).toMatchObject({ quantity: 0, reason: "untracked" });
    expect(computeQuantity({ ...base, availableByLocation: [], mode: "FIXED", value: 0 })).toMatchObject({ quantity: 0, reason: "no_location" });
  });

  it("never goes negative for any input (exhaustive small grid)", () => {
    const modes: SafetyStockMode[] = ["FIXED", "PERCENT", "HOLD_BACK_LAST"];
    for (const mode of modes)
      for (let a = -5; a <= 30; a++)
        for (let b = -3; b <= 6; b++)
          for (let value = 0; value <= 12; value++) {
            const r = computeQuantity({ ...base, availableByLocation: [a, b], mode, value });
            expect(r.quantity).toBeGreaterThanOrEqual(0);
            expect(r.quantity).toBeLessThanOrEqual(Math.max(0, a + b));
            expect(Number.isInteger(r.quantity)).toBe(true);
          }
  });

  it("is monotonic: more stock never offers less", () => {
    const modes: SafetyStockMode[] = ["FIXED", "PERCENT", "HOLD_BACK_LAST"];
    for (const mode of modes)
      for (let value = 0; value <= 10; value++) {
        let prev = 0;
        for (let a = 0; a <= 60; a++) {
          const q = computeOfferQuantity({ ...base, availableByLocation: [a], mode, value });
          expect(q).toBeGreaterThanOrEqual(prev);
          prev = q;
        }
      }
  });
});
