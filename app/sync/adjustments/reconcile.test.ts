import { describe, expect, it } from "vitest";
import { baselineIds, reconcileCancelations, reconcileRefunds } from "./reconcile";
import { line, order } from "./test-orders";

describe("reconciling a write whose answer never came", () => {
  const sent = { orderLineId: "2087461234-A-1", amount: 19.99, shippingAmount: 0, quantity: 1, baselineIds: ["1"] };

  it("finds the refund that applied (new since the baseline, same money) and does not resend it", () => {
    const o = order([line({ refunds: [{ id: "1", amount: 5, shipping_amount: 0 }, { id: "2", amount: 19.99, shipping_amount: 0, quantity: 0 }] })]);
    expect(reconcileRefunds(o, [sent])).toEqual({ applied: [{ orderLineId: "2087461234-A-1", id: "2" }], missing: [] });
  });

  it("reports the line missing when nothing new matches (the write did not apply): safe to send again", () => {
    const o = order([line({ refunds: [{ id: "1", amount: 19.99, shipping_amount: 0 }] })]);
    expect(reconcileRefunds(o, [sent]).missing).toEqual([sent]);
    const other = order([line({ refunds: [{ id: "1", amount: 5 }, { id: "3", amount: 7.5, shipping_amount: 0 }] })]);
    expect(reconcileRefunds(other, [sent]).applied).toEqual([]);
  });

  it("matches cancelations on quantity as well as money", () => {
    const o = order([line({ cancelations: [{ id: "c1", amount: 19.99, shipping_amount: 0, quantity: 2 }] })]);
    expect(reconcileCancelations(o, [{ ...sent, baselineIds: [] }]).missing).toHaveLength(1);
    const ok = order([line({ cancelations: [{ id: "c1", amount: 19.99, shipping_amount: 0, quantity: 1 }] })]);
    expect(reconcileCancelations(ok, [{ ...sent, baselineIds: [] }]).applied).toEqual([{ orderLineId: "2087461234-A-1", id: "c1" }]);
  });

  it("records the ids already on a line as the baseline", () => {
    const o = order([line({ refunds: [{ id: "1", amount: 5 }, { id: "4", amount: 1 }] })]);
    expect(baselineIds(o, "2087461234-A-1", "refunds")).toEqual(["1", "4"]);
    expect(baselineIds(o, "nope", "refunds")).toEqual([]);
  });
});
