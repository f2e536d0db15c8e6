/**
 * When the next STO01 may go out for a connection. Mirakl allows one stock import a minute per shop (seller-api-notes
 * §1.9, "STO01: once per minute"); two guards must both agree:
 *  - the connection's slot in the database (lastStockPushAt + stockPushIntervalSeconds), shared by every worker
 *    process, claimed atomically before a file is sent;
 *  - the Mirakl client's own limiter (nextAllowedAt), which also paces calls made by this process.
 * A push that is not allowed yet is deferred (re-enqueued with this delay), never dropped: its SKUs stay dirty.
 */
export function stockPushWaitMs(input: { nowMs: number; lastPushAtMs: number | null; intervalSeconds: number; clientWaitMs: number }): number {
  const interval = Math.max(0, input.intervalSeconds) * 1000;
  const slot = input.lastPushAtMs === null ? 0 : input.lastPushAtMs + interval - input.nowMs;
  return Math.max(0, Math.ceil(Math.max(slot, input.clientWaitMs)));
}

/** Seconds for a deferred job (pg-boss startAfter has second granularity): never 0 for a positive wait. */
export function delaySecondsFor(waitMs: number): number {
  return waitMs <= 0 ? 0 : Math.max(1, Math.ceil(waitMs / 1000));
}
