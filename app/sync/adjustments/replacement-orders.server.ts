import type { OrderLink } from "@prisma/client";
import type { Services } from "../../services.server";
import { asGid, findOrderByMiraklId, getOrder, miraklOrderTag, type OrderRef } from "../../shopify";
import { logger } from "../../lib/logger";
import { recordEvent } from "../timeline.server";
import { skipPending } from "./adjustment-store.server";
import { cancelTaskKey, duplicateOrderTask, duplicateOrderTaskKey } from "./adjustment-tasks";
import { MIRAKL_METAFIELD, orderEntity, shopifyOrderAdminUrl, type LinkWithConnection } from "./context.server";
import { orderGidFromId, orderPayloadSchema, payloadTags, type OrderPayload } from "./shopify-payloads";

const log = logger.child({ module: "adjustments" });

/**
 * How a replacement order made by an order-editing app is recognised (they cancel the imported order and create a
 * copy; notes §4.2, seeds/003). Defaults, in this order: our tag `mirakl-<id>` carried over, our metafield
 * mirakl.order_id carried over (read on the orders a tag search finds), or an edit app's reference to the original
 * order in the note attributes. A per-connection setting needs a column (no schema change in this issue): see
 * docs/decisions/0007-edits-cancels-refunds.md.
 */
export const REPLACEMENT_RECOGNITION = {
  tagPrefix: "mirakl-",
  metafield: MIRAKL_METAFIELD,
  /** Note attribute names edit apps use for the order they replace (compared case-insensitively). */
  noteAttributeKeys: ["original_order_id", "original_order", "original_order_name", "replaces_order", "replaced_order_id", "edited_from_order"],
} as const;

/** Seconds a Shopify cancellation waits for the replacement's webhook before Mirakl hears of it. */
export const REPLACEMENT_GRACE_SECONDS = 120;

export type ReplacementSearch = { kind: "none" } | { kind: "one"; order: OrderRef } | { kind: "several"; orders: OrderRef[] };

/**
 * Live Shopify orders other than the current one that carry this link's Mirakl order id (tag or metafield). The
 * search index can lag a just-created order by seconds (order-lookup.ts), which is why a cancellation waits
 * REPLACEMENT_GRACE_SECONDS and asks again before cancelling on Mirakl.
 */
export async function searchReplacement({ services, link }: { services: Services; link: Pick<OrderLink, "shop" | "miraklOrderId" | "shopifyOrderId" | "previousShopifyOrderIds"> }): Promise<ReplacementSearch> {
  const client = await services.shopifyAdmin(link.shop);
  const found = await findOrderByMiraklId({
    client,
    miraklOrderId: link.miraklOrderId,
    namespace: REPLACEMENT_RECOGNITION.metafield.namespace,
    key: REPLACEMENT_RECOGNITION.metafield.key,
    tag: miraklOrderTag(link.miraklOrderId),
    first: 10,
  });
  const candidates = found.matches.filter((o) => o.id !== link.shopifyOrderId && !link.previousShopifyOrderIds.includes(o.id) && o.cancelledAt === null);
  if (candidates.length === 0) return { kind: "none" };
  if (candidates.length === 1) return { kind: "one", order: candidates[0]! };
  return { kind: "several", orders: candidates };
}

/**
 * Moves the Mirakl order from its cancelled Shopify order to the replacement, as one conditional update (the link
 * still points at `from`), so two webhooks racing over the same replacement move it once. The cancellation of
 * `from` then never reaches Mirakl (its pending adjustment is skipped), and fulfilment of `to` is what Mirakl hears.
 */
export async function moveLink({
  services,
  link,
  from,
  to,
  via,
}: {
  services: Services;
  link: LinkWithConnection;
  from: string;
  to: { id: string; name: string | null };
  via: "tag" | "metafield" | "note_attribute" | "search";
}): Promise<boolean> {
  const prisma = services.prisma;
  const moved = await prisma.orderLink.updateMany({
    where: { id: link.id, shopifyOrderId: from },
    data: { shopifyOrderId: to.id, shopifyOrderName: to.name ?? undefined, previousShopifyOrderIds: { push: from }, replacedByOrderId: to.id, shopifyState: "OPEN" },
  });
  if (moved.count === 0) return false;
  await skipPending(prisma, `cancel:${from}`, { reason: "replaced", replacedBy: to.id });
  await services.tasks.resolve({ shop: link.shop, dedupeKey: duplicateOrderTaskKey(link.connection, link.miraklOrderId) });
  await services.tasks.resolve({ shop: link.shop, dedupeKey: cancelTaskKey(link.connection, from) });
  await recordEvent(prisma, {
    ...orderEntity(link),
    kind: "shopify_order_replaced",
    level: "info",
    message: `${link.shopifyOrderName ?? from} was cancelled and replaced by ${to.name ?? to.id} (an order-editing app; recognised by ${via.replace("_", " ")}). Mirakl order ${link.miraklOrderId} now follows ${to.name ?? to.id}; it was not cancelled on Mirakl.`,
    data: { from, to: to.id, chain: [...link.previousShopifyOrderIds, from, to.id], via },
  });
  log.info("order link moved to replacement", { shop: link.shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId, from, to: to.id, via });
  return true;
}

export type OrderUpdatedOutcome = { kind: "ignored"; reason: string } | { kind: "moved"; miraklOrderIds: string[] } | { kind: "duplicate"; miraklOrderIds: string[] } | { kind: "late"; miraklOrderIds: string[] };

function miraklIdsFromTags(p: OrderPayload): string[] {
  const prefix = REPLACEMENT_RECOGNITION.tagPrefix.toLowerCase();
  return payloadTags(p)
    .filter((t) => t.toLowerCase().startsWith(prefix) && t.length > prefix.length)
    .map((t) => t.slice(prefix.length));
}

function originalRefsFromNotes(p: OrderPayload): { gids: string[]; names: string[] } {
  const keys = new Set<string>(REPLACEMENT_RECOGNITION.noteAttributeKeys);
  const gids: string[] = [];
  const names: string[] = [];
  for (const a of p.note_attributes ?? []) {
    if (!keys.has(a.name.trim().toLowerCase()) || a.value === null || a.value === undefined) continue;
    const v = String(a.value).trim();
    if (v.startsWith("gid://shopify/Order/")) gids.push(v);
    else if (/^\d+$/.test(v)) gids.push(orderGidFromId(v));
    else if (v.length > 0) names.push(v.startsWith("#") ? v : `#${v}`);
  }
  return { gids, names };
}

/**
 * orders/updated: recognises a replacement order (carried tag, or an edit app's note attribute naming the
 * original). Shopify delivers out of order (notes §3.4), so both orders of arrival are handled:
 * - the original is already cancelled (its cancellation is waiting out the grace period): move the link now;
 * - the original is still open (the edit app has not cancelled it yet): a Task warns of two live orders for one
 *   Mirakl order; the original's cancellation then finds this order and moves the link (and closes the Task);
 * - the original's cancellation already reached Mirakl: a Task says the replacement must not ship.
 * Payloads carry no metafields, so recognition by metafield alone happens on the cancellation side (search).
 */
export async function handleOrderUpdated({ services, shop, payload }: { services: Services; shop: string; payload: unknown }): Promise<OrderUpdatedOutcome> {
  const parsed = orderPayloadSchema.safeParse(payload);
  if (!parsed.success) return { kind: "ignored", reason: "unreadable order payload" };
  const p = parsed.data;
  if (p.cancelled_at) return { kind: "ignored", reason: "cancelled orders are not replacements" };
  const orderGid = p.admin_graphql_api_id ?? orderGidFromId(p.id);
  const ids = miraklIdsFromTags(p);
  const notes = originalRefsFromNotes(p);
  if (ids.length === 0 && notes.gids.length === 0 && notes.names.length === 0) return { kind: "ignored", reason: "no Mirakl reference" };

  const prisma = services.prisma;
  const or = [
    ...(ids.length > 0 ? [{ miraklOrderId: { in: ids } }] : []),
    ...(notes.gids.length > 0 ? [{ shopifyOrderId: { in: notes.gids } }, { previousShopifyOrderIds: { hasSome: notes.gids } }] : []),
    ...(notes.names.length > 0 ? [{ shopifyOrderName: { in: notes.names } }] : []),
  ];
  const links = await prisma.orderLink.findMany({ where: { shop, importStatus: "IMPORTED", shopifyOrderId: { not: null }, OR: or }, include: { connection: true } });
  const moved: string[] = [];
  const duplicates: string[] = [];
  const late: string[] = [];
  for (const link of links) {
    const original = link.shopifyOrderId;
    if (!original || original === orderGid || link.previousShopifyOrderIds.includes(orderGid)) continue;
    const via = ids.includes(link.miraklOrderId) ? "tag" : "note_attribute";
    const cancelKey = `cancel:${original}`;
    const adjustment = await prisma.miraklAdjustment.findUnique({ where: { dedupeKey: cancelKey } });
    if (adjustment && (adjustment.status === "SENDING" || adjustment.status === "SENT")) {
      await services.tasks.raise({
        ...duplicateOrderTask(link.connection, link, { id: orderGid, name: p.name ?? null }),
        title: `${p.name ?? "A new Shopify order"} replaces an order already cancelled on ${link.connection.name}`,
        body:
          `${p.name ?? orderGid} looks like a replacement for ${link.shopifyOrderName ?? original} (Mirakl order ${link.miraklOrderId}), but that order's cancellation had already been sent to Mirakl: ` +
          `the marketplace has cancelled and refunded it. If ${p.name ?? "the new order"} ships, it ships unpaid.\n` +
          `What to do: cancel ${p.name ?? "the new order"} in Shopify, or charge the customer outside the marketplace before shipping it.`,
        actionUrl: shopifyOrderAdminUrl(shop, orderGid),
      });
      late.push(link.miraklOrderId);
      continue;
    }
    let originalCancelled = link.shopifyState === "CANCELLED" || adjustment?.status === "PENDING";
    if (!originalCancelled) {
      const client = await services.shopifyAdmin(shop);
      const current = await getOrder({ client, id: asGid(original, "Order"), namespace: REPLACEMENT_RECOGNITION.metafield.namespace, include: { fulfillmentOrders: false, fulfillments: false, refunds: false } });
      originalCancelled = current === null || current.cancelledAt !== null;
    }
    if (originalCancelled) {
      if (await moveLink({ services, link, from: original, to: { id: orderGid, name: p.name ?? null }, via })) moved.push(link.miraklOrderId);
      continue;
    }
    await services.tasks.raise(duplicateOrderTask(link.connection, link, { id: orderGid, name: p.name ?? null }));
    await recordEvent(prisma, {
      ...orderEntity(link),
      kind: "duplicate_shopify_order",
      level: "warning",
      message: `${p.name ?? orderGid} also carries Mirakl order ${link.miraklOrderId} while ${link.shopifyOrderName ?? original} is still open; waiting for one of them to be cancelled`,
      data: { other: orderGid },
    });
    duplicates.push(link.miraklOrderId);
  }
  if (moved.length > 0) return { kind: "moved", miraklOrderIds: moved };
  if (late.length > 0) return { kind: "late", miraklOrderIds: late };
  if (duplicates.length > 0) return { kind: "duplicate", miraklOrderIds: duplicates };
  return { kind: "ignored", reason: "no linked order to replace" };
}

/** Mirakl ids an order payload claims by tag (used to close duplicate-order tasks when a copy is cancelled). */
export function claimedMiraklIds(payload: OrderPayload): string[] {
  return miraklIdsFromTags(payload);
}
