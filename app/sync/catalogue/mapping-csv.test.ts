import { describe, expect, it } from "vitest";
import { mappingCsvHeader, mappingCsvLine, parseMappingCsv, MAX_IMPORT_ROWS } from "./mapping-csv";

const HEADER = "offer_sku,offer_title,shopify_sku,shopify_variant_id,status,safety_stock_override";

function parse(text: string) {
  const r = parseMappingCsv(text);
  if (r.kind !== "parsed") throw new Error(`expected parsed, got ${JSON.stringify(r)}`);
  return r;
}

describe("parseMappingCsv", () => {
  it("turns each row into a request: by variant id, by SKU, ignore, clear", () => {
    const r = parse(
      [
        HEADER,
        "A,Top,,gid://shopify/ProductVariant/11,MATCHED,",
        "B,Tote,TOTE-1,,,3",
        "C,Mug,,1234,,",
        "D,Old,,,IGNORED,",
        "E,New,,,UNMATCHED,",
        "F,Dup,,,,0",
      ].join("\n"),
    );
    expect(r.errors).toEqual([]);
    expect(r.dataRows).toBe(6);
    expect(r.rows).toEqual([
      { row: 2, offerSku: "A", request: { kind: "variant", variantId: "gid://shopify/ProductVariant/11", expectSku: null }, safetyStockOverride: null },
      { row: 3, offerSku: "B", request: { kind: "sku", sku: "TOTE-1" }, safetyStockOverride: 3 },
      { row: 4, offerSku: "C", request: { kind: "variant", variantId: "gid://shopify/ProductVariant/1234", expectSku: null }, safetyStockOverride: null },
      { row: 5, offerSku: "D", request: { kind: "ignore" }, safetyStockOverride: null },
      { row: 6, offerSku: "E", request: { kind: "clear" }, safetyStockOverride: null },
      { row: 7, offerSku: "F", request: { kind: "clear" }, safetyStockOverride: 0 },
    ]);
  });

  it("reports malformed and duplicate rows with their spreadsheet row numbers and keeps the valid ones", () => {
    const r = parse(
      [
        HEADER,
        "A,Top,TOP-M,,,", // row 2 ok
        "B,Tote,TOTE,,,minus one", // row 3 bad override
        "C,Mug,MUG,,,,extra", // row 4 column count
        ",No sku,X,,,", // row 5 empty offer_sku
        "A,Top again,TOP-L,,,", // row 6 duplicate of row 2
        "D,Thing,,not-an-id,,", // row 7 bad variant id
        "E,Thing,,,WHATEVER,", // row 8 bad status
        "F,Thing,,,MATCHED,", // row 9 matched with nothing
      ].join("\n"),
    );
    expect(r.rows.map((x) => x.offerSku)).toEqual(["A"]);
    expect(r.errors.map((e) => [e.row, e.code])).toEqual([
      [3, "malformed_row"],
      [4, "malformed_row"],
      [5, "malformed_row"],
      [6, "duplicate_row"],
      [7, "malformed_row"],
      [8, "malformed_row"],
      [9, "malformed_row"],
    ]);
    expect(r.errors.find((e) => e.row === 6)?.message).toMatch(/already on row 2/);
    expect(r.errors.find((e) => e.row === 4)?.message).toMatch(/7 columns but the header has 6/);
  });

  it("accepts a minimal file (offer_sku + shopify_sku), semicolons, a BOM and header variants", () => {
    const r = parse("\uFEFFOffer SKU;Shopify-SKU\nA;TOP-M\r\nB;\r\n");
    expect(r.rows).toEqual([
      { row: 2, offerSku: "A", request: { kind: "sku", sku: "TOP-M" }, safetyStockOverride: undefined },
      { row: 3, offerSku: "B", request: { kind: "clear" }, safetyStockOverride: undefined },
    ]);
  });

  it("treats a file with only safety stock as an override-only change", () => {
    const r = parse("offer_sku,safety_stock_override\nA,5\nB,\n");
    expect(r.rows).toEqual([
      { row: 2, offerSku: "A", request: { kind: "keep" }, safetyStockOverride: 5 },
      { row: 3, offerSku: "B", request: { kind: "keep" }, safetyStockOverride: null },
    ]);
  });

  it("refuses files it cannot read as a mapping", () => {
    expect(parseMappingCsv("")).toMatchObject({ kind: "invalid_file" });
    expect(parseMappingCsv("sku,variant\nA,B\n")).toMatchObject({ kind: "invalid_file", message: expect.stringMatching(/offer_sku/) });
    expect(parseMappingCsv("offer_sku,offer_title\nA,B\n")).toMatchObject({ kind: "invalid_file", message: expect.stringMatching(/no column to import/) });
    const big = ["offer_sku,shopify_sku", ...Array.from({ length: MAX_IMPORT_ROWS + 1 }, (_, i) => `S${i},X`)].join("\n");
    expect(parseMappingCsv(big)).toMatchObject({ kind: "invalid_file", message: expect.stringMatching(/at most/) });
  });

  it("imports an exported file back to the same requests (formula-looking titles included)", () => {
    const text = [
      mappingCsvHeader(),
      mappingCsvLine({ offerSku: "A", offerTitle: "=cmd|' /C calc'!A0", shopifySku: "TOP-M", shopifyVariantId: "gid://shopify/ProductVariant/7", matchStatus: "MATCHED", safetyStockOverride: 2 }),
      mappingCsvLine({ offerSku: "B", offerTitle: "Tote, canvas", shopifySku: null, shopifyVariantId: null, matchStatus: "AMBIGUOUS", safetyStockOverride: null }),
      mappingCsvLine({ offerSku: "-C", offerTitle: null, shopifySku: null, shopifyVariantId: null, matchStatus: "IGNORED", safetyStockOverride: null }),
    ].join("\r\n");
    const r = parse(text);
    expect(r.errors).toEqual([]);
    expect(r.rows).toEqual([
      { row: 2, offerSku: "A", request: { kind: "variant", variantId: "gid://shopify/ProductVariant/7", expectSku: "TOP-M" }, safetyStockOverride: 2 },
      { row: 3, offerSku: "B", request: { kind: "clear" }, safetyStockOverride: null },
      { row: 4, offerSku: "-C", request: { kind: "ignore" }, safetyStockOverride: null },
    ]);
  });
});
