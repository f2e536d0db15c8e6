import { randomBytes } from "node:crypto";
import pg from "pg";
import { openDatabase, type Database } from "../../app/db/database.server";

/**
 * A fresh database for one test file: PGlite in memory by default, or, when TEST_DATABASE_URL is set (CI's
 * second pass), a new database on that PostgreSQL server, dropped afterwards. Whoever opens it runs the real
 * migrations, so the suite proves they apply the same way on both.
 */
export async function createTestDatabaseUrl(server: string | undefined = process.env.TEST_DATABASE_URL): Promise<{ url: string; drop(): Promise<void> }> {
  if (!server) return { url: "pglite:memory", drop: async () => undefined };
  const name = `t_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  const admin = new pg.Client({ connectionString: server });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const u = new URL(server);
  u.pathname = `/${name}`;
  return {
    url: u.toString(),
    async drop() {
      const a = new pg.Client({ connectionString: server });
      await a.connect();
      await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      await a.end();
    },
  };
}

export async function openTestDatabase(): Promise<{ db: Database; drop(): Promise<void> }> {
  const target = await createTestDatabaseUrl();
  const db = await openDatabase(target.url);
  return {
    db,
    async drop() {
      await db.close();
      await target.drop();
    },
  };
}
