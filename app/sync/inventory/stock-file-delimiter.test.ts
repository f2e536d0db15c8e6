import { describe, expect, it } from "vitest";
import { stockFileDelimiter } from "./stock-file-delimiter";

describe("stockFileDelimiter (a connection's stored PC01 answer → STO01 delimiter)", () => {
  it("follows the tenant's operator_csv_delimiter", () => {
    expect(stockFileDelimiter({ features: { operator_csv_delimiter: "COMMA" }, summary: { operatorCsvDelimiter: "COMMA" } })).toBe(",");
    expect(stockFileDelimiter({ features: { operator_csv_delimiter: "SEMICOLON" }, summary: { operatorCsvDelimiter: "SEMICOLON" } })).toBe(";");
    // Stored before the summary existed: the raw PC01 field is enough.
    expect(stockFileDelimiter({ features: { operator_csv_delimiter: "COMMA" } })).toBe(",");
  });

  it("uses Mirakl's default `;` when PC01 said nothing or what is stored cannot be read", () => {
    expect(stockFileDelimiter({})).toBe(";");
    expect(stockFileDelimiter({ features: { order_tax_mode: "TAX_INCLUDED" }, summary: { operatorCsvDelimiter: null } })).toBe(";");
    expect(stockFileDelimiter(null)).toBe(";");
    expect(stockFileDelimiter("COMMA")).toBe(";");
    expect(stockFileDelimiter({ features: "garbage", summary: 42 })).toBe(";");
  });
});
