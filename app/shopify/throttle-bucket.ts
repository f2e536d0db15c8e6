/**
 * Client-side view of Shopify's leaky bucket for one app+shop (notes §4.8).
 *
 * Shopify reports `extensions.cost.throttleStatus` on every response. Between responses the bucket refills
 * at `restoreRate` points per second up to `maximumAvailable`. Waiting *before* sending when the estimate is
 * short of the requested cost avoids THROTTLED round trips entirely, so a long run of orderCreate calls
 * settles at restoreRate / cost requests per second instead of bursting, failing and backing off.
 */
export interface ThrottleStatus {
  maximumAvailable: number;
  currentlyAvailable: number;
  restoreRate: number;
}

export interface BucketSnapshot extends ThrottleStatus {
  observedAt: number;
}

export class ThrottleBucket {
  private state: BucketSnapshot | undefined;

  /** Record what Shopify just told us; it is the truth, whatever we estimated locally. */
  observe(status: ThrottleStatus, now: number): void {
    if (!(status.restoreRate > 0) || !(status.maximumAvailable > 0)) return;
    this.state = { ...status, observedAt: now };
  }

  /** Estimated points available at `now`, or undefined before the first response for this shop. */
  estimate(now: number): number | undefined {
    const s = this.state;
    if (!s) return undefined;
    const refilled = s.currentlyAvailable + (s.restoreRate * Math.max(0, now - s.observedAt)) / 1000;
    return Math.min(s.maximumAvailable, refilled);
  }

  /**
   * Take `cost` points if the estimate allows it and return 0, or return how many ms to wait first.
   * Taking points locally (not only on the next response) makes concurrent requests for the same shop
   * pace each other. Unknown bucket: send at once, the first response will tell us.
   */
  reserve(cost: number, now: number): number {
    const s = this.state;
    const available = this.estimate(now);
    if (!s || available === undefined) return 0;
    // A request costing more than the whole bucket can never wait its way in; ask for a full bucket and
    // let Shopify answer (MAX_COST_EXCEEDED is reported as a GraphQL error, not a wait).
    const needed = Math.min(cost, s.maximumAvailable);
    if (available >= needed) {
      this.state = { ...s, currentlyAvailable: available - needed, observedAt: now };
      return 0;
    }
    return Math.ceil(((needed - available) / s.restoreRate) * 1000);
  }

  snapshot(): BucketSnapshot | undefined {
    return this.state ? { ...this.state } : undefined;
  }
}

export interface BucketRegistry {
  get(shop: string): ThrottleBucket;
  /**
   * Learnt requested cost per operation name (from extensions.cost.requestedQueryCost). It does not depend on
   * the shop, so one map serves every bucket of the registry.
   */
  readonly costs: Map<string, number>;
}

export function createBucketRegistry(): BucketRegistry {
  const buckets = new Map<string, ThrottleBucket>();
  return {
    costs: new Map<string, number>(),
    get(shop) {
      let b = buckets.get(shop);
      if (!b) {
        b = new ThrottleBucket();
        buckets.set(shop, b);
      }
      return b;
    },
  };
}

/**
 * Process-wide registry: the bucket is per app+shop on Shopify's side, so every client created for a shop
 * in this process (one per job) must share one view of it.
 */
export const sharedBucketRegistry: BucketRegistry = createBucketRegistry();
