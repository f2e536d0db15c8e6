import { describe, expect, it } from "vitest";
import { addTaxes, capTaxes, proRata, roundCents, scaleTaxes, splitByWeights, subtractTaxes, sumAmounts, toCents } from "./money";

describe("money in cents", () => {
  it("rounds half away from zero even when the float is just below the half", () => {
    expect(roundCents(1.005)).toBe(1.01);
    expect(roundCents(2.675)).toBe(2.68);
    expect(toCents(0.1 + 0.2)).toBe(30);
    expect(sumAmounts([0.1, 0.2, 0.3])).toBe(0.6);
  });

  it("takes a pro-rata share of a total without ever exceeding it", () => {
    expect(proRata(39.98, 1, 2)).toBe(19.99);
    expect(proRata(10, 1, 3)).toBe(3.33);
    expect(proRata(10, 2, 3)).toBe(6.67);
    expect(proRata(10, 3, 3)).toBe(10);
    expect(proRata(10, 5, 3)).toBe(10);
    expect(proRata(10, 0, 3)).toBe(0);
    expect(proRata(0, 1, 3)).toBe(0);
  });

  it("cancelling every unit one at a time from what is left sums to exactly the line", () => {
    // Each step takes 1 of what remains; the last step takes the remainder, so the sum is the line to the cent.
    let left = 10;
    let units = 3;
    const parts: number[] = [];
    while (units > 0) {
      const part = proRata(left, 1, units);
      parts.push(part);
      left = roundCents(left - part);
      units--;
    }
    expect(parts).toEqual([3.33, 3.34, 3.33]);
    expect(sumAmounts(parts)).toBe(10);
  });

  it("adds, subtracts, scales and caps per-code taxes", () => {
    const a = [{ code: "VAT", amount: 6.66 }, { code: "ECO", amount: 0.1 }];
    expect(addTaxes(a, [{ code: "VAT", amount: 0.01 }])).toEqual([{ code: "VAT", amount: 6.67 }, { code: "ECO", amount: 0.1 }]);
    expect(subtractTaxes(a, [{ code: "VAT", amount: 3.33 }, { code: "VAT", amount: 5 }])).toEqual([{ code: "VAT", amount: 0 }, { code: "ECO", amount: 0.1 }]);
    expect(scaleTaxes(a, 1, 2)).toEqual([{ code: "VAT", amount: 3.33 }, { code: "ECO", amount: 0.05 }]);
    expect(capTaxes([{ code: "VAT", amount: 4 }], [{ code: "VAT", amount: 3.33 }])).toEqual([{ code: "VAT", amount: 3.33 }]);
    expect(capTaxes([{ code: "VAT", amount: 4 }], [])).toEqual([{ code: "VAT", amount: 0 }]);
  });

  it("splits an amount over weights so the parts add up exactly", () => {
    expect(splitByWeights(10, [1, 1, 1])).toEqual([3.34, 3.33, 3.33]);
    expect(sumAmounts(splitByWeights(4.99, [499, 100]))).toBe(4.99);
    expect(splitByWeights(5, [0, 0])).toEqual([0, 0]);
    expect(splitByWeights(5, [0, 2])).toEqual([0, 5]);
  });
});
