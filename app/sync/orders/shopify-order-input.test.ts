import { describe, expect, it } from "vitest";
import type { ShopifyGid } from "../../shopify";
import { buildOrderInput, toShopifyRate, type BuildOrderInputArgs } from "./shopify-order-input";
import { activeLines } from "./mirakl-order";
import { miraklLine, miraklOrder } from "./test-orders.test-helper";

const V1 = "gid://shopify/ProductVariant/1" as ShopifyGid;
const V2 = "gid://shopify/ProductVariant/2" as ShopifyGid;
const NOW = new Date("2026-01-01T00:00:00Z");

function build(order = miraklOrder(), extra: Partial<BuildOrderInputArgs> = {}) {
  const lines = activeLines(order).map((line, i) => ({ line, variantId: i === 0 ? V1 : V2 }));
  return buildOrderInput({
    order,
    lines,
    marketplaceName: "Joules",
    defaultTaxMode: "TAX_INCLUDED",
    defaultCurrency: "GBP",
    customerPolicy: "NOTIFICATION_EMAIL",
    sharedCustomerEmail: null,
    now: NOW,
    ...extra,
  });
}

describe("buildOrderInput", () => {
  it("uses Mirakl's unit prices, shipping and tax amounts as given (TAX_INCLUDED)", () => {
    const built = build();
    const { input } = built;
    expect(input.currency).toBe("EUR");
    expect(input.taxesIncluded).toBe(true);
    expect(input.lineItems).toHaveLength(1);
    const li = input.lineItems[0]!;
    expect(li.variantId).toBe(V1);
    expect(li.quantity).toBe(2);
    expect(li.priceSet).toEqual({ shopMoney: { amount: "19.99", currencyCode: "EUR" } });
    expect(li.taxLines).toEqual([{ title: "TVA20", rate: "0.2", priceSet: { shopMoney: { amount: "6.66", currencyCode: "EUR" } } }]);
    expect(li.properties).toEqual([{ name: "_mirakl_order_line_id", value: "2087461234-A-1" }]);
    expect(input.shippingLines).toEqual([
      {
        title: "Standard",
        code: "STD",
        source: "mirakl",
        priceSet: { shopMoney: { amount: "4.99", currencyCode: "EUR" } },
        taxLines: [{ title: "TVA20", rate: "0.2", priceSet: { shopMoney: { amount: "0.83", currencyCode: "EUR" } } }],
      },
    ]);
    // Tax is inside the prices: Shopify's total is lines + shipping, exactly what the marketplace collected.
    expect(built.shopifyTotalCents).toBe(4497);
    expect(built.collectedCents).toBe(4497);
    expect(built.differenceCents).toBe(0);
    expect(input.transactions).toEqual([
      { kind: "SALE", status: "SUCCESS", gateway: "Mirakl: Joules", amountSet: { shopMoney: { amount: "44.97", currencyCode: "EUR" } }, processedAt: "2025-03-03T09:12:44.000Z" },
    ]);
    expect(input.financialStatus).toBe("PAID");
  });

  it("adds the taxes on top in TAX_EXCLUDED mode and never re-derives them from the rate", () => {
    const order = miraklOrder({ order_tax_mode: "TAX_EXCLUDED" }, [
      miraklLine({ price_unit: 10, quantity: 3, price: 30, shipping_price: 5, total_price: 35, taxes: [{ code: "MWST", amount: 5.71, rate: 19 }], shipping_taxes: [{ code: "MWST", amount: 0.95, rate: 19 }] }),
    ]);
    const built = build(order);
    expect(built.input.taxesIncluded).toBe(false);
    // 19 % of 30 is 5.70; Mirakl says 5.71 and Mirakl's figure is what goes to Shopify.
    expect(built.input.lineItems[0]!.taxLines).toEqual([{ title: "MWST", rate: "0.19", priceSet: { shopMoney: { amount: "5.71", currencyCode: "EUR" } } }]);
    expect(built.shopifyTotalCents).toBe(3000 + 500 + 571 + 95);
    expect(built.collectedCents).toBe(built.shopifyTotalCents);
    expect(built.input.transactions?.[0]?.amountSet.shopMoney.amount).toBe("41.66");
  });

  it("tolerates the cent that a rounded unit price leaves and reports it", () => {
    // 3 × 3.335 = 10.005: Mirakl charged 10.01 for the line, Shopify can only hold 3.34 × 3 = 10.02.
    const order = miraklOrder({}, [miraklLine({ price_unit: 3.335, quantity: 3, price: 10.01, shipping_price: 0, total_price: 10.01, taxes: [{ code: "VAT", amount: 1.67, rate: 20 }], shipping_taxes: [] })]);
    const built = build(order);
    expect(built.input.lineItems[0]!.priceSet).toEqual({ shopMoney: { amount: "3.34", currencyCode: "EUR" } });
    expect(built.shopifyTotalCents).toBe(1002);
    expect(built.collectedCents).toBe(1001);
    expect(built.differenceCents).toBe(-1);
    expect(Math.abs(built.differenceCents)).toBeLessThanOrEqual(built.toleranceCents);
  });

  it("leaves refused and cancelled lines out of the lines and of the amounts", () => {
    const order = miraklOrder({}, [
      miraklLine(),
      miraklLine({ order_line_id: "2087461234-A-2", order_line_state: "REFUSED", offer_sku: "MUG", price_unit: 12.5, quantity: 1, price: 12.5, shipping_price: 0, total_price: 12.5, total_commission: 2.26 }),
    ]);
    const built = build(order);
    expect(built.input.lineItems).toHaveLength(1);
    expect(built.collectedCents).toBe(4497);
    expect(built.commissionCents).toBe(720);
    expect(built.netCents).toBe(4497 - 720);
  });

  it("maps addresses to Shopify (ISO-2 country, delivery note) and tags and metafields the order", () => {
    const { input } = build();
    expect(input.shippingAddress).toEqual({ firstName: "Claire", lastName: "Martin", address1: "12 rue des Lilas", city: "Lyon", zip: "69003", countryCode: "FR", phone: "+33 6 12 34 56 78" });
    expect(input.billingAddress?.countryCode).toBe("FR");
    expect(input.note).toContain("Code 4512");
    expect(input.tags).toEqual(["mirakl", "Joules", "mirakl-2087461234-A", "ship-by-2025-03-06"]);
    expect(input.sourceIdentifier).toBe("2087461234-A");
    expect(input.metafields).toEqual(
      expect.arrayContaining([
        { namespace: "mirakl", key: "order_id", type: "single_line_text_field", value: "2087461234-A" },
        { namespace: "mirakl", key: "commercial_id", type: "single_line_text_field", value: "2087461234" },
        { namespace: "mirakl", key: "marketplace", type: "single_line_text_field", value: "Joules" },
        { namespace: "mirakl", key: "commission_total", type: "number_decimal", value: "7.20" },
        { namespace: "mirakl", key: "net_amount", type: "number_decimal", value: "37.77" },
      ]),
    );
  });

  it("applies the customer policy and never opts the buyer in to marketing", () => {
    const masked = build().input;
    expect(masked.email).toBe("x7q2kd9l1ab.f3c0e1d2@notification.mirakl.net");
    expect(masked.customer?.toUpsert?.email).toBe("x7q2kd9l1ab.f3c0e1d2@notification.mirakl.net");
    expect(masked.buyerAcceptsMarketing).toBe(false);

    const shared = build(miraklOrder(), { customerPolicy: "SHARED_CUSTOMER", sharedCustomerEmail: "marketplace@brand.example" }).input;
    expect(shared.email).toBe("marketplace@brand.example");
    expect(shared.customer?.toUpsert).toMatchObject({ email: "marketplace@brand.example", firstName: "Joules" });
    expect(shared.buyerAcceptsMarketing).toBe(false);

    const none = build(miraklOrder(), { customerPolicy: "NO_CUSTOMER" }).input;
    expect(none.customer).toBeUndefined();
    expect(none.email).toBeUndefined();
  });

  it("never sends a processedAt later than now, and converts rates", () => {
    const future = miraklOrder({ created_date: "2030-01-01T00:00:00Z" });
    expect(build(future).input.processedAt).toBe(NOW.toISOString());
    expect(toShopifyRate(20)).toBe("0.2");
    expect(toShopifyRate(5.5)).toBe("0.055");
    expect(toShopifyRate(19.6)).toBe("0.196");
  });
});
