import { describe, expect, it } from "vitest";
import { selectStockLines, type Expected } from "./stock-lines";

const expected = (entries: Record<string, Expected>) => new Map(Object.entries(entries));

describe("selectStockLines", () => {
  it("sends only quantities that differ from what Mirakl was last told", () => {
    const out = selectStockLines({
      due: [
        { offerSku: "A", pushedQty: 5 },
        { offerSku: "B", pushedQty: 7 },
        { offerSku: "C", pushedQty: null },
      ],
      expected: expected({ A: { managed: true, quantity: 5 }, B: { managed: true, quantity: 6 }, C: { managed: true, quantity: 0 } }),
      maxLines: 10,
    });
    expect(out.lines).toEqual([
      { offerSku: "B", quantity: 6 },
      { offerSku: "C", quantity: 0 },
    ]);
    expect(out.unchanged).toEqual([{ offerSku: "A", quantity: 5 }]);
    expect(out.unmanaged).toEqual([]);
  });

  it("never touches ignored offers nor SKUs it has no quantity for", () => {
    const out = selectStockLines({
      due: [
        { offerSku: "IGNORED", pushedQty: 3 },
        { offerSku: "UNKNOWN", pushedQty: 3 },
      ],
      expected: expected({ IGNORED: { managed: false, quantity: 0 } }),
      maxLines: 10,
    });
    expect(out.lines).toEqual([]);
    expect(out.unmanaged).toEqual(["IGNORED", "UNKNOWN"]);
  });

  it("clamps to a whole number, zero or more, and compares the clamped value", () => {
    const out = selectStockLines({
      due: [
        { offerSku: "NEG", pushedQty: 0 },
        { offerSku: "FRACTION", pushedQty: 2 },
      ],
      expected: expected({ NEG: { managed: true, quantity: -4 }, FRACTION: { managed: true, quantity: 2.9 } }),
      maxLines: 10,
    });
    expect(out.lines).toEqual([]);
    expect(out.unchanged).toEqual([
      { offerSku: "NEG", quantity: 0 },
      { offerSku: "FRACTION", quantity: 2 },
    ]);
  });

  it("stops at maxLines: the rest stay dirty (neither sent nor cleared)", () => {
    const due = Array.from({ length: 5 }, (_, i) => ({ offerSku: `S${i}`, pushedQty: null }));
    const out = selectStockLines({ due, expected: new Map(due.map((d) => [d.offerSku, { managed: true, quantity: 1 }])), maxLines: 2 });
    expect(out.lines.map((l) => l.offerSku)).toEqual(["S0", "S1"]);
    expect(out.unchanged).toEqual([]);
    expect(out.unmanaged).toEqual([]);
  });
});
