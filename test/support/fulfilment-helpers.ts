import type { Harness } from "./harness";

/**
 * Test helpers of the fulfilment area.
 *
 * pg-boss schedules a failed job's retry `retryDelay · 2^n` seconds ahead (30 s and up for fulfilment.push), so
 * `drain()` stops with retries still waiting. Tests do not sleep: they bring those retries forward, which is
 * exactly what the passage of time would do.
 */
export async function makeRetriesDue(h: Pick<Harness, "services">): Promise<number> {
  return h.services.prisma.$executeRawUnsafe(`UPDATE pgboss.job SET start_after = now() - interval '1 second' WHERE state = 'retry'`);
}

/** Drains, bringing retries forward, until nothing is left to run (or the round limit is hit). */
export async function drainWithRetries(h: Pick<Harness, "services" | "drain">, maxRounds = 30): Promise<{ rounds: number; processed: number }> {
  let processed = 0;
  for (let round = 1; round <= maxRounds; round++) {
    processed += await h.drain();
    const due = await makeRetriesDue(h);
    if (due === 0) return { rounds: round, processed };
  }
  return { rounds: maxRounds, processed };
}
