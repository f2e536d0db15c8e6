import { loadEnv, type Env } from "../env.server";
import { openDatabase } from "../db/database.server";
import { createJobQueue, type JobQueue } from "../jobs/queue.server";
import { jobDefinitions, jobSchedules } from "../jobs/registry.server";
import { buildServices, type Services } from "../services.server";
import { createShopify } from "../shopify.server";
import { setServices } from "../context.server";
import { markShopInstalled } from "../sync/shops.server";
import { logger, setLogLevel } from "../lib/logger";

const log = logger.child({ module: "boot" });

export interface BootedApp {
  services: Services;
  close(): Promise<void>;
}

/**
 * Opens the database (applying migrations), builds the services and the job queue, and, unless told
 * otherwise, starts the workers in this process. Used by the web process, `npm run worker`, the demo and tests.
 */
export async function bootApp(opts: { env?: Env; workers?: boolean; schedules?: boolean } = {}): Promise<BootedApp> {
  const env = opts.env ?? loadEnv();
  setLogLevel(env.LOG_LEVEL);
  const started = Date.now();
  const db = await openDatabase(env.DATABASE_URL);
  // The services need the queue and the queue needs the services: tie the knot through a holder.
  const holder: { jobs?: JobQueue } = {};
  const shopify = createShopify({
    env,
    prisma: db.prisma,
    onInstalled: (shop) => markShopInstalled({ prisma: db.prisma, shop }),
  });
  const services = buildServices({
    env,
    db,
    shopify,
    jobs: () => {
      if (!holder.jobs) throw new Error("job queue not started yet");
      return holder.jobs;
    },
  });
  const jobs = await createJobQueue({
    db,
    definitions: jobDefinitions,
    services: () => services,
    schedules: opts.schedules === false ? {} : jobSchedules,
  });
  holder.jobs = jobs;
  if (opts.workers ?? true) await jobs.startWorkers();
  setServices(services);
  log.info("app booted", { database: db.kind, workers: opts.workers ?? true, ms: Date.now() - started });
  return {
    services,
    async close() {
      setServices(undefined);
      await jobs.stop().catch((err: unknown) => log.warn("job queue stop failed", { err }));
      await db.close();
    },
  };
}
