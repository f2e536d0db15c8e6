/**
 * Tasks a merchant acts on: dismissing and reopening, critical tasks coming back, Retry on a failed background
 * job, the Overview's order counts, and a Mirakl key the app can no longer decrypt.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { z } from "zod";
import type { MarketplaceConnection } from "@prisma/client";
import { startHarness, type Harness } from "../support/harness";
import { defineJob } from "../../app/jobs/define-job";
import { createJobQueue, type JobQueue } from "../../app/jobs/queue.server";
import { retryJobTask } from "../../app/jobs/retry-task.server";
import { refreshSettingsJob } from "../../app/jobs/connection-jobs.server";
import { pollOrdersJob } from "../../app/jobs/order-jobs.server";
import { AppError } from "../../app/lib/errors";
import { encryptSecret } from "../../app/lib/crypto.server";
import { escalateHeldOrders } from "../../app/sync/orders/escalation.server";
import { orderTaskKeys } from "../../app/sync/orders/order-tasks";
import { marketplaceOrderCounts } from "../../app/sync/overview.server";
import { updateConnectionCredentials } from "../../app/sync/connections.server";
import { API_KEY_UNREADABLE_REASON } from "../../app/sync/api-key-unreadable.server";

let h: Harness;
let connection: MarketplaceConnection;
let queue: JobQueue;
let failing = true;
let runs = 0;

const sometimesBroken = defineJob({
  name: "test.sometimes-broken",
  schema: z.object({ shop: z.string(), connectionId: z.string(), id: z.string() }),
  key: (p) => p.id,
  handler: async () => {
    runs++;
    if (failing) throw new AppError("the marketplace answered 'maintenance'", { code: "DOWN", retryable: false });
    return { ok: true };
  },
});

beforeAll(async () => {
  h = await startHarness({ shop: "tasks-life.myshopify.com" });
  connection = h.connection!;
  queue = await createJobQueue({ db: h.services.db, definitions: [sometimesBroken], services: () => ({ ...h.services, jobs: queue }) });
});

afterAll(async () => {
  await queue?.stop();
  await h?.close();
});

const raise = (dedupeKey: string, severity: "critical" | "warning") =>
  h.services.tasks.raise({ shop: h.shop, connectionId: connection.id, dedupeKey, kind: "test", severity, title: "t", body: "b" });

describe("dismissing and reopening", () => {
  it("keeps a dismissed warning dismissed but reopens a dismissed critical task when it is raised again", async () => {
    const warning = await raise("t:warning", "warning");
    const critical = await raise("t:critical", "critical");
    expect(await h.services.tasks.dismiss({ shop: h.shop, id: warning.id })).toBe(true);
    expect(await h.services.tasks.dismiss({ shop: h.shop, id: critical.id })).toBe(true);

    expect((await raise("t:warning", "warning")).status).toBe("DISMISSED");
    const back = await raise("t:critical", "critical");
    expect(back.status).toBe("OPEN");
    expect(back.resolvedAt).toBeNull();
    expect(back.resolvedBy).toBeNull();
    // A dismissed warning whose problem turns critical comes back too.
    expect((await raise("t:warning", "critical")).status).toBe("OPEN");
  });

  it("reopens a dismissed task on the merchant's request, and only a dismissed one", async () => {
    const t = await raise("t:reopen", "warning");
    expect(await h.services.tasks.reopen({ shop: h.shop, id: t.id })).toBe(false);
    await h.services.tasks.dismiss({ shop: h.shop, id: t.id });
    expect(await h.services.tasks.reopen({ shop: "other.myshopify.com", id: t.id })).toBe(false);
    expect(await h.services.tasks.reopen({ shop: h.shop, id: t.id })).toBe(true);
    const row = await h.services.prisma.task.findUniqueOrThrow({ where: { id: t.id } });
    expect(row.status).toBe("OPEN");
    expect(row.resolvedAt).toBeNull();
  });
});

async function heldOrder(miraklOrderId: string, deadlineInMinutes: number, extra: Record<string, unknown> = {}) {
  const now = Date.now();
  return h.services.prisma.orderLink.create({
    data: {
      connectionId: connection.id,
      shop: h.shop,
      miraklOrderId,
      miraklState: "WAITING_ACCEPTANCE",
      miraklLastUpdated: new Date(now),
      miraklCreatedAt: new Date(now - 60_000),
      acceptanceDeadline: new Date(now + deadlineInMinutes * 60_000),
      acceptanceStatus: "HELD",
      importStatus: "WAITING",
      holdReason: "UNMAPPED_SKU: SKU X is not linked",
      snapshot: {},
      ...extra,
    },
  });
}

describe("held orders near their deadline", () => {
  it("brings back a held-order task dismissed as a warning, but not one dismissed while urgent", async () => {
    const fresh = await heldOrder("HELD-1", 30);
    const seen = await heldOrder("HELD-2", 40);
    const keyFresh = orderTaskKeys.heldOrder(connection.id, fresh.miraklOrderId);
    const keySeen = orderTaskKeys.heldOrder(connection.id, seen.miraklOrderId);
    const a = await h.services.tasks.raise({ shop: h.shop, connectionId: connection.id, dedupeKey: keyFresh, kind: "held_order", severity: "warning", title: "Accept or refuse", body: "b" });
    const b = await h.services.tasks.raise({ shop: h.shop, connectionId: connection.id, dedupeKey: keySeen, kind: "held_order", severity: "critical", title: "40 min left", body: "b" });
    await h.services.tasks.dismiss({ shop: h.shop, id: a.id });
    await h.services.tasks.dismiss({ shop: h.shop, id: b.id });

    await escalateHeldOrders({ services: h.services, connectionId: connection.id });
    const after = await h.services.prisma.task.findMany({ where: { shop: h.shop, dedupeKey: { in: [keyFresh, keySeen] } } });
    const byKey = Object.fromEntries(after.map((t) => [t.dedupeKey, t]));
    expect(byKey[keyFresh]!.status).toBe("OPEN");
    expect(byKey[keyFresh]!.severity).toBe("critical");
    expect(byKey[keySeen]!.status).toBe("DISMISSED");
  });
});

describe("overview counts", () => {
  it("counts orders held for acceptance as needing attention, not as on their way, with the next auto-refusal", async () => {
    await heldOrder("HELD-3", 90);
    await heldOrder("IMPORT-FAILED", 0, { acceptanceStatus: "ACCEPTED", miraklState: "SHIPPING", importStatus: "FAILED", acceptanceDeadline: null });
    await heldOrder("MOVING", 0, { acceptanceStatus: "ACCEPTED", miraklState: "SHIPPING", importStatus: "READY", acceptanceDeadline: null });
    await heldOrder("DONE", 0, { acceptanceStatus: "ACCEPTED", miraklState: "SHIPPING", importStatus: "IMPORTED", acceptanceDeadline: null });
    await heldOrder("GONE", 0, { acceptanceStatus: "REFUSED", miraklState: "REFUSED", importStatus: "WAITING", acceptanceDeadline: null });
    const counts = (await marketplaceOrderCounts(h.services.prisma, h.shop, [connection.id])).get(connection.id)!;
    // HELD-1, HELD-2, HELD-3 (acceptance) + IMPORT-FAILED: the Orders screen's "Needs attention" tab.
    expect(counts.needsAttention).toBe(4);
    expect(counts.onTheirWay).toBe(1);
    expect(counts.imported).toBe(1);
    const nearest = await h.services.prisma.orderLink.findFirstOrThrow({ where: { connectionId: connection.id, miraklOrderId: "HELD-1" } });
    expect(counts.nextAutoRefusalAt?.toISOString()).toBe(nearest.acceptanceDeadline!.toISOString());
  });
});

describe("Retry on a failed background job", () => {
  it("names the job in plain words, queues it again with its payload and resolves the task when it succeeds", async () => {
    await h.services.tasks.raiseJobFailure({ jobName: "orders.poll", payload: { shop: h.shop, connectionId: connection.id }, error: "boom" });
    const poll = await h.services.prisma.task.findFirstOrThrow({ where: { shop: h.shop, kind: "job_failed", dedupeKey: { contains: "orders.poll" } } });
    expect(poll.title).toBe(`Couldn't check ${connection.name} for new orders`);

    failing = true;
    await queue.enqueue(sometimesBroken, { shop: h.shop, connectionId: connection.id, id: "r-1" });
    await queue.drain({ names: [sometimesBroken.name] });
    const task = await h.services.prisma.task.findFirstOrThrow({ where: { shop: h.shop, kind: "job_failed", dedupeKey: { contains: sometimesBroken.name } } });
    expect(task.status).toBe("OPEN");
    expect(task.body).toContain("maintenance");

    const jobsServices = { prisma: h.services.prisma, jobs: queue, now: () => new Date() };
    // Still broken: the retry runs, fails again, and the task stays open with the new failure.
    expect(await retryJobTask({ services: jobsServices, shop: h.shop, id: task.id })).toEqual({ kind: "queued" });
    expect((await h.services.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).data).toMatchObject({ retryQueuedAt: expect.any(String) });
    await queue.drain({ names: [sometimesBroken.name] });
    const stillOpen = await h.services.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(stillOpen.status).toBe("OPEN");
    expect(stillOpen.occurrences).toBe(2);
    expect(stillOpen.data).not.toHaveProperty("retryQueuedAt");

    failing = false;
    const before = runs;
    expect(await retryJobTask({ services: jobsServices, shop: h.shop, id: task.id })).toEqual({ kind: "queued" });
    await queue.drain({ names: [sometimesBroken.name] });
    expect(runs).toBe(before + 1);
    const done = await h.services.prisma.task.findUniqueOrThrow({ where: { id: task.id } });
    expect(done.status).toBe("RESOLVED");
    expect(done.resolvedBy).toBe("retry");
    expect(await retryJobTask({ services: jobsServices, shop: h.shop, id: task.id })).toMatchObject({ kind: "not_retryable" });
  });
});

describe("a saved API key the app can no longer decrypt", () => {
  it("pauses the marketplace with the reason and raises one task to enter the key again; a new key resumes it", async () => {
    const since = new Date();
    await h.services.prisma.marketplaceConnection.update({
      where: { id: connection.id },
      data: { apiKeyEncrypted: encryptSecret(h.miraklApiKey, "f".repeat(64)) },
    });
    await h.services.jobs.runNow(refreshSettingsJob, { shop: h.shop, connectionId: connection.id });
    await h.services.jobs.runNow(pollOrdersJob, { shop: h.shop, connectionId: connection.id });

    const paused = await h.services.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(paused.paused).toBe(true);
    expect(paused.pausedReason).toBe(API_KEY_UNREADABLE_REASON);
    const tasks = await h.services.prisma.task.findMany({ where: { shop: h.shop, connectionId: connection.id, status: "OPEN", updatedAt: { gte: since }, kind: { in: ["api_key_unreadable", "job_failed"] } } });
    expect(tasks.map((t) => t.kind)).toEqual(["api_key_unreadable"]);
    expect(tasks[0]!.body).toContain(
      `The saved Mirakl API key for ${connection.name} can't be read (the app's encryption key changed). Enter the API key again on the marketplace's settings`,
    );
    expect(tasks[0]!.body).not.toMatch(/authenticate data/i);
    expect(tasks[0]!.actionUrl).toBe(`/app/connections/${connection.id}`);

    // Changing the address without typing the key again cannot use the unreadable one: the form asks for it.
    const noKey = await updateConnectionCredentials({ services: h.services, shop: h.shop, id: connection.id, input: { name: connection.name, baseUrl: connection.baseUrl, miraklShopId: "9999" } });
    expect(noKey).toMatchObject({ kind: "invalid", fieldErrors: { apiKey: expect.stringContaining("enter it again") } });

    const res = await updateConnectionCredentials({ services: h.services, shop: h.shop, id: connection.id, input: { name: connection.name, baseUrl: connection.baseUrl, apiKey: h.miraklApiKey } });
    expect(res.kind).toBe("updated");
    const resumed = await h.services.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: connection.id } });
    expect(resumed.paused).toBe(false);
    expect((await h.services.prisma.task.findUniqueOrThrow({ where: { id: tasks[0]!.id } })).status).toBe("RESOLVED");
  });

  it("leaves a pause the merchant chose alone when a new key is saved", async () => {
    await h.services.prisma.marketplaceConnection.update({ where: { id: connection.id }, data: { paused: true, pausedReason: "Paused by you" } });
    await updateConnectionCredentials({ services: h.services, shop: h.shop, id: connection.id, input: { name: connection.name, baseUrl: connection.baseUrl, apiKey: h.miraklApiKey } });
    expect((await h.services.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: connection.id } })).paused).toBe(true);
  });
});
