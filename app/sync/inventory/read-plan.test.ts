import { describe, expect, it } from "vitest";
import { BY_ITEMS_MAX, DIFFERENTIAL_OVERLAP_MS, FULL_EXPORT_EVERY_MS, LIST_MAX, planMiraklRead, planShopifyRead } from "./read-plan";

const now = new Date("2026-05-01T12:00:00Z");
const ago = (ms: number) => new Date(now.getTime() - ms);

describe("planShopifyRead", () => {
  it("reads small catalogues by id and large ones with a bulk operation", () => {
    expect(planShopifyRead({ itemCount: 1 })).toBe("by-items");
    expect(planShopifyRead({ itemCount: BY_ITEMS_MAX })).toBe("by-items");
    expect(planShopifyRead({ itemCount: BY_ITEMS_MAX + 1 })).toBe("bulk");
    expect(planShopifyRead({ itemCount: 100_000 })).toBe("bulk");
  });
});

describe("planMiraklRead", () => {
  it("lists small catalogues with OF21", () => {
    expect(planMiraklRead({ managedCount: LIST_MAX, now, lastFullExportAt: null, lastExportAt: null })).toEqual({ kind: "list" });
  });
  it("takes a full export the first time and once a day (OF52: full once per day)", () => {
    expect(planMiraklRead({ managedCount: LIST_MAX + 1, now, lastFullExportAt: null, lastExportAt: null })).toEqual({ kind: "full-export" });
    expect(planMiraklRead({ managedCount: 50_000, now, lastFullExportAt: ago(FULL_EXPORT_EVERY_MS), lastExportAt: ago(60_000) })).toEqual({ kind: "full-export" });
  });
  it("otherwise a differential export since the last export, with an overlap", () => {
    expect(planMiraklRead({ managedCount: 50_000, now, lastFullExportAt: ago(3_600_000), lastExportAt: ago(1_800_000) })).toEqual({
      kind: "differential-export",
      since: ago(1_800_000 + DIFFERENTIAL_OVERLAP_MS),
    });
  });
  it("never goes differential without knowing when the last export was", () => {
    expect(planMiraklRead({ managedCount: 50_000, now, lastFullExportAt: ago(60_000), lastExportAt: null })).toEqual({ kind: "full-export" });
  });
});
