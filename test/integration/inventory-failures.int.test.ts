import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInventoryWorld, type InventoryWorld } from "../support/inventory-world";
import { setConnectionPaused } from "../../app/sync/connections.server";
import { scheduleInventory } from "../../app/sync/inventory/scheduler.server";
import { stockImportErrorTaskKey, stockImportFailedTaskKey, stockLocationsMissingTaskKey } from "../../app/sync/inventory/task-keys";

/**
 * What must not lose a change: a 429 storm on STO01, an import Mirakl fails, an offer Mirakl does not know, a paused
 * connection, Mirakl's one-import-a-minute pacing. And what must never happen: a negative quantity.
 * Shop: TOP-NAVY-M 20+5, TOP-NAVY-L 3+0, TOTE 100+10 (Warehouse + Store); one marketplace, buffer 0.
 */
let w: InventoryWorld;
const prisma = () => w.h.services.prisma;
const sku = (offerSku: string) => prisma().inventorySku.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId: w.a.connection.id, offerSku } } });
const lastImport = () => prisma().stockImport.findFirstOrThrow({ where: { connectionId: w.a.connection.id }, orderBy: { submittedAt: "desc" } });
const setStock = (offerSku: string, location: string, set: number) => w.h.shopify.control.adjustStock({ shop: w.h.shop, sku: offerSku, location, set });
const realNow = () => new Date();
async function queuedPushes({ laterThanSeconds }: { laterThanSeconds: number }): Promise<number> {
  const rows = await prisma().$queryRawUnsafe<{ n: number }[]>(
    `SELECT count(*)::int AS n FROM pgboss.job WHERE name = 'inventory.push' AND state = 'created' AND singleton_key = $1 AND start_after > now() + $2 * interval '1 second'`,
    w.a.connection.id,
    laterThanSeconds,
  );
  return rows[0]?.n ?? 0;
}
/** Runs `fn` with the app's clock 16 minutes ahead (a refused line's retry is due), then puts the clock back. */
async function sixteenMinutesLater(fn: () => Promise<unknown>): Promise<void> {
  w.h.services.now = () => new Date(Date.now() + 16 * 60_000);
  try {
    await fn();
  } finally {
    w.h.services.now = realNow;
    // The push claimed Mirakl's minute at that future time: give the slot back to the present.
    await prisma().marketplaceConnection.update({ where: { id: w.a.connection.id }, data: { lastStockPushAt: null } });
  }
}

beforeAll(async () => {
  w = await startInventoryWorld();
  await w.mapSkus(w.a.connection.id);
  await w.reconcile(w.a);
});
afterAll(async () => {
  await w?.close();
});

describe("changes are never lost", () => {
  it("a 429 storm on STO01 is retried by the job runner and the latest quantity goes out once it passes", async () => {
    w.a.sim.control.setFaults({ storm429: { forMs: 30_000, retryAfterSeconds: 30 }, only: ["STO01"] });
    setStock("TOTE", "Warehouse", 50);
    await w.deliverWebhooks();
    await expect(w.push(w.a)).rejects.toMatchObject({ code: "MIRAKL_RATE_LIMIT", retryable: true });
    expect((await lastImport()).status).toBe("FAILED");
    expect((await lastImport()).errorReport).toMatch(/did not take the file.*429/);
    expect(await sku("TOTE")).toMatchObject({ dirty: true, pushedQty: 110 });
    expect(w.miraklQty(w.a, "TOTE")).toBe(110);

    // Another change while the storm lasts: the retry carries the newest quantity, in one file.
    setStock("TOTE", "Warehouse", 40);
    await w.deliverWebhooks();
    w.a.sim.control.advanceClock(31_000);
    const [outcome] = (await w.push(w.a)) as { kind: string; lines: number }[];
    expect(outcome).toMatchObject({ kind: "submitted", lines: 1 });
    expect((await lastImport()).lines).toEqual([{ offerSku: "TOTE", quantity: 50 }]);
    await w.settleImports();
    expect(w.miraklQty(w.a, "TOTE")).toBe(50);
    expect(await sku("TOTE")).toMatchObject({ dirty: false, pushedQty: 50, miraklQty: 50 });
    w.a.sim.control.clearFaults();
  });

  it("an import Mirakl fails is sent again; three failures in a row raise a Task that closes when one goes through", async () => {
    // The operator switched the marketplace's CSV delimiter: our `;` file has no readable header, Mirakl fails it.
    w.a.sim.control.configure({ csvDelimiter: "," });
    setStock("TOP-NAVY-M", "Warehouse", 10);
    await w.deliverWebhooks();
    for (let attempt = 1; attempt <= 3; attempt++) {
      const [pushed] = (await w.push(w.a)) as { kind: string }[];
      expect(pushed?.kind).toBe("submitted");
      const [followed] = (await w.settleImports()) as { kind: string }[];
      expect(followed?.kind).toBe("failed");
      expect(await sku("TOP-NAVY-M")).toMatchObject({ dirty: true, pushedQty: 25 });
    }
    expect(w.miraklQty(w.a, "TOP-NAVY-M")).toBe(25);
    const task = await prisma().task.findUniqueOrThrow({ where: { shop_dedupeKey: { shop: w.h.shop, dedupeKey: stockImportFailedTaskKey(w.a.connection.id) } } });
    expect(task).toMatchObject({ status: "OPEN", severity: "critical", actionUrl: `/app/inventory/${w.a.connection.id}` });
    expect(task.body).toMatch(/keeps showing old quantities/);
    // After a run of failures the next attempt waits instead of failing every minute...
    expect((await sku("TOP-NAVY-M")).dirtySince!.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
    expect(((await w.push(w.a)) as { kind: string }[])[0]?.kind).toBe("nothing_due");

    // ...and is still made, later, with nothing else happening in between.
    w.a.sim.control.configure({ csvDelimiter: ";" });
    await sixteenMinutesLater(async () => {
      expect(((await w.push(w.a)) as { kind: string }[])[0]?.kind).toBe("submitted");
      await w.settleImports();
    });
    expect(w.miraklQty(w.a, "TOP-NAVY-M")).toBe(15);
    expect((await prisma().task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("RESOLVED");
  });

  it("an error-report line becomes a Task for that SKU; the rest of the file applies; fixing the offer closes it", async () => {
    // GHOST-SKU is mapped to the tote's variant, but the marketplace has no such offer.
    await prisma().skuMapping.create({
      data: { connectionId: w.a.connection.id, offerSku: "GHOST-SKU", shopifyVariantId: w.h.catalogue.variants.TOTE!.variantId, shopifyInventoryItemId: w.h.catalogue.variants.TOTE!.inventoryItemId, matchStatus: "MATCHED" },
    });
    setStock("TOTE", "Warehouse", 60);
    await w.deliverWebhooks();
    await w.push(w.a);
    expect((await lastImport()).lines).toEqual(expect.arrayContaining([{ offerSku: "TOTE", quantity: 70 }, { offerSku: "GHOST-SKU", quantity: 70 }]));
    const [done] = (await w.settleImports()) as { kind: string; linesInError: number; tasksRaised: number }[];
    expect(done).toMatchObject({ kind: "complete", linesInSuccess: 1, linesInError: 1, tasksRaised: 1 });
    expect(w.miraklQty(w.a, "TOTE")).toBe(70);

    const task = await prisma().task.findUniqueOrThrow({ where: { shop_dedupeKey: { shop: w.h.shop, dedupeKey: stockImportErrorTaskKey(w.a.connection.id, "GHOST-SKU") } } });
    expect(task).toMatchObject({ status: "OPEN", kind: "stock_import_error", entityId: "GHOST-SKU" });
    expect(task.title).toBe("Marketplace refused the stock of GHOST-SKU");
    expect(task.body).toMatch(/does not exist/);
    expect(task.body).toMatch(/create it in the Mirakl back office or unmap GHOST-SKU/);
    const ghost = await sku("GHOST-SKU");
    expect(ghost).toMatchObject({ dirty: true, pushedQty: null });
    expect(ghost.lastError).toMatch(/does not exist/);
    expect(ghost.dirtySince!.getTime()).toBeGreaterThan(Date.now() + 10 * 60_000);
    const imp = await lastImport();
    expect(imp).toMatchObject({ status: "COMPLETE", linesInError: 1 });
    expect(imp.errorReport).toMatch(/GHOST-SKU: .*does not exist/);
    // Not every minute: the refused line waits for its retry.
    expect(((await w.push(w.a)) as { kind: string }[])[0]?.kind).toBe("nothing_due");

    // The merchant creates the offer on the marketplace; the retry goes through and the Task closes by itself.
    w.a.sim.control.upsertOffer({ sku: "GHOST-SKU", quantity: 0, price: 19.95 });
    await sixteenMinutesLater(async () => {
      await w.push(w.a);
      await w.settleImports();
    });
    expect(w.miraklQty(w.a, "GHOST-SKU")).toBe(70);
    expect((await prisma().task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("RESOLVED");
    expect(await sku("GHOST-SKU")).toMatchObject({ dirty: false, pushedQty: 70, lastError: null });
  });

  it("a paused marketplace is sent nothing; on resume the waiting change goes out", async () => {
    await setConnectionPaused({ services: w.h.services, shop: w.h.shop, id: w.a.connection.id, paused: true });
    const before = w.sto01Calls(w.a);
    setStock("TOP-NAVY-L", "Warehouse", 7);
    await w.runQueuedPushes();
    expect(((await w.push(w.a)) as { kind: string }[])[0]?.kind).toBe("paused");
    expect(w.sto01Calls(w.a)).toBe(before);
    expect(await sku("TOP-NAVY-L")).toMatchObject({ dirty: true });

    await setConnectionPaused({ services: w.h.services, shop: w.h.shop, id: w.a.connection.id, paused: false });
    // The next scheduler tick sees the waiting SKU and queues the push.
    expect(await scheduleInventory({ services: w.h.services, connection: await w.reload(w.a), now: new Date() })).toBeGreaterThanOrEqual(1);
    await w.deliverWebhooks();
    await w.settleImports();
    expect(w.miraklQty(w.a, "TOP-NAVY-L")).toBe(7);
    expect(w.sto01Calls(w.a)).toBe(before + 1);
  });

  it("respects one stock import a minute: a change within the minute is deferred, not dropped", async () => {
    await prisma().marketplaceConnection.update({ where: { id: w.a.connection.id }, data: { stockPushIntervalSeconds: 60, lastStockPushAt: null } });
    setStock("TOTE", "Store", 5);
    await w.deliverWebhooks();
    expect(((await w.push(w.a)) as { kind: string }[])[0]?.kind).toBe("submitted");
    const sent = w.sto01Calls(w.a);

    setStock("TOTE", "Store", 1);
    await w.deliverWebhooks();
    const [deferred] = (await w.push(w.a)) as { kind: string; delaySeconds: number }[];
    expect(deferred).toMatchObject({ kind: "deferred", reason: "pacing" });
    expect(deferred!.delaySeconds).toBeGreaterThan(50);
    expect(deferred!.delaySeconds).toBeLessThanOrEqual(60);
    expect(w.sto01Calls(w.a)).toBe(sent);
    expect(await sku("TOTE")).toMatchObject({ dirty: true });
    // The webhook's debounced push is already queued (stately per connection), so that job carries the change: when
    // it runs it is deferred again, to the end of Mirakl's minute.
    expect(await queuedPushes({ laterThanSeconds: 0 })).toBe(1);
    await w.runQueuedPushes();
    expect(w.sto01Calls(w.a)).toBe(sent);
    expect(await queuedPushes({ laterThanSeconds: 40 })).toBe(1);

    // A minute later (the slot moved back instead of waiting): the newest quantity goes out.
    await prisma().marketplaceConnection.update({ where: { id: w.a.connection.id }, data: { lastStockPushAt: new Date(Date.now() - 61_000) } });
    expect(((await w.push(w.a)) as { kind: string }[])[0]?.kind).toBe("submitted");
    await w.settleImports();
    expect(w.miraklQty(w.a, "TOTE")).toBe(61);
    await prisma().marketplaceConnection.update({ where: { id: w.a.connection.id }, data: { stockPushIntervalSeconds: 0 } });
  });

  it("sends nothing while no Shopify location is chosen, asks for them, and catches up once they are", async () => {
    const locations = w.a.connection.locationIds;
    await prisma().marketplaceConnection.update({ where: { id: w.a.connection.id }, data: { locationIds: [] } });
    expect(await scheduleInventory({ services: w.h.services, connection: await w.reload(w.a), now: new Date() })).toBe(0);
    const task = await prisma().task.findUniqueOrThrow({ where: { shop_dedupeKey: { shop: w.h.shop, dedupeKey: stockLocationsMissingTaskKey(w.a.connection.id) } } });
    expect(task).toMatchObject({ status: "OPEN", actionUrl: `/app/connections/${w.a.connection.id}` });
    const before = w.sto01Calls(w.a);
    setStock("TOP-NAVY-M", "Store", 9);
    await w.deliverWebhooks();
    expect(((await w.push(w.a)) as { kind: string }[])[0]?.kind).toBe("not_configured");
    expect(w.sto01Calls(w.a)).toBe(before);

    await prisma().marketplaceConnection.update({ where: { id: w.a.connection.id }, data: { locationIds: locations } });
    await scheduleInventory({ services: w.h.services, connection: await w.reload(w.a), now: new Date() });
    expect((await prisma().task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("RESOLVED");
    // Every offer is recomputed (the change made meanwhile was not tracked for this marketplace).
    expect(await prisma().inventorySku.count({ where: { connectionId: w.a.connection.id, dirty: true } })).toBe(4);
    await w.push(w.a);
    await w.settleImports();
    expect(w.miraklQty(w.a, "TOP-NAVY-M")).toBe(19);
  });

  it("never sends a negative quantity: an oversold location counts against the others and the total stops at 0", async () => {
    setStock("TOP-NAVY-L", "Warehouse", -4);
    setStock("TOP-NAVY-L", "Store", 2);
    await w.deliverWebhooks();
    await w.push(w.a);
    expect((await lastImport()).lines).toEqual([{ offerSku: "TOP-NAVY-L", quantity: 0 }]);
    await w.settleImports();
    expect(w.miraklQty(w.a, "TOP-NAVY-L")).toBe(0);
    expect(await sku("TOP-NAVY-L")).toMatchObject({ computedQty: 0, pushedQty: 0 });
  });
});
