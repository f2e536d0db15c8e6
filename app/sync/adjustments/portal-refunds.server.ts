import type { RefundRequest } from "@prisma/client";
import type { MiraklOrderLine, MiraklRefund } from "../../mirakl";
import type { Services } from "../../services.server";
import { asGid, createRefund, deriveIdempotencyKey, getOrder, getOrderRefundContext } from "../../shopify";
import { NotFoundError, errorMessage, isRetryable } from "../../lib/errors";
import { logger } from "../../lib/logger";
import type { OrderUpdate } from "../order-events.server";
import { recordEvent } from "../timeline.server";
import { STALE_CLAIM_MS } from "./adjustment-store.server";
import { portalRefundNotMirroredTask, portalRefundTaskKey, refundFlagTaskKey, refundTaskKey } from "./adjustment-tasks";
import { MIRAKL_METAFIELD, loadSkuToOffer, orderEntity, readMiraklOrder } from "./context.server";
import { orderTaxMode } from "./line-amounts";
import { formatAmount, roundCents, sumAmounts, toCents } from "./money";
import { MIRROR_NOTE_MARKER, shopifyRefundNumericId } from "./refund-requests.server";
import { miraklLines, parseEntries, toJson, type PortalEntry } from "./refund-lines";

const log = logger.child({ module: "refunds" });

export type PortalRefundOutcome = { mirrored: string[]; attributed: string[]; skipped: string[]; failed: string[] };

function isMirror(r: Pick<RefundRequest, "lines">): boolean {
  return parseEntries(r.lines).some((e) => e.kind === "mirakl_portal");
}

/**
 * onMiraklOrderUpdated listener: refunds that appear on a Mirakl order without coming from us (made by CX or the
 * operator in the Mirakl back office) are recorded on the Shopify order too, so Shopify's figures match what the
 * customer got back. Before mirroring, a new Mirakl refund is matched with our own refund requests on that line:
 * one being sent (its sender reconciles it), or one CX still has to handle (then it was done in the back office:
 * the request closes instead of Shopify being refunded a second time).
 * Each mirror is a Shopify refundCreate whose idempotency key derives from the Mirakl refund id (notes §4.2), with
 * its input stored first, so a retry replays the same request and never refunds twice; it never asks for more than
 * the Shopify order can still refund.
 */
export async function mirrorPortalRefunds(update: OrderUpdate): Promise<PortalRefundOutcome> {
  const { services, connection, orderLink, order } = update;
  const out: PortalRefundOutcome = { mirrored: [], attributed: [], skipped: [], failed: [] };
  if (orderLink.importStatus !== "IMPORTED" || !orderLink.shopifyOrderId) return out;
  const found = order.order_lines.flatMap((line) => line.refunds.filter((r) => typeof r.id === "string" && r.id !== "").map((refund) => ({ line, refund })));
  if (found.length === 0) return out;
  const prisma = services.prisma;
  const requests = await prisma.refundRequest.findMany({ where: { orderLinkId: orderLink.id }, orderBy: { createdAt: "asc" } });
  const stale = services.now().getTime() - STALE_CLAIM_MS;
  // A mirror still SENDING and stale (its worker died) is retried; every other recorded id is known.
  const known = new Set(requests.filter((r) => !(isMirror(r) && r.status === "SENDING" && r.updatedAt.getTime() < stale)).flatMap((r) => r.miraklRefundIds));
  const unknown = found.filter((f) => !known.has(f.refund.id as string)).sort((a, b) => String(a.refund.created_date ?? "").localeCompare(String(b.refund.created_date ?? "")));
  for (const { line, refund } of unknown) {
    const id = refund.id as string;
    const covering = requests.filter((r) => !isMirror(r) && miraklLines(parseEntries(r.lines)).some((e) => e.orderLineId === line.order_line_id));
    if (covering.some((r) => r.status === "SENDING")) {
      out.skipped.push(id);
      continue;
    }
    const attributed = await attribute({ services, update, covering, line, refund });
    if (attributed) {
      out.attributed.push(id);
      continue;
    }
    const result = await mirror({ services, update, line, refund });
    if (result === "mirrored") out.mirrored.push(id);
    else if (result === "failed") out.failed.push(id);
    else out.skipped.push(id);
  }
  if (out.mirrored.length + out.attributed.length + out.failed.length > 0) {
    log.info("mirakl refunds from the back office handled", { shop: connection.shop, connectionId: connection.id, miraklOrderId: orderLink.miraklOrderId, ...out });
  }
  return out;
}

/** A refund CX had to make (OPEN/FAILED), or marked done, on this line: the back-office refund is that one. */
async function attribute({ services, update, covering, line, refund }: { services: Services; update: OrderUpdate; covering: RefundRequest[]; line: MiraklOrderLine; refund: MiraklRefund }): Promise<boolean> {
  const prisma = services.prisma;
  const { connection, orderLink } = update;
  const id = refund.id as string;
  for (const r of covering) {
    if (r.status === "OPEN" || r.status === "FAILED") {
      const res = await prisma.refundRequest.updateMany({ where: { id: r.id, status: { in: ["OPEN", "FAILED"] } }, data: { status: "DONE_IN_PORTAL", miraklRefundIds: { push: id }, lastError: null } });
      if (res.count === 0) continue;
      await services.tasks.resolve({ shop: r.shop, dedupeKey: refundTaskKey(connection, shopifyRefundNumericId(r.shopifyRefundId)), by: "mirakl" });
      await services.tasks.resolve({ shop: r.shop, dedupeKey: refundFlagTaskKey(connection, orderLink.miraklOrderId), by: "mirakl" });
      await recordEvent(prisma, { ...orderEntity(orderLink), kind: "refund_done_in_portal", level: "success", message: `Mirakl refund ${id} (${formatAmount((refund.amount ?? 0) + (refund.shipping_amount ?? 0))}) was made in the back office for the Shopify refund waiting to be sent; nothing else to send`, data: { refundRequestId: r.id, miraklRefundId: id } });
      return true;
    }
    if (r.status === "DONE_IN_PORTAL") {
      // Room left on this line in what CX said was refunded in the back office.
      const proposed = miraklLines(parseEntries(r.lines))
        .filter((e) => e.orderLineId === line.order_line_id)
        .reduce((s, e) => s + toCents(e.amount) + toCents(e.shippingAmount), 0);
      const already = line.refunds.filter((x) => x.id && r.miraklRefundIds.includes(x.id)).reduce((s, x) => s + toCents(x.amount ?? 0) + toCents(x.shipping_amount ?? 0), 0);
      if (already >= proposed) continue;
      await prisma.refundRequest.update({ where: { id: r.id }, data: { miraklRefundIds: { push: id } } });
      await recordEvent(prisma, { ...orderEntity(orderLink), kind: "refund_done_in_portal", message: `Mirakl refund ${id} matches the refund marked as done in the back office`, data: { refundRequestId: r.id, miraklRefundId: id } });
      return true;
    }
  }
  return false;
}

async function mirror({ services, update, line, refund }: { services: Services; update: OrderUpdate; line: MiraklOrderLine; refund: MiraklRefund }): Promise<"mirrored" | "failed" | "skipped"> {
  const prisma = services.prisma;
  const { connection, orderLink, order } = update;
  const shop = connection.shop;
  const id = refund.id as string;
  const placeholder = `mirakl:${connection.id}:${id}`;
  const entry: PortalEntry = {
    kind: "mirakl_portal",
    miraklRefundId: id,
    orderLineId: line.order_line_id,
    offerSku: line.offer_sku,
    quantity: refund.quantity ?? 0,
    amount: refund.amount ?? 0,
    shippingAmount: refund.shipping_amount ?? 0,
    reasonCode: refund.reason_code ?? null,
    shopifyInput: null,
  };
  const inserted = await prisma.refundRequest.createMany({
    data: [{ orderLinkId: orderLink.id, connectionId: connection.id, shop, shopifyRefundId: placeholder, status: "SENDING", lines: toJson([entry]), miraklRefundIds: [id], reasonCode: entry.reasonCode }],
    skipDuplicates: true,
  });
  let row = await prisma.refundRequest.findUniqueOrThrow({ where: { shopifyRefundId: placeholder } });
  if (inserted.count === 0) {
    if (row.status !== "SENDING" || row.updatedAt.getTime() >= services.now().getTime() - STALE_CLAIM_MS) return "skipped";
    row = await prisma.refundRequest.update({ where: { id: row.id }, data: { lastError: "retrying after an interrupted attempt" } });
  }
  const orderId = asGid(orderLink.shopifyOrderId as string, "Order");
  const client = await services.shopifyAdmin(shop);
  let input = (parseEntries(row.lines)[0] as PortalEntry | undefined)?.shopifyInput ?? null;
  try {
    if (!input) {
      const [details, money, skus] = await Promise.all([
        getOrder({ client, id: orderId, namespace: MIRAKL_METAFIELD.namespace, include: { fulfillmentOrders: false, fulfillments: false, refunds: false } }),
        getOrderRefundContext({ client, id: orderId }),
        loadSkuToOffer(prisma, connection.id),
      ]);
      if (!details || !money) throw new NotFoundError("the Shopify order no longer exists");
      const sku = skus.toShopify(line.offer_sku);
      const item = details.lineItems.find((li) => li.sku === sku && li.refundableQuantity > 0) ?? null;
      const quantity = item && entry.quantity > 0 ? Math.min(entry.quantity, item.refundableQuantity) : 0;
      const mode = orderTaxMode(order, connection.orderTaxMode);
      const taxes = sumAmounts(refund.taxes.map((t) => t.amount ?? 0));
      const shippingTaxes = sumAmounts(refund.shipping_taxes.map((t) => t.amount ?? 0));
      // What the customer got back, in Shopify's terms (Mirakl amounts are in the order's tax mode, gotcha 7).
      const gross = mode === "TAX_INCLUDED" ? entry.amount + entry.shippingAmount : entry.amount + entry.shippingAmount + taxes + shippingTaxes;
      const shippingInShopify = money.taxesIncluded === (mode === "TAX_INCLUDED") ? entry.shippingAmount : mode === "TAX_INCLUDED" ? entry.shippingAmount - shippingTaxes : entry.shippingAmount + shippingTaxes;
      const moneyLeft = Number(money.totalReceivedSet.shopMoney.amount) - Number(money.totalRefundedSet.shopMoney.amount);
      const shippingLeft = Number(money.totalShippingPriceSet.shopMoney.amount) - Number(money.totalRefundedShippingSet.shopMoney.amount);
      const transaction = roundCents(Math.max(0, Math.min(gross, moneyLeft)));
      const shipping = roundCents(Math.max(0, Math.min(shippingInShopify, shippingLeft)));
      const gateway = money.paymentGatewayNames[0] ?? null;
      input = {
        lineItemId: item && quantity > 0 ? item.id : null,
        quantity,
        shippingAmount: shipping > 0 ? shipping.toFixed(2) : null,
        transactionAmount: transaction > 0 && gateway ? transaction.toFixed(2) : null,
        gateway,
        note: `Refund ${id} made in the ${connection.name} back office on Mirakl order ${orderLink.miraklOrderId}. ${MIRROR_NOTE_MARKER}${id}]`,
      };
      const stored = await prisma.refundRequest.updateMany({ where: { id: row.id, status: "SENDING" }, data: { lines: toJson([{ ...entry, shopifyInput: input }]) } });
      if (stored.count === 0) return "skipped";
    }
    if (!input.lineItemId && !input.shippingAmount && !input.transactionAmount) {
      await prisma.refundRequest.update({ where: { id: row.id }, data: { status: "DONE_IN_PORTAL", lastError: "Shopify had nothing left to refund on this order" } });
      await recordEvent(prisma, { ...orderEntity(orderLink), kind: "portal_refund_seen", level: "warning", message: `Mirakl refund ${id} was made in the back office; the Shopify order has nothing left to refund, so it was not recorded there`, data: { miraklRefundId: id } });
      return "mirrored";
    }
    const created = await createRefund({
      client,
      orderId,
      refundLineItems: input.lineItemId ? [{ lineItemId: asGid(input.lineItemId, "LineItem"), quantity: input.quantity, restockType: "NO_RESTOCK" }] : [],
      shipping: input.shippingAmount ? { amount: input.shippingAmount } : undefined,
      transactions: input.transactionAmount && input.gateway ? [{ amount: input.transactionAmount, gateway: input.gateway, kind: "REFUND" }] : [],
      note: input.note,
      notify: false,
      idempotencyKey: deriveIdempotencyKey(["mirakl-portal-refund", shop, orderLink.miraklOrderId, id]),
    });
    await prisma.refundRequest.update({
      where: { id: row.id },
      data: { shopifyRefundId: created.id, status: "DONE_IN_PORTAL", shopifyAmount: Number(created.totalRefundedSet.shopMoney.amount), lastError: null },
    });
    await recordEvent(prisma, {
      ...orderEntity(orderLink),
      kind: "portal_refund_mirrored",
      level: "success",
      message: `Refund ${id} made in the ${connection.name} back office (${formatAmount(entry.amount + entry.shippingAmount)}) recorded on ${orderLink.shopifyOrderName ?? "the Shopify order"}`,
      data: { miraklRefundId: id, shopifyRefundId: created.id },
    });
    return "mirrored";
  } catch (err) {
    if (isRetryable(err)) throw err;
    const message = errorMessage(err);
    await prisma.refundRequest.update({ where: { id: row.id }, data: { status: "FAILED", lastError: message } });
    await services.tasks.raise(portalRefundNotMirroredTask(connection, orderLink, id, formatAmount(entry.amount + entry.shippingAmount), message));
    log.warn("mirakl back-office refund could not be recorded in Shopify", { shop, connectionId: connection.id, miraklOrderId: orderLink.miraklOrderId, miraklRefundId: id, error: message });
    return "failed";
  }
}

/** The scheduler's retry of interrupted mirrors: a fresh OR11 read, then the same listener as the poller's. */
export async function retryPortalRefundMirrors({ services, orderLinkId }: { services: Services; orderLinkId: string }): Promise<PortalRefundOutcome> {
  const link = await services.prisma.orderLink.findUnique({ where: { id: orderLinkId }, include: { connection: true } });
  if (!link) return { mirrored: [], attributed: [], skipped: [], failed: [] };
  const { connection, ...orderLink } = link;
  const order = await readMiraklOrder(services, connection, link.miraklOrderId);
  return mirrorPortalRefunds({ services, connection, orderLink, order, previous: null });
}

export { portalRefundTaskKey };
