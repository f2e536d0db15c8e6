import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInventoryWorld, type InventoryWorld } from "../support/inventory-world";
import { refreshConnectionSettings } from "../../app/sync/connections.server";

/**
 * A marketplace whose operator set CSV files to commas (PC01 features.operator_csv_delimiter = COMMA). Mirakl reads
 * a STO01 file with that delimiter only: a `;` file there has no readable header and the whole import fails (see
 * inventory-failures for that case), so the push must write the tenant's delimiter, read at connect time and
 * refreshed daily. Shop: TOP-NAVY-M 20+5, TOP-NAVY-L 3+0, TOTE 100+10 (Warehouse + Store); buffer 0.
 */
let w: InventoryWorld;
const prisma = () => w.h.services.prisma;
const lastImport = () => prisma().stockImport.findFirstOrThrow({ where: { connectionId: w.a.connection.id }, orderBy: { submittedAt: "desc" } });
const setStock = (offerSku: string, location: string, set: number) => w.h.shopify.control.adjustStock({ shop: w.h.shop, sku: offerSku, location, set });
/** Webhooks, then the push (the queued one when a slow machine let its debounce run out inside the drain), then Mirakl. */
async function pushAndSettle(): Promise<void> {
  await w.deliverWebhooks();
  await w.push(w.a);
  await w.settleImports();
}

beforeAll(async () => {
  w = await startInventoryWorld({ harness: { mirakl: { tenant: { csvDelimiter: "," } } } });
  await w.mapSkus(w.a.connection.id);
  await w.reconcile(w.a);
});
afterAll(async () => {
  await w?.close();
});

describe("STO01 in the marketplace's CSV delimiter", () => {
  it("a COMMA marketplace gets a comma file and applies it", async () => {
    // The connect flow stored PC01's answer.
    expect(w.a.connection.platformConfig).toMatchObject({ features: { operator_csv_delimiter: "COMMA" }, summary: { operatorCsvDelimiter: "COMMA" } });
    const before = w.sto01Calls(w.a);
    setStock("TOP-NAVY-M", "Warehouse", 12);
    setStock("TOTE", "Store", 0);
    await pushAndSettle();

    expect(w.sto01Calls(w.a)).toBe(before + 1);
    expect(await lastImport()).toMatchObject({ status: "COMPLETE", lineCount: 2, linesInError: 0 });
    expect(w.miraklQty(w.a, "TOP-NAVY-M")).toBe(17);
    expect(w.miraklQty(w.a, "TOTE")).toBe(100);
    const sku = await prisma().inventorySku.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId: w.a.connection.id, offerSku: "TOP-NAVY-M" } } });
    expect(sku).toMatchObject({ dirty: false, pushedQty: 17, miraklQty: 17 });
  });

  it("follows the operator's switch back to semicolons once the daily settings refresh has read it", async () => {
    w.a.sim.control.configure({ csvDelimiter: ";" });
    const refreshed = await refreshConnectionSettings({ services: w.h.services, connection: await w.reload(w.a) });
    expect(refreshed).toMatchObject({ kind: "refreshed" });
    expect((await w.reload(w.a)).platformConfig).toMatchObject({ features: { operator_csv_delimiter: "SEMICOLON" } });

    setStock("TOP-NAVY-L", "Warehouse", 1);
    await pushAndSettle();
    expect(await lastImport()).toMatchObject({ status: "COMPLETE", linesInError: 0, lines: [{ offerSku: "TOP-NAVY-L", quantity: 1 }] });
    expect(w.miraklQty(w.a, "TOP-NAVY-L")).toBe(1);
  });
});
