/**
 * The Orders screen's Retry: queue whatever the order needs next (a decision, OR21, an import, a Shopify-side
 * cancellation, the reference write-back) and note it on the timeline. Every job it queues is idempotent, so
 * pressing Retry twice, or while a retry is already running, does no harm.
 */
import { Prisma } from "@prisma/client";
import type { Services } from "../../services.server";
import { holdCodeOf } from "./acceptance-policy";
import { enqueueOrderJob, ORDER_JOBS } from "./job-names";
import { hasEndedUnshipped, isDebited } from "./mirakl-order";
import { snapshotOf } from "./ingest.server";
import { recordOrderEvents } from "./order-timeline.server";
import { REFERENCE_GIVEN_UP } from "./write-reference.server";

export type RetryOutcome =
  | { kind: "queued"; jobs: string[] }
  | { kind: "nothing_to_do"; reason: string }
  | { kind: "not_found" };

export async function retryOrder({ services, orderLinkId, by = "merchant" }: { services: Services; orderLinkId: string; by?: string }): Promise<RetryOutcome> {
  const link = await services.prisma.orderLink.findUnique({ where: { id: orderLinkId } });
  if (!link) return { kind: "not_found" };
  const payload = { shop: link.shop, connectionId: link.connectionId, orderLinkId: link.id };
  const jobs: string[] = [];
  const order = snapshotOf(link);

  if (link.miraklState === "WAITING_ACCEPTANCE" && (link.acceptanceStatus === "PENDING" || link.acceptanceStatus === "HELD")) {
    // A held order is checked again from scratch (stock may have arrived, the SKU may be linked now); an order held
    // for review is held again by the policy, which is what a person expects from Retry there.
    if (link.acceptanceStatus === "HELD" && holdCodeOf(link.holdReason) !== "REVIEW") {
      await services.prisma.orderLink.updateMany({
        where: { id: link.id, acceptanceStatus: "HELD", miraklState: "WAITING_ACCEPTANCE" },
        data: { acceptanceStatus: "PENDING", acceptanceDecision: Prisma.DbNull, holdReason: null, version: { increment: 1 } },
      });
    }
    await enqueueOrderJob(services, ORDER_JOBS.accept, payload);
    jobs.push(ORDER_JOBS.accept);
  }
  if ((link.importStatus === "FAILED" || link.importStatus === "READY" || link.importStatus === "HELD") && isDebited(order.order_state)) {
    if (link.importStatus !== "READY") {
      await services.prisma.orderLink.updateMany({ where: { id: link.id, importStatus: link.importStatus }, data: { importStatus: "READY", holdReason: null, lastError: null, version: { increment: 1 } } });
    }
    await enqueueOrderJob(services, ORDER_JOBS.import, payload);
    jobs.push(ORDER_JOBS.import);
  }
  if (link.importStatus === "IMPORTED" && link.shopifyState !== "CANCELLED" && (hasEndedUnshipped(order.order_state) || link.lastError?.startsWith("Shopify cancellation"))) {
    await enqueueOrderJob(services, ORDER_JOBS.cancelInShopify, payload);
    jobs.push(ORDER_JOBS.cancelInShopify);
  }
  // A reference Mirakl refused OR04_MAX_REFUSALS times is never sent again (write-reference.server.ts): queuing the
  // job would report a retry that does nothing.
  if (link.importStatus === "IMPORTED" && !link.sellerReferenceSent && !link.lastError?.startsWith(REFERENCE_GIVEN_UP)) {
    await enqueueOrderJob(services, ORDER_JOBS.writeReference, { shop: link.shop, connectionId: link.connectionId });
    jobs.push(ORDER_JOBS.writeReference);
  }
  if (jobs.length === 0) return { kind: "nothing_to_do", reason: `nothing is pending for this order (Mirakl ${link.miraklState}, import ${link.importStatus})` };
  await recordOrderEvents(services.prisma, link, [{ kind: "retry", level: "info", message: `Retry requested by ${by}: ${jobs.join(", ")}` }]);
  return { kind: "queued", jobs };
}
