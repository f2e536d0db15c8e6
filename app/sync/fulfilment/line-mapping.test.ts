import { describe, expect, it } from "vitest";
import { mapFulfilmentLines, readFulfilledLines, sameLines, shippingProgress, type MiraklLineInfo } from "./line-mapping";
import { miraklHolds, or23Input, shipmentTrackingInput, type OutgoingTracking } from "./link-tracking";

const lines: MiraklLineInfo[] = [
  { orderLineId: "O-1-1", offerSku: "TOP-M", quantity: 2, state: "SHIPPING" },
  { orderLineId: "O-1-2", offerSku: "TOTE", quantity: 1, state: "SHIPPING" },
  { orderLineId: "O-1-3", offerSku: "MUG", quantity: 1, state: "REFUSED" },
  { orderLineId: "O-1-4", offerSku: "TOP-M", quantity: 1, state: "SHIPPING" },
];
const same = (s: string) => s;

describe("mapFulfilmentLines", () => {
  it("maps Shopify SKUs and quantities onto Mirakl lines, line by line", () => {
    const r = mapFulfilmentLines({ items: [{ sku: "TOP-M", quantity: 3 }, { sku: "TOTE", quantity: 1 }], miraklLines: lines, shopifySkuOf: same });
    expect(r.lines).toEqual([
      { miraklOrderLineId: "O-1-1", quantity: 2 },
      { miraklOrderLineId: "O-1-4", quantity: 1 },
      { miraklOrderLineId: "O-1-2", quantity: 1 },
    ]);
    expect(r.unmatched).toEqual([]);
  });

  it("goes through SkuMapping when the offer SKU differs from the Shopify SKU", () => {
    const map = new Map([["TOTE", "SHOP-TOTE-01"]]);
    const r = mapFulfilmentLines({ items: [{ sku: "SHOP-TOTE-01", quantity: 1 }, { sku: "TOTE", quantity: 1 }], miraklLines: lines, shopifySkuOf: (s) => map.get(s) ?? s });
    expect(r.lines).toEqual([{ miraklOrderLineId: "O-1-2", quantity: 1 }]);
    expect(r.unmatched).toEqual([{ sku: "TOTE", quantity: 1 }]);
  });

  it("allocates after other fulfilments of the order and never onto refused lines", () => {
    const r = mapFulfilmentLines({
      items: [{ sku: "TOP-M", quantity: 2 }, { sku: "MUG", quantity: 1 }, { sku: null, quantity: 1 }],
      miraklLines: lines,
      shopifySkuOf: same,
      alreadyAllocated: new Map([["O-1-1", 2]]),
    });
    expect(r.lines).toEqual([{ miraklOrderLineId: "O-1-4", quantity: 1 }]);
    expect(r.unmatched).toEqual([
      { sku: "TOP-M", quantity: 1 },
      { sku: "MUG", quantity: 1 },
      { sku: null, quantity: 1 },
    ]);
  });
});

describe("shippingProgress", () => {
  it("is complete only when every active line is covered", () => {
    const part = shippingProgress({ miraklLines: lines, fulfilments: [[{ miraklOrderLineId: "O-1-1", quantity: 2 }]] });
    expect(part).toEqual({ complete: false, fulfilledUnits: 2, totalUnits: 4 });
    const all = shippingProgress({
      miraklLines: lines,
      fulfilments: [[{ miraklOrderLineId: "O-1-1", quantity: 2 }], [{ miraklOrderLineId: "O-1-4", quantity: 1 }, { miraklOrderLineId: "O-1-2", quantity: 5 }]],
    });
    expect(all).toEqual({ complete: true, fulfilledUnits: 4, totalUnits: 4 });
  });

  it("an order without active lines is never complete", () => {
    expect(shippingProgress({ miraklLines: [{ orderLineId: "x", offerSku: "A", quantity: 1, state: "CANCELED" }], fulfilments: [] }).complete).toBe(false);
  });
});

describe("sameLines / readFulfilledLines", () => {
  it("compares line multisets regardless of order and reads stored JSON defensively", () => {
    expect(sameLines([{ miraklOrderLineId: "a", quantity: 1 }, { miraklOrderLineId: "b", quantity: 2 }], [{ miraklOrderLineId: "b", quantity: 2 }, { miraklOrderLineId: "a", quantity: 1 }])).toBe(true);
    expect(sameLines([{ miraklOrderLineId: "a", quantity: 1 }], [{ miraklOrderLineId: "a", quantity: 2 }])).toBe(false);
    expect(readFulfilledLines([{ miraklOrderLineId: "a", quantity: 1 }, { miraklOrderLineId: 3, quantity: 1 }, { miraklOrderLineId: "b", quantity: 0 }, null])).toEqual([{ miraklOrderLineId: "a", quantity: 1 }]);
    expect(readFulfilledLines({})).toEqual([]);
  });
});

describe("what Mirakl already holds", () => {
  const rm24: OutgoingTracking = { kind: "registered", carrier: { code: "RM24", label: "Royal Mail Tracked 24", standardCode: "ROYAL_MAIL", trackingUrl: null }, number: "RM1" };
  const yodel: OutgoingTracking = { kind: "unregistered", name: "Yodel", url: "https://y/1", number: "Y1" };

  it("a registered carrier is held when OR11 shows its code and number", () => {
    expect(miraklHolds(rm24, { carrierCode: "RM24", company: "Royal Mail Tracked 24", number: "RM1" })).toBe(true);
    expect(miraklHolds(rm24, { carrierCode: "RM24", company: null, number: "RM2" })).toBe(false);
    expect(miraklHolds(rm24, { carrierCode: null, company: null, number: null })).toBe(false);
  });

  it("an unlisted carrier is held when OR11 shows its name with no code", () => {
    expect(miraklHolds(yodel, { carrierCode: null, company: "yodel", number: "Y1" })).toBe(true);
    expect(miraklHolds(yodel, { carrierCode: "DPD", company: "Yodel", number: "Y1" })).toBe(false);
    expect(miraklHolds({ kind: "none" }, { carrierCode: null, company: null, number: null })).toBe(true);
  });

  it("builds OR23 and ST01 tracking inputs", () => {
    expect(or23Input("O-1", rm24)).toEqual({ orderId: "O-1", carrierCode: "RM24", trackingNumber: "RM1" });
    expect(or23Input("O-1", yodel)).toEqual({ orderId: "O-1", carrierName: "Yodel", carrierUrl: "https://y/1", trackingNumber: "Y1" });
    expect(shipmentTrackingInput(yodel)).toEqual({ carrierName: "Yodel", trackingUrl: "https://y/1", trackingNumber: "Y1" });
    expect(shipmentTrackingInput({ kind: "none" })).toBeUndefined();
  });
});
