import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Harness } from "../support/harness";
import { createImportedOrder, readMirakl, setPartialCancel, type AdjustmentsWorld, startAdjustmentsWorld } from "../support/adjustments-fixture";
import { adjustmentSendJob } from "../../app/jobs/adjustment-jobs.server";
import { handleOrderEdited } from "../../app/sync/adjustments/order-edits.server";
import { sendAdjustment } from "../../app/sync/adjustments/send-adjustment.server";

/**
 * orders/edited on imported orders, against both simulators: Shopify's merchant edit fires the real webhook over HTTP,
 * the job runs the handler and the OR30/OR29 send, and the Mirakl simulator's cancelations[] prove what Mirakl heard.
 */
let h: Harness;
let world: AdjustmentsWorld;

beforeAll(async () => {
  ({ h, world } = await startAdjustmentsWorld());
});
afterAll(async () => {
  await h?.close();
});

async function tasksFor(linkId: string) {
  return h.services.prisma.task.findMany({ where: { shop: h.shop, entityId: linkId, status: "OPEN" } });
}

describe("orders/edited → Mirakl", () => {
  it("a removed line becomes one OR30 with the Mirakl line's amounts and taxes, never twice", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }, { sku: "TOTE", quantity: 1 }] });
    const tote = o.order.order_lines.find((l) => l.offer_sku === "TOTE")!;
    h.shopify.control.editOrder({ shop: h.shop, orderId: o.shopifyOrderId, removeLineItemId: o.lineItems.TOTE! });
    await h.drain();

    const after = await readMirakl(world, o.miraklOrderId);
    const line = after.order_lines.find((l) => l.offer_sku === "TOTE")!;
    expect(line.order_line_state).toBe("CANCELED");
    expect(line.cancelations).toHaveLength(1);
    expect(line.cancelations[0]).toMatchObject({ quantity: 1, amount: tote.price, shipping_amount: tote.shipping_price ?? 0 });
    expect(line.cancelations[0]!.taxes.map((t) => ({ code: t.code, amount: t.amount }))).toEqual(tote.taxes.map((t) => ({ code: t.code, amount: t.amount })));
    expect(after.order_lines.find((l) => l.offer_sku === "TOP-NAVY-M")!.cancelations).toEqual([]);
    const adjustments = await h.services.prisma.miraklAdjustment.findMany({ where: { orderLinkId: o.link.id } });
    expect(adjustments).toHaveLength(1);
    expect(adjustments[0]).toMatchObject({ status: "SENT", kind: "CANCEL_LINES" });
    expect(await tasksFor(o.link.id)).toEqual([]);

    // The same edit delivered again (another subscription, a replay): nothing more reaches Mirakl.
    const delivery = await h.services.prisma.webhookDelivery.findFirstOrThrow({ where: { shop: h.shop, topic: "ORDERS_EDITED" }, orderBy: { receivedAt: "desc" } });
    expect(await handleOrderEdited({ services: h.services, shop: h.shop, payload: delivery.payload })).toMatchObject({ kind: "ignored" });
    await h.services.jobs.runNow(adjustmentSendJob, { shop: h.shop, connectionId: world.connection.id, adjustmentId: adjustments[0]!.id });
    expect((await readMirakl(world, o.miraklOrderId)).order_lines.find((l) => l.offer_sku === "TOTE")!.cancelations).toHaveLength(1);
    const events = await h.services.prisma.syncEvent.findMany({ where: { entityId: o.link.id, kind: "mirakl_lines_cancelled" } });
    expect(events).toHaveLength(1);
  });

  it("a reduced quantity cancels only the removed units, priced per unit from the line", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 3 }] });
    const before = o.order.order_lines[0]!;
    h.shopify.control.editOrder({ shop: h.shop, orderId: o.shopifyOrderId, setQuantity: { lineItemId: o.lineItems["TOP-NAVY-M"]!, quantity: 1 } });
    await h.drain();
    const line = (await readMirakl(world, o.miraklOrderId)).order_lines[0]!;
    expect(line.quantity).toBe(1);
    expect(line.cancelations).toHaveLength(1);
    const c = line.cancelations[0]!;
    expect(c.quantity).toBe(2);
    // 2/3 of the line's price and of its tax, to the cent; the unit that still ships keeps its shipping.
    expect(c.amount).toBe(Math.round(before.price * 200 / 3) / 100);
    expect(c.taxes[0]!.amount).toBe(Math.round((before.taxes[0]!.amount ?? 0) * 200 / 3) / 100);
    expect(c.shipping_amount).toBe(0);
    expect(line.price).toBeCloseTo(before.price - c.amount!, 2);
    expect(line.shipping_price).toBe(before.shipping_price);
  });

  it("an added line cannot exist on Mirakl: a Task explains it, Mirakl is untouched", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }] });
    h.shopify.control.editOrder({ shop: h.shop, orderId: o.shopifyOrderId, addSku: "TOTE" });
    await h.drain();
    const after = await readMirakl(world, o.miraklOrderId);
    expect(after.order_lines).toHaveLength(1);
    expect(after.order_lines[0]!.cancelations).toEqual([]);
    const tasks = await tasksFor(o.link.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ kind: "order_edit_not_on_mirakl" });
    expect(tasks[0]!.body).toMatch(/cannot gain lines/);
    expect(tasks[0]!.body).toMatch(/leave unpaid/);
    expect((await h.services.prisma.miraklAdjustment.findFirstOrThrow({ where: { orderLinkId: o.link.id } })).status).toBe("TASK");
  });

  it("a SKU swap (remove one item, add another) is a Task and cancels nothing", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }, { sku: "TOTE", quantity: 1 }] });
    h.shopify.control.editOrder({ shop: h.shop, orderId: o.shopifyOrderId, removeLineItemId: o.lineItems["TOP-NAVY-M"]!, addSku: "TOP-NAVY-L" });
    await h.drain();
    const after = await readMirakl(world, o.miraklOrderId);
    expect(after.order_lines.every((l) => l.cancelations.length === 0)).toBe(true);
    const tasks = await tasksFor(o.link.id);
    expect(tasks.map((t) => t.title)).toEqual([expect.stringMatching(/item swap cannot reach/)]);
    expect(tasks[0]!.severity).toBe("critical");
    expect(tasks[0]!.body).toContain("TOP-NAVY-L");
  });

  it("an edit on a line already being fulfilled is locked: a Task, nothing sent", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 2 }, { sku: "TOTE", quantity: 1 }] });
    h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, lines: [{ sku: "TOP-NAVY-M", quantity: 1 }], trackingCompany: "Royal Mail", trackingNumber: "RM1" });
    await h.drain();
    h.shopify.control.editOrder({ shop: h.shop, orderId: o.shopifyOrderId, setQuantity: { lineItemId: o.lineItems["TOP-NAVY-M"]!, quantity: 1 } });
    await h.drain();
    const after = await readMirakl(world, o.miraklOrderId);
    expect(after.order_lines.every((l) => l.cancelations.length === 0)).toBe(true);
    expect(after.order_lines.find((l) => l.offer_sku === "TOP-NAVY-M")!.quantity).toBe(2);
    const tasks = await tasksFor(o.link.id);
    expect(tasks).toHaveLength(1);
    expect(tasks[0]).toMatchObject({ kind: "order_edit_locked", severity: "critical" });
    expect(tasks[0]!.body).toMatch(/already fulfilled|fulfilment|shipped/);
  });

  it("a partly fulfilled order (single shipment, OR24 still waiting) can lose a line nobody has shipped: OR30", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }, { sku: "TOTE", quantity: 1 }] });
    h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, lines: [{ sku: "TOP-NAVY-M", quantity: 1 }], trackingCompany: "DPD", trackingNumber: "DPD2" });
    await h.drain();
    // Fulfilment started (the top's tracking went to Mirakl as the order's), but Mirakl waits for the rest: nothing shipped.
    expect((await h.services.prisma.orderLink.findUniqueOrThrow({ where: { id: o.link.id } })).fulfilmentStatus).toBe("TRACKING_SENT");
    expect(await readMirakl(world, o.miraklOrderId)).toMatchObject({ order_state: "SHIPPING", shipping_tracking: "DPD2" });

    h.shopify.control.editOrder({ shop: h.shop, orderId: o.shopifyOrderId, removeLineItemId: o.lineItems.TOTE! });
    await h.drain();
    const after = await readMirakl(world, o.miraklOrderId);
    expect(after.order_lines.find((l) => l.offer_sku === "TOTE")!.order_line_state).toBe("CANCELED");
    expect(after.order_lines.find((l) => l.offer_sku === "TOP-NAVY-M")!.cancelations).toEqual([]);
    expect(await h.services.prisma.miraklAdjustment.findFirstOrThrow({ where: { orderLinkId: o.link.id } })).toMatchObject({ kind: "CANCEL_LINES", status: "SENT" });
    expect((await tasksFor(o.link.id)).filter((t) => t.kind.startsWith("order_edit"))).toEqual([]);
  });

  it("a line whose tracking already reached Mirakl stays locked after its fulfilment is cancelled in Shopify", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }, { sku: "TOTE", quantity: 1 }] });
    const { fulfillmentIds } = h.shopify.control.fulfill({ shop: h.shop, orderId: o.shopifyOrderId, lines: [{ sku: "TOTE", quantity: 1 }], trackingCompany: "DPD", trackingNumber: "DPD3" });
    await h.drain();
    expect((await readMirakl(world, o.miraklOrderId)).shipping_tracking).toBe("DPD3");
    h.shopify.control.cancelFulfillment({ shop: h.shop, fulfillmentId: fulfillmentIds[0]! });
    await h.drain();

    h.shopify.control.editOrder({ shop: h.shop, orderId: o.shopifyOrderId, removeLineItemId: o.lineItems.TOTE! });
    await h.drain();
    expect((await readMirakl(world, o.miraklOrderId)).order_lines.every((l) => l.cancelations.length === 0 && l.order_line_state === "SHIPPING")).toBe(true);
    const [task] = (await tasksFor(o.link.id)).filter((t) => t.kind === "order_edit_locked");
    expect(task?.body).toMatch(/tracking for .* was already sent to Mirakl/);
  });

  it("an order Mirakl shows as shipped is locked even where Shopify has fulfilled nothing", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }, { sku: "TOTE", quantity: 1 }], state: "SHIPPED", fulfilInShopify: false });
    h.shopify.control.editOrder({ shop: h.shop, orderId: o.shopifyOrderId, removeLineItemId: o.lineItems.TOTE! });
    await h.drain();
    expect((await readMirakl(world, o.miraklOrderId)).order_lines.every((l) => l.cancelations.length === 0)).toBe(true);
    const [task] = (await tasksFor(o.link.id)).filter((t) => t.kind === "order_edit_locked");
    expect(task?.body).toContain(`Mirakl already shows order ${o.miraklOrderId} as shipped`);
  });

  it("without partial cancellation the removal is a Task saying what to cancel in the Mirakl back office", async () => {
    world.connection = await setPartialCancel(h.services, world.connection.id, false);
    try {
      const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }, { sku: "TOTE", quantity: 1 }] });
      h.shopify.control.editOrder({ shop: h.shop, orderId: o.shopifyOrderId, removeLineItemId: o.lineItems.TOTE! });
      await h.drain();
      expect((await readMirakl(world, o.miraklOrderId)).order_lines.every((l) => l.cancelations.length === 0)).toBe(true);
      const [task] = await tasksFor(o.link.id);
      expect(task?.title).toMatch(/cancel an item in the Marketplace back office/);
      expect(task?.body).toContain(o.miraklOrderId);
      expect(task?.body).toMatch(/1 × .*TOTE/);
    } finally {
      world.connection = await setPartialCancel(h.services, world.connection.id, true);
    }
  });

  it("an OR30 whose answer never came is found on Mirakl and not sent again", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }, { sku: "TOTE", quantity: 2 }] });
    h.mirakl.control.setFaults({ timeoutAfterWriteRate: 1, hangMs: 20, only: ["OR30"] });
    try {
      h.shopify.control.editOrder({ shop: h.shop, orderId: o.shopifyOrderId, setQuantity: { lineItemId: o.lineItems.TOTE!, quantity: 1 } });
      await h.drain();
    } finally {
      h.mirakl.control.clearFaults();
    }
    const adjustment = await h.services.prisma.miraklAdjustment.findFirstOrThrow({ where: { orderLinkId: o.link.id } });
    // The write applied on Mirakl but the answer was lost: the row stays SENDING (unknown outcome), unclaimed.
    expect(adjustment).toMatchObject({ status: "SENDING", claim: null });
    expect(adjustment.lastError).toMatch(/may have been applied/);
    expect((await readMirakl(world, o.miraklOrderId)).order_lines.find((l) => l.offer_sku === "TOTE")!.cancelations).toHaveLength(1);

    // The job's retry (pg-boss holds it back for its retry delay, so run it as the worker would).
    const out = await h.services.jobs.runNow(adjustmentSendJob, { shop: h.shop, connectionId: world.connection.id, adjustmentId: adjustment.id });
    expect(out).toMatchObject({ kind: "already_applied" });
    const line = (await readMirakl(world, o.miraklOrderId)).order_lines.find((l) => l.offer_sku === "TOTE")!;
    expect(line.cancelations).toHaveLength(1);
    expect(line.quantity).toBe(1);
    expect((await h.services.prisma.miraklAdjustment.findUniqueOrThrow({ where: { id: adjustment.id } })).status).toBe("SENT");
  });

  it("removing every unit of the order is a whole-order cancel (OR29), even without partial cancellation", async () => {
    world.connection = await setPartialCancel(h.services, world.connection.id, false);
    try {
      const o = await createImportedOrder(world, { lines: [{ sku: "TOTE", quantity: 2 }] });
      h.shopify.control.editOrder({ shop: h.shop, orderId: o.shopifyOrderId, setQuantity: { lineItemId: o.lineItems.TOTE!, quantity: 0 } });
      await h.drain();
      const after = await readMirakl(world, o.miraklOrderId);
      expect(after.order_state).toBe("CANCELED");
      expect(after.order_lines[0]!.cancelations).toEqual([]);
      expect(await tasksFor(o.link.id)).toEqual([]);
    } finally {
      world.connection = await setPartialCancel(h.services, world.connection.id, true);
    }
  });

  it("two workers sending the same edit at once send one OR30", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }, { sku: "TOTE", quantity: 1 }] });
    h.shopify.control.editOrder({ shop: h.shop, orderId: o.shopifyOrderId, removeLineItemId: o.lineItems.TOTE! });
    await h.shopify.control.flushWebhooks();
    await h.services.jobs.drain({ names: ["webhook.process"] });
    const row = await h.services.prisma.miraklAdjustment.findFirstOrThrow({ where: { orderLinkId: o.link.id } });
    expect(row.status).toBe("PENDING");
    const outcomes = await Promise.all([1, 2, 3].map(() => sendAdjustment({ services: h.services, adjustmentId: row.id })));
    expect(outcomes.filter((x) => x.kind === "sent")).toHaveLength(1);
    expect(outcomes.filter((x) => x.kind !== "sent").every((x) => x.kind === "busy" || x.kind === "finished")).toBe(true);
    await h.drain();
    expect((await readMirakl(world, o.miraklOrderId)).order_lines.find((l) => l.offer_sku === "TOTE")!.cancelations).toHaveLength(1);
  });
});
