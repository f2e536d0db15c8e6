import type { MarketplaceConnection, Prisma } from "@prisma/client";
import type { Services } from "../../services.server";
import { logger } from "../../lib/logger";
import { recordEvent } from "../timeline.server";
import { autoMatchOffers } from "./auto-match.server";
import { readOffers, type ExportWait, type OfferSummary } from "./offer-source.server";

const baseLog = logger.child({ module: "catalogue" });

/** Timeline kinds on the connection (entityType "connection") that the screen and the scheduler read. */
export const CATALOGUE_EVENT = {
  requested: "catalogue_sync_requested",
  synced: "catalogue_synced",
  failed: "catalogue_sync_failed",
} as const;

export type CatalogueCounts = { matched: number; unmatched: number; ambiguous: number; ignored: number; total: number };

export type SyncCatalogueResult =
  | {
      kind: "synced";
      method: "OF21" | "OF52";
      offers: number;
      newlyMatched: number;
      counts: CatalogueCounts;
      released: number;
      notListed: number;
    }
  | { kind: "ignored"; reason: string };

/**
 * catalogue.sync: every offer of the marketplace becomes one SkuMapping row (title, quantity, seen-at refreshed each
 * run), then rows the sync owns are auto-matched against Shopify variants by exact SKU. Idempotent and resumable: a
 * crash mid-run leaves committed batches, and the next run upserts the same rows and matches what is left.
 */
export async function syncCatalogue({
  services,
  connection,
  exportThreshold,
  exportWait,
}: {
  services: Services;
  connection: MarketplaceConnection;
  exportThreshold?: number;
  exportWait?: Partial<ExportWait>;
}): Promise<SyncCatalogueResult> {
  const log = baseLog.child({ shop: connection.shop, connectionId: connection.id });
  if (connection.paused) return { kind: "ignored", reason: "connection paused" };
  const startedAt = services.now();
  const source = await readOffers({ client: services.mirakl(connection), exportThreshold, wait: exportWait, log });
  let offers = 0;
  for await (const batch of source.batches) {
    offers += await upsertOffers({ services, connectionId: connection.id, offers: batch, seenAt: startedAt });
  }
  log.info("offers stored", { offers, method: source.method });

  const admin = await services.shopifyAdmin(connection.shop);
  const match = await autoMatchOffers({ services, connection, client: admin, log, createdBefore: startedAt });
  const counts = await countMappings({ services, connectionId: connection.id });
  const notListed = await services.prisma.skuMapping.count({ where: { connectionId: connection.id, OR: [{ offerSeenAt: null }, { offerSeenAt: { lt: startedAt } }] } });
  await raiseOrResolveUnmappedTask({ services, connection, counts });

  const data = {
    method: source.method,
    offers,
    newlyMatched: match.matched,
    counts,
    released: match.effects.released,
    releaseErrors: match.effects.releaseErrors.slice(0, 20),
    notListed,
    startedAt: startedAt.toISOString(),
    durationMs: services.now().getTime() - startedAt.getTime(),
  } satisfies Prisma.InputJsonValue;
  await recordEvent(services.prisma, {
    shop: connection.shop,
    connectionId: connection.id,
    entityType: "connection",
    entityId: connection.id,
    kind: CATALOGUE_EVENT.synced,
    level: counts.unmatched + counts.ambiguous > 0 ? "warning" : "success",
    message: `Offers synced: ${offers} offers, ${counts.matched} mapped, ${counts.unmatched} without a Shopify variant, ${counts.ambiguous} ambiguous`,
    data,
  });
  return { kind: "synced", method: source.method, offers, newlyMatched: match.matched, counts, released: match.effects.released, notListed };
}

/**
 * One INSERT … ON CONFLICT per batch: concurrent-safe and idempotent. New rows start as AUTO/UNMATCHED (the sync owns
 * them until a person maps them); existing rows only get the offer's title, quantity and seen-at, never their mapping.
 */
async function upsertOffers({ services, connectionId, offers, seenAt }: { services: Services; connectionId: string; offers: OfferSummary[]; seenAt: Date }): Promise<number> {
  // ON CONFLICT cannot touch one row twice in a statement: one entry per SKU (the last one wins).
  const bySku = new Map<string, OfferSummary>();
  for (const o of offers) if (o.sku.trim() !== "") bySku.set(o.sku, o);
  const list = [...bySku.values()];
  for (let i = 0; i < list.length; i += 1_000) {
    const chunk = list.slice(i, i + 1_000);
    // An ISO string read as timestamptz and turned into UTC: the stored value is right whatever the session time zone.
    const values: unknown[] = [connectionId, seenAt.toISOString()];
    const rows = chunk.map((o) => {
      const b = values.length;
      values.push(o.sku, o.title, o.quantity);
      return `(gen_random_uuid()::text, $1, $${b + 1}::text, 'AUTO', 'UNMATCHED', true, $${b + 2}::text, $${b + 3}::int, ($2::timestamptz AT TIME ZONE 'UTC'), now(), now())`;
    });
    await services.prisma.$executeRawUnsafe(
      `INSERT INTO "SkuMapping" ("id", "connectionId", "offerSku", "source", "matchStatus", "tracked", "offerTitle", "offerQuantity", "offerSeenAt", "createdAt", "updatedAt")
       VALUES ${rows.join(", ")}
       ON CONFLICT ("connectionId", "offerSku") DO UPDATE SET
         "offerTitle" = EXCLUDED."offerTitle", "offerQuantity" = EXCLUDED."offerQuantity", "offerSeenAt" = EXCLUDED."offerSeenAt", "updatedAt" = now()`,
      ...values,
    );
  }
  return list.length;
}

export async function countMappings({ services, connectionId }: { services: Services; connectionId: string }): Promise<CatalogueCounts> {
  const groups = await services.prisma.skuMapping.groupBy({ by: ["matchStatus"], where: { connectionId }, _count: { _all: true } });
  const n = (s: string) => groups.find((g) => g.matchStatus === s)?._count._all ?? 0;
  const counts = { matched: n("MATCHED"), unmatched: n("UNMATCHED"), ambiguous: n("AMBIGUOUS"), ignored: n("IGNORED"), total: 0 };
  counts.total = groups.reduce((a, g) => a + g._count._all, 0);
  return counts;
}

export function unmappedOffersTaskKey(connectionId: string): string {
  return `catalogue-unmapped:${connectionId}`;
}

/**
 * One Task per marketplace for offers without a Shopify variant (one per SKU would bury the inbox on a first sync):
 * their stock cannot be pushed and their orders are held. Resolved once every offer is mapped or ignored.
 */
export async function raiseOrResolveUnmappedTask({
  services,
  connection,
  counts,
  mode = "raise",
}: {
  services: Services;
  connection: Pick<MarketplaceConnection, "id" | "shop" | "name">;
  counts: CatalogueCounts;
  /** "refresh" (after a change on the screen) only rewords an open Task or resolves it; the sync raises. */
  mode?: "raise" | "refresh";
}): Promise<void> {
  const key = unmappedOffersTaskKey(connection.id);
  const open = counts.unmatched + counts.ambiguous;
  if (open === 0) {
    await services.tasks.resolve({ shop: connection.shop, dedupeKey: key, by: mode === "raise" ? "catalogue-sync" : "mapping" });
    return;
  }
  const parts = [
    counts.unmatched > 0 ? `${counts.unmatched} ${counts.unmatched === 1 ? "offer has" : "offers have"} no Shopify variant with the same SKU` : null,
    counts.ambiguous > 0 ? `${counts.ambiguous} ${counts.ambiguous === 1 ? "offer matches" : "offers match"} several Shopify variants` : null,
  ].filter(Boolean);
  const title = `${connection.name}: ${open} ${open === 1 ? "offer is" : "offers are"} not linked to a Shopify variant`;
  const body = `${parts.join("; ")}. Their stock is not sent to ${connection.name}, and orders for them are held until they are mapped. Map each one to a Shopify variant (or ignore offers you no longer sell) on the SKU mapping screen; a CSV import does many at once.`;
  if (mode === "refresh") {
    await services.prisma.task.updateMany({ where: { shop: connection.shop, dedupeKey: key, status: "OPEN" }, data: { title, body, data: counts } });
    return;
  }
  await services.tasks.raise({
    shop: connection.shop,
    connectionId: connection.id,
    dedupeKey: key,
    kind: "catalogue_unmapped",
    severity: "warning",
    title,
    body,
    actionLabel: "Map SKUs",
    actionUrl: `/app/skus?connection=${connection.id}&status=needs_mapping`,
    entityType: "connection",
    entityId: connection.id,
    data: counts,
  });
}

