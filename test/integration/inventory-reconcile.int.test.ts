import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInventoryWorld, type InventoryWorld } from "../support/inventory-world";
import { setConnectionPaused } from "../../app/sync/connections.server";
import { STOCK_RECONCILED_EVENT, type ReconcileOutcome } from "../../app/sync/inventory/reconcile.server";
import { scheduleInventory } from "../../app/sync/inventory/scheduler.server";
import { reconciliationView } from "../../app/sync/inventory/reconcile-view";
import { syncCatalogue } from "../../app/sync/catalogue/sync-catalogue.server";
import { mapSku } from "../../app/sync/catalogue/mapping.server";

/**
 * Full reconciliation: read both sides, record the drift per SKU, push only the differences, record the run.
 * Two worlds: the small default catalogue (OF21 and reads by id) and 1,200 SKUs (a Shopify bulk operation and the
 * OF52 export, full the first time and differential after), where the call counts must not grow with the SKUs.
 */
describe("reconciliation, small catalogue", () => {
  let w: InventoryWorld;
  beforeAll(async () => {
    w = await startInventoryWorld();
    await w.mapSkus(w.a.connection.id);
  });
  afterAll(async () => {
    await w?.close();
  });

  it("records the drift per SKU, sends only the differing SKU in one file, and records the run", async () => {
    const first = (await w.reconcile(w.a)) as Extract<ReconcileOutcome, { kind: "reconciled" }>;
    expect(first).toMatchObject({ kind: "reconciled", skuCount: 3, differences: 0, pushedLines: 0, shopifyRead: "by-items", miraklRead: "list" });

    // An operator typed a wrong quantity in the Mirakl back office.
    w.a.sim.control.setOfferQuantity("TOTE", 3);
    const stats = w.a.sim.control.stats().calls;
    const before = { OF21: stats.OF21 ?? 0, STO01: stats.STO01 ?? 0 };
    const run = (await w.reconcile(w.a)) as Extract<ReconcileOutcome, { kind: "reconciled" }>;
    expect(run).toMatchObject({ kind: "reconciled", skuCount: 3, differences: 1, pushedLines: 1, miraklCalls: 2, shopifyCalls: 2 });
    const after = w.a.sim.control.stats().calls;
    expect((after.OF21 ?? 0) - before.OF21).toBe(1);
    expect((after.STO01 ?? 0) - before.STO01).toBe(1);

    const prisma = w.h.services.prisma;
    const stored = await prisma.reconciliationRun.findUniqueOrThrow({ where: { id: run.runId } });
    expect(stored).toMatchObject({ status: "COMPLETE", skuCount: 3, differences: 1, pushedLines: 1, miraklCalls: 2, shopifyCalls: 2 });
    expect(stored.finishedAt).not.toBeNull();
    const tote = await prisma.inventorySku.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId: w.a.connection.id, offerSku: "TOTE" } } });
    expect(tote).toMatchObject({ miraklQty: 3, computedQty: 110, lastDrift: -107 });
    const imp = await prisma.stockImport.findFirstOrThrow({ where: { connectionId: w.a.connection.id }, orderBy: { submittedAt: "desc" } });
    expect(imp.lines).toEqual([{ offerSku: "TOTE", quantity: 110 }]);
    const drift = await prisma.syncEvent.findFirstOrThrow({ where: { entityId: `${w.a.connection.id}:TOTE`, kind: "stock_drift" } });
    expect(drift.message).toBe("Marketplace showed 3 but should show 110 (-107)");

    await w.settleImports();
    expect(w.miraklQty(w.a, "TOTE")).toBe(110);
    expect(await prisma.inventorySku.findUniqueOrThrow({ where: { id: tote.id } })).toMatchObject({ miraklQty: 110, lastDrift: 0, pushedQty: 110 });
  });

  it("while paused, records the drift and sends nothing; the difference goes out after the resume", async () => {
    await setConnectionPaused({ services: w.h.services, shop: w.h.shop, id: w.a.connection.id, paused: true });
    w.a.sim.control.setOfferQuantity("TOP-NAVY-M", 40);
    const sent = w.sto01Calls(w.a);
    const run = (await w.reconcile(w.a)) as Extract<ReconcileOutcome, { kind: "reconciled" }>;
    expect(run).toMatchObject({ differences: 1, pushedLines: 0, push: { kind: "paused" } });
    expect(w.sto01Calls(w.a)).toBe(sent);
    const row = await w.h.services.prisma.inventorySku.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId: w.a.connection.id, offerSku: "TOP-NAVY-M" } } });
    expect(row).toMatchObject({ lastDrift: 15, dirty: true });

    await setConnectionPaused({ services: w.h.services, shop: w.h.shop, id: w.a.connection.id, paused: false });
    await w.push(w.a);
    await w.settleImports();
    expect(w.miraklQty(w.a, "TOP-NAVY-M")).toBe(25);
  });

  it("does not resend a correction that is already at Mirakl when a reconciliation runs meanwhile", async () => {
    w.a.sim.control.setOfferQuantity("TOP-NAVY-L", 9);
    // Mirakl takes its time with this file (30 s of simulated time before it starts).
    const tenant = w.a.sim.control.getTenant();
    w.a.sim.control.configure({ importWaitMs: 30_000 });
    const first = (await w.reconcile(w.a)) as Extract<ReconcileOutcome, { kind: "reconciled" }>;
    expect(first).toMatchObject({ differences: 1, pushedLines: 1 });
    const sent = w.sto01Calls(w.a);
    // The file is queued at Mirakl (not processed yet): Mirakl still shows 9.
    const again = (await w.reconcile(w.a)) as Extract<ReconcileOutcome, { kind: "reconciled" }>;
    expect(again).toMatchObject({ differences: 1, pushedLines: 0, push: { kind: "not_needed" } });
    expect(w.sto01Calls(w.a)).toBe(sent);
    const row = await w.h.services.prisma.inventorySku.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId: w.a.connection.id, offerSku: "TOP-NAVY-L" } } });
    expect(row).toMatchObject({ dirty: false, pushedQty: 9, miraklQty: 9, lastDrift: 6 });
    w.a.sim.control.advanceClock(30_000);
    w.a.sim.control.configure({ importWaitMs: tenant.importWaitMs });
    await w.settleImports();
    expect(w.miraklQty(w.a, "TOP-NAVY-L")).toBe(3);
    expect(await w.h.services.prisma.inventorySku.findUniqueOrThrow({ where: { id: row.id } })).toMatchObject({ dirty: false, pushedQty: 3, miraklQty: 3, lastDrift: 0 });
  });

  it("reports a mapped SKU the marketplace has no offer for, without sending it", async () => {
    const prisma = w.h.services.prisma;
    await prisma.skuMapping.create({
      data: { connectionId: w.a.connection.id, offerSku: "NOT-LISTED", shopifyVariantId: w.h.catalogue.variants.TOTE!.variantId, shopifyInventoryItemId: w.h.catalogue.variants.TOTE!.inventoryItemId, matchStatus: "MATCHED" },
    });
    const run = (await w.reconcile(w.a)) as Extract<ReconcileOutcome, { kind: "reconciled" }>;
    expect(run).toMatchObject({ skuCount: 4, differences: 0, notOnMirakl: 1, pushedLines: 0 });
    const row = await prisma.inventorySku.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId: w.a.connection.id, offerSku: "NOT-LISTED" } } });
    expect(row).toMatchObject({ miraklQty: null, lastDrift: null, dirty: false, lastError: "No offer with this SKU on the marketplace" });
  });
});

describe("reconciliation, 1,200 SKUs", () => {
  const N = 1_200;
  const skus = Array.from({ length: N }, (_, i) => `SKU-${String(i).padStart(5, "0")}`);
  let w: InventoryWorld;
  beforeAll(async () => {
    w = await startInventoryWorld({
      harness: {
        products: skus.map((sku, i) => ({ title: `Product ${i}`, variants: [{ sku, price: 10, inventory: { Warehouse: i % 7, Store: i % 3 } }] })),
        mirakl: { offers: skus.map((sku, i) => ({ sku, price: 10, quantity: (i % 7) + (i % 3) })) },
      },
    });
    await w.h.services.prisma.skuMapping.createMany({
      data: skus.map((sku) => ({
        connectionId: w.a.connection.id,
        offerSku: sku,
        shopifySku: sku,
        shopifyVariantId: w.h.catalogue.variants[sku]!.variantId,
        shopifyInventoryItemId: w.h.catalogue.variants[sku]!.inventoryItemId,
        matchStatus: "MATCHED",
      })),
    });
  });
  afterAll(async () => {
    await w?.close();
  });

  it("uses one bulk operation and one full export, then a differential export, and sends only the drifted SKUs", async () => {
    const calls = () => ({ ...w.a.sim.control.stats().calls });
    const c0 = calls();
    const first = (await w.reconcile(w.a)) as Extract<ReconcileOutcome, { kind: "reconciled" }>;
    expect(first).toMatchObject({ kind: "reconciled", skuCount: N, differences: 0, pushedLines: 0, shopifyRead: "bulk", miraklRead: "full-export" });
    const c1 = calls();
    expect((c1.OF52 ?? 0) - (c0.OF52 ?? 0)).toBe(1);
    expect((c1.OF54 ?? 0) - (c0.OF54 ?? 0)).toBe(1);
    expect((c1.OF21 ?? 0) - (c0.OF21 ?? 0)).toBe(0);
    expect(first.shopifyCalls).toBeLessThan(10);
    expect(first.miraklCalls).toBe((c1.OF52 ?? 0) + (c1.OF53 ?? 0) + (c1.OF54 ?? 0) - (c0.OF52 ?? 0) - (c0.OF53 ?? 0) - (c0.OF54 ?? 0));

    // Three offers drift on Mirakl (an order, an operator edit, a restock typed by hand).
    w.a.sim.control.setOfferQuantity("SKU-00010", 99);
    w.a.sim.control.setOfferQuantity("SKU-00500", 0);
    w.a.sim.control.setOfferQuantity("SKU-01199", 1);
    const second = (await w.reconcile(w.a)) as Extract<ReconcileOutcome, { kind: "reconciled" }>;
    expect(second).toMatchObject({ skuCount: N, differences: 3, pushedLines: 3, miraklRead: "differential-export" });
    const c2 = calls();
    expect((c2.OF52 ?? 0) - (c1.OF52 ?? 0)).toBe(1);
    expect((c2.STO01 ?? 0) - (c1.STO01 ?? 0)).toBe(1);
    const imp = await w.h.services.prisma.stockImport.findFirstOrThrow({ where: { connectionId: w.a.connection.id }, orderBy: { submittedAt: "desc" } });
    expect(imp.lines).toEqual(
      expect.arrayContaining([
        { offerSku: "SKU-00010", quantity: (10 % 7) + (10 % 3) },
        { offerSku: "SKU-00500", quantity: (500 % 7) + (500 % 3) },
        { offerSku: "SKU-01199", quantity: (1199 % 7) + (1199 % 3) },
      ]),
    );
    expect(imp.lineCount).toBe(3);
    await w.settleImports();
    expect(w.miraklQty(w.a, "SKU-00010")).toBe((10 % 7) + (10 % 3));
    expect(await w.h.services.prisma.inventorySku.count({ where: { connectionId: w.a.connection.id, NOT: { lastDrift: 0 } } })).toBe(0);
  });
});

describe("reconciliation after the first offers are mapped", () => {
  let w: InventoryWorld;
  beforeAll(async () => {
    w = await startInventoryWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it("runs again as soon as a catalogue sync maps the offers a first run found nothing of, and only then", async () => {
    const { services } = w.h;
    const prisma = services.prisma;
    const connectionId = w.a.connection.id;
    const runs = () => prisma.reconciliationRun.findMany({ where: { connectionId }, orderBy: { startedAt: "asc" } });

    // The demo's start-up: the first tick's reconciliation ran before the catalogue sync had stored any offer.
    expect(await w.reconcile(w.a)).toMatchObject({ kind: "ignored", reason: "no offer is mapped on this marketplace yet" });
    expect(await runs()).toMatchObject([{ status: "COMPLETE", skuCount: 0 }]);
    // The interval still holds for that run: the next tick queues no reconciliation (nor anything else).
    const connection = await w.reload(w.a);
    expect(await scheduleInventory({ services, connection, now: new Date(Date.now() + 60_000) })).toBe(0);

    const sync = await syncCatalogue({ services, connection });
    expect(sync).toMatchObject({ kind: "synced", newlyMatched: 3 });
    await w.h.drain();

    const after = await runs();
    expect(after).toHaveLength(2);
    const last = after[1]!;
    expect(last).toMatchObject({ status: "COMPLETE", skuCount: 3 });
    const event = await prisma.syncEvent.findFirstOrThrow({ where: { entityType: "stock", entityId: connectionId, kind: STOCK_RECONCILED_EVENT }, orderBy: { createdAt: "desc" } });
    expect(event.data).toMatchObject({ runId: last.id, trigger: "first-mappings" });
    const view = reconciliationView(last, { reconcileIntervalMinutes: connection.reconcileIntervalMinutes, paused: false, hasLocations: true }, (d) => new Date(d).toISOString());
    expect(view.kind === "facts" && view.facts.find((f) => f.label === "Offers compared")?.value).toBe("3");

    // A later sync with nothing new, and a person mapping one more offer, keep the schedule: a run did compare
    // offers, so no extra bulk operation and OF52.
    expect(await syncCatalogue({ services, connection })).toMatchObject({ kind: "synced", newlyMatched: 0 });
    await prisma.skuMapping.create({ data: { connectionId, offerSku: "TOTE-BUNDLE", source: "AUTO", matchStatus: "UNMATCHED" } });
    expect(await mapSku({ services, shop: w.h.shop, connectionId, offerSku: "TOTE-BUNDLE", variantId: w.h.catalogue.variants["TOTE"]!.variantId })).toMatchObject({ kind: "mapped" });
    await w.h.drain();
    expect(await runs()).toHaveLength(2);
  });
});
