import { describe, expect, it } from "vitest";
import { buildPayoutReport, categorize, findUnrecoveredRefunds, signedAmount, type PayoutLine } from "./matching";
import { csvCell, payoutCsv } from "./csv";

const line = (type: string, cents: number, miraklOrderId: string | null = "O-1", miraklRefundId: string | null = null): PayoutLine => ({
  type,
  cents,
  miraklOrderId,
  miraklRefundId,
});
const ORDER_ROW = {
  miraklOrderId: "O-1",
  orderLinkId: "L1",
  shopifyOrderId: "gid://shopify/Order/1",
  shopifyOrderName: "#1001",
  gross: 5295,
  commission: -864,
  refunds: -1000,
  commissionRefunded: 150,
  other: 0,
  net: 3581,
};
const matched = new Map([
  [
    "O-1",
    {
      orderLinkId: "L1",
      shopifyOrderId: "gid://shopify/Order/1",
      shopifyOrderName: "#1001",
    },
  ],
]);

describe("payout matching", () => {
  it("sorts Mirakl's transaction types into what finance reads", () => {
    expect(categorize("ORDER_AMOUNT_TAX")).toBe("orders");
    expect(categorize("ORDER_SHIPPING_AMOUNT")).toBe("shipping");
    expect(categorize("COMMISSION_VAT")).toBe("commission");
    expect(categorize("REFUND_ORDER_SHIPPING_AMOUNT_TAX")).toBe("refunds");
    expect(categorize("REFUND_COMMISSION_FEE")).toBe("commissionRefunded");
    expect(categorize("SUBSCRIPTION_FEE")).toBe("fees");
    expect(categorize("SELLER_PENALTY_FEE_TAX")).toBe("fees");
    expect(categorize("MANUAL_CREDIT_VAT")).toBe("manual");
    expect(categorize("RESERVE_FUNDING")).toBe("other");
  });

  it("takes the sign from credited/debited, not from the type name", () => {
    expect(signedAmount({ amount: 1, amount_credited: 0, amount_debited: 12.5 })).toBe(-12.5);
    expect(signedAmount({ amount: 3.3 })).toBe(3.3);
  });

  it("totals by type, per order, and adds up to the amount paid", () => {
    const lines = [
      line("ORDER_AMOUNT", 4000),
      line("ORDER_AMOUNT_TAX", 800),
      line("ORDER_SHIPPING_AMOUNT", 495),
      line("COMMISSION_FEE", -720),
      line("COMMISSION_VAT", -144),
      line("REFUND_ORDER_AMOUNT", -1000, "O-1", "R1"),
      line("REFUND_COMMISSION_FEE", 150, "O-1", "R1"),
      line("SUBSCRIPTION_FEE", -2500, null),
      line("PAYMENT", -999, null),
    ];
    const report = buildPayoutReport({
      lines,
      paidCents: 4000 + 800 + 495 - 720 - 144 - 1000 + 150 - 2500,
      complete: true,
      matches: matched,
    });
    expect(report.totals).toMatchObject({
      orders: 4800,
      shipping: 495,
      commission: -864,
      refunds: -1000,
      commissionRefunded: 150,
      fees: -2500,
      manual: 0,
    });
    expect(report.differenceCents).toBe(0);
    expect(report.flags).toEqual([]);
    expect(report.orders).toEqual([ORDER_ROW]);
  });

  it("flags an order with no Shopify order and a payout whose lines do not add up (only once complete)", () => {
    const lines = [line("ORDER_AMOUNT", 1000, "O-9"), line("COMMISSION_FEE", -100, "O-9")];
    const report = buildPayoutReport({
      lines,
      paidCents: 950,
      complete: true,
      matches: new Map(),
    });
    expect(report.flags).toEqual([
      {
        kind: "unmatched_order",
        miraklOrderId: "O-9",
        orderLinkId: null,
        netCents: 900,
        reason: "unknown",
      },
      {
        kind: "total_mismatch",
        paidCents: 950,
        linesCents: 900,
        differenceCents: 50,
      },
    ]);
    const partial = buildPayoutReport({
      lines,
      paidCents: 950,
      complete: false,
      matches: new Map([["O-9", { orderLinkId: "L9", shopifyOrderId: null, shopifyOrderName: null }]]),
    });
    expect(partial.flags).toEqual([
      {
        kind: "unmatched_order",
        miraklOrderId: "O-9",
        orderLinkId: "L9",
        netCents: 900,
        reason: "not_imported",
      },
    ]);
  });

  it("flags a Shopify refund Mirakl never saw as commission not recovered, and clears it when Mirakl's refund exists", () => {
    const refund = {
      refundRequestId: "RR1",
      miraklOrderId: "O-1",
      shopifyOrderName: "#1001",
      shopifyAmountCents: 1000,
      refundedAt: new Date("2026-01-02T00:00:00Z"),
      miraklRefundIds: [],
    };
    const charged = [line("ORDER_AMOUNT", 4000), line("COMMISSION_FEE", -600), line("COMMISSION_VAT", -120)];
    expect(findUnrecoveredRefunds({ refunds: [refund], orderLines: charged })).toEqual([
      {
        kind: "commission_not_recovered",
        miraklOrderId: "O-1",
        refundRequestId: "RR1",
        shopifyOrderName: "#1001",
        shopifyAmountCents: 1000,
        commissionChargedCents: 720,
        refundedAt: "2026-01-02T00:00:00.000Z",
      },
    ]);
    expect(
      findUnrecoveredRefunds({
        refunds: [refund],
        orderLines: [...charged, line("REFUND_ORDER_AMOUNT", -1000, "O-1", "M-R1")],
      })
    ).toEqual([]);
    // Known Mirakl refund ids must match: another refund on the same order does not recover this one.
    expect(
      findUnrecoveredRefunds({
        refunds: [{ ...refund, miraklRefundIds: ["M-R2"] }],
        orderLines: [...charged, line("REFUND_ORDER_AMOUNT", -1000, "O-1", "M-R1")],
      })
    ).toHaveLength(1);
    // No commission charged on the order (never paid out): nothing to recover.
    expect(findUnrecoveredRefunds({ refunds: [refund], orderLines: [] })).toEqual([]);
  });
});

describe("payout CSV", () => {
  it("writes one row per order with decimal amounts and the currency, neutralising formulas", () => {
    const csv = payoutCsv(
      {
        reference: "PAYOUT-000001",
        date: new Date("2026-01-08T10:00:00Z"),
        state: "PAID",
        marketplace: "Joules, UK",
        currency: "GBP",
      },
      [
        ORDER_ROW,
        {
          miraklOrderId: "=HYPERLINK(1)",
          orderLinkId: null,
          shopifyOrderId: null,
          shopifyOrderName: null,
          gross: 5,
          commission: 0,
          refunds: 0,
          commissionRefunded: 0,
          other: 0,
          net: 5,
        },
      ]
    );
    const rows = csv.trimEnd().split("\r\n");
    expect(rows[0]).toBe(
      "payout_reference,payout_date,payout_state,marketplace,mirakl_order_id,shopify_order,matched,gross_sales,commission,refunds,commission_refunded,fees_and_other,net_paid,currency"
    );
    expect(rows[1]).toBe('PAYOUT-000001,2026-01-08,Paid,"Joules, UK",O-1,#1001,yes,52.95,-8.64,-10.00,1.50,0.00,35.81,GBP');
    expect(rows[2]).toBe(`PAYOUT-000001,2026-01-08,Paid,"Joules, UK",'=HYPERLINK(1),,no,0.05,0.00,0.00,0.00,0.00,0.05,GBP`);
    expect(csvCell("-12.50")).toBe("-12.50");
  });
});
