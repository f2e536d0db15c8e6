import { describe, expect, it } from "vitest";
import { parseStockErrorReport } from "../../mirakl";
import { matchErrorRows } from "./error-lines";

const lines = [
  { offerSku: "TOTE", quantity: 70 },
  { offerSku: "GHOST", quantity: 70 },
  { offerSku: "TOP", quantity: 3 },
];

describe("matchErrorRows", () => {
  it("reads the SKU Mirakl echoes after error-line;error-message (the simulator's and OF03's layout)", () => {
    const rows = parseStockErrorReport({ csv: '"error-line";"error-message";"offer-sku";"quantity"\n"3";"The offer with SKU \'GHOST\' does not exist.";"GHOST";"70"\n' });
    const out = matchErrorRows({ lines, rows });
    expect([...out.bySku]).toEqual([["GHOST", "The offer with SKU 'GHOST' does not exist."]]);
    expect(out.unmatched).toEqual([]);
  });

  it("falls back to the line number (line 1 is the header) when the SKU is not echoed", () => {
    const rows = parseStockErrorReport({ csv: "line;reason\n4;Quantity invalid\n" });
    const out = matchErrorRows({ lines, rows });
    expect([...out.bySku]).toEqual([["TOP", "Quantity invalid"]]);
  });

  it("keeps rows it cannot tie to a line of the file, and a SKU we did not send is not blamed", () => {
    const rows = parseStockErrorReport({ csv: '"error-line";"error-message";"offer-sku"\n"1";"Header problem";""\n"9";"Out of range";"OTHER"\n' });
    const out = matchErrorRows({ lines, rows });
    expect(out.bySku.size).toBe(0);
    expect(out.unmatched.map((r) => r.errorMessage)).toEqual(["Header problem", "Out of range"]);
  });

  it("gives a refused line without a message a readable one, and keeps the first message per SKU", () => {
    const rows = parseStockErrorReport({ csv: '"error-line";"error-message";"offer-sku"\n"2";"";"TOTE"\n"2";"second";"TOTE"\n' });
    const out = matchErrorRows({ lines, rows });
    expect(out.bySku.get("TOTE")).toBe("Mirakl refused this line without saying why");
  });
});
