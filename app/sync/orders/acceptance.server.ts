/**
 * Acceptance first: an order waiting for acceptance is decided from local data (SKU mapping, StockLevel cache)
 * and OR21 is sent in the same poll that saw it, before and independent of any Shopify work. Decisions are
 * serialised per shop (advisory lock) so two workers cannot both promise the last unit. OR21 has no idempotency
 * key (seller-api-notes §1.10): a call that timed out is never re-sent before the order was read again.
 */
import { Prisma, type MarketplaceConnection, type OrderLink } from "@prisma/client";
import { MiraklAuthError, MiraklRateLimitError, MiraklRequestError, type MiraklOrder } from "../../mirakl";
import type { Services } from "../../services.server";
import { AppError, errorMessage, isRetryable } from "../../lib/errors";
import { logger } from "../../lib/logger";
import { plural } from "../../components/format";
import {
  decideAcceptance,
  decisionLines,
  holdCodeOf,
  holdReasonText,
  holdSummary,
  parseDecision,
  type AcceptanceOutcome,
  type CheckedLine,
  type DecisionLine,
  type HoldCode,
  type LineCheck,
} from "./acceptance-policy";
import { ingestOrder, snapshotOf } from "./ingest.server";
import { enqueueOrderJob, ORDER_JOBS } from "./job-names";
import { orderCreatedAt } from "./mirakl-order";
import { heldOrderTask, orderTaskKeys } from "./order-tasks";
import { recordOrderEvents } from "./order-timeline.server";
import { resolveSkus, type SkuResolution } from "./sku-resolution.server";
import { raiseWhileTrue, stillHeldAtAcceptance } from "./task-guard.server";
import { cachedAvailable, ensureStockCached, reservedUnits } from "./stock-availability.server";
import { shopTimeZone } from "../shops.server";

const log = logger.child({ module: "orders.acceptance" });

/** How long acceptance may wait for Shopify (variant search, a never-seen item's stock). */
export const ACCEPTANCE_SHOPIFY_DEADLINE_MS = 5_000;
/** OR21 attempts within one run, each after a fresh read of the order. */
const SEND_ATTEMPTS = 3;
const SEND_CONCURRENCY = 4;

export interface AcceptanceSummary {
  decided: number;
  held: number;
  sent: number;
  /** Mirakl had moved on (cancelled, refused automatically, decided in the portal): recorded, nothing sent. */
  superseded: number;
  retryLater: number;
}

function emptySummary(): AcceptanceSummary {
  return { decided: 0, held: 0, sent: 0, superseded: 0, retryLater: 0 };
}

function completeDecision(link: OrderLink): DecisionLine[] | null {
  const d = parseDecision(link.acceptanceDecision);
  return d && d.length > 0 && d.every((l) => l.accepted !== null) ? d : null;
}

/** Undecided (or held only because Shopify could not answer) and still waiting on Mirakl. */
export function needsDecision(link: OrderLink): boolean {
  if (link.miraklState !== "WAITING_ACCEPTANCE") return false;
  if (link.acceptanceStatus === "PENDING") return completeDecision(link) === null;
  return link.acceptanceStatus === "HELD" && holdCodeOf(link.holdReason) === "UNVERIFIED";
}

/** Decided, OR21 not confirmed. */
export function awaitingSend(link: OrderLink): DecisionLine[] | null {
  if (link.miraklState !== "WAITING_ACCEPTANCE" || link.acceptanceStatus !== "PENDING") return null;
  return completeDecision(link);
}

async function runPool<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  const workers = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await fn(item);
    }
  });
  await Promise.all(workers);
}

/**
 * The poll's entry point: `links` were just stored from a fresh OR11 read. Decides the undecided ones, then sends
 * every decision Mirakl has not applied yet (this read is the re-read that makes a re-send safe).
 */
export async function acceptOrders({ services, connection, links }: { services: Services; connection: MarketplaceConnection; links: readonly OrderLink[] }): Promise<AcceptanceSummary> {
  const summary = emptySummary();
  if (connection.marketplaceAutoAccepts || links.length === 0) return summary;
  const toDecide = links.filter(needsDecision);
  const sends: Array<{ link: OrderLink; lines: DecisionLine[] }> = [];
  for (const link of links) {
    const lines = awaitingSend(link);
    if (lines) sends.push({ link, lines });
  }
  if (toDecide.length > 0) {
    const decided = await decideOrders({ services, connection, links: toDecide, summary });
    sends.push(...decided);
  }
  const confirmed: Array<{ link: OrderLink; lines: readonly DecisionLine[] }> = [];
  try {
    await runPool(sends, SEND_CONCURRENCY, async ({ link, lines }) => {
      const res = await sendDecision({ services, connection, link, lines, confirmed });
      if (res === "sent") summary.sent++;
      else if (res === "superseded") summary.superseded++;
      else if (res === "held") summary.held++;
      else summary.retryLater++;
    });
  } finally {
    // Record what Mirakl took, even if a later send failed hard (an auth error stops the run).
    await markSent({ services, connection, sent: confirmed });
  }
  return summary;
}

interface Candidate {
  link: OrderLink;
  order: MiraklOrder;
}

function checkLines(input: {
  order: MiraklOrder;
  resolution: Map<string, SkuResolution>;
  unverifiedItems: Set<string>;
  remaining: Map<string, number>;
}): CheckedLine[] {
  const taken = new Map<string, number>();
  // Lines Mirakl already refused or cancelled are out of the decision; OR21 still lists them (refused).
  return input.order.order_lines.map((line) => {
    const res = input.resolution.get(line.offer_sku);
    let check: LineCheck;
    let variantId: string | null = null;
    let inventoryItemId: string | null = null;
    if (line.order_line_state === "REFUSED" || line.order_line_state === "CANCELED" || line.quantity <= 0) check = { kind: "short", available: 0, ordered: line.quantity };
    else if (!res || res.kind === "unverified") check = { kind: "unverified" };
    else if (res.kind === "unmapped") check = { kind: "unmapped" };
    else if (res.kind === "ambiguous") check = { kind: "ambiguous", variants: res.variants };
    else if (res.kind === "ignored") check = { kind: "ignored" };
    else {
      variantId = res.variantId;
      inventoryItemId = res.inventoryItemId;
      if (!res.tracked || !res.inventoryItemId) check = { kind: "ok" }; // Shopify does not count untracked stock
      else if (input.unverifiedItems.has(res.inventoryItemId)) check = { kind: "unverified" };
      else {
        const item = res.inventoryItemId;
        const available = (input.remaining.get(item) ?? 0) - (taken.get(item) ?? 0);
        if (available >= line.quantity) {
          check = { kind: "ok" };
          taken.set(item, (taken.get(item) ?? 0) + line.quantity);
        } else check = { kind: "short", available, ordered: line.quantity };
      }
    }
    return { orderLineId: line.order_line_id, offerSku: line.offer_sku, quantity: line.quantity, check, variantId, inventoryItemId };
  });
}

/** Decide under the shop's lock and store each decision (or hold) on its link; returns the decisions to send. */
async function decideOrders(input: { services: Services; connection: MarketplaceConnection; links: readonly OrderLink[]; summary: AcceptanceSummary }): Promise<Array<{ link: OrderLink; lines: DecisionLine[] }>> {
  const { services, connection, summary } = input;
  const candidates: Candidate[] = input.links.map((link) => ({ link, order: snapshotOf(link) })).sort((a, b) => orderCreatedAt(a.order).getTime() - orderCreatedAt(b.order).getTime());
  const skus = candidates.flatMap((c) => c.order.order_lines.map((l) => l.offer_sku));
  // The only Shopify calls acceptance may make, both bounded: SKUs never mapped, items never stocked in the cache.
  const resolution = await resolveSkus({ services, connection, skus, shopifyDeadlineMs: ACCEPTANCE_SHOPIFY_DEADLINE_MS });
  const tracked = [...resolution.values()].flatMap((r) => (r.kind === "matched" && r.tracked && r.inventoryItemId ? [r.inventoryItemId] : []));
  const { unverified } = await ensureStockCached({ services, connection, inventoryItemIds: tracked, shopifyDeadlineMs: ACCEPTANCE_SHOPIFY_DEADLINE_MS });

  type Decided = { link: OrderLink; outcome: AcceptanceOutcome; lines: DecisionLine[]; holdReason: string | null };
  const decided = await services.prisma.$transaction(
    async (tx) => {
      // One decision at a time per shop: the stock is the shop's, whichever marketplace sells it.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`orders-acceptance:${connection.shop}`}))`;
      const items = [...new Set(tracked)];
      const onHand = await cachedAvailable(tx, { shop: connection.shop, locationIds: connection.locationIds, inventoryItemIds: items });
      const reserved = await reservedUnits(tx, { shop: connection.shop, inventoryItemIds: items });
      const remaining = new Map(items.map((i) => [i, (onHand.get(i) ?? 0) - (reserved.get(i) ?? 0)]));
      const out: Decided[] = [];
      for (const c of candidates) {
        const checked = checkLines({ order: c.order, resolution, unverifiedItems: unverified, remaining });
        const outcome = decideAcceptance({ policy: connection.acceptancePolicy, partialAcceptance: connection.partialAcceptance, lines: checked });
        const lines = decisionLines(checked, outcome);
        const holdReason = outcome.kind === "hold" ? holdReasonText(outcome.code, holdSummary(outcome.code, lines)) : null;
        // Units of accepted lines are promised from now on, for the next orders of this batch too.
        for (const l of lines) {
          if (l.accepted && l.inventoryItemId && remaining.has(l.inventoryItemId)) remaining.set(l.inventoryItemId, (remaining.get(l.inventoryItemId) ?? 0) - l.quantity);
        }
        const acceptanceStatus = outcome.kind === "hold" ? "HELD" : "PENDING";
        out.push({ link: { ...c.link, version: c.link.version + 1, acceptanceDecision: lines as unknown as Prisma.JsonValue, holdReason, acceptanceStatus }, outcome, lines, holdReason });
      }
      if (out.length === 0) return out;
      // One statement for the batch; a row someone else decided meanwhile (version moved) keeps their decision.
      const written = await tx.$queryRaw<Array<{ id: string }>>`
        UPDATE "OrderLink" AS o SET
          "acceptanceDecision" = v.decision::jsonb, "acceptanceStatus" = v.status, "holdReason" = v.hold, "lastError" = NULL,
          "version" = o."version" + 1, "updatedAt" = (now() AT TIME ZONE 'UTC')
        FROM unnest(${out.map((d) => d.link.id)}::text[], ${out.map((d) => d.link.version - 1)}::int[], ${out.map((d) => JSON.stringify(d.lines))}::text[],
                    ${out.map((d) => d.link.acceptanceStatus)}::text[], ${out.map((d) => d.holdReason)}::text[]) AS v(id, version, decision, status, hold)
        WHERE o."id" = v.id AND o."version" = v.version AND o."miraklState" = 'WAITING_ACCEPTANCE' AND o."acceptanceStatus" IN ('PENDING', 'HELD')
        RETURNING o."id"`;
      const ok = new Set(written.map((w) => w.id));
      return out.filter((d) => ok.has(d.link.id));
    },
    { maxWait: 30_000, timeout: 60_000 },
  );

  const sends: Array<{ link: OrderLink; lines: DecisionLine[] }> = [];
  const heldEvents: Prisma.SyncEventCreateManyInput[] = [];
  for (const d of decided) {
    summary.decided++;
    if (d.outcome.kind === "hold") {
      summary.held++;
      const why = holdSummary(d.outcome.code, d.lines);
      await raiseHeldTask({ services, connection, link: d.link, summary: why, code: d.outcome.code });
      heldEvents.push(eventRow(d.link, { kind: "held", level: "warning", message: `Held for a decision: ${why}`, data: { code: d.outcome.code } }));
    } else sends.push({ link: d.link, lines: d.lines });
  }
  if (heldEvents.length > 0) await services.prisma.syncEvent.createMany({ data: heldEvents });
  return sends;
}

async function raiseHeldTask(input: { services: Services; connection: MarketplaceConnection; link: OrderLink; summary: string; code: HoldCode }): Promise<void> {
  const now = input.services.now();
  const deadline = input.link.acceptanceDeadline;
  const escalated = deadline !== null && deadline.getTime() - now.getTime() <= input.connection.acceptanceEscalationMinutes * 60_000;
  await raiseWhileTrue(input.services, heldOrderTask({ connection: input.connection, link: input.link, summary: input.summary, now, escalated, timeZone: await shopTimeZone(input.services.prisma, input.link.shop) }), stillHeldAtAcceptance(input.services, input.link.id));
}

export type SendResult = "sent" | "superseded" | "held" | "retry_later";

/** Re-reads the order from Mirakl (OR11 by id) and stores what it says. null when Mirakl could not be read. */
async function reread(services: Services, connection: MarketplaceConnection, miraklOrderId: string): Promise<OrderLink | null> {
  try {
    const [order] = await services.mirakl(connection).getOrdersByIds([miraklOrderId]);
    if (!order) return null;
    const res = await ingestOrder({ services, connection, order });
    await res.notify();
    return res.link;
  } catch (err) {
    if (err instanceof MiraklAuthError) throw err;
    log.warn("could not re-read order after an OR21 failure", { shop: connection.shop, connectionId: connection.id, miraklOrderId, error: errorMessage(err) });
    return null;
  }
}

/**
 * OR21 for a stored decision. Any failure that may have been applied (timeout, 5xx, dropped connection) is
 * followed by a read of the order; only if Mirakl still waits for a decision is it sent again.
 */
export async function sendDecision({
  services,
  connection,
  link,
  lines,
  confirmed,
}: {
  services: Services;
  connection: MarketplaceConnection;
  link: OrderLink;
  lines: readonly DecisionLine[];
  /** Collect confirmations for the caller to record in one statement (the poll); recorded at once otherwise. */
  confirmed?: Array<{ link: OrderLink; lines: readonly DecisionLine[] }>;
}): Promise<SendResult> {
  const client = services.mirakl(connection);
  const ctx = { shop: link.shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId };
  let lastError: unknown = null;
  for (let attempt = 0; attempt < SEND_ATTEMPTS; attempt++) {
    try {
      await client.acceptOrder({ orderId: link.miraklOrderId, lines: lines.map((l) => ({ id: l.orderLineId, accepted: l.accepted === true })) });
      if (confirmed) confirmed.push({ link, lines });
      else await markSent({ services, connection, sent: [{ link, lines }] });
      return "sent";
    } catch (err) {
      lastError = err;
      if (err instanceof MiraklAuthError) {
        await recordFailure(services, link, err);
        throw err;
      }
      const fresh = await reread(services, connection, link.miraklOrderId);
      if (fresh && fresh.miraklState !== "WAITING_ACCEPTANCE") {
        log.info("OR21 failed but the order moved on; recorded what Mirakl says", { ...ctx, state: fresh.miraklState, error: errorMessage(err) });
        return "superseded";
      }
      if (err instanceof MiraklRequestError && fresh) {
        // Mirakl refused this decision for an order that still waits: a person has to decide.
        const code: HoldCode = err.miraklCode === "ORDER_PARTIAL_ACCEPTANCE_DISABLED" ? "PARTIAL_DISABLED" : "REJECTED_BY_MIRAKL";
        await holdAfterRejection({ services, connection, link: fresh, lines, code, message: errorMessage(err) });
        return "held";
      }
      if (!isRetryable(err) || !fresh) break;
      if (err instanceof MiraklRateLimitError) break; // the client already waited its budget; come back later
      log.info("re-sending OR21 after reading the order back (still waiting for acceptance)", { ...ctx, attempt: attempt + 1, error: errorMessage(err) });
    }
  }
  await recordFailure(services, link, lastError);
  const retryAfter = lastError instanceof AppError && lastError.retryAfterMs ? Math.ceil(lastError.retryAfterMs / 1000) : 20;
  await enqueueOrderJob(services, ORDER_JOBS.accept, { shop: link.shop, connectionId: link.connectionId, orderLinkId: link.id }, { delaySeconds: retryAfter });
  return "retry_later";
}

async function recordFailure(services: Services, link: OrderLink, err: unknown): Promise<void> {
  await services.prisma.orderLink.updateMany({ where: { id: link.id }, data: { lastError: `OR21: ${errorMessage(err)}`.slice(0, 1000) } });
  await recordOrderEvents(services.prisma, link, [{ kind: "acceptance_failed", level: "warning", message: `Sending the acceptance decision failed; it will be retried after reading the order again: ${errorMessage(err)}` }]);
}

async function holdAfterRejection(input: { services: Services; connection: MarketplaceConnection; link: OrderLink; lines: readonly DecisionLine[]; code: HoldCode; message: string }): Promise<void> {
  const { services, link } = input;
  const summary = input.code === "PARTIAL_DISABLED" ? holdSummary("PARTIAL_DISABLED", input.lines) : `Mirakl refused the decision (${input.message})`;
  const held = input.lines.map((l) => ({ ...l, accepted: null }));
  const res = await services.prisma.orderLink.updateMany({
    where: { id: link.id, acceptanceStatus: "PENDING", miraklState: "WAITING_ACCEPTANCE" },
    data: { acceptanceStatus: "HELD", holdReason: holdReasonText(input.code, summary), acceptanceDecision: held as unknown as Prisma.InputJsonValue, lastError: input.message.slice(0, 1000), version: { increment: 1 } },
  });
  if (res.count === 0) return;
  await raiseHeldTask({ services, connection: input.connection, link, summary, code: input.code });
  await recordOrderEvents(services.prisma, link, [{ kind: "held", level: "warning", message: `Held: ${summary}` }]);
}

function statusOf(lines: readonly DecisionLine[]): "ACCEPTED" | "REFUSED" | "PARTIALLY_ACCEPTED" {
  const accepted = lines.filter((l) => l.accepted).length;
  return accepted === lines.length ? "ACCEPTED" : accepted === 0 ? "REFUSED" : "PARTIALLY_ACCEPTED";
}

function eventRow(link: Pick<OrderLink, "id" | "shop" | "connectionId">, e: { kind: string; level: string; message: string; data?: Record<string, unknown> }): Prisma.SyncEventCreateManyInput {
  return { shop: link.shop, connectionId: link.connectionId, entityType: "order", entityId: link.id, kind: e.kind, level: e.level, message: e.message, data: e.data as Prisma.InputJsonValue | undefined };
}

/** Mirakl took these decisions (204): record them, their timeline entries and resolve their held-order Tasks, in a few statements. */
async function markSent(input: { services: Services; connection: MarketplaceConnection; sent: ReadonlyArray<{ link: OrderLink; lines: readonly DecisionLine[] }> }): Promise<void> {
  const { services, connection, sent } = input;
  if (sent.length === 0) return;
  const now = services.now();
  const updated = await services.prisma.$queryRaw<Array<{ id: string }>>`
    UPDATE "OrderLink" AS o SET
      "acceptanceStatus" = v.status,
      "acceptedAt" = CASE WHEN v.status = 'REFUSED' THEN NULL ELSE ${now.toISOString()}::timestamp(3) END,
      "holdReason" = NULL, "lastError" = NULL,
      "importStatus" = CASE WHEN v.status = 'REFUSED' AND o."importStatus" = 'WAITING' THEN 'NOT_IMPORTED' ELSE o."importStatus" END,
      "version" = o."version" + 1, "updatedAt" = (now() AT TIME ZONE 'UTC')
    FROM unnest(${sent.map((s) => s.link.id)}::text[], ${sent.map((s) => statusOf(s.lines))}::text[]) AS v(id, status)
    WHERE o."id" = v.id AND o."acceptanceStatus" = 'PENDING'
    RETURNING o."id"`;
  const done = new Set(updated.map((u) => u.id));
  const events: Prisma.SyncEventCreateManyInput[] = [];
  for (const { link, lines } of sent) {
    if (!done.has(link.id)) continue;
    const status = statusOf(lines);
    const refused = lines.filter((l) => !l.accepted).map((l) => `${l.offerSku}${l.reason ? ` (${l.reason})` : ""}`);
    // Plain words only: older entries carry "(OR21)", which the timeline moves to a tooltip.
    const message =
      status === "ACCEPTED"
        ? `Accepted on Mirakl: ${plural(lines.length, "line")}`
        : status === "REFUSED"
          ? `Refused on Mirakl: ${refused.join("; ")}`
          : `Partly accepted on Mirakl: refused ${refused.join("; ")}`;
    events.push(eventRow(link, { kind: status === "REFUSED" ? "refused" : "accepted", level: status === "ACCEPTED" ? "success" : "warning", message }));
  }
  if (events.length > 0) await services.prisma.syncEvent.createMany({ data: events });
  // An order decided after a hold (a person, a released SKU, Shopify back) had a held-order Task: it is done now.
  const keys = sent.filter((s) => done.has(s.link.id)).map((s) => orderTaskKeys.heldOrder(connection.id, s.link.miraklOrderId));
  await services.prisma.task.updateMany({ where: { shop: connection.shop, dedupeKey: { in: keys }, status: "OPEN" }, data: { status: "RESOLVED", resolvedAt: new Date(), resolvedBy: "auto" } });
  log.info("acceptance sent", { shop: connection.shop, connectionId: connection.id, orders: done.size });
}

export type AcceptJobOutcome =
  | { kind: "not_found" }
  | { kind: "no_longer_waiting"; state: string }
  | { kind: "held_for_review" }
  | { kind: "done"; summary: AcceptanceSummary };

/**
 * orders.accept: retries of OR21 and orders released for a new decision. Always reads the order from Mirakl
 * first, so a decision that timed out after being applied is never sent twice.
 */
export async function acceptOrderJob({ services, orderLinkId }: { services: Services; orderLinkId: string }): Promise<AcceptJobOutcome> {
  const link = await services.prisma.orderLink.findUnique({ where: { id: orderLinkId } });
  if (!link) return { kind: "not_found" };
  const connection = await services.prisma.marketplaceConnection.findUnique({ where: { id: link.connectionId } });
  if (!connection) return { kind: "not_found" };
  if (link.miraklState !== "WAITING_ACCEPTANCE") return { kind: "no_longer_waiting", state: link.miraklState };
  const fresh = await reread(services, connection, link.miraklOrderId);
  if (!fresh) throw new AppError(`Could not read Mirakl order ${link.miraklOrderId} before deciding; will retry`, { code: "MIRAKL_REREAD_FAILED", retryable: true });
  if (fresh.miraklState !== "WAITING_ACCEPTANCE") return { kind: "no_longer_waiting", state: fresh.miraklState };
  if (!needsDecision(fresh) && !awaitingSend(fresh)) return { kind: "held_for_review" };
  const summary = await acceptOrders({ services, connection, links: [fresh] });
  return { kind: "done", summary };
}

export type HeldDecision = "accept" | "refuse" | { lines: Record<string, boolean> };

export type DecideHeldOutcome =
  | { kind: "sent"; status: string }
  | { kind: "queued" }
  | { kind: "not_waiting"; state: string }
  | { kind: "invalid"; message: string }
  | { kind: "not_found" };

/**
 * The Orders screen's Accept / Refuse / per-line decision on a held order. A person's decision stands over the
 * checks (they may know the stock is there); partial decisions only where the marketplace allows them.
 */
export async function decideHeldOrder({ services, orderLinkId, decision, by = "merchant" }: { services: Services; orderLinkId: string; decision: HeldDecision; by?: string }): Promise<DecideHeldOutcome> {
  const link = await services.prisma.orderLink.findUnique({ where: { id: orderLinkId } });
  if (!link) return { kind: "not_found" };
  const connection = await services.prisma.marketplaceConnection.findUnique({ where: { id: link.connectionId } });
  if (!connection) return { kind: "not_found" };
  if (link.miraklState !== "WAITING_ACCEPTANCE") return { kind: "not_waiting", state: link.miraklState };
  if (link.acceptanceStatus !== "HELD" && link.acceptanceStatus !== "PENDING") return { kind: "not_waiting", state: link.acceptanceStatus };
  const order = snapshotOf(link);
  const previous = new Map((parseDecision(link.acceptanceDecision) ?? []).map((l) => [l.orderLineId, l]));
  const choose = (lineId: string): boolean | undefined => (decision === "accept" ? true : decision === "refuse" ? false : decision.lines[lineId]);
  const lines: DecisionLine[] = [];
  for (const l of order.order_lines) {
    const accepted = choose(l.order_line_id);
    if (accepted === undefined) return { kind: "invalid", message: `Decide every line: line ${l.order_line_id} (${l.offer_sku}) has no decision.` };
    const prev = previous.get(l.order_line_id);
    lines.push({
      orderLineId: l.order_line_id,
      offerSku: l.offer_sku,
      quantity: l.quantity,
      accepted,
      reason: accepted ? null : (prev?.reason ?? `refused by ${by}`),
      check: prev?.check ?? "manual",
      variantId: prev?.variantId ?? null,
      inventoryItemId: prev?.inventoryItemId ?? null,
    });
  }
  const mixed = lines.some((l) => l.accepted) && lines.some((l) => !l.accepted);
  if (mixed && !connection.partialAcceptance) return { kind: "invalid", message: `${connection.name} does not allow accepting only part of an order: accept or refuse all of it.` };
  const res = await services.prisma.orderLink.updateMany({
    where: { id: link.id, miraklState: "WAITING_ACCEPTANCE", acceptanceStatus: { in: ["HELD", "PENDING"] } },
    data: { acceptanceStatus: "PENDING", acceptanceDecision: lines as unknown as Prisma.InputJsonValue, holdReason: null, version: { increment: 1 } },
  });
  if (res.count !== 1) return { kind: "not_waiting", state: "changed" };
  const kind = lines.every((l) => l.accepted) ? "accept all lines" : lines.every((l) => !l.accepted) ? "refuse the order" : "accept some lines";
  await recordOrderEvents(services.prisma, link, [{ kind: "decision", level: "info", message: `Decision by ${by}: ${kind}` }]);
  const fresh = await services.prisma.orderLink.findUniqueOrThrow({ where: { id: link.id } });
  const sent = await sendDecision({ services, connection, link: fresh, lines });
  if (sent === "sent") {
    const after = await services.prisma.orderLink.findUniqueOrThrow({ where: { id: link.id } });
    return { kind: "sent", status: after.acceptanceStatus };
  }
  if (sent === "superseded") {
    const after = await services.prisma.orderLink.findUniqueOrThrow({ where: { id: link.id } });
    return { kind: "not_waiting", state: after.miraklState };
  }
  if (sent === "held") return { kind: "invalid", message: "Mirakl refused the decision; see the order's timeline." };
  return { kind: "queued" };
}
