/**
 * When order work is due (pure). Mirakl's call-frequency contract allows OR11 polling at most once a minute
 * (seller-api-notes §1.9), and OR11's start_update_date already goes back by a safety delta (gotcha 14); we add
 * our own overlap so a clock difference or an update written while we paged cannot slip between two polls.
 */

/** Mirakl's maximum for asynchronous OR11 polling. */
export const MIN_POLL_INTERVAL_MS = 60_000;
/**
 * scheduler.tick fires once a minute and the poll records its own start: without a little slack, a poll that
 * started a few hundred ms late would make the next tick skip and halve the cadence. Never lets two polls start
 * less than 57 s apart.
 */
export const POLL_SLACK_MS = 3_000;
/** Re-read this much before the cursor (on top of Mirakl's own delta). Re-reading is cheap: unchanged orders are skipped. */
export const POLL_OVERLAP_MS = 5 * 60_000;
/** The backfill sweep (look back connection.backfillHours) runs this often. */
export const BACKFILL_EVERY_MS = 4 * 60 * 60_000;

export function pollIntervalMs(pollIntervalSeconds: number): number {
  return Math.max(MIN_POLL_INTERVAL_MS, pollIntervalSeconds * 1000);
}

export function isPollDue(input: { lastOrderPollAt: Date | null; pollIntervalSeconds: number; now: Date }): boolean {
  if (!input.lastOrderPollAt) return true;
  return input.now.getTime() - input.lastOrderPollAt.getTime() >= pollIntervalMs(input.pollIntervalSeconds) - POLL_SLACK_MS;
}

export function isBackfillDue(input: { lastBackfillAt: Date | null; now: Date }): boolean {
  if (!input.lastBackfillAt) return true;
  return input.now.getTime() - input.lastBackfillAt.getTime() >= BACKFILL_EVERY_MS;
}

/** OR11 start_update_date for a regular poll: the cursor minus the overlap, or the backfill window on the first poll. */
export function pollWindowStart(input: { ordersCursor: Date | null; backfillHours: number; now: Date }): Date {
  if (!input.ordersCursor) return backfillWindowStart(input);
  return new Date(input.ordersCursor.getTime() - POLL_OVERLAP_MS);
}

export function backfillWindowStart(input: { backfillHours: number; now: Date }): Date {
  return new Date(input.now.getTime() - Math.max(1, input.backfillHours) * 3_600_000);
}
