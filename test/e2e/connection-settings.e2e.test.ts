import { afterAll, beforeAll, expect, it } from "vitest";
import type { Browser, Page } from "playwright-core";
import type { MarketplaceConnection } from "@prisma/client";
import { startStack, type Stack } from "../demo/stack";
import { DEMO_SHOP } from "../demo/catalogue";
import { freePort, launchBrowser, newMerchantPage, screenshot, watchConsole } from "../support/browser";
import { SYNC_SCHEDULE } from "../../app/sync/sync-schedule";

/**
 * The merchant changes how often a marketplace is checked: the polling and reconciliation intervals are saved and
 * still there after a reload; 30 seconds (below Mirakl's once a minute) is refused on the field and saves nothing.
 */
let stack: Stack;
let browser: Browser;
let page: Page;
let problems: string[];
let connection: MarketplaceConnection;

const POLL = SYNC_SCHEDULE.pollIntervalSeconds.label;
const RECONCILE = SYNC_SCHEDULE.reconcileIntervalMinutes.label;

beforeAll(async () => {
  stack = await startStack({ appPort: await freePort(), miraklPort: await freePort(), shopifyPort: await freePort(), databaseUrl: "pglite:memory", logLevel: "warn" });
  connection = await stack.app.services.prisma.marketplaceConnection.findFirstOrThrow({ where: { shop: DEMO_SHOP } });
  browser = await launchBrowser();
  page = await newMerchantPage(browser);
  problems = watchConsole(page);
});

afterAll(async () => {
  await browser?.close();
  await stack?.close();
});

/** What the screen shows once reopened: only what the database holds. */
async function expectAfterReload({ poll, reconcile }: { poll: string; reconcile: string }) {
  await page.reload();
  await page.getByRole("heading", { name: "Sync schedule" }).waitFor();
  expect(await page.getByLabel(POLL).inputValue()).toBe(poll);
  expect(await page.getByLabel(RECONCILE).inputValue()).toBe(reconcile);
}

const saved = () => stack.app.services.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: connection.id } });

it("shows every cadence in a Sync schedule section, with its limits explained", async () => {
  await page.goto(stack.signInUrl);
  await page.goto(`${stack.appUrl}/app/connections/${connection.id}`);
  await page.getByRole("heading", { name: "Sync schedule" }).waitFor();
  for (const [field, { label, help }] of Object.entries(SYNC_SCHEDULE)) {
    expect(await page.getByLabel(label).inputValue()).toBe(String(connection[field as keyof typeof SYNC_SCHEDULE]));
    await page.getByText(help).waitFor();
  }
  expect(problems).toEqual([]);
});

it("saves new polling and reconciliation intervals, which are still there after a reload", async () => {
  await page.getByLabel(POLL).fill("300");
  await page.getByLabel(RECONCILE).fill("60");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText("Settings saved.").waitFor();
  expect(await saved()).toMatchObject({ pollIntervalSeconds: 300, reconcileIntervalMinutes: 60 });

  await expectAfterReload({ poll: "300", reconcile: "60" });
  expect(problems).toEqual([]);
});

it("refuses 30 seconds on the field, keeps what was typed and saves nothing", async () => {
  await page.getByLabel(POLL).fill("30");
  await page.getByLabel(RECONCILE).fill("45");
  await page.getByRole("button", { name: "Save settings" }).click();
  await page.getByText(SYNC_SCHEDULE.pollIntervalSeconds.tooLow).waitFor();
  await page.getByText("Nothing was saved").waitFor();
  // The error is tied to the polling field (Polaris points the input at it with aria-describedby).
  const describedBy = (await page.getByLabel(POLL).getAttribute("aria-describedby")) ?? "";
  const descriptions = await Promise.all(describedBy.split(/\s+/).filter(Boolean).map((id) => page.locator(`[id="${id}"]`).textContent()));
  expect(descriptions.join(" ")).toContain(SYNC_SCHEDULE.pollIntervalSeconds.tooLow);
  expect(await page.getByLabel(POLL).inputValue()).toBe("30");
  await screenshot(page, "connection-settings-poll-refused");
  // Nothing means nothing: the valid reconciliation interval typed with it was not saved either.
  expect(await saved()).toMatchObject({ pollIntervalSeconds: 300, reconcileIntervalMinutes: 60 });

  await expectAfterReload({ poll: "300", reconcile: "60" });
  expect(problems).toEqual([]);
});
