import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { setLogSink } from "../lib/logger";
import { ShopifyUserError } from "./errors";
import { clientFor, ok, startFakeAdminApi, type FakeAdminApi } from "./fake-admin-api.test-helper";
import type { ShopifyGid } from "./gid";
import { adjustAvailable, getAvailableByItems, setAvailable, startInventoryBulkExport } from "./inventory";
import { waitForBulkOperation } from "./bulk-operations";
import { createFakeClock } from "./fake-admin-api.test-helper";

const item = (n: number) => `gid://shopify/InventoryItem/${n}` as ShopifyGid;
const loc = (n: number) => `gid://shopify/Location/${n}` as ShopifyGid;

let api: FakeAdminApi | undefined;
beforeAll(() => setLogSink(() => undefined, "info"));
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe("getAvailableByItems", () => {
  it("reads available per item per location, null when not stocked, missing ids reported", async () => {
    api = await startFakeAdminApi((req) => {
      const ids = req.body?.variables.ids as string[];
      const location = String(req.body?.variables.locationId);
      return ok({
        nodes: ids.map((id) => {
          const n = Number(id.split("/").pop());
          if (n === 3) return null;
          const stocked = !(n === 2 && location.endsWith("/20"));
          return {
            __typename: "InventoryItem",
            id,
            tracked: true,
            inventoryLevel: stocked ? { quantities: [{ name: "available", quantity: n * 10 }] } : null,
          };
        }),
      });
    });
    const res = await getAvailableByItems({ client: clientFor(api), inventoryItemIds: [item(1), item(2), item(3)], locationIds: [loc(10), loc(20)] });
    expect(api.requests.map((r) => r.body?.variables.locationId)).toEqual([loc(10), loc(20)]);
    expect(res.levels).toEqual([
      { inventoryItemId: item(1), locationId: loc(10), tracked: true, available: 10 },
      { inventoryItemId: item(2), locationId: loc(10), tracked: true, available: 20 },
      { inventoryItemId: item(1), locationId: loc(20), tracked: true, available: 10 },
      { inventoryItemId: item(2), locationId: loc(20), tracked: true, available: null },
    ]);
    expect(res.missingItemIds).toEqual([item(3)]);
  });

  it("chunks item ids by 100 per location", async () => {
    api = await startFakeAdminApi((req) => ok({ nodes: (req.body?.variables.ids as string[]).map(() => null) }));
    const ids = Array.from({ length: 230 }, (_, i) => item(i + 1));
    await getAvailableByItems({ client: clientFor(api), inventoryItemIds: ids, locationIds: [loc(1)] });
    expect(api.requests.map((r) => (r.body?.variables.ids as string[]).length)).toEqual([100, 100, 30]);
  });
});

describe("setAvailable / adjustAvailable", () => {
  const group = {
    id: "gid://shopify/InventoryAdjustmentGroup/1",
    reason: "correction",
    referenceDocumentUri: null,
    changes: [{ name: "available", delta: 3, quantityAfterChange: 8, item: { id: item(1) }, location: { id: loc(1) } }],
  };

  it("sends @idempotent with the caller's key and an explicit changeFromQuantity (null or a number)", async () => {
    api = await startFakeAdminApi(() => ok({ inventorySetQuantities: { inventoryAdjustmentGroup: group, userErrors: [] } }));
    const res = await setAvailable({
      client: clientFor(api),
      idempotencyKey: "restock-key-1",
      quantities: [
        { inventoryItemId: item(1), locationId: loc(1), quantity: 8, changeFromQuantity: 5 },
        { inventoryItemId: item(2), locationId: loc(1), quantity: 0, changeFromQuantity: null },
      ],
    });
    expect(res).toEqual({ kind: "applied", adjustmentGroup: group });
    const body = api.requests[0]?.body;
    expect(body?.query).toContain("@idempotent(key: $idempotencyKey)");
    expect(body?.variables.idempotencyKey).toBe("restock-key-1");
    const input = body?.variables.input as { name: string; quantities: Record<string, unknown>[] };
    expect(input.name).toBe("available");
    expect(input.quantities[0]).toMatchObject({ changeFromQuantity: 5 });
    expect(input.quantities[1]).toHaveProperty("changeFromQuantity", null);
  });

  it("returns { kind: 'stale' } on CHANGE_FROM_QUANTITY_STALE", async () => {
    api = await startFakeAdminApi(() =>
      ok({
        inventoryAdjustQuantities: {
          inventoryAdjustmentGroup: null,
          userErrors: [{ field: ["input", "changes", "0", "changeFromQuantity"], message: "stale", code: "CHANGE_FROM_QUANTITY_STALE" }],
        },
      }),
    );
    const res = await adjustAvailable({
      client: clientFor(api),
      idempotencyKey: "k",
      changes: [{ inventoryItemId: item(1), locationId: loc(1), delta: 2, changeFromQuantity: 4 }],
    });
    expect(res.kind).toBe("stale");
  });

  it("other userErrors are thrown", async () => {
    api = await startFakeAdminApi(() =>
      ok({ inventoryAdjustQuantities: { inventoryAdjustmentGroup: null, userErrors: [{ field: null, message: "x", code: "ITEM_NOT_STOCKED_AT_LOCATION" }] } }),
    );
    await expect(
      adjustAvailable({
        client: clientFor(api),
        idempotencyKey: "k",
        changes: [{ inventoryItemId: item(1), locationId: loc(1), delta: 2, changeFromQuantity: null }],
      }),
    ).rejects.toBeInstanceOf(ShopifyUserError);
  });

  it("validates row counts and explicit changeFromQuantity before sending", async () => {
    api = await startFakeAdminApi(() => ok({}));
    const client = clientFor(api);
    const rows = Array.from({ length: 251 }, (_, i) => ({ inventoryItemId: item(i), locationId: loc(1), quantity: 1, changeFromQuantity: null }));
    await expect(setAvailable({ client, idempotencyKey: "k", quantities: rows })).rejects.toThrow(/250/);
    const missing = [{ inventoryItemId: item(1), locationId: loc(1), quantity: 1 }] as unknown as Parameters<typeof setAvailable>[0]["quantities"];
    await expect(setAvailable({ client, idempotencyKey: "k", quantities: missing })).rejects.toThrow(/changeFromQuantity/);
    expect(api.requests).toHaveLength(0);
  });
});

describe("inventory bulk export", () => {
  it("starts a grouped bulk query and polls it to completion", async () => {
    let polls = 0;
    api = await startFakeAdminApi((req) => {
      if (req.body?.operationName === "BulkOperationRunQuery") {
        return ok({ bulkOperationRunQuery: { bulkOperation: { id: "gid://shopify/BulkOperation/7", status: "CREATED", createdAt: "2026-01-01T00:00:00Z" }, userErrors: [] } });
      }
      polls += 1;
      return ok({
        bulkOperation: {
          id: "gid://shopify/BulkOperation/7",
          status: polls < 3 ? "RUNNING" : "COMPLETED",
          errorCode: null,
          createdAt: "2026-01-01T00:00:00Z",
          completedAt: polls < 3 ? null : "2026-01-01T00:01:00Z",
          objectCount: "12",
          rootObjectCount: "4",
          fileSize: polls < 3 ? null : "1234",
          url: polls < 3 ? null : "https://storage.example/result.jsonl",
          partialDataUrl: null,
        },
      });
    });
    const clock = createFakeClock();
    const client = clientFor(api, clock);
    const started = await startInventoryBulkExport({ client });
    expect(started.id).toBe("gid://shopify/BulkOperation/7");
    const sent = api.requests[0]?.body?.variables;
    expect(sent?.groupObjects).toBe(true);
    expect(String(sent?.query)).toContain("inventoryLevels");
    const done = await waitForBulkOperation({ client, id: started.id, intervalMs: 1_000, sleep: clock.sleep, now: clock.now });
    expect(done.kind).toBe("completed");
    expect(done.kind === "completed" ? done.operation.url : null).toBe("https://storage.example/result.jsonl");
    expect(polls).toBe(3);
  });
});
