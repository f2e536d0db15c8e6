import { readFileSync } from "node:fs";
import { expect, it } from "vitest";
import { seedDemoPayout } from "../demo/payouts";
import { DEMO_SHOP } from "../demo/catalogue";
import type { ImportedOrder } from "../support/imported-order-fixture";
import { screenshot } from "../support/browser";
import { withE2eStack } from "../support/e2e-stack";

/**
 * The Payouts journey in Chromium: a payout closed on the Mirakl simulator and read by the real payout sync,
 * listed per marketplace, opened with its orders matched to Shopify (and one Mirakl order that never reached
 * Shopify, flagged), then downloaded as CSV. The connection is paused so the order poller does not import the
 * flagged order behind the test's back.
 */
let imported: ImportedOrder[] = [];
let outsider = "";

const e2e = withE2eStack({}, async (stack) => {
  const prisma = stack.app.services.prisma;
  const connection = await prisma.marketplaceConnection.update({
    where: { shop_name: { shop: DEMO_SHOP, name: "Joules" } },
    data: { paused: true, pausedReason: "e2e: seeded payout" },
  });
  imported = await seedDemoPayout({
    services: stack.app.services,
    mirakl: stack.mirakl!,
    shop: DEMO_SHOP,
    connection,
    skus: ["BRETON-NAVY-M", "GILET-OLIVE-M"],
    notImported: ["WELLY-FLORAL-5"],
  });
  outsider = stack.mirakl!.control.listOrders().find((o) => !imported.some((i) => i.miraklOrderId === o.order_id))!.order_id;
});

const rowOf = (miraklOrderId: string) =>
  e2e.page.locator("tr", {
    has: e2e.page.locator(`[data-order="${miraklOrderId}"]`),
  });

it("lists the marketplace's payouts and opens one with its orders matched to Shopify and the flag", async () => {
  await e2e.page.goto(`${e2e.stack.appUrl}/app`);
  await e2e.page.getByRole("link", { name: "Payouts" }).first().click();
  await e2e.page.getByRole("heading", { name: "Payouts" }).first().waitFor();
  const link = e2e.page.getByTestId("payout-link");
  expect(await link.count()).toBe(1);
  await e2e.page.getByText("1 to check").waitFor();
  await e2e.page.getByText("To be paid").waitFor();
  await e2e.page.getByRole("columnheader", { name: "Amount", exact: true }).waitFor();
  await screenshot(e2e.page, "payouts-list");

  await link.click();
  await e2e.page.waitForURL(/\/app\/payouts\/[0-9a-f-]{36}$/);
  for (const o of imported) {
    const row = rowOf(o.miraklOrderId);
    await row.waitFor();
    const shopifyLink = row.getByRole("link", { name: o.shopifyOrderName });
    expect(await shopifyLink.getAttribute("href")).toMatch(/^https:\/\/admin\.shopify\.com\/store\/demo-brand\/orders\/\d+$/);
  }
  await rowOf(outsider).getByText("Not in Shopify").waitFor();
  await e2e.page.getByTestId("payout-flags").getByText(`Order ${outsider} has no Shopify order`).waitFor();
  await e2e.page.getByTestId("payout-totals").getByText("Commission").waitFor();
  // Mirakl's amount is not "paid" while the state says "To be paid"; "lines" is Mirakl's word, not the merchant's.
  await e2e.page.getByTestId("payout-totals").getByText("Payout amount").waitFor();
  await e2e.page.getByTestId("payout-totals").getByText("Transactions total").waitFor();
  await e2e.page.getByText(/^\d+ transactions?$/).waitFor();
  expect(await e2e.page.getByText(/Paid by Mirakl|Lines total|\d+ lines\b/).count()).toBe(0);
  await screenshot(e2e.page, "payout-detail");
  expect(e2e.problems).toEqual([]);
});

it("downloads the payout as CSV, one row per order", async () => {
  const [download] = await Promise.all([e2e.page.waitForEvent("download"), e2e.page.getByRole("button", { name: "Download CSV" }).click()]);
  expect(download.suggestedFilename()).toMatch(/^Joules-payout-[\w-]+\.csv$/);
  const lines = readFileSync(await download.path(), "utf8")
    .replace(/^\uFEFF/, "")
    .trim()
    .split("\r\n");
  expect(lines[0]).toBe(
    "payout_reference,payout_date,payout_state,marketplace,mirakl_order_id,shopify_order,matched,gross_sales,commission,refunds,commission_refunded,fees_and_other,net_paid,currency"
  );
  expect(lines).toHaveLength(4);
  // The payout's own reference (not the screen's "no. …" title) and the state in the screen's words.
  const payout = await e2e.stack.app.services.prisma.payout.findFirstOrThrow({});
  const reference = payout.payOutReference ?? payout.voucherNumber ?? payout.miraklCycleId;
  for (const l of lines.slice(1)) expect(l.startsWith(`${reference},`) && l.split(",")[2] === "To be paid").toBe(true);
  for (const o of imported)
    expect(lines.find((l) => l.includes(`,${o.miraklOrderId},`))).toMatch(
      new RegExp(`,${o.shopifyOrderName},yes,\\d+\\.\\d\\d,-\\d+\\.\\d\\d,0\\.00,0\\.00,0\\.00,\\d+\\.\\d\\d,GBP$`)
    );
  expect(lines.find((l) => l.includes(`,${outsider},`))).toMatch(/,,no,/);
  expect(e2e.problems).toEqual([]);
});
