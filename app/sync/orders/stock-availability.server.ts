/**
 * Stock for acceptance decisions, from the StockLevel cache (app/sync/stock-levels.server.ts) so a slow or
 * throttled Shopify never delays OR21. An item never seen is read once from Shopify, briefly; if Shopify cannot
 * answer then, the item is "unverified" and its lines are held, never guessed.
 *
 * Available for acceptance = Σ cached available at the connection's locations − units of lines already accepted
 * on Mirakl (by any connection of the shop: the stock is the shop's) but not yet in Shopify. Without the second
 * term a burst of orders would all be accepted against the same units.
 */
import type { MarketplaceConnection, Prisma } from "@prisma/client";
import type { Services } from "../../services.server";
import { errorMessage } from "../../lib/errors";
import { logger } from "../../lib/logger";
import { getAvailableByItems, listLocations, type ShopifyGid } from "../../shopify";
import { readStockLevels, recordStockLevels } from "../stock-levels.server";
import { withDeadline } from "./deadline";

const log = logger.child({ module: "orders.stock" });

type Tx = Prisma.TransactionClient;

/**
 * Make sure every item has at least one cached level at the connection's locations (an empty location list means
 * all of the shop's locations). Returns the items that could not be read.
 */
export async function ensureStockCached({
  services,
  connection,
  inventoryItemIds,
  shopifyDeadlineMs,
}: {
  services: Services;
  connection: Pick<MarketplaceConnection, "id" | "shop" | "locationIds">;
  inventoryItemIds: readonly string[];
  shopifyDeadlineMs: number;
}): Promise<{ unverified: Set<string> }> {
  const items = [...new Set(inventoryItemIds)];
  const unverified = new Set<string>();
  if (items.length === 0) return { unverified };
  const known = new Set<string>();
  if (connection.locationIds.length > 0) {
    const cached = await readStockLevels({ prisma: services.prisma, shop: connection.shop, inventoryItemIds: items, locationIds: connection.locationIds });
    for (const id of cached.keys()) known.add(id);
  } else {
    const rows = await services.prisma.stockLevel.findMany({ where: { shop: connection.shop, inventoryItemId: { in: items } }, select: { inventoryItemId: true } });
    for (const r of rows) known.add(r.inventoryItemId);
  }
  const missing = items.filter((id) => !known.has(id));
  if (missing.length === 0) return { unverified };
  try {
    const read = (async () => {
      const client = await services.shopifyAdmin(connection.shop);
      const locationIds = connection.locationIds.length > 0 ? connection.locationIds : (await listLocations({ client })).map((l) => l.id as string);
      return { locationIds, result: await getAvailableByItems({ client, inventoryItemIds: missing as ShopifyGid[], locationIds: locationIds as ShopifyGid[] }) };
    })();
    const { locationIds, result } = await withDeadline(read, shopifyDeadlineMs, "Shopify stock read");
    // Not stocked at a location (null) is recorded as 0: for acceptance it is exactly that, and it stops a re-read.
    const levels = new Map<string, number>();
    for (const l of result.levels) levels.set(`${l.inventoryItemId}|${l.locationId}`, l.available ?? 0);
    const rows = missing.flatMap((item) => locationIds.map((loc) => ({ inventoryItemId: item, locationId: loc, available: levels.get(`${item}|${loc}`) ?? 0 })));
    await recordStockLevels({ prisma: services.prisma, shop: connection.shop, levels: rows });
  } catch (err) {
    log.warn("stock read failed; items left unverified", { shop: connection.shop, connectionId: connection.id, items: missing.length, error: errorMessage(err) });
    for (const id of missing) unverified.add(id);
  }
  return { unverified };
}

/** Σ cached available per item at the locations (all of the shop's when none are chosen), inside the decision transaction. */
export async function cachedAvailable(tx: Tx, input: { shop: string; locationIds: readonly string[]; inventoryItemIds: readonly string[] }): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (input.inventoryItemIds.length === 0) return out;
  const rows = await tx.stockLevel.findMany({
    where: {
      shop: input.shop,
      inventoryItemId: { in: [...input.inventoryItemIds] },
      ...(input.locationIds.length > 0 ? { locationId: { in: [...input.locationIds] } } : {}),
    },
    select: { inventoryItemId: true, available: true },
  });
  // Negative levels (oversold) count as 0: they must not eat into the stock of other locations.
  for (const r of rows) out.set(r.inventoryItemId, (out.get(r.inventoryItemId) ?? 0) + Math.max(0, r.available));
  return out;
}

/**
 * Units promised on Mirakl but not yet taken out of Shopify's stock by an import: accepted lines (and lines
 * decided for acceptance whose OR21 is on its way) of every order of the shop that is not imported yet.
 */
export async function reservedUnits(tx: Tx, input: { shop: string; inventoryItemIds: readonly string[] }): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (input.inventoryItemIds.length === 0) return out;
  const rows = await tx.$queryRaw<Array<{ item: string; qty: bigint | number }>>`
    SELECT d->>'inventoryItemId' AS item, SUM((d->>'quantity')::int) AS qty
    FROM "OrderLink" o, jsonb_array_elements(o."acceptanceDecision") d
    WHERE o."shop" = ${input.shop}
      AND o."acceptanceDecision" IS NOT NULL AND jsonb_typeof(o."acceptanceDecision") = 'array'
      AND o."acceptanceStatus" IN ('PENDING', 'ACCEPTED', 'PARTIALLY_ACCEPTED', 'NOT_REQUIRED')
      AND o."importStatus" IN ('WAITING', 'READY', 'IMPORTING', 'HELD', 'FAILED')
      AND o."miraklState" NOT IN ('REFUSED', 'CANCELED')
      AND (d->>'accepted') = 'true'
      AND d->>'inventoryItemId' = ANY(${[...input.inventoryItemIds]}::text[])
    GROUP BY 1`;
  for (const r of rows) out.set(r.item, Number(r.qty));
  return out;
}
