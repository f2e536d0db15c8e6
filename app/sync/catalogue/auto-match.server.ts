import type { MarketplaceConnection } from "@prisma/client";
import type { Services } from "../../services.server";
import type { Logger } from "../../lib/logger";
import { findVariantMatchesBySkus, type AdminClient, type VariantMatch } from "../../shopify";
import { applyMappingEffects, type MappingChange, type MappingEffects } from "./mapping-effects.server";

/** Rows read per round; findVariantMatchesBySkus splits them into searches of 50 SKUs. */
const ROUND = 500;

export interface AutoMatchResult {
  checked: number;
  matched: number;
  ambiguous: number;
  unmatched: number;
  effects: MappingEffects;
}

/**
 * Auto-match by exact SKU with a lean search (2 points a variant: matching is bounded by the Shopify bucket)
 * (shopify notes §4.4: SKUs are not unique, so 0, 1 or several variants): exactly one →
 * MATCHED, none → UNMATCHED, several → AMBIGUOUS. Only rows the sync itself owns (source AUTO, not matched yet) are
 * looked at, and the write is conditional on that same state, so a mapping a person saves meanwhile (MANUAL/CSV) is
 * never overwritten by a worker that read the row a moment earlier.
 */
export async function autoMatchOffers({
  services,
  connection,
  client,
  log,
  createdBefore,
}: {
  services: Services;
  connection: Pick<MarketplaceConnection, "id" | "shop">;
  client: AdminClient;
  log: Logger;
  /** Rows created before this instant get a per-SKU timeline entry when they change (a first sync's rows do not). */
  createdBefore: Date;
}): Promise<AutoMatchResult> {
  const result: AutoMatchResult = { checked: 0, matched: 0, ambiguous: 0, unmatched: 0, effects: { released: 0, tasksResolved: 0, releaseErrors: [] } };
  let after = "";
  for (;;) {
    const rows = await services.prisma.skuMapping.findMany({
      where: { connectionId: connection.id, source: "AUTO", matchStatus: { in: ["UNMATCHED", "AMBIGUOUS"] }, offerSku: { gt: after } },
      orderBy: { offerSku: "asc" },
      take: ROUND,
      select: { id: true, offerSku: true, matchStatus: true, createdAt: true },
    });
    if (rows.length === 0) break;
    after = rows[rows.length - 1]!.offerSku;
    result.checked += rows.length;

    const found = await findVariantMatchesBySkus({ client, skus: rows.map((r) => r.offerSku) });
    const updates: Array<{ offerSku: string; status: string; variant: VariantMatch | null }> = [];
    for (const r of rows) {
      const variants = found.get(r.offerSku) ?? [];
      const status = variants.length === 1 ? "MATCHED" : variants.length === 0 ? "UNMATCHED" : "AMBIGUOUS";
      if (status === "MATCHED") result.matched++;
      else if (status === "AMBIGUOUS") result.ambiguous++;
      else result.unmatched++;
      if (status !== r.matchStatus) updates.push({ offerSku: r.offerSku, status, variant: status === "MATCHED" ? variants[0]! : null });
    }
    const applied = await writeMatches({ services, connectionId: connection.id, updates });
    const byId = new Map(rows.map((r) => [r.offerSku, r]));
    const changes: MappingChange[] = applied.map((a) => {
      const before = byId.get(a.offerSku);
      const v = updates.find((u) => u.offerSku === a.offerSku)?.variant;
      return {
        mappingId: a.id,
        offerSku: a.offerSku,
        before: before?.matchStatus ?? "UNMATCHED",
        after: a.matchStatus,
        timeline: !!before && before.createdAt < createdBefore,
        message:
          a.matchStatus === "MATCHED"
            ? `Matched automatically to Shopify SKU ${v?.sku ?? a.offerSku}${v ? ` (${v.displayName})` : ""}`
            : a.matchStatus === "AMBIGUOUS"
              ? `Several Shopify variants have SKU ${a.offerSku}: choose one`
              : `No Shopify variant has SKU ${a.offerSku} any more`,
      };
    });
    const effects = await applyMappingEffects({ services, connection, changes, log });
    result.effects.released += effects.released;
    result.effects.tasksResolved += effects.tasksResolved;
    result.effects.releaseErrors.push(...effects.releaseErrors);
    if (rows.length < ROUND) break;
  }
  return result;
}

/**
 * One UPDATE … FROM (VALUES …) per round. The WHERE repeats the state the rows were read in (AUTO, not matched), which
 * is the claim: under READ COMMITTED a row changed by someone else in between no longer qualifies and is skipped.
 * RETURNING tells which rows this worker really changed, so only those release orders.
 */
async function writeMatches({
  services,
  connectionId,
  updates,
}: {
  services: Services;
  connectionId: string;
  updates: Array<{ offerSku: string; status: string; variant: VariantMatch | null }>;
}): Promise<Array<{ id: string; offerSku: string; matchStatus: string }>> {
  if (updates.length === 0) return [];
  const values: unknown[] = [connectionId];
  const tuples = updates.map((u) => {
    const b = values.length;
    values.push(u.offerSku, u.status, u.variant?.id ?? null, u.variant?.inventoryItem.id ?? null, u.variant?.sku ?? null, u.variant?.displayName ?? null, u.variant?.inventoryItem.tracked ?? true);
    return `($${b + 1}::text, $${b + 2}::text, $${b + 3}::text, $${b + 4}::text, $${b + 5}::text, $${b + 6}::text, $${b + 7}::boolean)`;
  });
  return services.prisma.$queryRawUnsafe<Array<{ id: string; offerSku: string; matchStatus: string }>>(
    `UPDATE "SkuMapping" AS m SET
       "matchStatus" = v.status, "shopifyVariantId" = v.variant, "shopifyInventoryItemId" = v.item,
       "shopifySku" = v.sku, "productTitle" = v.title, "tracked" = v.tracked, "updatedAt" = now()
     FROM (VALUES ${tuples.join(", ")}) AS v(offer_sku, status, variant, item, sku, title, tracked)
     WHERE m."connectionId" = $1 AND m."offerSku" = v.offer_sku AND m."source" = 'AUTO' AND m."matchStatus" IN ('UNMATCHED', 'AMBIGUOUS')
     RETURNING m."id", m."offerSku", m."matchStatus"`,
    ...values,
  );
}
