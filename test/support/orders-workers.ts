/**
 * Worker "processes" for the order burst test: each has its own pg-boss queue (with workers) on the harness's
 * database and its own view of the services. Killing one makes every further database, Mirakl or Shopify call its
 * handlers try throw, so work in flight stops where it is, the way a killed process stops (a request already sent
 * completes on the other side, nothing after it happens), and stops its queue.
 */
import type { Services } from "../../app/services.server";
import { createJobQueue, type JobQueue } from "../../app/jobs/queue.server";
import { jobDefinitions } from "../../app/jobs/registry.server";

export interface WorkerProcess {
  name: string;
  services: Services;
  queue: JobQueue;
  /** Calls refused because the process was dead (work that a kill interrupted). */
  interrupted(): number;
  kill(): Promise<void>;
  stop(): Promise<void>;
}

export async function startWorkerProcess(base: Services, name: string): Promise<WorkerProcess> {
  let dead = false;
  let interrupted = 0;
  const check = () => {
    if (dead) {
      interrupted++;
      throw new Error(`worker ${name} was killed`);
    }
  };
  const guard = <T extends object>(obj: T, depth: number): T =>
    new Proxy(obj, {
      get(target, prop) {
        const value: unknown = Reflect.get(target, prop, target);
        if (typeof value === "function") {
          return (...args: unknown[]) => {
            check();
            return (value as (...a: unknown[]) => unknown).apply(target, args);
          };
        }
        if (depth > 0 && value !== null && typeof value === "object") return guard(value as object, depth - 1);
        return value;
      },
    });
  const holder: { queue?: JobQueue } = {};
  const services: Services = {
    env: base.env,
    db: base.db,
    prisma: guard(base.prisma, 1),
    get jobs(): JobQueue {
      if (!holder.queue) throw new Error("queue not started");
      return holder.queue;
    },
    tasks: guard(base.tasks, 0),
    shopify: base.shopify,
    mirakl: (connection) => {
      check();
      return guard(base.mirakl(connection), 0);
    },
    shopifyAdmin: async (shop) => {
      check();
      return guard(await base.shopifyAdmin(shop), 0);
    },
    now: () => base.now(),
  };
  const queue = await createJobQueue({ db: base.db, definitions: jobDefinitions, services: () => services });
  holder.queue = queue;
  await queue.startWorkers();
  return {
    name,
    services,
    queue,
    interrupted: () => interrupted,
    async kill() {
      // Every call its running jobs make from now on fails, as in a dead process; the queue stops fetching, and the
      // jobs that were running are failed back to pg-boss (retried by the survivors), like a crashed worker's are
      // after their expiry.
      dead = true;
      await queue.stop();
    },
    async stop() {
      await queue.stop();
    },
  };
}
