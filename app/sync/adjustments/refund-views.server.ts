import type { Services } from "../../services.server";
import { shopReasons, shopifyOrderAdminUrl } from "./context.server";
import { roundCents, sumAmounts, taxTotal } from "./money";
import { miraklLines, parseEntries, type RefundEntry } from "./refund-lines";
import { miraklStateLabel } from "../orders/order-views";
import { refundAdvice } from "./refund-advice";
import { shopTimeZone } from "../shops.server";
import { loadCancellationCover, loadCancellationCovers } from "./refund-replan.server";
import { REFUND_FILTER_STATUSES, type RefundFilter } from "./refund-filters";

/** What the CX screens show of refund requests (serialisable; no Mirakl or Shopify call). */
function isMirror(entries: RefundEntry[]): boolean {
  return entries.some((e) => e.kind === "mirakl_portal");
}

function proposedTotal(entries: RefundEntry[]): number {
  const lines = miraklLines(entries).filter((l) => !l.blocked);
  const portal = entries.filter((e) => e.kind === "mirakl_portal").flatMap((e) => (e.kind === "mirakl_portal" ? [e.amount, e.shippingAmount] : []));
  return sumAmounts([...lines.flatMap((l) => [l.send?.amount ?? l.amount, l.send?.shippingAmount ?? l.shippingAmount]), ...portal]);
}

export async function listRefundRequests({ services, shop, filter, orderLinkId }: { services: Services; shop: string; filter: RefundFilter; orderLinkId?: string | null }) {
  const statuses = REFUND_FILTER_STATUSES[filter];
  const rows = await services.prisma.refundRequest.findMany({
    where: { shop, ...(statuses ? { status: { in: statuses } } : {}), ...(orderLinkId ? { orderLinkId } : {}) },
    orderBy: { createdAt: "desc" },
    take: 200,
  });
  const links = await services.prisma.orderLink.findMany({ where: { id: { in: [...new Set(rows.map((r) => r.orderLinkId))] } }, include: { connection: { select: { name: true } } } });
  const byId = new Map(links.map((l) => [l.id, l]));
  const covers = await loadCancellationCovers(services.prisma, rows.map((r) => r.orderLinkId));
  const now = services.now();
  return rows.map((r) => {
    const entries = parseEntries(r.lines);
    const link = byId.get(r.orderLinkId);
    // What the person must do ("Ready to send", "Needs action in Mirakl", …), never the stored status itself.
    const advice = refundAdvice({ status: r.status, entries, cover: covers.get(r.orderLinkId) ?? null, now });
    return {
      id: r.id,
      status: r.status,
      statusLabel: advice.label,
      statusTone: advice.tone,
      orderLinkId: r.orderLinkId,
      origin: isMirror(entries) ? ("MIRAKL_PORTAL" as const) : ("SHOPIFY" as const),
      createdAt: r.createdAt.toISOString(),
      orderName: link?.shopifyOrderName ?? null,
      miraklOrderId: link?.miraklOrderId ?? null,
      marketplace: link?.connection.name ?? null,
      currency: link?.currency ?? null,
      shopifyAmount: r.shopifyAmount === null ? null : Number(r.shopifyAmount),
      miraklAmount: proposedTotal(entries),
      lastError: r.lastError,
    };
  });
}

export type RefundListRow = Awaited<ReturnType<typeof listRefundRequests>>[number];

export async function refundView({ services, shop, id }: { services: Services; shop: string; id: string }) {
  const rr = await services.prisma.refundRequest.findFirst({ where: { id, shop } });
  if (!rr) return null;
  const link = await services.prisma.orderLink.findUnique({ where: { id: rr.orderLinkId }, include: { connection: true } });
  if (!link) return null;
  const entries = parseEntries(rr.lines);
  const advice = refundAdvice({ status: rr.status, entries, cover: await loadCancellationCover(services.prisma, link.id), now: services.now(), timeZone: await shopTimeZone(services.prisma, shop) });
  const covered = new Set(advice.coveredLineIds);
  const rows = entries.map((e) => {
    if (e.kind === "mirakl_line") {
      const amount = e.send?.amount ?? e.amount;
      const shipping = e.send?.shippingAmount ?? e.shippingAmount;
      return {
        kind: e.kind,
        key: e.orderLineId,
        label: e.request.shopify.names.join(", ") || e.offerSku,
        offerSku: e.offerSku,
        orderLineId: e.orderLineId,
        shopify: { quantity: e.request.shopify.quantity, amount: e.request.shopify.amount, shipping: e.request.shopify.shipping },
        mirakl: {
          quantity: e.send?.quantity ?? e.quantity,
          amount,
          shippingAmount: shipping,
          taxes: taxTotal(e.send?.taxes ?? e.taxes),
          shippingTaxes: taxTotal(e.send?.shippingTaxes ?? e.shippingTaxes),
          total: roundCents(amount + shipping),
        },
        allowed: e.allowed,
        capped: e.capped,
        // The cancellation refunds these lines on Mirakl: "cancel the line by hand" would be the wrong instruction.
        blocked: covered.has(e.orderLineId) ? null : e.blocked,
        coveredBy: covered.has(e.orderLineId) ? advice.coverNote : null,
      };
    }
    if (e.kind === "not_on_mirakl") {
      return {
        kind: e.kind,
        key: e.lineItemId,
        label: e.name,
        offerSku: e.sku ?? "",
        orderLineId: null,
        shopify: { quantity: e.quantity, amount: e.amount, shipping: 0 },
        mirakl: null,
        allowed: null,
        capped: null,
        blocked: "Not on the Mirakl order: Mirakl cannot refund it.",
        coveredBy: null,
      };
    }
    return {
      kind: e.kind,
      key: e.miraklRefundId,
      label: `${e.offerSku} (Mirakl refund ${e.miraklRefundId})`,
      offerSku: e.offerSku,
      orderLineId: e.orderLineId,
      shopify: null,
      mirakl: { quantity: e.quantity, amount: e.amount, shippingAmount: e.shippingAmount, taxes: 0, shippingTaxes: 0, total: roundCents(e.amount + e.shippingAmount) },
      allowed: null,
      capped: null,
      blocked: null,
      coveredBy: null,
    };
  });
  const mirror = isMirror(entries);
  // Blocked lines are re-checked against Mirakl on every send (an order that has shipped since can be refunded),
  // so the button stays available while any Mirakl line is in the request; the answer says why when nothing goes.
  const sendable = miraklLines(entries).length > 0;
  const open = rr.status === "OPEN" || rr.status === "FAILED";
  return {
    id: rr.id,
    status: rr.status,
    statusLabel: advice.label,
    statusTone: advice.tone,
    todo: advice.todo,
    action: advice.action,
    origin: mirror ? ("MIRAKL_PORTAL" as const) : ("SHOPIFY" as const),
    createdAt: rr.createdAt.toISOString(),
    sentAt: rr.sentAt?.toISOString() ?? null,
    lastError: rr.lastError,
    reasonCode: rr.reasonCode,
    miraklRefundIds: rr.miraklRefundIds,
    shopifyRefundId: rr.shopifyRefundId,
    shopifyAmount: rr.shopifyAmount === null ? null : Number(rr.shopifyAmount),
    miraklTotal: proposedTotal(entries),
    currency: link.currency ?? link.connection.currency ?? null,
    order: {
      linkId: link.id,
      miraklOrderId: link.miraklOrderId,
      shopifyOrderName: link.shopifyOrderName,
      shopifyOrderUrl: link.shopifyOrderId ? shopifyOrderAdminUrl(shop, link.shopifyOrderId) : null,
      marketplace: link.connection.name,
      miraklState: link.miraklState,
      miraklStateLabel: miraklStateLabel(link.miraklState),
    },
    rows,
    reasons: shopReasons(link.connection, "REFUND"),
    canSend: !mirror && open && sendable && advice.action !== "wait_cancellation",
    canMarkDone: !mirror && open,
  };
}

export type RefundView = NonNullable<Awaited<ReturnType<typeof refundView>>>;
