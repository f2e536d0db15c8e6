import type { z } from "zod";
import type { Logger } from "../lib/logger";
import type { Services } from "../services.server";

/**
 * A job: a name, the payload's schema, how it may be queued and retried, and the sync function it runs.
 *
 * policy (pg-boss queue policy, see docs/decisions/0001-persistence.md):
 *  - "stately": at most one queued and one running job per key. Used for everything keyed by an entity
 *    (poll orders of connection C, import Mirakl order O): enqueuing twice is a no-op, never a duplicate run.
 *  - "standard": every send is a job (webhook processing: the delivery row already dedupes).
 */
export interface JobDefinition<P = unknown> {
  name: string;
  schema: z.ZodType<P>;
  policy: "stately" | "standard";
  /** The dedupe key for stately queues; required there. */
  key?: (payload: P) => string;
  retryLimit: number;
  retryDelaySeconds: number;
  /** A job still active after this long is considered crashed and retried (worker killed mid-run). */
  expireInSeconds: number;
  /** How many of this job one worker process runs at once. */
  concurrency: number;
  handler: (payload: P, ctx: JobContext) => Promise<unknown>;
  /** Turns a dead job into the Task a merchant sees. Defaults to a generic "background job failed" task. */
  onDeadLetter?: (payload: P, error: string, ctx: JobContext) => Promise<void>;
}

export interface JobContext {
  services: Services;
  log: Logger;
  job: { id: string; name: string; retryCount: number; final: boolean };
}

export function defineJob<S extends z.ZodTypeAny>(
  def: Omit<JobDefinition<z.infer<S>>, "schema" | "policy" | "retryLimit" | "retryDelaySeconds" | "expireInSeconds" | "concurrency"> & {
    schema: S;
    policy?: JobDefinition["policy"];
    retryLimit?: number;
    retryDelaySeconds?: number;
    expireInSeconds?: number;
    concurrency?: number;
  },
): JobDefinition<z.infer<S>> {
  const policy = def.policy ?? "stately";
  if (policy === "stately" && !def.key) throw new Error(`job ${def.name}: a stately job needs a key`);
  return {
    retryLimit: 8,
    retryDelaySeconds: 5,
    expireInSeconds: 15 * 60,
    concurrency: 2,
    ...def,
    policy,
  };
}
