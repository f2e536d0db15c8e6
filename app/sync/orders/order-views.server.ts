/**
 * The order page's server-side view: every open Task about the order (its own, its SKUs', its refunds' and
 * fulfilments'), its refunds, and what its last error means for the merchant.
 */
import type { OrderLink, Prisma, PrismaClient, Task } from "@prisma/client";
import { unmappedSkuTaskKey } from "../catalogue/mapping-effects.server";
import { undecidedSkus } from "../catalogue/held-orders";
import { statusLabel } from "../adjustments/refund-requests.server";
import { REFERENCE_GIVEN_UP } from "./write-reference.server";

// Moved to shops.server (every screen uses it now); re-exported for the order screens' existing imports.
export { shopTimeZone } from "../shops.server";

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
 * What "a Task about this order" means: its entity is the order, one of its refunds or fulfilments, one of the SKUs
 * it is waiting for, or its dedupe key names the Mirakl order. A refund Task points at the refund (entityType
 * "refund"), which is why the order page used to say "Nothing needs you" while one was open. Written once, used by
 * the order page (its tasks) and the Orders list (how many are open per order).
 */
interface OrderTaskScope {
  entityIds: { order: string[]; refund: string[]; fulfilment: string[] };
  dedupeKeys: string[];
  miraklOrderId: string;
}

type LinkForTasks = Pick<OrderLink, "id" | "connectionId" | "miraklOrderId" | "acceptanceDecision">;

function orderTaskScope(link: LinkForTasks, refundIds: string[], fulfilmentIds: string[], skus: readonly string[]): OrderTaskScope {
  return {
    entityIds: { order: [link.id, link.miraklOrderId], refund: refundIds, fulfilment: fulfilmentIds },
    dedupeKeys: [...new Set([...undecidedSkus(link.acceptanceDecision), ...skus])].map((sku) => unmappedSkuTaskKey(link.connectionId, sku)),
    miraklOrderId: link.miraklOrderId,
  };
}

const FULFILMENT_ENTITY_TYPES = ["fulfillment", "fulfilment"];

/** One query's filter for every scope at once. */
function scopesWhere(scopes: readonly OrderTaskScope[]): Prisma.TaskWhereInput[] {
  const all = (pick: (s: OrderTaskScope) => string[]) => [...new Set(scopes.flatMap(pick))];
  const refund = all((s) => s.entityIds.refund);
  const fulfilment = all((s) => s.entityIds.fulfilment);
  return [
    { entityType: "order", entityId: { in: all((s) => s.entityIds.order) } },
    ...(refund.length > 0 ? [{ entityType: "refund", entityId: { in: refund } }] : []),
    ...(fulfilment.length > 0 ? [{ entityType: { in: FULFILMENT_ENTITY_TYPES }, entityId: { in: fulfilment } }] : []),
    { dedupeKey: { in: all((s) => s.dedupeKeys) } },
    ...scopes.map((s) => ({ dedupeKey: { contains: s.miraklOrderId } })),
  ];
}

/** The same rule as scopesWhere, for one scope: which of the fetched tasks belong to which order. */
function inScope(task: Pick<Task, "entityType" | "entityId" | "dedupeKey">, scope: OrderTaskScope): boolean {
  const entity = task.entityId ?? "";
  return (
    (task.entityType === "order" && scope.entityIds.order.includes(entity)) ||
    (task.entityType === "refund" && scope.entityIds.refund.includes(entity)) ||
    (FULFILMENT_ENTITY_TYPES.includes(task.entityType ?? "") && scope.entityIds.fulfilment.includes(entity)) ||
    scope.dedupeKeys.includes(task.dedupeKey) ||
    task.dedupeKey.includes(scope.miraklOrderId)
  );
}

async function openTasksInScopes(prisma: Pick<PrismaClient, "task">, shop: string, scopes: readonly OrderTaskScope[], take: number): Promise<Task[]> {
  if (scopes.length === 0) return [];
  return prisma.task.findMany({
    where: { shop, status: "OPEN", OR: scopesWhere(scopes) },
    orderBy: [{ dueAt: { sort: "asc", nulls: "last" } }, { createdAt: "desc" }],
    take,
  });
}

/** The offer SKUs of a stored OR11 snapshot (lenient: a snapshot that does not parse names none). */
export function snapshotSkus(snapshot: unknown): string[] {
  const lines = snapshot && typeof snapshot === "object" ? (snapshot as { order_lines?: unknown }).order_lines : undefined;
  if (!Array.isArray(lines)) return [];
  return [...new Set(lines.map((l) => (l && typeof l === "object" ? (l as { offer_sku?: unknown }).offer_sku : undefined)).filter((s): s is string => typeof s === "string"))];
}

/**
 * How many open Tasks are about each order (the Orders list): the order page's rule, in three queries for a page of
 * orders whatever its size. Orders with none are absent from the map.
 */
export async function openTaskCounts(
  prisma: Pick<PrismaClient, "task" | "refundRequest" | "fulfillmentLink">,
  shop: string,
  links: ReadonlyArray<LinkForTasks & Pick<OrderLink, "snapshot">>,
): Promise<Map<string, number>> {
  const out = new Map<string, number>();
  if (links.length === 0) return out;
  const ids = links.map((l) => l.id);
  const [refunds, fulfilments] = await Promise.all([
    prisma.refundRequest.findMany({ where: { orderLinkId: { in: ids }, shop }, select: { id: true, orderLinkId: true } }),
    prisma.fulfillmentLink.findMany({ where: { orderLinkId: { in: ids } }, select: { id: true, orderLinkId: true } }),
  ]);
  const scopes = links.map((l) =>
    orderTaskScope(
      l,
      refunds.filter((r) => r.orderLinkId === l.id).map((r) => r.id),
      fulfilments.filter((f) => f.orderLinkId === l.id).map((f) => f.id),
      snapshotSkus(l.snapshot),
    ),
  );
  const tasks = await openTasksInScopes(prisma, shop, scopes, 5_000);
  links.forEach((l, i) => {
    const n = tasks.filter((t) => inScope(t, scopes[i]!)).length;
    if (n > 0) out.set(l.id, n);
  });
  return out;
}

/** Every open Task about this order (see orderTaskScope) and its refunds, for the order page. */
export async function orderTasksAndRefunds(
  prisma: Pick<PrismaClient, "task" | "refundRequest" | "fulfillmentLink">,
  shop: string,
  link: LinkForTasks,
  skus: string[],
): Promise<{ tasks: OrderTaskView[]; refunds: OrderRefundView[] }> {
  const [refunds, fulfilments] = await Promise.all([
    prisma.refundRequest.findMany({ where: { orderLinkId: link.id, shop }, orderBy: { createdAt: "desc" }, take: 50 }),
    prisma.fulfillmentLink.findMany({ where: { orderLinkId: link.id }, select: { id: true }, take: 200 }),
  ]);
  const scope = orderTaskScope(
    link,
    refunds.map((r) => r.id),
    fulfilments.map((f) => f.id),
    skus,
  );
  const tasks = await openTasksInScopes(prisma, shop, [scope], 50);
  return {
    tasks: tasks.map((t) => ({ id: t.id, title: t.title, body: t.body, severity: t.severity, dueAt: t.dueAt?.toISOString() ?? null, actionLabel: t.actionLabel, actionUrl: t.actionUrl })),
    refunds: refunds.map((r) => ({ id: r.id, status: r.status, statusLabel: statusLabel(r.status), shopifyAmount: r.shopifyAmount?.toString() ?? null, createdAt: r.createdAt.toISOString(), url: `/app/refunds/${r.id}` })),
  };
}
