import { describe, expect, it } from "vitest";
import { detectDelimiter, formatCell, formatRow, parseCsv, readCell } from "./csv";

describe("parseCsv", () => {
  it("reads quoted fields, doubled quotes, embedded separators and newlines, keeping spreadsheet row numbers", () => {
    const text = 'a,b,c\r\n1,"x, y","say ""hi"""\r\n\r\n2,"line one\nline two",z\n3,,\n';
    const recs = parseCsv(text);
    expect(recs).toEqual([
      { row: 1, cells: ["a", "b", "c"] },
      { row: 2, cells: ["1", "x, y", 'say "hi"'] },
      // Row 3 is blank (skipped); row 4 spans two physical lines.
      { row: 4, cells: ["2", "line one\nline two", "z"] },
      { row: 6, cells: ["3", "", ""] },
    ]);
  });

  it("strips a UTF-8 BOM and detects European Excel's semicolons", () => {
    const text = "\uFEFFoffer_sku;shopify_sku\nA;B\n";
    expect(detectDelimiter(text.slice(1))).toBe(";");
    expect(parseCsv(text)).toEqual([
      { row: 1, cells: ["offer_sku", "shopify_sku"] },
      { row: 2, cells: ["A", "B"] },
    ]);
  });

  it("flags an unclosed quote and text after a closing quote instead of guessing", () => {
    expect(parseCsv('a,b\n"oops,b\n')).toEqual([{ row: 1, cells: ["a", "b"] }, { row: 2, cells: ["oops,b\n"], problem: expect.stringMatching(/never closed/) }]);
    const [, bad] = parseCsv('a,b\n"x"y,b\n');
    expect(bad?.problem).toMatch(/follows a closing quote/);
    expect(bad?.cells).toEqual(["xy", "b"]);
  });

  it("reads a file without a trailing newline and a lone CR line ending", () => {
    expect(parseCsv("a,b\r1,2")).toEqual([
      { row: 1, cells: ["a", "b"] },
      { row: 2, cells: ["1", "2"] },
    ]);
  });
});

describe("formatCell / readCell", () => {
  it("quotes only when needed and neutralises formulas, and readCell undoes it", () => {
    expect(formatCell("plain")).toBe("plain");
    expect(formatCell("a,b")).toBe('"a,b"');
    expect(formatCell('say "hi"')).toBe('"say ""hi"""');
    expect(formatCell(null)).toBe("");
    expect(formatCell(12)).toBe("12");
    expect(formatCell("=HYPERLINK(\"x\")")).toBe('"\'=HYPERLINK(""x"")"');
    expect(formatCell("-5")).toBe("'-5");
    expect(readCell("'-5")).toBe("-5");
    expect(readCell("'plain")).toBe("'plain");
    expect(readCell("  padded ")).toBe("padded");
  });

  it("round-trips a row through format and parse", () => {
    const values = ["SKU-1", "Top, navy; \"striped\"", "=1+1", "", "line\nbreak"];
    const [rec] = parseCsv(formatRow(values) + "\r\n");
    expect(rec?.cells.map(readCell)).toEqual(values.map((v) => v.trim()));
  });
});
