import type { Prisma, PrismaClient } from "@prisma/client";
import type { PlannedEvent } from "./link-transitions";

interface LinkRef {
  id: string;
  shop: string;
  connectionId: string;
}

/** Timeline entries for one order (SyncEvent entityType "order", entityId = OrderLink.id), written in one statement. */
export async function recordOrderEvents(prisma: Pick<PrismaClient, "syncEvent">, link: LinkRef, events: readonly PlannedEvent[]): Promise<void> {
  if (events.length === 0) return;
  await prisma.syncEvent.createMany({
    data: events.map((e) => ({
      shop: link.shop,
      connectionId: link.connectionId,
      entityType: "order",
      entityId: link.id,
      kind: e.kind,
      level: e.level,
      message: e.message,
      data: e.data === undefined ? undefined : (e.data as Prisma.InputJsonValue),
    })),
  });
}
