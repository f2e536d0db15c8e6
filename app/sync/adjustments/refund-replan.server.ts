import type { MarketplaceConnection, OrderLink, PrismaClient, RefundRequest } from "@prisma/client";
import type { MiraklOrder } from "../../mirakl";
import type { OrderUpdate } from "../order-events.server";
import type { RaiseTaskInput } from "../tasks.server";
import type { Services } from "../../services.server";
import { errorMessage } from "../../lib/errors";
import { logger } from "../../lib/logger";
import { recordEvent } from "../timeline.server";
import { parseRequest } from "./adjustment-store.server";
import { refundTask, refundTaskKey } from "./adjustment-tasks";
import { orderEntity, readMiraklOrder } from "./context.server";
import { formatAmount } from "./money";
import { planIsStale, refundAdvice, type CancellationCover, type RefundAdvice } from "./refund-advice";
import { miraklLines, parseEntries, toJson, type RefundEntry } from "./refund-lines";
import { priceRefundRequest } from "./refund-proposal";
import { shopTimeZone } from "../shops.server";

const log = logger.child({ module: "refunds" });

/** Refund requests a person may still act on (a mirrored back-office refund is never re-planned). */
const ACTIONABLE = ["OPEN", "FAILED"];

/**
 * The cancellation of this order that is waiting, being sent or was sent to Mirakl, if any (the newest wins). A
 * cancellation that became a Task, failed or was skipped (replaced, already cancelled) covers nothing: the refund's
 * own instructions apply again.
 */
export async function loadCancellationCovers(prisma: PrismaClient, orderLinkIds: ReadonlyArray<string>): Promise<Map<string, CancellationCover>> {
  const rows = await prisma.miraklAdjustment.findMany({
    where: { orderLinkId: { in: [...new Set(orderLinkIds)] }, status: { in: ["PENDING", "SENDING", "SENT"] } },
    orderBy: { createdAt: "desc" },
  });
  const covers = new Map<string, CancellationCover>();
  for (const row of rows) {
    if (covers.has(row.orderLinkId)) continue;
    const request = parseRequest(row);
    const lineIds = row.kind === "CANCEL_ORDER" ? null : [...new Set([...(request.plan?.lines ?? []), ...request.lines].map((l) => l.orderLineId))];
    covers.set(
      row.orderLinkId,
      row.status === "SENT"
        ? { state: "applied", at: row.updatedAt.toISOString(), orderLineIds: lineIds }
        : { state: "pending", at: row.status === "PENDING" ? (request.notBefore ?? null) : null, orderLineIds: lineIds },
    );
  }
  return covers;
}

export async function loadCancellationCover(prisma: PrismaClient, orderLinkId: string): Promise<CancellationCover | null> {
  return (await loadCancellationCovers(prisma, [orderLinkId])).get(orderLinkId) ?? null;
}

/** The CX task for a refund request, worded from the advice (one builder for every path that raises it). */
export function refundTaskFor({
  conn,
  link,
  rr,
  entries,
  advice,
  currency,
  error,
}: {
  conn: Pick<MarketplaceConnection, "id" | "name" | "shop">;
  link: Pick<OrderLink, "id" | "miraklOrderId" | "shopifyOrderId" | "shopifyOrderName">;
  rr: Pick<RefundRequest, "id" | "shopifyRefundId"> & { shopifyAmount: RefundRequest["shopifyAmount"] | number };
  entries: ReadonlyArray<RefundEntry>;
  advice: RefundAdvice;
  currency: string;
  error?: string;
}): RaiseTaskInput {
  const covered = new Set(advice.coveredLineIds);
  const notes = [
    ...(error ? [`Sending automatically failed: ${error}`] : []),
    ...(advice.coverNote ? [advice.coverNote] : []),
    ...miraklLines(entries).flatMap((l) => [l.capped, covered.has(l.orderLineId) ? null : l.blocked].filter((x): x is string => Boolean(x)).map((x) => `${l.offerSku}: ${x}`)),
    ...entries.flatMap((e) => (e.kind === "not_on_mirakl" ? [`${e.name}${e.sku ? ` (${e.sku})` : ""} is not on the Mirakl order, so Mirakl cannot refund it (${formatAmount(e.amount)}).`] : [])),
  ];
  const task = refundTask(conn, link, {
    refundRequestId: rr.id,
    shopifyRefundId: shopifyRefundNumericId(rr.shopifyRefundId),
    shopifyAmount: Number(rr.shopifyAmount ?? 0),
    miraklAmount: advice.sendable,
    currency,
    notes,
    nothingToSend: advice.action !== "send",
  });
  if (advice.action !== "wait_cancellation" && advice.action !== "covered") return task;
  // Cancelling on Mirakl refunds the customer and the commission by itself: say so, so nobody cancels by hand too.
  return {
    ...task,
    severity: "info",
    title: `${link.shopifyOrderName ?? "The Shopify order"}: no Mirakl refund needed, the cancellation takes care of it`,
    body: `${formatAmount(Number(rr.shopifyAmount ?? 0))} ${currency} was refunded in Shopify on ${link.shopifyOrderName ?? "the order"} (Mirakl order ${link.miraklOrderId}), which was cancelled too.\n${advice.todo} Do not cancel or refund it in the Mirakl back office as well. This task closes by itself once Mirakl has the cancellation.${notes.length > 1 ? `\n${notes.slice(1).join("\n")}` : ""}`,
  };
}

export function shopifyRefundNumericId(gid: string): string {
  return gid.split("/").pop() ?? gid;
}

/** Re-prices the lines not yet attempted on `order` (a fresh OR11), recording the state they were priced on. */
function reprice(entries: RefundEntry[], order: MiraklOrder): RefundEntry[] {
  const pending = miraklLines(entries).filter((e) => e.send === null);
  const priced = priceRefundRequest({ order, requested: pending.map((e) => e.request) });
  return entries.map((e) => {
    if (e.kind !== "mirakl_line" || e.send !== null) return e;
    const p = priced.find((x) => x.orderLineId === e.orderLineId);
    return p ? { ...e, ...p, kind: "mirakl_line" as const, send: null } : e;
  });
}

export type ReplanOutcome = { id: string; kind: "unchanged" | "replanned" | "covered" | "auto_send" };

/**
 * Brings the open refund requests of one order up to date: priced again on `order` when it is given and the plan
 * was made on another state of the order (it shipped: a refund proposal replaces "cancel the line"); then checked
 * against the order's cancellation. A request the applied cancellation fully covers is closed (NOT_NEEDED) with its
 * task; otherwise the task is worded again when something changed (or `force`), or, with autoSendRefunds and
 * something now sendable, the refund is queued to be sent.
 */
export async function replanOrderRefunds({
  services,
  orderLinkId,
  order,
  onlyId,
  force = false,
}: {
  services: Services;
  orderLinkId: string;
  order?: MiraklOrder;
  onlyId?: string;
  force?: boolean;
}): Promise<ReplanOutcome[]> {
  const prisma = services.prisma;
  const rows = await prisma.refundRequest.findMany({
    where: { orderLinkId, status: { in: ACTIONABLE }, shopifyRefundId: { startsWith: "gid://" }, ...(onlyId ? { id: onlyId } : {}) },
  });
  if (rows.length === 0) return [];
  const link = await prisma.orderLink.findUnique({ where: { id: orderLinkId }, include: { connection: true } });
  if (!link) return [];
  const conn = link.connection;
  // Task bodies and notes written below are read on the shop's screens: dates in its zone.
  const timeZone = await shopTimeZone(prisma, link.shop);
  const cover = await loadCancellationCover(prisma, orderLinkId);
  const out: ReplanOutcome[] = [];
  for (const rr of rows) {
    let entries = parseEntries(rr.lines);
    let replanned = false;
    if (order && planIsStale(entries, order)) {
      entries = reprice(entries, order);
      // Conditional on the row being as read: a send that claimed it meanwhile prices on its own fresh read.
      const saved = await prisma.refundRequest.updateMany({ where: { id: rr.id, status: rr.status, sendClaim: null }, data: { lines: toJson(entries) } });
      if (saved.count === 0) {
        out.push({ id: rr.id, kind: "unchanged" });
        continue;
      }
      replanned = true;
      log.info("refund re-planned on the latest Mirakl order", { shop: rr.shop, connectionId: conn.id, miraklOrderId: link.miraklOrderId, refundRequestId: rr.id, orderState: order.order_state });
    }
    const advice = refundAdvice({ status: rr.status, entries, cover, now: services.now(), timeZone });
    const taskKey = refundTaskKey(conn, shopifyRefundNumericId(rr.shopifyRefundId));
    if (advice.action === "covered") {
      const closed = await prisma.refundRequest.updateMany({ where: { id: rr.id, status: { in: ACTIONABLE } }, data: { status: "NOT_NEEDED", lastError: null, sendClaim: null } });
      if (closed.count === 1) {
        await services.tasks.resolve({ shop: rr.shop, dedupeKey: taskKey, by: "auto" });
        await recordEvent(prisma, { ...orderEntity(link), kind: "refund_covered_by_cancellation", level: "success", message: `No Mirakl refund needed for the Shopify refund of ${formatAmount(Number(rr.shopifyAmount ?? 0))}: the cancellation sent to Mirakl refunds the customer and returns the commission`, data: { refundRequestId: rr.id } });
      }
      out.push({ id: rr.id, kind: "covered" });
      continue;
    }
    if (advice.action === "send" && conn.autoSendRefunds && replanned) {
      await services.jobs.enqueueByName("adjustments.send-refund", { shop: rr.shop, connectionId: conn.id, refundRequestId: rr.id });
      out.push({ id: rr.id, kind: "auto_send" });
      continue;
    }
    if (replanned || force) {
      await services.tasks.raise(refundTaskFor({ conn, link, rr, entries, advice, currency: link.currency ?? conn.currency ?? "", error: rr.status === "FAILED" ? (rr.lastError ?? undefined) : undefined }));
    }
    out.push({ id: rr.id, kind: replanned ? "replanned" : "unchanged" });
  }
  return out;
}

/** Order polling saw the order change on Mirakl: re-plan its open refunds on what it just read (no extra OR11). */
export async function onOrderUpdateForRefunds(update: OrderUpdate): Promise<void> {
  const open = await update.services.prisma.refundRequest.count({ where: { orderLinkId: update.orderLink.id, status: { in: ACTIONABLE }, shopifyRefundId: { startsWith: "gid://" } } });
  if (open === 0) return;
  await replanOrderRefunds({ services: update.services, orderLinkId: update.orderLink.id, order: update.order });
}

/** A cancellation of the order moved on (sent, became a task, was dropped): the refunds of the order say so. */
export async function onCancellationSettled({ services, adjustmentId }: { services: Services; adjustmentId: string }): Promise<void> {
  const row = await services.prisma.miraklAdjustment.findUnique({ where: { id: adjustmentId }, select: { orderLinkId: true } });
  if (row) await replanOrderRefunds({ services, orderLinkId: row.orderLinkId, force: true });
}

/**
 * On opening a refund: if the order's last known state (the link's snapshot) differs from the one the plan was made
 * on, re-read the order (OR11) and re-plan before showing it. A Mirakl failure leaves the stored plan on screen with
 * a note, never an error page.
 */
export async function refreshRefundForView({ services, shop, id }: { services: Services; shop: string; id: string }): Promise<{ refreshed: boolean; warning: string | null }> {
  const rr = await services.prisma.refundRequest.findFirst({ where: { id, shop } });
  if (!rr || !ACTIONABLE.includes(rr.status) || !rr.shopifyRefundId.startsWith("gid://")) return { refreshed: false, warning: null };
  const link = await services.prisma.orderLink.findUnique({ where: { id: rr.orderLinkId }, include: { connection: true } });
  // The snapshot is the last OR11 payload order polling stored; one without lines (never read) counts as changed.
  const snapshot = link?.snapshot as Partial<Pick<MiraklOrder, "order_lines">> | null | undefined;
  if (!link || !planIsStale(parseEntries(rr.lines), { order_lines: Array.isArray(snapshot?.order_lines) ? snapshot.order_lines : [] })) return { refreshed: false, warning: null };
  try {
    const order = await readMiraklOrder(services, link.connection, link.miraklOrderId);
    const [res] = await replanOrderRefunds({ services, orderLinkId: link.id, order, onlyId: rr.id });
    return { refreshed: res !== undefined && res.kind !== "unchanged", warning: null };
  } catch (err) {
    log.warn("could not re-read the Mirakl order for a refund", { shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId, refundRequestId: rr.id, error: errorMessage(err) });
    return { refreshed: false, warning: `The order changed on Mirakl since this refund was prepared, and Mirakl could not be reached to check it again (${errorMessage(err)}). The amounts below may be out of date; they are checked again when you send.` };
  }
}
