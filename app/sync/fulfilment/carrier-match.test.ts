import { describe, expect, it } from "vitest";
import { carrierKey, decideCarrier, exactCarrierMatches, suggestCarriers } from "./carrier-match";
import { readCarriers, readShippingTypes, trackingMandatory, type MarketplaceCarrier } from "./marketplace-reference";

// The UK carriers of the simulator's joules preset, as SH21 returns them (snake_case) and as the connection stores them.
const SH21 = [
  { code: "RM24", label: "Royal Mail Tracked 24", standard_code: "ROYAL_MAIL", tracking_url: "https://www.royalmail.com/track-your-item#/tracking-results/{trackingId}" },
  { code: "RM48", label: "Royal Mail Tracked 48", standard_code: "ROYAL_MAIL", tracking_url: "https://www.royalmail.com/track-your-item#/tracking-results/{trackingId}" },
  { code: "DPD", label: "DPD UK", standard_code: "DPD", tracking_url: "https://track.dpd.co.uk/parcels/{trackingId}" },
  { code: "DHL", label: "DHL Parcel UK", standard_code: "DHL", tracking_url: null },
  { code: "EVRI", label: "Evri", standard_code: "HERMES" },
];
const carriers: MarketplaceCarrier[] = readCarriers(SH21);

describe("carrierKey", () => {
  it("lower-cases and collapses whitespace, nothing else", () => {
    expect(carrierKey("  Royal   Mail\t24 ")).toBe("royal mail 24");
    expect(carrierKey("DHL-Express")).toBe("dhl-express");
  });
});

describe("readCarriers / readShippingTypes", () => {
  it("reads the stored SH21/SH12 JSON and skips entries without a code", () => {
    expect(readCarriers([...SH21, { label: "no code" }, null, "x"]).map((c) => c.code)).toEqual(["RM24", "RM48", "DPD", "DHL", "EVRI"]);
    expect(readCarriers("not a list")).toEqual([]);
    const types = readShippingTypes([{ code: "STD", mandatory_tracking: false }, { code: "NXD", label: "Next Day", mandatory_tracking: true }, { label: "no code" }]);
    expect(types).toEqual([
      { code: "STD", label: null, mandatoryTracking: false },
      { code: "NXD", label: "Next Day", mandatoryTracking: true },
    ]);
    expect(trackingMandatory(types, "NXD")).toBe(true);
    expect(trackingMandatory(types, "STD")).toBe(false);
    expect(trackingMandatory(types, "UNKNOWN")).toBe(false);
    expect(trackingMandatory(types, null)).toBe(false);
  });
});

describe("exactCarrierMatches", () => {
  it("matches code, label or standard code ignoring case, spaces and punctuation", () => {
    expect(exactCarrierMatches("rm24", carriers).map((c) => c.code)).toEqual(["RM24"]);
    expect(exactCarrierMatches("dpd uk", carriers).map((c) => c.code)).toEqual(["DPD"]);
    expect(exactCarrierMatches("Hermes", carriers).map((c) => c.code)).toEqual(["EVRI"]);
    expect(exactCarrierMatches("royal-mail", carriers).map((c) => c.code)).toEqual(["RM24", "RM48"]);
    expect(exactCarrierMatches("Royal Mail 24", carriers)).toEqual([]);
    expect(exactCarrierMatches("   ", carriers)).toEqual([]);
  });
});

describe("suggestCarriers", () => {
  it("ranks the closest carriers first for a name the marketplace does not use", () => {
    const s = suggestCarriers("Royal Mail 24", carriers);
    expect(s.map((x) => x.carrier.code)).toEqual(["RM24", "RM48"]);
    expect(s[0]!.score).toBeGreaterThan(s[1]!.score);
    expect(s[0]!.why).toBe("standard code");
  });

  it("puts an exact match at 100 and finds a code inside a longer name", () => {
    expect(suggestCarriers("Evri", carriers)[0]).toMatchObject({ score: 100, why: "exact" });
    expect(suggestCarriers("DPD Next Day", carriers).map((x) => x.carrier.code)[0]).toBe("DPD");
  });

  it("suggests nothing for an unrelated carrier", () => {
    expect(suggestCarriers("Yodel", carriers)).toEqual([]);
  });
});

describe("decideCarrier", () => {
  const base = { trackingUrl: "https://yodel.co.uk/track/1", carriers, allowUnregistered: true };

  it("applies an exact, unambiguous match automatically", () => {
    const d = decideCarrier({ ...base, trackingCompany: "DPD UK", mapping: null });
    expect(d).toMatchObject({ kind: "registered", source: "auto", carrier: { code: "DPD" } });
  });

  it("holds an ambiguous match rather than guessing", () => {
    const d = decideCarrier({ ...base, trackingCompany: "Royal Mail", mapping: null });
    expect(d.kind).toBe("hold");
    if (d.kind === "hold") {
      expect(d.reason).toBe("ambiguous");
      expect(d.suggestions.map((s) => s.carrier.code)).toEqual(["RM24", "RM48"]);
    }
  });

  it("holds an unknown name even where unlisted carriers are allowed (the merchant must opt in)", () => {
    expect(decideCarrier({ ...base, trackingCompany: "Yodel", mapping: null })).toMatchObject({ kind: "hold", reason: "unmapped" });
  });

  it("follows the merchant's mapping over an exact match", () => {
    const d = decideCarrier({ ...base, trackingCompany: "DPD UK", mapping: { miraklCarrierCode: "DHL", useUnregistered: false } });
    expect(d).toMatchObject({ kind: "registered", source: "mapping", carrier: { code: "DHL" } });
  });

  it("holds a mapping whose code the marketplace no longer lists", () => {
    expect(decideCarrier({ ...base, trackingCompany: "Parcelforce", mapping: { miraklCarrierCode: "PFW", useUnregistered: false } })).toMatchObject({
      kind: "hold",
      reason: "unknown_code",
    });
  });

  it("sends an opted-in unlisted carrier by name and URL only where the marketplace allows it", () => {
    const mapping = { miraklCarrierCode: null, useUnregistered: true };
    expect(decideCarrier({ ...base, trackingCompany: " Yodel ", mapping })).toEqual({ kind: "unregistered", name: "Yodel", url: "https://yodel.co.uk/track/1" });
    expect(decideCarrier({ ...base, allowUnregistered: false, trackingCompany: "Yodel", mapping })).toMatchObject({ kind: "hold", reason: "unlisted_forbidden" });
  });
});
