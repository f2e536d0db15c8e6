import type { PrismaClient } from "@prisma/client";

/**
 * The local copy of Shopify's `available` per inventory item and location (StockLevel). Writers: inventory
 * webhooks and reconciliation (app/sync/inventory), reads made during acceptance and import (app/sync/orders).
 * Readers decide from it without calling Shopify, so a slow or throttled Shopify never delays OR21.
 */
export interface LevelInput {
  inventoryItemId: string;
  locationId: string;
  available: number;
}

/** Upserts absolute levels (last write wins; each writer passes what Shopify just said). */
export async function recordStockLevels({ prisma, shop, levels }: { prisma: PrismaClient; shop: string; levels: LevelInput[] }): Promise<void> {
  if (levels.length === 0) return;
  // One statement per chunk: INSERT … ON CONFLICT is atomic under READ COMMITTED.
  for (let i = 0; i < levels.length; i += 500) {
    const chunk = levels.slice(i, i + 500);
    const values: unknown[] = [];
    const rows = chunk.map((l, j) => {
      values.push(shop, l.inventoryItemId, l.locationId, Math.trunc(l.available));
      const b = j * 4;
      return `($${b + 1}, $${b + 2}, $${b + 3}, $${b + 4}, now())`;
    });
    await prisma.$executeRawUnsafe(
      `INSERT INTO "StockLevel" ("shop", "inventoryItemId", "locationId", "available", "updatedAt") VALUES ${rows.join(", ")}
       ON CONFLICT ("shop", "inventoryItemId", "locationId") DO UPDATE SET "available" = EXCLUDED."available", "updatedAt" = now()`,
      ...values,
    );
  }
}

/** Applies a delta atomically (e.g. our own import decremented stock before Shopify's webhook arrives). */
export async function adjustStockLevel({ prisma, shop, inventoryItemId, locationId, delta }: { prisma: PrismaClient; shop: string; inventoryItemId: string; locationId: string; delta: number }): Promise<void> {
  await prisma.$executeRaw`
    UPDATE "StockLevel" SET "available" = "available" + ${Math.trunc(delta)}, "updatedAt" = now()
    WHERE "shop" = ${shop} AND "inventoryItemId" = ${inventoryItemId} AND "locationId" = ${locationId}`;
}

/** Cached levels for these items at these locations: itemId → (locationId → available). Missing = never seen. */
export async function readStockLevels({ prisma, shop, inventoryItemIds, locationIds }: { prisma: PrismaClient; shop: string; inventoryItemIds: string[]; locationIds: string[] }): Promise<Map<string, Map<string, number>>> {
  const out = new Map<string, Map<string, number>>();
  if (inventoryItemIds.length === 0 || locationIds.length === 0) return out;
  const rows = await prisma.stockLevel.findMany({
    where: { shop, inventoryItemId: { in: inventoryItemIds }, locationId: { in: locationIds } },
    select: { inventoryItemId: true, locationId: true, available: true },
  });
  for (const r of rows) {
    let m = out.get(r.inventoryItemId);
    if (!m) out.set(r.inventoryItemId, (m = new Map()));
    m.set(r.locationId, r.available);
  }
  return out;
}
