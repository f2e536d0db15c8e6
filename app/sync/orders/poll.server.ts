/**
 * OR11 polling, the only reader of Mirakl orders. Each page (max=100, gotcha 15) is stored, then every order on
 * it that waits for acceptance is decided and OR21 sent before the next page is read, so acceptance never waits
 * for anything Shopify does; imports and Shopify-side cancellations are queued as their own jobs, and the other
 * flows' listeners run once the page's acceptance work is done.
 */
import type { OrderLink } from "@prisma/client";
import type { Services } from "../../services.server";
import { errorMessage } from "../../lib/errors";
import { logger } from "../../lib/logger";
import { acceptOrders, type AcceptanceSummary } from "./acceptance.server";
import { backfillWindowStart, pollWindowStart } from "./cadence";
import { ingestOrders, type IngestOutcome } from "./ingest.server";
import { orderUpdatedAt } from "./mirakl-order";

const log = logger.child({ module: "orders.poll" });
const PAGE_SIZE = 100;

export interface PollOutcome {
  kind: "polled";
  mode: "poll" | "backfill";
  since: string;
  seen: number;
  stored: number;
  pages: number;
  acceptance: AcceptanceSummary;
  cursor: string | null;
}

export type PollResult = PollOutcome | { kind: "skipped"; reason: string };

export async function pollOrders({ services, connectionId, mode }: { services: Services; connectionId: string; mode: "poll" | "backfill" }): Promise<PollResult> {
  const connection = await services.prisma.marketplaceConnection.findUnique({ where: { id: connectionId } });
  if (!connection) return { kind: "skipped", reason: "connection deleted" };
  if (connection.paused) return { kind: "skipped", reason: `connection paused${connection.pausedReason ? `: ${connection.pausedReason}` : ""}` };
  const now = services.now();
  const since = mode === "poll" ? pollWindowStart({ ordersCursor: connection.ordersCursor, backfillHours: connection.backfillHours, now }) : backfillWindowStart({ backfillHours: connection.backfillHours, now });
  // The start is what Mirakl's once-a-minute contract is measured against (the scheduler reads it).
  if (mode === "poll") await services.prisma.marketplaceConnection.update({ where: { id: connection.id }, data: { lastOrderPollAt: now } });

  const client = services.mirakl(connection);
  const acceptance: AcceptanceSummary = { decided: 0, held: 0, sent: 0, superseded: 0, retryLater: 0 };
  const notifications: Array<IngestOutcome["notify"]> = [];
  let maxSeen = connection.ordersCursor?.getTime() ?? 0;
  let offset = 0;
  let seen = 0;
  let stored = 0;
  let pages = 0;
  const runListeners = async () => {
    for (const notify of notifications.splice(0)) {
      await notify().catch((err: unknown) => log.error("order listeners could not be run", { shop: connection.shop, connectionId: connection.id, error: errorMessage(err) }));
    }
  };
  for (;;) {
    const page = await client.listOrders({ startUpdateDate: since, offset, max: PAGE_SIZE });
    pages++;
    const touched: OrderLink[] = [];
    for (const order of page.orders) maxSeen = Math.max(maxSeen, orderUpdatedAt(order).getTime());
    seen += page.orders.length;
    try {
      for (const res of await ingestOrders({ services, connection, orders: page.orders })) {
        if (res.stored) {
          stored++;
          notifications.push(res.notify);
        }
        if (res.link.miraklState === "WAITING_ACCEPTANCE") touched.push(res.link);
      }
      // Acceptance for this page now, before its listeners and before reading the next page.
      const summary = await acceptOrders({ services, connection, links: touched });
      for (const k of Object.keys(acceptance) as Array<keyof AcceptanceSummary>) acceptance[k] += summary[k];
    } finally {
      // Stored updates get their listeners even if acceptance failed: the next read of the same update would be
      // skipped as "not newer". Running them per page (not once per poll) keeps what a crash can lose to one page.
      await runListeners();
    }
    offset += page.orders.length;
    if (page.orders.length === 0 || offset >= page.totalCount) break;
  }

  let cursor: Date | null = connection.ordersCursor;
  if (mode === "poll" && maxSeen > (connection.ordersCursor?.getTime() ?? 0)) {
    cursor = new Date(maxSeen);
    // Only ever forward, even if a slower concurrent poll finishes after us.
    await services.prisma.marketplaceConnection.updateMany({
      where: { id: connection.id, OR: [{ ordersCursor: null }, { ordersCursor: { lt: cursor } }] },
      data: { ordersCursor: cursor },
    });
  }
  if (mode === "backfill") await services.prisma.marketplaceConnection.update({ where: { id: connection.id }, data: { lastBackfillAt: now } });

  const outcome: PollOutcome = { kind: "polled", mode, since: since.toISOString(), seen, stored, pages, acceptance, cursor: cursor?.toISOString() ?? null };
  log.info("orders polled", { shop: connection.shop, connectionId: connection.id, ...outcome, acceptance });
  return outcome;
}

