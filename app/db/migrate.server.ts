import { createHash, randomUUID } from "node:crypto";
import { readdirSync, readFileSync, existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { logger } from "../lib/logger";

export interface SqlRunner {
  executeSql(text: string, values?: unknown[]): Promise<{ rows: Record<string, unknown>[]; rowCount: number }>;
}

const log = logger.child({ module: "migrate" });

/** prisma/migrations, found from this file in the source tree and from the working directory in a build. */
export function migrationsDir(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  for (const candidate of [path.resolve(here, "../../prisma/migrations"), path.resolve(process.cwd(), "prisma/migrations")]) {
    if (existsSync(candidate)) return candidate;
  }
  throw new Error("prisma/migrations not found");
}

/**
 * Applies prisma/migrations/<name>/migration.sql in order and records each in `_prisma_migrations` exactly as
 * `prisma migrate deploy` does (same table, same sha256 checksum), so either tool can take over from the other.
 * We apply them ourselves because the Prisma CLI cannot reach PGlite (it hangs on exit, and pglite-socket is
 * unsafe with more than one client). On PostgreSQL an advisory lock lets several processes start at once.
 */
export async function applyMigrations(sql: SqlRunner, opts: { lock: boolean; dir?: string }): Promise<string[]> {
  const dir = opts.dir ?? migrationsDir();
  const names = readdirSync(dir, { withFileTypes: true })
    .filter((d) => d.isDirectory() && existsSync(path.join(dir, d.name, "migration.sql")))
    .map((d) => d.name)
    .sort();
  const applied: string[] = [];
  // Prisma's own lock key for migrate deploy; taking the same one makes us mutually exclusive with it too.
  if (opts.lock) await sql.executeSql("SELECT pg_advisory_lock(72707369)", [] as unknown[]).catch(() => undefined);
  try {
    await sql.executeSql(`CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
      "id" VARCHAR(36) PRIMARY KEY NOT NULL,
      "checksum" VARCHAR(64) NOT NULL,
      "finished_at" TIMESTAMPTZ,
      "migration_name" VARCHAR(255) NOT NULL,
      "logs" TEXT,
      "rolled_back_at" TIMESTAMPTZ,
      "started_at" TIMESTAMPTZ NOT NULL DEFAULT now(),
      "applied_steps_count" INTEGER NOT NULL DEFAULT 0
    )`);
    const done = await sql.executeSql(
      `SELECT migration_name, checksum FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`,
      [] as unknown[],
    );
    const doneByName = new Map(done.rows.map((r) => [String(r.migration_name), String(r.checksum)]));
    for (const name of names) {
      const body = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      const checksum = createHash("sha256").update(body).digest("hex");
      const previous = doneByName.get(name);
      if (previous) {
        if (previous !== checksum) log.warn("applied migration was modified since", { migration: name });
        continue;
      }
      const id = randomUUID();
      await sql.executeSql(
        `INSERT INTO "_prisma_migrations" (id, checksum, migration_name, started_at, applied_steps_count) VALUES ($1, $2, $3, now(), 0)`,
        [id, checksum, name],
      );
      try {
        await sql.executeSql(`BEGIN;\n${body}\nCOMMIT;`);
      } catch (err) {
        await sql.executeSql("ROLLBACK").catch(() => undefined);
        await sql.executeSql(`UPDATE "_prisma_migrations" SET logs = $2 WHERE id = $1`, [id, String(err)]);
        throw new Error(`Migration ${name} failed: ${String(err)}`);
      }
      await sql.executeSql(`UPDATE "_prisma_migrations" SET finished_at = now(), applied_steps_count = 1 WHERE id = $1`, [id]);
      applied.push(name);
      log.info("migration applied", { migration: name });
    }
  } finally {
    if (opts.lock) await sql.executeSql("SELECT pg_advisory_unlock(72707369)", [] as unknown[]).catch(() => undefined);
  }
  return applied;
}
