/**
 * A small counting semaphore. Fanning out many Mirakl calls at once is what triggers 429 storms (gotcha 13,
 * sdk-php-shop #61 with multi-curl), so each client caps the calls it has in flight.
 */
export interface Semaphore {
  /** Resolves with a release function once a slot is free. Call it exactly once. */
  acquire(): Promise<() => void>;
  readonly inFlight: number;
}

export function createSemaphore(input: { max: number }): Semaphore {
  const max = Math.max(1, Math.floor(input.max));
  let inFlight = 0;
  const waiting: Array<() => void> = [];

  function release(): void {
    const next = waiting.shift();
    if (next) next();
    else inFlight--;
  }

  function makeRelease(): () => void {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      release();
    };
  }

  return {
    acquire() {
      if (inFlight < max) {
        inFlight++;
        return Promise.resolve(makeRelease());
      }
      // The slot is handed over directly on release: inFlight stays the same.
      return new Promise((resolve) => waiting.push(() => resolve(makeRelease())));
    },
    get inFlight() {
      return inFlight;
    },
  };
}
