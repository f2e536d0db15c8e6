import { expect, it } from "vitest";
import type { MarketplaceConnection } from "@prisma/client";
import { DEMO_SHOP } from "../demo/catalogue";
import { screenshot } from "../support/browser";
import { withE2eStack } from "../support/e2e-stack";
import { waitFor } from "../support/orders";
import { heldOrderTask } from "../../app/sync/orders/order-tasks";
import { shopTimeZone } from "../../app/sync/shops.server";

/**
 * The merchant works the Tasks inbox and the Overview in Chromium: the Overview counts an order held for a decision
 * and says when the next one is refused automatically; a held-order task is dismissed only after a confirmation
 * that says the order will still be refused, and comes back with Reopen; a failed background job reads in plain
 * words and Retry runs it again. Task rows keep the title on its own line and the buttons in one row.
 */
let connection: MarketplaceConnection;
const HELD = "E2E-HELD-1";
const HOURS_LEFT = 5;

const e2e = withE2eStack({ connect: true }, async (stack) => {
  const services = stack.app.services;
  connection = await services.prisma.marketplaceConnection.findFirstOrThrow({ where: { shop: DEMO_SHOP } });
  const now = new Date();
  // Far enough from the deadline that the escalation job leaves it a warning during the test.
  const link = await services.prisma.orderLink.create({
    data: {
      connectionId: connection.id,
      shop: DEMO_SHOP,
      miraklOrderId: HELD,
      miraklState: "WAITING_ACCEPTANCE",
      miraklLastUpdated: now,
      miraklCreatedAt: now,
      acceptanceDeadline: new Date(now.getTime() + HOURS_LEFT * 3_600_000),
      acceptanceStatus: "HELD",
      importStatus: "WAITING",
      holdReason: "UNMAPPED_SKU: SKU SCARF-RED is not linked to any Shopify product",
      snapshot: {},
    },
  });
  // Raised as the acceptance flow does: its deadline in the shop's zone.
  await services.tasks.raise(heldOrderTask({ connection, link, summary: "SKU SCARF-RED is not linked to any Shopify product", now, escalated: false, timeZone: await shopTimeZone(services.prisma, DEMO_SHOP) }));
  await services.tasks.raiseJobFailure({ jobName: "connection.refresh-settings", payload: { shop: DEMO_SHOP, connectionId: connection.id }, error: "Mirakl answered 503 three times" });
});

it("the Overview counts the held order, links to the Orders screen's Needs attention list and counts down to its refusal", async () => {
  const page = e2e.page;
  await page.goto(`${e2e.stack.appUrl}/app`);
  const card = page.getByTestId("marketplace-card").filter({ hasText: "Joules" });
  await card.waitFor();
  await card.getByTestId("next-auto-refusal").filter({ hasText: /^Next auto-refusal in 4 h 5\d min$/ }).waitFor();
  await screenshot(page, "tasks-inbox-overview");
  const link = card.getByTestId("needs-attention-link");
  expect(await link.textContent()).toMatch(/^\d+ orders? needs? attention$/);
  await link.click();
  await page.waitForURL(/\/app\/orders\?.*status=needs_attention/);
  await page.getByText(HELD).first().waitFor();
  expect(e2e.problems).toEqual([]);
});

it("dismissing a held-order task asks first, says the order is still refused, and Reopen brings it back", async () => {
  const page = e2e.page;
  await page.goto(`${e2e.stack.appUrl}/app/tasks`);
  const row = page.getByTestId("task-row").filter({ hasText: `Accept or refuse Joules order ${HELD}` });
  await row.waitFor();
  expect(await row.textContent()).toContain("To review");
  expect(await row.textContent()).not.toMatch(/\bwarning\b|\bcritical\b/);
  // Dates read in the demo shop's zone (Europe/London: "GMT", or "GMT+1" in summer), never UTC.
  expect(await row.textContent()).toMatch(/Raised \d{1,2} [A-Z][a-z]{2} \d{4}, \d{2}:\d{2} GMT/);
  expect(await row.textContent()).not.toContain("UTC");

  // Layout: the title spans the row above the buttons, which sit on one line.
  const title = row.getByRole("heading", { name: `Accept or refuse Joules order ${HELD}` });
  const buttons = [row.getByRole("button", { name: "Review order" }), row.getByRole("button", { name: "Dismiss" })];
  const titleBox = (await title.boundingBox())!;
  const rowBox = (await row.boundingBox())!;
  const boxes = await Promise.all(buttons.map(async (b) => (await b.boundingBox())!));
  expect(titleBox.width).toBeGreaterThan(rowBox.width * 0.3);
  for (const b of boxes) {
    expect(b.y).toBeGreaterThan(titleBox.y + titleBox.height - 1);
    expect(b.height).toBeLessThan(40); // one line of text, not wrapped
    expect(Math.abs(b.y - boxes[0]!.y)).toBeLessThan(2);
  }

  await row.getByRole("button", { name: "Dismiss" }).click();
  const dialog = page.getByRole("dialog");
  await dialog.getByText("Dismiss this task?").waitFor();
  expect(await dialog.getByTestId("dismiss-consequence").textContent()).toContain("Joules refuses it automatically");
  await screenshot(page, "tasks-inbox-dismiss-confirm");
  await dialog.getByRole("button", { name: "Keep it open" }).click();
  await dialog.waitFor({ state: "detached" });
  const task = await e2e.stack.app.services.prisma.task.findFirstOrThrow({ where: { shop: DEMO_SHOP, kind: "held_order", entityId: { not: null }, title: { contains: HELD } } });
  expect(task.status).toBe("OPEN");

  await row.getByRole("button", { name: "Dismiss" }).click();
  await page.getByRole("dialog").getByRole("button", { name: "Dismiss task" }).click();
  await row.waitFor({ state: "detached" });
  expect((await e2e.stack.app.services.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("DISMISSED");

  await page.getByRole("tab", { name: "Dismissed" }).click();
  const dismissed = page.getByTestId("task-row").filter({ hasText: HELD });
  await dismissed.getByText(/Dismissed .* by you/).waitFor();
  await dismissed.getByRole("button", { name: "Reopen" }).click();
  await dismissed.waitFor({ state: "detached" });
  expect((await e2e.stack.app.services.prisma.task.findUniqueOrThrow({ where: { id: task.id } })).status).toBe("OPEN");
  expect(e2e.problems).toEqual([]);
});

it("a failed background job reads in plain words and Retry runs it again, closing the task when it succeeds", async () => {
  const page = e2e.page;
  await page.goto(`${e2e.stack.appUrl}/app/tasks`);
  const row = page.getByTestId("task-row").filter({ hasText: "Couldn't refresh Joules's settings" });
  await row.waitFor();
  expect(await row.textContent()).not.toContain("connection.refresh-settings");
  await screenshot(page, "tasks-inbox-job-failed");
  await row.getByRole("button", { name: "Retry" }).click();
  // Said above the list: the row itself leaves the Open tab as soon as the run succeeds.
  const notice = page.getByTestId("task-action-result");
  await notice.waitFor();
  expect(await notice.textContent()).toMatch(/Queued to run again|already waiting/);
  // The workers run it against the simulator, which answers: the task resolves itself.
  await waitFor("the retried job to resolve its task", () => e2e.stack.app.services.prisma.task.findFirst({ where: { shop: DEMO_SHOP, kind: "job_failed", status: "RESOLVED", resolvedBy: "retry" } }), { timeoutMs: 60_000 });
  await page.getByRole("tab", { name: "Resolved" }).click();
  await page.getByTestId("task-row").filter({ hasText: "Couldn't refresh Joules's settings" }).getByText(/when it was run again/).waitFor();
  await screenshot(page, "tasks-inbox-retried");
  expect(e2e.problems).toEqual([]);
});
