import PgBoss from "pg-boss";
import { randomUUID } from "node:crypto";
import { z } from "zod";
import { errorMessage, isRetryable } from "../lib/errors";
import { logger } from "../lib/logger";
import type { Database } from "../db/database.server";
import type { JobDefinition, JobContext } from "./define-job";
import type { Services } from "../services.server";
import { ApiKeyUnreadableError, pauseForUnreadableApiKey } from "../sync/api-key-unreadable.server";

const log = logger.child({ module: "jobs" });
export const DEAD_LETTER_QUEUE = "dead-letter";

export interface EnqueueOptions {
  /** Run no earlier than this many seconds from now (debounce, retry-after). */
  delaySeconds?: number;
  /** Overrides the definition's key (rare: a second, independent lane for the same entity). */
  key?: string;
  /** The merchant's Retry on a job_failed Task: the Task is resolved when this run succeeds. */
  retryTask?: RetryTaskMark;
}

const retryTaskMarkSchema = z.object({ shop: z.string(), dedupeKey: z.string() });
type RetryTaskMark = z.infer<typeof retryTaskMarkSchema>;

export interface JobQueue {
  /** Queues a job; returns its id, or null when an identical job (same key) is already waiting. */
  enqueue<P>(def: JobDefinition<P>, payload: P, opts?: EnqueueOptions): Promise<string | null>;
  enqueueByName(name: string, payload: unknown, opts?: EnqueueOptions): Promise<string | null>;
  /** Runs a job's handler here and now, with the same error handling as a worker (tests, sync routes). */
  runNow<P>(def: JobDefinition<P>, payload: P): Promise<unknown>;
  /** Starts polling workers in this process (the embedded default, and `npm run worker`). */
  startWorkers(): Promise<void>;
  /** Tests: process queued jobs until none is left (or the time is up). */
  drain(opts?: { timeoutMs?: number; names?: string[] }): Promise<number>;
  definitions(): JobDefinition[];
  boss: PgBoss;
  stop(): Promise<void>;
}

export interface CreateJobQueueOptions {
  db: Database;
  definitions: JobDefinition<any>[];
  services: () => Services;
  /** cron schedules: job name -> cron expression (pg-boss, minute granularity) */
  schedules?: Record<string, string>;
  pollingIntervalSeconds?: number;
}

export async function createJobQueue(opts: CreateJobQueueOptions): Promise<JobQueue> {
  const { db } = opts;
  const boss =
    db.kind === "postgres" && db.connectionString
      ? new PgBoss({ connectionString: db.connectionString, max: 4, application_name: "mirakl-connector-jobs" })
      : // PGlite: one connection inside this process, shared with Prisma through the same runner.
        new PgBoss({ db: db.sql as PgBoss.Db, supervise: true, schedule: true });
  boss.on("error", (err) => log.error("pg-boss error", { err }));
  await boss.start();

  const defs = new Map<string, JobDefinition<any>>();
  for (const def of opts.definitions) defs.set(def.name, def);

  await boss.createQueue(DEAD_LETTER_QUEUE, { name: DEAD_LETTER_QUEUE, policy: "standard", retryLimit: 0 } as PgBoss.Queue).catch(ignoreExists);
  for (const def of defs.values()) {
    const queue = {
      name: def.name,
      policy: def.policy,
      retryLimit: def.retryLimit,
      retryDelay: def.retryDelaySeconds,
      retryBackoff: true,
      expireInSeconds: def.expireInSeconds,
      deadLetter: DEAD_LETTER_QUEUE,
    } satisfies PgBoss.Queue;
    await boss.createQueue(def.name, queue).catch(ignoreExists);
    await boss.updateQueue(def.name, queue);
  }
  for (const [name, cron] of Object.entries(opts.schedules ?? {})) {
    await boss.schedule(name, cron, {}, { singletonKey: `schedule:${name}` });
  }

  const loops: { stopped: boolean; wake: () => void }[] = [];
  const wakers = new Map<string, () => void>();
  const inflight = new Set<Promise<unknown>>();

  const send = async (def: JobDefinition<any>, payload: unknown, o: EnqueueOptions = {}) => {
    const parsed = def.schema.parse(payload);
    const key = o.key ?? def.key?.(parsed);
    // __job travels with the payload so a job that reaches the dead-letter queue still says what it was.
    // __retryTask likewise: it must survive to the run (and the dead-letter copy) to resolve the merchant's Task.
    const id = await boss.send(def.name, { ...(parsed as object), __job: def.name, ...(o.retryTask ? { __retryTask: o.retryTask } : {}) }, {
      singletonKey: key,
      startAfter: o.delaySeconds ? Math.ceil(o.delaySeconds) : undefined,
    });
    log.debug("job enqueued", { job: def.name, key, id, deduped: id === null });
    if (id && !o.delaySeconds) wakers.get(def.name)?.();
    return id;
  };

  const execute = async (def: JobDefinition<any>, payload: unknown, meta: JobContext["job"]) => {
    const services = opts.services();
    const ctx: JobContext = { services, log: log.child({ job: def.name, jobId: meta.id }), job: meta };
    const parsed = def.schema.safeParse(payload);
    if (!parsed.success) {
      // A payload we cannot read will never get better: dead-letter it straight away.
      await deadLetter(def, payload, `invalid payload: ${parsed.error.message}`, ctx);
      return { deadLettered: true };
    }
    try {
      const output = await def.handler(parsed.data, ctx);
      const retried = retryTaskMarkSchema.safeParse((payload as Record<string, unknown> | null)?.__retryTask);
      if (retried.success) await services.tasks.resolve({ ...retried.data, by: "retry" });
      return output;
    } catch (err) {
      if (err instanceof ApiKeyUnreadableError) {
        // Every job of this marketplace would fail the same way: one Task that says what to do, and a pause,
        // rather than a "job failed" Task per job quoting the crypto library.
        ctx.log.warn("stored API key cannot be decrypted", { shop: err.shop, connectionId: err.connectionId });
        await pauseForUnreadableApiKey(services, { shop: err.shop, connectionId: err.connectionId }).catch((e: unknown) => ctx.log.error("could not pause connection", { err: e }));
        return { deadLettered: true, error: errorMessage(err) };
      }
      if (!isRetryable(err) || meta.final) {
        ctx.log.warn("job failed for good", { err, retryCount: meta.retryCount });
        await deadLetter(def, parsed.data, errorMessage(err), ctx);
        return { deadLettered: true, error: errorMessage(err) };
      }
      ctx.log.info("job failed, will retry", { error: errorMessage(err), retryCount: meta.retryCount });
      throw err;
    }
  };

  const deadLetter = async (def: JobDefinition<any>, payload: unknown, error: string, ctx: JobContext) => {
    try {
      if (def.onDeadLetter) await def.onDeadLetter(payload, error, ctx);
      else await ctx.services.tasks.raiseJobFailure({ jobName: def.name, payload, error });
    } catch (err) {
      ctx.log.error("dead-letter handler failed", { err });
    }
  };

  const queue: JobQueue = {
    boss,
    enqueue: (def, payload, o) => send(def, payload, o),
    enqueueByName: (name, payload, o) => {
      const def = defs.get(name);
      if (!def) throw new Error(`unknown job ${name}`);
      return send(def, payload, o);
    },
    runNow: (def, payload) => execute(def, payload, { id: `inline-${randomUUID()}`, name: def.name, retryCount: 0, final: false }),
    definitions: () => [...defs.values()],
    async startWorkers() {
      // Our own fetch loop rather than boss.work(): pg-boss 10 sleeps a full polling interval after every
      // fetch, so one slot moves at most one job per interval (measured ~4 webhooks/s). Here a loop fetches
      // up to `concurrency` jobs, runs them in parallel, completes/fails each on its own, and fetches again at
      // once while there is work; it only sleeps when its queue is empty, and an enqueue in this process
      // wakes it. Crashed workers are still covered by pg-boss's expiration (expireInSeconds → retry).
      const interval = Math.max(0.2, opts.pollingIntervalSeconds ?? 1) * 1000;
      for (const def of defs.values()) {
        const loop = { stopped: false, wake: () => undefined as void };
        loops.push(loop);
        wakers.set(def.name, () => loop.wake());
        void (async () => {
          while (!loop.stopped) {
            let jobs: PgBoss.JobWithMetadata<object>[] = [];
            try {
              jobs = ((await boss.fetch(def.name, { batchSize: def.concurrency, includeMetadata: true })) ?? []) as PgBoss.JobWithMetadata<object>[];
            } catch (err) {
              if (!loop.stopped) log.error("job fetch failed", { job: def.name, err });
            }
            if (jobs.length > 0) {
              const batch = Promise.all(
                jobs.map(async (job) => {
                  try {
                    const output = await execute(def, job.data, { id: job.id, name: def.name, retryCount: job.retryCount, final: job.retryCount >= job.retryLimit });
                    await boss.complete(def.name, job.id, output && typeof output === "object" ? (output as object) : undefined);
                  } catch (err) {
                    await boss.fail(def.name, job.id, { message: errorMessage(err) }).catch((e: unknown) => log.error("could not record job failure", { err: e }));
                  }
                }),
              );
              inflight.add(batch);
              await batch;
              inflight.delete(batch);
              continue;
            }
            await new Promise<void>((resolve) => {
              const timer = setTimeout(resolve, interval);
              loop.wake = () => {
                clearTimeout(timer);
                resolve();
              };
            });
            loop.wake = () => undefined;
          }
        })();
      }
      // A job that exhausted its retries lands here (pg-boss copies it): only then do we raise the Task,
      // so a transient failure that recovers on retry never bothers the merchant.
      await boss.work(DEAD_LETTER_QUEUE, { batchSize: 5, includeMetadata: true, pollingIntervalSeconds: 2 }, async (jobs: PgBoss.JobWithMetadata<object>[]) => {
        const services = opts.services();
        for (const job of jobs) {
          const data = job.data as Record<string, unknown>;
          const jobName = typeof data.__job === "string" ? data.__job : "unknown";
          log.warn("dead letter", { jobId: job.id, jobName });
          await services.tasks
            .raiseJobFailure({ jobName, payload: data, error: "it stopped responding repeatedly (worker crash or time-out)" })
            .catch((err: unknown) => log.error("could not raise dead-letter task", { err }));
        }
      });
      log.info("workers started", { queues: defs.size });
    },
    async drain({ timeoutMs = 60_000, names } = {}) {
      const deadline = Date.now() + timeoutMs;
      let processed = 0;
      const targets = [...defs.values()].filter((d) => !names || names.includes(d.name));
      for (;;) {
        let did = 0;
        for (const def of targets) {
          const jobs = (await boss.fetch(def.name, { batchSize: 10, includeMetadata: true })) as PgBoss.JobWithMetadata<object>[] | null;
          for (const job of jobs ?? []) {
            try {
              await execute(def, job.data, { id: job.id, name: def.name, retryCount: job.retryCount, final: job.retryCount >= job.retryLimit });
              await boss.complete(def.name, job.id);
            } catch (err) {
              await boss.fail(def.name, job.id, { message: errorMessage(err) });
            }
            did++;
          }
        }
        processed += did;
        if (did === 0 || Date.now() > deadline) return processed;
      }
    },
    async stop() {
      for (const loop of loops) {
        loop.stopped = true;
        loop.wake();
      }
      // Let running jobs finish (bounded) before the database goes away; an unfinished one is retried
      // by pg-boss's expiration after a restart.
      await Promise.race([Promise.allSettled([...inflight]), new Promise((r) => setTimeout(r, 10_000))]);
      await boss.stop({ graceful: true, wait: true, timeout: 10_000 } as PgBoss.StopOptions);
    },
  };
  return queue;
}

function ignoreExists(err: unknown): void {
  if (!/already exists/i.test(errorMessage(err))) throw err;
}
