/**
 * Cancellations from Mirakl, followed in our records and in Shopify: before the debit (never imported, Tasks
 * resolved), a refused debit, a whole order cancelled after import (cancelled in Shopify, restocked, no email),
 * a line cancelled after import (OR30: the Shopify line reduced), each seen twice without a second effect.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { linkOf, openTasks, pollAndDrain, pollNow, shopifyOrdersFor, timeline } from "../support/orders";

const MIN = 60_000;

describe("cancellations before import", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ connection: { acceptancePolicy: "ACCEPT_AUTOMATICALLY" } });
  });
  afterAll(async () => h?.close());

  it("a customer cancellation before the debit: the order is never imported", async () => {
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }] });
    await pollAndDrain(h);
    expect(h.mirakl.control.getOrder(order.order_id)!.order_state).toBe("WAITING_DEBIT_PAYMENT");
    h.mirakl.control.customerCancel(order.order_id);
    await pollAndDrain(h);
    h.mirakl.control.advanceClock(2 * MIN); // the debit would have been due by now
    await pollAndDrain(h, 2);
    const link = await linkOf(h, order.order_id);
    expect(link).toMatchObject({ miraklState: "CANCELED", importStatus: "NOT_IMPORTED", acceptanceStatus: "ACCEPTED" });
    expect(shopifyOrdersFor(h, order.order_id)).toHaveLength(0);
    const events = await timeline(h, link.id);
    expect(events.find((e) => e.kind === "cancelled")?.message).toMatch(/Cancelled on Mirakl before it was imported \(Canceled by the customer\)/);
  });

  it("a customer cancellation of a held order resolves its Task", async () => {
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "NO-SUCH-SKU", quantity: 1, unitPrice: 9 }] });
    await pollNow(h);
    const key = `held-order:${h.connection!.id}:${order.order_id}`;
    expect((await openTasks(h, "held_order")).map((t) => t.dedupeKey)).toContain(key);
    h.mirakl.control.customerCancel(order.order_id);
    await pollAndDrain(h);
    expect((await openTasks(h, "held_order")).map((t) => t.dedupeKey)).not.toContain(key);
    const link = await linkOf(h, order.order_id);
    expect(link.importStatus).toBe("NOT_IMPORTED");
    expect((await timeline(h, link.id)).map((e) => e.kind)).toContain("cancelled_before_acceptance");
  });

  it("a refused customer payment cancels the order: never imported", async () => {
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }], debit: "fail" });
    await pollNow(h);
    h.mirakl.control.advanceClock(2 * MIN);
    await pollAndDrain(h, 2);
    expect(await linkOf(h, order.order_id)).toMatchObject({ miraklState: "CANCELED", importStatus: "NOT_IMPORTED" });
    expect(shopifyOrdersFor(h, order.order_id)).toHaveLength(0);
  });
});

describe("cancellations after import", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mirakl: { tenant: { debitDelayMs: 0 } } });
  });
  afterAll(async () => h?.close());

  const available = (sku: string) => {
    const inv = h.shopify.control.inventory({ shop: h.shop })[sku] ?? {};
    return Object.values(inv).reduce((a, l) => a + l.available, 0);
  };

  it("an order cancelled on Mirakl after import is cancelled in Shopify, restocked, customer not notified, once", async () => {
    const before = available("TOTE");
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 3 }] });
    await pollAndDrain(h, 2);
    const [imported] = shopifyOrdersFor(h, order.order_id);
    expect(imported?.cancelledAt).toBeNull();
    expect(available("TOTE")).toBe(before - 3);

    // The operator (or the seller in the back office) cancels the whole order: OR29.
    await h.services.mirakl(h.connection!).cancelOrder({ orderId: order.order_id });
    await pollAndDrain(h);
    const [cancelled] = shopifyOrdersFor(h, order.order_id);
    expect(cancelled?.cancelledAt).not.toBeNull();
    expect(cancelled?.cancelReason).toBe("OTHER");
    expect(available("TOTE")).toBe(before);
    const link = await linkOf(h, order.order_id);
    expect(link.shopifyState).toBe("CANCELLED");
    expect(h.shopify.control.events({ shop: h.shop, topic: "orders/cancelled" }).length).toBe(1);
    const cancels = h.shopify.control.stats().byRootField.orderCancel ?? 0;
    // Seen again (overlap, backfill): nothing more happens.
    await pollAndDrain(h, 2);
    expect(h.shopify.control.stats().byRootField.orderCancel ?? 0).toBe(cancels);
    expect((await timeline(h, link.id)).filter((e) => e.kind === "shopify_cancelled")).toHaveLength(1);
  });

  it("a line cancelled on Mirakl after import (OR30) reduces the Shopify line, restocking it", async () => {
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 2 }, { offerSku: "TOP-NAVY-M", quantity: 1 }] });
    await pollAndDrain(h, 2);
    const before = available("TOTE");
    const m = h.mirakl.control.getOrder(order.order_id)!;
    const line = m.order_lines[0] as unknown as { order_line_id: string; price_unit: number; taxes: Array<{ code: string; amount: number }> };
    await h.services.mirakl(h.connection!).cancelLines({
      cancelations: [{ orderLineId: line.order_line_id, quantity: 1, reasonCode: "35", amount: line.price_unit, shippingAmount: 0, taxes: line.taxes.map((t) => ({ code: t.code, amount: Math.round((t.amount / 2) * 100) / 100 })) }],
    });
    await pollAndDrain(h);
    const [s] = shopifyOrdersFor(h, order.order_id);
    expect(s?.cancelledAt).toBeNull();
    expect(s?.lineItems.map((l) => [l.sku, l.currentQuantity])).toEqual([["TOTE", 1], ["TOP-NAVY-M", 1]]);
    expect(available("TOTE")).toBe(before + 1);
    const link = await linkOf(h, order.order_id);
    expect(link.shopifyState).toBe("PARTIALLY_CANCELLED");
    const edits = h.shopify.control.stats().byRootField.orderEditCommit ?? 0;
    await pollAndDrain(h, 2);
    expect(h.shopify.control.stats().byRootField.orderEditCommit ?? 0).toBe(edits);
    expect((await timeline(h, link.id)).map((e) => e.kind)).toEqual(expect.arrayContaining(["line_reduced", "shopify_lines_reduced"]));
  });
});
