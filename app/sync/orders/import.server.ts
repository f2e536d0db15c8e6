/**
 * Import into Shopify, exactly once, when the order reaches SHIPPING (customer debited, address present).
 *
 * orderCreate has no idempotency (Shopify notes §4.1), so "once" rests on three things:
 *  1. a claim on the OrderLink (READY/FAILED → IMPORTING, atomically; a claim older than STALE_CLAIM_MS is a
 *     crashed worker's and may be taken over);
 *  2. before any attempt that may follow an earlier one (attempts > 1, or a taken-over claim) the order is looked
 *     up in Shopify by its Mirakl id (tag, source identifier and the unique metafield);
 *  3. the mirakl.order_id metafield has a unique-values definition, so Shopify itself refuses a second order for
 *     the same Mirakl order even if a slow worker's create lands after someone else's lookup.
 * Duplicates found anyway (e.g. created by another app) raise a critical Task; a third order is never created.
 */
import { randomUUID } from "node:crypto";
import type { MarketplaceConnection, OrderLink, Prisma } from "@prisma/client";
import type { Services } from "../../services.server";
import { AppError, errorMessage, isRetryable } from "../../lib/errors";
import { logger } from "../../lib/logger";
import {
  createOrder,
  ensureMiraklIdMetafieldDefinition,
  findOrderByMiraklId,
  ShopifyUserError,
  type AdminClient,
  type OrderRef,
  type ShopifyGid,
} from "../../shopify";
import { parseDecision, type DecisionLine } from "./acceptance-policy";
import { snapshotOf } from "./ingest.server";
import { enqueueOrderJob, ORDER_JOBS } from "./job-names";
import { activeLines, hasEndedUnshipped, hasShippingAddress, isDebited } from "./mirakl-order";
import { centsToDecimal } from "./money";
import { duplicateOrdersTask, importFailedTask, orderTaskKeys, totalsDifferTask } from "./order-tasks";
import { recordOrderEvents } from "./order-timeline.server";
import { raiseSkuTasks, refreshSkuTasks } from "./quarantine.server";
import { buildOrderInput, MIRAKL_METAFIELD_NAMESPACE, MIRAKL_ORDER_ID_KEY, type ImportLine } from "./shopify-order-input";
import { resolveSkus } from "./sku-resolution.server";

const log = logger.child({ module: "orders.import" });

type ResolvedLine = ImportLine & { inventoryItemId: string | null };

/** Longer than one attempt can take (throttle waits ≤ 60 s per call, 30 s timeouts, a lookup and a create). */
export const STALE_CLAIM_MS = 5 * 60_000;

export class ImportInProgressError extends AppError {
  constructor(miraklOrderId: string, retryAfterMs: number) {
    super(`Order ${miraklOrderId} is being imported by another worker`, { code: "IMPORT_IN_PROGRESS", retryable: true, retryAfterMs });
  }
}

export type ImportOutcome =
  | { kind: "imported"; shopifyOrderId: string; shopifyOrderName: string; created: boolean }
  | { kind: "already_imported"; shopifyOrderName: string | null }
  | { kind: "held"; skus: string[] }
  | { kind: "not_importable"; reason: string }
  | { kind: "failed"; message: string };

/** The unique metafield definition is created once per shop (per process; creating it again answers TAKEN). */
const definitions = new Map<string, boolean>();

async function uniqueGuard(services: Services, client: AdminClient): Promise<boolean> {
  const key = `${client.shop}|${services.env.SHOPIFY_ADMIN_API_ORIGIN ?? ""}`;
  const known = definitions.get(key);
  if (known !== undefined) return known;
  try {
    await ensureMiraklIdMetafieldDefinition({ client, namespace: MIRAKL_METAFIELD_NAMESPACE, key: MIRAKL_ORDER_ID_KEY });
    definitions.set(key, true);
    return true;
  } catch (err) {
    // Without it we still have the claim and the search lookup; say so once and carry on.
    log.warn("could not create the unique Mirakl id metafield definition", { shop: client.shop, error: errorMessage(err) });
    if (!isRetryable(err)) definitions.set(key, false);
    return false;
  }
}

function isTakenError(err: unknown): boolean {
  return err instanceof ShopifyUserError && err.userErrors.some((e) => e.code === "TAKEN" || /already been taken/i.test(e.message));
}

interface ClaimedRow extends OrderLink {
  previousStatus: string;
}

/**
 * READY/FAILED → IMPORTING (or a stale IMPORTING taken over) in one statement, returning the row and the status it
 * had: under READ COMMITTED the row lock makes the second of two concurrent claims re-check and fail.
 */
async function claim(services: Services, orderLinkId: string, token: string, now: Date): Promise<ClaimedRow | null> {
  const staleBefore = new Date(now.getTime() - STALE_CLAIM_MS);
  const rows = await services.prisma.$queryRaw<ClaimedRow[]>`
    WITH prev AS (SELECT "id", "importStatus" FROM "OrderLink" WHERE "id" = ${orderLinkId} FOR UPDATE)
    UPDATE "OrderLink" AS o SET
      "importStatus" = 'IMPORTING', "importClaim" = ${token}, "importClaimedAt" = ${now.toISOString()}::timestamp(3),
      "importAttempts" = o."importAttempts" + 1, "version" = o."version" + 1, "updatedAt" = (now() AT TIME ZONE 'UTC')
    FROM prev
    WHERE o."id" = prev."id"
      AND (o."importStatus" IN ('READY', 'FAILED') OR (o."importStatus" = 'IMPORTING' AND o."importClaimedAt" < ${staleBefore.toISOString()}::timestamp(3)))
    RETURNING o.*, prev."importStatus" AS "previousStatus"`;
  return rows[0] ?? null;
}

export async function importOrder({ services, orderLinkId }: { services: Services; orderLinkId: string }): Promise<ImportOutcome> {
  const prisma = services.prisma;
  // 1. Claim first (the common case is a READY order): one statement instead of a read and a write.
  const now = services.now();
  const token = randomUUID();
  const link = await claim(services, orderLinkId, token, now);
  if (!link) {
    const current = await prisma.orderLink.findUnique({ where: { id: orderLinkId } });
    if (!current) return { kind: "not_importable", reason: "order link deleted" };
    if (current.importStatus === "IMPORTED") return { kind: "already_imported", shopifyOrderName: current.shopifyOrderName };
    if (current.importStatus === "IMPORTING") {
      const age = now.getTime() - (current.importClaimedAt?.getTime() ?? now.getTime());
      throw new ImportInProgressError(current.miraklOrderId, Math.max(5_000, STALE_CLAIM_MS - age));
    }
    return { kind: "not_importable", reason: `import status is ${current.importStatus}` };
  }
  const connection = await prisma.marketplaceConnection.findUnique({ where: { id: link.connectionId } });
  if (!connection) return { kind: "not_importable", reason: "connection deleted" };
  if (connection.paused) {
    await release(services, link, token, { importStatus: "READY" });
    throw new AppError(`Connection ${connection.name} is paused`, { code: "CONNECTION_PAUSED", retryable: true, retryAfterMs: 5 * 60_000 });
  }
  const order = snapshotOf(link);
  if (hasEndedUnshipped(order.order_state) || !isDebited(order.order_state) || !hasShippingAddress(order)) {
    await release(services, link, token, { importStatus: hasEndedUnshipped(order.order_state) ? "NOT_IMPORTED" : link.previousStatus === "IMPORTING" ? "READY" : link.previousStatus });
    return { kind: "not_importable", reason: `Mirakl state is ${order.order_state}` };
  }
  const tookOver = link.previousStatus === "IMPORTING";
  const mayExist = link.importAttempts > 1 || tookOver;
  const ctx = { shop: link.shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId };

  try {
    const client = await services.shopifyAdmin(link.shop);
    const unique = await uniqueGuard(services, client);

    // 2. Look before creating again.
    if (mayExist) {
      const found = await lookup(client, link.miraklOrderId, unique);
      if (found.kind === "found") return await finish({ services, connection, link, token, ref: found.order, created: false, lines: null, built: null });
      if (found.kind === "duplicates") {
        const [oldest] = found.matches;
        await services.tasks.raise(duplicateOrdersTask({ connection, link, names: found.matches.map((m) => m.name) }));
        log.error("duplicate Shopify orders found for one Mirakl order", { ...ctx, names: found.matches.map((m) => m.name) });
        if (oldest) return await finish({ services, connection, link, token, ref: oldest, created: false, lines: null, built: null });
      }
    }

    // 3. Every line must resolve to exactly one variant, or the whole order waits (never half-imported).
    const lines = activeLines(order);
    if (lines.length === 0) {
      await release(services, link, token, { importStatus: "NOT_IMPORTED" });
      return { kind: "not_importable", reason: "no active line left" };
    }
    const resolution = await resolveSkus({ services, connection, skus: lines.map((l) => l.offer_sku) });
    const unverified = [...resolution.values()].find((r) => r.kind === "unverified");
    if (unverified && unverified.kind === "unverified") throw new AppError(`Shopify variant search failed: ${unverified.error}`, { code: "SHOPIFY_UNAVAILABLE", retryable: true });
    const problems = lines.flatMap((l) => {
      const r = resolution.get(l.offer_sku);
      return r && r.kind !== "matched" && r.kind !== "unverified" ? [{ offerSku: l.offer_sku, problem: r.kind }] : [];
    });
    if (problems.length > 0) return await quarantine({ services, connection, link, token, problems });
    const importLines: ResolvedLine[] = lines.map((line) => {
      const r = resolution.get(line.offer_sku);
      return { line, variantId: (r && r.kind === "matched" ? r.variantId : "") as ShopifyGid, inventoryItemId: r && r.kind === "matched" && r.tracked ? r.inventoryItemId : null };
    });

    // 4. Create, with Mirakl's prices, taxes and addresses.
    const built = buildOrderInput({
      order,
      lines: importLines,
      marketplaceName: connection.name,
      defaultTaxMode: connection.orderTaxMode,
      defaultCurrency: connection.currency,
      customerPolicy: connection.customerPolicy,
      sharedCustomerEmail: connection.sharedCustomerEmail,
      now: new Date(Math.min(services.now().getTime(), Date.now())),
    });
    let ref: Pick<OrderRef, "id" | "name">;
    try {
      ref = await createOrder({ client, input: built.input, options: { inventoryBehaviour: "DECREMENT_IGNORING_POLICY" } });
    } catch (err) {
      if (!isTakenError(err)) throw err;
      // The unique metafield says it exists: someone (an earlier attempt) created it after all.
      const found = await lookup(client, link.miraklOrderId, unique);
      if (found.kind === "not_found") throw new AppError(`Shopify reports order ${link.miraklOrderId} exists but it cannot be found yet`, { code: "SHOPIFY_LOOKUP_LAG", retryable: true, retryAfterMs: 10_000 });
      const first = found.kind === "found" ? found.order : found.matches[0];
      if (found.kind === "duplicates") await services.tasks.raise(duplicateOrdersTask({ connection, link, names: found.matches.map((m) => m.name) }));
      if (!first) throw err;
      return await finish({ services, connection, link, token, ref: first, created: false, lines: importLines, built: null });
    }
    return await finish({ services, connection, link, token, ref, created: true, lines: importLines, built });
  } catch (err) {
    const message = errorMessage(err);
    if (err instanceof ShopifyUserError) {
      // Shopify refused the order itself: retrying the same input cannot help. A person fixes the cause, then Retry.
      await release(services, link, token, { importStatus: "FAILED", lastError: message.slice(0, 1000), holdReason: `SHOPIFY_REFUSED: ${message}`.slice(0, 1000) });
      await services.tasks.raise(importFailedTask({ connection, link, message: err.userErrors.map((e) => e.message).join("; ") }));
      await recordOrderEvents(prisma, link, [{ kind: "import_failed", level: "error", message: `Shopify refused the order: ${message}` }]);
      log.warn("import refused by Shopify", { ...ctx, error: message });
      return { kind: "failed", message };
    }
    await release(services, link, token, { importStatus: "FAILED", lastError: message.slice(0, 1000) });
    await recordOrderEvents(prisma, link, [
      { kind: "import_retry", level: "warning", message: `Import attempt ${link.importAttempts} failed (${message}); it will be retried${(err as AppError).details?.mayHaveApplied ? ", after checking Shopify for the order" : ""}` },
    ]);
    throw err;
  }
}

async function lookup(client: AdminClient, miraklOrderId: string, unique: boolean) {
  return findOrderByMiraklId({ client, miraklOrderId, namespace: MIRAKL_METAFIELD_NAMESPACE, key: MIRAKL_ORDER_ID_KEY, sourceIdentifier: miraklOrderId, useUniqueIdentifier: unique });
}

/** Gives the claim back (only our own claim: a worker that took over after us keeps its claim). */
async function release(services: Services, link: OrderLink, token: string, data: { importStatus: string; lastError?: string; holdReason?: string }): Promise<void> {
  await services.prisma.orderLink.updateMany({ where: { id: link.id, importClaim: token }, data: { ...data, importClaim: null, version: { increment: 1 } } });
}

async function quarantine(input: {
  services: Services;
  connection: MarketplaceConnection;
  link: OrderLink;
  token: string;
  problems: Array<{ offerSku: string; problem: "unmapped" | "ambiguous" | "ignored" }>;
}): Promise<ImportOutcome> {
  const { services, connection, link, problems } = input;
  const skus = [...new Set(problems.map((p) => p.offerSku))];
  await release(services, link, input.token, { importStatus: "HELD", holdReason: `UNMAPPED_SKU: ${skus.join(", ")}` });
  await raiseSkuTasks({ services, connection, problems, exampleOrderLinkId: link.id });
  await recordOrderEvents(services.prisma, link, [
    { kind: "held", level: "warning", message: `Not imported yet: ${skus.map((s) => `SKU ${s}`).join(", ")} ${skus.length > 1 ? "are" : "is"} not linked to exactly one Shopify variant. It is imported as soon as the SKU is linked.`, data: { skus } },
  ]);
  log.info("order quarantined for unmapped SKUs", { shop: link.shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId, skus });
  return { kind: "held", skus };
}

async function finish(input: {
  services: Services;
  connection: MarketplaceConnection;
  link: OrderLink;
  token: string;
  ref: Pick<OrderRef, "id" | "name">;
  created: boolean;
  lines: ResolvedLine[] | null;
  built: ReturnType<typeof buildOrderInput> | null;
}): Promise<ImportOutcome> {
  const { services, connection, link, ref, created, built } = input;
  const order = snapshotOf(link);
  const importLines: ResolvedLine[] = input.lines ?? activeLines(order).map((line) => ({ line, variantId: "" as ShopifyGid, inventoryItemId: null }));
  const decision = positions(parseDecision(link.acceptanceDecision) ?? [], importLines);
  // Leaving the "accepted, not imported" set releases the order's reservation; the cached stock must lose the same
  // units in the same instant, under the lock acceptance decides under, or a decision in between would count them
  // as free (both gone from the reservation and still in the cache).
  const stored = await services.prisma.$transaction(
    async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`orders-acceptance:${connection.shop}`}))`;
      const rows = await tx.$queryRaw<Array<{ snapshot: unknown }>>`
        UPDATE "OrderLink" SET
          "importStatus" = 'IMPORTED', "shopifyOrderId" = ${ref.id}, "shopifyOrderName" = ${ref.name}, "shopifyState" = 'OPEN',
          "importClaim" = NULL, "lastError" = NULL, "holdReason" = NULL, "acceptanceDecision" = ${JSON.stringify(decision)}::jsonb,
          "version" = "version" + 1, "updatedAt" = (now() AT TIME ZONE 'UTC')
        WHERE "id" = ${link.id} AND "importClaim" = ${input.token}
        RETURNING "snapshot"`;
      if (rows.length > 0) await decrementCachedStock({ tx, connection, decision });
      return rows;
    },
    { maxWait: 30_000, timeout: 30_000 },
  );
  if (stored.length === 0) {
    // Our claim was taken over as stale: the worker holding it now looks the order up before creating anything.
    log.warn("import finished after the claim was taken over", { shop: link.shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId, shopifyOrderName: ref.name });
    return { kind: "imported", shopifyOrderId: ref.id, shopifyOrderName: ref.name, created };
  }
  const diff = built?.differenceCents ?? 0;
  const note = diff !== 0 && built ? ` (Shopify's total differs by ${centsToDecimal(Math.abs(diff))} ${built.currency} from what Mirakl collected: unit prices rounded to the cent)` : "";
  await recordOrderEvents(services.prisma, link, [
    {
      kind: "imported",
      level: "success",
      message: created ? `Imported into Shopify as ${ref.name}${note}` : `Linked to Shopify order ${ref.name}, which an earlier attempt had created`,
      data: { shopifyOrderId: ref.id, shopifyOrderName: ref.name, created, ...(built ? { shopifyTotal: centsToDecimal(built.shopifyTotalCents), miraklTotal: centsToDecimal(built.collectedCents) } : {}) },
    },
  ]);
  if (built && Math.abs(diff) > built.toleranceCents) {
    await services.tasks.raise(totalsDifferTask({ connection, link, shopifyTotal: centsToDecimal(built.shopifyTotalCents), miraklTotal: centsToDecimal(built.collectedCents), currency: built.currency }));
  }
  // Tasks this order may have raised before (a failed attempt, a SKU it was held for): resolved now, in one read.
  const skus = [...new Set(importLines.map((l) => l.line.offer_sku))];
  const openKeys = await services.prisma.task.findMany({
    where: { shop: link.shop, status: "OPEN", dedupeKey: { in: [orderTaskKeys.importFailed(connection.id, link.miraklOrderId), ...skus.map((sku) => orderTaskKeys.unmappedSku(connection.id, sku))] } },
    select: { dedupeKey: true },
  });
  for (const t of openKeys) {
    if (t.dedupeKey.startsWith("import-failed:")) await services.tasks.resolve({ shop: link.shop, dedupeKey: t.dedupeKey });
  }
  const skuTasks = skus.filter((sku) => openKeys.some((t) => t.dedupeKey === orderTaskKeys.unmappedSku(connection.id, sku)));
  if (skuTasks.length > 0) await refreshSkuTasks({ services, connectionId: connection.id, shop: connection.shop, offerSkus: skuTasks });
  await queueReferenceWrite(services, link);
  // Mirakl may have cancelled the order or a line while we were creating it.
  const latest = stored[0]?.snapshot as ReturnType<typeof snapshotOf> | undefined;
  if (latest && changedSinceImport(latest, decision)) {
    await enqueueOrderJob(services, ORDER_JOBS.cancelInShopify, { shop: link.shop, connectionId: link.connectionId, orderLinkId: link.id });
  }
  log.info(created ? "order imported" : "order linked to an existing Shopify order", { shop: link.shop, connectionId: link.connectionId, miraklOrderId: link.miraklOrderId, shopifyOrderName: ref.name });
  return { kind: "imported", shopifyOrderId: ref.id, shopifyOrderName: ref.name, created };
}

/**
 * OR04 runs at most once a minute for up to 100 orders, so during a burst one queued write-back covers many
 * imports: skip the enqueue (a database round trip) when this process queued one a moment ago. The scheduler's
 * sweep queues it anyway for any order left without its reference.
 */
const referenceQueuedAt = new Map<string, number>();
async function queueReferenceWrite(services: Services, link: Pick<OrderLink, "shop" | "connectionId">): Promise<void> {
  const last = referenceQueuedAt.get(link.connectionId) ?? 0;
  if (Date.now() - last < 10_000) return;
  referenceQueuedAt.set(link.connectionId, Date.now());
  await enqueueOrderJob(services, ORDER_JOBS.writeReference, { shop: link.shop, connectionId: link.connectionId });
}

/** The decision lines with where each imported line sits in the Shopify order (line cancellations address it). */
function positions(decision: DecisionLine[], lines: ResolvedLine[]): DecisionLine[] {
  const byId = new Map(decision.map((d) => [d.orderLineId, d]));
  const out: DecisionLine[] = [];
  lines.forEach(({ line, variantId, inventoryItemId }, i) => {
    const prev = byId.get(line.order_line_id);
    out.push({
      orderLineId: line.order_line_id,
      offerSku: line.offer_sku,
      quantity: prev?.quantity ?? line.quantity,
      accepted: prev?.accepted ?? true,
      reason: prev?.reason ?? null,
      check: prev?.check ?? "ok",
      variantId: variantId || prev?.variantId || null,
      inventoryItemId: inventoryItemId ?? prev?.inventoryItemId ?? null,
      importPosition: i,
      importedQuantity: line.quantity,
    });
    byId.delete(line.order_line_id);
  });
  for (const rest of byId.values()) out.push({ ...rest, importPosition: null, importedQuantity: 0 });
  return out;
}

function changedSinceImport(order: ReturnType<typeof snapshotOf>, decision: DecisionLine[]): boolean {
  if (hasEndedUnshipped(order.order_state)) return true;
  const active = new Map(activeLines(order).map((l) => [l.order_line_id, l.quantity]));
  return decision.some((d) => d.importPosition !== null && d.importPosition !== undefined && (active.get(d.orderLineId) ?? 0) < (d.importedQuantity ?? 0));
}

/**
 * The StockLevel cache loses the units Shopify just committed, so acceptance does not count them again before
 * the inventory webhook arrives. orderCreate does not say which location it used; Shopify assigns the first
 * location able to fulfil the line, which is what we assume (the webhook or the next reconciliation sets the
 * exact figure either way).
 */
async function decrementCachedStock(input: { tx: Prisma.TransactionClient; connection: MarketplaceConnection; decision: DecisionLine[] }): Promise<void> {
  const { tx, connection } = input;
  const lines = input.decision.filter((d) => d.inventoryItemId && (d.importedQuantity ?? 0) > 0);
  if (lines.length === 0) return;
  const items = [...new Set(lines.map((l) => l.inventoryItemId as string))];
  const levels = await tx.stockLevel.findMany({
    where: { shop: connection.shop, inventoryItemId: { in: items }, ...(connection.locationIds.length > 0 ? { locationId: { in: connection.locationIds } } : {}) },
  });
  const order = connection.locationIds;
  const deltas = new Map<string, { item: string; location: string; delta: number }>();
  for (const l of lines) {
    const item = l.inventoryItemId as string;
    const qty = l.importedQuantity ?? 0;
    const candidates = levels.filter((s) => s.inventoryItemId === item).sort((a, b) => order.indexOf(a.locationId) - order.indexOf(b.locationId));
    const chosen = candidates.find((c) => c.available >= qty) ?? candidates[0];
    if (!chosen) continue;
    chosen.available -= qty;
    const key = `${item}|${chosen.locationId}`;
    const cur = deltas.get(key) ?? { item, location: chosen.locationId, delta: 0 };
    cur.delta -= qty;
    deltas.set(key, cur);
  }
  const rows = [...deltas.values()];
  if (rows.length === 0) return;
  // One atomic relative update for all lines (a delta, so a concurrent absolute write from a webhook is not lost).
  await tx.$executeRaw`
    UPDATE "StockLevel" AS s SET "available" = s."available" + v.delta, "updatedAt" = (now() AT TIME ZONE 'UTC')
    FROM unnest(${rows.map((r) => r.item)}::text[], ${rows.map((r) => r.location)}::text[], ${rows.map((r) => r.delta)}::int[]) AS v(item, location, delta)
    WHERE s."shop" = ${connection.shop} AND s."inventoryItemId" = v.item AND s."locationId" = v.location`;
}
