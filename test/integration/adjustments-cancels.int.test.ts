import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "../support/harness";
import { createImportedOrder, later, readMirakl, type AdjustmentsWorld, startAdjustmentsWorld } from "../support/adjustments-fixture";
import { adjustmentDecideCancelJob, scheduleAdjustmentJobs } from "../../app/jobs/adjustment-jobs.server";
import { REPLACEMENT_GRACE_SECONDS } from "../../app/sync/adjustments/replacement-orders.server";
import { addTags, createOrder, miraklOrderTag } from "../../app/shopify";

/**
 * orders/cancelled and replacement orders (order-editing apps cancel the imported order and create a copy), against
 * both simulators. A cancellation waits REPLACEMENT_GRACE_SECONDS for a replacement before Mirakl hears of it; the
 * tests move the app's clock past it (services.now) and run the due work as scheduler.tick would.
 */
let h: Harness;
let world: AdjustmentsWorld;

beforeAll(async () => {
  ({ h, world } = await startAdjustmentsWorld());
});
afterAll(async () => {
  await h?.close();
});

/**
 * The grace period passes: the app's clock moves past it and the queue's delayed jobs become due (pg-boss keeps a
 * delayed job back until its start_after), then everything due runs. With `viaScheduler`, the delayed job is taken
 * to be lost (a crash between the row and the enqueue) and scheduler.tick's sweep must find the work by itself.
 */
async function afterGrace({ viaScheduler = false } = {}) {
  const restore = later(h.services, (REPLACEMENT_GRACE_SECONDS + 5) * 1000);
  try {
    let n = 0;
    if (viaScheduler) {
      await h.services.prisma.$executeRawUnsafe(`DELETE FROM pgboss.job WHERE name = 'adjustments.decide-cancel'`);
      n = await scheduleAdjustmentJobs({ services: h.services, connection: world.connection, now: h.services.now() });
    } else {
      await h.services.prisma.$executeRawUnsafe(`UPDATE pgboss.job SET start_after = now() WHERE state IN ('created', 'retry')`);
    }
    await h.drain();
    return n;
  } finally {
    restore();
  }
}

const or29Calls = () => h.mirakl.control.stats().calls.OR29 ?? 0;

/** A copy of the order as an editing app would create it (carrying the Mirakl tag and metafield). */
async function copyOrder(o: { miraklOrderId: string }, skus: Array<{ sku: string; quantity: number }>) {
  const admin = await h.services.shopifyAdmin(h.shop);
  return createOrder({
    client: admin,
    input: {
      lineItems: skus.map((s) => ({ variantId: h.catalogue.variants[s.sku]!.variantId as never, quantity: s.quantity, priceSet: { shopMoney: { amount: "39.95", currencyCode: "GBP" } } })),
      currency: "GBP",
      tags: [miraklOrderTag(o.miraklOrderId), "mirakl"],
      metafields: [{ namespace: "mirakl", key: "order_id", value: o.miraklOrderId, type: "single_line_text_field" }],
    },
    options: { inventoryBehaviour: "BYPASS" },
  });
}

describe("orders/cancelled → Mirakl", () => {
  it("a full cancel waits for a replacement, then sends OR29 once", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }, { sku: "TOTE", quantity: 1 }] });
    const before = or29Calls();
    h.shopify.control.cancelOrder({ shop: h.shop, orderId: o.shopifyOrderId, restock: true });
    await h.drain();
    // Within the grace period nothing reaches Mirakl.
    expect((await readMirakl(world, o.miraklOrderId)).order_state).toBe("SHIPPING");
    const pending = await h.services.prisma.miraklAdjustment.findUniqueOrThrow({ where: { dedupeKey: `cancel:${o.shopifyOrderId}` } });
    expect(pending).toMatchObject({ status: "PENDING", kind: "CANCEL_ORDER" });
    expect((await h.services.prisma.orderLink.findUniqueOrThrow({ where: { id: o.link.id } })).shopifyState).toBe("CANCELLED");

    expect(await afterGrace({ viaScheduler: true })).toBe(1);
    expect((await readMirakl(world, o.miraklOrderId)).order_state).toBe("CANCELED");
    expect(or29Calls()).toBe(before + 1);
    expect((await h.services.prisma.miraklAdjustment.findUniqueOrThrow({ where: { id: pending.id } })).status).toBe("SENT");

    // A second delivery of the cancellation and a second run of the decision change nothing.
    await h.services.jobs.runNow(adjustmentDecideCancelJob, { shop: h.shop, connectionId: world.connection.id, adjustmentId: pending.id });
    await afterGrace();
    expect(or29Calls()).toBe(before + 1);
    expect(await h.services.prisma.miraklAdjustment.count({ where: { orderLinkId: o.link.id } })).toBe(1);
  });

  it("a replacement order from an order-editing app takes over the Mirakl order; the original's cancel never reaches Mirakl", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }, { sku: "TOTE", quantity: 1 }] });
    const before = or29Calls();
    const replaced = h.shopify.control.replaceOrder({ shop: h.shop, orderId: o.shopifyOrderId });
    await h.drain();
    const link = await h.services.prisma.orderLink.findUniqueOrThrow({ where: { id: o.link.id } });
    expect(link).toMatchObject({ shopifyOrderId: replaced.newOrderId, shopifyOrderName: replaced.name, previousShopifyOrderIds: [o.shopifyOrderId], shopifyState: "OPEN" });
    expect((await h.services.prisma.miraklAdjustment.findUniqueOrThrow({ where: { dedupeKey: `cancel:${o.shopifyOrderId}` } })).status).toBe("SKIPPED");
    await afterGrace();
    expect((await readMirakl(world, o.miraklOrderId)).order_state).toBe("SHIPPING");
    expect(or29Calls()).toBe(before);
    // The timeline shows the chain.
    const event = await h.services.prisma.syncEvent.findFirstOrThrow({ where: { entityId: o.link.id, kind: "shopify_order_replaced" } });
    expect(event.message).toContain(replaced.name);
    expect((event.data as { chain: string[] }).chain).toEqual([o.shopifyOrderId, replaced.newOrderId]);

    // What happens to the new order is what Mirakl hears about: an edit on it reaches the same Mirakl order.
    const newTote = h.shopify.control.order({ shop: h.shop, orderId: replaced.newOrderId }).lineItems.find((li) => li.sku === "TOTE")!;
    h.shopify.control.editOrder({ shop: h.shop, orderId: replaced.newOrderId, removeLineItemId: newTote.id });
    await h.drain();
    const tote = (await readMirakl(world, o.miraklOrderId)).order_lines.find((l) => l.offer_sku === "TOTE")!;
    expect(tote.cancelations).toHaveLength(1);
  });

  it("the replacement's webhook may come after the cancellation: the waiting cancel is dropped and the link moves", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }] });
    const before = or29Calls();
    h.shopify.control.cancelOrder({ shop: h.shop, orderId: o.shopifyOrderId, restock: true, reason: "OTHER" });
    await h.drain();
    expect((await h.services.prisma.miraklAdjustment.findUniqueOrThrow({ where: { dedupeKey: `cancel:${o.shopifyOrderId}` } })).status).toBe("PENDING");
    // The editing app's copy appears later; its orders/updated (here from a tag change) carries the Mirakl tag.
    const copy = await copyOrder(o, [{ sku: "TOP-NAVY-M", quantity: 1 }]);
    await addTags({ client: await h.services.shopifyAdmin(h.shop), id: copy.id, tags: ["edited"] });
    await h.drain();
    expect((await h.services.prisma.orderLink.findUniqueOrThrow({ where: { id: o.link.id } })).shopifyOrderId).toBe(copy.id);
    expect((await h.services.prisma.miraklAdjustment.findUniqueOrThrow({ where: { dedupeKey: `cancel:${o.shopifyOrderId}` } })).status).toBe("SKIPPED");
    await afterGrace();
    expect((await readMirakl(world, o.miraklOrderId)).order_state).toBe("SHIPPING");
    expect(or29Calls()).toBe(before);
  });

  it("the replacement may come before the cancellation: a duplicate-order Task, then the link moves and the Task closes", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOTE", quantity: 1 }] });
    const copy = await copyOrder(o, [{ sku: "TOTE", quantity: 1 }]);
    await addTags({ client: await h.services.shopifyAdmin(h.shop), id: copy.id, tags: ["edited"] });
    await h.drain();
    const dup = await h.services.prisma.task.findFirstOrThrow({ where: { shop: h.shop, kind: "duplicate_shopify_order", entityId: o.link.id } });
    expect(dup.status).toBe("OPEN");
    expect((await h.services.prisma.orderLink.findUniqueOrThrow({ where: { id: o.link.id } })).shopifyOrderId).toBe(o.shopifyOrderId);

    h.shopify.control.cancelOrder({ shop: h.shop, orderId: o.shopifyOrderId, restock: true, reason: "OTHER" });
    await h.drain();
    expect((await h.services.prisma.orderLink.findUniqueOrThrow({ where: { id: o.link.id } })).shopifyOrderId).toBe(copy.id);
    expect((await h.services.prisma.task.findUniqueOrThrow({ where: { id: dup.id } })).status).toBe("RESOLVED");
    await afterGrace();
    expect((await readMirakl(world, o.miraklOrderId)).order_state).toBe("SHIPPING");
  });

  it("a cancel Mirakl no longer allows (the order shipped) becomes a Task; Mirakl is untouched", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOTE", quantity: 1 }], state: "SHIPPED", fulfilInShopify: false });
    h.shopify.control.cancelOrder({ shop: h.shop, orderId: o.shopifyOrderId, restock: false, reason: "CUSTOMER" });
    await h.drain();
    await afterGrace();
    expect((await readMirakl(world, o.miraklOrderId)).order_state).toBe("SHIPPED");
    const task = await h.services.prisma.task.findFirstOrThrow({ where: { shop: h.shop, kind: "order_cancel_not_on_mirakl", entityId: o.link.id } });
    expect(task.body).toMatch(/no longer allows cancelling/);
    expect(task.body).toContain(o.miraklOrderId);
    expect((await h.services.prisma.miraklAdjustment.findUniqueOrThrow({ where: { dedupeKey: `cancel:${o.shopifyOrderId}` } })).status).toBe("TASK");
  });
});
