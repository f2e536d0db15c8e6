import { afterEach, describe, expect, it } from "vitest";
import { clientFor, ok, startFakeAdminApi, type FakeAdminApi } from "./fake-admin-api.test-helper";
import type { ShopifyGid } from "./gid";
import { findVariantsBySkus, getVariantsByIds } from "./variants";

const variant = (n: number, sku: string | null) => ({
  id: `gid://shopify/ProductVariant/${n}`,
  sku,
  title: `V${n}`,
  displayName: `Product - V${n}`,
  price: "12.50",
  product: { id: `gid://shopify/Product/${n}`, title: "Product" },
  inventoryItem: { id: `gid://shopify/InventoryItem/${n}`, tracked: true },
});

let api: FakeAdminApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

/** Extract the quoted SKUs of an OR query (either quote kind), undoing the escaping. */
function skusOf(query: string): string[] {
  const out: string[] = [];
  const re = /sku:(?:'((?:\\.|[^'\\])*)'|"((?:\\.|[^"\\])*)")/g;
  for (let m = re.exec(query); m; m = re.exec(query)) out.push((m[1] ?? m[2] ?? "").replace(/\\(.)/g, "$1"));
  return out;
}

describe("findVariantsBySkus", () => {
  it("quotes and escapes SKUs, chunks them, and returns every exact match per SKU", async () => {
    const catalogue = [variant(1, "A'1"), variant(2, "B\\2"), variant(3, "A'1"), variant(4, "a'1"), variant(5, "C 3:x")];
    api = await startFakeAdminApi((req) => {
      const wanted = skusOf(String(req.body?.variables.query)).map((s) => s.toLowerCase());
      // Like Shopify search: case-insensitive, so "a'1" also comes back for "A'1".
      return ok({
        productVariants: {
          nodes: catalogue.filter((v) => v.sku !== null && wanted.includes(v.sku.toLowerCase())),
          pageInfo: { hasNextPage: false, endCursor: null },
        },
      });
    });
    const result = await findVariantsBySkus({ client: clientFor(api), skus: ["A'1", "B\\2", "C 3:x", "MISSING", "A'1", ""] });
    expect(api.requests).toHaveLength(1);
    expect(api.requests[0]?.body?.variables.query).toBe(`sku:"A'1" OR sku:'B\\\\2' OR sku:'C 3:x' OR sku:'MISSING'`);
    expect(result.get("A'1")?.map((v) => v.id)).toEqual(["gid://shopify/ProductVariant/1", "gid://shopify/ProductVariant/3"]);
    expect(result.get("B\\2")?.map((v) => v.id)).toEqual(["gid://shopify/ProductVariant/2"]);
    expect(result.get("C 3:x")?.[0]?.inventoryItem).toEqual({ id: "gid://shopify/InventoryItem/5", tracked: true });
    expect(result.get("MISSING")).toEqual([]);
    expect(result.get("")).toEqual([]);
    expect([...result.keys()]).toEqual(["A'1", "B\\2", "C 3:x", "MISSING", ""]);
  });

  it("splits many SKUs into several queries", async () => {
    api = await startFakeAdminApi((req) => {
      const wanted = skusOf(String(req.body?.variables.query));
      return ok({
        productVariants: { nodes: wanted.map((s, i) => variant(Number(s.slice(4)) * 10 + i, s)), pageInfo: { hasNextPage: false } },
      });
    });
    const skus = Array.from({ length: 120 }, (_, i) => `SKU-${i}`);
    const result = await findVariantsBySkus({ client: clientFor(api), skus, skusPerQuery: 50 });
    expect(api.requests.map((r) => skusOf(String(r.body?.variables.query)).length)).toEqual([50, 50, 20]);
    expect(api.requests.map((r) => r.body?.variables.first)).toEqual([250, 250, 250]);
    expect([...result.values()].every((v) => v.length === 1)).toBe(true);
  });

  it("follows pages when one query matches more than a page", async () => {
    api = await startFakeAdminApi((req) =>
      req.body?.variables.after === null
        ? ok({ productVariants: { nodes: [variant(1, "DUP"), variant(2, "DUP")], pageInfo: { hasNextPage: true, endCursor: "c1" } } })
        : ok({ productVariants: { nodes: [variant(3, "DUP")], pageInfo: { hasNextPage: false, endCursor: null } } }),
    );
    const result = await findVariantsBySkus({ client: clientFor(api), skus: ["DUP"], pageSize: 2 });
    expect(api.requests.map((r) => r.body?.variables.after)).toEqual([null, "c1"]);
    expect(result.get("DUP")).toHaveLength(3);
  });
});

describe("getVariantsByIds", () => {
  it("reads variants by id, skips unknown ids, chunks by 100", async () => {
    api = await startFakeAdminApi((req) => {
      const ids = req.body?.variables.ids as string[];
      return ok({
        nodes: ids.map((id) => {
          const n = Number(id.split("/").pop());
          return n % 2 === 0 ? { __typename: "ProductVariant", ...variant(n, `S${n}`) } : null;
        }),
      });
    });
    const ids = Array.from({ length: 150 }, (_, i) => `gid://shopify/ProductVariant/${i + 1}` as ShopifyGid);
    const result = await getVariantsByIds({ client: clientFor(api), ids });
    expect(api.requests.map((r) => (r.body?.variables.ids as string[]).length)).toEqual([100, 50]);
    expect(result.size).toBe(75);
    expect(result.get("gid://shopify/ProductVariant/2" as ShopifyGid)?.sku).toBe("S2");
  });
});
