/**
 * Per API key and operation token buckets, answering 429 with Retry-After in seconds like Mirakl (notes §1.9).
 * Refill follows the simulated clock, so advanceClock also refills. No configured limit = unlimited.
 */
import type { SimState } from "./sim-state";

export type RateDecision = { allowed: true } | { allowed: false; retryAfterSeconds: number };

export function takeRateToken({ state, apiKey, operationId, now }: { state: SimState; apiKey: string; operationId: string; now: number }): RateDecision {
  const limit = state.tenant.rateLimits[operationId] ?? state.tenant.rateLimits["*"];
  if (!limit) return { allowed: true };
  const key = `${apiKey}\u0000${operationId}`;
  const perMs = limit.refillPerMinute / 60_000;
  const bucket = state.rateBuckets.get(key) ?? { tokens: limit.capacity, at: now };
  bucket.tokens = Math.min(limit.capacity, bucket.tokens + Math.max(0, now - bucket.at) * perMs);
  bucket.at = now;
  state.rateBuckets.set(key, bucket);
  if (bucket.tokens >= 1) {
    bucket.tokens -= 1;
    return { allowed: true };
  }
  const waitMs = perMs > 0 ? (1 - bucket.tokens) / perMs : 60_000;
  return { allowed: false, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
}
