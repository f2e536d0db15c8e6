import { readFileSync, writeFileSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { expect, it } from "vitest";
import { DEMO_SHOP } from "../demo/catalogue";
import { screenshot } from "../support/browser";
import { withE2eStack } from "../support/e2e-stack";

/**
 * The SKU mapping journey in Chromium against the built app: the demo marketplace lists one offer Shopify does not
 * have (GHOST-JACKET); the merchant syncs offers, sees it first, maps it inline, exports the CSV and imports a CSV
 * with one bad row.
 */
let connectionId: string;

const e2e = withE2eStack({}, async (stack) => {
  stack.mirakl!.control.upsertOffer({ sku: "GHOST-JACKET", quantity: 4, price: 89, productTitle: "Waxed jacket (old SKU)" });
  connectionId = (await stack.app.services.prisma.marketplaceConnection.findFirstOrThrow({ where: { shop: DEMO_SHOP } })).id;
});

const rowOf = (sku: string) => e2e.page.locator(`[data-testid="sku-row"][data-sku="${sku}"]`);

it("syncs the marketplace's offers and lists the unmatched one first", async () => {
  await e2e.page.goto(`${e2e.stack.appUrl}/app/skus`);
  await e2e.page.getByRole("heading", { name: "SKU mapping" }).first().waitFor();
  await e2e.page.getByRole("button", { name: "Sync offers now" }).click();
  await e2e.page.getByText(/Offer sync queued|already queued or running/).waitFor();
  // The sync runs in the background worker; the page shows its result once it is stored.
  await expect.poll(async () => e2e.stack.app.services.prisma.skuMapping.count({ where: { connectionId } }), { timeout: 60_000, interval: 500 }).toBe(9);
  await e2e.page.reload();
  const first = e2e.page.locator('[data-testid="sku-row"]').first();
  await first.waitFor();
  expect(await first.getAttribute("data-sku")).toBe("GHOST-JACKET");
  expect(await first.getAttribute("data-status")).toBe("UNMATCHED");
  await e2e.page.getByText("8 matched").waitFor();
  await e2e.page.getByText("1 unmatched").waitFor();
  await screenshot(e2e.page, "sku-mapping-unmatched-first");
  expect(e2e.problems).toEqual([]);
});

it("maps the unmatched SKU inline from the variant suggestions", async () => {
  await rowOf("GHOST-JACKET").getByRole("button", { name: "Edit mapping of GHOST-JACKET" }).click();
  await e2e.page.getByLabel("Shopify SKU for offer GHOST-JACKET").fill("GILET");
  // Suggestions come from Shopify as one types; pick the olive gilet in M.
  const option = e2e.page.getByTestId("variant-options").getByRole("button", { name: /GILET-OLIVE-M/ });
  await option.waitFor();
  await option.click();
  await e2e.page.getByLabel("Safety stock (units)").fill("1");
  await e2e.page.getByRole("button", { name: "Save" }).click();
  await e2e.page.getByText(/GHOST-JACKET mapped to GILET-OLIVE-M/).waitFor();
  await expect.poll(async () => rowOf("GHOST-JACKET").getAttribute("data-status")).toBe("MATCHED");
  const saved = await e2e.stack.app.services.prisma.skuMapping.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId, offerSku: "GHOST-JACKET" } } });
  expect(saved).toMatchObject({ source: "MANUAL", matchStatus: "MATCHED", shopifySku: "GILET-OLIVE-M", safetyStockOverride: 1 });
  expect(saved.shopifyVariantId).toMatch(/^gid:\/\/shopify\/ProductVariant\/\d+$/);
  await e2e.page.getByText("9 matched").waitFor();
  await screenshot(e2e.page, "sku-mapping-mapped-inline");
  expect(e2e.problems).toEqual([]);
});

it("exports the mapping as CSV", async () => {
  const [download] = await Promise.all([e2e.page.waitForEvent("download"), e2e.page.getByRole("button", { name: "Export CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^sku-mapping-Joules-\d{4}-\d{2}-\d{2}\.csv$/);
  const file = await download.path();
  const text = readFileSync(file, "utf8").replace(/^\uFEFF/, "");
  const lines = text.trim().split(/\r\n/);
  expect(lines[0]).toBe("offer_sku,offer_title,shopify_sku,shopify_variant_id,status,safety_stock_override");
  expect(lines).toHaveLength(10);
  expect(lines.find((l) => l.startsWith("GHOST-JACKET,"))).toMatch(/^GHOST-JACKET,Waxed jacket \(old SKU\),GILET-OLIVE-M,gid:\/\/shopify\/ProductVariant\/\d+,MATCHED,1$/);
  expect(e2e.problems).toEqual([]);
});

it("imports a CSV, applies the good rows and shows the bad row's error with its row number", async () => {
  const dir = mkdtempSync(path.join(tmpdir(), "sku-csv-"));
  const file = path.join(dir, "mapping.csv");
  writeFileSync(file, ["offer_sku,shopify_sku,safety_stock_override", "BRETON-NAVY-S,BRETON-NAVY-S,3", "NOT-ON-JOULES,TOTE-CANVAS,", "TOTE-CANVAS,TOTE-CANVAS,5"].join("\r\n"));
  await e2e.page.locator('input[type="file"]').setInputFiles(file);
  await e2e.page.getByText("mapping.csv").waitFor();
  await e2e.page.getByRole("button", { name: "Import CSV" }).click();
  await e2e.page.getByText("2 rows applied, 0 unchanged, 1 with errors").waitFor();
  const errors = e2e.page.getByTestId("import-errors");
  await errors.getByText("Unknown offer SKU").waitFor();
  const errorRow = errors.locator("tbody tr").first();
  expect(await errorRow.locator("td, th").first().innerText()).toBe("3");
  expect(await errorRow.innerText()).toContain("NOT-ON-JOULES");
  const breton = await e2e.stack.app.services.prisma.skuMapping.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId, offerSku: "BRETON-NAVY-S" } } });
  expect(breton).toMatchObject({ safetyStockOverride: 3, matchStatus: "MATCHED" });
  const tote = await e2e.stack.app.services.prisma.skuMapping.findUniqueOrThrow({ where: { connectionId_offerSku: { connectionId, offerSku: "TOTE-CANVAS" } } });
  expect(tote.safetyStockOverride).toBe(5);
  await screenshot(e2e.page, "sku-mapping-csv-import-errors");
  expect(e2e.problems).toEqual([]);
});
