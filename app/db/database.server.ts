import { PrismaClient } from "@prisma/client";
import type { PGlite } from "@electric-sql/pglite";
import type { Pool } from "pg";
import { logger } from "../lib/logger";
import { applyMigrations, type SqlRunner } from "./migrate.server";

/**
 * One database, two ways to reach it (docs/decisions/0001-persistence.md):
 *  - `postgres://…`: a real PostgreSQL, shared by the web process and N workers (node-postgres pool).
 *  - `pglite:<folder>` or `pglite:memory`: PostgreSQL compiled to WebAssembly, inside this process. It serialises
 *    transactions, so code must still be written for READ COMMITTED (the suite runs on both).
 * Everything above this file sees a PrismaClient and a `SqlRunner`; pg-boss gets the runner as its `db`.
 */
export type DatabaseKind = "postgres" | "pglite";

export interface Database {
  kind: DatabaseKind;
  prisma: PrismaClient;
  /** Raw SQL with positional parameters; also pg-boss's `db.executeSql`. */
  sql: SqlRunner;
  /** For pg-boss on PostgreSQL: it opens its own pool there. */
  connectionString?: string;
  close(): Promise<void>;
}

const log = logger.child({ module: "db" });

export async function openDatabase(url: string, opts: { migrate?: boolean } = {}): Promise<Database> {
  const migrate = opts.migrate ?? true;
  if (/^postgres(ql)?:\/\//.test(url)) return openPostgres(url, migrate);
  if (url.startsWith("pglite:")) return openPglite(url.slice("pglite:".length), migrate);
  throw new Error(`DATABASE_URL must start with postgres:// or pglite: (got "${url.split(":")[0]}:…")`);
}

async function openPostgres(url: string, migrate: boolean): Promise<Database> {
  const pg = await import("pg");
  const { PrismaPg } = await import("@prisma/adapter-pg");
  const pool: Pool = new pg.default.Pool({ connectionString: url, max: 10 });
  pool.on("error", (err) => log.error("idle postgres client error", { err }));
  const sql: SqlRunner = {
    async executeSql(text, values) {
      const res = await pool.query(text, values as unknown[] | undefined);
      return { rows: res.rows, rowCount: res.rowCount ?? 0 };
    },
  };
  if (migrate) {
    // One dedicated connection: the advisory lock belongs to the session that took it.
    const client = await pool.connect();
    try {
      await applyMigrations(
        {
          async executeSql(text, values) {
            const res = await client.query(text, values as unknown[] | undefined);
            return { rows: res.rows, rowCount: res.rowCount ?? 0 };
          },
        },
        { lock: true },
      );
    } finally {
      client.release();
    }
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool) });
  return {
    kind: "postgres",
    prisma,
    sql,
    connectionString: url,
    async close() {
      await prisma.$disconnect();
      await pool.end();
    },
  };
}

async function openPglite(location: string, migrate: boolean): Promise<Database> {
  const { PGlite } = await import("@electric-sql/pglite");
  const { PrismaPGlite } = await import("pglite-prisma-adapter");
  const dataDir = location === "" || location === "memory" || location === "memory://" ? undefined : location;
  if (dataDir) {
    const { mkdirSync } = await import("node:fs");
    mkdirSync(dataDir, { recursive: true });
  }
  const started = Date.now();
  const pglite: PGlite = dataDir ? await PGlite.create(dataDir) : await PGlite.create();
  log.info("pglite opened", { dataDir: dataDir ?? "memory", ms: Date.now() - started });
  const sql: SqlRunner = {
    async executeSql(text, values) {
      // pg-boss sends several statements in one call with no parameters (its schema install); PGlite's
      // extended protocol takes one statement, so those go through exec().
      if (!values || values.length === 0) {
        const results = await pglite.exec(text);
        const last = results[results.length - 1];
        return { rows: (last?.rows ?? []) as Record<string, unknown>[], rowCount: last?.affectedRows ?? last?.rows.length ?? 0 };
      }
      const res = await pglite.query<Record<string, unknown>>(text, values as unknown[]);
      return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
    },
  };
  if (migrate) await applyMigrations(sql, { lock: false });
  // pglite-prisma-adapter bundles its own copy of @prisma/driver-adapter-utils: same shapes, distinct types.
  const prisma = new PrismaClient({ adapter: new PrismaPGlite(pglite) as never });
  return {
    kind: "pglite",
    prisma,
    sql,
    async close() {
      await prisma.$disconnect();
      await pglite.close();
    },
  };
}
