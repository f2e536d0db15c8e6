import type { PrismaClient } from "@prisma/client";
import { chunked, iso, ROWS_PER_STATEMENT, utc } from "./sql";

/**
 * "Dirty" = this offer's quantity may have changed and must be recomputed and, if different, pushed. Every path that
 * can change what a marketplace should show marks SKUs dirty here: inventory webhooks, mapping changes, a changed
 * stock rule, a failed import, a reconciliation that found drift.
 *
 * The push clears the flag only for rows it saw (compare-and-clear on dirtySince and updatedAt), so a change that
 * lands while a push is running is never lost. That needs every re-mark to move dirtySince and updatedAt strictly
 * forward, which is what these CASE expressions do (even within one millisecond, and across workers' clocks). A
 * row whose dirtySince lies in the future is a scheduled retry (a line Mirakl refused): a real change brings it
 * back to now.
 */
const DIRTY_SINCE_RULE = `CASE
    WHEN NOT "InventorySku"."dirty" OR "InventorySku"."dirtySince" IS NULL
      OR "InventorySku"."dirtySince" > EXCLUDED."dirtySince" + interval '1 second' THEN EXCLUDED."dirtySince"
    ELSE GREATEST(EXCLUDED."dirtySince", "InventorySku"."dirtySince" + interval '1 millisecond') END`;
export const VERSION_RULE = `GREATEST(EXCLUDED."updatedAt", "InventorySku"."updatedAt" + interval '1 millisecond')`;

/** Marks offers of one connection dirty (creating their stock rows when needed). Returns how many rows it touched. */
export async function markSkusDirty({ prisma, connectionId, offerSkus, now }: { prisma: PrismaClient; connectionId: string; offerSkus: readonly string[]; now: Date }): Promise<number> {
  let n = 0;
  for (const chunk of chunked([...new Set(offerSkus)], ROWS_PER_STATEMENT)) {
    n += await prisma.$executeRawUnsafe(
      `INSERT INTO "InventorySku" ("id", "connectionId", "offerSku", "dirty", "dirtySince", "updatedAt")
       SELECT gen_random_uuid()::text, $1, v.sku, true, ${utc("$3")}, ${utc("$3")}
       FROM jsonb_array_elements_text($2::jsonb) AS v(sku)
       ON CONFLICT ("connectionId", "offerSku") DO UPDATE SET "dirty" = true, "dirtySince" = ${DIRTY_SINCE_RULE}, "updatedAt" = ${VERSION_RULE}`,
      connectionId,
      JSON.stringify(chunk),
      iso(now),
    );
  }
  return n;
}

/**
 * Marks dirty every offer, on every marketplace of the shop, whose variant uses one of these inventory items:
 * limited to the marketplaces that sell from `locationId` when given (a level changed at a location a marketplace
 * does not use cannot change its quantity). Returns the connections touched.
 */
export async function markInventoryItemsDirty({
  prisma,
  shop,
  inventoryItemIds,
  locationId,
  now,
}: {
  prisma: PrismaClient;
  shop: string;
  inventoryItemIds: readonly string[];
  locationId?: string | null;
  now: Date;
}): Promise<{ connectionIds: string[]; skus: number }> {
  const connections = new Set<string>();
  let skus = 0;
  for (const chunk of chunked([...new Set(inventoryItemIds)], ROWS_PER_STATEMENT)) {
    const rows = await prisma.$queryRawUnsafe<{ connectionId: string }[]>(
      `INSERT INTO "InventorySku" ("id", "connectionId", "offerSku", "dirty", "dirtySince", "updatedAt")
       SELECT gen_random_uuid()::text, m."connectionId", m."offerSku", true, ${utc("$4")}, ${utc("$4")}
       FROM "SkuMapping" m JOIN "MarketplaceConnection" c ON c."id" = m."connectionId"
       WHERE c."shop" = $1 AND m."matchStatus" = 'MATCHED'
         AND m."shopifyInventoryItemId" IN (SELECT jsonb_array_elements_text($2::jsonb))
         AND ($3::text IS NULL OR $3::text = ANY(c."locationIds"))
       ON CONFLICT ("connectionId", "offerSku") DO UPDATE SET "dirty" = true, "dirtySince" = ${DIRTY_SINCE_RULE}, "updatedAt" = ${VERSION_RULE}
       RETURNING "connectionId"`,
      shop,
      JSON.stringify(chunk),
      locationId ?? null,
      iso(now),
    );
    skus += rows.length;
    for (const r of rows) connections.add(r.connectionId);
  }
  return { connectionIds: [...connections], skus };
}

/** Every offer a connection manages (mapped, unmatched or ambiguous; not ignored), e.g. after its stock rule changed. */
export async function markConnectionDirty({ prisma, connectionId, now }: { prisma: PrismaClient; connectionId: string; now: Date }): Promise<number> {
  return prisma.$executeRawUnsafe(
    `INSERT INTO "InventorySku" ("id", "connectionId", "offerSku", "dirty", "dirtySince", "updatedAt")
     SELECT gen_random_uuid()::text, m."connectionId", m."offerSku", true, ${utc("$2")}, ${utc("$2")}
     FROM "SkuMapping" m WHERE m."connectionId" = $1 AND m."matchStatus" <> 'IGNORED'
     ON CONFLICT ("connectionId", "offerSku") DO UPDATE SET "dirty" = true, "dirtySince" = ${DIRTY_SINCE_RULE}, "updatedAt" = ${VERSION_RULE}`,
    connectionId,
    iso(now),
  );
}
