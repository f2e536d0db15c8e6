import { describe, expect, it } from "vitest";
import { anyOf, chunkSearchValues, quoteSearchValue, searchTerm } from "./search-query";

describe("search query quoting", () => {
  it("quotes values, avoiding quote escapes where the other quote kind works, and escapes backslashes", () => {
    expect(quoteSearchValue("ABC-1")).toBe("'ABC-1'");
    expect(quoteSearchValue("O'Neil")).toBe(`"O'Neil"`);
    expect(quoteSearchValue('say "hi"')).toBe(`'say "hi"'`);
    expect(quoteSearchValue(`it's "x"`)).toBe(`'it\\'s "x"'`);
    expect(quoteSearchValue("a\\b")).toBe("'a\\\\b'");
    expect(quoteSearchValue("x\\'y")).toBe(`"x\\\\'y"`);
    // Special characters of the syntax stay inside the quotes untouched.
    expect(quoteSearchValue("A:B (C) OR D")).toBe("'A:B (C) OR D'");
  });

  it("builds OR terms", () => {
    expect(anyOf("sku", ["A", "B'C"])).toBe(`sku:'A' OR sku:"B'C"`);
    expect(searchTerm("tag", "mirakl-1")).toBe("tag:'mirakl-1'");
  });

  it("rejects field names that could inject syntax", () => {
    expect(() => searchTerm("sku:'x' OR tag", "y")).toThrow(/Invalid search field/);
  });

  it("chunks by term count and by length", () => {
    const values = Array.from({ length: 120 }, (_, i) => `SKU-${i}`);
    const groups = chunkSearchValues("sku", values, { maxTerms: 50, maxLength: 100_000 });
    expect(groups.map((g) => g.length)).toEqual([50, 50, 20]);
    expect(groups.flat()).toEqual(values);

    const long = Array.from({ length: 10 }, (_, i) => `${"X".repeat(40)}${i}`);
    const byLength = chunkSearchValues("sku", long, { maxTerms: 50, maxLength: 200 });
    for (const g of byLength) expect(anyOf("sku", g).length).toBeLessThanOrEqual(200);
    expect(byLength.flat()).toEqual(long);
    expect(byLength.length).toBeGreaterThan(1);
  });
});
