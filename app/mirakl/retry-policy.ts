/**
 * How long to wait before trying a Mirakl call again. Pure functions: the request loop owns the decisions.
 *
 * - 429: Mirakl says how long in `Retry-After` (seconds; notes §1.9). A 429 was not processed, so the same request,
 *   read or write, is sent again, within a budget (count and total wait) so a job never hangs for long.
 * - 5xx / network / timeout on reads: exponential backoff with full jitter (AWS architecture blog "Exponential
 *   Backoff And Jitter"), bounded by `maxDelayMs`, so a fleet of workers does not retry in lockstep (gotcha 13).
 */
export interface RetryPolicy {
  /** Extra attempts for a read after a 5xx, a dropped connection or a timeout. */
  maxReadRetries: number;
  /** First backoff ceiling; doubles per attempt. */
  baseDelayMs: number;
  /** Backoff ceiling. */
  maxDelayMs: number;
  /** How many 429s in a row the client absorbs before throwing MiraklRateLimitError. */
  maxRateLimitRetries: number;
  /** Total time the client may spend waiting on 429s for one call. */
  maxRateLimitWaitMs: number;
  /** Wait used after a 429 without a usable Retry-After (before jitter). */
  defaultRateLimitDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  maxReadRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 10_000,
  maxRateLimitRetries: 4,
  maxRateLimitWaitMs: 120_000,
  defaultRateLimitDelayMs: 5_000,
};

/** Full jitter: uniform in [0, min(max, base·2^attempt)]. `attempt` counts from 0. */
export function computeBackoffMs(input: { attempt: number; policy: RetryPolicy; random: () => number }): number {
  const ceiling = Math.min(input.policy.maxDelayMs, input.policy.baseDelayMs * 2 ** Math.max(0, input.attempt));
  const r = Math.min(1, Math.max(0, input.random()));
  return Math.round(ceiling * r);
}

/**
 * `Retry-After` as milliseconds: delta-seconds ("120", also tolerating "1.5") or an HTTP date (RFC 9110 §10.2.3).
 * Undefined when absent or unreadable; never negative.
 */
export function parseRetryAfterMs(input: { header: string | null | undefined; now: number }): number | undefined {
  const raw = input.header?.trim();
  if (!raw) return undefined;
  if (/^\d+(\.\d+)?$/.test(raw)) return Math.round(Number(raw) * 1000);
  // An HTTP date has a weekday and a month name; a bare "-5" would otherwise parse as a year.
  if (!/[a-z]/i.test(raw)) return undefined;
  const at = Date.parse(raw);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - input.now);
}

/**
 * Wait after a 429 that came without a usable Retry-After: the default delay doubled per 429, capped, with equal
 * jitter (half fixed, half random) so it is never close to zero: an immediate resend would only meet another 429.
 */
export function computeRateLimitDelayMs(input: { attempt: number; policy: RetryPolicy; random: () => number }): number {
  const ceiling = Math.min(
    Math.max(input.policy.maxDelayMs, input.policy.defaultRateLimitDelayMs),
    input.policy.defaultRateLimitDelayMs * 2 ** Math.max(0, input.attempt),
  );
  const r = Math.min(1, Math.max(0, input.random()));
  return Math.round(ceiling / 2 + (ceiling / 2) * r);
}
