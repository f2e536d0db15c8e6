import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { MarketplaceConnection } from "@prisma/client";
import { startHarness, type Harness } from "../support/harness";
import { catalogueSyncJob } from "../../app/jobs/catalogue-jobs.server";
import { catalogueSyncStatus, loadSkuScreen } from "../../app/sync/catalogue/sku-screen.server";
import { unmappedSkuTaskKey } from "../../app/sync/catalogue/mapping-effects.server";
import { skuSyncLine, skuTabCounts } from "../../app/sync/catalogue/sku-summary";
import { SKU_FILTERS } from "../../app/sync/catalogue/sku-filters";
import { connectionSettingsSchema, updateConnectionSettings } from "../../app/sync/connections.server";

/**
 * The marketplace settings and SKU mapping screens' server side against a real database and the simulators:
 * an escalation as long as the acceptance window is refused with the field named (nothing saved), and the SKU
 * screen's counts agree with what each tab lists, including a SKU that only an order brought in.
 */
const PRODUCTS = [
  { title: "Breton top", variants: [{ sku: "TOP-NAVY-M", price: 39.95, inventory: { Warehouse: 20 } }] },
  { title: "Canvas tote", variants: [{ sku: "TOTE", price: 19.95, inventory: { Warehouse: 100 } }] },
];
const OFFERS = [
  { sku: "TOP-NAVY-M", quantity: 20, price: 39.95, productTitle: "Breton top M" },
  { sku: "TOTE", quantity: 100, price: 19.95, productTitle: "Canvas tote" },
  { sku: "GHOST-1", quantity: 2, price: 12, productTitle: "Jacket (old SKU)" },
];

let h: Harness;
let connectionId: string;

beforeAll(async () => {
  h = await startHarness({ products: PRODUCTS, mirakl: { offers: OFFERS } });
  connectionId = h.connection!.id;
  await h.services.jobs.runNow(catalogueSyncJob, { shop: h.shop, connectionId });
});
afterAll(async () => {
  await h?.close();
});

/** What the settings form posts: every field of the schema as a string, from the connection as it is. */
function settingsForm(c: MarketplaceConnection, change: Record<string, string>) {
  const fields = Object.keys(connectionSettingsSchema.innerType().shape) as Array<keyof MarketplaceConnection>;
  const asPosted = (v: unknown) => (Array.isArray(v) ? v : typeof v === "boolean" ? (v ? "true" : "") : String(v ?? ""));
  return { ...Object.fromEntries(fields.map((f) => [f, asPosted(c[f])])), ...change };
}

describe("acceptance escalation", () => {
  it("refuses escalating when 120 minutes remain of a 30-minute window, and saves nothing", async () => {
    const before = await h.services.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: connectionId } });
    const r = await updateConnectionSettings({ services: h.services, shop: h.shop, id: connectionId, input: settingsForm(before, { acceptanceWindowMinutes: "30", acceptanceEscalationMinutes: "120" }) });
    expect(r.kind).toBe("invalid");
    expect(r.kind === "invalid" && r.fieldErrors).toEqual({ acceptanceEscalationMinutes: expect.stringMatching(/^Must be less than the acceptance window \(30 minutes\)/) });
    const equal = await updateConnectionSettings({ services: h.services, shop: h.shop, id: connectionId, input: settingsForm(before, { acceptanceWindowMinutes: "30", acceptanceEscalationMinutes: "30" }) });
    expect(equal.kind).toBe("invalid");
    expect(await h.services.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: connectionId } })).toMatchObject({
      acceptanceWindowMinutes: before.acceptanceWindowMinutes,
      acceptanceEscalationMinutes: before.acceptanceEscalationMinutes,
    });
  });

  it("saves an escalation inside the window", async () => {
    const before = await h.services.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: connectionId } });
    const r = await updateConnectionSettings({ services: h.services, shop: h.shop, id: connectionId, input: settingsForm(before, { acceptanceWindowMinutes: "30", acceptanceEscalationMinutes: "10" }) });
    expect(r.kind).toBe("updated");
    expect(await h.services.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: connectionId } })).toMatchObject({ acceptanceWindowMinutes: 30, acceptanceEscalationMinutes: 10 });
  });
});

describe("SKU mapping counts", () => {
  it("badges, tabs and the sync line agree, with a SKU only an order brought in", async () => {
    // An order for a SKU the marketplace did not list at the sync (as order SKU resolution stores it), holding it.
    await h.services.prisma.skuMapping.create({ data: { connectionId, offerSku: "SCARF-RED", source: "AUTO", matchStatus: "UNMATCHED" } });
    const raise = (sku: string) => h.services.tasks.raise({ shop: h.shop, connectionId, dedupeKey: unmappedSkuTaskKey(connectionId, sku), kind: "unmapped_sku", title: `Link SKU ${sku}`, body: "Orders wait." });
    await raise("SCARF-RED");
    // A Task left open for a SKU that is matched by now must not count as "holding orders": the tab does not list it.
    await raise("TOTE");

    const all = await loadSkuScreen({ services: h.services, shop: h.shop, connectionId, q: "", filter: "all", page: 1 });
    expect(all.counts).toMatchObject({ matched: 2, unmatched: 2, ambiguous: 0, ignored: 0, total: 4, holdingOrders: 1 });
    const tabs = skuTabCounts(all.counts);
    for (const filter of SKU_FILTERS) {
      const listed = await loadSkuScreen({ services: h.services, shop: h.shop, connectionId, q: "", filter, page: 1 });
      expect({ filter, total: listed.total }).toEqual({ filter, total: tabs[filter] });
    }

    const sync = await catalogueSyncStatus({ services: h.services, connectionId });
    expect(sync).toMatchObject({ offersRead: 3, notInLastSync: 1 });
    expect(skuSyncLine(sync, "Joules", () => "today")).toBe(
      "Offers last synced today: 3 offers read from Joules. 1 offer was not in that read (seen only on an order since, or no longer listed on Joules).",
    );
  });
});
