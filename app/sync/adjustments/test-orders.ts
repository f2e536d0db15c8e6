import { miraklOrderSchema, type MiraklOrder } from "../../mirakl";

/**
 * OR11 orders for the unit tests, shaped like seller-api-notes §3.1 (TAX_INCLUDED, two lines, shipping on the first)
 * and parsed with the client's own schema so the tests see exactly what the sync code sees.
 */
type LineOverrides = Record<string, unknown>;

export function line(overrides: LineOverrides = {}): Record<string, unknown> {
  return {
    order_line_id: "2087461234-A-1",
    order_line_state: "SHIPPING",
    offer_sku: "TSHIRT-BLK-M",
    product_title: "T-shirt coton noir - M",
    quantity: 2,
    price_unit: 19.99,
    price: 39.98,
    shipping_price: 4.99,
    shipping_price_unit: 4.99,
    shipping_price_additional_unit: 0,
    taxes: [{ code: "TVA20", amount: 6.66, rate: 20, tax_calculation_rule: "NONE" }],
    shipping_taxes: [{ code: "TVA20", amount: 0.83, rate: 20, tax_calculation_rule: "NONE" }],
    commission_fee: 6,
    total_commission: 7.2,
    cancelations: [],
    refunds: [],
    can_refund: false,
    ...overrides,
  };
}

export function order(lines: Record<string, unknown>[], overrides: Record<string, unknown> = {}): MiraklOrder {
  return miraklOrderSchema.parse({
    order_id: "2087461234-A",
    order_state: "SHIPPING",
    currency_iso_code: "EUR",
    order_tax_mode: "TAX_INCLUDED",
    can_cancel: true,
    order_lines: lines,
    ...overrides,
  });
}

export const mug = (overrides: LineOverrides = {}) =>
  line({
    order_line_id: "2087461234-A-2",
    offer_sku: "MUG-WHT",
    product_title: "Mug blanc 33cl",
    quantity: 1,
    price_unit: 12.5,
    price: 12.5,
    shipping_price: 0,
    shipping_price_unit: 0,
    shipping_price_additional_unit: 0,
    taxes: [{ code: "TVA20", amount: 2.08, rate: 20, tax_calculation_rule: "NONE" }],
    shipping_taxes: [],
    ...overrides,
  });
