import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { createImportedOrder, later, readMirakl, type AdjustmentsWorld } from "../support/adjustments-fixture";
import { refundSendJob, scheduleAdjustmentJobs } from "../../app/jobs/adjustment-jobs.server";
import { STALE_CLAIM_MS } from "../../app/sync/adjustments/adjustment-store.server";
import { asGid, createRefund, deriveIdempotencyKey } from "../../app/shopify";
import { emitMiraklOrderUpdated } from "../../app/sync/order-events.server";
import { handleRefundCreated, markRefundDoneInPortal, sendRefundRequest } from "../../app/sync/adjustments/refund-requests.server";
import { parseEntries, miraklLines } from "../../app/sync/adjustments/refund-lines";
import type { MiraklOrder } from "../../app/mirakl";

/**
 * refunds/create → a Mirakl refund for CX (or sent automatically), and refunds made in the Mirakl back office →
 * a Shopify refund. Mirakl's refunds[] and Shopify's refunds are asserted in the simulators after every step.
 */
let h: Harness;
let world: AdjustmentsWorld;

beforeAll(async () => {
  h = await startHarness({ mirakl: { preset: "joules" } });
  world = { services: h.services, shop: h.shop, connection: h.connection!, mirakl: h.mirakl, shopify: h.shopify };
});
afterAll(async () => {
  await h?.close();
});

const line = (o: MiraklOrder, sku: string) => o.order_lines.find((l) => l.offer_sku === sku)!;
const refundsOn = async (id: string) => (await readMirakl(world, id)).order_lines.flatMap((l) => l.refunds.map((r) => ({ sku: l.offer_sku, amount: r.amount, shipping: r.shipping_amount, id: r.id })));
const requestFor = (linkId: string) => h.services.prisma.refundRequest.findFirstOrThrow({ where: { orderLinkId: linkId }, orderBy: { createdAt: "desc" } });

describe("refunds/create → Mirakl refund", () => {
  it("a partial refund with shipping becomes a CX task; sending it refunds item and shipping on Mirakl once", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }, { sku: "TOTE", quantity: 1 }], state: "SHIPPED" });
    const top = line(o.order, "TOP-NAVY-M");
    const tote = line(o.order, "TOTE");
    h.shopify.control.refund({ shop: h.shop, orderId: o.shopifyOrderId, lines: [{ lineItemId: o.lineItems.TOTE!, quantity: 1 }], fullShipping: true, amount: (tote.price + (top.shipping_price ?? 0)).toFixed(2) });
    await h.drain();

    const rr = await requestFor(o.link.id);
    expect(rr.status).toBe("OPEN");
    const lines = miraklLines(parseEntries(rr.lines));
    expect(lines.find((l) => l.offerSku === "TOTE")).toMatchObject({ quantity: 1, amount: tote.price, shippingAmount: 0, blocked: null, capped: null });
    expect(lines.find((l) => l.offerSku === "TOP-NAVY-M")).toMatchObject({ quantity: 0, amount: 0, shippingAmount: top.shipping_price });
    const task = await h.services.prisma.task.findFirstOrThrow({ where: { shop: h.shop, kind: "mirakl_refund", entityId: rr.id } });
    expect(task).toMatchObject({ status: "OPEN", actionUrl: `/app/refunds/${rr.id}` });
    expect(task.body).toMatch(/does not refund the marketplace/);
    expect(await refundsOn(o.miraklOrderId)).toEqual([]);

    const sent = await sendRefundRequest({ services: h.services, shop: h.shop, refundRequestId: rr.id, reasonCode: "17", mode: "interactive", by: "cx" });
    expect(sent.kind).toBe("sent");
    const refunds = await refundsOn(o.miraklOrderId);
    expect(refunds).toHaveLength(2);
    expect(refunds.find((r) => r.sku === "TOTE")).toMatchObject({ amount: tote.price, shipping: 0 });
    expect(refunds.find((r) => r.sku === "TOP-NAVY-M")).toMatchObject({ amount: 0, shipping: top.shipping_price });
    const after = await readMirakl(world, o.miraklOrderId);
    // Taxes were sent per code (the tenant's rule is NONE, so Mirakl would refund no tax otherwise).
    expect(line(after, "TOTE").refunds[0]!.taxes.map((t) => t.amount)).toEqual(tote.taxes.map((t) => t.amount));
    expect(line(after, "TOP-NAVY-M").refunds[0]!.shipping_taxes.map((t) => t.amount)).toEqual(top.shipping_taxes.map((t) => t.amount));
    expect(line(after, "TOTE").refunds[0]!.reason_code).toBe("17");

    const done = await h.services.prisma.refundRequest.findUniqueOrThrow({ where: { id: rr.id } });
    expect(done).toMatchObject({ status: "SENT", reasonCode: "17" });
    expect([...done.miraklRefundIds].sort()).toEqual(refunds.map((r) => r.id).sort());
    expect((await h.services.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("RESOLVED");

    // Clicking again, or the job running again, sends nothing more.
    expect((await sendRefundRequest({ services: h.services, shop: h.shop, refundRequestId: rr.id, reasonCode: "17", mode: "interactive" })).kind).toBe("not_allowed");
    await h.services.jobs.runNow(refundSendJob, { shop: h.shop, connectionId: world.connection.id, refundRequestId: rr.id });
    expect(await refundsOn(o.miraklOrderId)).toHaveLength(2);
  });

  it("a refund larger than Mirakl allows is capped at what is left, says so, and Mirakl accepts it", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }], state: "SHIPPED" });
    const top = line(o.order, "TOP-NAVY-M");
    // 10.00 was already refunded by the operator in the Mirakl back office.
    h.mirakl.control.refundInPortal(o.miraklOrderId, [{ orderLineId: top.order_line_id, amount: 10, shippingAmount: 0 }]);
    h.shopify.control.refund({ shop: h.shop, orderId: o.shopifyOrderId, lines: [{ lineItemId: o.lineItems["TOP-NAVY-M"]!, quantity: 1 }], amount: top.price.toFixed(2) });
    await h.drain();

    const rr = await requestFor(o.link.id);
    const [proposed] = miraklLines(parseEntries(rr.lines));
    expect(proposed).toMatchObject({ amount: Math.round((top.price - 10) * 100) / 100, wanted: { amount: top.price } });
    expect(proposed!.capped).toMatch(/only allows .* more on this line \(10\.00 already refunded\)/);
    const task = await h.services.prisma.task.findFirstOrThrow({ where: { shop: h.shop, kind: "mirakl_refund", entityId: rr.id } });
    expect(task.body).toContain("already refunded");

    const sent = await sendRefundRequest({ services: h.services, shop: h.shop, refundRequestId: rr.id, reasonCode: "16", mode: "interactive" });
    expect(sent.kind).toBe("sent");
    const refunds = await refundsOn(o.miraklOrderId);
    expect(refunds).toHaveLength(2);
    expect(Math.round(refunds.reduce((s, r) => s + (r.amount ?? 0), 0) * 100) / 100).toBe(top.price);
  });

  it("an OR28 whose answer never came is found on Mirakl by the retry and not sent twice", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOTE", quantity: 2 }], state: "SHIPPED" });
    h.shopify.control.refund({ shop: h.shop, orderId: o.shopifyOrderId, lines: [{ lineItemId: o.lineItems.TOTE!, quantity: 1 }], amount: "19.95" });
    await h.drain();
    const rr = await requestFor(o.link.id);
    h.mirakl.control.setFaults({ timeoutAfterWriteRate: 1, hangMs: 20, only: ["OR28"] });
    let first;
    try {
      first = await sendRefundRequest({ services: h.services, shop: h.shop, refundRequestId: rr.id, reasonCode: "15", mode: "interactive" });
    } finally {
      h.mirakl.control.clearFaults();
    }
    expect(first.kind).toBe("pending");
    expect(await refundsOn(o.miraklOrderId)).toHaveLength(1); // applied, answer lost
    expect(await h.services.prisma.refundRequest.findUniqueOrThrow({ where: { id: rr.id } })).toMatchObject({ status: "SENDING", sendClaim: null });
    // CX cannot mark it done in the portal while the outcome is unknown (that would refund twice).
    expect((await markRefundDoneInPortal({ services: h.services, shop: h.shop, refundRequestId: rr.id })).kind).toBe("not_allowed");

    // The queued retry (delayed 30 s; run as the worker would).
    const retry = await h.services.jobs.runNow(refundSendJob, { shop: h.shop, connectionId: world.connection.id, refundRequestId: rr.id });
    expect(retry).toMatchObject({ kind: "already_applied" });
    const refunds = await refundsOn(o.miraklOrderId);
    expect(refunds).toHaveLength(1);
    const done = await h.services.prisma.refundRequest.findUniqueOrThrow({ where: { id: rr.id } });
    expect(done).toMatchObject({ status: "SENT", miraklRefundIds: [refunds[0]!.id] });
  });

  it("an OR28 that failed before applying (5xx) is sent again by the retry: exactly one refund", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOTE", quantity: 1 }], state: "SHIPPED" });
    h.shopify.control.refund({ shop: h.shop, orderId: o.shopifyOrderId, lines: [{ lineItemId: o.lineItems.TOTE!, quantity: 1 }], amount: "19.95" });
    await h.drain();
    const rr = await requestFor(o.link.id);
    h.mirakl.control.setFaults({ rate5xx: 1, only: ["OR28"] });
    try {
      expect((await sendRefundRequest({ services: h.services, shop: h.shop, refundRequestId: rr.id, reasonCode: "15", mode: "interactive" })).kind).toBe("pending");
    } finally {
      h.mirakl.control.clearFaults();
    }
    expect(await refundsOn(o.miraklOrderId)).toEqual([]);
    expect(await h.services.jobs.runNow(refundSendJob, { shop: h.shop, connectionId: world.connection.id, refundRequestId: rr.id })).toMatchObject({ kind: "sent" });
    expect(await refundsOn(o.miraklOrderId)).toHaveLength(1);
  });

  it("with autoSendRefunds the refund goes to Mirakl at once, with a reason from RE01, and no task", async () => {
    await h.services.prisma.marketplaceConnection.update({ where: { id: world.connection.id }, data: { autoSendRefunds: true } });
    try {
      const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-L", quantity: 1 }], state: "SHIPPED" });
      h.shopify.control.refund({ shop: h.shop, orderId: o.shopifyOrderId, lines: [{ lineItemId: o.lineItems["TOP-NAVY-L"]!, quantity: 1, restockType: "RETURN" }], amount: "39.95" });
      await h.drain();
      const rr = await requestFor(o.link.id);
      expect(rr.status).toBe("SENT");
      const refunds = (await readMirakl(world, o.miraklOrderId)).order_lines[0]!.refunds;
      expect(refunds).toHaveLength(1);
      // A returned item gets the marketplace's "returned" reason.
      expect(refunds[0]!.reason_code).toBe("17");
      expect(await h.services.prisma.task.count({ where: { shop: h.shop, kind: "mirakl_refund", entityId: rr.id } })).toBe(0);
    } finally {
      await h.services.prisma.marketplaceConnection.update({ where: { id: world.connection.id }, data: { autoSendRefunds: false } });
    }
  });

  it("a refund made in the Mirakl back office appears on the Shopify order once, and its webhook is not mistaken for a new refund", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }, { sku: "TOTE", quantity: 1 }], state: "SHIPPED" });
    const tote = line(o.order, "TOTE");
    const previous = await readMirakl(world, o.miraklOrderId);
    h.mirakl.control.refundInPortal(o.miraklOrderId, [{ orderLineId: tote.order_line_id, quantity: 1 }]);
    const order = await readMirakl(world, o.miraklOrderId);
    const miraklRefundId = line(order, "TOTE").refunds[0]!.id!;
    const update = { services: h.services, connection: world.connection, orderLink: await h.services.prisma.orderLink.findUniqueOrThrow({ where: { id: o.link.id } }), order, previous };
    await emitMiraklOrderUpdated(update);
    await emitMiraklOrderUpdated(update); // the poller sees the same update twice (overlapping windows)
    await h.drain();

    const shopifyOrder = h.shopify.control.order({ shop: h.shop, orderId: o.shopifyOrderId });
    expect(shopifyOrder.refunds).toHaveLength(1);
    expect(shopifyOrder.totals.refunded).toBe(tote.price.toFixed(2));
    expect(shopifyOrder.lineItems.find((li) => li.sku === "TOTE")!.currentQuantity).toBe(0);
    const rows = await h.services.prisma.refundRequest.findMany({ where: { orderLinkId: o.link.id } });
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ status: "DONE_IN_PORTAL", miraklRefundIds: [miraklRefundId], shopifyRefundId: shopifyOrder.refunds[0]!.id });
    expect(await h.services.prisma.task.count({ where: { shop: h.shop, kind: "mirakl_refund", status: "OPEN", connectionId: world.connection.id, entityId: rows[0]!.id } })).toBe(0);
    // Mirakl itself holds just the one back-office refund.
    expect(await refundsOn(o.miraklOrderId)).toHaveLength(1);
  });

  it("a Shopify refund that CX then makes in the Mirakl back office closes the task instead of refunding Shopify again", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOTE", quantity: 1 }], state: "SHIPPED" });
    h.shopify.control.refund({ shop: h.shop, orderId: o.shopifyOrderId, lines: [{ lineItemId: o.lineItems.TOTE!, quantity: 1 }], amount: "19.95" });
    await h.drain();
    const rr = await requestFor(o.link.id);
    const previous = await readMirakl(world, o.miraklOrderId);
    h.mirakl.control.refundInPortal(o.miraklOrderId, [{ orderLineId: o.miraklLines.TOTE!, reasonCode: "16" }]);
    const order = await readMirakl(world, o.miraklOrderId);
    await emitMiraklOrderUpdated({ services: h.services, connection: world.connection, orderLink: await h.services.prisma.orderLink.findUniqueOrThrow({ where: { id: o.link.id } }), order, previous });
    await h.drain();
    expect(await h.services.prisma.refundRequest.findUniqueOrThrow({ where: { id: rr.id } })).toMatchObject({ status: "DONE_IN_PORTAL", miraklRefundIds: [line(order, "TOTE").refunds[0]!.id] });
    expect(h.shopify.control.order({ shop: h.shop, orderId: o.shopifyOrderId }).refunds).toHaveLength(1);
    expect((await h.services.prisma.task.findFirstOrThrow({ where: { shop: h.shop, kind: "mirakl_refund", entityId: rr.id } })).status).toBe("RESOLVED");
  });

  it("the same refunds/create handled twice at once, then sent by two workers at once: one request, one task, one OR28", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOTE", quantity: 1 }], state: "SHIPPED" });
    h.shopify.control.refund({ shop: h.shop, orderId: o.shopifyOrderId, lines: [{ lineItemId: o.lineItems.TOTE!, quantity: 1 }], amount: "19.95" });
    await h.shopify.control.flushWebhooks();
    const delivery = await h.services.prisma.webhookDelivery.findFirstOrThrow({ where: { shop: h.shop, topic: "REFUNDS_CREATE" }, orderBy: { receivedAt: "desc" } });
    const outcomes = await Promise.all([1, 2, 3].map(() => handleRefundCreated({ services: h.services, shop: h.shop, payload: delivery.payload })));
    expect(outcomes.filter((x) => x.kind === "task")).toHaveLength(1);
    await h.drain(); // the webhook job itself: a fourth attempt
    const rr = await requestFor(o.link.id);
    expect(await h.services.prisma.refundRequest.count({ where: { orderLinkId: o.link.id } })).toBe(1);
    const tasks = await h.services.prisma.task.findMany({ where: { shop: h.shop, kind: "mirakl_refund", entityId: rr.id } });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.occurrences).toBe(1);

    const sends = await Promise.all([1, 2, 3].map(() => sendRefundRequest({ services: h.services, shop: h.shop, refundRequestId: rr.id, reasonCode: "15", mode: "interactive" })));
    expect(sends.filter((x) => x.kind === "sent")).toHaveLength(1);
    expect(sends.filter((x) => x.kind !== "sent").every((x) => x.kind === "busy" || x.kind === "not_allowed")).toBe(true);
    expect(await refundsOn(o.miraklOrderId)).toHaveLength(1);
  });

  it("a refund made before Mirakl shipped the line is held (Mirakl only refunds shipped lines) and goes through once it has shipped", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOTE", quantity: 2 }] });
    h.shopify.control.refund({ shop: h.shop, orderId: o.shopifyOrderId, lines: [{ lineItemId: o.lineItems.TOTE!, quantity: 1, restockType: "CANCEL" }], amount: "19.95" });
    await h.drain();
    const rr = await requestFor(o.link.id);
    const [held] = miraklLines(parseEntries(rr.lines));
    expect(held!.blocked).toMatch(/only refunds shipped lines/);
    const task = await h.services.prisma.task.findFirstOrThrow({ where: { shop: h.shop, kind: "mirakl_refund", entityId: rr.id } });
    expect(task.body).toMatch(/cannot take this refund as it stands/);
    const early = await sendRefundRequest({ services: h.services, shop: h.shop, refundRequestId: rr.id, reasonCode: "15", mode: "interactive" });
    expect(early.kind).toBe("nothing_to_send");
    expect(await refundsOn(o.miraklOrderId)).toEqual([]);

    h.mirakl.control.shipInPortal(o.miraklOrderId, { carrierCode: h.mirakl.control.getTenant().carriers[0]!.code, trackingNumber: "RM999" });
    const sent = await sendRefundRequest({ services: h.services, shop: h.shop, refundRequestId: rr.id, reasonCode: "15", mode: "interactive" });
    expect(sent.kind).toBe("sent");
    const refunds = await refundsOn(o.miraklOrderId);
    expect(refunds).toEqual([expect.objectContaining({ sku: "TOTE", amount: 19.95, shipping: 0 })]);
  });

  it("a back-office refund whose recording in Shopify was interrupted is finished by the scheduler without a second Shopify refund", async () => {
    const o = await createImportedOrder(world, { lines: [{ sku: "TOTE", quantity: 1 }], state: "SHIPPED" });
    const previous = await readMirakl(world, o.miraklOrderId);
    h.mirakl.control.refundInPortal(o.miraklOrderId, [{ orderLineId: o.miraklLines.TOTE!, quantity: 1 }]);
    const order = await readMirakl(world, o.miraklOrderId);
    const miraklRefundId = order.order_lines[0]!.refunds[0]!.id!;
    const update = { services: h.services, connection: world.connection, orderLink: await h.services.prisma.orderLink.findUniqueOrThrow({ where: { id: o.link.id } }), order, previous };
    h.shopify.control.setFaults({ rate5xx: 1, operations: ["refundCreate"] });
    try {
      await expect(emitMiraklOrderUpdated(update)).rejects.toThrow(/503|Shopify/);
    } finally {
      h.shopify.control.setFaults({ rate5xx: 0, operations: [] });
    }
    const row = await h.services.prisma.refundRequest.findFirstOrThrow({ where: { orderLinkId: o.link.id } });
    expect(row.status).toBe("SENDING");
    const [entry] = parseEntries(row.lines);
    if (entry?.kind !== "mirakl_portal" || !entry.shopifyInput) throw new Error("the refundCreate input should be stored before the call");
    // Suppose the call had in fact reached Shopify before the worker died: the refund exists under its key.
    const input = entry.shopifyInput;
    const first = await createRefund({
      client: await h.services.shopifyAdmin(h.shop),
      orderId: asGid(o.shopifyOrderId, "Order"),
      refundLineItems: input.lineItemId ? [{ lineItemId: asGid(input.lineItemId, "LineItem"), quantity: input.quantity, restockType: "NO_RESTOCK" }] : [],
      shipping: input.shippingAmount ? { amount: input.shippingAmount } : undefined,
      transactions: input.transactionAmount && input.gateway ? [{ amount: input.transactionAmount, gateway: input.gateway, kind: "REFUND" }] : [],
      note: input.note,
      notify: false,
      idempotencyKey: deriveIdempotencyKey(["mirakl-portal-refund", h.shop, o.miraklOrderId, miraklRefundId]),
    });
    const restore = later(h.services, STALE_CLAIM_MS + 60_000);
    try {
      expect(await scheduleAdjustmentJobs({ services: h.services, connection: world.connection, now: h.services.now() })).toBeGreaterThanOrEqual(1);
      await h.drain();
    } finally {
      restore();
    }
    const shopifyOrder = h.shopify.control.order({ shop: h.shop, orderId: o.shopifyOrderId });
    expect(shopifyOrder.refunds.map((r) => r.id)).toEqual([first.id]);
    expect(await h.services.prisma.refundRequest.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ status: "DONE_IN_PORTAL", shopifyRefundId: first.id, miraklRefundIds: [miraklRefundId] });
  });
});
