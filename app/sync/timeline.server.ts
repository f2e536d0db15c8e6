import type { Prisma, PrismaClient } from "@prisma/client";

/** The per-entity timeline (orders, SKUs, fulfilments, connections) shown beside each record. */
export interface TimelineEntry {
  shop: string;
  connectionId?: string | null;
  entityType: "order" | "sku" | "fulfillment" | "refund" | "connection" | "stock" | "webhook";
  entityId: string;
  kind: string;
  level?: "info" | "success" | "warning" | "error";
  message: string;
  data?: Prisma.InputJsonValue;
}

export async function recordEvent(prisma: Pick<PrismaClient, "syncEvent">, entry: TimelineEntry): Promise<void> {
  await prisma.syncEvent.create({
    data: {
      shop: entry.shop,
      connectionId: entry.connectionId ?? null,
      entityType: entry.entityType,
      entityId: entry.entityId,
      kind: entry.kind,
      level: entry.level ?? "info",
      message: entry.message,
      data: entry.data,
    },
  });
}
