import { describe, expect, it } from "vitest";
import { compileSearch, matchDate, matchString, parseSearchQuery, type SearchSpec } from "./search-query";

interface Item {
  sku: string;
  tags: string[];
  updatedAt: number;
  name: string;
}

const spec: SearchSpec<Item> = {
  fields: {
    sku: (i, op, v) => matchString([i.sku], op, v),
    tag: (i, op, v) => matchString(i.tags, op, v),
    updated_at: (i, op, v) => matchDate(i.updatedAt, op, v),
    name: (i, op, v) => matchString([i.name.replace(/^#/, "")], op, v.replace(/^#/, "")),
  },
  text: (i, v) => i.sku.toLowerCase().includes(v.toLowerCase()),
};

const items: Item[] = [
  { sku: "A-1", tags: ["mirakl", "Hold"], updatedAt: Date.parse("2026-03-01T10:00:00Z"), name: "#1001" },
  { sku: "B-2", tags: ["web"], updatedAt: Date.parse("2026-03-02T10:00:00Z"), name: "#1002" },
  { sku: "B-22", tags: [], updatedAt: Date.parse("2026-03-03T10:00:00Z"), name: "#1003" },
];

function run(query: string): string[] {
  const { predicate } = compileSearch(query, spec);
  return items.filter(predicate).map((i) => i.sku);
}

describe("Shopify search syntax", () => {
  it("ORs terms joined by OR and matches values exactly", () => {
    expect(run("sku:A-1 OR sku:B-2")).toEqual(["A-1", "B-2"]);
  });

  it("ANDs juxtaposed terms and negates with - and NOT", () => {
    expect(run("sku:B* -tag:web")).toEqual(["B-22"]);
    expect(run("NOT tag:mirakl")).toEqual(["B-2", "B-22"]);
  });

  it("compares dates with > and quoted values, at second precision", () => {
    expect(run("updated_at:>'2026-03-01T10:00:00Z'")).toEqual(["B-2", "B-22"]);
    expect(run('updated_at:>="2026-03-02T10:00:00Z"')).toEqual(["B-2", "B-22"]);
    expect(run("updated_at:<2026-03-02")).toEqual(["A-1"]);
  });

  it("matches tags case-insensitively and honours parentheses", () => {
    expect(run("tag:hold")).toEqual(["A-1"]);
    expect(run("(sku:A-1 OR sku:B-2) tag:web")).toEqual(["B-2"]);
  });

  it("accepts order names with or without #", () => {
    expect(run("name:#1002")).toEqual(["B-2"]);
    expect(run("name:1003")).toEqual(["B-22"]);
  });

  it("ignores an unknown field but reports it as a warning, as Shopify does", () => {
    const { predicate, warnings } = compileSearch("colour:red sku:A-1", spec);
    expect(items.filter(predicate).map((i) => i.sku)).toEqual(["A-1"]);
    expect(warnings).toEqual([{ field: "colour", message: "Invalid search field for this query." }]);
  });

  it("parses a gid value containing colons as one term", () => {
    expect(parseSearchQuery("id:gid://shopify/Order/12")).toEqual({ kind: "term", field: "id", op: ":", value: "gid://shopify/Order/12" });
  });
});
