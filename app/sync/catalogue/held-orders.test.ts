import { describe, expect, it } from "vitest";
import { skusHoldingOrder, textNamesSku, undecidedSkus } from "./held-orders";

describe("which held orders a SKU mapping would release", () => {
  it("finds a SKU in the hold reason only as a whole token", () => {
    expect(textNamesSku("unmapped_sku: TOP-M", "TOP-M")).toBe(true);
    expect(textNamesSku("Offer SKU TOP-M has no Shopify variant.", "TOP-M")).toBe(true);
    expect(textNamesSku("unmapped SKUs: TOP-M, TOTE", "TOTE")).toBe(true);
    expect(textNamesSku('unmapped sku "A.B(1)"', "A.B(1)")).toBe(true);
    expect(textNamesSku("unmapped_sku: TOP-M", "TOP")).toBe(false);
    expect(textNamesSku("unmapped_sku: XTOP", "TOP")).toBe(false);
    expect(textNamesSku("anything", "")).toBe(false);
  });

  it("reads the lines an acceptance decision did not accept, in either stored shape", () => {
    const lines = [
      { orderLineId: "O-1", offerSku: "A", quantity: 1, accepted: true },
      { orderLineId: "O-2", offerSku: "B", quantity: 1, accepted: false, reason: "unmapped_sku" },
      { orderLineId: "O-3", offerSku: "C", quantity: 2 },
      "garbage",
    ];
    expect(undecidedSkus(lines)).toEqual(["B", "C"]);
    expect(undecidedSkus({ lines })).toEqual(["B", "C"]);
    expect(undecidedSkus(null)).toEqual([]);
  });

  it("combines both sources against the candidate SKUs", () => {
    const order = { holdReason: "unmapped_sku: GHOST", acceptanceDecision: [{ offerSku: "B", accepted: false }] };
    expect(skusHoldingOrder(order, ["GHOST", "B", "A"])).toEqual(["GHOST", "B"]);
    expect(skusHoldingOrder({ holdReason: null, acceptanceDecision: null }, ["A"])).toEqual([]);
  });
});
