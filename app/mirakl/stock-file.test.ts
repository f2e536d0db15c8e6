import { describe, expect, it } from "vitest";
import { ValidationError } from "../lib/errors";
import { csvDelimiterFromPlatform, detectCsvDelimiter, parseCsv } from "./csv";
import { buildStockCsv, parseStockErrorReport } from "./stock-file";

describe("buildStockCsv (STO01)", () => {
  it("writes the two-column file when no line uses a warehouse", () => {
    expect(buildStockCsv({ lines: [{ offerSku: "TSHIRT-BLK-M", quantity: 4 }, { offerSku: "MUG", quantity: 0 }], delimiter: ";" })).toBe(
      '"offer-sku";"quantity"\n"TSHIRT-BLK-M";"4"\n"MUG";"0"\n',
    );
  });

  it("writes a COMMA tenant's file with commas, quoting fields that contain either delimiter", () => {
    const csv = buildStockCsv({
      lines: [
        { offerSku: "TOP,NAVY", quantity: 3, warehouseCode: "PARIS;NORD" },
        { offerSku: 'MUG "WHITE"', quantity: 0, warehouseCode: "LYON" },
      ],
      delimiter: ",",
    });
    expect(csv).toBe('"offer-sku","quantity","warehouse-code"\n"TOP,NAVY","3","PARIS;NORD"\n"MUG ""WHITE""","0","LYON"\n');
    // Read as Mirakl would (with the tenant's delimiter, and by detection as our STO03 reader does): same values.
    const expected = [
      ["offer-sku", "quantity", "warehouse-code"],
      ["TOP,NAVY", "3", "PARIS;NORD"],
      ['MUG "WHITE"', "0", "LYON"],
    ];
    expect(parseCsv({ text: csv, delimiter: "," })).toEqual(expected);
    expect(parseCsv({ text: csv })).toEqual(expected);
    // Read with the other delimiter, the header is one unreadable column: why a file must match the tenant.
    expect(parseCsv({ text: csv, delimiter: ";" })[0]).toHaveLength(1);
  });

  it("takes the delimiter from PC01 operator_csv_delimiter, `;` when the tenant says nothing", () => {
    expect(csvDelimiterFromPlatform("COMMA")).toBe(",");
    expect(csvDelimiterFromPlatform(" comma ")).toBe(",");
    expect(csvDelimiterFromPlatform("SEMICOLON")).toBe(";");
    expect(csvDelimiterFromPlatform(null)).toBe(";");
    expect(csvDelimiterFromPlatform(undefined)).toBe(";");
    expect(csvDelimiterFromPlatform("PIPE")).toBe(";");
  });

  it("adds warehouse-code only when used, keeps an offer's lines together and escapes quotes and delimiters", () => {
    const csv = buildStockCsv({
      lines: [
        { offerSku: 'SKU "A";1', quantity: 3, warehouseCode: "PARIS" },
        { offerSku: "B", quantity: 1 },
        { offerSku: 'SKU "A";1', quantity: 5, warehouseCode: "LYON" },
      ],
      delimiter: ";",
    });
    expect(csv).toBe('"offer-sku";"quantity";"warehouse-code"\n"SKU ""A"";1";"3";"PARIS"\n"SKU ""A"";1";"5";"LYON"\n"B";"1";""\n');
    // And it reads back to the same values.
    expect(parseCsv({ text: csv })).toEqual([
      ["offer-sku", "quantity", "warehouse-code"],
      ['SKU "A";1', "3", "PARIS"],
      ['SKU "A";1', "5", "LYON"],
      ["B", "1", ""],
    ]);
  });

  it("refuses lines Mirakl could not take", () => {
    expect(() => buildStockCsv({ lines: [], delimiter: ";" })).toThrow(ValidationError);
    expect(() => buildStockCsv({ lines: [{ offerSku: "", quantity: 1 }], delimiter: ";" })).toThrow(ValidationError);
    expect(() => buildStockCsv({ lines: [{ offerSku: "A", quantity: -1 }], delimiter: ";" })).toThrow(ValidationError);
    expect(() => buildStockCsv({ lines: [{ offerSku: "A", quantity: 1.5 }], delimiter: ";" })).toThrow(ValidationError);
    expect(() => buildStockCsv({ lines: [{ offerSku: "A\nB", quantity: 1 }], delimiter: ";" })).toThrow(ValidationError);
    expect(() => buildStockCsv({ lines: [{ offerSku: "A", quantity: 1 }, { offerSku: "A", quantity: 2 }], delimiter: ";" })).toThrow(/twice/);
    expect(() => buildStockCsv({ lines: [{ offerSku: "A", quantity: 1 }], delimiter: "|" as never })).toThrow(/delimiter/);
  });
});

describe("parseStockErrorReport (STO03)", () => {
  it("reads a semicolon report with named error columns", () => {
    const rows = parseStockErrorReport({
      csv: '"offer-sku";"quantity";"error-line";"error-message"\r\n"SKU-1";"4";"2";"The offer does not exist"\r\n"SKU;2";"x";"3";"Quantity is ""invalid"""\r\n',
    });
    expect(rows).toEqual([
      expect.objectContaining({ offerSku: "SKU-1", quantity: 4, errorLine: 2, errorMessage: "The offer does not exist", warehouseCode: null }),
      expect.objectContaining({ offerSku: "SKU;2", quantity: null, errorLine: 3, errorMessage: 'Quantity is "invalid"' }),
    ]);
  });

  it("reads a comma report whose first two columns are the line and the reason (STO03 description)", () => {
    const rows = parseStockErrorReport({ csv: '\uFEFFline,reason,offer-sku,quantity,warehouse-code\n5,"Unknown warehouse, check code",SKU-9,12,NANTES\n' });
    expect(rows).toEqual([
      expect.objectContaining({ offerSku: "SKU-9", quantity: 12, warehouseCode: "NANTES", errorLine: 5, errorMessage: "Unknown warehouse, check code" }),
    ]);
  });

  it("handles quoted newlines, blank lines and empty reports", () => {
    const rows = parseStockErrorReport({ csv: '"error-line";"error-message";"offer-sku";"quantity"\n\n"7";"two\nlines";"S";"1"\n' });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ errorLine: 7, errorMessage: "two\nlines", offerSku: "S", quantity: 1 });
    expect(parseStockErrorReport({ csv: "" })).toEqual([]);
    expect(parseStockErrorReport({ csv: '"offer-sku";"quantity";"error-line";"error-message"\n' })).toEqual([]);
  });

  it("detects the delimiter outside quotes", () => {
    expect(detectCsvDelimiter('"a,b";"c"\n')).toBe(";");
    expect(detectCsvDelimiter('"a;b","c","d"\n')).toBe(",");
  });
});
