/**
 * Storing what OR11 says about orders: one OrderLink per (connection, Mirakl order), updated only by a newer
 * last_updated_date (Mirakl re-sends with an overlap, gotcha 14), with an optimistic version check so two
 * pollers (poll and backfill, or two workers) never lose each other's update under READ COMMITTED.
 *
 * A poll stores a page of up to 100 orders in a handful of statements (one read, one insert, one batched update,
 * one insert of timeline entries): per-order round trips would make a 1,000-order burst wait on the database
 * rather than on Mirakl's acceptance deadline.
 */
import { Prisma, type MarketplaceConnection, type OrderLink } from "@prisma/client";
import type { MiraklOrder } from "../../mirakl";
import type { Services } from "../../services.server";
import { AppError } from "../../lib/errors";
import { logger } from "../../lib/logger";
import { emitMiraklOrderUpdated } from "../order-events.server";
import { parseDecision, type DecisionLine } from "./acceptance-policy";
import { enqueueOrderJob, enqueueOrderJobs, ORDER_JOBS, type OrderJobPayload } from "./job-names";
import { planIngest, type IngestPlan, type LinkState, type PlannedEvent } from "./link-transitions";
import { activeLines, orderCreatedAt, orderUpdatedAt, parseMiraklDate } from "./mirakl-order";
import { amountToDecimal } from "./money";
import { recordOrderEvents } from "./order-timeline.server";
import { orderTaskKeys, autoRefusedTask } from "./order-tasks";
import { refreshSkuTasks } from "./quarantine.server";

const log = logger.child({ module: "orders.ingest" });

export interface IngestOutcome {
  link: OrderLink;
  /** false: Mirakl re-sent an update we already had (or an older one). */
  stored: boolean;
  plan: IngestPlan | null;
  previous: MiraklOrder | null;
  /** Runs the order-update listeners for this stored update (the poll defers it until acceptance is done). */
  notify: () => Promise<void>;
}

const noop = async () => undefined;

export function linkState(link: OrderLink): LinkState {
  const decision = parseDecision(link.acceptanceDecision);
  return {
    miraklState: link.miraklState,
    acceptanceStatus: link.acceptanceStatus,
    importStatus: link.importStatus,
    holdReason: link.holdReason,
    shopifyState: link.shopifyState,
    hasDecision: Boolean(decision && decision.length > 0 && decision.every((d) => d.accepted !== null)),
  };
}

export function snapshotOf(link: Pick<OrderLink, "snapshot">): MiraklOrder {
  return link.snapshot as unknown as MiraklOrder;
}

/**
 * Newer than what we hold? last_updated_date decides; at an equal timestamp (two changes within one
 * millisecond) a different order or line state still counts, so such a change is never dropped.
 */
function isNewer(link: OrderLink, order: MiraklOrder): boolean {
  const incoming = orderUpdatedAt(order).getTime();
  const stored = link.miraklLastUpdated.getTime();
  if (incoming !== stored) return incoming > stored;
  const prev = snapshotOf(link);
  if (prev.order_state !== order.order_state) return true;
  return order.order_lines.some((l) => {
    const p = prev.order_lines?.find((x) => x.order_line_id === l.order_line_id);
    return !p || p.order_line_state !== l.order_line_state || p.quantity !== l.quantity;
  });
}

function commonFields(connection: MarketplaceConnection, order: MiraklOrder) {
  const created = orderCreatedAt(order);
  return {
    miraklState: order.order_state,
    miraklLastUpdated: orderUpdatedAt(order),
    miraklCommercialId: order.commercial_id ?? null,
    miraklCreatedAt: created,
    // Mirakl does not publish the acceptance deadline (notes §4.3): the merchant enters the window per connection.
    acceptanceDeadline: new Date(created.getTime() + connection.acceptanceWindowMinutes * 60_000),
    shippingDeadline: parseMiraklDate(order.shipping_deadline),
    commissionTotal: order.total_commission === null || order.total_commission === undefined ? null : amountToDecimal(order.total_commission),
    totalPrice: order.total_price === null || order.total_price === undefined ? null : amountToDecimal(order.total_price),
    currency: order.currency_iso_code ?? connection.currency ?? null,
  };
}

/**
 * On marketplaces that accept by themselves there is no decision, but the accepted lines still promise stock
 * until they are imported: record them (resolved from the SKU mapping only, no Shopify call) so availability
 * subtracts them like any accepted order.
 */
async function autoAcceptedLines(services: Services, connectionId: string, orders: readonly MiraklOrder[]): Promise<Map<string, DecisionLine[]>> {
  const skus = [...new Set(orders.flatMap((o) => activeLines(o).map((l) => l.offer_sku)))];
  const mappings = await services.prisma.skuMapping.findMany({
    where: { connectionId, offerSku: { in: skus }, matchStatus: "MATCHED" },
    select: { offerSku: true, shopifyVariantId: true, shopifyInventoryItemId: true },
  });
  const bySku = new Map(mappings.map((m) => [m.offerSku, m]));
  return new Map(
    orders.map((order) => [
      order.order_id,
      activeLines(order).map((l) => ({
        orderLineId: l.order_line_id,
        offerSku: l.offer_sku,
        quantity: l.quantity,
        accepted: true,
        reason: null,
        check: "marketplace",
        variantId: bySku.get(l.offer_sku)?.shopifyVariantId ?? null,
        inventoryItemId: bySku.get(l.offer_sku)?.shopifyInventoryItemId ?? null,
      })),
    ]),
  );
}

interface Planned {
  order: MiraklOrder;
  plan: IngestPlan;
  link?: OrderLink;
  previous: MiraklOrder | null;
}

/** The orders of one OR11 page (or a re-read), stored in a few statements. */
export async function ingestOrders({ services, connection, orders }: { services: Services; connection: MarketplaceConnection; orders: readonly MiraklOrder[] }): Promise<IngestOutcome[]> {
  const prisma = services.prisma;
  const newest = new Map<string, MiraklOrder>();
  for (const o of orders) {
    const cur = newest.get(o.order_id);
    if (!cur || orderUpdatedAt(o).getTime() >= orderUpdatedAt(cur).getTime()) newest.set(o.order_id, o);
  }
  if (newest.size === 0) return [];
  const existing = await prisma.orderLink.findMany({ where: { connectionId: connection.id, miraklOrderId: { in: [...newest.keys()] } } });
  const existingById = new Map(existing.map((l) => [l.miraklOrderId, l]));
  const now = services.now();
  const outcomes: IngestOutcome[] = [];
  const fresh: Planned[] = [];
  const changed: Planned[] = [];
  for (const [id, order] of newest) {
    const link = existingById.get(id);
    if (!link) fresh.push({ order, previous: null, plan: planIngest({ existing: null, previous: null, order, autoAccepts: connection.marketplaceAutoAccepts, now, connectedAt: connection.createdAt }) });
    else if (!isNewer(link, order)) outcomes.push({ link, stored: false, plan: null, previous: snapshotOf(link), notify: noop });
    else {
      const previous = snapshotOf(link);
      changed.push({ order, link, previous, plan: planIngest({ existing: linkState(link), previous, order, autoAccepts: connection.marketplaceAutoAccepts, now }) });
    }
  }

  const stored: Planned[] = [];
  const retry: MiraklOrder[] = [];
  if (fresh.length > 0) {
    const decisions = connection.marketplaceAutoAccepts ? await autoAcceptedLines(services, connection.id, fresh.map((f) => f.order)) : null;
    // INSERT … ON CONFLICT DO NOTHING RETURNING: a concurrent poller that created one first wins, and we update it instead.
    const created = await prisma.orderLink.createManyAndReturn({
      data: fresh.map(({ order, plan }) => {
        const decision = decisions?.get(order.order_id);
        return {
          connectionId: connection.id,
          shop: connection.shop,
          miraklOrderId: order.order_id,
          ...commonFields(connection, order),
          snapshot: order as unknown as Prisma.InputJsonValue,
          acceptanceStatus: plan.status.acceptanceStatus ?? "PENDING",
          acceptedAt: plan.status.acceptedAt ?? null,
          importStatus: plan.status.importStatus ?? "WAITING",
          holdReason: plan.status.holdReason ?? null,
          acceptanceDecision: decision ? (decision as unknown as Prisma.InputJsonValue) : Prisma.DbNull,
        };
      }),
      skipDuplicates: true,
    });
    const createdById = new Map(created.map((c) => [c.miraklOrderId, c]));
    for (const f of fresh) {
      const link = createdById.get(f.order.order_id);
      if (link) stored.push({ ...f, link });
      else retry.push(f.order);
    }
  }
  if (changed.length > 0) {
    const updated = await updateLinks(prisma, connection, changed);
    for (const c of changed) {
      const link = c.link ? updated.get(c.link.id) : undefined;
      if (link) stored.push({ ...c, link });
      else retry.push(c.order);
    }
  }

  if (stored.length > 0) {
    const linkById = new Map(stored.flatMap((s) => (s.link ? [[s.order.order_id, s.link] as const] : [])));
    const events: Array<{ link: OrderLink; event: PlannedEvent }> = [];
    for (const s of stored) {
      const link = linkById.get(s.order.order_id);
      if (!link) continue;
      for (const event of s.plan.events) events.push({ link, event });
      outcomes.push({ link, stored: true, plan: s.plan, previous: s.previous, notify: () => notifyListeners({ services, connection, link, order: s.order, previous: s.previous }) });
    }
    await recordEventsBatch(prisma, events);
    const follow: FollowUps = { import: [], cancelInShopify: [] };
    for (const o of outcomes) if (o.stored && o.plan) await applyEffects({ services, connection, link: o.link, plan: o.plan, follow });
    await queueFollowUps(services, follow);
  }
  for (const order of retry) outcomes.push(await ingestOrder({ services, connection, order }));
  return outcomes;
}

async function recordEventsBatch(prisma: Services["prisma"], events: ReadonlyArray<{ link: OrderLink; event: PlannedEvent }>): Promise<void> {
  if (events.length === 0) return;
  await prisma.syncEvent.createMany({
    data: events.map(({ link, event }) => ({
      shop: link.shop,
      connectionId: link.connectionId,
      entityType: "order",
      entityId: link.id,
      kind: event.kind,
      level: event.level,
      message: event.message,
      data: event.data === undefined ? undefined : (event.data as Prisma.InputJsonValue),
    })),
  });
}

const iso = (d: Date | null | undefined) => (d ? d.toISOString() : null);

/** One UPDATE … FROM unnest(…) for the page, each row guarded by its version (optimistic concurrency); returns the rows written. */
async function updateLinks(prisma: Services["prisma"], connection: MarketplaceConnection, rows: readonly Planned[]): Promise<Map<string, OrderLink>> {
  const f = rows.map((r) => ({ r, c: commonFields(connection, r.order), s: r.plan.status }));
  const result = await prisma.$queryRaw<OrderLink[]>`
    UPDATE "OrderLink" AS o SET
      "miraklState" = v.state,
      "miraklLastUpdated" = v.last_updated::timestamp(3),
      "miraklCommercialId" = v.commercial_id,
      "miraklCreatedAt" = v.created::timestamp(3),
      "acceptanceDeadline" = v.acceptance_deadline::timestamp(3),
      "shippingDeadline" = v.shipping_deadline::timestamp(3),
      "commissionTotal" = v.commission::numeric,
      "totalPrice" = v.total::numeric,
      "currency" = v.currency,
      "snapshot" = v.snapshot::jsonb,
      "acceptanceStatus" = CASE WHEN v.set_acceptance THEN v.acceptance ELSE o."acceptanceStatus" END,
      "acceptedAt" = CASE WHEN v.set_accepted_at THEN v.accepted_at::timestamp(3) ELSE o."acceptedAt" END,
      "importStatus" = CASE WHEN v.set_import THEN v.import ELSE o."importStatus" END,
      "holdReason" = CASE WHEN v.set_hold THEN v.hold ELSE o."holdReason" END,
      "version" = o."version" + 1,
      "updatedAt" = (now() AT TIME ZONE 'UTC')
    FROM unnest(
      ${f.map((x) => x.r.link!.id)}::text[], ${f.map((x) => x.r.link!.version)}::int[], ${f.map((x) => x.c.miraklState)}::text[],
      ${f.map((x) => iso(x.c.miraklLastUpdated))}::text[], ${f.map((x) => x.c.miraklCommercialId)}::text[], ${f.map((x) => iso(x.c.miraklCreatedAt))}::text[],
      ${f.map((x) => iso(x.c.acceptanceDeadline))}::text[], ${f.map((x) => iso(x.c.shippingDeadline))}::text[], ${f.map((x) => x.c.commissionTotal)}::text[],
      ${f.map((x) => x.c.totalPrice)}::text[], ${f.map((x) => x.c.currency)}::text[], ${f.map((x) => JSON.stringify(x.r.order))}::text[],
      ${f.map((x) => x.s.acceptanceStatus !== undefined)}::boolean[], ${f.map((x) => x.s.acceptanceStatus ?? null)}::text[],
      ${f.map((x) => x.s.acceptedAt !== undefined)}::boolean[], ${f.map((x) => iso(x.s.acceptedAt))}::text[],
      ${f.map((x) => x.s.importStatus !== undefined)}::boolean[], ${f.map((x) => x.s.importStatus ?? null)}::text[],
      ${f.map((x) => x.s.holdReason !== undefined)}::boolean[], ${f.map((x) => x.s.holdReason ?? null)}::text[]
    ) AS v(id, version, state, last_updated, commercial_id, created, acceptance_deadline, shipping_deadline, commission, total, currency, snapshot,
           set_acceptance, acceptance, set_accepted_at, accepted_at, set_import, import, set_hold, hold)
    WHERE o."id" = v.id AND o."version" = v.version
    RETURNING o.*`;
  return new Map(result.map((r) => [r.id, r]));
}

/** One order (a re-read after a failed write, a job): the same rules, retried on a concurrent update. */
export async function ingestOrder({ services, connection, order }: { services: Services; connection: MarketplaceConnection; order: MiraklOrder }): Promise<IngestOutcome> {
  const where = { connectionId_miraklOrderId: { connectionId: connection.id, miraklOrderId: order.order_id } };
  for (let attempt = 0; attempt < 5; attempt++) {
    const now = services.now();
    const existing = await services.prisma.orderLink.findUnique({ where });
    if (!existing) {
      const [outcome] = await ingestOrders({ services, connection, orders: [order] });
      if (outcome) return outcome;
      continue;
    }
    if (!isNewer(existing, order)) return { link: existing, stored: false, plan: null, previous: snapshotOf(existing), notify: noop };
    const previous = snapshotOf(existing);
    const plan = planIngest({ existing: linkState(existing), previous, order, autoAccepts: connection.marketplaceAutoAccepts, now });
    const link = (await updateLinks(services.prisma, connection, [{ order, link: existing, previous, plan }])).get(existing.id);
    if (!link) continue;
    await recordOrderEvents(services.prisma, link, plan.events);
    const follow: FollowUps = { import: [], cancelInShopify: [] };
    await applyEffects({ services, connection, link, plan, follow });
    await queueFollowUps(services, follow);
    return { link, stored: true, plan, previous, notify: () => notifyListeners({ services, connection, link, order, previous }) };
  }
  throw new AppError(`Order ${order.order_id} kept changing while it was being stored; will retry`, { code: "ORDER_CONTENTION", retryable: true });
}

/**
 * Runs the listeners of other flows (portal shipments, portal refunds). A listener that fails must not lose the
 * update for good (the next OR11 read of the same update is skipped as "not newer"): it is retried from a job.
 */
export async function notifyListeners(input: { services: Services; connection: MarketplaceConnection; link: OrderLink; order: MiraklOrder; previous: MiraklOrder | null }): Promise<void> {
  try {
    await emitMiraklOrderUpdated({ services: input.services, connection: input.connection, orderLink: input.link, order: input.order, previous: input.previous });
  } catch (err) {
    log.warn("order update listener failed; retrying from a job", { shop: input.link.shop, connectionId: input.link.connectionId, miraklOrderId: input.link.miraklOrderId, err });
    await enqueueOrderJob(input.services, ORDER_JOBS.notify, { shop: input.link.shop, connectionId: input.link.connectionId, orderLinkId: input.link.id, previous: input.previous ?? undefined }, { delaySeconds: 30 });
  }
}

interface FollowUps {
  import: OrderJobPayload[];
  cancelInShopify: OrderJobPayload[];
}

async function queueFollowUps(services: Services, follow: FollowUps): Promise<void> {
  await enqueueOrderJobs(services, ORDER_JOBS.import, follow.import);
  await enqueueOrderJobs(services, ORDER_JOBS.cancelInShopify, follow.cancelInShopify);
}

/** Tasks for a stored update, and the jobs it calls for (queued by the caller in one statement). */
async function applyEffects(input: { services: Services; connection: MarketplaceConnection; link: OrderLink; plan: IngestPlan; follow: FollowUps }): Promise<void> {
  const { services, connection, link, plan, follow } = input;
  const payload = { shop: link.shop, connectionId: link.connectionId, orderLinkId: link.id };
  if (plan.effects.leftAcceptance || plan.effects.notImported) {
    await services.tasks.resolve({ shop: link.shop, dedupeKey: orderTaskKeys.heldOrder(connection.id, link.miraklOrderId) });
  }
  if (plan.effects.notImported) {
    await services.tasks.resolve({ shop: link.shop, dedupeKey: orderTaskKeys.importFailed(connection.id, link.miraklOrderId) });
    const skus = [...new Set(snapshotOf(link).order_lines.map((l) => l.offer_sku))];
    await refreshSkuTasks({ services, connectionId: connection.id, shop: connection.shop, offerSkus: skus });
  }
  if (plan.effects.autoRefused) {
    const count = await services.prisma.orderLink.count({ where: { connectionId: connection.id, acceptanceStatus: "REFUSED", holdReason: { startsWith: "AUTO_REFUSED" } } });
    await services.tasks.raise(autoRefusedTask({ connection, count: Math.max(1, count), lastMiraklOrderId: link.miraklOrderId }));
    log.warn("order refused automatically by Mirakl", { shop: link.shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId });
  }
  if (plan.effects.import) follow.import.push(payload);
  if (plan.effects.cancelInShopify) follow.cancelInShopify.push(payload);
}
