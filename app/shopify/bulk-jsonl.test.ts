import { afterEach, describe, expect, it } from "vitest";
import { groupByParent, parseJsonl, type JsonObject } from "./bulk-jsonl";
import { ShopifyBulkResultError } from "./errors";
import { startFakeAdminApi, type FakeAdminApi } from "./fake-admin-api.test-helper";
import { downloadInventoryExport } from "./inventory";

async function* from<T>(items: T[]): AsyncGenerator<T> {
  for (const i of items) yield i;
}
async function all<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

const V1 = { id: "gid://shopify/ProductVariant/1", sku: "A", inventoryItem: { id: "gid://shopify/InventoryItem/11", tracked: true } };
const V2 = { id: "gid://shopify/ProductVariant/2", sku: "B", inventoryItem: { id: "gid://shopify/InventoryItem/22", tracked: false } };
const level = (parent: string, loc: number, qty: number) => ({
  location: { id: `gid://shopify/Location/${loc}` },
  quantities: [{ name: "available", quantity: qty }],
  __parentId: parent,
});

describe("parseJsonl", () => {
  it("parses lines split across chunks, including a multi-byte character split in two", async () => {
    const text = `{"a":1}\n{"b":"é€"}\n\n{"c":3}`;
    const bytes = new TextEncoder().encode(text);
    const euroStart = bytes.indexOf(0xe2);
    const chunks = [bytes.slice(0, 3), bytes.slice(3, euroStart + 1), bytes.slice(euroStart + 1)];
    expect(await all(parseJsonl(from(chunks)))).toEqual([{ a: 1 }, { b: "é€" }, { c: 3 }]);
  });

  it("reports a bad line with its number", async () => {
    const err = await all(parseJsonl(from(['{"a":1}\n', "nope\n"]))).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyBulkResultError);
    expect((err as ShopifyBulkResultError).details).toEqual({ line: 2 });
  });
});

describe("groupByParent", () => {
  it("groups children under their parent via __parentId (variant or nested inventoryItem id)", async () => {
    const lines: JsonObject[] = [
      V1,
      level(V1.id, 1, 5),
      level(V1.inventoryItem.id, 2, 7),
      V2,
      { id: "gid://shopify/ProductVariant/3", sku: null, inventoryItem: null },
    ];
    const groups = await all(groupByParent(from(lines)));
    expect(groups.map((g) => [g.node.id, g.children.length])).toEqual([
      [V1.id, 2],
      [V2.id, 0],
      ["gid://shopify/ProductVariant/3", 0],
    ]);
  });

  it("refuses a child whose parent is not the current group (ungrouped output)", async () => {
    const lines: JsonObject[] = [V1, V2, level(V1.id, 1, 5)];
    await expect(all(groupByParent(from(lines)))).rejects.toBeInstanceOf(ShopifyBulkResultError);
  });

  it("keeps only the current group in memory (yields before reading ahead)", async () => {
    let read = 0;
    async function* counting(): AsyncGenerator<JsonObject> {
      for (let i = 0; i < 1000; i++) {
        read += 1;
        yield { id: `gid://shopify/ProductVariant/${i}` };
        read += 1;
        yield { location: { id: "gid://shopify/Location/1" }, __parentId: `gid://shopify/ProductVariant/${i}` };
      }
    }
    let maxAhead = 0;
    let emitted = 0;
    for await (const g of groupByParent(counting())) {
      emitted += 1;
      expect(g.children).toHaveLength(1);
      maxAhead = Math.max(maxAhead, read - emitted * 2);
    }
    expect(emitted).toBe(1000);
    expect(maxAhead).toBeLessThanOrEqual(1);
  });
});

describe("downloadInventoryExport", () => {
  let api: FakeAdminApi | undefined;
  afterEach(async () => {
    await api?.close();
    api = undefined;
  });

  it("streams the JSONL file into typed rows and sends no access token to the storage URL", async () => {
    const body = [V1, level(V1.id, 1, 5), level(V1.id, 2, 0), V2].map((l) => JSON.stringify(l)).join("\n") + "\n";
    api = await startFakeAdminApi(() => ({ chunks: [body.slice(0, 37), body.slice(37, 120), body.slice(120)] }));
    const rows = await all(downloadInventoryExport({ url: `${api.url}/bulk/result.jsonl?signature=x` }));
    expect(rows).toEqual([
      {
        variantId: V1.id,
        sku: "A",
        inventoryItemId: V1.inventoryItem.id,
        tracked: true,
        levels: [
          { locationId: "gid://shopify/Location/1", available: 5 },
          { locationId: "gid://shopify/Location/2", available: 0 },
        ],
      },
      { variantId: V2.id, sku: "B", inventoryItemId: V2.inventoryItem.id, tracked: false, levels: [] },
    ]);
    expect(api.requests[0]?.method).toBe("GET");
    expect(api.requests[0]?.headers["x-shopify-access-token"]).toBeUndefined();
  });

  it("an expired result URL (HTTP 403) is a non-retryable bulk error", async () => {
    api = await startFakeAdminApi(() => ({ status: 403, text: "expired" }));
    const err = await all(downloadInventoryExport({ url: `${api.url}/bulk/x.jsonl` })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyBulkResultError);
    expect((err as ShopifyBulkResultError).retryable).toBe(false);
  });
});
