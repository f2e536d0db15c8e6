/**
 * Acceptance against the Mirakl simulator: decided from local data and sent at once, per the connection's policy
 * and the marketplace's rules (partial acceptance on or off, automatic acceptance), OR21 never re-sent blindly,
 * held orders with a Task, a countdown and an escalation.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { linkOf, miraklCalls, openTasks, pollAndDrain, pollNow, shopifyOrdersFor, timeline, useMiraklClock } from "../support/orders";
import { decideHeldOrder } from "../../app/sync/orders/acceptance.server";
import { escalateHeldOrders } from "../../app/sync/orders/escalation.server";
import { acceptOrderJobDef, scheduleOrderJobs } from "../../app/jobs/order-jobs.server";
import { parseDecision } from "../../app/sync/orders/acceptance-policy";

const MIN = 60_000;

describe("acceptance on a marketplace with partial acceptance (default preset)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mirakl: { tenant: { debitDelayMs: 0 } }, connection: { acceptancePolicy: "ACCEPT_AUTOMATICALLY" } });
  });
  afterAll(async () => h?.close());
  afterEach(() => h.mirakl.control.clearFaults());

  it("accepts a fully available order at once, before any Shopify call, and imports it at SHIPPING", async () => {
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOP-NAVY-M", quantity: 2 }, { offerSku: "TOTE", quantity: 1 }] });
    const shopifyBefore = h.shopify.control.stats().requests;
    await pollNow(h);
    // OR21 was sent from the poll itself; the only Shopify calls were the one-off SKU search and stock read.
    const sim = h.mirakl.control.getOrder(order.order_id)!;
    expect(sim.order_state).toBe("SHIPPING");
    expect(sim.acceptance_decision_date).not.toBeNull();
    expect(h.shopify.control.stats().byRootField.orderCreate ?? 0).toBe(0);
    expect(h.shopify.control.stats().requests - shopifyBefore).toBeLessThanOrEqual(4);
    const link = await linkOf(h, order.order_id);
    expect(link.acceptanceStatus).toBe("ACCEPTED");
    expect(link.acceptanceDeadline?.getTime()).toBe(Date.parse(String(order.created_date)) + 2880 * MIN);

    await pollAndDrain(h);
    const imported = await linkOf(h, order.order_id);
    expect(imported.importStatus).toBe("IMPORTED");
    expect(shopifyOrdersFor(h, order.order_id)).toHaveLength(1);
    // Seen again (Mirakl's overlap, a second poll): nothing changes, nothing is created twice.
    await pollAndDrain(h, 2);
    expect(shopifyOrdersFor(h, order.order_id)).toHaveLength(1);
    expect(miraklCalls(h, "OR21")).toBe(1);
  });

  it("REFUSE_FAILING refuses only the failing line where partial acceptance is enabled", async () => {
    await h.services.prisma.marketplaceConnection.update({ where: { id: h.connection!.id }, data: { acceptancePolicy: "REFUSE_FAILING", partialAcceptance: true } });
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }, { offerSku: "NOT-IN-SHOPIFY", quantity: 1, unitPrice: 10 }] });
    await pollNow(h);
    const sim = h.mirakl.control.getOrder(order.order_id)!;
    expect(sim.order_lines.map((l) => l.order_line_state)).toEqual(["SHIPPING", "REFUSED"]);
    const link = await linkOf(h, order.order_id);
    expect(link.acceptanceStatus).toBe("PARTIALLY_ACCEPTED");
    const decision = parseDecision(link.acceptanceDecision)!;
    expect(decision.map((d) => d.accepted)).toEqual([true, false]);
    expect(decision[1]!.reason).toBe("SKU NOT-IN-SHOPIFY is not linked to any Shopify product");

    await pollAndDrain(h);
    const [shopifyOrder] = shopifyOrdersFor(h, order.order_id);
    expect(shopifyOrder?.lineItems.map((l) => l.sku)).toEqual(["TOTE"]);
    expect((await timeline(h, link.id)).some((e) => e.kind === "accepted" && e.message.includes("refused NOT-IN-SHOPIFY"))).toBe(true);
  });

  it("never accepts the same units twice: stock promised to accepted orders not yet imported counts as taken", async () => {
    await h.services.prisma.marketplaceConnection.update({ where: { id: h.connection!.id }, data: { acceptancePolicy: "ACCEPT_AUTOMATICALLY" } });
    // TOP-NAVY-L: 3 in Shopify. Two orders of 2 arrive in one poll: the first is accepted, the second held.
    const a = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOP-NAVY-L", quantity: 2 }] });
    const b = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOP-NAVY-L", quantity: 2 }] });
    await pollNow(h);
    expect((await linkOf(h, a.order_id)).acceptanceStatus).toBe("ACCEPTED");
    const held = await linkOf(h, b.order_id);
    expect(held.acceptanceStatus).toBe("HELD");
    expect(held.holdReason).toContain("2 × TOP-NAVY-L ordered but only 1 available");
    expect(h.mirakl.control.getOrder(b.order_id)!.order_state).toBe("WAITING_ACCEPTANCE");
    const tasks = await openTasks(h, "held_order");
    expect(tasks.find((t) => t.dedupeKey === `held-order:${h.connection!.id}:${b.order_id}`)).toMatchObject({
      severity: "warning",
      actionUrl: `/app/orders/${held.id}`,
      dueAt: held.acceptanceDeadline,
    });

    // The merchant knows better (stock arriving): accepts it from the Orders screen; the Task resolves.
    const res = await decideHeldOrder({ services: h.services, orderLinkId: held.id, decision: "accept" });
    expect(res).toEqual({ kind: "sent", status: "ACCEPTED" });
    expect(h.mirakl.control.getOrder(b.order_id)!.order_state).toBe("SHIPPING");
    expect((await openTasks(h, "held_order")).some((t) => t.dedupeKey.endsWith(b.order_id))).toBe(false);
  });

  it("an OR21 that timed out after Mirakl applied it is not sent again: the order is read back first", async () => {
    h.mirakl.control.setFaults({ timeoutAfterWriteRate: 1, hangMs: 300, only: ["OR21"] });
    const before = miraklCalls(h, "OR21");
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }] });
    await pollNow(h);
    h.mirakl.control.clearFaults();
    expect(miraklCalls(h, "OR21") - before).toBe(1);
    expect(h.mirakl.control.stats().timeoutsAfterWrite).toBeGreaterThanOrEqual(1);
    const link = await linkOf(h, order.order_id);
    // Mirakl says it is accepted (read back with OR11 by id), and so do we, without a second OR21.
    expect(link.miraklState).not.toBe("WAITING_ACCEPTANCE");
    expect(["ACCEPTED"]).toContain(link.acceptanceStatus);
    await pollAndDrain(h);
    expect(miraklCalls(h, "OR21") - before).toBe(1);
    expect(shopifyOrdersFor(h, order.order_id)).toHaveLength(1);
  });

  it("an OR21 lost to a 5xx (not applied) is re-sent after reading the order back", async () => {
    h.mirakl.control.setFaults({ rate5xx: 1, only: ["OR21"] });
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }] });
    await pollNow(h);
    const link = await linkOf(h, order.order_id);
    expect(link.acceptanceStatus).toBe("PENDING");
    expect(link.lastError).toMatch(/OR21/);
    h.mirakl.control.clearFaults();
    // The retry was queued (orders.accept, 20 s later): run it now, as the worker would then.
    await h.services.jobs.runNow(acceptOrderJobDef, { shop: h.shop, connectionId: h.connection!.id, orderLinkId: link.id });
    expect(h.mirakl.control.getOrder(order.order_id)!.order_state).toBe("SHIPPING");
    expect((await linkOf(h, order.order_id)).acceptanceStatus).toBe("ACCEPTED");
  });
});

describe("acceptance where partial acceptance is disabled (Joules preset)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mirakl: { preset: "joules", tenant: { debitDelayMs: 0 } }, connection: { acceptancePolicy: "REFUSE_FAILING" } });
  });
  afterAll(async () => h?.close());

  it("holds an order with a failing line instead of refusing part of it, and refuses an order where nothing can ship", async () => {
    const c = await h.reloadConnection();
    expect(c.partialAcceptance).toBe(false);
    const mixed = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }, { offerSku: "TOP-NAVY-L", quantity: 5 }] });
    const hopeless = h.mirakl.control.createOrder({ lines: [{ offerSku: "UNKNOWN-SKU", quantity: 1, unitPrice: 5 }] });
    await pollNow(h);
    const held = await linkOf(h, mixed.order_id);
    expect(held.acceptanceStatus).toBe("HELD");
    expect(held.holdReason).toMatch(/^PARTIAL_DISABLED: .*does not allow accepting only part of an order/);
    expect(h.mirakl.control.getOrder(mixed.order_id)!.order_state).toBe("WAITING_ACCEPTANCE");
    expect(miraklCalls(h, "OR21")).toBe(1);
    expect(h.mirakl.control.getOrder(hopeless.order_id)!.order_state).toBe("REFUSED");
    expect((await linkOf(h, hopeless.order_id)).importStatus).toBe("NOT_IMPORTED");
    // Joules hides addresses until acceptance: the held order waits, nothing reaches Shopify.
    await pollAndDrain(h);
    expect(shopifyOrdersFor(h, mixed.order_id)).toHaveLength(0);
    expect((await openTasks(h, "held_order")).map((t) => t.dedupeKey)).toContain(`held-order:${c.id}:${mixed.order_id}`);
    // A per-line decision is refused here too: only all or nothing.
    const partial = await decideHeldOrder({ services: h.services, orderLinkId: held.id, decision: { lines: Object.fromEntries(mixed.order_lines.map((l, i) => [l.order_line_id, i === 0])) } });
    expect(partial.kind).toBe("invalid");
  });
});

describe("an auto-accepting marketplace (B&Q preset)", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mirakl: { preset: "bandq", tenant: { debitDelayMs: 0 } } });
  });
  afterAll(async () => h?.close());

  it("sends no OR21 and imports the order at SHIPPING", async () => {
    expect((await h.reloadConnection()).marketplaceAutoAccepts).toBe(true);
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 2 }] });
    await pollAndDrain(h);
    expect(miraklCalls(h, "OR21")).toBe(0);
    const link = await linkOf(h, order.order_id);
    expect(link.acceptanceStatus).toBe("NOT_REQUIRED");
    expect(link.importStatus).toBe("IMPORTED");
    const [s] = shopifyOrdersFor(h, order.order_id);
    expect(s?.lineItems.map((l) => [l.sku, l.quantity])).toEqual([["TOTE", 2]]);
    expect(s?.currency).toBe("GBP");
  });
});

describe("hold for review, with a live countdown and an escalation before the deadline", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await startHarness({ mirakl: { tenant: { acceptanceWindowMs: 3 * 60 * MIN } }, connection: { acceptancePolicy: "HOLD_FOR_REVIEW", acceptanceWindowMinutes: 180 } });
    useMiraklClock(h);
  });
  afterAll(async () => h?.close());

  it("holds every order with a Task due at the deadline, escalates it, then records the automatic refusal", async () => {
    const c = h.connection!;
    const order = h.mirakl.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 1 }] });
    await pollNow(h);
    const link = await linkOf(h, order.order_id);
    expect(link.acceptanceStatus).toBe("HELD");
    expect(link.holdReason).toMatch(/^REVIEW: /);
    expect(miraklCalls(h, "OR21")).toBe(0);
    const key = `held-order:${c.id}:${order.order_id}`;
    let task = await h.services.prisma.task.findFirstOrThrow({ where: { dedupeKey: key } });
    expect(task.severity).toBe("warning");
    expect(task.dueAt?.getTime()).toBe(Date.parse(String(order.created_date)) + 180 * MIN);
    expect(task.body).toMatch(/3 h 00 min left|2 h 59 min left/);

    // Not yet within the escalation window (120 min before the deadline): nothing changes.
    expect(await escalateHeldOrders({ services: h.services, connectionId: c.id })).toEqual({ escalated: 0, refreshed: 0 });
    h.mirakl.control.advanceClock(70 * MIN);
    // The scheduler sees a held order near its deadline and queues the escalation.
    await scheduleOrderJobs({ services: h.services, connection: await h.reloadConnection(), now: h.services.now() });
    await h.drain();
    task = await h.services.prisma.task.findFirstOrThrow({ where: { dedupeKey: key } });
    expect(task.severity).toBe("critical");
    expect(task.escalatedAt).not.toBeNull();
    expect(task.title).toMatch(/^1 h (49|50) min left to accept Marketplace order/);
    h.mirakl.control.advanceClock(30 * MIN);
    expect(await escalateHeldOrders({ services: h.services, connectionId: c.id })).toEqual({ escalated: 0, refreshed: 1 });
    task = await h.services.prisma.task.findFirstOrThrow({ where: { dedupeKey: key } });
    expect(task.title).toMatch(/^1 h (19|20) min left/);
    expect(task.occurrences).toBe(2);

    // Nobody decides: Mirakl refuses it when the window closes; we record it, resolve the Task, count it.
    h.mirakl.control.advanceClock(81 * MIN);
    await pollNow(h);
    const refused = await linkOf(h, order.order_id);
    expect(refused).toMatchObject({ miraklState: "REFUSED", acceptanceStatus: "REFUSED", importStatus: "NOT_IMPORTED" });
    expect(refused.holdReason).toMatch(/^AUTO_REFUSED/);
    task = await h.services.prisma.task.findFirstOrThrow({ where: { dedupeKey: key } });
    expect(task.status).toBe("RESOLVED");
    const counter = await h.services.prisma.task.findFirstOrThrow({ where: { dedupeKey: `auto-refused:${c.id}` } });
    expect(counter.title).toMatch(/^1 Marketplace order\(s\) were refused automatically/);
    expect((await timeline(h, link.id)).map((e) => e.kind)).toEqual(expect.arrayContaining(["seen", "held", "escalated", "auto_refused"]));
  });
});
