import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { bootApp, type BootedApp } from "../../app/server/boot.server";
import { defineJob } from "../../app/jobs/define-job";
import { applyMigrations } from "../../app/db/migrate.server";
import { AppError } from "../../app/lib/errors";
import { createTestDatabaseUrl } from "../support/test-db";
import { testEnv } from "../support/test-env";
import { createJobQueue, type JobQueue } from "../../app/jobs/queue.server";

let app: BootedApp;
let drop: () => Promise<void>;
let queue: JobQueue;
const calls: Record<string, number> = {};

const okJob = defineJob({
  name: "test.ok",
  schema: z.object({ shop: z.string(), id: z.string() }),
  key: (p) => p.id,
  handler: async ({ id }) => {
    calls[id] = (calls[id] ?? 0) + 1;
    return { id };
  },
});
const flakyJob = defineJob({
  name: "test.flaky",
  schema: z.object({ shop: z.string(), id: z.string() }),
  key: (p) => p.id,
  retryLimit: 3,
  retryDelaySeconds: 1,
  handler: async ({ id }) => {
    calls[id] = (calls[id] ?? 0) + 1;
    if (calls[id]! < 2) throw new AppError("temporarily down", { code: "DOWN", retryable: true });
    return { ok: true };
  },
});
const brokenJob = defineJob({
  name: "test.broken",
  schema: z.object({ shop: z.string(), id: z.string() }),
  key: (p) => p.id,
  handler: async () => {
    throw new AppError("the marketplace refused the API key", { code: "AUTH", retryable: false });
  },
});

beforeAll(async () => {
  const target = await createTestDatabaseUrl();
  drop = target.drop;
  app = await bootApp({ env: testEnv({ DATABASE_URL: target.url }), workers: false, schedules: false });
  queue = await createJobQueue({ db: app.services.db, definitions: [okJob, flakyJob, brokenJob], services: () => app.services });
});

afterAll(async () => {
  await queue?.stop();
  await app?.close();
  await drop?.();
});

describe("database", () => {
  it("records migrations the way Prisma does and applies none twice", async () => {
    const rows = await app.services.db.sql.executeSql(`SELECT migration_name, checksum, finished_at FROM "_prisma_migrations" ORDER BY migration_name`, []);
    expect(rows.rows.length).toBeGreaterThan(0);
    for (const r of rows.rows) {
      expect(String(r.checksum)).toMatch(/^[0-9a-f]{64}$/);
      expect(r.finished_at).not.toBeNull();
    }
    const again = await applyMigrations(app.services.db.sql, { lock: app.services.db.kind === "postgres" });
    expect(again).toEqual([]);
  });

  it("raises a task atomically under concurrency (no lost update on READ COMMITTED)", async () => {
    const shop = "race.myshopify.com";
    await Promise.all(
      Array.from({ length: 25 }, () =>
        app.services.tasks.raise({ shop, dedupeKey: "unmapped-sku:c1:SKU-1", kind: "unmapped_sku", title: "SKU-1 is not mapped", body: "Map it" }),
      ),
    );
    const tasks = await app.services.prisma.task.findMany({ where: { shop } });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.occurrences).toBe(25);
    expect(await app.services.tasks.resolve({ shop, dedupeKey: "unmapped-sku:c1:SKU-1" })).toBe(true);
    expect(await app.services.tasks.resolve({ shop, dedupeKey: "unmapped-sku:c1:SKU-1" })).toBe(false);
    // The cause comes back: the same task reopens rather than a second one appearing.
    await app.services.tasks.raise({ shop, dedupeKey: "unmapped-sku:c1:SKU-1", kind: "unmapped_sku", title: "t", body: "b" });
    const reopened = await app.services.prisma.task.findMany({ where: { shop } });
    expect(reopened).toHaveLength(1);
    expect(reopened[0]!.status).toBe("OPEN");
  });
});

describe("job queue (pg-boss)", () => {
  it("never queues the same keyed job twice", async () => {
    const first = await queue.enqueue(okJob, { shop: "s.myshopify.com", id: "dup-1" });
    const second = await queue.enqueue(okJob, { shop: "s.myshopify.com", id: "dup-1" });
    const other = await queue.enqueue(okJob, { shop: "s.myshopify.com", id: "dup-2" });
    expect(first).toBeTruthy();
    expect(second).toBeNull();
    expect(other).toBeTruthy();
    await queue.drain({ names: [okJob.name] });
    expect(calls["dup-1"]).toBe(1);
    expect(calls["dup-2"]).toBe(1);
  });

  it("retries a retryable failure and succeeds", async () => {
    await queue.enqueue(flakyJob, { shop: "s.myshopify.com", id: "flaky-1" });
    await queue.drain({ names: [flakyJob.name] });
    // First attempt failed; pg-boss holds the retry back for retryDelay.
    expect(calls["flaky-1"]).toBe(1);
    await new Promise((r) => setTimeout(r, 2500));
    await queue.drain({ names: [flakyJob.name] });
    expect(calls["flaky-1"]).toBe(2);
  });

  it("dead-letters a non-retryable failure at once into a Task a merchant can read", async () => {
    await queue.enqueue(brokenJob, { shop: "dl.myshopify.com", id: "b-1" });
    await queue.drain({ names: [brokenJob.name] });
    const tasks = await app.services.prisma.task.findMany({ where: { shop: "dl.myshopify.com" } });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.kind).toBe("job_failed");
    expect(tasks[0]!.body).toContain("the marketplace refused the API key");
  });
});
