import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MarketplaceConnection } from "@prisma/client";
import { startInventoryWorld, type InventoryWorld } from "../support/inventory-world";
import { updateConnectionSettings } from "../../app/sync/connections.server";
import { SYNC_SCHEDULE, SYNC_SCHEDULE_FIELDS, type SyncScheduleField } from "../../app/sync/sync-schedule";
import { enqueueDueConnectionJobs } from "../../app/jobs/connection-jobs.server";
import { ORDER_JOBS } from "../../app/sync/orders/job-names";
import { INVENTORY_RECONCILE_JOB } from "../../app/sync/inventory/job-names";
import type { Services } from "../../app/services.server";
import type { JobQueue } from "../../app/jobs/queue.server";

/**
 * The marketplace settings screen's sync schedule: out-of-range cadences are refused with the field named and
 * change nothing; valid ones are saved and the scheduler (scheduler.tick) follows them from its next run, in the same
 * process, without a restart. Shop: TOP-NAVY-M 20+5, TOP-NAVY-L 3+0, TOTE 100+10 (Warehouse + Store).
 */
let w: InventoryWorld;
const MINUTE = 60_000;

beforeAll(async () => {
  w = await startInventoryWorld();
  await w.mapSkus(w.a.connection.id);
  // Fills the stock cache; the marketplace starts in step with Shopify.
  expect(await w.reconcile(w.a)).toMatchObject({ kind: "reconciled", differences: 0 });
});
afterAll(async () => {
  await w?.close();
});

const DEFAULTS: Record<SyncScheduleField, string> = {
  pollIntervalSeconds: "60",
  backfillHours: "48",
  stockPushIntervalSeconds: "60",
  reconcileIntervalMinutes: "30",
  unacknowledgedShipmentMinutes: "60",
};

/** What the settings form posts: every field as a string, with the connection's other settings as they are. */
function form(c: MarketplaceConnection, schedule: Partial<Record<SyncScheduleField, string>>) {
  return {
    acceptancePolicy: c.acceptancePolicy,
    acceptanceWindowMinutes: String(c.acceptanceWindowMinutes),
    acceptanceEscalationMinutes: String(c.acceptanceEscalationMinutes),
    customerPolicy: c.customerPolicy,
    sharedCustomerEmail: c.sharedCustomerEmail ?? "",
    safetyStockMode: c.safetyStockMode,
    safetyStockValue: String(c.safetyStockValue),
    locationIds: c.locationIds,
    autoSendRefunds: c.autoSendRefunds ? "true" : "",
    partialAcceptance: c.partialAcceptance ? "true" : "",
    partialCancel: c.partialCancel ? "true" : "",
    ...DEFAULTS,
    ...schedule,
  };
}

async function save(schedule: Partial<Record<SyncScheduleField, string>>) {
  const c = await w.reload(w.a);
  return updateConnectionSettings({ services: w.h.services, shop: w.h.shop, id: c.id, input: form(c, schedule) });
}

/** One scheduler.tick at `now`, recording what it would enqueue instead of queueing it. */
async function tick(now: Date): Promise<string[]> {
  const names: string[] = [];
  const record = async (name: string) => {
    names.push(name);
    return `recorded-${names.length}`;
  };
  const jobs: JobQueue = { ...w.h.services.jobs, enqueue: (def) => record(def.name), enqueueByName: (name) => record(name) };
  const services: Services = { ...w.h.services, jobs, now: () => now };
  await enqueueDueConnectionJobs({ services });
  return names;
}

describe("sync schedule validation", () => {
  const cases = SYNC_SCHEDULE_FIELDS.flatMap((field) => {
    const { min, max, tooLow, tooHigh } = SYNC_SCHEDULE[field];
    const whole = `Enter a whole number between ${min} and ${max}.`;
    return [
      { field, value: String(min - 1), message: tooLow },
      { field, value: String(max + 1), message: tooHigh },
      { field, value: "", message: whole },
      { field, value: "soon", message: whole },
      { field, value: `${min}.5`, message: whole },
    ];
  });

  it.each(cases)("refuses $field = '$value' with that field's error and changes nothing", async ({ field, value, message }) => {
    const before = await w.reload(w.a);
    const res = await save({ [field]: value });
    expect(res).toEqual({ kind: "invalid", fieldErrors: { [field]: message } });
    expect(await w.reload(w.a)).toEqual(before);
  });

  it("states the limits the screen explains: polling and stock files at most once a minute (Mirakl's OR11 and STO01 contracts)", () => {
    expect(SYNC_SCHEDULE.pollIntervalSeconds).toMatchObject({ min: 60, max: 15 * 60 });
    expect(SYNC_SCHEDULE.backfillHours).toMatchObject({ min: 1, max: 168 });
    expect(SYNC_SCHEDULE.stockPushIntervalSeconds).toMatchObject({ min: 60, max: 60 * 60 });
    expect(SYNC_SCHEDULE.reconcileIntervalMinutes).toMatchObject({ min: 15, max: 24 * 60 });
    expect(SYNC_SCHEDULE.unacknowledgedShipmentMinutes).toMatchObject({ min: 15, max: 48 * 60 });
    for (const f of SYNC_SCHEDULE_FIELDS) {
      const { min, max, help } = SYNC_SCHEDULE[f];
      // The help text names both limits, so the merchant knows them before an error tells them.
      expect(help).toContain(String(min));
      expect(help).toContain(String(max));
    }
  });

  it("saves every cadence at its lower and its upper limit", async () => {
    const lows = Object.fromEntries(SYNC_SCHEDULE_FIELDS.map((f) => [f, String(SYNC_SCHEDULE[f].min)]));
    expect((await save(lows)).kind).toBe("updated");
    const saved = await w.reload(w.a);
    for (const f of SYNC_SCHEDULE_FIELDS) expect(saved[f]).toBe(SYNC_SCHEDULE[f].min);

    const highs = Object.fromEntries(SYNC_SCHEDULE_FIELDS.map((f) => [f, ` ${SYNC_SCHEDULE[f].max} `]));
    expect((await save(highs)).kind).toBe("updated");
    const again = await w.reload(w.a);
    for (const f of SYNC_SCHEDULE_FIELDS) expect(again[f]).toBe(SYNC_SCHEDULE[f].max);
  });
});

describe("the scheduler follows saved cadences from its next tick", () => {
  it("order polling and reconciliation", async () => {
    const t0 = new Date();
    await w.h.services.prisma.marketplaceConnection.update({
      where: { id: w.a.connection.id },
      data: { lastOrderPollAt: new Date(t0.getTime() - 4 * MINUTE), lastReconcileAt: new Date(t0.getTime() - 40 * MINUTE), settingsRefreshedAt: t0 },
    });
    expect((await save({ pollIntervalSeconds: "60", reconcileIntervalMinutes: "30" })).kind).toBe("updated");
    const atDefaults = await tick(t0);
    expect(atDefaults).toContain(ORDER_JOBS.poll);
    expect(atDefaults).toContain(INVENTORY_RECONCILE_JOB);

    expect((await save({ pollIntervalSeconds: "300", reconcileIntervalMinutes: "60" })).kind).toBe("updated");
    const right = await tick(t0);
    expect(right).not.toContain(ORDER_JOBS.poll);
    expect(right).not.toContain(INVENTORY_RECONCILE_JOB);

    // Six minutes after the last poll (every five minutes now); 42 minutes after the last reconciliation (every 60).
    const later = await tick(new Date(t0.getTime() + 2 * MINUTE));
    expect(later).toContain(ORDER_JOBS.poll);
    expect(later).not.toContain(INVENTORY_RECONCILE_JOB);
    expect(await tick(new Date(t0.getTime() + 21 * MINUTE))).toContain(INVENTORY_RECONCILE_JOB);
  });

  it("stock push: a change waits for the saved interval, then goes out", async () => {
    expect((await save({ stockPushIntervalSeconds: "120" })).kind).toBe("updated");
    await w.h.services.prisma.marketplaceConnection.update({ where: { id: w.a.connection.id }, data: { lastStockPushAt: new Date(Date.now() - 90_000) } });
    w.h.shopify.control.adjustStock({ shop: w.h.shop, sku: "TOTE", location: "Store", set: 4 });
    await w.deliverWebhooks();
    const sent = w.sto01Calls(w.a);
    // 90 s after the last file with a 120 s interval: about 30 s still to wait (at 60 s it would go out now).
    const [deferred] = (await w.push(w.a)) as { kind: string; delaySeconds: number }[];
    expect(deferred).toMatchObject({ kind: "deferred", reason: "pacing" });
    expect(deferred!.delaySeconds).toBeGreaterThan(20);
    expect(deferred!.delaySeconds).toBeLessThanOrEqual(30);
    expect(w.sto01Calls(w.a)).toBe(sent);

    expect((await save({ stockPushIntervalSeconds: "60" })).kind).toBe("updated");
    expect(((await w.push(w.a)) as { kind: string }[])[0]?.kind).toBe("submitted");
    await w.settleImports();
    expect(w.miraklQty(w.a, "TOTE")).toBe(104);
  });
});
