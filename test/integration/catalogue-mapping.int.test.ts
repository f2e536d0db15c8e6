import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { catalogueSyncJob } from "../../app/jobs/catalogue-jobs.server";
import { ignoreSku, mapSku, resetSkuToAutomatic, setSafetyStockOverride, unmapSku } from "../../app/sync/catalogue/mapping.server";
import { exportMappingCsv, importMappingCsv } from "../../app/sync/catalogue/mapping-import.server";
import { loadSkuScreen } from "../../app/sync/catalogue/sku-screen.server";
import { unmappedSkuTaskKey } from "../../app/sync/catalogue/mapping-effects.server";
import { unmappedOffersTaskKey } from "../../app/sync/catalogue/sync-catalogue.server";
import { parseCsv } from "../../app/sync/catalogue/csv";

/**
 * Mapping by hand, by CSV, and what a mapping releases, against the Shopify simulator (variants are looked up over
 * HTTP) and a real database. Held orders are inserted directly so this does not depend on the order poller.
 */
const PRODUCTS = [
  { title: "Breton top", variants: [{ sku: "TOP-NAVY-M", price: 39.95, inventory: { Warehouse: 20 } }, { sku: "TOP-NAVY-L", price: 39.95, inventory: { Warehouse: 3 } }] },
  { title: "Canvas tote", variants: [{ sku: "TOTE", price: 19.95, inventory: { Warehouse: 100 } }] },
  { title: "Mug (dog)", variants: [{ sku: "MUG-DUP", price: 8.5, inventory: { Warehouse: 4 } }] },
  { title: "Mug (cat)", variants: [{ sku: "MUG-DUP", price: 8.5, inventory: { Warehouse: 6 } }] },
];
const OFFERS = [
  { sku: "TOP-NAVY-M", quantity: 20, price: 39.95, productTitle: "Breton top M" },
  { sku: "TOP-NAVY-L", quantity: 3, price: 39.95, productTitle: "Breton top L" },
  { sku: "TOTE", quantity: 100, price: 19.95, productTitle: "Canvas tote" },
  { sku: "MUG-DUP", quantity: 10, price: 8.5, productTitle: "Mug" },
  { sku: "GHOST-1", quantity: 2, price: 12, productTitle: "Jacket (old SKU)" },
  { sku: "GHOST-2", quantity: 5, price: 15, productTitle: "Scarf (old SKU)" },
  { sku: "GHOST-3", quantity: 1, price: 9, productTitle: "Socks (old SKU)" },
];

let h: Harness;
let connectionId: string;
const base = () => ({ services: h.services, shop: h.shop, connectionId });
const row = (offerSku: string) => h.services.prisma.skuMapping.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId, offerSku } } });

async function collectCsv(): Promise<string> {
  let text = "";
  for await (const chunk of exportMappingCsv(base())) text += chunk;
  return text;
}

beforeAll(async () => {
  h = await startHarness({ products: PRODUCTS, mirakl: { offers: OFFERS } });
  connectionId = h.connection!.id;
  await h.services.jobs.runNow(catalogueSyncJob, { shop: h.shop, connectionId });
});
afterAll(async () => {
  await h?.close();
});

describe("mapping by hand", () => {
  it("maps by typing a Shopify SKU, after checking the variant exists in Shopify", async () => {
    const res = await mapSku({ ...base(), offerSku: "GHOST-1", sku: "TOP-NAVY-L" });
    expect(res.kind).toBe("mapped");
    const top = h.catalogue.variants["TOP-NAVY-L"]!;
    expect(await row("GHOST-1")).toMatchObject({ source: "MANUAL", matchStatus: "MATCHED", shopifyVariantId: top.variantId, shopifyInventoryItemId: top.inventoryItemId, shopifySku: "TOP-NAVY-L" });
    const events = await h.services.prisma.syncEvent.findMany({ where: { entityType: "sku", entityId: (await row("GHOST-1")).id } });
    expect(events.map((e) => e.message)).toEqual([expect.stringContaining("Mapped by hand to Shopify SKU TOP-NAVY-L")]);
    expect(await h.services.prisma.inventorySku.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId, offerSku: "GHOST-1" } } })).toMatchObject({ dirty: true });
    // The same mapping again changes nothing (and records nothing).
    expect((await mapSku({ ...base(), offerSku: "GHOST-1", sku: "TOP-NAVY-L" })).kind).toBe("unchanged");
  });

  it("explains what it cannot map: an unknown Shopify SKU, an ambiguous one, a deleted variant, an unknown offer", async () => {
    expect(await mapSku({ ...base(), offerSku: "GHOST-2", sku: "NOPE" })).toEqual({ kind: "unknown_sku", sku: "NOPE" });
    const amb = await mapSku({ ...base(), offerSku: "GHOST-2", sku: "MUG-DUP" });
    expect(amb.kind).toBe("ambiguous_sku");
    if (amb.kind !== "ambiguous_sku") return;
    expect(amb.candidates.map((c) => c.productTitle).sort()).toEqual(["Mug (cat)", "Mug (dog)"]);
    expect(await mapSku({ ...base(), offerSku: "GHOST-2", variantId: "gid://shopify/ProductVariant/987654321" })).toMatchObject({ kind: "variant_not_found" });
    expect(await mapSku({ ...base(), offerSku: "GHOST-2", variantId: "not-a-gid" })).toMatchObject({ kind: "variant_not_found" });
    expect(await mapSku({ ...base(), offerSku: "NOT-AN-OFFER", sku: "TOTE" })).toEqual({ kind: "unknown_offer", offerSku: "NOT-AN-OFFER" });
    expect(await row("GHOST-2")).toMatchObject({ matchStatus: "UNMATCHED", shopifyVariantId: null });

    // Picking one of the ambiguous candidates by id resolves it.
    const cat = amb.candidates.find((c) => c.productTitle === "Mug (cat)")!;
    const picked = await mapSku({ ...base(), offerSku: "MUG-DUP", variantId: cat.id });
    expect(picked.kind).toBe("mapped");
    expect(await row("MUG-DUP")).toMatchObject({ source: "MANUAL", matchStatus: "MATCHED", shopifyVariantId: cat.id });
  });

  it("unmaps and ignores for good (the daily auto-match does not undo it), and hands a SKU back to auto-matching", async () => {
    expect((await unmapSku({ ...base(), offerSku: "TOP-NAVY-M" })).kind).toBe("updated");
    expect((await ignoreSku({ ...base(), offerSku: "GHOST-3" })).kind).toBe("updated");
    await h.services.jobs.runNow(catalogueSyncJob, { shop: h.shop, connectionId });
    expect(await row("TOP-NAVY-M")).toMatchObject({ source: "MANUAL", matchStatus: "UNMATCHED", shopifyVariantId: null });
    expect(await row("GHOST-3")).toMatchObject({ source: "MANUAL", matchStatus: "IGNORED" });

    const back = await resetSkuToAutomatic({ ...base(), offerSku: "TOP-NAVY-M" });
    expect(back.kind).toBe("mapped");
    expect(await row("TOP-NAVY-M")).toMatchObject({ source: "AUTO", matchStatus: "MATCHED", shopifyVariantId: h.catalogue.variants["TOP-NAVY-M"]!.variantId });

    expect((await setSafetyStockOverride({ ...base(), offerSku: "TOTE", value: 4 })).kind).toBe("updated");
    expect((await setSafetyStockOverride({ ...base(), offerSku: "TOTE", value: 4 })).kind).toBe("unchanged");
    expect((await row("TOTE")).safetyStockOverride).toBe(4);
  });
});

describe("CSV export and import", () => {
  it("exports every offer, those needing a mapping first, and re-importing the export changes nothing", async () => {
    const text = await collectCsv();
    const recs = parseCsv(text);
    expect(recs[0]?.cells).toEqual(["offer_sku", "offer_title", "shopify_sku", "shopify_variant_id", "status", "safety_stock_override"]);
    const body = recs.slice(1).map((r) => r.cells);
    expect(body).toHaveLength(7);
    expect(body[0]).toEqual(["GHOST-2", "Scarf (old SKU)", "", "", "UNMATCHED", ""]);
    expect(body.find((c) => c[0] === "TOTE")).toEqual(["TOTE", "Canvas tote", "TOTE", h.catalogue.variants["TOTE"]!.variantId, "MATCHED", "4"]);
    expect(body[body.length - 1]).toEqual(["GHOST-3", "Socks (old SKU)", "", "", "IGNORED", ""]);

    const before = await h.services.prisma.skuMapping.findMany({ where: { connectionId }, orderBy: { offerSku: "asc" } });
    const again = await importMappingCsv({ ...base(), text });
    expect(again).toMatchObject({ kind: "imported", dataRows: 7, applied: 0, unchanged: 7, errors: [] });
    const after = await h.services.prisma.skuMapping.findMany({ where: { connectionId }, orderBy: { offerSku: "asc" } });
    expect(after.map((r) => [r.offerSku, r.source, r.matchStatus, r.shopifyVariantId])).toEqual(before.map((r) => [r.offerSku, r.source, r.matchStatus, r.shopifyVariantId]));
  });

  it("applies the valid rows and reports each invalid one with its row number", async () => {
    const text = [
      "offer_sku,offer_title,shopify_sku,shopify_variant_id,status,safety_stock_override",
      "GHOST-2,Scarf,TOTE,,,2", // row 2: valid, maps + override
      "NOT-AN-OFFER,,TOTE,,,", // row 3: unknown offer SKU
      "GHOST-3,,NO-SUCH-SKU,,,", // row 4: unknown Shopify SKU
      "TOP-NAVY-L,,MUG-DUP,,,", // row 5: ambiguous Shopify SKU
      "TOTE,,TOTE,,,lots", // row 6: malformed
      "GHOST-2,,TOP-NAVY-M,,,", // row 7: duplicate of row 2
      `GHOST-1,,,${h.catalogue.variants["TOP-NAVY-M"]!.variantId.replace("gid://shopify/ProductVariant/", "")},,1`, // row 8: valid, numeric variant id
    ].join("\r\n");
    const res = await importMappingCsv({ ...base(), text });
    if (res.kind !== "imported") throw new Error(JSON.stringify(res));
    expect(res.applied).toBe(2);
    expect(res.errors.map((e) => [e.row, e.code, e.offerSku])).toEqual([
      [3, "unknown_offer_sku", "NOT-AN-OFFER"],
      [4, "unknown_shopify_sku", "GHOST-3"],
      [5, "ambiguous_shopify_sku", "TOP-NAVY-L"],
      [6, "malformed_row", "TOTE"],
      [7, "duplicate_row", "GHOST-2"],
    ]);
    expect(res.errors.find((e) => e.row === 5)?.message).toMatch(/2 Shopify variants have SKU MUG-DUP/);
    expect(await row("GHOST-2")).toMatchObject({ source: "CSV", matchStatus: "MATCHED", shopifySku: "TOTE", safetyStockOverride: 2 });
    expect(await row("GHOST-1")).toMatchObject({ source: "CSV", matchStatus: "MATCHED", shopifySku: "TOP-NAVY-M", safetyStockOverride: 1 });
    // Rows in error changed nothing.
    expect(await row("TOP-NAVY-L")).toMatchObject({ source: "AUTO", matchStatus: "MATCHED", shopifySku: "TOP-NAVY-L" });
    expect(await row("GHOST-3")).toMatchObject({ matchStatus: "IGNORED" });
    expect(await row("TOTE")).toMatchObject({ safetyStockOverride: 4 });

    expect(await importMappingCsv({ ...base(), text: "sku;whatever\nA;B\n" })).toMatchObject({ kind: "invalid_file" });
  });
});

describe("what a mapping releases", () => {
  it("lists held orders and Tasks per unmapped SKU, first in the screen, and resolves them when the SKU is mapped", async () => {
    h.mirakl.control.upsertOffer({ sku: "GHOST-4", quantity: 2, price: 20, productTitle: "Belt (old SKU)" });
    await h.services.jobs.runNow(catalogueSyncJob, { shop: h.shop, connectionId });
    expect(await row("GHOST-4")).toMatchObject({ matchStatus: "UNMATCHED" });

    const now = new Date();
    const snapshot = { order_id: "HELD-1", order_state: "SHIPPING", order_lines: [{ order_line_id: "HELD-1-1", order_line_state: "SHIPPING", offer_sku: "GHOST-4", quantity: 1, price: 20 }] };
    const held = await h.services.prisma.orderLink.create({
      data: {
        connectionId,
        shop: h.shop,
        miraklOrderId: "HELD-1",
        miraklState: "SHIPPING",
        miraklLastUpdated: now,
        miraklCreatedAt: now,
        acceptanceStatus: "ACCEPTED",
        importStatus: "HELD",
        holdReason: "UNMAPPED_SKU: no Shopify variant has the SKU GHOST-4",
        snapshot,
      },
    });
    const waiting = await h.services.prisma.orderLink.create({
      data: {
        connectionId,
        shop: h.shop,
        miraklOrderId: "HELD-2",
        miraklState: "WAITING_ACCEPTANCE",
        miraklLastUpdated: now,
        miraklCreatedAt: now,
        acceptanceDeadline: new Date(now.getTime() + 25 * 60_000),
        acceptanceStatus: "HELD",
        importStatus: "WAITING",
        holdReason: "UNMAPPED_SKU: 1 line cannot be matched",
        acceptanceDecision: [{ orderLineId: "HELD-2-1", offerSku: "GHOST-4", quantity: 1, accepted: false, reason: "unmapped_sku" }],
        snapshot: { ...snapshot, order_id: "HELD-2", order_state: "WAITING_ACCEPTANCE" },
      },
    });
    await h.services.tasks.raise({ shop: h.shop, connectionId, dedupeKey: unmappedSkuTaskKey(connectionId, "GHOST-4"), kind: "unmapped_sku", title: "Link SKU GHOST-4", body: "2 orders wait." });

    const screen = await loadSkuScreen({ ...base(), q: "", filter: "all", page: 1 });
    expect(screen.rows[0]).toMatchObject({ offerSku: "GHOST-4", matchStatus: "UNMATCHED" });
    expect(screen.rows[0]!.heldOrders.map((o) => o.miraklOrderId).sort()).toEqual(["HELD-1", "HELD-2"]);
    expect(screen.rows[0]!.heldOrders.find((o) => o.miraklOrderId === "HELD-2")!.acceptanceDeadline).toBe(waiting.acceptanceDeadline!.toISOString());
    expect(screen.rows[0]!.tasks.map((t) => t.title)).toEqual(["Link SKU GHOST-4"]);
    expect(screen.counts).toMatchObject({ holdingOrders: 1, total: 8 });
    const holding = await loadSkuScreen({ ...base(), q: "", filter: "holding_orders", page: 1 });
    expect(holding.rows.map((r) => r.offerSku)).toEqual(["GHOST-4"]);

    const mapped = await mapSku({ ...base(), offerSku: "GHOST-4", sku: "TOTE" });
    expect(mapped.kind).toBe("mapped");
    const task = await h.services.prisma.task.findUniqueOrThrow({ where: { shop_dedupeKey: { shop: h.shop, dedupeKey: unmappedSkuTaskKey(connectionId, "GHOST-4") } } });
    expect(task).toMatchObject({ status: "RESOLVED", resolvedBy: "mapping" });
    // The orders flow took the held orders back: neither is held on GHOST-4 any more.
    const after = await h.services.prisma.orderLink.findMany({ where: { id: { in: [held.id, waiting.id] } } });
    for (const link of after) expect(link.holdReason ?? "").not.toMatch(/UNMAPPED_SKU/);
    expect(after.find((l) => l.id === held.id)!.importStatus).not.toBe("HELD");
    expect((await loadSkuScreen({ ...base(), q: "", filter: "holding_orders", page: 1 })).rows).toEqual([]);
  });

  it("searches, filters and pages the screen, and resolves the marketplace Task once nothing is left to map", async () => {
    const search = await loadSkuScreen({ ...base(), q: "scarf", filter: "all", page: 1 });
    expect(search.rows.map((r) => r.offerSku)).toEqual(["GHOST-2"]);
    const bySkuPart = await loadSkuScreen({ ...base(), q: "navy", filter: "matched", page: 1 });
    // GHOST-1 is found by its Shopify SKU (TOP-NAVY-M).
    expect(bySkuPart.rows.map((r) => r.offerSku).sort()).toEqual(["GHOST-1", "TOP-NAVY-L", "TOP-NAVY-M"]);
    expect((await loadSkuScreen({ ...base(), q: "100%_", filter: "all", page: 1 })).rows).toEqual([]);
    const ignored = await loadSkuScreen({ ...base(), q: "", filter: "ignored", page: 1 });
    expect(ignored.rows.map((r) => r.offerSku)).toEqual(["GHOST-3"]);

    // Every offer is now mapped or ignored: the marketplace-level Task resolves itself.
    const task = await h.services.prisma.task.findUniqueOrThrow({ where: { shop_dedupeKey: { shop: h.shop, dedupeKey: unmappedOffersTaskKey(connectionId) } } });
    expect(task.status).toBe("RESOLVED");

    // 120 more offers: page 3 of 3 holds the last ones, past-the-end pages clamp.
    for (let i = 0; i < 120; i++) h.mirakl.control.upsertOffer({ sku: `BULK-${String(i).padStart(3, "0")}`, quantity: 1, price: 1 });
    await h.services.jobs.runNow(catalogueSyncJob, { shop: h.shop, connectionId });
    const p1 = await loadSkuScreen({ ...base(), q: "", filter: "all", page: 1 });
    expect(p1).toMatchObject({ total: 128, pageCount: 3, page: 1 });
    expect(p1.rows[0]!.offerSku).toBe("BULK-000");
    const p3 = await loadSkuScreen({ ...base(), q: "", filter: "all", page: 99 });
    expect(p3.page).toBe(3);
    expect(p3.rows).toHaveLength(28);
    expect(p3.rows[p3.rows.length - 1]!.offerSku).toBe("GHOST-3");
    const reopened = await h.services.prisma.task.findUniqueOrThrow({ where: { shop_dedupeKey: { shop: h.shop, dedupeKey: unmappedOffersTaskKey(connectionId) } } });
    expect(reopened.status).toBe("OPEN");
  });

  it("marks a remapped SKU dirty by the inventory flow's rule: a waiting retry comes back to now, times only move forward", async () => {
    const stock = () => h.services.prisma.inventorySku.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId, offerSku: "TOTE" } } });
    // TOTE waits on a refused-line retry a quarter of an hour away (what import-status does to a line Mirakl refused).
    const retryAt = new Date(Date.now() + 15 * 60_000);
    await h.services.prisma.inventorySku.upsert({
      where: { connectionId_offerSku: { connectionId, offerSku: "TOTE" } },
      create: { connectionId, offerSku: "TOTE", dirty: true, dirtySince: retryAt },
      update: { dirty: true, dirtySince: retryAt },
    });
    // Unmapping is a real change: what Mirakl should show is due now, not after the retry delay.
    expect((await unmapSku({ ...base(), offerSku: "TOTE" })).kind).not.toBe("unchanged");
    const afterUnmap = await stock();
    expect(afterUnmap.dirty).toBe(true);
    expect(afterUnmap.dirtySince!.getTime()).toBeLessThanOrEqual(Date.now());

    // Mapped again while still dirty: dirtySince and updatedAt move strictly forward, so a push that read the row
    // before this change cannot clear it (its compare-and-clear no longer matches).
    expect((await mapSku({ ...base(), offerSku: "TOTE", sku: "TOTE" })).kind).toBe("mapped");
    const afterMap = await stock();
    expect(afterMap.dirty).toBe(true);
    expect(afterMap.dirtySince!.getTime()).toBeGreaterThan(afterUnmap.dirtySince!.getTime());
    expect(afterMap.updatedAt.getTime()).toBeGreaterThan(afterUnmap.updatedAt.getTime());
  });
});
