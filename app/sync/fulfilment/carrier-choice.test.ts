import { describe, expect, it } from "vitest";
import { UNLISTED_CHOICE, canSaveCarrierChoice, initialCarrierChoice } from "./carrier-choice";

describe("carrier choice on the Carriers screen", () => {
  it("never pre-selects a guessed carrier for an unmapped tracking company", () => {
    // "Royal Mail" suggests RM24 and RM48: nothing is chosen until the merchant picks one.
    expect(initialCarrierChoice({ miraklCarrierCode: null, useUnregistered: false }, true)).toBe("");
    expect(canSaveCarrierChoice("", { miraklCarrierCode: null, useUnregistered: false }, true)).toBe(false);
    expect(canSaveCarrierChoice("RM48", { miraklCarrierCode: null, useUnregistered: false }, true)).toBe(true);
  });

  it("pre-selects what the merchant saved, and saving again needs a change", () => {
    const saved = { miraklCarrierCode: "DPD", useUnregistered: false };
    expect(initialCarrierChoice(saved, false)).toBe("DPD");
    expect(canSaveCarrierChoice("DPD", saved, false)).toBe(false);
    expect(canSaveCarrierChoice("DHL", saved, false)).toBe(true);
  });

  it("an unlisted choice is kept only where the marketplace allows unlisted carriers", () => {
    const saved = { miraklCarrierCode: null, useUnregistered: true };
    expect(initialCarrierChoice(saved, true)).toBe(UNLISTED_CHOICE);
    expect(initialCarrierChoice(saved, false)).toBe("");
    expect(canSaveCarrierChoice(UNLISTED_CHOICE, saved, false)).toBe(false);
  });
});
