/**
 * OR04 (order_reference_for_seller) against the Mirakl simulator: an order Mirakl refuses is tried three times and
 * then left alone, visibly, while the rest keep being written; a call that failed as a whole (5xx) is no refusal
 * and is retried.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MarketplaceConnection } from "@prisma/client";
import { startHarness, type Harness } from "../support/harness";
import { linkOf, miraklCalls, pollNow, timeline } from "../support/orders";
import { createMiraklClient, createRateLimiter, type MiraklClient } from "../../app/mirakl";
import { decryptSecret } from "../../app/lib/crypto.server";
import { isRetryable } from "../../app/lib/errors";
import { writeReferenceJob } from "../../app/jobs/order-jobs.server";
import { OR04_MAX_REFUSALS, REFERENCE_GIVEN_UP } from "../../app/sync/orders/write-reference.server";

let h: Harness;
let connection: MarketplaceConnection;

beforeAll(async () => {
  h = await startHarness({ mirakl: { tenant: { debitDelayMs: 0 } } });
  connection = h.connection!;
  // OR04 may run once a minute: this test's client does not wait for it (the app's own pacing, through the
  // connection's timeline, is put back a minute by `aMinuteLater`), and does not retry 5xx itself.
  const limiter = createRateLimiter();
  let client: MiraklClient | undefined;
  h.services.mirakl = (c) =>
    (client ??= createMiraklClient({
      baseUrl: c.baseUrl,
      apiKey: decryptSecret(c.apiKeyEncrypted, h.services.env.ENCRYPTION_KEY),
      shopId: c.miraklShopId ?? undefined,
      rateLimiter: limiter,
      limits: { OR04: null },
      retry: { maxRateLimitRetries: 0 },
      maxReadRetries: 0,
    }));
});
afterAll(async () => h?.close());

/** The last OR04 call, as the pacing sees it, a minute ago. */
async function aMinuteLater() {
  await h.services.prisma.syncEvent.updateMany({ where: { entityType: "connection", entityId: connection.id, kind: "seller_references_sent" }, data: { createdAt: new Date(Date.now() - 61_000) } });
}

const writeReferences = () => h.services.jobs.runNow(writeReferenceJob, { shop: h.shop, connectionId: connection.id });

/** Orders accepted, debited and imported into Shopify, their references not written yet. */
async function importedOrders(n: number) {
  const orders = Array.from({ length: n }, () => h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }] }));
  await pollNow(h); // accepted
  await pollNow(h); // SHIPPING: import queued
  await h.shopify.control.flushWebhooks();
  await h.services.jobs.drain({ names: ["orders.import"] });
  const links = await Promise.all(orders.map((o) => linkOf(h, o.order_id)));
  for (const l of links) expect(l).toMatchObject({ importStatus: "IMPORTED", sellerReferenceSent: false });
  return links;
}

const refusals = async (orderLinkId: string) => (await timeline(h, orderLinkId)).filter((e) => e.kind === "reference_failed");
const sellerReference = (miraklOrderId: string) => (h.mirakl.control.getOrder(miraklOrderId)!.references as { order_reference_for_seller: string | null }).order_reference_for_seller;

describe("OR04 refusals", () => {
  it("stops sending an order Mirakl refused three times, says so on its timeline, and keeps retrying failed calls", async () => {
    const [good] = await importedOrders(1);
    // Mirakl answers OR04 per order; it refuses an order it does not know for this shop (ORDER_NOT_FOUND), which is
    // how the simulator refuses one order of a batch: an imported order whose Mirakl id it has never heard of.
    const { id: _id, createdAt: _c, updatedAt: _u, snapshot, acceptanceDecision: _d, ...fields } = good!;
    const bad = await h.services.prisma.orderLink.create({ data: { ...fields, snapshot: snapshot as object, miraklOrderId: `${good!.miraklOrderId}-GONE`, shopifyOrderName: `${good!.shopifyOrderName}-B` } });

    expect(await writeReferences()).toEqual({ kind: "sent", updated: 1, errors: 1, more: false });
    expect(sellerReference(good!.miraklOrderId)).toBe(good!.shopifyOrderName);
    expect(await linkOf(h, good!.miraklOrderId)).toMatchObject({ sellerReferenceSent: true, lastError: null });
    expect((await linkOf(h, bad.miraklOrderId)).lastError).toMatch(/^OR04: ORDER_NOT_FOUND/);
    expect((await refusals(bad.id)).map((e) => e.message)).toEqual([expect.stringContaining(`refusal 1 of ${OR04_MAX_REFUSALS}`)]);

    // Mirakl down (5xx before anything is applied): the call failed, nothing was refused, the job retries it.
    h.mirakl.control.setFaults({ rate5xx: 1, only: ["OR04"] });
    await aMinuteLater();
    try {
      const err = await writeReferences().catch((e: unknown) => e);
      expect(isRetryable(err)).toBe(true);
    } finally {
      h.mirakl.control.clearFaults();
    }
    expect(await refusals(bad.id)).toHaveLength(1);
    expect((await linkOf(h, bad.miraklOrderId)).sellerReferenceSent).toBe(false);

    // Refused again with the next two batches; the third refusal is the last.
    for (let i = 2; i <= OR04_MAX_REFUSALS; i++) {
      await aMinuteLater();
      expect(await writeReferences()).toEqual({ kind: "sent", updated: 0, errors: 1, more: false });
    }
    const given = await linkOf(h, bad.miraklOrderId);
    expect(given.sellerReferenceSent).toBe(false);
    expect(given.lastError).toMatch(new RegExp(`^${REFERENCE_GIVEN_UP}`));
    const events = await refusals(bad.id);
    expect(events).toHaveLength(OR04_MAX_REFUSALS);
    expect(events.at(-1)).toMatchObject({ level: "error", message: expect.stringContaining("Mirakl refused the Shopify order name 3 times; not sent again") });

    // Never sent again: nothing to send on its own, and a later batch carries only the new orders.
    const calls = miraklCalls(h, "OR04");
    await aMinuteLater();
    expect(await writeReferences()).toEqual({ kind: "nothing_to_send" });
    expect(miraklCalls(h, "OR04")).toBe(calls);
    const [later] = await importedOrders(1);
    await aMinuteLater();
    expect(await writeReferences()).toEqual({ kind: "sent", updated: 1, errors: 0, more: false });
    expect(sellerReference(later!.miraklOrderId)).toBe(later!.shopifyOrderName);
    expect(await refusals(bad.id)).toHaveLength(OR04_MAX_REFUSALS);

    // Another flow clearing lastError does not put it back in the queue: the timeline still counts three refusals.
    await h.services.prisma.orderLink.update({ where: { id: bad.id }, data: { lastError: null } });
    await aMinuteLater();
    expect(await writeReferences()).toEqual({ kind: "nothing_to_send" });
    expect(miraklCalls(h, "OR04")).toBe(calls + 1);
    expect((await linkOf(h, bad.miraklOrderId)).lastError).toBe(REFERENCE_GIVEN_UP);
  });
});
