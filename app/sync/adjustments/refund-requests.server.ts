import { randomUUID } from "node:crypto";
import type { RefundRequest } from "@prisma/client";
import type { Services } from "../../services.server";
import { asGid, getOrderRefundContext } from "../../shopify";
import { errorMessage, isRetryable } from "../../lib/errors";
import { logger } from "../../lib/logger";
import { recordEvent } from "../timeline.server";
import { STALE_CLAIM_MS } from "./adjustment-store.server";
import { refundFlagTaskKey, refundTaskKey } from "./adjustment-tasks";
import { findLinkByPreviousShopifyOrder, findLinkByShopifyOrder, loadSkuToOffer, orderEntity, pickRefundReason, readMiraklOrder, shopReasons, type LinkWithConnection } from "./context.server";
import { orderTaxMode } from "./line-amounts";
import { formatAmount, roundCents, sumAmounts } from "./money";
import { reconcileRefunds, baselineIds } from "./reconcile";
import { entriesFromProposal, miraklLines, parseEntries, toJson, type MiraklLineEntry, type RefundEntry } from "./refund-lines";
import { refundAdvice } from "./refund-advice";
import { shopTimeZone } from "../shops.server";
import { priceRefundRequest, requestFromShopifyRefund, sendableLines, summariseProposal, type ShopifyRefundFacts } from "./refund-proposal";
import { loadCancellationCover, refundTaskFor, shopifyRefundNumericId } from "./refund-replan.server";
import { orderGidFromId, refundGidFromPayload, refundPayloadSchema, type RefundPayload } from "./shopify-payloads";

const log = logger.child({ module: "refunds" });

/** Put in the note of every Shopify refund we create to mirror a Mirakl refund, so its refunds/create is ours. */
export const MIRROR_NOTE_MARKER = "[mirakl-refund:";

export { shopifyRefundNumericId };

export type RefundCreatedOutcome =
  | { kind: "ignored"; reason: string }
  | { kind: "task"; refundRequestId: string }
  | { kind: "auto_send"; refundRequestId: string }
  | { kind: "not_needed"; refundRequestId: string };

function factsFromPayload(p: RefundPayload, taxesIncluded: boolean): ShopifyRefundFacts {
  return {
    lines: p.refund_line_items.map((l) => ({
      lineItemId: l.line_item?.admin_graphql_api_id ?? `gid://shopify/LineItem/${l.line_item_id}`,
      sku: l.line_item?.sku ?? null,
      name: l.line_item?.name ?? l.line_item?.title ?? `Line ${l.line_item_id}`,
      quantity: l.quantity,
      subtotal: l.subtotal_set?.shop_money.amount ?? l.subtotal ?? 0,
      tax: l.total_tax_set?.shop_money.amount ?? l.total_tax ?? 0,
    })),
    shipping: {
      subtotal: sumAmounts(p.refund_shipping_lines.map((s) => s.subtotal_amount_set?.shop_money.amount ?? 0)),
      tax: sumAmounts(p.refund_shipping_lines.map((s) => s.tax_amount_set?.shop_money.amount ?? 0)),
    },
    transactionsTotal: sumAmounts(p.transactions.filter((t) => (t.kind ?? "refund").toLowerCase() === "refund" && (t.status ?? "success").toLowerCase() === "success").map((t) => t.amount ?? 0)),
    taxesIncluded,
  };
}

/**
 * refunds/create on an imported order. A Shopify refund does not refund the marketplace (seeds/003): the customer's
 * marketplace payment and the operator's commission stay put until Mirakl refunds too (OR28). We prepare that refund
 * from the Mirakl line (per-unit amount and tax pro rata, shipping spread over the lines, capped at what Mirakl still
 * allows) and either raise a Task for CX to review and send, or, with the connection's autoSendRefunds, queue it to
 * be sent at once. Idempotent by the Shopify refund id (RefundRequest.shopifyRefundId is unique).
 */
export async function handleRefundCreated({ services, shop, payload }: { services: Services; shop: string; payload: unknown }): Promise<RefundCreatedOutcome> {
  const parsed = refundPayloadSchema.safeParse(payload);
  if (!parsed.success) return { kind: "ignored", reason: "unreadable refunds/create payload" };
  const p = parsed.data;
  if (p.note?.includes(MIRROR_NOTE_MARKER)) return { kind: "ignored", reason: "our own record of a refund made on Mirakl" };
  const prisma = services.prisma;
  const orderGid = orderGidFromId(p.order_id);
  const refundGid = refundGidFromPayload(p);
  let link: LinkWithConnection | null = await findLinkByShopifyOrder(prisma, shop, orderGid);
  if (!link) {
    const previous = await findLinkByPreviousShopifyOrder(prisma, shop, orderGid);
    link = previous ? await prisma.orderLink.findUnique({ where: { id: previous.id }, include: { connection: true } }) : null;
  }
  if (!link) return { kind: "ignored", reason: "not an imported Mirakl order" };
  if (await prisma.refundRequest.findUnique({ where: { shopifyRefundId: refundGid } })) return { kind: "ignored", reason: "refund already recorded" };

  const conn = link.connection;
  const client = await services.shopifyAdmin(shop);
  const money = await getOrderRefundContext({ client, id: asGid(orderGid, "Order") });
  const order = await readMiraklOrder(services, conn, link.miraklOrderId);
  const { toOffer } = await loadSkuToOffer(prisma, conn.id);
  const mode = orderTaxMode(order, conn.orderTaxMode);
  const facts = factsFromPayload(p, money?.taxesIncluded ?? mode === "TAX_INCLUDED");
  const requested = requestFromShopifyRefund({ order, refund: facts, skuToOffer: toOffer, mode });
  const priced = priceRefundRequest({ order, requested: requested.lines });
  const summary = summariseProposal(priced, requested.unmatched, requested.shopifyTotal);
  const shopifyAmount = facts.transactionsTotal > 0 ? facts.transactionsTotal : summary.totals.shopify;
  const currency = order.currency_iso_code ?? money?.currencyCode ?? conn.currency ?? "";
  const sendable = sendableLines(priced);
  const notNeeded = priced.length === 0;
  const auto = conn.autoSendRefunds && sendable.length > 0;
  const reason = auto ? pickRefundReason(conn, p.refund_line_items.some((l) => (l.restock_type ?? "").toLowerCase() === "return") ? "return" : "other") : null;

  const id = randomUUID();
  const entries = entriesFromProposal(priced, requested.unmatched);
  // A cancellation of this order already waiting or sent refunds the customer on Mirakl by itself (orders/cancelled
  // with a refund sends both webhooks): the refund must say so rather than ask CX to cancel the lines by hand.
  // The zone is read first: the cover must be read as late as possible (a cancellation may be landing now).
  const timeZone = await shopTimeZone(prisma, shop);
  const cover = await loadCancellationCover(prisma, link.id);
  const advice = refundAdvice({ status: "OPEN", entries, cover, now: services.now(), timeZone });
  const covered = !notNeeded && !auto && advice.action === "covered";
  const inserted = await prisma.refundRequest.createMany({
    data: [
      {
        id,
        orderLinkId: link.id,
        connectionId: conn.id,
        shop,
        shopifyRefundId: refundGid,
        status: notNeeded || covered ? "NOT_NEEDED" : "OPEN",
        lines: toJson(entries),
        shopifyAmount: roundCents(shopifyAmount),
        reasonCode: reason?.code ?? null,
      },
    ],
    skipDuplicates: true,
  });
  if (inserted.count === 0) return { kind: "ignored", reason: "refund already recorded" };
  const entity = orderEntity(link);
  if (notNeeded) {
    await recordEvent(prisma, { ...entity, kind: "refund_not_on_mirakl", message: `Refund of ${formatAmount(shopifyAmount)} ${currency} in Shopify covers only items that are not on the Mirakl order; nothing to refund on Mirakl`, data: { refundRequestId: id } });
    return { kind: "not_needed", refundRequestId: id };
  }
  if (covered) {
    await recordEvent(prisma, { ...entity, kind: "refund_covered_by_cancellation", level: "success", message: `Refund of ${formatAmount(shopifyAmount)} ${currency} made in Shopify; no Mirakl refund needed: ${advice.todo}`, data: { refundRequestId: id } });
    return { kind: "not_needed", refundRequestId: id };
  }
  await recordEvent(prisma, {
    ...entity,
    kind: "refund_received",
    level: summary.notes.length > 0 ? "warning" : "info",
    message: `Refund of ${formatAmount(shopifyAmount)} ${currency} made in Shopify; Mirakl would refund ${formatAmount(summary.totals.sendable)} ${currency}${auto ? " (sending automatically)" : " (waiting for CX)"}`,
    data: { refundRequestId: id, notes: summary.notes },
  });
  if (auto) {
    await services.jobs.enqueueByName("adjustments.send-refund", { shop, connectionId: conn.id, refundRequestId: id });
    return { kind: "auto_send", refundRequestId: id };
  }
  await services.tasks.raise(refundTaskFor({ conn, link, rr: { id, shopifyRefundId: refundGid, shopifyAmount: roundCents(shopifyAmount) }, entries, advice, currency }));
  log.info("mirakl refund task raised", { shop, connectionId: conn.id, miraklOrderId: link.miraklOrderId, refundRequestId: id });
  return { kind: "task", refundRequestId: id };
}

export type SendRefundOutcome =
  | { kind: "sent"; refundIds: string[] }
  | { kind: "already_applied"; refundIds: string[] }
  | { kind: "pending"; message: string }
  | { kind: "refused"; message: string }
  | { kind: "nothing_to_send"; reason: string }
  | { kind: "not_allowed"; reason: string }
  | { kind: "invalid"; message: string }
  | { kind: "busy" };

/**
 * Sends a RefundRequest to Mirakl (OR28) once, whoever asks (CX's button, the auto-send job, a retry):
 * claim (conditional UPDATE to SENDING with a token) → re-read the Mirakl order → if an earlier attempt stored its
 * `send` amounts, reconcile first (a refund new since the stored baseline with the same money means the earlier
 * OR28 applied; notes §1.10, gotcha 16) → otherwise re-price on the fresh order, store amounts and baseline, send.
 * `interactive` (the CX screen) turns an unknown outcome into "we'll check" plus a queued retry; `job` rethrows it
 * so the job runner retries.
 */
export async function sendRefundRequest({
  services,
  shop,
  refundRequestId,
  reasonCode,
  mode,
  by = "auto",
}: {
  services: Services;
  shop: string;
  refundRequestId: string;
  reasonCode?: string;
  mode: "interactive" | "job";
  by?: string;
}): Promise<SendRefundOutcome> {
  const prisma = services.prisma;
  const rr = await prisma.refundRequest.findFirst({ where: { id: refundRequestId, shop } });
  if (!rr) return { kind: "invalid", message: "This refund does not exist." };
  if (rr.status === "SENT" || rr.status === "DONE_IN_PORTAL" || rr.status === "NOT_NEEDED") return { kind: "not_allowed", reason: `This refund is already ${statusLabel(rr.status).toLowerCase()}.` };
  const link = await prisma.orderLink.findUnique({ where: { id: rr.orderLinkId }, include: { connection: true } });
  if (!link) return { kind: "invalid", message: "The Mirakl order of this refund no longer exists." };
  const conn = link.connection;
  const reasons = shopReasons(conn, "REFUND");
  const reason = reasonCode ?? rr.reasonCode ?? (mode === "job" && conn.autoSendRefunds ? pickRefundReason(conn, "other")?.code : undefined);
  if (!reason || !reasons.some((r) => r.code === reason)) {
    const message = reasons.length === 0 ? "The marketplace lists no refund reason your shop may use: refund in the Mirakl back office." : "Choose a refund reason from the marketplace's list.";
    // Sending automatically needs a reason; without one, CX takes over.
    if (mode === "job") await raiseRefundTask({ services, rr, link, error: message });
    return { kind: "invalid", message };
  }

  const claim = randomUUID();
  const stale = new Date(services.now().getTime() - STALE_CLAIM_MS);
  const claimed = await prisma.refundRequest.updateMany({
    where: { id: rr.id, OR: [{ status: { in: ["OPEN", "FAILED"] } }, { status: "SENDING", sendClaim: null }, { status: "SENDING", updatedAt: { lt: stale } }] },
    data: { status: "SENDING", sendClaim: claim, reasonCode: reason },
  });
  if (claimed.count === 0) return { kind: "busy" };
  const ctx = { shop, connectionId: conn.id, miraklOrderId: link.miraklOrderId, refundRequestId: rr.id };
  const update = (data: Parameters<typeof prisma.refundRequest.updateMany>[0]["data"]) => prisma.refundRequest.updateMany({ where: { id: rr.id, sendClaim: claim }, data });

  let entries = parseEntries(rr.lines);
  try {
    const order = await readMiraklOrder(services, conn, link.miraklOrderId);
    const tried = miraklLines(entries).filter((e) => e.send !== null);
    const applied: Array<{ orderLineId: string; id: string }> = [];
    let toSend: MiraklLineEntry[];
    if (tried.length > 0) {
      const rec = reconcileRefunds(
        order,
        tried.map((e) => ({ orderLineId: e.orderLineId, amount: e.send!.amount, shippingAmount: e.send!.shippingAmount, quantity: e.send!.quantity, baselineIds: e.send!.baselineIds })),
      );
      applied.push(...rec.applied);
      const missing = new Set(rec.missing.map((m) => m.orderLineId));
      toSend = tried.filter((e) => missing.has(e.orderLineId));
      if (toSend.length === 0) {
        await finishSent({ services, rr, link, claim, ids: applied.map((a) => a.id), by, reconciled: true });
        log.info("refund found on Mirakl after an unanswered OR28; not sent again", ctx);
        return { kind: "already_applied", refundIds: applied.map((a) => a.id) };
      }
    } else {
      const priced = priceRefundRequest({ order, requested: miraklLines(entries).map((e) => e.request) });
      const sendable = new Set(sendableLines(priced).map((l) => l.orderLineId));
      entries = entries.map((e) => {
        if (e.kind !== "mirakl_line") return e;
        const p = priced.find((x) => x.orderLineId === e.orderLineId);
        if (!p) return e;
        const send = sendable.has(p.orderLineId)
          ? { amount: p.amount, shippingAmount: p.shippingAmount, quantity: p.quantity, taxes: p.taxes, shippingTaxes: p.shippingTaxes, baselineIds: baselineIds(order, p.orderLineId, "refunds") }
          : null;
        return { ...e, ...p, kind: "mirakl_line", send };
      });
      toSend = miraklLines(entries).filter((e) => e.send !== null);
      if (toSend.length === 0) {
        const why = miraklLines(entries).map((e) => e.blocked ?? e.capped).filter(Boolean).join(" ") || "Mirakl allows nothing more on these lines.";
        await update({ status: "OPEN", sendClaim: null, lines: toJson(entries), lastError: why });
        if (mode === "job") await raiseRefundTask({ services, rr: { ...rr, lines: toJson(entries) as never }, link });
        return { kind: "nothing_to_send", reason: why };
      }
      // Stored before the write: whoever retries after an unknown outcome reconciles against this baseline.
      const stored = await update({ lines: toJson(entries) });
      if (stored.count === 0) return { kind: "busy" };
    }

    const res = await services.mirakl(conn).refund({
      orderTaxMode: orderTaxMode(order, conn.orderTaxMode),
      refunds: toSend.map((e) => ({
        orderLineId: e.orderLineId,
        reasonCode: reason,
        amount: e.send!.amount,
        shippingAmount: e.send!.shippingAmount,
        quantity: e.send!.quantity,
        taxes: e.send!.taxes,
        shippingTaxes: e.send!.shippingTaxes,
      })),
    });
    const ids = [...applied.map((a) => a.id), ...res.refunds.map((r) => r.refund_id)];
    await finishSent({ services, rr, link, claim, ids, by, reconciled: false });
    log.info("refund sent to Mirakl", { ...ctx, refundIds: ids });
    return { kind: "sent", refundIds: ids };
  } catch (err) {
    const message = errorMessage(err);
    if (isRetryable(err)) {
      // Unknown outcome: the stored `send` amounts and baseline stay, so the next attempt reconciles first.
      await update({ status: "SENDING", sendClaim: null, lastError: message });
      log.warn("refund send outcome unknown, will check Mirakl and retry", { ...ctx, error: message });
      if (mode === "job") throw err;
      await services.jobs.enqueueByName("adjustments.send-refund", { shop, connectionId: conn.id, refundRequestId: rr.id }, { delaySeconds: 30 });
      return { kind: "pending", message: "Mirakl did not answer in time. We will check the order on Mirakl and finish the refund without sending it twice." };
    }
    // Refused (4xx): nothing was applied, so the stored amounts are dropped and the next try is priced afresh.
    const cleared = entries.map((e) => (e.kind === "mirakl_line" ? { ...e, send: null } : e));
    await update({ status: "FAILED", sendClaim: null, lastError: message, lines: toJson(cleared) });
    await recordEvent(prisma, { ...orderEntity(link), kind: "refund_refused", level: "error", message: `Mirakl refused the refund: ${message}`, data: { refundRequestId: rr.id } });
    if (mode === "job") await raiseRefundTask({ services, rr: { ...rr, lines: toJson(cleared) as never }, link, error: message });
    return { kind: "refused", message };
  }
}

async function finishSent({ services, rr, link, claim, ids, by, reconciled }: { services: Services; rr: RefundRequest; link: LinkWithConnection; claim: string; ids: string[]; by: string; reconciled: boolean }): Promise<void> {
  const prisma = services.prisma;
  await prisma.refundRequest.updateMany({
    where: { id: rr.id, sendClaim: claim },
    data: { status: "SENT", miraklRefundIds: ids, sentAt: services.now(), sendClaim: null, lastError: null },
  });
  await services.tasks.resolve({ shop: rr.shop, dedupeKey: refundTaskKey(link.connection, shopifyRefundNumericId(rr.shopifyRefundId)), by });
  await services.tasks.resolve({ shop: rr.shop, dedupeKey: refundFlagTaskKey(link.connection, link.miraklOrderId), by });
  await recordEvent(prisma, {
    ...orderEntity(link),
    kind: "refund_sent",
    level: "success",
    message: `Refund sent to Mirakl (OR28): refund ${ids.join(", ")}${reconciled ? " (found on Mirakl after an unanswered request; not sent twice)" : ""}`,
    data: { refundRequestId: rr.id, miraklRefundIds: ids },
  });
}

async function raiseRefundTask({ services, rr, link, error }: { services: Services; rr: RefundRequest; link: LinkWithConnection; error?: string }): Promise<void> {
  const entries = parseEntries(rr.lines);
  const timeZone = await shopTimeZone(services.prisma, rr.shop);
  const cover = await loadCancellationCover(services.prisma, link.id);
  const advice = refundAdvice({ status: "OPEN", entries, cover, now: services.now(), timeZone });
  await services.tasks.raise(refundTaskFor({ conn: link.connection, link, rr, entries, advice, currency: link.connection.currency ?? "", error }));
}

/** CX refunded in the Mirakl back office instead: the task closes, nothing is sent. */
export async function markRefundDoneInPortal({ services, shop, refundRequestId, by = "user" }: { services: Services; shop: string; refundRequestId: string; by?: string }): Promise<{ kind: "done" } | { kind: "not_allowed"; reason: string }> {
  const prisma = services.prisma;
  const rr = await prisma.refundRequest.findFirst({ where: { id: refundRequestId, shop } });
  if (!rr) return { kind: "not_allowed", reason: "This refund does not exist." };
  // Not while SENDING: an OR28 whose outcome is unknown may be on Mirakl, and a second refund in the back office would double it.
  const res = await prisma.refundRequest.updateMany({ where: { id: rr.id, status: { in: ["OPEN", "FAILED"] } }, data: { status: "DONE_IN_PORTAL", sendClaim: null, lastError: null } });
  if (res.count === 0) {
    return { kind: "not_allowed", reason: rr.status === "SENDING" ? "A refund to Mirakl is being sent or checked; wait for it to finish." : `This refund is already ${statusLabel(rr.status).toLowerCase()}.` };
  }
  const link = await prisma.orderLink.findUnique({ where: { id: rr.orderLinkId }, include: { connection: true } });
  if (link) {
    await services.tasks.resolve({ shop, dedupeKey: refundTaskKey(link.connection, shopifyRefundNumericId(rr.shopifyRefundId)), by });
    await services.tasks.resolve({ shop, dedupeKey: refundFlagTaskKey(link.connection, link.miraklOrderId), by });
    await recordEvent(prisma, { ...orderEntity(link), kind: "refund_done_in_portal", level: "success", message: `Refund marked as done in the Mirakl back office by ${by}`, data: { refundRequestId: rr.id } });
  }
  return { kind: "done" };
}

export function statusLabel(status: string): string {
  switch (status) {
    case "OPEN":
      return "To send";
    case "SENDING":
      return "Sending";
    case "SENT":
      return "Sent";
    case "DONE_IN_PORTAL":
      return "Done in the Mirakl portal";
    case "FAILED":
      return "Refused by Mirakl";
    case "NOT_NEEDED":
      return "Nothing to refund on Mirakl";
    default:
      return status;
  }
}

export type { RefundEntry };
