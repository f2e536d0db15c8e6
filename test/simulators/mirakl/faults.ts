/**
 * Fault injection for resilience tests: 429 storms and random 429s with Retry-After, 5xx before anything is
 * applied, added latency, and "timeout after write" (the write is applied, the answer never comes) which is the
 * case that makes blind retries of OR28/OR30 dangerous (notes §1.10, §5 gotcha 16).
 */
import { z } from "zod";
import { badRequest } from "./sim-errors";
import type { SimState } from "./sim-state";
import type { FaultConfig } from "./types";

const probability = z.number().min(0).max(1);

export const faultConfigSchema = z
  .object({
    rate429: probability.optional(),
    storm429: z.object({ forMs: z.number().nonnegative(), retryAfterSeconds: z.number().int().positive().optional() }).strict().optional(),
    rate5xx: probability.optional(),
    latencyMs: z.tuple([z.number().nonnegative(), z.number().nonnegative()]).refine(([a, b]) => a <= b, "latencyMs must be [min, max]").optional(),
    timeoutAfterWriteRate: probability.optional(),
    hangMs: z.number().nonnegative().optional(),
    only: z.array(z.string()).optional(),
  })
  .strict();

export function setFaults({ state, faults }: { state: SimState; faults: FaultConfig }): void {
  const parsed = faultConfigSchema.safeParse(faults);
  if (!parsed.success) throw badRequest(`Invalid faults: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`);
  const f = parsed.data as FaultConfig;
  state.faults = { ...f, stormUntil: f.storm429 ? state.clock.now() + f.storm429.forMs : undefined };
}

export function clearFaults({ state }: { state: SimState }): void {
  state.faults = {};
}

function applies({ state, operationId }: { state: SimState; operationId: string }): boolean {
  return !state.faults.only || state.faults.only.includes(operationId);
}

export type FaultDecision = { kind: "none" } | { kind: "429"; retryAfterSeconds: number } | { kind: "5xx"; status: number };

export function decideFault({ state, operationId, now }: { state: SimState; operationId: string; now: number }): FaultDecision {
  const f = state.faults;
  if (!applies({ state, operationId })) return { kind: "none" };
  if (f.stormUntil !== undefined && now < f.stormUntil) {
    return { kind: "429", retryAfterSeconds: f.storm429?.retryAfterSeconds ?? Math.max(1, Math.ceil((f.stormUntil - now) / 1000)) };
  }
  if (f.rate429 && state.random.faults.chance(f.rate429)) return { kind: "429", retryAfterSeconds: 1 };
  if (f.rate5xx && state.random.faults.chance(f.rate5xx)) return { kind: "5xx", status: state.random.faults.chance(0.5) ? 503 : 500 };
  return { kind: "none" };
}

export function latencyFor({ state, operationId }: { state: SimState; operationId: string }): number {
  const l = state.faults.latencyMs;
  if (!l || !applies({ state, operationId })) return 0;
  return l[0] + state.random.faults.next() * (l[1] - l[0]);
}

export function shouldTimeoutAfterWrite({ state, operationId }: { state: SimState; operationId: string }): boolean {
  const rate = state.faults.timeoutAfterWriteRate;
  return Boolean(rate) && applies({ state, operationId }) && state.random.faults.chance(rate ?? 0);
}
