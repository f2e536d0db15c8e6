import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import { bootApp, type BootedApp } from "../../app/server/boot.server";
import { defineJob } from "../../app/jobs/define-job";
import { createJobQueue, type JobQueue } from "../../app/jobs/queue.server";
import { action as jobsRoute } from "../../app/routes/jobs.$name";
import { createTestDatabaseUrl } from "../support/test-db";
import { testEnv } from "../support/test-env";

let app: BootedApp;
let drop: () => Promise<void>;
const queues: JobQueue[] = [];
const handledBy = new Map<string, string[]>();

const countJob = (worker: string) =>
  defineJob({
    name: "test.count",
    schema: z.object({ shop: z.string(), n: z.number() }),
    key: (p) => `n-${p.n}`,
    concurrency: 2,
    handler: async ({ n }) => {
      const list = handledBy.get(`n-${n}`) ?? [];
      list.push(worker);
      handledBy.set(`n-${n}`, list);
      await new Promise((r) => setTimeout(r, 5));
    },
  });

beforeAll(async () => {
  const target = await createTestDatabaseUrl();
  drop = target.drop;
  app = await bootApp({ env: testEnv({ DATABASE_URL: target.url }), workers: false, schedules: false });
});

afterAll(async () => {
  for (const q of queues) await q.stop();
  await app?.close();
  await drop?.();
});

describe("several workers on one database", () => {
  it("run every job exactly once between them", async () => {
    // Two independent pg-boss instances, as two `npm run worker` processes would be (each its own pool on PostgreSQL).
    for (const name of ["worker-a", "worker-b"]) {
      const q = await createJobQueue({ db: app.services.db, definitions: [countJob(name)], services: () => app.services, pollingIntervalSeconds: 0.5 });
      queues.push(q);
    }
    const total = 60;
    for (let n = 0; n < total; n++) await queues[0]!.enqueue(countJob("x"), { shop: "w.myshopify.com", n });
    await Promise.all(queues.map((q) => q.startWorkers()));
    const deadline = Date.now() + 60_000;
    while (handledBy.size < total && Date.now() < deadline) await new Promise((r) => setTimeout(r, 200));
    expect(handledBy.size).toBe(total);
    for (const [, workers] of handledBy) expect(workers).toHaveLength(1);
    const byWorker = [...handledBy.values()].flat().reduce<Record<string, number>>((acc, w) => ({ ...acc, [w]: (acc[w] ?? 0) + 1 }), {});
    expect((byWorker["worker-a"] ?? 0) + (byWorker["worker-b"] ?? 0)).toBe(total);
  });
});

describe("sync routes (POST /jobs/<name>)", () => {
  const call = (name: string, init: { auth?: string; body?: unknown }) =>
    jobsRoute({
      request: new Request(`http://app.test/jobs/${name}`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(init.auth ? { authorization: init.auth } : {}) },
        body: JSON.stringify(init.body ?? {}),
      }),
      params: { name },
      context: {},
    });

  it("refuses a missing or wrong secret", async () => {
    expect((await call("scheduler.tick", {})).status).toBe(401);
    expect((await call("scheduler.tick", { auth: "Bearer wrong-secret-wrong-secret" })).status).toBe(401);
  });

  it("enqueues a known job once (its key dedupes) and rejects unknown jobs and bad payloads", async () => {
    const auth = `Bearer ${app.services.env.JOBS_SECRET}`;
    const first = await call("connection.refresh-settings", { auth, body: { shop: "s.myshopify.com", connectionId: "c-1" } });
    expect(first.status).toBe(202);
    expect(await first.json()).toMatchObject({ enqueued: true });
    const second = await call("connection.refresh-settings", { auth, body: { shop: "s.myshopify.com", connectionId: "c-1" } });
    expect(await second.json()).toMatchObject({ enqueued: false, deduplicated: true });
    expect((await call("no.such.job", { auth })).status).toBe(404);
    expect((await call("connection.refresh-settings", { auth, body: { shop: 42 } })).status).toBe(400);
  });
});
