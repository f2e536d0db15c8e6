import { describe, expect, it } from "vitest";
import { decisionConfirmation, fulfilmentStatusLabel, lineStateLabel, miraklStateLabel, orderStatusView, taxName, timelineText, type DecisionLineView } from "./order-views";

describe("orderStatusView", () => {
  const base = { miraklState: "WAITING_ACCEPTANCE", acceptanceStatus: "PENDING", importStatus: "WAITING", shopifyOrderName: null };

  it("an accepted order Mirakl has not moved on yet reads 'Accepted — waiting for Mirakl to confirm', never 'Waiting acceptance' next to 'Accepted'", () => {
    const v = orderStatusView({ ...base, acceptanceStatus: "ACCEPTED" });
    expect(v.mirakl).toBe("Accepted — waiting for Mirakl to confirm");
    expect(v.miraklNote).toBe('Mirakl still reports "Waiting acceptance"');
    expect(v.importStatus).toBe("WAITING");
    expect(v.noShopifyOrder).toBe("Not in Shopify yet");
  });

  it("a refused order says refused everywhere: no 'Waiting acceptance', no import, not 'Not in Shopify yet'", () => {
    const v = orderStatusView({ ...base, acceptanceStatus: "REFUSED", importStatus: "NOT_IMPORTED" });
    expect(v.mirakl).toBe("Refused — waiting for Mirakl to confirm");
    expect(v.importStatus).toBeNull();
    expect(v.noShopifyOrder).toBe("Not imported: the order was refused");
    const confirmed = orderStatusView({ ...base, miraklState: "REFUSED", acceptanceStatus: "REFUSED", importStatus: "NOT_IMPORTED" });
    expect(confirmed.mirakl).toBe("Refused");
    expect(confirmed.miraklNote).toBeNull();
  });

  it("a held or pending order shows no import status ('—'), not 'Waiting for payment'", () => {
    expect(orderStatusView({ ...base, acceptanceStatus: "HELD" }).importStatus).toBeNull();
    expect(orderStatusView(base).importStatus).toBeNull();
    expect(orderStatusView({ ...base, acceptanceStatus: "HELD" }).noShopifyOrder).toBe("Imported once accepted");
  });

  it("once Mirakl reports the next state, that state is shown as Mirakl says it", () => {
    const v = orderStatusView({ ...base, miraklState: "WAITING_DEBIT_PAYMENT", acceptanceStatus: "ACCEPTED" });
    expect(v.mirakl).toBe("Payment in progress");
    expect(v.importStatus).toBe("WAITING");
    expect(orderStatusView({ ...base, miraklState: "SHIPPING", acceptanceStatus: "ACCEPTED", importStatus: "IMPORTED", shopifyOrderName: "#1001" }).mirakl).toBe("To ship");
  });

  it("an order handled before the connector has no import status", () => {
    expect(orderStatusView({ ...base, miraklState: "CANCELED", beforeConnector: "Cancelled before the connector" }).importStatus).toBeNull();
  });
});

describe("timelineText", () => {
  it("moves Mirakl operation codes out of the text", () => {
    expect(timelineText("Accepted on Mirakl (OR21): 2 line(s)")).toEqual({ text: "Accepted on Mirakl: 2 lines", codes: ["OR21"] });
    expect(timelineText("Accepted on Mirakl (OR21): 1 line(s)").text).toBe("Accepted on Mirakl: 1 line");
    expect(timelineText("Shipment confirmed to Mirakl (OR24) with DPD UK (DPD) DPD123456")).toEqual({ text: "Shipment confirmed to Mirakl with DPD UK (DPD) DPD123456", codes: ["OR24"] });
  });

  it("shows Mirakl states by their labels", () => {
    expect(timelineText("Mirakl state WAITING_ACCEPTANCE → SHIPPING").text).toBe("Mirakl state: Waiting acceptance → To ship");
    expect(timelineText("Order seen on Mirakl in state WAITING_ACCEPTANCE (2 line(s), 83.8 GBP)").text).toBe("Order seen on Mirakl in state Waiting acceptance (2 lines, 83.8 GBP)");
    expect(timelineText("Order seen on Mirakl in state WAITING_ACCEPTANCE (1 line, £83.80)").text).toBe("Order seen on Mirakl in state Waiting acceptance (1 line, £83.80)");
  });

  it("leaves SKUs that contain a state word alone", () => {
    expect(timelineText("Refund for SHIPPING-BAG-01 and REFUSED_X").text).toBe("Refund for SHIPPING-BAG-01 and REFUSED_X");
  });

  it("formats timestamps in the shop's zone", () => {
    expect(timelineText("Unless a replacement appears by 2026-11-23T06:54:48.546Z, the Mirakl order will be cancelled too.", "Europe/Paris").text).toBe(
      "Unless a replacement appears by 23 Nov 2026, 07:54 GMT+1, the Mirakl order will be cancelled too.",
    );
  });

  it("never shows a raw state code through the label fallback", () => {
    expect(miraklStateLabel("SOME_NEW_STATE")).toBe("Some new state");
  });
});

describe("decisionConfirmation", () => {
  const line = (id: string, sku: string, ok: boolean, problem: string | null = null): DecisionLineView => ({ id, offerSku: sku, title: "", quantity: 1, active: true, proposeAccept: ok, problem });
  const lines = [line("a", "TOTE", true), line("b", "SCARF-RED", false, "SKU SCARF-RED is not linked to any Shopify product")];

  it("refusing names every line and says it cannot be undone and counts against the seller rating", () => {
    const c = decisionConfirmation({ decision: "refuse", lines, marketplace: "Joules" });
    expect(c?.title).toBe("Refuse this order?");
    expect(c?.lines).toEqual(["1 × TOTE", "1 × SCARF-RED"]);
    expect(c?.consequence).toMatch(/cannot be undone.*seller rating/);
    expect(c?.destructive).toBe(true);
  });

  it("accepting lines that failed the checks names them and the risk", () => {
    const c = decisionConfirmation({ decision: "accept", lines, marketplace: "Joules" });
    expect(c?.title).toBe("Accept lines that failed the checks?");
    expect(c?.risky).toEqual(["1 × SCARF-RED: SKU SCARF-RED is not linked to any Shopify product"]);
    expect(c?.confirmLabel).toBe("Accept anyway");
    expect(c?.destructive).toBe(false);
  });

  it("accepting lines that all passed needs no confirmation", () => {
    expect(decisionConfirmation({ decision: "accept", lines: [line("a", "TOTE", true)], marketplace: "Joules" })).toBeNull();
    expect(decisionConfirmation({ decision: { accept: ["a"] }, lines: [line("a", "TOTE", true)], marketplace: "Joules" })).toBeNull();
  });

  it("a per-line decision that refuses some lines lists those lines", () => {
    const c = decisionConfirmation({ decision: { accept: ["a"] }, lines, marketplace: "Joules" });
    expect(c?.title).toBe("Accept 1 and refuse 1 line?");
    expect(c?.lines).toEqual(["1 × SCARF-RED"]);
    expect(c?.consequence).toMatch(/Joules cancels these lines/);
  });
});

describe("lineStateLabel", () => {
  it("a line still 'Waiting acceptance' in the snapshot reads as our sent decision until Mirakl confirms", () => {
    expect(lineStateLabel("WAITING_ACCEPTANCE", false, "REFUSED")).toBe("Refused — waiting for Mirakl to confirm");
    expect(lineStateLabel("WAITING_ACCEPTANCE", true, "PARTIALLY_ACCEPTED")).toBe("Accepted — waiting for Mirakl to confirm");
    expect(lineStateLabel("WAITING_ACCEPTANCE", true, "HELD")).toBe("Waiting acceptance");
    expect(lineStateLabel("SHIPPING", true, "ACCEPTED")).toBe("To ship");
  });
});

describe("taxName", () => {
  it("names VAT codes VAT and any other code Tax", () => {
    expect(taxName("UK_VAT_STD")).toBe("VAT");
    expect(taxName("vat-reduced")).toBe("VAT");
    expect(taxName("US_SALES_TAX")).toBe("Tax");
    expect(taxName("ECOTAX")).toBe("Tax");
    expect(taxName(null)).toBe("Tax");
  });
});

describe("fulfilmentStatusLabel", () => {
  it("labels every fulfilment status in plain words", () => {
    expect(fulfilmentStatusLabel("NONE")).toBe("Not fulfilled yet");
    expect(fulfilmentStatusLabel("PARTIAL")).toBe("Partly fulfilled");
    expect(fulfilmentStatusLabel("TRACKING_SENT")).toBe("Tracking sent to Mirakl");
    expect(fulfilmentStatusLabel("SHIPPED")).toBe("Shipped");
    expect(fulfilmentStatusLabel("SOMETHING_NEW")).toBe("Something new");
  });
});
