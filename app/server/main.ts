// `npm start`: the web process. With JOBS_MODE=inline (the embedded default, PGlite) it also runs the jobs;
// in production with PostgreSQL set JOBS_MODE=web and run `npm run worker` processes beside it.
import path from "node:path";
import { loadEnv, EnvError } from "../env.server";
import { bootApp } from "./boot.server";
import { startHttpServer } from "./http.server";
import { logger } from "../lib/logger";

try {
  const env = loadEnv();
  if (env.JOBS_MODE === "inline" && env.DATABASE_URL.startsWith("pglite:") === false) {
    logger.info("JOBS_MODE=inline on PostgreSQL: this web process also runs workers");
  }
  const app = await bootApp({ env, workers: env.JOBS_MODE === "inline" });
  const http = await startHttpServer({ port: env.PORT, buildDir: path.resolve(process.cwd(), "build") });
  const shutdown = async (signal: string) => {
    logger.info("shutting down", { signal });
    await http.close();
    await app.close();
    process.exit(0);
  };
  process.once("SIGINT", () => void shutdown("SIGINT"));
  process.once("SIGTERM", () => void shutdown("SIGTERM"));
} catch (err) {
  if (err instanceof EnvError) {
    process.stderr.write(`${err.message}\n`);
    process.exit(1);
  }
  throw err;
}
