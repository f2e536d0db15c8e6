import type { MarketplaceConnection } from "@prisma/client";
import type { Services } from "../../services.server";
import type { Logger } from "../../lib/logger";
import { errorMessage } from "../../lib/errors";
import { recordEvent } from "../timeline.server";
import { releaseOrdersHeldForSku } from "../orders/quarantine.server";
import { markSkusDirty } from "../inventory/dirty.server";
import { reconcileNowIfNothingCompared } from "../inventory/scheduler.server";

/** The Task the orders flow raises for an order held on an unmapped SKU (same key on both sides). */
export function unmappedSkuTaskKey(connectionId: string, offerSku: string): string {
  return `unmapped-sku:${connectionId}:${offerSku}`;
}

export interface MappingChange {
  mappingId: string;
  offerSku: string;
  before: string;
  after: string;
  /** Timeline text, e.g. "Mapped by hand to BRETON-NAVY-M (Breton stripe top - Navy / M)". */
  message?: string;
  /** false for the first sync's thousands of auto-matches: the connection's own event summarises them. */
  timeline?: boolean;
  /** Timeline kind (default `mapping_<after>`). */
  kind?: string;
  /** Release held orders and resolve the SKU's Task (default: when the change ends MATCHED). */
  release?: boolean;
}

export interface MappingEffects {
  released: number;
  tasksResolved: number;
  releaseErrors: string[];
}

/**
 * What must follow any mapping change, from whichever path made it (auto-match, the screen, a CSV):
 * - a SKU that became MATCHED releases the orders held on it (the orders flow decides what "release" means) and
 *   resolves its `unmapped-sku` Task;
 * - every SKU whose variant changed (or whose matched variant got a different safety stock) is marked dirty for the
 *   stock push, since what Mirakl should show for it has changed.
 * A release that fails does not undo the mapping: the orders flow's own retry picks the order up, and the error is
 * reported to the caller so the screen can say so.
 */
export async function applyMappingEffects({
  services,
  connection,
  changes,
  log,
}: {
  services: Services;
  connection: Pick<MarketplaceConnection, "id" | "shop">;
  changes: MappingChange[];
  log: Logger;
}): Promise<MappingEffects> {
  const out: MappingEffects = { released: 0, tasksResolved: 0, releaseErrors: [] };
  if (changes.length === 0) return out;
  const { prisma } = services;

  // Only a change that touches a variant changes what Mirakl should show (unmatched → ambiguous does not). The
  // inventory flow's own rule marks them, so a remap moves dirtySince/updatedAt forward as its compare-and-clear
  // push needs, and brings a SKU waiting on a refused-line retry back to now.
  await markSkusDirty({
    prisma,
    connectionId: connection.id,
    offerSkus: changes.filter((c) => c.before === "MATCHED" || c.after === "MATCHED").map((c) => c.offerSku),
    now: services.now(),
  });

  // The first offers linked on a marketplace whose last reconciliation had nothing to compare: run it now rather than
  // at the next interval. Best effort: the mapping stands, and the scheduler runs one at the interval anyway.
  if (changes.some((c) => c.after === "MATCHED" && c.before !== "MATCHED")) {
    try {
      if (await reconcileNowIfNothingCompared({ services, connectionId: connection.id })) log.info("reconciliation queued now: offers were just mapped", { connectionId: connection.id });
    } catch (err) {
      log.warn("queueing a reconciliation after new mappings failed", { connectionId: connection.id, err });
    }
  }

  const timeline = changes.filter((c) => c.timeline !== false && c.message);
  for (const c of timeline) {
    await recordEvent(prisma, {
      shop: connection.shop,
      connectionId: connection.id,
      entityType: "sku",
      entityId: c.mappingId,
      kind: c.kind ?? `mapping_${c.after.toLowerCase()}`,
      level: c.after === "MATCHED" ? "success" : "info",
      message: c.message ?? `Mapping changed from ${c.before} to ${c.after}`,
      data: { offerSku: c.offerSku, before: c.before, after: c.after },
    });
  }

  const matched = changes.filter((c) => c.release ?? c.after === "MATCHED");
  if (matched.length === 0) return out;

  // Only SKUs with an open Task are resolved one by one: the first sync of a 100,000-offer catalogue matches most of
  // them, and 100,000 no-op updates would be pure waste.
  const keys = matched.map((c) => unmappedSkuTaskKey(connection.id, c.offerSku));
  const open = new Set<string>();
  for (let i = 0; i < keys.length; i += 1_000) {
    const rows = await prisma.task.findMany({ where: { shop: connection.shop, status: "OPEN", dedupeKey: { in: keys.slice(i, i + 1_000) } }, select: { dedupeKey: true } });
    for (const r of rows) open.add(r.dedupeKey);
  }
  for (const key of open) {
    if (await services.tasks.resolve({ shop: connection.shop, dedupeKey: key, by: "mapping" })) out.tasksResolved++;
  }

  // Nothing is held on this marketplace: there is nothing to release, whatever the SKUs.
  const held = await prisma.orderLink.count({ where: { connectionId: connection.id, OR: [{ importStatus: "HELD" }, { acceptanceStatus: "HELD" }] } });
  if (held === 0) return out;
  for (const c of matched) {
    try {
      const res: unknown = await releaseOrdersHeldForSku({ services, connectionId: connection.id, offerSku: c.offerSku });
      out.released += countReleased(res);
    } catch (err) {
      log.warn("releasing orders held for a mapped SKU failed", { connectionId: connection.id, offerSku: c.offerSku, err });
      out.releaseErrors.push(`${c.offerSku}: ${errorMessage(err)}`);
    }
  }
  return out;
}

/** Orders the release put back in motion: imports resumed plus acceptances decided afresh (ReleaseOutcome). */
function countReleased(res: unknown): number {
  if (!res || typeof res !== "object") return 0;
  const r = res as { importsResumed?: unknown; acceptanceRedecided?: unknown };
  return (typeof r.importsResumed === "number" ? r.importsResumed : 0) + (typeof r.acceptanceRedecided === "number" ? r.acceptanceRedecided : 0);
}
