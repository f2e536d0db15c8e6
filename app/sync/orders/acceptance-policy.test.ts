import { describe, expect, it } from "vitest";
import { decideAcceptance, decisionLines, holdCodeOf, holdReasonText, holdSummary, lineProblem, parseDecision, type CheckedLine, type LineCheck } from "./acceptance-policy";

function line(id: string, check: LineCheck, sku = `SKU-${id}`): CheckedLine {
  return { orderLineId: id, offerSku: sku, quantity: 2, check, variantId: check.kind === "ok" ? `gid://shopify/ProductVariant/${id}` : null, inventoryItemId: null };
}
const ok: LineCheck = { kind: "ok" };
const short: LineCheck = { kind: "short", available: 1, ordered: 2 };

describe("decideAcceptance", () => {
  it("accepts an order whose every line can be shipped, under both automatic policies", () => {
    for (const policy of ["ACCEPT_AUTOMATICALLY", "REFUSE_FAILING"]) {
      expect(decideAcceptance({ policy, partialAcceptance: false, lines: [line("1", ok), line("2", ok)] })).toEqual({ kind: "accept" });
    }
  });

  it("holds for review whatever the checks say", () => {
    expect(decideAcceptance({ policy: "HOLD_FOR_REVIEW", partialAcceptance: true, lines: [line("1", ok)] })).toEqual({ kind: "hold", code: "REVIEW" });
  });

  it("holds (never refuses) when a line could not be verified", () => {
    expect(decideAcceptance({ policy: "REFUSE_FAILING", partialAcceptance: true, lines: [line("1", ok), line("2", { kind: "unverified" })] })).toEqual({ kind: "hold", code: "UNVERIFIED" });
  });

  it("ACCEPT_AUTOMATICALLY holds an order with a failing line", () => {
    expect(decideAcceptance({ policy: "ACCEPT_AUTOMATICALLY", partialAcceptance: true, lines: [line("1", ok), line("2", short)] })).toEqual({ kind: "hold", code: "LINES_FAILING" });
  });

  it("REFUSE_FAILING refuses only the failing lines where partial acceptance is allowed", () => {
    expect(decideAcceptance({ policy: "REFUSE_FAILING", partialAcceptance: true, lines: [line("1", ok), line("2", { kind: "unmapped" })] })).toEqual({
      kind: "partial",
      accepted: ["1"],
      refused: ["2"],
    });
  });

  it("REFUSE_FAILING holds instead of refusing part of an order where partial acceptance is disabled", () => {
    expect(decideAcceptance({ policy: "REFUSE_FAILING", partialAcceptance: false, lines: [line("1", ok), line("2", short)] })).toEqual({ kind: "hold", code: "PARTIAL_DISABLED" });
  });

  it("REFUSE_FAILING refuses the whole order when no line can be shipped", () => {
    expect(decideAcceptance({ policy: "REFUSE_FAILING", partialAcceptance: false, lines: [line("1", short), line("2", { kind: "ignored" })] })).toEqual({ kind: "refuse" });
  });

  it("treats an unknown policy as accept-automatically (the safe default: hold what fails)", () => {
    expect(decideAcceptance({ policy: "SOMETHING_NEW", partialAcceptance: true, lines: [line("1", short)] })).toEqual({ kind: "hold", code: "LINES_FAILING" });
  });
});

describe("decision lines and hold reasons", () => {
  it("records every line with its decision and plain-language reason", () => {
    const lines = [line("1", ok), line("2", short, "MUG")];
    const partial = decisionLines(lines, { kind: "partial", accepted: ["1"], refused: ["2"] });
    expect(partial.map((l) => l.accepted)).toEqual([true, false]);
    expect(partial[1]!.reason).toBe("2 × MUG ordered but only 1 available at the marketplace's locations");
    expect(decisionLines(lines, { kind: "hold", code: "LINES_FAILING" }).map((l) => l.accepted)).toEqual([null, null]);
    expect(parseDecision(partial)).toEqual(partial);
    expect(parseDecision({ not: "an array" })).toBeNull();
  });

  it("explains each kind of problem", () => {
    expect(lineProblem({ offerSku: "X", check: { kind: "unmapped" } })).toBe("SKU X is not linked to any Shopify product");
    expect(lineProblem({ offerSku: "X", check: { kind: "ambiguous", variants: 2 } })).toContain("2 Shopify variants");
    expect(lineProblem({ offerSku: "X", check: { kind: "unverified" } })).toContain("Shopify did not answer");
    expect(lineProblem({ offerSku: "X", check: ok })).toBeNull();
  });

  it("round-trips the hold code through the stored reason", () => {
    const text = holdReasonText("PARTIAL_DISABLED", holdSummary("PARTIAL_DISABLED", [{ reason: "SKU X is not linked to any Shopify product" }]));
    expect(text).toBe("PARTIAL_DISABLED: SKU X is not linked to any Shopify product; the marketplace does not allow accepting only part of an order");
    expect(holdCodeOf(text)).toBe("PARTIAL_DISABLED");
    expect(holdCodeOf("UNMAPPED_SKU: A")).toBe("UNMAPPED_SKU");
    expect(holdCodeOf("whatever")).toBeNull();
    expect(holdCodeOf(null)).toBeNull();
  });
});
