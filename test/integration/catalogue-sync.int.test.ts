import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { catalogueSyncFailedTaskKey, catalogueSyncJob, requestCatalogueSync, scheduleCatalogueJobs } from "../../app/jobs/catalogue-jobs.server";
import { syncCatalogue, unmappedOffersTaskKey } from "../../app/sync/catalogue/sync-catalogue.server";
import { autoMatchOffers } from "../../app/sync/catalogue/auto-match.server";
import { mapSku } from "../../app/sync/catalogue/mapping.server";
import { logger } from "../../app/lib/logger";

/**
 * The catalogue sync against both simulators over HTTP: 3 offers whose SKU exists once in Shopify, 1 that Shopify does
 * not have, 1 that two Shopify variants share; plus a person's MANUAL mapping the sync must never overwrite.
 */
const PRODUCTS = [
  { title: "Breton top", variants: [{ sku: "TOP-NAVY-M", price: 39.95, inventory: { Warehouse: 20, Store: 5 } }, { sku: "TOP-NAVY-L", price: 39.95, inventory: { Warehouse: 3, Store: 0 } }] },
  { title: "Canvas tote", variants: [{ sku: "TOTE", price: 19.95, inventory: { Warehouse: 100, Store: 10 } }] },
  { title: "Mug (dog)", variants: [{ sku: "MUG-DUP", price: 8.5, inventory: { Warehouse: 4 } }] },
  { title: "Mug (cat)", variants: [{ sku: "MUG-DUP", price: 8.5, inventory: { Warehouse: 6 } }] },
  { title: "Gift card", variants: [{ sku: "GIFT", price: 25, inventory: { Warehouse: 0 }, tracked: false }] },
];
const OFFERS = [
  { sku: "TOP-NAVY-M", quantity: 25, price: 39.95, productTitle: "Breton top M" },
  { sku: "TOTE", quantity: 110, price: 19.95, productTitle: "Canvas tote" },
  { sku: "GIFT", quantity: 3, price: 25, productTitle: "Gift card" },
  { sku: "MUG-DUP", quantity: 10, price: 8.5, productTitle: "Mug" },
  { sku: "GHOST-1", quantity: 2, price: 12, productTitle: "Not in Shopify" },
  { sku: "TOP-NAVY-L", quantity: 3, price: 39.95, productTitle: "Breton top L" },
];

let h: Harness;

beforeAll(async () => {
  h = await startHarness({ products: PRODUCTS, mirakl: { offers: OFFERS, tenant: { exportDelayMs: 0 } } });
});
afterAll(async () => {
  await h?.close();
});

const rows = async () => {
  const list = await h.services.prisma.skuMapping.findMany({ where: { connectionId: h.connection!.id }, orderBy: { offerSku: "asc" } });
  return Object.fromEntries(list.map((r) => [r.offerSku, r]));
};

describe("catalogue.sync", () => {
  it("is scheduled as soon as a connection exists, stores every offer and auto-matches by exact SKU", async () => {
    const c = h.connection!;
    // A person mapped TOP-NAVY-L to the tote before the first sync (say, a bundle): it must survive every sync.
    const tote = h.catalogue.variants["TOTE"]!;
    await h.services.prisma.skuMapping.create({
      data: { connectionId: c.id, offerSku: "TOP-NAVY-L", source: "MANUAL", matchStatus: "MATCHED", shopifyVariantId: tote.variantId, shopifyInventoryItemId: tote.inventoryItemId, shopifySku: "TOTE", productTitle: "Canvas tote" },
    });

    expect(await scheduleCatalogueJobs({ services: h.services, connection: c, now: new Date() })).toBe(1);
    // Stately per connection: a second tick while it waits adds nothing.
    expect(await scheduleCatalogueJobs({ services: h.services, connection: c, now: new Date() })).toBe(0);
    await h.drain();

    const r = await rows();
    expect(Object.keys(r).sort()).toEqual(["GHOST-1", "GIFT", "MUG-DUP", "TOP-NAVY-L", "TOP-NAVY-M", "TOTE"]);
    const top = h.catalogue.variants["TOP-NAVY-M"]!;
    expect(r["TOP-NAVY-M"]).toMatchObject({
      source: "AUTO",
      matchStatus: "MATCHED",
      shopifyVariantId: top.variantId,
      shopifyInventoryItemId: top.inventoryItemId,
      shopifySku: "TOP-NAVY-M",
      productTitle: expect.stringContaining("Breton top"),
      tracked: true,
      offerTitle: "Breton top M",
      offerQuantity: 25,
    });
    expect(r["TOP-NAVY-M"]!.offerSeenAt).toBeInstanceOf(Date);
    expect(r["TOTE"]).toMatchObject({ matchStatus: "MATCHED", shopifyVariantId: tote.variantId });
    expect(r["GIFT"]).toMatchObject({ matchStatus: "MATCHED", tracked: false });
    expect(r["MUG-DUP"]).toMatchObject({ source: "AUTO", matchStatus: "AMBIGUOUS", shopifyVariantId: null });
    expect(r["GHOST-1"]).toMatchObject({ source: "AUTO", matchStatus: "UNMATCHED", shopifyVariantId: null, offerQuantity: 2 });
    expect(r["TOP-NAVY-L"]).toMatchObject({ source: "MANUAL", matchStatus: "MATCHED", shopifyVariantId: tote.variantId, offerTitle: "Breton top L" });

    const task = await h.services.prisma.task.findUniqueOrThrow({ where: { shop_dedupeKey: { shop: h.shop, dedupeKey: unmappedOffersTaskKey(c.id) } } });
    expect(task).toMatchObject({ status: "OPEN", kind: "catalogue_unmapped", actionUrl: expect.stringContaining(`/app/skus?connection=${c.id}`) });
    expect(task.title).toContain("2 offers are not linked");
    expect(task.body).toMatch(/1 offer has no Shopify variant.*1 offer matches several Shopify variants/);

    const event = await h.services.prisma.syncEvent.findFirstOrThrow({ where: { entityType: "connection", entityId: c.id, kind: "catalogue_synced" } });
    expect(event.data).toMatchObject({ method: "OF21", offers: 6, counts: { matched: 4, unmatched: 1, ambiguous: 1, total: 6 } });
    // Every matched (and ambiguous, unmatched) offer is flagged for the stock push only when its mapping changed.
    const dirty = await h.services.prisma.inventorySku.findMany({ where: { connectionId: c.id, dirty: true } });
    expect(dirty.map((d) => d.offerSku).sort()).toEqual(["GIFT", "TOP-NAVY-M", "TOTE"]);

    // Synced: not due again until a day has passed.
    expect(await scheduleCatalogueJobs({ services: h.services, connection: c, now: new Date() })).toBe(0);
    expect(await scheduleCatalogueJobs({ services: h.services, connection: c, now: new Date(Date.now() + 25 * 3600_000) })).toBe(1);
    await h.drain();
  });

  it("runs again without duplicates, refreshes the offers' quantity and picks up new offers", async () => {
    const c = h.connection!;
    const before = await rows();
    h.mirakl.control.setOfferQuantity("TOTE", 7);
    h.mirakl.control.upsertOffer({ sku: "GHOST-2", quantity: 1, price: 3, productTitle: "Another newcomer" });
    const res = await h.services.jobs.runNow(catalogueSyncJob, { shop: h.shop, connectionId: c.id });
    expect(res).toMatchObject({ kind: "synced", offers: 7, counts: { total: 7, unmatched: 2, ambiguous: 1 }, notListed: 0 });
    const after = await rows();
    expect(Object.keys(after)).toHaveLength(7);
    expect(after["TOTE"]!.id).toBe(before["TOTE"]!.id);
    expect(after["TOTE"]!.offerQuantity).toBe(7);
    expect(after["GHOST-2"]).toMatchObject({ matchStatus: "UNMATCHED", source: "AUTO", offerTitle: "Another newcomer" });
    expect(after["TOP-NAVY-L"]).toMatchObject({ source: "MANUAL", shopifySku: "TOTE" });
    expect(await h.services.prisma.skuMapping.count({ where: { connectionId: c.id } })).toBe(7);
    const task = await h.services.prisma.task.findUniqueOrThrow({ where: { shop_dedupeKey: { shop: h.shop, dedupeKey: unmappedOffersTaskKey(c.id) } } });
    expect(task.title).toContain("3 offers are not linked");
  });

  it("reads a large catalogue with the OF52 export instead of paging OF21", async () => {
    const c = h.connection!;
    const calls = () => h.mirakl.control.stats().calls;
    const of21Before = calls()["OF21"] ?? 0;
    const res = await syncCatalogue({ services: h.services, connection: await h.reloadConnection(), exportThreshold: 3, exportWait: { sleep: async () => {} } });
    expect(res).toMatchObject({ kind: "synced", method: "OF52", offers: 7 });
    const stats = calls();
    expect(stats["OF52"]).toBe(1);
    expect(stats["OF53"]).toBeGreaterThanOrEqual(1);
    expect(stats["OF54"]).toBeGreaterThanOrEqual(1);
    // Only the probe (max=1) went to OF21.
    expect((stats["OF21"] ?? 0) - of21Before).toBe(1);
    const r = await rows();
    expect(r["TOTE"]).toMatchObject({ offerQuantity: 7, matchStatus: "MATCHED" });
    expect(Object.keys(r)).toHaveLength(7);
    expect(c.id).toBe(r["TOTE"]!.connectionId);
  });

  it("turns a sync that keeps failing into one Task, retries an hour later, and resolves the Task when a sync succeeds", async () => {
    const c = h.connection!;
    await catalogueSyncJob.onDeadLetter!({ shop: h.shop, connectionId: c.id }, "Mirakl answered 503 five times", {
      services: h.services,
      log: logger,
      job: { id: "test", name: catalogueSyncJob.name, retryCount: 5, final: true },
    });
    const key = catalogueSyncFailedTaskKey(c.id);
    const task = await h.services.prisma.task.findUniqueOrThrow({ where: { shop_dedupeKey: { shop: h.shop, dedupeKey: key } } });
    expect(task).toMatchObject({ status: "OPEN", severity: "warning" });
    expect(task.body).toContain("Mirakl answered 503 five times");
    expect(await scheduleCatalogueJobs({ services: h.services, connection: c, now: new Date() })).toBe(0);
    expect(await scheduleCatalogueJobs({ services: h.services, connection: c, now: new Date(Date.now() + 61 * 60_000) })).toBe(1);
    await h.drain();
    expect((await h.services.prisma.task.findUniqueOrThrow({ where: { shop_dedupeKey: { shop: h.shop, dedupeKey: key } } })).status).toBe("RESOLVED");
  });

  it("retries through Mirakl 5xx and 429 storms on reads without losing offers", async () => {
    const c = h.connection!;
    h.mirakl.control.setFaults({ rate5xx: 0.3, storm429: { forMs: 1_500, retryAfterSeconds: 1 }, only: ["OF21"] });
    try {
      const res = await syncCatalogue({ services: h.services, connection: await h.reloadConnection() });
      expect(res).toMatchObject({ kind: "synced", method: "OF21", offers: 7 });
    } finally {
      h.mirakl.control.clearFaults();
    }
    expect(await h.services.prisma.skuMapping.count({ where: { connectionId: c.id } })).toBe(7);
  });

  it("never overwrites a mapping a person saves while the auto-match is between its read and its write", async () => {
    const c = h.connection!;
    // TOTE is waiting for auto-matching (as on a first sync) ...
    await h.services.prisma.skuMapping.update({
      where: { connectionId_offerSku: { connectionId: c.id, offerSku: "TOTE" } },
      data: { source: "AUTO", matchStatus: "UNMATCHED", shopifyVariantId: null, shopifyInventoryItemId: null, shopifySku: null },
    });
    // ... and a person maps it by hand while the worker is asking Shopify (after it read the row, before it writes).
    const admin = await h.services.shopifyAdmin(h.shop);
    let interfered = false;
    const racing = {
      ...admin,
      shop: admin.shop,
      apiVersion: admin.apiVersion,
      throttleState: () => admin.throttleState(),
      request: async <T,>(req: Parameters<typeof admin.request<T>>[0]) => {
        if (!interfered) {
          interfered = true;
          const r = await mapSku({ services: h.services, shop: h.shop, connectionId: c.id, offerSku: "TOTE", sku: "TOP-NAVY-M" });
          expect(r.kind).toBe("mapped");
        }
        return admin.request<T>(req);
      },
    };
    const res = await autoMatchOffers({ services: h.services, connection: c, client: racing, log: logger, createdBefore: new Date() });
    expect(interfered).toBe(true);
    // The worker saw TOTE match its own SKU, but its conditional write found the row no longer AUTO and skipped it.
    expect(res.matched).toBeGreaterThanOrEqual(1);
    const tote = await h.services.prisma.skuMapping.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId: c.id, offerSku: "TOTE" } } });
    expect(tote).toMatchObject({ source: "MANUAL", matchStatus: "MATCHED", shopifySku: "TOP-NAVY-M", shopifyVariantId: h.catalogue.variants["TOP-NAVY-M"]!.variantId });
  });

  it("says why when a person asks to sync a paused marketplace", async () => {
    const c = h.connection!;
    await h.services.prisma.marketplaceConnection.update({ where: { id: c.id }, data: { paused: true } });
    try {
      expect(await h.services.jobs.runNow(catalogueSyncJob, { shop: h.shop, connectionId: c.id })).toEqual({ kind: "ignored", reason: "connection paused" });
      const last = await h.services.prisma.syncEvent.findFirstOrThrow({ where: { entityId: c.id, kind: "catalogue_sync_failed" }, orderBy: { createdAt: "desc" } });
      expect(last.message).toMatch(/not synced: connection paused/);
    } finally {
      await h.services.prisma.marketplaceConnection.update({ where: { id: c.id }, data: { paused: false } });
    }
  });

  it("records a person's request and queues one sync, whatever the number of clicks", async () => {
    const c = h.connection!;
    const a = await requestCatalogueSync({ services: h.services, shop: h.shop, connectionId: c.id });
    const b = await requestCatalogueSync({ services: h.services, shop: h.shop, connectionId: c.id });
    expect(a.queued).toBe(true);
    expect(b.queued).toBe(false);
    expect(await h.services.prisma.syncEvent.count({ where: { entityId: c.id, kind: "catalogue_sync_requested" } })).toBe(2);
    expect(await h.drain()).toBeGreaterThanOrEqual(1);
    expect(await requestCatalogueSync({ services: h.services, shop: "someone-else.myshopify.com", connectionId: c.id })).toEqual({ queued: false });
  });
});
