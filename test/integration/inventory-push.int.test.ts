import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInventoryWorld, type InventoryWorld } from "../support/inventory-world";
import { createOrder } from "../../app/shopify";
import { asGid } from "../../app/shopify/gid";
import { adjustStockLevel } from "../../app/sync/stock-levels.server";
import { scheduleInventory } from "../../app/sync/inventory/scheduler.server";

/**
 * Near-real-time stock: Shopify changes reach every marketplace in one push cycle (webhook → dirty → debounced
 * push → STO01 → STO02), only what changed is sent, and our own writes do not loop.
 * Shop: TOP-NAVY-M 20+5, TOP-NAVY-L 3+0, TOTE 100+10 (Warehouse + Store), both marketplaces sell from both.
 */
let w: InventoryWorld;

beforeAll(async () => {
  w = await startInventoryWorld({ twoMarketplaces: true });
  for (const m of w.marketplaces()) {
    await w.mapSkus(m.connection.id);
    // The first reconciliation fills the cache and finds both marketplaces in step (offers = Shopify totals).
    const r = (await w.reconcile(m)) as { kind: string; differences: number; pushedLines: number };
    expect(r).toMatchObject({ kind: "reconciled", differences: 0, pushedLines: 0 });
  }
});
afterAll(async () => {
  await w?.close();
});

describe("inventory push", () => {
  it("a storefront sale reaches every marketplace within one push cycle, and only that SKU is sent", async () => {
    const before = w.marketplaces().map((m) => w.sto01Calls(m));
    w.h.shopify.control.storefrontSale({ shop: w.h.shop, lines: [{ sku: "TOP-NAVY-M", quantity: 2 }] });
    // The real path: webhook → level recorded + SKU dirty → debounced inventory.push from the queue.
    await w.runQueuedPushes();
    await w.settleImports();

    expect(w.shopifyAvailable("TOP-NAVY-M")).toEqual({ Warehouse: 18, Store: 5 });
    for (const [i, m] of w.marketplaces().entries()) {
      expect(w.miraklQty(m, "TOP-NAVY-M")).toBe(23);
      expect(w.miraklQty(m, "TOTE")).toBe(110);
      expect(w.sto01Calls(m)).toBe((before[i] ?? 0) + 1);
      const imp = await w.h.services.prisma.stockImport.findFirstOrThrow({ where: { connectionId: m.connection.id }, orderBy: { submittedAt: "desc" } });
      expect(imp.status).toBe("COMPLETE");
      expect(imp.lines).toEqual([{ offerSku: "TOP-NAVY-M", quantity: 23 }]);
      const sku = await w.h.services.prisma.inventorySku.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId: m.connection.id, offerSku: "TOP-NAVY-M" } } });
      expect(sku).toMatchObject({ dirty: false, computedQty: 23, pushedQty: 23, miraklQty: 23, lastImportId: imp.id });
    }
    const level = await w.h.services.prisma.stockLevel.findUniqueOrThrow({
      where: { shop_inventoryItemId_locationId: { shop: w.h.shop, inventoryItemId: w.h.catalogue.variants["TOP-NAVY-M"]!.inventoryItemId, locationId: w.h.catalogue.locations.Warehouse! } },
    });
    expect(level.available).toBe(18);
  });

  it("a Mirakl order decrements Shopify (through the importer's orderCreate) and then the other marketplace", async () => {
    const a = w.a;
    const b = w.b!;
    const order = a.sim.control.createOrder({ lines: [{ offerSku: "TOTE", quantity: 3 }] });
    // Mirakl takes the ordered units off its own offer at once (seller-api-notes gotcha 23).
    expect(w.miraklQty(a, "TOTE")).toBe(107);
    expect(w.miraklQty(b, "TOTE")).toBe(110);
    // What the order import does: orderCreate decrementing stock (DECREMENT_IGNORING_POLICY).
    const client = await w.h.services.shopifyAdmin(w.h.shop);
    await createOrder({
      client,
      input: {
        lineItems: [{ variantId: asGid(w.h.catalogue.variants.TOTE!.variantId, "ProductVariant"), quantity: 3, priceSet: { shopMoney: { amount: "19.95", currencyCode: "GBP" } } }],
        currency: "GBP",
        sourceIdentifier: order.order_id,
      },
      options: { inventoryBehaviour: "DECREMENT_IGNORING_POLICY" },
    });
    const shopify = w.shopifyAvailable("TOTE");
    expect((shopify.Warehouse ?? 0) + (shopify.Store ?? 0)).toBe(107);
    // The importer also takes the units off the cache at once (app/sync/orders), so Shopify's webhook for this change
    // arrives "older" than the level we hold: it must still get the other marketplace recomputed.
    await adjustStockLevel({ prisma: w.h.services.prisma, shop: w.h.shop, inventoryItemId: w.h.catalogue.variants.TOTE!.inventoryItemId, locationId: w.h.catalogue.locations.Warehouse!, delta: -3 });

    await w.runQueuedPushes();
    await w.settleImports();
    expect(w.miraklQty(b, "TOTE")).toBe(107);
    expect(w.miraklQty(a, "TOTE")).toBe(107);
    const stale = await w.h.services.prisma.webhookDelivery.findFirstOrThrow({ where: { topic: "INVENTORY_LEVELS_UPDATE" }, orderBy: { receivedAt: "desc" } });
    expect(stale).toMatchObject({ status: "IGNORED" });
    const linesB = await w.h.services.prisma.stockImport.findFirstOrThrow({ where: { connectionId: b.connection.id }, orderBy: { submittedAt: "desc" } });
    expect(linesB.lines).toEqual([{ offerSku: "TOTE", quantity: 107 }]);
  });

  it("does not loop: once a push has settled, the next cycle sends nothing, and a change undone before the push sends nothing", async () => {
    const before = w.marketplaces().map((m) => w.sto01Calls(m));
    await w.runQueuedPushes();
    const outcomes = (await w.push()) as { kind: string }[];
    expect(outcomes.map((o) => o.kind)).toEqual(["nothing_due", "nothing_due"]);

    // +4 then -4 before the debounce ends: two webhooks, the SKU is dirty, its quantity is what Mirakl was told.
    w.h.shopify.control.adjustStock({ shop: w.h.shop, sku: "TOP-NAVY-L", location: "Warehouse", delta: 4 });
    w.h.shopify.control.adjustStock({ shop: w.h.shop, sku: "TOP-NAVY-L", location: "Warehouse", delta: -4 });
    await w.deliverWebhooks();
    const dirty = await w.h.services.prisma.inventorySku.count({ where: { offerSku: "TOP-NAVY-L", dirty: true } });
    expect(dirty).toBe(2);
    const settled = (await w.push()) as { kind: string }[];
    expect(settled.map((o) => o.kind)).toEqual(["in_step", "in_step"]);
    expect(w.marketplaces().map((m) => w.sto01Calls(m))).toEqual(before);
    expect(await w.h.services.prisma.inventorySku.count({ where: { dirty: true } })).toBe(0);
  });

  it("a merchant restock at a location a marketplace does not sell from changes only the others", async () => {
    const b = w.b!;
    // B sells from the Warehouse only from now on: its rule changed, so every B offer is recomputed.
    await w.h.services.prisma.marketplaceConnection.update({ where: { id: b.connection.id }, data: { locationIds: [w.h.catalogue.locations.Warehouse!] } });
    await scheduleInventory({ services: w.h.services, connection: await w.reload(b), now: new Date() });
    await w.push();
    await w.settleImports();
    expect(w.miraklQty(b, "TOP-NAVY-M")).toBe(18);
    expect(w.miraklQty(b, "TOTE")).toBe(97);
    expect(w.miraklQty(b, "TOP-NAVY-L")).toBe(3);

    const before = w.sto01Calls(b);
    w.h.shopify.control.adjustStock({ shop: w.h.shop, sku: "TOP-NAVY-L", location: "Store", delta: 6 });
    await w.runQueuedPushes();
    await w.settleImports();
    expect(w.miraklQty(w.a, "TOP-NAVY-L")).toBe(9);
    expect(w.miraklQty(b, "TOP-NAVY-L")).toBe(3);
    expect(w.sto01Calls(b)).toBe(before);
  });
});
