import { expect, it } from "vitest";
import { DEMO_MIRAKL_API_KEY } from "../demo/catalogue";
import { screenshot } from "../support/browser";
import { withE2eStack } from "../support/e2e-stack";

const e2e = withE2eStack({ connect: false });

it("signs in and opens the Connections screen", async () => {
  await e2e.page.getByRole("link", { name: "Marketplaces" }).first().click();
  await e2e.page.waitForURL(/\/app\/connections/);
  await e2e.page.getByRole("heading", { name: "Marketplaces" }).first().waitFor();
  await e2e.page.getByText("Connect your first Mirakl marketplace").waitFor();
  expect(e2e.problems).toEqual([]);
});

it("refuses an invalid address and a wrong key with clear errors, keeping what was typed", async () => {
  await e2e.page.getByRole("link", { name: "Connect a marketplace" }).first().click();
  await e2e.page.waitForURL(/\/app\/connections\/new/);
  await e2e.page.getByLabel("Marketplace name").fill("Joules");
  await e2e.page.getByLabel("Mirakl address").fill("not a url");
  await e2e.page.getByLabel("API key").fill("some-key-123");
  await e2e.page.getByRole("button", { name: "Test connection" }).click();
  await e2e.page.getByText("Enter the marketplace's Mirakl address").waitFor();

  await e2e.page.getByLabel("Mirakl address").fill(e2e.stack.mirakl!.url);
  await e2e.page.getByLabel("API key").fill("wrong-key-0000");
  await e2e.page.getByRole("button", { name: "Test connection" }).click();
  await e2e.page.getByText("Could not connect").waitFor();
  await e2e.page.getByText(/API key/i).first().waitFor();
  expect(await e2e.page.getByLabel("Marketplace name").inputValue()).toBe("Joules");
  await screenshot(e2e.page, "connections-wrong-key");
  expect(e2e.problems).toEqual([]);
});

it("tests and saves a working connection, showing the shop name and the marketplace's rules", async () => {
  await e2e.page.getByLabel("API key").fill(DEMO_MIRAKL_API_KEY);
  await e2e.page.getByRole("button", { name: "Test connection" }).click();
  await e2e.page.getByText(/Connected to Demo Brand/).waitFor();
  await e2e.page.getByRole("button", { name: "Save" }).click();
  await e2e.page.waitForURL(/\/app\/connections\/[0-9a-f-]{36}/);
  await e2e.page.getByText("Marketplace connected").waitFor();
  await e2e.page.getByText("What this marketplace allows").waitFor();
  // The key is never sent back to the browser: only its last four characters.
  const html = await e2e.page.content();
  expect(html).not.toContain(DEMO_MIRAKL_API_KEY);
  expect(html).toContain(DEMO_MIRAKL_API_KEY.slice(-4));
  await screenshot(e2e.page, "connection-saved");

  await e2e.page.getByRole("button", { name: "Pause all sync for Joules" }).click();
  await e2e.page.getByRole("dialog").getByRole("button", { name: "Pause all sync for Joules" }).click();
  await e2e.page.getByText("Sync is paused").waitFor();
  const saved = await e2e.stack.app.services.prisma.marketplaceConnection.findFirstOrThrow({ where: { name: "Joules" } });
  expect(saved.paused).toBe(true);
  expect(saved.miraklShopName).toBe("Demo Brand (Joules Marketplace)");
  expect(saved.apiKeyEncrypted).not.toContain(DEMO_MIRAKL_API_KEY);
  expect(e2e.problems).toEqual([]);
});
