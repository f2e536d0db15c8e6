import { describe, expect, it } from "vitest";
import { stockRuleFingerprint } from "./stock-rule";

describe("stockRuleFingerprint", () => {
  const base = { safetyStockMode: "FIXED", safetyStockValue: 2, locationIds: ["gid://shopify/Location/2", "gid://shopify/Location/1"] };
  it("does not depend on the order the locations were ticked in", () => {
    expect(stockRuleFingerprint(base)).toBe(stockRuleFingerprint({ ...base, locationIds: [...base.locationIds].reverse() }));
  });
  it("changes with the mode, the value and the set of locations", () => {
    const fp = stockRuleFingerprint(base);
    expect(stockRuleFingerprint({ ...base, safetyStockMode: "PERCENT" })).not.toBe(fp);
    expect(stockRuleFingerprint({ ...base, safetyStockValue: 3 })).not.toBe(fp);
    expect(stockRuleFingerprint({ ...base, locationIds: ["gid://shopify/Location/1"] })).not.toBe(fp);
    expect(stockRuleFingerprint({ ...base, locationIds: [] })).not.toBe(fp);
  });
});
