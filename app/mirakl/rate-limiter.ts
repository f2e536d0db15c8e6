/**
 * Client-side pacing of Mirakl calls, per (instance, API key, shop, operation).
 *
 * Mirakl documents a "Maximum usage" per operation (seller-api-notes §1.9) and answers 429 beyond its hidden
 * runtime limits. We keep under the documented maxima for the calls that have a hard number, and leave the rest
 * unlimited at this level: OR11 is scheduled by the poller (once a minute) and also used to re-read orders before a
 * write is re-sent, writes are event-driven, reference data is cached daily by the callers.
 *
 * The limiter reserves slots (sliding window log): a call waits for its slot rather than failing, and
 * `nextAllowedAt` lets a scheduler ask when an operation may run again. The state lives in memory: it paces calls
 * within this process; scheduling across processes is the job queue's concern.
 */
import { createHash } from "node:crypto";
import type { MiraklOperationId } from "./operations";

export interface RateLimitWindow {
  /** At most `limit` calls ... */
  limit: number;
  /** ... in any sliding window of this length. */
  intervalMs: number;
}

/** No windows = unlimited. */
export interface RateLimit {
  windows: readonly RateLimitWindow[];
}

export const UNLIMITED: RateLimit = { windows: [] };

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

/** Defaults from the spec's "Maximum usage" blocks (§1.9); anything not listed is unlimited. */
export const DEFAULT_RATE_LIMITS: Readonly<Partial<Record<MiraklOperationId, RateLimit>>> = {
  // "Once per minute, 100 orders per call".
  OR04: { windows: [{ limit: 1, intervalMs: MINUTE }] },
  // "Once per minute" (recommended every 5 minutes).
  STO01: { windows: [{ limit: 1, intervalMs: MINUTE }] },
  // "Once every 15 seconds".
  STO02: { windows: [{ limit: 1, intervalMs: 15_000 }] },
  // "Once per minute".
  STO03: { windows: [{ limit: 1, intervalMs: MINUTE }] },
  // Differential export "once per minute" (full once per day: the caller's schedule).
  OF52: { windows: [{ limit: 1, intervalMs: MINUTE }] },
  // Poll "every 10 seconds" at most.
  OF53: { windows: [{ limit: 1, intervalMs: 10_000 }] },
  // "20 times per min, 60 times per hour"; every page is a call.
  TL02: {
    windows: [
      { limit: 20, intervalMs: MINUTE },
      { limit: 60, intervalMs: HOUR },
    ],
  },
};

export interface RateLimitKey {
  baseUrl: string;
  apiKey: string;
  shopId?: string;
  operationId: MiraklOperationId;
}

export interface MiraklRateLimiter {
  /** Reserve the next slot for a call and return when it may start (`>= now`). */
  reserve(input: { key: RateLimitKey; limit: RateLimit; now: number }): number;
  /** When the next call could start, without reserving it. */
  nextAllowedAt(input: { key: RateLimitKey; limit: RateLimit; now: number }): number;
}

function keyString(key: RateLimitKey): string {
  // The key only identifies the bucket: hash it so the raw secret is not kept around as a map key.
  const keyHash = createHash("sha256").update(key.apiKey).digest("hex").slice(0, 16);
  return `${key.baseUrl}|${keyHash}|${key.shopId ?? ""}|${key.operationId}`;
}

export function createRateLimiter(): MiraklRateLimiter {
  // Reservation times per bucket, ascending (reservations are handed out in order).
  const buckets = new Map<string, number[]>();

  function earliest(times: readonly number[], limit: RateLimit, now: number): number {
    let at = now;
    const last = times[times.length - 1];
    // First come, first served: never jump ahead of an earlier reservation.
    if (last !== undefined && last > at) at = last;
    for (const w of limit.windows) {
      if (w.limit <= 0) continue;
      if (times.length >= w.limit) {
        // Sliding window: the call that is `limit` places back must have left the window.
        const anchor = times[times.length - w.limit];
        if (anchor !== undefined && anchor + w.intervalMs > at) at = anchor + w.intervalMs;
      }
    }
    return at;
  }

  function prune(times: number[], limit: RateLimit, now: number): void {
    const horizon = Math.max(0, ...limit.windows.map((w) => w.intervalMs));
    const maxKept = Math.max(0, ...limit.windows.map((w) => w.limit));
    while (times.length > 0 && (times[0] ?? 0) <= now - horizon) times.shift();
    while (times.length > maxKept) times.shift();
  }

  return {
    reserve({ key, limit, now }) {
      if (limit.windows.length === 0) return now;
      const k = keyString(key);
      const times = buckets.get(k) ?? [];
      prune(times, limit, now);
      const at = earliest(times, limit, now);
      times.push(at);
      buckets.set(k, times);
      return at;
    },
    nextAllowedAt({ key, limit, now }) {
      if (limit.windows.length === 0) return now;
      const times = buckets.get(keyString(key));
      if (!times) return now;
      prune(times, limit, now);
      return earliest(times, limit, now);
    },
  };
}

/**
 * Shared by every client in the process, so two clients for the same connection (say, a web request and a job)
 * pace together. Tests with fake clocks should pass their own `createRateLimiter()`.
 */
export const sharedRateLimiter: MiraklRateLimiter = createRateLimiter();

export function resolveRateLimit(input: {
  operationId: MiraklOperationId;
  overrides?: Partial<Record<MiraklOperationId, RateLimit | null>>;
}): RateLimit {
  const { overrides, operationId } = input;
  if (overrides && Object.prototype.hasOwnProperty.call(overrides, operationId)) {
    return overrides[operationId] ?? UNLIMITED;
  }
  return DEFAULT_RATE_LIMITS[operationId] ?? UNLIMITED;
}
