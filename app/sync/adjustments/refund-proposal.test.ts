import { describe, expect, it } from "vitest";
import { priceRefundRequest, requestFromShopifyRefund, sendableLines, summariseProposal, type ShopifyRefundFacts } from "./refund-proposal";
import { line, mug, order } from "./test-orders";

const shipped = { order_line_state: "SHIPPED", can_refund: true };
const identity = (s: string) => s;

function propose(o: ReturnType<typeof order>, refund: ShopifyRefundFacts) {
  const req = requestFromShopifyRefund({ order: o, refund, skuToOffer: identity, mode: "TAX_INCLUDED" });
  const priced = priceRefundRequest({ order: o, requested: req.lines });
  return { req, priced, summary: summariseProposal(priced, req.unmatched, req.shopifyTotal) };
}

const noShipping = { subtotal: 0, tax: 0 };

describe("Mirakl refund proposed from a Shopify refund", () => {
  it("refunds one unit of a line: per-unit amount and tax from the line's totals", () => {
    const o = order([line(shipped), mug(shipped)], { order_state: "SHIPPED" });
    const { priced, summary } = propose(o, {
      lines: [{ lineItemId: "li-1", sku: "TSHIRT-BLK-M", name: "T-shirt", quantity: 1, subtotal: 19.99, tax: 3.33 }],
      shipping: noShipping,
      transactionsTotal: 19.99,
      taxesIncluded: true,
    });
    expect(priced).toHaveLength(1);
    expect(priced[0]).toMatchObject({ orderLineId: "2087461234-A-1", quantity: 1, amount: 19.99, shippingAmount: 0, taxes: [{ code: "TVA20", amount: 3.33 }], capped: null, blocked: null });
    expect(summary.totals).toEqual({ shopify: 19.99, mirakl: 19.99, sendable: 19.99 });
  });

  it("a partial refund with shipping spreads the shipping over the lines that have some, with its tax", () => {
    const o = order([line(shipped), mug(shipped)], { order_state: "SHIPPED" });
    const { priced, summary } = propose(o, {
      lines: [{ lineItemId: "li-2", sku: "MUG-WHT", name: "Mug", quantity: 1, subtotal: 12.5, tax: 2.08 }],
      shipping: { subtotal: 4.99, tax: 0.83 },
      transactionsTotal: 17.49,
      taxesIncluded: true,
    });
    const tshirt = priced.find((l) => l.offerSku === "TSHIRT-BLK-M")!;
    const mugLine = priced.find((l) => l.offerSku === "MUG-WHT")!;
    // Only the T-shirt line carries shipping on Mirakl, so the whole shipping refund goes there.
    expect(tshirt).toMatchObject({ quantity: 0, amount: 0, shippingAmount: 4.99, shippingTaxes: [{ code: "TVA20", amount: 0.83 }] });
    expect(mugLine).toMatchObject({ quantity: 1, amount: 12.5, shippingAmount: 0, taxes: [{ code: "TVA20", amount: 2.08 }] });
    expect(summary.totals.sendable).toBe(17.49);
    expect(sendableLines(priced)).toHaveLength(2);
  });

  it("caps a refund larger than Mirakl allows at what is left, and says so", () => {
    // 20.00 of the T-shirt line was already refunded in the Mirakl back office.
    const o = order([line({ ...shipped, refunds: [{ id: "1120", amount: 20, shipping_amount: 0, quantity: 1, taxes: [{ code: "TVA20", amount: 3.33 }] }] })], { order_state: "SHIPPED" });
    const { priced, summary } = propose(o, {
      lines: [{ lineItemId: "li-1", sku: "TSHIRT-BLK-M", name: "T-shirt", quantity: 2, subtotal: 39.98, tax: 6.66 }],
      shipping: noShipping,
      transactionsTotal: 39.98,
      taxesIncluded: true,
    });
    expect(priced[0]).toMatchObject({ amount: 19.98, wanted: { amount: 39.98, shippingAmount: 0 }, allowed: { amount: 19.98, shippingAmount: 4.99 } });
    // Taking everything that is left takes every tax that is left, to the cent.
    expect(priced[0]!.taxes).toEqual([{ code: "TVA20", amount: 3.33 }]);
    expect(priced[0]!.capped).toMatch(/Shopify refunded 39\.98 .* only allows 19\.98 .*20\.00 already refunded/);
    expect(summary.totals).toMatchObject({ shopify: 39.98, sendable: 19.98 });
    expect(summary.notes[0]).toMatch(/TSHIRT-BLK-M/);
  });

  it("caps shipping at the shipping left", () => {
    const o = order([line({ ...shipped, refunds: [{ id: "7", amount: 0, shipping_amount: 3, quantity: 0, taxes: [], shipping_taxes: [{ code: "TVA20", amount: 0.5 }] }] })], { order_state: "SHIPPED" });
    const { priced } = propose(o, { lines: [], shipping: { subtotal: 4.99, tax: 0.83 }, transactionsTotal: 4.99, taxesIncluded: true });
    expect(priced[0]).toMatchObject({ shippingAmount: 1.99, shippingTaxes: [{ code: "TVA20", amount: 0.33 }] });
    expect(priced[0]!.capped).toMatch(/4\.99 of shipping .* only allows 1\.99/);
  });

  it("blocks lines Mirakl will not refund yet (not shipped) and never sends them", () => {
    const o = order([line()]);
    const { priced, summary } = propose(o, {
      lines: [{ lineItemId: "li-1", sku: "TSHIRT-BLK-M", name: "T-shirt", quantity: 1, subtotal: 19.99, tax: 3.33 }],
      shipping: noShipping,
      transactionsTotal: 19.99,
      taxesIncluded: true,
    });
    expect(priced[0]!.blocked).toMatch(/only refunds shipped lines/);
    expect(sendableLines(priced)).toEqual([]);
    expect(summary.totals.sendable).toBe(0);
  });

  it("lists Shopify items the Mirakl order does not have instead of inventing a Mirakl line", () => {
    const o = order([line(shipped)], { order_state: "SHIPPED" });
    const { priced, summary } = propose(o, {
      lines: [{ lineItemId: "li-9", sku: "GIFT-WRAP", name: "Gift wrap", quantity: 1, subtotal: 3, tax: 0.5 }],
      shipping: noShipping,
      transactionsTotal: 3,
      taxesIncluded: true,
    });
    expect(priced).toEqual([]);
    expect(summary.unmatched).toEqual([{ lineItemId: "li-9", sku: "GIFT-WRAP", name: "Gift wrap", quantity: 1, amount: 3 }]);
    expect(summary.notes[0]).toMatch(/Gift wrap .* not on the Mirakl order/);
  });

  it("maps SKUs through the mapping and converts a tax-excluded Shopify amount to the order's mode", () => {
    const o = order([line(shipped)], { order_state: "SHIPPED" });
    const req = requestFromShopifyRefund({
      order: o,
      refund: { lines: [{ lineItemId: "li-1", sku: "SHOP-TEE-M", name: "Tee", quantity: 1, subtotal: 16.66, tax: 3.33 }], shipping: noShipping, transactionsTotal: 0, taxesIncluded: false },
      skuToOffer: (s) => (s === "SHOP-TEE-M" ? "TSHIRT-BLK-M" : s),
      mode: "TAX_INCLUDED",
    });
    expect(req.lines[0]).toMatchObject({ orderLineId: "2087461234-A-1", quantity: 1, shopify: { amount: 19.99 } });
    expect(req.shopifyTotal).toBe(19.99);
  });

  it("spreads an amount-only refund (no lines) over what each line can still refund", () => {
    const o = order([line(shipped), mug(shipped)], { order_state: "SHIPPED" });
    const { priced, summary } = propose(o, { lines: [], shipping: noShipping, transactionsTotal: 10, taxesIncluded: true });
    expect(summary.totals.sendable).toBe(10);
    const tee = priced.find((l) => l.offerSku === "TSHIRT-BLK-M")!;
    const m = priced.find((l) => l.offerSku === "MUG-WHT")!;
    expect(tee.amount + m.amount).toBeCloseTo(10, 10);
    expect(tee.amount).toBeGreaterThan(m.amount);
    expect(tee.taxes[0]!.amount).toBeGreaterThan(0);
  });

  it("puts units of a SKU that appears on two Mirakl lines on the line with units left first", () => {
    const o = order(
      [
        line({ ...shipped, quantity: 1, price: 19.99, refunds: [{ id: "5", amount: 19.99, shipping_amount: 0, quantity: 1 }] }),
        line({ ...shipped, order_line_id: "2087461234-A-3", quantity: 1, price: 19.99, shipping_price: 0 }),
      ],
      { order_state: "SHIPPED" },
    );
    const { priced } = propose(o, { lines: [{ lineItemId: "li-1", sku: "TSHIRT-BLK-M", name: "T-shirt", quantity: 1, subtotal: 19.99, tax: 3.33 }], shipping: noShipping, transactionsTotal: 19.99, taxesIncluded: true });
    expect(priced).toHaveLength(1);
    expect(priced[0]).toMatchObject({ orderLineId: "2087461234-A-3", amount: 19.99, capped: null });
  });
});
