import { describe, expect, it } from "vitest";
import { coverNote, planIsStale, refundAdvice } from "./refund-advice";
import { entriesFromProposal } from "./refund-lines";
import { priceRefundRequest, requestFromShopifyRefund } from "./refund-proposal";
import { line, order } from "./test-orders";

const identity = (s: string) => s;
const now = new Date("2025-11-23T07:03:00Z");

/** A one-unit Shopify refund of the T-shirt line, priced on the order as given. */
function entriesOn(o: ReturnType<typeof order>) {
  const req = requestFromShopifyRefund({
    order: o,
    refund: { lines: [{ lineItemId: "li-1", sku: "TSHIRT-BLK-M", name: "T-shirt", quantity: 1, subtotal: 19.99, tax: 3.33 }], shipping: { subtotal: 0, tax: 0 }, transactionsTotal: 19.99, taxesIncluded: true },
    skuToOffer: identity,
    mode: "TAX_INCLUDED",
  });
  return entriesFromProposal(priceRefundRequest({ order: o, requested: req.lines }), req.unmatched);
}

const notShipped = order([line({ order_line_state: "SHIPPING", can_refund: false })], { order_state: "SHIPPING" });
const shipped = order([line({ order_line_state: "SHIPPED", can_refund: true })], { order_state: "SHIPPED" });

describe("what a person must do about a refund", () => {
  it("a refund Mirakl can take reads 'Ready to send', one it cannot 'Needs action in Mirakl' (never a raw status)", () => {
    expect(refundAdvice({ status: "OPEN", entries: entriesOn(shipped), cover: null, now })).toMatchObject({ action: "send", label: "Ready to send", sendable: 19.99 });
    const blocked = refundAdvice({ status: "OPEN", entries: entriesOn(notShipped), cover: null, now });
    expect(blocked).toMatchObject({ action: "mirakl", label: "Needs action in Mirakl", sendable: 0, coverNote: null });
    expect(refundAdvice({ status: "SENT", entries: entriesOn(shipped), cover: null, now }).label).toBe("Sent");
    expect(refundAdvice({ status: "FAILED", entries: entriesOn(shipped), cover: null, now }).label).toBe("Refused by Mirakl");
  });

  it("a pending cancellation of the order means no action, with when it goes", () => {
    const cover = { state: "pending" as const, at: "2025-11-23T07:05:00Z", orderLineIds: null };
    const advice = refundAdvice({ status: "OPEN", entries: entriesOn(notShipped), cover, now });
    expect(advice).toMatchObject({ action: "wait_cancellation", coveredLineIds: ["2087461234-A-1"] });
    expect(advice.todo).toBe("No action: the cancellation will be sent to Mirakl in ~2 min; it returns the commission and refunds the customer.");
    expect(coverNote({ ...cover, at: null }, now)).toMatch(/being sent to Mirakl now/);
  });

  it("dates a sent cancellation in the shop's zone", () => {
    const cover = { state: "applied" as const, at: "2025-11-23T07:05:00Z", orderLineIds: null };
    expect(coverNote(cover, now, "Europe/Paris")).toContain("sent to Mirakl on 23 Nov 2025, 08:05 GMT+1 returns");
    expect(refundAdvice({ status: "OPEN", entries: entriesOn(notShipped), cover, now, timeZone: "Europe/London" }).coverNote).toContain("on 23 Nov 2025, 07:05 GMT returns");
  });

  it("an applied cancellation covers the refund; a shipped line is never 'covered' by one", () => {
    const cover = { state: "applied" as const, at: "2025-11-23T07:05:00Z", orderLineIds: null };
    const advice = refundAdvice({ status: "OPEN", entries: entriesOn(notShipped), cover, now });
    expect(advice).toMatchObject({ action: "covered", label: "Covered by the cancellation" });
    expect(advice.todo).toBe("No action: the cancellation sent to Mirakl on 23 Nov 2025, 07:05 UTC returns the commission and refunds the customer.");
    expect(refundAdvice({ status: "OPEN", entries: entriesOn(shipped), cover, now })).toMatchObject({ action: "send", coveredLineIds: [] });
    // A line cancellation of another line covers nothing here.
    expect(refundAdvice({ status: "OPEN", entries: entriesOn(notShipped), cover: { ...cover, orderLineIds: ["other-line"] }, now }).action).toBe("mirakl");
  });

  it("a plan made before the order shipped is stale; one priced on the current state is not", () => {
    const early = entriesOn(notShipped);
    expect(planIsStale(early, notShipped)).toBe(false);
    expect(planIsStale(early, shipped)).toBe(true);
    // Requests stored before the line state was recorded are priced again once.
    expect(planIsStale(early.map((e) => (e.kind === "mirakl_line" ? { ...e, lineState: undefined } : e)), notShipped)).toBe(true);
    // A line already attempted is reconciled by the send, never re-priced.
    const attempted = early.map((e) => (e.kind === "mirakl_line" ? { ...e, send: { amount: 1, shippingAmount: 0, quantity: 1, taxes: [], shippingTaxes: [], baselineIds: [] } } : e));
    expect(planIsStale(attempted, shipped)).toBe(false);
  });
});
