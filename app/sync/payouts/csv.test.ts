import { describe, expect, it } from "vitest";
import { payoutCsv } from "./csv";
import type { OrderRow } from "./matching";
import { payoutStateLabel } from "./payout-state";

const row: OrderRow = { miraklOrderId: "M-1", orderLinkId: null, shopifyOrderName: "#1001", shopifyOrderId: "gid://shopify/Order/1", gross: 10797, commission: -1620, refunds: 0, commissionRefunded: 0, other: 0, net: 9177 };
const meta = { reference: "000001", date: new Date("2026-11-20T00:00:00Z"), marketplace: "Joules", currency: "GBP" };

describe("payout CSV", () => {
  it("writes the payout state with the screen's label, not Mirakl's code", () => {
    const cells = (state: string | null) => payoutCsv({ ...meta, state }, [row]).split("\r\n")[1]!.split(",");
    expect(cells("TO_PAY").slice(0, 3)).toEqual(["000001", "2026-11-20", "To be paid"]);
    expect(cells("PAID")[2]).toBe("Paid");
    expect(cells("FAILED")[2]).toBe("Payout failed");
    expect(cells(null)[2]).toBe("");
  });
});

describe("payoutStateLabel", () => {
  it("labels the states Mirakl sends and shows an unknown one as sent", () => {
    expect(payoutStateLabel("TO_PAY")).toBe("To be paid");
    expect(payoutStateLabel("PAID")).toBe("Paid");
    expect(payoutStateLabel("ON_HOLD")).toBe("ON_HOLD");
    expect(payoutStateLabel(null)).toBeNull();
  });
});
