import { expect, it } from "vitest";
import type { MarketplaceConnection } from "@prisma/client";
import { DEMO_SHOP } from "../demo/catalogue";
import { screenshot } from "../support/browser";
import { withE2eStack } from "../support/e2e-stack";

/**
 * The marketplace screens in plain language: the list's acceptance column, the settings' escalation check and the
 * split between what Mirakl reported and what the merchant declares, the inventory page before any useful
 * reconciliation, and "Pause all sync" confirmed in a dialog that says what stops. The seed gives the demo
 * connection a 30-minute acceptance window and a 120-minute escalation: exactly the reviewed mistake.
 */
let connection: MarketplaceConnection;

const e2e = withE2eStack({}, async (stack) => {
  const demo = await stack.app.services.prisma.marketplaceConnection.findFirstOrThrow({ where: { shop: DEMO_SHOP } });
  // The reviewed mistake: a 30-minute window with an escalation 120 minutes before the deadline (the demo itself uses 10).
  connection = await stack.app.services.prisma.marketplaceConnection.update({ where: { id: demo.id }, data: { acceptanceWindowMinutes: 30, acceptanceEscalationMinutes: 120 } });
});

it("lists marketplaces with who accepts orders, in words", async () => {
  await e2e.page.goto(`${e2e.stack.appUrl}/app/connections`);
  await e2e.page.getByRole("columnheader", { name: "Acceptance" }).waitFor();
  expect(await e2e.page.getByRole("row", { name: /Joules/ }).textContent()).toContain("Accept automatically");
  expect(await e2e.page.getByRole("columnheader", { name: "Orders", exact: true }).count()).toBe(0);
  expect(e2e.problems).toEqual([]);
});

it("settings: refuses an escalation longer than the window, and keeps declared rules apart from Mirakl's", async () => {
  await e2e.page.goto(`${e2e.stack.appUrl}/app/connections/${connection.id}`);
  await e2e.page.getByText("What this marketplace allows").waitFor();
  const facts = (await e2e.page.locator(".Polaris-Layout__AnnotatedSection", { hasText: "What this marketplace allows" }).textContent()) ?? "";
  // PC01 does not report the partial rules on this marketplace: they are the merchant's, under "Your settings".
  expect(facts).not.toMatch(/Partial (acceptance|cancellation)/);
  expect(facts).not.toMatch(/PC01|SH21|SH12|RE01/);
  const yours = e2e.page.locator(".Polaris-Layout__AnnotatedSection", { hasText: "Your settings" });
  await yours.getByText("Mirakl does not report these rules").waitFor();
  await yours.getByLabel(/allows partial cancellation/).waitFor();
  await yours.getByLabel(/allows partial acceptance/).waitFor();

  // Shown as soon as the page opens (30-minute window, 120 minutes), and refused by the server if saved anyway.
  await e2e.page.getByText(/Must be less than the acceptance window \(30 minutes\)/).waitFor();
  await e2e.page.getByRole("button", { name: "Save settings" }).click();
  await e2e.page.getByText("Nothing was saved").waitFor();
  expect((await e2e.stack.app.services.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: connection.id } })).acceptanceEscalationMinutes).toBe(120);
  await screenshot(e2e.page, "settings-escalation-refused");

  await e2e.page.getByLabel("Escalate when this many minutes remain").fill("10");
  expect(await e2e.page.getByText(/Must be less than the acceptance window/).count()).toBe(0);
  await e2e.page.getByRole("button", { name: "Save settings" }).click();
  await e2e.page.getByText("Settings saved.").waitFor();
  expect((await e2e.stack.app.services.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: connection.id } })).acceptanceEscalationMinutes).toBe(10);
  expect(e2e.problems).toEqual([]);
});

it("inventory: no row of zeros before a useful reconciliation; pausing asks first and says orders stop too", async () => {
  await e2e.page.goto(`${e2e.stack.appUrl}/app/inventory/${connection.id}`);
  await e2e.page.getByRole("heading", { name: "Joules stock" }).first().waitFor();
  await e2e.page.getByText(/No reconciliation yet|Nothing to compare yet/).waitFor();
  expect(await e2e.page.getByText("Offers compared").count()).toBe(0);

  await e2e.page.getByRole("button", { name: "Pause all sync for Joules" }).click();
  const dialog = e2e.page.getByRole("dialog");
  await dialog.getByText("What stops until you resume").waitFor();
  const text = (await dialog.textContent()) ?? "";
  expect(text).toContain("Accepting new orders: Joules may refuse an order automatically");
  expect(text).toContain("(30 minutes in your settings)");
  expect(text).toMatch(/Importing Joules orders into Shopify.*Sending stock to Joules.*Sending tracking/s);
  expect(text).toContain("What carries on");
  await screenshot(e2e.page, "pause-all-sync-confirm");

  // "Keep syncing" changes nothing.
  await dialog.getByRole("button", { name: "Keep syncing" }).click();
  await dialog.waitFor({ state: "detached" });
  expect((await e2e.stack.app.services.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: connection.id } })).paused).toBe(false);

  await e2e.page.getByRole("button", { name: "Pause all sync for Joules" }).click();
  await e2e.page.getByRole("dialog").getByRole("button", { name: "Pause all sync for Joules" }).click();
  await e2e.page.getByText("All sync is paused for Joules").waitFor();
  expect((await e2e.stack.app.services.prisma.marketplaceConnection.findUniqueOrThrow({ where: { id: connection.id } })).paused).toBe(true);
  await e2e.page.getByRole("button", { name: "Resume sync" }).waitFor();
  expect(e2e.problems).toEqual([]);
});
