import { describe, expect, it } from "vitest";
import { lineAmounts } from "./line-amounts";
import { cancelledShipping, priceCancellation } from "./cancel-amounts";
import { sumAmounts } from "./money";
import { line, order } from "./test-orders";

const first = (o: ReturnType<typeof order>) => lineAmounts(o.order_lines[0]!);

describe("OR30 amounts from the Mirakl line", () => {
  it("cancels one of two units: half the price and half of each tax; shipping stays with the unit that ships", () => {
    const c = priceCancellation(first(order([line()])), 1);
    expect(c).toEqual({
      orderLineId: "2087461234-A-1",
      quantity: 1,
      amount: 19.99,
      // shipping_price_unit 4.99 + additional 0: one unit still costs 4.99 to ship, so none is cancelled.
      shippingAmount: 0,
      taxes: [{ code: "TVA20", amount: 3.33 }],
      shippingTaxes: [{ code: "TVA20", amount: 0 }],
    });
  });

  it("cancels the whole line: every amount and tax exactly, shipping included", () => {
    const c = priceCancellation(first(order([line()])), 2);
    expect(c.amount).toBe(39.98);
    expect(c.shippingAmount).toBe(4.99);
    expect(c.taxes).toEqual([{ code: "TVA20", amount: 6.66 }]);
    expect(c.shippingTaxes).toEqual([{ code: "TVA20", amount: 0.83 }]);
  });

  it("never asks for more units or money than the line has left (earlier cancelations are already out of the line)", () => {
    // After an OR30 of 1 unit Mirakl shows quantity 1, price 19.99 (notes §3.1): asking 2 cancels what is left.
    const after = order([line({ quantity: 1, price: 19.99, taxes: [{ code: "TVA20", amount: 3.33 }], cancelations: [{ id: "9", quantity: 1, amount: 19.99, shipping_amount: 0 }] })]);
    const c = priceCancellation(first(after), 2);
    expect(c.quantity).toBe(1);
    expect(c.amount).toBe(19.99);
    expect(c.taxes).toEqual([{ code: "TVA20", amount: 3.33 }]);
  });

  it("three one-unit cancelations of a 3-unit line add up to the line to the cent", () => {
    let current = line({ quantity: 3, price: 10, shipping_price: 0, shipping_price_unit: 0, taxes: [{ code: "VAT", amount: 1.67 }], shipping_taxes: [] });
    const parts: number[] = [];
    const taxes: number[] = [];
    for (let i = 0; i < 3; i++) {
      const c = priceCancellation(first(order([current])), 1);
      parts.push(c.amount);
      taxes.push(c.taxes[0]!.amount);
      const l = lineAmounts(order([current]).order_lines[0]!);
      current = line({ quantity: l.quantity - 1, price: l.price - c.amount, shipping_price: 0, shipping_price_unit: 0, taxes: [{ code: "VAT", amount: l.taxes[0]!.amount - c.taxes[0]!.amount }], shipping_taxes: [] });
    }
    expect(sumAmounts(parts)).toBe(10);
    expect(sumAmounts(taxes)).toBe(1.67);
  });

  it("splits shipping pro rata when the line does not say how its shipping is built", () => {
    const l = first(order([line({ shipping_price: 6, shipping_price_unit: null, shipping_price_additional_unit: null, shipping_taxes: [{ code: "TVA20", amount: 1 }] })]));
    expect(cancelledShipping(l, 1)).toBe(3);
    const c = priceCancellation(l, 1);
    expect(c.shippingAmount).toBe(3);
    expect(c.shippingTaxes).toEqual([{ code: "TVA20", amount: 0.5 }]);
  });

  it("gives back the extra-unit shipping when each further unit costs more to ship", () => {
    // 5.00 for the first unit + 1.00 for each further one: 3 units cost 7.00; keeping 1 costs 5.00.
    const l = first(order([line({ quantity: 3, price: 60, shipping_price: 7, shipping_price_unit: 5, shipping_price_additional_unit: 1 })]));
    expect(cancelledShipping(l, 2)).toBe(2);
    expect(cancelledShipping(l, 3)).toBe(7);
  });
});
