import type { Services } from "../../services.server";
import { miraklOrderSchema, type MiraklOrder } from "../../mirakl";
import { emitMiraklOrderUpdated } from "../order-events.server";
import { snapshotOf } from "./ingest.server";

/**
 * orders.notify: runs the order-update listeners again for an update whose listeners failed during the poll.
 * Listeners are idempotent (order-events.server.ts), so a retry that sees a later snapshot is fine; a failure
 * here is thrown so the job runner retries it.
 */
export async function notifyOrderJob({ services, orderLinkId, previous }: { services: Services; orderLinkId: string; previous?: unknown }): Promise<{ kind: "notified" } | { kind: "not_found" }> {
  const link = await services.prisma.orderLink.findUnique({ where: { id: orderLinkId } });
  if (!link) return { kind: "not_found" };
  const connection = await services.prisma.marketplaceConnection.findUnique({ where: { id: link.connectionId } });
  if (!connection) return { kind: "not_found" };
  const prev = previous === undefined || previous === null ? null : miraklOrderSchema.safeParse(previous);
  const before: MiraklOrder | null = prev && prev.success ? prev.data : null;
  await emitMiraklOrderUpdated({ services, connection, orderLink: link, order: snapshotOf(link), previous: before });
  return { kind: "notified" };
}
