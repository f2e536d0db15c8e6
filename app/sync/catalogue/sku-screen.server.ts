import type { Services } from "../../services.server";
import { unmappedSkuTaskKey } from "./mapping-effects.server";
import { skusHoldingOrder } from "./held-orders";
import type { SkuFilter } from "./sku-filters";
import { CATALOGUE_EVENT, countMappings, type CatalogueCounts } from "./sync-catalogue.server";

export const SKU_PAGE_SIZE = 50;

export interface SkuRow {
  id: string;
  offerSku: string;
  offerTitle: string | null;
  offerQuantity: number | null;
  offerSeenAt: string | null;
  matchStatus: string;
  source: string;
  shopifySku: string | null;
  shopifyVariantId: string | null;
  productTitle: string | null;
  tracked: boolean;
  safetyStockOverride: number | null;
  /** Orders held until this SKU is mapped, and the open Tasks a mapping would resolve. */
  heldOrders: Array<{ id: string; miraklOrderId: string; acceptanceDeadline: string | null }>;
  tasks: Array<{ id: string; title: string; dueAt: string | null }>;
}

export interface SkuScreen {
  rows: SkuRow[];
  total: number;
  page: number;
  pageCount: number;
  counts: CatalogueCounts & { holdingOrders: number };
}

function likePattern(q: string): string {
  return `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

/**
 * One page of the mapping screen. Order: SKUs holding orders first (a mapping releases money), then unmatched,
 * ambiguous, matched, ignored; by SKU within each. OFFSET paging over an index-ordered set: a 100,000-offer
 * marketplace is 2,000 pages, and nobody pages that far without the search box.
 */
export async function loadSkuScreen({
  services,
  shop,
  connectionId,
  q,
  filter,
  page,
}: {
  services: Services;
  shop: string;
  connectionId: string;
  q: string;
  filter: SkuFilter;
  page: number;
}): Promise<SkuScreen> {
  const prefix = unmappedSkuTaskKey(connectionId, "");
  const params: unknown[] = [connectionId, shop, prefix.replace(/[\\%_]/g, (c) => `\\${c}`) + "%", prefix.length];
  const where: string[] = [`m."connectionId" = $1`];
  if (q.trim() !== "") {
    params.push(likePattern(q.trim()));
    const p = `$${params.length}`;
    where.push(`(m."offerSku" ILIKE ${p} OR m."offerTitle" ILIKE ${p} OR m."shopifySku" ILIKE ${p} OR m."productTitle" ILIKE ${p})`);
  }
  if (filter === "needs_mapping") where.push(`m."matchStatus" IN ('UNMATCHED', 'AMBIGUOUS')`);
  else if (filter === "holding_orders") where.push(`h.sku IS NOT NULL AND m."matchStatus" <> 'MATCHED'`);
  else if (filter === "matched") where.push(`m."matchStatus" = 'MATCHED'`);
  else if (filter === "ignored") where.push(`m."matchStatus" = 'IGNORED'`);
  const from = `
    WITH holding AS (
      SELECT substr("dedupeKey", $4::int + 1) AS sku FROM "Task"
      WHERE "shop" = $2 AND "status" = 'OPEN' AND "dedupeKey" LIKE $3
    )
    SELECT __COLUMNS__ FROM "SkuMapping" m LEFT JOIN holding h ON h.sku = m."offerSku"
    WHERE ${where.join(" AND ")}`;
  const [{ total }] = (await services.prisma.$queryRawUnsafe<Array<{ total: bigint | number }>>(from.replace("__COLUMNS__", "count(*) AS total"), ...params)) as [{ total: bigint | number }];
  const totalN = Number(total);
  const pageCount = Math.max(1, Math.ceil(totalN / SKU_PAGE_SIZE));
  const current = Math.min(Math.max(1, page), pageCount);
  params.push(SKU_PAGE_SIZE, (current - 1) * SKU_PAGE_SIZE);
  const rows = await services.prisma.$queryRawUnsafe<Array<Omit<SkuRow, "heldOrders" | "tasks" | "offerSeenAt"> & { offerSeenAt: Date | null }>>(
    from.replace(
      "__COLUMNS__",
      `m."id", m."offerSku", m."offerTitle", m."offerQuantity", m."offerSeenAt", m."matchStatus", m."source", m."shopifySku",
       m."shopifyVariantId", m."productTitle", m."tracked", m."safetyStockOverride"`,
    ) +
      ` ORDER BY CASE WHEN m."matchStatus" <> 'MATCHED' AND m."matchStatus" <> 'IGNORED' AND h.sku IS NOT NULL THEN 0
                      WHEN m."matchStatus" = 'UNMATCHED' THEN 1 WHEN m."matchStatus" = 'AMBIGUOUS' THEN 2
                      WHEN m."matchStatus" = 'MATCHED' THEN 3 ELSE 4 END, m."offerSku"
        LIMIT $${params.length - 1} OFFSET $${params.length}`,
    ...params,
  );

  const needing = rows.filter((r) => r.matchStatus !== "MATCHED").map((r) => r.offerSku);
  const tasks = needing.length
    ? await services.prisma.task.findMany({
        where: { shop, status: "OPEN", dedupeKey: { in: needing.map((s) => unmappedSkuTaskKey(connectionId, s)) } },
        select: { id: true, title: true, dueAt: true, dedupeKey: true },
      })
    : [];
  const held = needing.length
    ? await services.prisma.orderLink.findMany({
        where: { connectionId, shop, OR: [{ importStatus: "HELD" }, { acceptanceStatus: "HELD" }] },
        select: { id: true, miraklOrderId: true, holdReason: true, acceptanceDecision: true, acceptanceDeadline: true },
        orderBy: { miraklCreatedAt: "asc" },
        take: 2_000,
      })
    : [];
  const heldBySku = new Map<string, SkuRow["heldOrders"]>();
  for (const o of held) {
    for (const sku of skusHoldingOrder(o, needing)) {
      const list = heldBySku.get(sku) ?? [];
      list.push({ id: o.id, miraklOrderId: o.miraklOrderId, acceptanceDeadline: o.acceptanceDeadline?.toISOString() ?? null });
      heldBySku.set(sku, list);
    }
  }
  const counts = await countMappings({ services, connectionId });
  // Counted exactly as the "Holding orders" tab filters (an open unmapped-SKU Task on a row not matched), so the
  // badge and the tab can never disagree.
  const [{ n: holding }] = await services.prisma.$queryRawUnsafe<Array<{ n: bigint | number }>>(
    `SELECT count(*) AS n FROM "SkuMapping" m
     WHERE m."connectionId" = $1 AND m."matchStatus" <> 'MATCHED'
       AND EXISTS (SELECT 1 FROM "Task" t WHERE t."shop" = $2 AND t."status" = 'OPEN' AND t."dedupeKey" = $3::text || m."offerSku")`,
    connectionId,
    shop,
    prefix,
  ) as [{ n: bigint | number }];
  const holdingOrders = Number(holding);
  return {
    rows: rows.map((r) => ({
      ...r,
      offerQuantity: r.offerQuantity === null ? null : Number(r.offerQuantity),
      safetyStockOverride: r.safetyStockOverride === null ? null : Number(r.safetyStockOverride),
      offerSeenAt: r.offerSeenAt ? new Date(r.offerSeenAt).toISOString() : null,
      heldOrders: heldBySku.get(r.offerSku) ?? [],
      tasks: tasks.filter((t) => t.dedupeKey === unmappedSkuTaskKey(connectionId, r.offerSku)).map((t) => ({ id: t.id, title: t.title, dueAt: t.dueAt?.toISOString() ?? null })),
    })),
    total: totalN,
    page: current,
    pageCount,
    counts: { ...counts, holdingOrders },
  };
}

export interface CatalogueSyncStatus {
  lastSyncedAt: string | null;
  lastSyncMessage: string | null;
  /** Offers the last sync read from Mirakl (null before the first sync, or for a sync recorded without the figure). */
  offersRead: number | null;
  /** Offers on the screen now that the last sync did not read: seen only on an order since, or no longer listed. */
  notInLastSync: number;
  lastSyncStartedAt: string | null;
  lastFailedAt: string | null;
  lastFailure: string | null;
  requestedAt: string | null;
  /** Requested (by a person or at connect time) and not finished since. */
  pending: boolean;
}

export async function catalogueSyncStatus({ services, connectionId }: { services: Services; connectionId: string }): Promise<CatalogueSyncStatus> {
  const latest = async (kind: string) =>
    services.prisma.syncEvent.findFirst({ where: { entityType: "connection", entityId: connectionId, kind }, orderBy: { createdAt: "desc" }, select: { createdAt: true, message: true, data: true } });
  const [synced, failed, requested] = await Promise.all([latest(CATALOGUE_EVENT.synced), latest(CATALOGUE_EVENT.failed), latest(CATALOGUE_EVENT.requested)]);
  const startedAt = synced?.data && typeof synced.data === "object" && "startedAt" in synced.data ? String((synced.data as { startedAt: unknown }).startedAt) : null;
  const finished = Math.max(synced?.createdAt.getTime() ?? 0, failed?.createdAt.getTime() ?? 0);
  const offers = synced?.data && typeof synced.data === "object" && "offers" in synced.data ? Number((synced.data as { offers: unknown }).offers) : NaN;
  const since = startedAt ? new Date(startedAt) : null;
  // Live, not the figure stored with the sync: rows added since (an order's unknown SKU) belong to no sync yet.
  const notInLastSync =
    since && !Number.isNaN(since.getTime())
      ? await services.prisma.skuMapping.count({ where: { connectionId, OR: [{ offerSeenAt: null }, { offerSeenAt: { lt: since } }] } })
      : 0;
  return {
    lastSyncedAt: synced?.createdAt.toISOString() ?? null,
    lastSyncMessage: synced?.message ?? null,
    offersRead: Number.isInteger(offers) ? offers : null,
    notInLastSync,
    lastSyncStartedAt: startedAt,
    lastFailedAt: failed?.createdAt.toISOString() ?? null,
    lastFailure: failed?.message ?? null,
    requestedAt: requested?.createdAt.toISOString() ?? null,
    pending: !!requested && requested.createdAt.getTime() > finished,
  };
}
