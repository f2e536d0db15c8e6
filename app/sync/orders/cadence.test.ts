import { describe, expect, it } from "vitest";
import { backfillWindowStart, isBackfillDue, isPollDue, pollWindowStart, POLL_OVERLAP_MS } from "./cadence";
import { formatDuration } from "./order-tasks";

const t = (iso: string) => new Date(iso);

describe("order polling cadence", () => {
  it("polls at most once a minute, whatever the configured interval says", () => {
    const last = t("2026-01-01T10:00:00Z");
    expect(isPollDue({ lastOrderPollAt: null, pollIntervalSeconds: 60, now: last })).toBe(true);
    expect(isPollDue({ lastOrderPollAt: last, pollIntervalSeconds: 60, now: t("2026-01-01T10:00:30Z") })).toBe(false);
    expect(isPollDue({ lastOrderPollAt: last, pollIntervalSeconds: 60, now: t("2026-01-01T10:00:56Z") })).toBe(false);
    // A tick that fires a little early still polls: the next poll starts ≥ 57 s after the previous one.
    expect(isPollDue({ lastOrderPollAt: last, pollIntervalSeconds: 60, now: t("2026-01-01T10:00:57.500Z") })).toBe(true);
    // 10 s configured (below Mirakl's contract) is treated as 60 s.
    expect(isPollDue({ lastOrderPollAt: last, pollIntervalSeconds: 10, now: t("2026-01-01T10:00:20Z") })).toBe(false);
    expect(isPollDue({ lastOrderPollAt: last, pollIntervalSeconds: 300, now: t("2026-01-01T10:02:00Z") })).toBe(false);
    expect(isPollDue({ lastOrderPollAt: last, pollIntervalSeconds: 300, now: t("2026-01-01T10:05:00Z") })).toBe(true);
  });

  it("re-reads an overlap before the cursor, and looks back the backfill window the first time", () => {
    const now = t("2026-01-03T00:00:00Z");
    expect(pollWindowStart({ ordersCursor: null, backfillHours: 48, now }).toISOString()).toBe("2026-01-01T00:00:00.000Z");
    const cursor = t("2026-01-02T23:59:00Z");
    expect(pollWindowStart({ ordersCursor: cursor, backfillHours: 48, now }).getTime()).toBe(cursor.getTime() - POLL_OVERLAP_MS);
    expect(backfillWindowStart({ backfillHours: 6, now }).toISOString()).toBe("2026-01-02T18:00:00.000Z");
  });

  it("runs the backfill sweep every four hours", () => {
    const last = t("2026-01-01T00:00:00Z");
    expect(isBackfillDue({ lastBackfillAt: null, now: last })).toBe(true);
    expect(isBackfillDue({ lastBackfillAt: last, now: t("2026-01-01T03:59:00Z") })).toBe(false);
    expect(isBackfillDue({ lastBackfillAt: last, now: t("2026-01-01T04:00:00Z") })).toBe(true);
  });

  it("prints countdowns people can read", () => {
    expect(formatDuration(30_000)).toBe("less than a minute");
    expect(formatDuration(45 * 60_000)).toBe("45 min");
    expect(formatDuration(125 * 60_000)).toBe("2 h 05 min");
    expect(formatDuration(49 * 3_600_000)).toBe("2 d 1 h");
  });
});
