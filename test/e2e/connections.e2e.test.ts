import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import { startStack, type Stack } from "../demo/stack";
import { DEMO_MIRAKL_API_KEY } from "../demo/catalogue";
import { freePort, launchBrowser, newMerchantPage, screenshot, watchConsole } from "../support/browser";

let stack: Stack;
let browser: Browser;
let page: Page;
let problems: string[];

beforeAll(async () => {
  stack = await startStack({
    appPort: await freePort(),
    miraklPort: await freePort(),
    shopifyPort: await freePort(),
    databaseUrl: "pglite:memory",
    connect: false,
    logLevel: "warn",
  });
  browser = await launchBrowser();
  page = await newMerchantPage(browser);
  problems = watchConsole(page);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

it("signs in and opens the Connections screen", async () => {
  await page.goto(stack.signInUrl);
  await page.getByRole("link", { name: "Marketplaces" }).first().click();
  await page.waitForURL(/\/app\/connections/);
  await page.getByRole("heading", { name: "Marketplaces" }).first().waitFor();
  await page.getByText("Connect your first Mirakl marketplace").waitFor();
  expect(problems).toEqual([]);
});

it("refuses an invalid address and a wrong key with clear errors, keeping what was typed", async () => {
  await page.getByRole("link", { name: "Connect a marketplace" }).first().click();
  await page.waitForURL(/\/app\/connections\/new/);
  await page.getByLabel("Marketplace name").fill("Joules");
  await page.getByLabel("Mirakl address").fill("not a url");
  await page.getByLabel("API key").fill("some-key-123");
  await page.getByRole("button", { name: "Test connection" }).click();
  await page.getByText("Enter the marketplace's Mirakl address").waitFor();

  await page.getByLabel("Mirakl address").fill(stack.mirakl!.url);
  await page.getByLabel("API key").fill("wrong-key-0000");
  await page.getByRole("button", { name: "Test connection" }).click();
  await page.getByText("Could not connect").waitFor();
  await page.getByText(/API key/i).first().waitFor();
  expect(await page.getByLabel("Marketplace name").inputValue()).toBe("Joules");
  await screenshot(page, "connections-wrong-key");
  expect(problems).toEqual([]);
});

it("tests and saves a working connection, showing the shop name and the marketplace's rules", async () => {
  await page.getByLabel("API key").fill(DEMO_MIRAKL_API_KEY);
  await page.getByRole("button", { name: "Test connection" }).click();
  await page.getByText(/Connected to Demo Brand/).waitFor();
  await page.getByRole("button", { name: "Save" }).click();
  await page.waitForURL(/\/app\/connections\/[0-9a-f-]{36}/);
  await page.getByText("Marketplace connected").waitFor();
  await page.getByText("What this marketplace allows").waitFor();
  // The key is never sent back to the browser: only its last four characters.
  const html = await page.content();
  expect(html).not.toContain(DEMO_MIRAKL_API_KEY);
  expect(html).toContain(DEMO_MIRAKL_API_KEY.slice(-4));
  await screenshot(page, "connection-saved");

  await page.getByRole("button", { name: "Pause sync" }).click();
  await page.getByText("Sync is paused").waitFor();
  const saved = await stack.app.services.prisma.marketplaceConnection.findFirstOrThrow({ where: { name: "Joules" } });
  expect(saved.paused).toBe(true);
  expect(saved.miraklShopName).toBe("Demo Brand (Joules Marketplace)");
  expect(saved.apiKeyEncrypted).not.toContain(DEMO_MIRAKL_API_KEY);
  expect(problems).toEqual([]);
});
