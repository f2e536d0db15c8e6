import type { PrismaClient } from "@prisma/client";
import { chunked, iso, ROWS_PER_STATEMENT, utc } from "./sql";

/**
 * Writes Shopify `available` levels into the StockLevel cache, each with the time it is true as of: the webhook's
 * `updated_at`, or the moment a reconciliation read started. A level older than the one held is ignored, so
 * deliveries that arrive out of order or twice (shopify notes §3.4: at-least-once, unordered) never regress the
 * cache. StockLevel.updatedAt therefore means "as of", not "written at".
 *
 * On an exact tie the lower quantity wins: two changes within the same second (Shopify's REST timestamps have
 * second resolution) cannot be ordered, and offering one unit too few until the next change or reconciliation
 * is the failure that costs nothing, while one too many can oversell.
 */
export interface LevelAsOf {
  inventoryItemId: string;
  locationId: string;
  available: number;
  asOf: Date;
}

function newer(a: LevelAsOf, b: LevelAsOf): LevelAsOf {
  const ta = a.asOf.getTime();
  const tb = b.asOf.getTime();
  if (ta !== tb) return ta > tb ? a : b;
  return a.available <= b.available ? a : b;
}

export async function recordLevelsAsOf({
  prisma,
  shop,
  levels,
  returnApplied = true,
}: {
  prisma: PrismaClient;
  shop: string;
  levels: readonly LevelAsOf[];
  returnApplied?: boolean;
}): Promise<{ applied: number; appliedKeys: Set<string> }> {
  // One statement may not touch a row twice (ON CONFLICT): keep the newest level per key.
  const byKey = new Map<string, LevelAsOf>();
  for (const l of levels) {
    const key = levelKey(l.inventoryItemId, l.locationId);
    const seen = byKey.get(key);
    byKey.set(key, seen ? newer(seen, l) : l);
  }
  const appliedKeys = new Set<string>();
  let applied = 0;
  for (const chunk of chunked([...byKey.values()], ROWS_PER_STATEMENT)) {
    const json = JSON.stringify(chunk.map((l) => ({ item: l.inventoryItemId, loc: l.locationId, available: Math.trunc(l.available), as_of: iso(l.asOf) })));
    const rows = await prisma.$queryRawUnsafe<{ item: string; loc: string }[]>(
      `INSERT INTO "StockLevel" ("shop", "inventoryItemId", "locationId", "available", "updatedAt")
       SELECT $1, v.item, v.loc, v.available, ${utc("v.as_of")}
       FROM jsonb_to_recordset($2::jsonb) AS v(item text, loc text, available int, as_of text)
       ON CONFLICT ("shop", "inventoryItemId", "locationId") DO UPDATE
         SET "available" = EXCLUDED."available", "updatedAt" = EXCLUDED."updatedAt"
         WHERE "StockLevel"."updatedAt" < EXCLUDED."updatedAt"
            OR ("StockLevel"."updatedAt" = EXCLUDED."updatedAt" AND EXCLUDED."available" < "StockLevel"."available")
       RETURNING ${returnApplied ? `"inventoryItemId" AS item, "locationId" AS loc` : `'' AS item, '' AS loc`}`,
      shop,
      json,
    );
    applied += rows.length;
    if (returnApplied) for (const r of rows) appliedKeys.add(levelKey(r.item, r.loc));
  }
  return { applied, appliedKeys };
}

function levelKey(inventoryItemId: string, locationId: string): string {
  return `${inventoryItemId}|${locationId}`;
}
