import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInventoryWorld, type InventoryWorld } from "../support/inventory-world";
import { DEFAULT_PRODUCTS } from "../support/harness";
import { scheduleInventory } from "../../app/sync/inventory/scheduler.server";
import { markSkusDirty } from "../../app/sync/inventory/dirty.server";

/**
 * The quantity rule end to end (app/sync/safety-stock.ts, its worked example on the settings screen): what each
 * marketplace's Mirakl offer ends up holding.
 * Shop: TOP-NAVY-M 20+5=25, TOP-NAVY-L 3+0=3, TOTE 100+10=110, GIFT 40 but not tracked; ORPHAN is an offer on
 * marketplace A that matches no Shopify variant.
 */
let w: InventoryWorld;
const qty = (m: "a" | "b", sku: string) => w.miraklQty(m === "a" ? w.a : w.b!, sku);

beforeAll(async () => {
  w = await startInventoryWorld({
    twoMarketplaces: true,
    harness: {
      products: [...DEFAULT_PRODUCTS, { title: "Gift card", variants: [{ sku: "GIFT", price: 10, inventory: { Warehouse: 40 }, tracked: false }] }],
      connection: { safetyStockMode: "FIXED", safetyStockValue: 2 },
      mirakl: {
        offers: [
          { sku: "TOP-NAVY-M", quantity: 25, price: 39.95 },
          { sku: "TOP-NAVY-L", quantity: 3, price: 39.95 },
          { sku: "TOTE", quantity: 110, price: 19.95 },
          { sku: "GIFT", quantity: 40, price: 10 },
          { sku: "ORPHAN", quantity: 7, price: 5 },
        ],
      },
    },
  });
  const prisma = w.h.services.prisma;
  await prisma.marketplaceConnection.update({ where: { id: w.b!.connection.id }, data: { safetyStockMode: "PERCENT", safetyStockValue: 10 } });
  await w.reload(w.b!);
  await w.mapSkus(w.a.connection.id, ["TOP-NAVY-M", "TOP-NAVY-L", "TOTE", "GIFT"]);
  await prisma.skuMapping.create({ data: { connectionId: w.a.connection.id, offerSku: "ORPHAN", matchStatus: "UNMATCHED" } });
  await w.mapSkus(w.b!.connection.id, ["TOP-NAVY-M", "TOP-NAVY-L", "GIFT"]);
  await w.mapSkus(w.b!.connection.id, ["TOTE"], { safetyStockOverride: 50 });
});
afterAll(async () => {
  await w?.close();
});

describe("buffers and overrides", () => {
  it("gives each marketplace the documented numbers, never below zero, zero when untracked or unmapped", async () => {
    for (const m of w.marketplaces()) {
      await w.reconcile(m);
      await w.settleImports();
    }
    // A, FIXED 2: available − 2.
    expect(qty("a", "TOP-NAVY-M")).toBe(23);
    expect(qty("a", "TOP-NAVY-L")).toBe(1);
    expect(qty("a", "TOTE")).toBe(108);
    // GIFT: Shopify does not track it (the reconciliation read says so): offered 0. ORPHAN: no variant: 0.
    expect(qty("a", "GIFT")).toBe(0);
    expect(qty("a", "ORPHAN")).toBe(0);
    // B, PERCENT 10: available − ceil(10 % of it); TOTE's override makes it 50 %: 110 − 55.
    expect(qty("b", "TOP-NAVY-M")).toBe(22);
    expect(qty("b", "TOP-NAVY-L")).toBe(2);
    expect(qty("b", "TOTE")).toBe(55);
    expect(qty("b", "GIFT")).toBe(0);

    const prisma = w.h.services.prisma;
    expect(await prisma.skuMapping.findFirstOrThrow({ where: { connectionId: w.a.connection.id, offerSku: "GIFT" } })).toMatchObject({ tracked: false });
    const tote = await prisma.inventorySku.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId: w.b!.connection.id, offerSku: "TOTE" } } });
    expect(tote).toMatchObject({ computedQty: 55, pushedQty: 55, miraklQty: 55, lastDrift: 0, dirty: false });
  });

  it("a changed buffer recomputes every offer at the next tick, with no stock webhook at all", async () => {
    const prisma = w.h.services.prisma;
    await prisma.marketplaceConnection.update({ where: { id: w.a.connection.id }, data: { safetyStockMode: "HOLD_BACK_LAST", safetyStockValue: 3 } });
    await scheduleInventory({ services: w.h.services, connection: await w.reload(w.a), now: new Date() });
    await w.push(w.a);
    await w.settleImports();
    // HOLD_BACK_LAST 3: everything while more than 3 remain, 0 once only 3 or fewer do.
    expect(qty("a", "TOP-NAVY-M")).toBe(25);
    expect(qty("a", "TOP-NAVY-L")).toBe(0);
    expect(qty("a", "TOTE")).toBe(110);
    expect(qty("a", "GIFT")).toBe(0);
    const event = await prisma.syncEvent.findFirstOrThrow({ where: { entityId: w.a.connection.id, kind: "stock_rule_changed" } });
    expect(event.message).toMatch(/hold back the last 3/);
    // B's rule did not change: nothing was sent to it.
    const before = w.sto01Calls(w.b!);
    await scheduleInventory({ services: w.h.services, connection: await w.reload(w.b!), now: new Date() });
    await w.push(w.b!);
    expect(w.sto01Calls(w.b!)).toBe(before);
  });

  it("an override set on one SKU changes only that SKU when it is marked dirty", async () => {
    const prisma = w.h.services.prisma;
    await prisma.skuMapping.update({ where: { connectionId_offerSku: { connectionId: w.b!.connection.id, offerSku: "TOP-NAVY-M" } }, data: { safetyStockOverride: 0 } });
    await markSkusDirty({ prisma, connectionId: w.b!.connection.id, offerSkus: ["TOP-NAVY-M"], now: new Date() });
    await w.push(w.b!);
    const imp = await prisma.stockImport.findFirstOrThrow({ where: { connectionId: w.b!.connection.id }, orderBy: { submittedAt: "desc" } });
    expect(imp.lines).toEqual([{ offerSku: "TOP-NAVY-M", quantity: 25 }]);
    await w.settleImports();
    expect(qty("b", "TOP-NAVY-M")).toBe(25);
  });
});
