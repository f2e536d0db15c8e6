import { expect, it } from "vitest";
import type { MarketplaceConnection } from "@prisma/client";
import { DEMO_SHOP, DEMO_SKUS } from "../demo/catalogue";
import { screenshot } from "../support/browser";
import { withE2eStack } from "../support/e2e-stack";
import { findVariantsBySkus } from "../../app/shopify";
import { setConnectionPaused } from "../../app/sync/connections.server";
import { inventoryReconcileJob } from "../../app/jobs/inventory-jobs.server";

/**
 * The merchant's inventory journey: a marketplace shows a wrong quantity for one offer; the Inventory screen lists
 * it with the computation it should follow; Resume + Reconcile now corrects it on Mirakl, and the screen clears.
 * The demo connection sells from both locations with a fixed buffer of 2.
 */
let connection: MarketplaceConnection;

const e2e = withE2eStack({}, async (stack) => {
  const { services } = stack.app;
  connection = await services.prisma.marketplaceConnection.findFirstOrThrow({ where: { shop: DEMO_SHOP } });
  // What the catalogue sync produces: every offer mapped to its variant.
  const variants = await findVariantsBySkus({ client: await services.shopifyAdmin(DEMO_SHOP), skus: DEMO_SKUS.map((v) => v.sku) });
  for (const [sku, [v]] of variants) {
    if (!v) throw new Error(`no variant for ${sku}`);
    await services.prisma.skuMapping.create({
      data: { connectionId: connection.id, offerSku: sku, shopifySku: sku, shopifyVariantId: v.id, shopifyInventoryItemId: v.inventoryItem.id, matchStatus: "MATCHED", source: "AUTO" },
    });
  }
  // Every offer shows what it should (stock − 2), except BRETON-NAVY-M, which an operator set to 5.
  for (const v of DEMO_SKUS) stack.mirakl!.control.setOfferQuantity(v.sku, v.sku === "BRETON-NAVY-M" ? 5 : v.stock[0] + v.stock[1] - 2);
  // Paused, a reconciliation records the difference without correcting it (and the scheduler leaves it alone).
  await setConnectionPaused({ services, shop: DEMO_SHOP, id: connection.id, paused: true });
  await services.jobs.runNow(inventoryReconcileJob, { shop: DEMO_SHOP, connectionId: connection.id, trigger: "test" });
});

it("lists each marketplace's stock health with its differences", async () => {
  await e2e.page.goto(`${e2e.stack.appUrl}/app/inventory`);
  await e2e.page.getByRole("heading", { name: "Inventory" }).first().waitFor();
  const row = e2e.page.getByRole("row", { name: /Joules/ });
  await row.waitFor();
  expect(await row.textContent()).toMatch(/Paused/);
  await row.click();
  await e2e.page.waitForURL(new RegExp(`/app/inventory/${connection.id}$`));
  expect(e2e.problems).toEqual([]);
});

it("shows the drifted offer with the computation it should follow", async () => {
  await e2e.page.getByRole("heading", { name: "Joules stock" }).first().waitFor();
  const drift = e2e.page.getByRole("row", { name: /BRETON-NAVY-M/ });
  await drift.waitFor();
  const text = (await drift.textContent()) ?? "";
  expect(text).toContain("London warehouse 55 + Leeds store 8 = 63 − buffer 2 → should show 61");
  expect(text).toContain("-56");
  expect(text).toContain("Waits for resume");
  await e2e.page.getByText("Sync is paused").waitFor();
  await screenshot(e2e.page, "inventory-drift");
  expect(e2e.problems).toEqual([]);
});

it("resumes, reconciles on demand, and the difference clears once Mirakl has applied the correction", async () => {
  await e2e.page.getByRole("button", { name: "Resume sync" }).click();
  await e2e.page.getByText("Sync resumed").waitFor();
  await e2e.page.getByRole("button", { name: "Reconcile now" }).click();
  await e2e.page.getByText(/Reconciliation started|already queued/).first().waitFor();
  // The page keeps itself current while the file is at Mirakl (STO01, then STO02 a few seconds later).
  await e2e.page.getByText("No differences: every offer shows what it should.").waitFor({ timeout: 90_000 });
  expect(e2e.stack.mirakl!.control.getOffers().find((o) => o.sku === "BRETON-NAVY-M")?.quantity).toBe(61);
  const row = await e2e.stack.app.services.prisma.inventorySku.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId: connection.id, offerSku: "BRETON-NAVY-M" } } });
  expect(row).toMatchObject({ lastDrift: 0, pushedQty: 61, miraklQty: 61, dirty: false });
  await e2e.page.getByText("Applied").first().waitFor();
  await screenshot(e2e.page, "inventory-cleared");
  expect(e2e.problems).toEqual([]);
});
