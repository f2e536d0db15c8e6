import type { MarketplaceConnection, PrismaClient } from "@prisma/client";
import type { Services } from "../../services.server";
import { AppError } from "../../lib/errors";
import { downloadInventoryExport, getAvailableByItems, isGid, startInventoryBulkExport, waitForBulkOperation, type AdminClient, type ShopifyGid } from "../../shopify";
import { recordLevelsAsOf, type LevelAsOf } from "./levels.server";
import { chunked, ROWS_PER_STATEMENT } from "./sql";

/** An Admin client that counts its requests (ReconciliationRun.shopifyCalls, the benchmark). */
function countingAdminClient(client: AdminClient): { client: AdminClient; calls: () => number } {
  let n = 0;
  return {
    client: {
      shop: client.shop,
      apiVersion: client.apiVersion,
      request: (req) => {
        n++;
        return client.request(req);
      },
      throttleState: () => client.throttleState(),
    },
    calls: () => n,
  };
}

/**
 * Reads `available` for these items at the connection's locations (by id, shopify notes §4.4) into the cache, as of
 * the moment the read started. An item not stocked at a location, or gone from Shopify, is recorded as 0 there, so
 * the next computation does not ask again.
 */
export async function readLevelsByItems({
  services,
  connection,
  inventoryItemIds,
  asOf: givenAsOf,
}: {
  services: Services;
  connection: Pick<MarketplaceConnection, "id" | "shop" | "locationIds">;
  inventoryItemIds: readonly string[];
  /** When the read started (default: now). */
  asOf?: Date;
}): Promise<{ calls: number; items: number }> {
  const items = [...new Set(inventoryItemIds)].filter((id) => isGid(id, "InventoryItem")) as ShopifyGid<"InventoryItem">[];
  const locations = connection.locationIds.filter((id) => isGid(id, "Location")) as ShopifyGid<"Location">[];
  if (items.length === 0 || locations.length === 0) return { calls: 0, items: 0 };
  const admin = countingAdminClient(await services.shopifyAdmin(connection.shop));
  const asOf = givenAsOf ?? services.now();
  const res = await getAvailableByItems({ client: admin.client, inventoryItemIds: items, locationIds: locations });
  const levels: LevelAsOf[] = res.levels.map((l) => ({ inventoryItemId: l.inventoryItemId, locationId: l.locationId, available: l.available ?? 0, asOf }));
  for (const gone of res.missingItemIds) for (const loc of locations) levels.push({ inventoryItemId: gone, locationId: loc, available: 0, asOf });
  await recordLevelsAsOf({ prisma: services.prisma, shop: connection.shop, levels, returnApplied: false });
  const tracked = new Map<string, boolean>();
  for (const l of res.levels) tracked.set(l.inventoryItemId, l.tracked);
  await syncTrackedFlags({ prisma: services.prisma, connectionId: connection.id, tracked });
  return { calls: admin.calls(), items: items.length };
}

/**
 * Keeps SkuMapping.tracked in step with what Shopify just said: an untracked variant is offered 0 (the quantity
 * rule), so a variant whose tracking was switched on or off must be recomputed with the right flag.
 */
async function syncTrackedFlags({ prisma, connectionId, tracked }: { prisma: PrismaClient; connectionId: string; tracked: ReadonlyMap<string, boolean> }): Promise<number> {
  let changed = 0;
  for (const value of [true, false]) {
    const ids = [...tracked].filter(([, t]) => t === value).map(([id]) => id);
    for (const chunk of chunked(ids, ROWS_PER_STATEMENT)) {
      const res = await prisma.skuMapping.updateMany({ where: { connectionId, shopifyInventoryItemId: { in: chunk }, tracked: !value }, data: { tracked: value } });
      changed += res.count;
    }
  }
  return changed;
}

/** A bulk operation that has not finished after this long is abandoned (the job retries later). */
export const BULK_TIMEOUT_MS = 20 * 60_000;

/**
 * The whole catalogue's `available` levels through one bulk operation (shopify notes §4.7), streamed line by line
 * into the cache in batches: memory stays flat whatever the catalogue size. Only the items in `itemIds` (mapped on
 * this connection) are kept. An item with no level at a chosen location is recorded as 0 there.
 */
export async function readLevelsInBulk({
  services,
  connection,
  itemIds,
  asOf,
}: {
  services: Services;
  connection: Pick<MarketplaceConnection, "id" | "shop" | "locationIds">;
  itemIds: ReadonlySet<string>;
  asOf: Date;
}): Promise<{ calls: number; items: number; levels: number; serverMs: number | null }> {
  const admin = countingAdminClient(await services.shopifyAdmin(connection.shop));
  let downloads = 0;
  const started = await startInventoryBulkExport({ client: admin.client });
  const done = await waitForBulkOperation({ client: admin.client, id: started.id, timeoutMs: BULK_TIMEOUT_MS });
  if (done.kind !== "completed") {
    throw new AppError(`Shopify's inventory export ${done.kind === "failed" ? `failed (${done.operation.errorCode ?? done.operation.status})` : "did not finish in time"}`, {
      code: "SHOPIFY_BULK_EXPORT",
      retryable: true,
      details: { bulkOperationId: started.id },
    });
  }
  const url = done.operation.url;
  const tracked = new Map<string, boolean>();
  let batch: LevelAsOf[] = [];
  let levels = 0;
  const flush = async () => {
    if (batch.length === 0) return;
    await recordLevelsAsOf({ prisma: services.prisma, shop: connection.shop, levels: batch, returnApplied: false });
    levels += batch.length;
    batch = [];
  };
  if (url) {
    downloads++;
    for await (const row of downloadInventoryExport({ url })) {
      if (!row.inventoryItemId || !itemIds.has(row.inventoryItemId)) continue;
      tracked.set(row.inventoryItemId, row.tracked);
      const held = new Set<string>();
      for (const l of row.levels) {
        batch.push({ inventoryItemId: row.inventoryItemId, locationId: l.locationId, available: l.available, asOf });
        held.add(l.locationId);
      }
      for (const loc of connection.locationIds) if (!held.has(loc)) batch.push({ inventoryItemId: row.inventoryItemId, locationId: loc, available: 0, asOf });
      if (batch.length >= ROWS_PER_STATEMENT) await flush();
    }
  }
  await flush();
  await syncTrackedFlags({ prisma: services.prisma, connectionId: connection.id, tracked });
  // How long Shopify itself took to build the file (its createdAt → completedAt), apart from our reading of it.
  const serverMs = done.operation.completedAt ? Date.parse(done.operation.completedAt) - Date.parse(done.operation.createdAt) : null;
  return { calls: admin.calls() + downloads, items: tracked.size, levels, serverMs: serverMs !== null && Number.isFinite(serverMs) ? serverMs : null };
}
