import type { MiraklAdjustment, Prisma } from "@prisma/client";
import type { MiraklOrder } from "../../mirakl";
import type { Services } from "../../services.server";
import { errorMessage, isRetryable } from "../../lib/errors";
import { logger } from "../../lib/logger";
import { recordEvent } from "../timeline.server";
import {
  FINAL_STATUSES,
  claimAdjustment,
  parseRequest,
  updateClaimed,
  type AdjustmentRequest,
  type PlannedCancelLine,
} from "./adjustment-store.server";
import { cancelNotAllowedTask, editLockedTask, editNoPartialCancelTask, miraklRefusedTask, type ItemRef } from "./adjustment-tasks";
import { priceCancellation } from "./cancel-amounts";
import { orderEntity, pickCancelationReason, readMiraklOrder, type LinkWithConnection } from "./context.server";
import { CANCELLABLE_LINE_STATES, lineAmounts, orderTaxMode, sendLineTaxes } from "./line-amounts";
import { formatAmount } from "./money";
import { baselineIds, reconcileCancelations } from "./reconcile";

const log = logger.child({ module: "adjustments" });

export type SendAdjustmentOutcome =
  | { kind: "sent"; operation: "OR29" | "OR30"; ids: string[] }
  | { kind: "already_applied"; ids: string[] }
  | { kind: "task"; reason: string }
  | { kind: "refused"; message: string }
  | { kind: "skipped"; reason: string }
  | { kind: "waiting"; until: string }
  | { kind: "busy" }
  | { kind: "finished"; status: string };

/**
 * Sends one MiraklAdjustment (OR30 line cancelations or OR29 whole-order cancel) exactly once:
 * 1. claim the row (conditional UPDATE) so no other worker sends it at the same time;
 * 2. re-read the Mirakl order (OR11 by order_ids, notes §2.1) — decisions are never taken on a snapshot;
 * 3. if a previous attempt wrote its plan (its outcome is unknown: timeout, crash), reconcile: cancelations that
 *    are new since the recorded baseline and match the plan mean the write applied (notes §1.10, gotcha 16);
 * 4. otherwise price the cancelation from the Mirakl line and store the plan and baseline BEFORE sending;
 * 5. send; record the ids Mirakl returns. Mirakl refusals become a Task; transient failures are retried by the job.
 */
export async function sendAdjustment({ services, adjustmentId }: { services: Services; adjustmentId: string }): Promise<SendAdjustmentOutcome> {
  const prisma = services.prisma;
  const row = await prisma.miraklAdjustment.findUnique({ where: { id: adjustmentId } });
  if (!row) return { kind: "skipped", reason: "adjustment not found" };
  if (FINAL_STATUSES.has(row.status)) return { kind: "finished", status: row.status };
  const request = parseRequest(row);
  const now = services.now();
  if (row.status === "PENDING" && request.notBefore && new Date(request.notBefore).getTime() > now.getTime()) {
    return { kind: "waiting", until: request.notBefore };
  }
  const claim = await claimAdjustment(prisma, row.id, now);
  if (!claim) return { kind: "busy" };

  const link = await prisma.orderLink.findUnique({ where: { id: row.orderLinkId }, include: { connection: true } });
  if (!link) {
    await updateClaimed(prisma, row.id, claim, { status: "SKIPPED", result: { reason: "the order link no longer exists" } });
    return { kind: "skipped", reason: "order link deleted" };
  }
  const ctx = { shop: link.shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId, adjustmentId: row.id };
  try {
    const order = await readMiraklOrder(services, link.connection, link.miraklOrderId);
    return await sendClaimed({ services, row, request, claim, link, order });
  } catch (err) {
    if (isRetryable(err)) {
      // Keep SENDING once a plan exists: the write may be on Mirakl, and only a reconciling sender may touch it
      // (a replacement order must not turn it into SKIPPED meanwhile).
      const latest = await prisma.miraklAdjustment.findUnique({ where: { id: row.id }, select: { request: true } });
      const attempted = latest ? Boolean(parseRequest(latest).plan) : false;
      await updateClaimed(prisma, row.id, claim, { status: attempted ? "SENDING" : "PENDING", lastError: errorMessage(err), releaseClaim: true });
      log.warn("adjustment send failed, will retry", { ...ctx, error: errorMessage(err) });
      throw err;
    }
    const message = errorMessage(err);
    const what = row.kind === "CANCEL_ORDER" ? "the order cancellation" : "the line cancellation";
    await updateClaimed(prisma, row.id, claim, { status: "FAILED", lastError: message });
    await services.tasks.raise(miraklRefusedTask(link.connection, link, `adjustment-refused:${row.dedupeKey}`, what, message));
    await recordEvent(prisma, { ...orderEntity(link), kind: "adjustment_refused", level: "error", message: `Mirakl refused ${what}: ${message}`, data: { adjustmentId: row.id } });
    log.warn("adjustment refused by Mirakl", { ...ctx, error: message });
    return { kind: "refused", message };
  }
}

async function sendClaimed({
  services,
  row,
  request,
  claim,
  link,
  order,
}: {
  services: Services;
  row: MiraklAdjustment;
  request: AdjustmentRequest;
  claim: string;
  link: LinkWithConnection;
  order: MiraklOrder;
}): Promise<SendAdjustmentOutcome> {
  const prisma = services.prisma;
  const conn = link.connection;
  const mirakl = services.mirakl(conn);
  const finish = (status: "SENT" | "SKIPPED" | "TASK", result: Prisma.InputJsonValue, lastError: string | null = null) =>
    updateClaimed(prisma, row.id, claim, { status, result, lastError });

  // -- an earlier attempt may have applied: look before sending again ------------------------------------------
  let plan = request.plan ?? null;
  const alreadyApplied: Array<{ orderLineId: string; id: string }> = [];
  if (plan) {
    if (plan.kind === "CANCEL_ORDER") {
      if (order.order_state === "CANCELED") {
        await finish("SENT", { operation: "OR29", reconciled: true });
        await recordEvent(prisma, { ...orderEntity(link), kind: "mirakl_cancelled", level: "success", message: `Mirakl order ${link.miraklOrderId} is cancelled (an earlier OR29 had applied)` });
        return { kind: "already_applied", ids: [] };
      }
    } else {
      const rec = reconcileCancelations(order, plan.lines.map((l) => ({ ...l })));
      alreadyApplied.push(...rec.applied);
      if (rec.missing.length === 0) {
        await finish("SENT", { operation: "OR30", cancelations: rec.applied, reconciled: true });
        await recordEvent(prisma, { ...orderEntity(link), kind: "mirakl_lines_cancelled", level: "success", message: `Cancelation already on Mirakl (found ${rec.applied.map((a) => a.id).join(", ")} after an unanswered OR30); not sent again` });
        return { kind: "already_applied", ids: rec.applied.map((a) => a.id) };
      }
      const missing = new Set(rec.missing.map((m) => m.orderLineId));
      plan = { ...plan, lines: plan.lines.filter((l) => missing.has(l.orderLineId)) };
    }
  }

  // -- first attempt: decide and price from the order as Mirakl shows it now ------------------------------------
  if (!plan) {
    if (order.order_state === "CANCELED" || order.order_state === "REFUSED") {
      await finish("SKIPPED", { reason: `the Mirakl order is already ${order.order_state.toLowerCase()}` });
      return { kind: "skipped", reason: "already cancelled on Mirakl" };
    }
    const mode = orderTaxMode(order, conn.orderTaxMode);
    if (row.kind === "CANCEL_ORDER") {
      if (!order.can_cancel) return raiseNotCancellable({ services, row, request, link, order, finish });
      plan = { attemptedAt: services.now().toISOString(), kind: "CANCEL_ORDER", reasonCode: null, mode, sendTaxes: false, lines: [] };
    } else {
      const lines: PlannedCancelLine[] = [];
      for (const want of request.lines) {
        const raw = order.order_lines.find((l) => l.order_line_id === want.orderLineId);
        if (!raw || !CANCELLABLE_LINE_STATES.has(raw.order_line_state) || order.can_cancel === false) {
          return raiseNotCancellable({ services, row, request, link, order, finish });
        }
        const quantity = Math.min(want.quantity, raw.quantity);
        if (quantity <= 0) continue;
        const amounts = priceCancellation(lineAmounts(raw), quantity);
        lines.push({ ...amounts, offerSku: raw.offer_sku, baselineIds: baselineIds(order, raw.order_line_id, "cancelations") });
      }
      if (lines.length === 0) {
        await finish("SKIPPED", { reason: "Mirakl already shows these quantities" });
        return { kind: "skipped", reason: "nothing left to cancel" };
      }
      if (!conn.partialCancel) {
        const removed = lines.map((l) => ({ name: l.offerSku, sku: l.offerSku, quantity: l.quantity }));
        const reason = pickCancelationReason(conn, request.reasonHint);
        await services.tasks.raise(editNoPartialCancelTask(conn, link, request.shopifyEditId ?? row.dedupeKey, removed, reason?.label ?? null));
        await finish("TASK", { reason: "partial cancellation is not enabled on this marketplace" });
        return { kind: "task", reason: "no partial cancellation" };
      }
      const reason = pickCancelationReason(conn, request.reasonHint);
      if (!reason) {
        await services.tasks.raise(miraklRefusedTask(conn, link, `adjustment-refused:${row.dedupeKey}`, "a line cancellation", "the marketplace lists no CANCELATION reason your shop may use (RE01)"));
        await finish("TASK", { reason: "no usable CANCELATION reason in RE01" });
        return { kind: "task", reason: "no cancelation reason" };
      }
      plan = { attemptedAt: services.now().toISOString(), kind: "CANCEL_LINES", reasonCode: reason.code, mode, sendTaxes: sendLineTaxes(order, mode), lines };
    }
    // The plan (with the baseline of existing cancelation ids) is stored before the write, so whoever picks this
    // row up after an unknown outcome reconciles instead of sending a second cancelation.
    const stored = await updateClaimed(prisma, row.id, claim, { request: { ...request, plan } });
    if (!stored) return { kind: "busy" };
  }

  // -- send -------------------------------------------------------------------------------------------------------
  if (plan.kind === "CANCEL_ORDER") {
    await mirakl.cancelOrder({ orderId: link.miraklOrderId });
    await finish("SENT", { operation: "OR29" });
    await recordEvent(prisma, { ...orderEntity(link), kind: "mirakl_cancelled", level: "success", message: `Mirakl order ${link.miraklOrderId} cancelled (OR29) because ${request.shopifyOrderName ?? "the Shopify order"} was cancelled` });
    log.info("mirakl order cancelled", { shop: link.shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId });
    return { kind: "sent", operation: "OR29", ids: [] };
  }
  const res = await mirakl.cancelLines({
    orderTaxMode: plan.mode,
    cancelations: plan.lines.map((l) => ({
      orderLineId: l.orderLineId,
      reasonCode: plan.reasonCode ?? "",
      quantity: l.quantity,
      amount: l.amount,
      shippingAmount: l.shippingAmount,
      ...(plan.sendTaxes ? { taxes: l.taxes, shippingTaxes: l.shippingTaxes } : {}),
    })),
  });
  const created = [...alreadyApplied, ...res.cancelations.map((c) => ({ orderLineId: c.order_line_id, id: c.cancelation_id }))];
  await finish("SENT", { operation: "OR30", cancelations: created });
  const summary = plan.lines.map((l) => `${l.quantity} × ${l.offerSku} (${formatAmount(l.amount + l.shippingAmount)})`).join(", ");
  await recordEvent(prisma, {
    ...orderEntity(link),
    kind: "mirakl_lines_cancelled",
    level: "success",
    message: `Cancelled on Mirakl (OR30): ${summary}, after ${request.source === "edit" ? "an edit" : "a cancellation"} of ${request.shopifyOrderName ?? "the Shopify order"}`,
    data: { adjustmentId: row.id, cancelations: created },
  });
  log.info("mirakl lines cancelled", { shop: link.shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId, lines: plan.lines.length });
  return { kind: "sent", operation: "OR30", ids: created.map((c) => c.id) };
}

async function raiseNotCancellable({
  services,
  row,
  request,
  link,
  order,
  finish,
}: {
  services: Services;
  row: MiraklAdjustment;
  request: AdjustmentRequest;
  link: LinkWithConnection;
  order: MiraklOrder;
  finish: (status: "TASK", result: Prisma.InputJsonValue, lastError?: string | null) => Promise<boolean>;
}): Promise<SendAdjustmentOutcome> {
  const conn = link.connection;
  const shipped: ItemRef[] = order.order_lines
    .filter((l) => !CANCELLABLE_LINE_STATES.has(l.order_line_state) && l.order_line_state !== "REFUSED" && l.order_line_state !== "CANCELED")
    .map((l) => ({ name: l.product_title ?? l.offer_sku, sku: l.offer_sku, quantity: l.quantity }));
  if (request.source === "edit") {
    const removed = request.lines.map((l) => ({ name: l.offerSku, sku: l.offerSku, quantity: l.quantity }));
    await services.tasks.raise(editLockedTask(conn, link, request.shopifyEditId ?? row.dedupeKey, removed, `Mirakl no longer allows cancelling it (order ${order.order_state.toLowerCase()})`));
  } else {
    await services.tasks.raise(cancelNotAllowedTask(conn, link, request.shopifyOrderId, order.order_state, shipped));
  }
  await finish("TASK", { reason: `Mirakl does not allow the cancellation (order ${order.order_state}, can_cancel ${String(order.can_cancel)})` });
  await recordEvent(services.prisma, {
    ...orderEntity(link),
    kind: "adjustment_needs_person",
    level: "warning",
    message: `Mirakl no longer allows cancelling order ${link.miraklOrderId} (${order.order_state}); a task was raised`,
    data: { adjustmentId: row.id },
  });
  return { kind: "task", reason: "not cancellable on Mirakl" };
}
