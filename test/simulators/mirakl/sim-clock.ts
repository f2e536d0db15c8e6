/**
 * The simulated clock: real time plus an offset that advanceClock() grows, so tests can jump days ahead
 * while the demo still sees time pass naturally. Never goes backwards, even if the system clock does.
 */
export interface SimClock {
  now(): number;
  advance(ms: number): number;
  reset(): void;
}

export function createSimClock(): SimClock {
  let offset = 0;
  let last = 0;
  const now = () => {
    const t = Date.now() + offset;
    if (t > last) last = t;
    return last;
  };
  return {
    now,
    advance: (ms) => {
      if (!Number.isFinite(ms) || ms < 0) throw new RangeError("advanceClock needs a non-negative number of ms");
      offset += ms;
      return now();
    },
    reset: () => {
      offset = 0;
      last = 0;
    },
  };
}
