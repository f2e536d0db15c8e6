import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { MarketplaceConnection } from "@prisma/client";
import { startStack, type Stack } from "../demo/stack";
import { DEMO_SHOP } from "../demo/catalogue";
import { freePort, launchBrowser, newMerchantPage, screenshot, watchConsole } from "../support/browser";
import { createImportedOrder, type ImportedOrder } from "../support/imported-order-fixture";

/**
 * The carrier mapping journey: a fulfilment with a carrier the marketplace does not know is held; the merchant
 * follows the Task to the Carriers screen, picks the suggested carrier, and the held shipment goes out (workers
 * run in the stack, as in production).
 */
let stack: Stack;
let browser: Browser;
let page: Page;
let problems: string[];
let connection: MarketplaceConnection;
let order: ImportedOrder;

async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: last value ${JSON.stringify(v)}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  stack = await startStack({
    appPort: await freePort(),
    miraklPort: await freePort(),
    shopifyPort: await freePort(),
    databaseUrl: "pglite:memory",
    miraklPreset: "joules",
    logLevel: "warn",
  });
  const services = stack.app.services;
  connection = await services.prisma.marketplaceConnection.findFirstOrThrow({ where: { shop: DEMO_SHOP } });
  order = await createImportedOrder({ services, mirakl: stack.mirakl!, shop: DEMO_SHOP, connection }, { lines: [{ sku: "TOTE-CANVAS", quantity: 1 }] });
  stack.shopify.control.fulfill({ shop: DEMO_SHOP, orderId: order.shopifyOrderId, trackingCompany: "Royal Mail 24", trackingNumber: "RM123456785GB" });
  await until(
    "the fulfilment to be held",
    () => services.prisma.fulfillmentLink.findFirst({ where: { orderLinkId: order.orderLink.id } }),
    (l) => l?.status === "HELD",
  );
  browser = await launchBrowser();
  page = await newMerchantPage(browser);
  problems = watchConsole(page);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

it("the Task names the unknown carrier and leads to the Carriers screen", async () => {
  await page.goto(stack.signInUrl);
  await page.getByRole("link", { name: "Tasks" }).first().click();
  await page.waitForURL(/\/app\/tasks/);
  const row = page.getByTestId("task-row").filter({ hasText: 'map the carrier "Royal Mail 24"' });
  await row.waitFor();
  await row.getByText(/1 shipment is waiting/).waitFor();
  await row.getByRole("link", { name: "Map the carrier" }).click();
  await page.waitForURL(/\/app\/carriers\?connection=/);
  await page.getByRole("heading", { name: "Carriers" }).first().waitFor();
  expect(problems).toEqual([]);
});

it("shows the held shipment beside the marketplace's carriers, with suggestions", async () => {
  const row = page.locator('[data-testid="carrier-row"][data-carrier="royal mail 24"]');
  await row.getByText("Needs a carrier").waitFor();
  await row.getByText(`Joules order ${order.miraklOrderId}`, { exact: false }).waitFor();
  await row.getByText("tracking RM123456785GB", { exact: false }).waitFor();
  await row.getByRole("button", { name: "Royal Mail Tracked 24 (RM24)" }).waitFor();
  // The marketplace's own carrier list (SH21) is on the page.
  await page.getByRole("cell", { name: "Royal Mail Tracked 48" }).waitFor();
  await screenshot(page, "carriers-held");
  expect(problems).toEqual([]);
});

it("mapping the carrier sends the held shipment to Mirakl with the marketplace's code", async () => {
  const row = page.locator('[data-testid="carrier-row"][data-carrier="royal mail 24"]');
  await row.getByRole("button", { name: "Royal Mail Tracked 24 (RM24)" }).click();
  expect(await row.getByLabel("Carrier for Royal Mail 24").inputValue()).toBe("RM24");
  await row.getByRole("button", { name: "Save and send held shipments" }).click();
  await page.getByText("Saved: the held shipment is being sent as RM24.").waitFor();

  const shipped = await until(
    "Mirakl to confirm the shipment",
    async () => stack.mirakl!.control.getOrder(order.miraklOrderId)!,
    (o) => o.order_state === "SHIPPED",
  );
  expect(shipped).toMatchObject({ shipping_carrier_code: "RM24", shipping_tracking: "RM123456785GB" });

  await page.reload();
  const row2 = page.locator('[data-testid="carrier-row"][data-carrier="royal mail 24"]');
  await row2.getByText("Mapped", { exact: true }).waitFor();
  expect(await row2.getByText(/held/).count()).toBe(0);
  const task = await stack.app.services.prisma.task.findUniqueOrThrow({
    where: { shop_dedupeKey: { shop: DEMO_SHOP, dedupeKey: `unmapped-carrier:${connection.id}:royal mail 24` } },
  });
  expect(task.status).toBe("RESOLVED");
  await screenshot(page, "carriers-mapped");
  expect(problems).toEqual([]);
});

it("refuses a code the marketplace does not have, whatever the form says", async () => {
  const res = await page.evaluate(async (connectionId) => {
    const fd = new FormData();
    fd.set("intent", "save");
    fd.set("connectionId", connectionId);
    fd.set("shopifyCarrierName", "Royal Mail 24");
    fd.set("miraklCarrierCode", "UPS");
    const r = await fetch("/app/carriers?index&_data=routes%2Fapp.carriers._index", { method: "POST", body: fd });
    return r.json();
  }, connection.id);
  expect(res).toMatchObject({ fieldErrors: { miraklCarrierCode: "UPS is not one of Joules's carriers" } });
  const mapping = await stack.app.services.prisma.carrierMapping.findUniqueOrThrow({
    where: { connectionId_shopifyCarrierKey: { connectionId: connection.id, shopifyCarrierKey: "royal mail 24" } },
  });
  expect(mapping.miraklCarrierCode).toBe("RM24");
});
