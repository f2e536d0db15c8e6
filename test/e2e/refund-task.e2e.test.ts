import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { MarketplaceConnection } from "@prisma/client";
import { startStack, type Stack } from "../demo/stack";
import { DEMO_SHOP } from "../demo/catalogue";
import { freePort, launchBrowser, newMerchantPage, screenshot, watchConsole } from "../support/browser";
import { createImportedOrder, type ImportedOrder } from "../support/adjustments-fixture";

/**
 * CX works a Mirakl refund task in Chromium: a refund made in Shopify on an imported marketplace order becomes a task
 * in the Tasks inbox; CX follows it to the refund page, sees the Shopify refund beside what Mirakl would refund,
 * picks a reason from the marketplace's RE01 list, sends it, and sees "Sent"; the Mirakl simulator holds the refund.
 */
let stack: Stack;
let browser: Browser;
let page: Page;
let problems: string[];
let connection: MarketplaceConnection;
let order: ImportedOrder;

async function waitFor<T>(what: string, fn: () => Promise<T | null | undefined>, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  stack = await startStack({
    appPort: await freePort(),
    miraklPort: await freePort(),
    shopifyPort: await freePort(),
    databaseUrl: "pglite:memory",
    connect: true,
    logLevel: "warn",
  });
  const services = stack.app.services;
  connection = await services.prisma.marketplaceConnection.findFirstOrThrow({ where: { shop: DEMO_SHOP } });
  order = await createImportedOrder(
    { services, shop: DEMO_SHOP, connection, mirakl: stack.mirakl!, shopify: stack.shopify },
    { lines: [{ sku: "BRETON-NAVY-M", quantity: 1 }, { sku: "TOTE-CANVAS", quantity: 1 }], state: "SHIPPED" },
  );
  // The customer sends the tote back; CX refunds it in Shopify with the shipping.
  stack.shopify.control.refund({ shop: DEMO_SHOP, orderId: order.shopifyOrderId, lines: [{ lineItemId: order.lineItems["TOTE-CANVAS"]!, quantity: 1, restockType: "RETURN" }], fullShipping: true, amount: "23.90" });
  await stack.shopify.control.flushWebhooks();
  await waitFor("the Mirakl refund task", () => services.prisma.task.findFirst({ where: { shop: DEMO_SHOP, kind: "mirakl_refund", status: "OPEN" } }));
  browser = await launchBrowser();
  page = await newMerchantPage(browser);
  problems = watchConsole(page);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

it("CX follows the refund task from the Tasks inbox, picks a reason, sends it and sees Sent; Mirakl holds the refund", async () => {
  await page.goto(stack.signInUrl);
  await page.getByRole("link", { name: "Tasks" }).first().click();
  await page.waitForURL(/\/app\/tasks/);
  const row = page.getByTestId("task-row").filter({ hasText: `Refund ${order.shopifyOrderName} on Joules` });
  await row.waitFor();
  await row.getByText("does not refund the marketplace").waitFor();
  await screenshot(page, "refund-task-inbox");
  await row.getByRole("button", { name: "Review the Mirakl refund" }).click();
  await page.waitForURL(/\/app\/refunds\/[0-9a-f-]{36}$/);

  // The Shopify refund beside what Mirakl would refund, per line.
  await page.getByRole("heading", { name: "Shopify refund and what Mirakl would refund" }).waitFor();
  const tote = order.order.order_lines.find((l) => l.offer_sku === "TOTE-CANVAS")!;
  const top = order.order.order_lines.find((l) => l.offer_sku === "BRETON-NAVY-M")!;
  await page.getByRole("rowheader", { name: /Canvas tote/ }).first().waitFor();
  await screenshot(page, "refund-task-page");
  await page.getByText(`Mirakl: £${(tote.price + (top.shipping_price ?? 0)).toFixed(2)}`).waitFor();
  // Nothing can be sent before a reason is chosen.
  expect(await page.getByRole("button", { name: "Send refund to Mirakl" }).isDisabled()).toBe(true);

  // Reasons are the marketplace's RE01 REFUND reasons the shop may use (the operator-only one is not offered).
  const options = await page.getByLabel("Refund reason").locator("option").allTextContents();
  expect(options).toContain("Item returned");
  expect(options).not.toContain("Goodwill gesture granted by the operator");
  await page.getByLabel("Refund reason").selectOption({ label: "Item returned" });
  await page.getByRole("button", { name: "Send refund to Mirakl" }).click();
  await page.getByTestId("refund-result").filter({ hasText: "Refund sent to Mirakl" }).waitFor();
  await page.getByText("Sent", { exact: true }).first().waitFor();
  await screenshot(page, "refund-task-sent");

  const mirakl = stack.mirakl!.control.getOrder(order.miraklOrderId)!;
  const lines = mirakl.order_lines as unknown as Array<{ offer_sku: string; refunds: Array<{ amount: number; shipping_amount: number; reason_code: string }> }>;
  const toteRefunds = lines.find((l) => l.offer_sku === "TOTE-CANVAS")!.refunds;
  const topRefunds = lines.find((l) => l.offer_sku === "BRETON-NAVY-M")!.refunds;
  expect(toteRefunds).toEqual([expect.objectContaining({ amount: tote.price, shipping_amount: 0, reason_code: "17" })]);
  expect(topRefunds).toEqual([expect.objectContaining({ amount: 0, shipping_amount: top.shipping_price, reason_code: "17" })]);
  const rr = await stack.app.services.prisma.refundRequest.findFirstOrThrow({ where: { orderLinkId: order.link.id } });
  expect(rr.status).toBe("SENT");

  // The Refunds list files it under "Sent".
  await page.goto(`${stack.appUrl}/app/refunds?status=sent`);
  const listed = page.getByRole("row").filter({ hasText: order.shopifyOrderName });
  await listed.waitFor();
  await listed.getByText("Sent").waitFor();
  await screenshot(page, "refund-list-sent");

  // The task is gone from the inbox.
  await page.getByRole("link", { name: "Tasks" }).first().click();
  await page.waitForURL(/\/app\/tasks/);
  await page.getByRole("heading", { name: "Tasks" }).first().waitFor();
  expect(await page.getByTestId("task-row").filter({ hasText: `Refund ${order.shopifyOrderName} on Joules` }).count()).toBe(0);
  expect(problems).toEqual([]);
});
