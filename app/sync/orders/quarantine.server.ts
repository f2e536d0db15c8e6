/**
 * Orders whose SKUs do not resolve to exactly one Shopify variant are held whole (never half-imported), with one
 * Task per SKU; mapping the SKU releases every order held for it. Held orders are found by the SKUs in their
 * stored OR11 snapshot (jsonb containment), so no extra bookkeeping can drift from what the order says.
 */
import type { Services } from "../../services.server";
import { logger } from "../../lib/logger";
import { Prisma } from "@prisma/client";
import { holdCodeOf } from "./acceptance-policy";
import { enqueueOrderJob, ORDER_JOBS } from "./job-names";
import { orderTaskKeys, unmappedSkuTask } from "./order-tasks";
import { recordOrderEvents } from "./order-timeline.server";
import { raiseWhileTrue } from "./task-guard.server";

const log = logger.child({ module: "orders.quarantine" });

interface HeldRow {
  id: string;
  shop: string;
  connectionId: string;
  importStatus: string;
  acceptanceStatus: string;
  holdReason: string | null;
}

/** Orders of a connection held (for import, or at acceptance) that contain this offer SKU. */
export async function ordersHeldForSku({ prisma, connectionId, offerSku }: { prisma: Services["prisma"]; connectionId: string; offerSku: string }): Promise<HeldRow[]> {
  return prisma.$queryRaw<HeldRow[]>`
    SELECT "id", "shop", "connectionId", "importStatus", "acceptanceStatus", "holdReason" FROM "OrderLink"
    WHERE "connectionId" = ${connectionId}
      AND ("importStatus" = 'HELD' OR ("acceptanceStatus" = 'HELD' AND "miraklState" = 'WAITING_ACCEPTANCE'))
      AND "snapshot"->'order_lines' @> jsonb_build_array(jsonb_build_object('offer_sku', ${offerSku}::text))`;
}

async function importHeldCount(prisma: Services["prisma"], connectionId: string, offerSku: string): Promise<number> {
  const rows = await ordersHeldForSku({ prisma, connectionId, offerSku });
  return rows.filter((r) => r.importStatus === "HELD").length;
}

/** Raise (or refresh the count of) the Task of each SKU that holds an order. */
export async function raiseSkuTasks(input: {
  services: Services;
  connection: { id: string; shop: string; name: string };
  problems: ReadonlyArray<{ offerSku: string; problem: "unmapped" | "ambiguous" | "ignored" }>;
  exampleOrderLinkId: string;
}): Promise<void> {
  for (const p of input.problems) {
    const held = await importHeldCount(input.services.prisma, input.connection.id, p.offerSku);
    await raiseWhileTrue(
      input.services,
      unmappedSkuTask({ connection: input.connection, offerSku: p.offerSku, problem: p.problem, heldOrders: Math.max(1, held), exampleOrderLinkId: input.exampleOrderLinkId }),
      async () => (await importHeldCount(input.services.prisma, input.connection.id, p.offerSku)) > 0,
    );
  }
}

/** Resolve the SKU Tasks that no held order needs any more (an order was cancelled, or imported after a mapping). */
export async function refreshSkuTasks(input: { services: Services; connectionId: string; shop: string; offerSkus: readonly string[] }): Promise<void> {
  for (const sku of input.offerSkus) {
    if ((await importHeldCount(input.services.prisma, input.connectionId, sku)) === 0) {
      await input.services.tasks.resolve({ shop: input.shop, dedupeKey: orderTaskKeys.unmappedSku(input.connectionId, sku) });
    }
  }
}

export type ReleaseOutcome = { kind: "released"; importsResumed: number; acceptanceRedecided: number } | { kind: "nothing_held" };

/**
 * Called when a SKU gets mapped (the SKU mapping screen, a CSV import): every order held for it is queued again —
 * imports resume, and orders held at acceptance because of it are decided afresh (orders held for review stay
 * with the person who reviews them). The SKU's Task is resolved once nothing is held for it.
 */
export async function releaseOrdersHeldForSku({ services, connectionId, offerSku }: { services: Services; connectionId: string; offerSku: string }): Promise<ReleaseOutcome> {
  const prisma = services.prisma;
  const rows = await ordersHeldForSku({ prisma, connectionId, offerSku });
  let importsResumed = 0;
  let acceptanceRedecided = 0;
  for (const row of rows) {
    const payload = { shop: row.shop, connectionId: row.connectionId, orderLinkId: row.id };
    if (row.importStatus === "HELD") {
      const res = await prisma.orderLink.updateMany({ where: { id: row.id, importStatus: "HELD" }, data: { importStatus: "READY", holdReason: null, version: { increment: 1 } } });
      if (res.count === 1) {
        importsResumed++;
        await recordOrderEvents(prisma, row, [{ kind: "released", level: "info", message: `SKU ${offerSku} is now linked: import resumed` }]);
        await enqueueOrderJob(services, ORDER_JOBS.import, payload);
      }
    } else if (row.acceptanceStatus === "HELD" && holdCodeOf(row.holdReason) !== "REVIEW") {
      const res = await prisma.orderLink.updateMany({
        where: { id: row.id, acceptanceStatus: "HELD", miraklState: "WAITING_ACCEPTANCE" },
        data: { acceptanceStatus: "PENDING", acceptanceDecision: Prisma.DbNull, holdReason: null, version: { increment: 1 } },
      });
      if (res.count === 1) {
        acceptanceRedecided++;
        await recordOrderEvents(prisma, row, [{ kind: "released", level: "info", message: `SKU ${offerSku} is now linked: deciding acceptance again` }]);
        await enqueueOrderJob(services, ORDER_JOBS.accept, payload);
      }
    }
  }
  const shop = rows[0]?.shop ?? (await prisma.marketplaceConnection.findUnique({ where: { id: connectionId }, select: { shop: true } }))?.shop;
  if (shop) await refreshSkuTasks({ services, connectionId, shop, offerSkus: [offerSku] });
  log.info("orders released for SKU", { connectionId, offerSku, importsResumed, acceptanceRedecided });
  if (rows.length === 0) return { kind: "nothing_held" };
  return { kind: "released", importsResumed, acceptanceRedecided };
}
