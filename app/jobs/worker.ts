// `npm run worker`: a job worker process (production, PostgreSQL). Run as many as the load needs:
// pg-boss hands each job to exactly one of them.
import { EnvError, loadEnv } from "../env.server";
import { bootApp } from "../server/boot.server";
import { logger } from "../lib/logger";

try {
  const env = loadEnv();
  const app = await bootApp({ env, workers: true });
  const stop = async () => {
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void stop());
  process.once("SIGTERM", () => void stop());
  logger.info("worker running");
} catch (err) {
  if (err instanceof EnvError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
