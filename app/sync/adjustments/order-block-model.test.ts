import { describe, expect, it } from "vitest";
import { appLink, deadlineHint, describeBlock, flagRequest, formatMoney } from "../../../extensions/mirakl-order-block/src/block-model.js";

/** The admin block's view model (extensions/mirakl-order-block), fed with what /api/order-block answers. */
const data = {
  kind: "mirakl",
  marketplace: "Joules",
  miraklOrderId: "5076958008-A",
  miraklCommercialId: "5076958008",
  miraklState: "SHIPPING",
  acceptanceDeadline: null,
  shippingDeadline: "2026-11-25T10:00:00.000Z",
  commission: "11.50",
  totalPrice: "63.85",
  currency: "GBP",
  replacedBy: null,
  openTasks: [
    { id: "t1", title: "Refund #1001 on Joules", severity: "warning", actionUrl: "/app/refunds/r1" },
    { id: "t2", title: "Two Shopify orders", severity: "critical", actionUrl: "https://x.myshopify.com/admin/orders/2" },
  ],
  refunds: [{ id: "r1", status: "OPEN", statusLabel: "To send", amount: "19.95", url: "/app/refunds/r1" }],
  appUrls: { tasks: "/app/tasks", refunds: "/app/refunds?order=l1" },
};

describe("order block view model", () => {
  it("shows marketplace, Mirakl ids, state, ship-by with how long is left, commission", () => {
    const m = describeBlock(data, new Date("2026-11-24T10:00:00.000Z"));
    if (m.kind !== "order") throw new Error("expected an order");
    expect(m.heading).toBe("Joules");
    expect(m.stateLabel).toBe("To ship");
    expect(m.stateTone).toBe("warning");
    expect(m.facts).toEqual([
      { label: "Mirakl order", value: "5076958008-A (customer order 5076958008)" },
      { label: "Ship by", value: "25 Nov, 10:00 UTC (in 24 h)" },
      { label: "Commission", value: "£11.50" },
    ]);
    expect(m.canFlag).toBe(true);
  });

  it("links app pages with the app: protocol and keeps admin links as they are", () => {
    const m = describeBlock(data);
    if (m.kind !== "order") throw new Error("expected an order");
    expect(m.tasks).toEqual([
      { id: "t1", title: "Refund #1001 on Joules", tone: "warning", href: "app:app/refunds/r1" },
      { id: "t2", title: "Two Shopify orders", tone: "critical", href: "https://x.myshopify.com/admin/orders/2" },
    ]);
    expect(m.refunds).toEqual([{ id: "r1", label: "£19.95 · To send", href: "app:app/refunds/r1" }]);
    expect(m.refundsHref).toBe("app:app/refunds?order=l1");
    expect(appLink("/app/tasks")).toBe("app:app/tasks");
  });

  it("shows the acceptance deadline only while Mirakl waits for acceptance, and overdue deadlines as such", () => {
    const m = describeBlock({ ...data, miraklState: "WAITING_ACCEPTANCE", acceptanceDeadline: "2026-11-24T08:00:00.000Z" }, new Date("2026-11-24T10:00:00.000Z"));
    if (m.kind !== "order") throw new Error("expected an order");
    expect(m.facts[1]).toEqual({ label: "Accept by", value: "24 Nov, 08:00 UTC (overdue by 2 h)" });
    expect(deadlineHint(null)).toBeNull();
  });

  it("hides itself for other orders and offers no flag on a replaced order", () => {
    expect(describeBlock({ kind: "not_mirakl" })).toEqual({ kind: "hidden" });
    expect(describeBlock(null)).toEqual({ kind: "hidden" });
    const m = describeBlock({ ...data, replacedBy: { id: "gid://shopify/Order/9", name: "#1009" } });
    expect(m.kind === "order" && m.replacedBy).toBe("#1009");
    expect(m.kind === "order" && m.canFlag).toBe(false);
  });

  it("builds the flag request, trimming and bounding the note", () => {
    expect(flagRequest("gid://shopify/Order/1", "  damaged  ")).toEqual({ orderId: "gid://shopify/Order/1", note: "damaged" });
    expect(flagRequest("gid://shopify/Order/1", "   ")).toEqual({ orderId: "gid://shopify/Order/1" });
    expect(flagRequest("1", "x".repeat(600)).note).toHaveLength(500);
    expect(formatMoney(null, "GBP")).toBe("—");
  });
});
