import { describe, expect, it } from "vitest";
import { handledBeforeConnector, planIngest, type LinkState } from "./link-transitions";
import { miraklLine, miraklOrder } from "./test-orders.test-helper";

const NOW = new Date("2025-03-03T10:05:00Z");
const waiting = (over: Record<string, unknown> = {}) =>
  miraklOrder({ order_state: "WAITING_ACCEPTANCE", acceptance_decision_date: null, customer_debited_date: null, ...over }, [miraklLine({ order_line_state: "WAITING_ACCEPTANCE" })]);

function link(over: Partial<LinkState> = {}): LinkState {
  return { miraklState: "WAITING_ACCEPTANCE", acceptanceStatus: "PENDING", importStatus: "WAITING", holdReason: null, shopifyState: null, hasDecision: false, ...over };
}

describe("planIngest: first sight", () => {
  it("a new order waiting for acceptance is decided at once", () => {
    const plan = planIngest({ existing: null, previous: null, order: waiting(), autoAccepts: false, now: NOW });
    expect(plan.status).toEqual({ acceptanceStatus: "PENDING", importStatus: "WAITING" });
    expect(plan.effects.decide).toBe(true);
    expect(plan.events[0]?.kind).toBe("seen");
  });

  it("an auto-accepting marketplace needs no acceptance and imports at SHIPPING", () => {
    const plan = planIngest({ existing: null, previous: null, order: miraklOrder(), autoAccepts: true, now: NOW });
    expect(plan.status.acceptanceStatus).toBe("NOT_REQUIRED");
    expect(plan.status.importStatus).toBe("READY");
    expect(plan.effects).toMatchObject({ decide: false, import: true });
  });

  it("an order already shipped when first seen is not imported", () => {
    const plan = planIngest({ existing: null, previous: null, order: miraklOrder({ order_state: "SHIPPED" }), autoAccepts: false, now: NOW });
    expect(plan.status.importStatus).toBe("NOT_IMPORTED");
    expect(plan.effects.import).toBe(false);
  });

  it("an order first seen shipped, refused or cancelled is marked handled elsewhere: not imported, nothing to decide, no task", () => {
    const connectedAt = new Date("2025-03-03T10:00:00Z"); // after the orders below were created (09:12)
    const cases = [
      { order: miraklOrder({ order_state: "RECEIVED" }), note: "Shipped before Mirakl Connector saw it — not imported" },
      { order: miraklOrder({ order_state: "CANCELED" }, [miraklLine({ order_line_state: "CANCELED" })]), note: "Cancelled before Mirakl Connector saw it — not imported" },
      { order: miraklOrder({ order_state: "REFUSED", acceptance_decision_date: null }, [miraklLine({ order_line_state: "REFUSED" })]), note: "Refused before Mirakl Connector saw it — not imported" },
    ];
    for (const { order, note } of cases) {
      const plan = planIngest({ existing: null, previous: null, order, autoAccepts: false, now: NOW, connectedAt });
      expect(plan.status).toMatchObject({ importStatus: "NOT_IMPORTED", holdReason: `BEFORE_CONNECTOR: ${note}` });
      expect(Object.values(plan.effects).every((v) => v === false)).toBe(true);
      expect(plan.events.find((e) => e.kind === "not_imported")?.message).toContain(note);
      expect(handledBeforeConnector({ importStatus: "NOT_IMPORTED", miraklState: order.order_state, holdReason: plan.status.holdReason ?? null, shopifyOrderId: null })).toBe(note);
    }
  });

  it("an automatic refusal of an order placed after the connection was made is the connector's miss: still reported", () => {
    const refused = miraklOrder({ order_state: "REFUSED", acceptance_decision_date: null }, [miraklLine({ order_line_state: "REFUSED" })]);
    const plan = planIngest({ existing: null, previous: null, order: refused, autoAccepts: false, now: NOW, connectedAt: new Date("2025-03-01T00:00:00Z") });
    expect(plan.status.holdReason).toMatch(/^AUTO_REFUSED/);
    expect(plan.effects.autoRefused).toBe(true);
  });

  it("recognises orders stored shipped-and-not-imported before the marker existed, and nothing else", () => {
    const row = { importStatus: "NOT_IMPORTED", miraklState: "SHIPPED", holdReason: null, shopifyOrderId: null };
    expect(handledBeforeConnector(row)).toBe("Shipped before Mirakl Connector saw it — not imported");
    expect(handledBeforeConnector({ ...row, miraklState: "CANCELED" })).toBeNull(); // cancelled after we saw it
    expect(handledBeforeConnector({ ...row, importStatus: "IMPORTED", shopifyOrderId: "gid://shopify/Order/1" })).toBeNull();
  });

  it("waits for the address before importing", () => {
    const order = miraklOrder({ customer: { customer_id: "1", firstname: "A", lastname: "B", shipping_address: null, billing_address: null } });
    const plan = planIngest({ existing: null, previous: null, order, autoAccepts: false, now: NOW });
    expect(plan.status.importStatus).toBe("WAITING");
  });
});

describe("planIngest: updates", () => {
  it("re-sends a stored decision that Mirakl has not applied yet (this read is the re-read)", () => {
    const plan = planIngest({ existing: link({ hasDecision: true }), previous: waiting(), order: waiting(), autoAccepts: false, now: NOW });
    expect(plan.effects).toMatchObject({ resend: true, decide: false });
  });

  it("re-decides an order held only because Shopify could not be asked, but not one held for a person", () => {
    const unverified = planIngest({ existing: link({ acceptanceStatus: "HELD", holdReason: "UNVERIFIED: Shopify down" }), previous: waiting(), order: waiting(), autoAccepts: false, now: NOW });
    expect(unverified.effects.decide).toBe(true);
    const review = planIngest({ existing: link({ acceptanceStatus: "HELD", holdReason: "REVIEW: hold all" }), previous: waiting(), order: waiting(), autoAccepts: false, now: NOW });
    expect(review.effects.decide).toBe(false);
  });

  it("confirms our acceptance and makes the order importable once debited", () => {
    const plan = planIngest({ existing: link({ hasDecision: true }), previous: waiting(), order: miraklOrder(), autoAccepts: false, now: NOW });
    expect(plan.status).toMatchObject({ acceptanceStatus: "ACCEPTED", importStatus: "READY" });
    expect(plan.status.acceptedAt?.toISOString()).toBe("2025-03-03T09:40:02.000Z");
    expect(plan.effects).toMatchObject({ import: true, leftAcceptance: true });
    expect(plan.events.map((e) => e.kind)).toEqual(["state", "acceptance_confirmed"]);
  });

  it("records an automatic refusal (window expired) and counts it", () => {
    const refused = miraklOrder({ order_state: "REFUSED", acceptance_decision_date: null, order_state_reason_label: "Automatic refusal" }, [miraklLine({ order_line_state: "REFUSED" })]);
    const plan = planIngest({ existing: link({ acceptanceStatus: "HELD", holdReason: "LINES_FAILING: x" }), previous: waiting(), order: refused, autoAccepts: false, now: NOW });
    expect(plan.status).toMatchObject({ acceptanceStatus: "REFUSED", importStatus: "NOT_IMPORTED" });
    expect(plan.effects).toMatchObject({ autoRefused: true, leftAcceptance: true, notImported: true });
  });

  it("a customer cancellation before debit ends the order without import", () => {
    const cancelled = miraklOrder({ order_state: "CANCELED", order_state_reason_code: "34", order_state_reason_label: "Canceled by the customer" }, [miraklLine({ order_line_state: "CANCELED" })]);
    const plan = planIngest({
      existing: link({ miraklState: "WAITING_DEBIT_PAYMENT", acceptanceStatus: "ACCEPTED" }),
      previous: miraklOrder({ order_state: "WAITING_DEBIT_PAYMENT" }),
      order: cancelled,
      autoAccepts: false,
      now: NOW,
    });
    expect(plan.status.importStatus).toBe("NOT_IMPORTED");
    expect(plan.effects).toMatchObject({ notImported: true, cancelInShopify: false, import: false });
    expect(plan.events.some((e) => e.kind === "cancelled")).toBe(true);
  });

  it("a cancellation after import is reflected in Shopify, once", () => {
    const cancelled = miraklOrder({ order_state: "CANCELED" }, [miraklLine({ order_line_state: "CANCELED" })]);
    const first = planIngest({ existing: link({ miraklState: "SHIPPING", acceptanceStatus: "ACCEPTED", importStatus: "IMPORTED", shopifyState: "OPEN" }), previous: miraklOrder(), order: cancelled, autoAccepts: false, now: NOW });
    expect(first.effects.cancelInShopify).toBe(true);
    const done = planIngest({ existing: link({ miraklState: "CANCELED", acceptanceStatus: "ACCEPTED", importStatus: "IMPORTED", shopifyState: "CANCELLED" }), previous: cancelled, order: cancelled, autoAccepts: false, now: NOW });
    expect(done.effects.cancelInShopify).toBe(false);
  });

  it("a line cancelled on Mirakl after import (OR30) reduces the Shopify order", () => {
    const before = miraklOrder({}, [miraklLine(), miraklLine({ order_line_id: "2087461234-A-2", offer_sku: "MUG", quantity: 2 })]);
    const after = miraklOrder({}, [miraklLine(), miraklLine({ order_line_id: "2087461234-A-2", offer_sku: "MUG", quantity: 1, cancelations: [{ id: "c1", quantity: 1, amount: 12.5, shipping_amount: 0, reason_code: "35" }] })]);
    const plan = planIngest({ existing: link({ miraklState: "SHIPPING", acceptanceStatus: "ACCEPTED", importStatus: "IMPORTED", shopifyState: "OPEN" }), previous: before, order: after, autoAccepts: false, now: NOW });
    expect(plan.effects.cancelInShopify).toBe(true);
    expect(plan.events).toEqual([expect.objectContaining({ kind: "line_reduced", message: expect.stringContaining("1 unit(s) of MUG") })]);
  });

  it("an acceptance made in the Mirakl back office while the order was held clears the hold", () => {
    const plan = planIngest({ existing: link({ acceptanceStatus: "HELD", holdReason: "REVIEW: x" }), previous: waiting(), order: miraklOrder({ order_state: "WAITING_DEBIT_PAYMENT" }), autoAccepts: false, now: NOW });
    expect(plan.status).toMatchObject({ acceptanceStatus: "ACCEPTED", holdReason: null });
    expect(plan.effects.leftAcceptance).toBe(true);
    expect(plan.events.some((e) => e.kind === "decided_outside")).toBe(true);
  });
});
