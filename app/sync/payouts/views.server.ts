import type { MarketplaceConnection, Payout } from "@prisma/client";
import { z } from "zod";
import { payoutSyncJob } from "../../jobs/payout-jobs.server";
import type { Services } from "../../services.server";
import type { PayoutReport } from "./matching";
import { loadPayoutReport } from "./report.server";
import { payoutLabel } from "./sync.server";

/** What the payouts list shows for one marketplace. */
export async function listPayouts({ services, shop, connectionId }: { services: Services; shop: string; connectionId: string | null }) {
  const connections = await services.prisma.marketplaceConnection.findMany({
    where: { shop },
    orderBy: { name: "asc" },
    select: { id: true, name: true },
  });
  const selected = connections.find((c) => c.id === connectionId) ?? connections[0] ?? null;
  if (!selected) return { connections, selected: null, payouts: [], sync: null };
  const [payouts, sync] = await Promise.all([
    services.prisma.payout.findMany({
      where: { shop, connectionId: selected.id },
      orderBy: [{ cycleCreatedAt: "desc" }, { id: "asc" }],
      take: 200,
    }),
    services.prisma.payoutSyncState.findUnique({
      where: { connectionId: selected.id },
    }),
  ]);
  return {
    connections,
    selected,
    payouts: payouts.map((p) => ({
      id: p.id,
      label: payoutLabel(p),
      date: p.cycleCreatedAt?.toISOString() ?? null,
      paid: p.amountToSeller.minus(p.amountToOperator).toFixed(2),
      currency: p.currency,
      state: p.payOutState,
      orderCount: p.orderCount,
      flagCount: p.flagCount,
      complete: p.linesStatus === "COMPLETE",
    })),
    sync: sync
      ? {
          lastRunAt: sync.lastRunAt?.toISOString() ?? null,
          lastSuccessAt: sync.lastSuccessAt?.toISOString() ?? null,
          lastError: sync.lastError,
        }
      : null,
  };
}

/** One payout of the shop (a payout of another shop is "not found", never shown). */
async function getPayoutDetail({ services, shop, id }: { services: Services; shop: string; id: string }): Promise<{
  payout: Payout;
  connection: MarketplaceConnection;
  report: PayoutReport;
} | null> {
  const payout = await services.prisma.payout.findFirst({
    where: { id, shop },
  });
  if (!payout) return null;
  const connection = await services.prisma.marketplaceConnection.findFirst({
    where: { id: payout.connectionId, shop },
  });
  if (!connection) return null;
  const report = await loadPayoutReport({ prisma: services.prisma, payout });
  return { payout, connection, report };
}

/** The payout a route's `$id` names, or a 404 response (an id that is not a uuid is simply not found). */
export async function requirePayoutDetail({ services, shop, id }: { services: Services; shop: string; id: unknown }) {
  const parsed = z.string().uuid().safeParse(id);
  const detail = parsed.success ? await getPayoutDetail({ services, shop, id: parsed.data }) : null;
  if (!detail) throw new Response("This payout does not exist (or belongs to another shop).", { status: 404 });
  return detail;
}

/** Refresh: the same stately job the daily schedule runs, so a second click while one waits is a no-op. */
export async function requestPayoutRefresh({
  services,
  shop,
  connectionId,
}: {
  services: Services;
  shop: string;
  connectionId: string;
}): Promise<{ ok: string } | { error: string }> {
  const connection = await services.prisma.marketplaceConnection.findFirst({ where: { id: connectionId, shop } });
  if (!connection) return { error: "This marketplace is not connected to your shop." };
  const jobId = await services.jobs.enqueue(payoutSyncJob, { shop, connectionId: connection.id, trigger: "manual" });
  return { ok: jobId ? "Reading payouts from Mirakl: reload this page in a minute." : "A refresh is already running for this marketplace." };
}
