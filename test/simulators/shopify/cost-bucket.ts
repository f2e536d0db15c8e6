/**
 * The per app+shop leaky bucket of the GraphQL Admin API (notes.md §4.8): a request needs its *requested* cost in
 * the bucket, pays it up front, and gets `requested - actual` back after execution.
 *
 * Plan figures: restore rates are Shopify's published ones (Standard 100 pts/s, Advanced 200, Plus 1000,
 * Enterprise 2000; §4.8). Bucket sizes are not published (§4.8 UNCERTAIN); we keep the historical ratio of 20 s of
 * restore (the old 1,000/50 and 2,000/100 pairs) so Standard gets 2,000. Clients must read `throttleStatus`, never
 * hard-code these, and a test can override both per shop (control.setThrottle).
 */
import type { PlanName } from "./model";

export interface PlanLimits {
  maximumAvailable: number;
  restoreRate: number;
}

export const PLAN_LIMITS: Record<PlanName, PlanLimits> = {
  standard: { maximumAvailable: 2000, restoreRate: 100 },
  development: { maximumAvailable: 2000, restoreRate: 100 },
  advanced: { maximumAvailable: 4000, restoreRate: 200 },
  plus: { maximumAvailable: 20000, restoreRate: 1000 },
  enterprise: { maximumAvailable: 40000, restoreRate: 2000 },
};

/** A single query may not cost more than this whatever the plan (notes.md §4.8). */
export const SINGLE_QUERY_MAX_COST = 1000;

export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export class CostBucket {
  private available: number;
  private at: number;
  constructor(
    private limits: PlanLimits,
    private readonly now: () => number = Date.now,
  ) {
    this.available = limits.maximumAvailable;
    this.at = now();
  }

  private refill(): void {
    const t = this.now();
    const elapsed = Math.max(0, t - this.at) / 1000;
    this.available = Math.min(this.limits.maximumAvailable, this.available + elapsed * this.limits.restoreRate);
    this.at = t;
  }

  setLimits(limits: PlanLimits): void {
    this.refill();
    this.limits = limits;
    this.available = Math.min(this.available, limits.maximumAvailable);
  }

  /** Takes `cost` if the bucket holds it; false means THROTTLED and nothing is taken. */
  tryTake(cost: number): boolean {
    this.refill();
    if (cost > this.available) return false;
    this.available -= cost;
    return true;
  }

  refund(points: number): void {
    this.refill();
    this.available = Math.min(this.limits.maximumAvailable, this.available + Math.max(0, points));
  }

  /** Empties the bucket (a test forcing the throttled path without a burst). */
  drain(): void {
    this.refill();
    this.available = 0;
  }

  status(): ThrottleStatus {
    this.refill();
    return {
      maximumAvailable: this.limits.maximumAvailable,
      // Shopify reports whole points.
      currentlyAvailable: Math.floor(this.available),
      restoreRate: this.limits.restoreRate,
    };
  }
}
