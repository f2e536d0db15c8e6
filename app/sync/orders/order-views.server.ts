/**
 * The order page's server-side view: every open Task about the order (its own, its SKUs', its refunds' and
 * fulfilments'), its refunds, and what its last error means for the merchant.
 */
import type { OrderLink, PrismaClient } from "@prisma/client";
import { displayTimeZone } from "../../components/format";
import { unmappedSkuTaskKey } from "../catalogue/mapping-effects.server";
import { undecidedSkus } from "../catalogue/held-orders";
import { statusLabel } from "../adjustments/refund-requests.server";
import { REFERENCE_GIVEN_UP } from "./write-reference.server";

/**
 * The zone the order screens show dates in: the shop's IANA zone if the Shop row stores one (Shopify's
 * shop.ianaTimezone, stored by app/sync/shops.server.ts), else UTC. Resolved on the server and sent with the page, so the server and browser render
 * the same text whatever the browser's own zone is.
 */
export async function shopTimeZone(prisma: Pick<PrismaClient, "shop">, shop: string): Promise<string> {
  const row = await prisma.shop.findUnique({ where: { domain: shop }, select: { ianaTimezone: true } });
  return displayTimeZone(row?.ianaTimezone);
}

export interface LastErrorNotice {
  tone: "critical" | "info";
  title: string;
  body: string;
  /** Whether Retry can do anything about it. */
  retryable: boolean;
}

/**
 * How the order page shows lastError. A seller reference Mirakl refused OR04_MAX_REFUSALS times is final
 * (write-reference.server.ts never sends it again, so Retry would do nothing) and harmless to the order itself:
 * an info notice, not a critical error with a Retry button. Other errors keep their text, minus the operation
 * code prefix the flows put first ("OR21: ..."), which goes to the end in brackets for support.
 */
export function lastErrorNotice(lastError: string | null): LastErrorNotice | null {
  if (!lastError) return null;
  if (lastError.startsWith(REFERENCE_GIVEN_UP)) {
    return {
      tone: "info",
      title: "The Shopify order name is not shown on Mirakl",
      body: "Mirakl refused the Shopify order name several times, so it is no longer sent. The order itself is unaffected: only the seller reference in the Mirakl back office stays empty. Nothing needs doing.",
      retryable: false,
    };
  }
  const m = /^([A-Z]{1,3}\d{2}[A-Z]?):\s*(.*)$/s.exec(lastError);
  return { tone: "critical", title: "Last error", body: m ? `${m[2]} (Mirakl ${m[1]})` : lastError, retryable: true };
}

type LinkForRetry = Pick<OrderLink, "miraklState" | "acceptanceStatus" | "importStatus" | "sellerReferenceSent" | "lastError">;

/** What retryOrder (retry.server.ts) can act on: an undecided acceptance, an import held/failed/ready, a reference not written back, an error. */
export function canRetry(link: LinkForRetry): boolean {
  const referenceGivenUp = !!link.lastError?.startsWith(REFERENCE_GIVEN_UP);
  const ended = ["CANCELED", "REFUSED", "CLOSED"].includes(link.miraklState) && link.importStatus !== "FAILED";
  if (ended) return false;
  return (
    (link.miraklState === "WAITING_ACCEPTANCE" && (link.acceptanceStatus === "PENDING" || link.acceptanceStatus === "HELD")) ||
    ["HELD", "FAILED", "READY"].includes(link.importStatus) ||
    (link.importStatus === "IMPORTED" && !link.sellerReferenceSent && !referenceGivenUp) ||
    (!!link.lastError && !referenceGivenUp)
  );
}

export interface OrderTaskView {
  id: string;
  title: string;
  body: string;
  severity: string;
  dueAt: string | null;
  actionLabel: string | null;
  actionUrl: string | null;
}

export interface OrderRefundView {
  id: string;
  status: string;
  statusLabel: string;
  shopifyAmount: string | null;
  createdAt: string;
  url: string;
}

/**
 * Every open Task about this order: those whose entity is the order, its refunds or its fulfilments, those of the
 * SKUs it is waiting for, and those whose dedupe key names the Mirakl order. A refund Task points at the refund
 * (entityType "refund"), which is why the order page used to say "Nothing needs you" while one was open.
 */
export async function orderTasksAndRefunds(
  prisma: Pick<PrismaClient, "task" | "refundRequest" | "fulfillmentLink">,
  shop: string,
  link: Pick<OrderLink, "id" | "connectionId" | "miraklOrderId" | "acceptanceDecision">,
  skus: string[],
): Promise<{ tasks: OrderTaskView[]; refunds: OrderRefundView[] }> {
  const [refunds, fulfilments] = await Promise.all([
    prisma.refundRequest.findMany({ where: { orderLinkId: link.id, shop }, orderBy: { createdAt: "desc" }, take: 50 }),
    prisma.fulfillmentLink.findMany({ where: { orderLinkId: link.id }, select: { id: true }, take: 200 }),
  ]);
  const taskKeys = [...new Set([...undecidedSkus(link.acceptanceDecision), ...skus])].map((sku) => unmappedSkuTaskKey(link.connectionId, sku));
  const tasks = await prisma.task.findMany({
    where: {
      shop,
      status: "OPEN",
      OR: [
        { entityType: "order", entityId: { in: [link.id, link.miraklOrderId] } },
        ...(refunds.length > 0 ? [{ entityType: "refund", entityId: { in: refunds.map((r) => r.id) } }] : []),
        ...(fulfilments.length > 0 ? [{ entityType: { in: ["fulfillment", "fulfilment"] }, entityId: { in: fulfilments.map((f) => f.id) } }] : []),
        { dedupeKey: { in: taskKeys } },
        { dedupeKey: { contains: link.miraklOrderId } },
      ],
    },
    orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { createdAt: "desc" }],
    take: 50,
  });
  return {
    tasks: tasks.map((t) => ({ id: t.id, title: t.title, body: t.body, severity: t.severity, dueAt: t.dueAt?.toISOString() ?? null, actionLabel: t.actionLabel, actionUrl: t.actionUrl })),
    refunds: refunds.map((r) => ({ id: r.id, status: r.status, statusLabel: statusLabel(r.status), shopifyAmount: r.shopifyAmount?.toString() ?? null, createdAt: r.createdAt.toISOString(), url: `/app/refunds/${r.id}` })),
  };
}
