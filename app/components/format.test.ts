import { describe, expect, it } from "vitest";
import { displayTimeZone, formatDateTime } from "./format";

describe("formatDateTime", () => {
  const at = "2026-11-23T06:54:48.546Z";

  it("says the zone: UTC by default, the shop's zone (GMT in a London winter) when given", () => {
    expect(formatDateTime(at)).toBe("23 Nov 2026, 06:54 UTC");
    expect(formatDateTime(at, "Europe/London")).toBe("23 Nov 2026, 06:54 GMT");
    expect(formatDateTime(at, "Europe/Paris")).toBe("23 Nov 2026, 07:54 GMT+1");
  });

  it("follows daylight saving time, half-hour zones and the day boundary in the shop's zone", () => {
    expect(formatDateTime("2026-07-23T06:54:00Z", "Europe/London")).toBe("23 Jul 2026, 07:54 GMT+1");
    expect(formatDateTime("2026-07-23T06:54:00Z", "Asia/Kolkata")).toBe("23 Jul 2026, 12:24 GMT+5:30");
    expect(formatDateTime("2026-09-01T02:30:00Z", "America/New_York")).toBe("31 Aug 2026, 22:30 GMT-4");
  });

  it("uses fixed month names (Node and Chromium ICU disagree on 'Sep' and 'Sept', which broke hydration)", () => {
    expect(formatDateTime("2026-09-05T10:00:00Z")).toBe("5 Sep 2026, 10:00 UTC");
  });

  it("shows a dash for nothing or an unreadable date, and falls back to UTC for an unknown zone", () => {
    expect(formatDateTime(null)).toBe("—");
    expect(formatDateTime("not a date")).toBe("—");
    expect(formatDateTime(at, "Mars/Olympus")).toBe("23 Nov 2026, 06:54 UTC");
    expect(displayTimeZone(undefined)).toBe("UTC");
    expect(displayTimeZone("Europe/Paris")).toBe("Europe/Paris");
  });
});
