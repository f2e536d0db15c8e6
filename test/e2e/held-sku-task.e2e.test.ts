import { expect, it } from "vitest";
import type { MarketplaceConnection } from "@prisma/client";
import { DEMO_SHOP } from "../demo/catalogue";
import { screenshot } from "../support/browser";
import { withE2eStack } from "../support/e2e-stack";
import { waitFor } from "../support/orders";
import { heldOrderTask } from "../../app/sync/orders/order-tasks";

/**
 * Review findings, in Chromium: a held order whose only problem is an unlinked SKU offers the fix itself ("Map
 * SCARF-RED", to the SKU screen filtered to it); the Carrier mapping screen is named as in the menu and shows no
 * Mirakl operation codes or internal carrier codes; an order shipped before the connector saw it is under "Handled
 * elsewhere", not "Cancelled".
 */
let connection: MarketplaceConnection;
const HELD = "E2E-SCARF-1";
const SHIPPED_BEFORE = "E2E-SHIPPED-BEFORE-1";

const e2e = withE2eStack({ miraklPreset: "joules" }, async (stack) => {
  const services = stack.app.services;
  // The marketplace's carrier list arrives with its settings, read in the background after connecting.
  connection = await waitFor("the marketplace's carriers", async () => {
    const c = await services.prisma.marketplaceConnection.findFirstOrThrow({ where: { shop: DEMO_SHOP } });
    return Array.isArray(c.carriers) && c.carriers.length > 0 && c;
  });
  const now = new Date();
  const base = { connectionId: connection.id, shop: DEMO_SHOP, miraklLastUpdated: now, miraklCreatedAt: now, snapshot: {} };
  const link = await services.prisma.orderLink.create({
    data: {
      ...base,
      miraklOrderId: HELD,
      miraklState: "WAITING_ACCEPTANCE",
      acceptanceDeadline: new Date(now.getTime() + 5 * 3_600_000),
      acceptanceStatus: "HELD",
      importStatus: "WAITING",
      holdReason: "LINES_FAILING: SKU SCARF-RED is not linked to any Shopify product",
      acceptanceDecision: [{ orderLineId: `${HELD}-1`, offerSku: "SCARF-RED", quantity: 1, accepted: null, reason: "SKU SCARF-RED is not linked to any Shopify product", check: "unmapped" }],
    },
  });
  await services.tasks.raise(heldOrderTask({ connection, link, summary: "SKU SCARF-RED is not linked to any Shopify product", now, escalated: false }));
  await services.prisma.orderLink.create({
    data: { ...base, miraklOrderId: SHIPPED_BEFORE, miraklState: "SHIPPED", acceptanceStatus: "ACCEPTED", importStatus: "NOT_IMPORTED", holdReason: "BEFORE_CONNECTOR: Shipped before Mirakl Connector saw it — not imported" },
  });
});

it("the held-order task of an unlinked SKU leads to that SKU on the SKU mapping screen", async () => {
  const page = e2e.page;
  await page.goto(`${e2e.stack.appUrl}/app/tasks`);
  const row = page.getByTestId("task-row").filter({ hasText: `Accept or refuse Joules order ${HELD}` });
  await row.waitFor();
  expect(await row.textContent()).toContain("mapping releases the order automatically");
  await screenshot(page, "held-sku-task");
  await row.getByRole("link", { name: "Map SCARF-RED" }).click();
  await page.waitForURL(/\/app\/skus\?.*q=SCARF-RED/);
  expect(await page.getByPlaceholder("Search offer SKU, title or Shopify SKU").inputValue()).toBe("SCARF-RED");
  expect(e2e.problems).toEqual([]);
});

it("the Carrier mapping screen has the menu's name and no operation codes or internal codes", async () => {
  const page = e2e.page;
  await page.goto(`${e2e.stack.appUrl}/app/carriers`);
  await page.getByRole("heading", { name: "Carrier mapping", exact: true }).first().waitFor();
  await page.getByRole("cell", { name: "Royal Mail Tracked 48" }).waitFor();
  // What the merchant sees: innerText, not textContent (which also holds the page's inline scripts and loader data).
  const text = await page.locator("body").innerText();
  expect(text).not.toMatch(/SH21|PC01|Standard code|ROYAL_MAIL|HERMES|multi-shipment/);
  expect(e2e.problems).toEqual([]);
});

it("an order shipped before the connector saw it is Handled elsewhere, not Cancelled", async () => {
  const page = e2e.page;
  await page.goto(`${e2e.stack.appUrl}/app/orders?status=cancelled`);
  await page.getByRole("tab", { name: "Handled elsewhere" }).waitFor();
  await page.getByText(/No orders match|orders? · page/).first().waitFor();
  expect(await page.locator(`[data-order="${SHIPPED_BEFORE}"]`).count()).toBe(0);
  await page.getByRole("tab", { name: "Handled elsewhere" }).click();
  await page.waitForURL(/status=handled_elsewhere/);
  await page.locator(`[data-order="${SHIPPED_BEFORE}"]`).waitFor();
  await screenshot(page, "orders-handled-elsewhere");
  expect(e2e.problems).toEqual([]);
});
