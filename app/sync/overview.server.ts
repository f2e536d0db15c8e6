import type { PrismaClient } from "@prisma/client";
import { heldAtAcceptanceWhere, needsAttentionWhere, onTheirWayWhere } from "./orders/order-filters";

export interface MarketplaceOrderCounts {
  imported: number;
  onTheirWay: number;
  needsAttention: number;
  /** The nearest acceptance deadline among orders held for a decision: when Mirakl next refuses one by itself. */
  nextAutoRefusalAt: Date | null;
}

/** The Overview card's numbers for each of a shop's marketplaces, from the same filters as the Orders screen. */
export async function marketplaceOrderCounts(prisma: PrismaClient, shop: string, connectionIds: string[]): Promise<Map<string, MarketplaceOrderCounts>> {
  const scope = { shop, connectionId: { in: connectionIds } };
  const [imported, onTheirWay, attention, held] = await Promise.all([
    prisma.orderLink.groupBy({ by: ["connectionId"], where: { ...scope, importStatus: "IMPORTED" }, _count: { _all: true } }),
    prisma.orderLink.groupBy({ by: ["connectionId"], where: { ...scope, ...onTheirWayWhere }, _count: { _all: true } }),
    prisma.orderLink.groupBy({ by: ["connectionId"], where: { ...scope, ...needsAttentionWhere }, _count: { _all: true } }),
    prisma.orderLink.groupBy({ by: ["connectionId"], where: { ...scope, ...heldAtAcceptanceWhere, acceptanceDeadline: { not: null } }, _min: { acceptanceDeadline: true } }),
  ]);
  const count = (rows: Array<{ connectionId: string; _count: { _all: number } }>, id: string) => rows.find((r) => r.connectionId === id)?._count._all ?? 0;
  return new Map(
    connectionIds.map((id) => [
      id,
      {
        imported: count(imported, id),
        onTheirWay: count(onTheirWay, id),
        needsAttention: count(attention, id),
        nextAutoRefusalAt: held.find((r) => r.connectionId === id)?._min.acceptanceDeadline ?? null,
      },
    ]),
  );
}
