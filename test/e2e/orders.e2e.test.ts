import { expect, it } from "vitest";
import type { Prisma } from "@prisma/client";
import { DEMO_SHOP } from "../demo/catalogue";
import { screenshot } from "../support/browser";
import { withE2eStack } from "../support/e2e-stack";

/**
 * The Orders journey in Chromium: a held order with a live acceptance countdown and its timeline, next to an imported
 * order linking to the Shopify admin. Order rows are seeded directly (the connection is paused so no poller touches
 * them); their snapshots are real OR11 payloads from the Mirakl simulator.
 */
const ids = { held: "", imported: "" };
let heldOrderId = "";
let importedOrderId = "";

const e2e = withE2eStack({}, async (stack) => {
  const prisma = stack.app.services.prisma;
  const connection = await prisma.marketplaceConnection.update({ where: { shop_name: { shop: DEMO_SHOP, name: "Joules" } }, data: { paused: true, pausedReason: "e2e: seeded orders" } });
  stack.mirakl!.control.upsertOffer({ sku: "GHOST-JACKET", quantity: 4, price: 89, productTitle: "Waxed jacket (old SKU)" });
  const held = stack.mirakl!.control.createOrder({ lines: [{ offerSku: "BRETON-NAVY-M", quantity: 2 }, { offerSku: "GHOST-JACKET", quantity: 1, unitPrice: 89, productTitle: "Waxed jacket" }] });
  const imported = stack.mirakl!.control.createOrder({ lines: [{ offerSku: "TOTE-CANVAS", quantity: 1 }] });
  heldOrderId = held.order_id;
  importedOrderId = imported.order_id;
  const now = Date.now();
  const heldLink = await prisma.orderLink.create({
    data: {
      connectionId: connection.id,
      shop: DEMO_SHOP,
      miraklOrderId: held.order_id,
      miraklCommercialId: typeof held.commercial_id === "string" ? held.commercial_id : null,
      miraklState: "WAITING_ACCEPTANCE",
      miraklLastUpdated: new Date(now - 60_000),
      miraklCreatedAt: new Date(now - 5 * 60_000),
      acceptanceDeadline: new Date(now + 25 * 60_000),
      acceptanceStatus: "HELD",
      importStatus: "WAITING",
      holdReason: "UNMAPPED_SKU: no Shopify variant has the SKU GHOST-JACKET",
      acceptanceDecision: [
        { orderLineId: `${held.order_id}-1`, offerSku: "BRETON-NAVY-M", quantity: 2, accepted: true },
        { orderLineId: `${held.order_id}-2`, offerSku: "GHOST-JACKET", quantity: 1, accepted: false, reason: "unmapped_sku" },
      ],
      totalPrice: String(held.total_price ?? 0),
      currency: typeof held.currency_iso_code === "string" ? held.currency_iso_code : "GBP",
      snapshot: held as unknown as Prisma.InputJsonValue,
    },
  });
  const importedLink = await prisma.orderLink.create({
    data: {
      connectionId: connection.id,
      shop: DEMO_SHOP,
      miraklOrderId: imported.order_id,
      miraklState: "SHIPPING",
      miraklLastUpdated: new Date(now - 30_000),
      miraklCreatedAt: new Date(now - 60 * 60_000),
      acceptanceStatus: "ACCEPTED",
      acceptedAt: new Date(now - 59 * 60_000),
      importStatus: "IMPORTED",
      shopifyOrderId: "gid://shopify/Order/5550001",
      shopifyOrderName: "#1001",
      shopifyState: "OPEN",
      totalPrice: String(imported.total_price ?? 0),
      currency: "GBP",
      snapshot: { ...(imported as unknown as Record<string, unknown>), order_state: "SHIPPING" } as Prisma.InputJsonValue,
    },
  });
  ids.held = heldLink.id;
  ids.imported = importedLink.id;
  const event = (kind: string, message: string, minutesAgo: number, level = "info") =>
    prisma.syncEvent.create({ data: { shop: DEMO_SHOP, connectionId: connection.id, entityType: "order", entityId: heldLink.id, kind, level, message, createdAt: new Date(now - minutesAgo * 60_000) } });
  await event("received", "Order received from Joules", 5);
  await event("held", "Held for review: GHOST-JACKET has no Shopify variant", 4, "warning");
  await event("escalation_scheduled", "A reminder is due 2 h before the acceptance deadline", 3);
  await stack.app.services.tasks.raise({
    shop: DEMO_SHOP,
    connectionId: connection.id,
    dedupeKey: `held-order:${connection.id}:${held.order_id}`,
    kind: "held_order",
    title: `Accept or refuse Joules order ${held.order_id}`,
    body: "GHOST-JACKET has no Shopify variant.",
    entityType: "order",
    entityId: heldLink.id,
    dueAt: heldLink.acceptanceDeadline,
  });
});

const rowOf = (miraklOrderId: string) => e2e.page.locator("tr", { has: e2e.page.locator(`[data-order="${miraklOrderId}"]`) });

it("lists held and imported orders with a ticking acceptance countdown and the Shopify order link", async () => {
  await e2e.page.goto(`${e2e.stack.appUrl}/app/orders`);
  await e2e.page.getByRole("heading", { name: "Orders" }).first().waitFor();
  const held = rowOf(heldOrderId);
  await held.waitFor();
  await held.getByText("Held for review").waitFor();
  const countdown = held.getByTestId("countdown");
  const first = await countdown.innerText();
  expect(first).toMatch(/^2[45] min \d\d s left$/);
  await expect.poll(async () => countdown.innerText(), { timeout: 5_000, interval: 250 }).not.toBe(first);

  const imported = rowOf(importedOrderId);
  await imported.getByText("In Shopify").waitFor();
  const link = imported.getByRole("link", { name: "#1001" });
  expect(await link.getAttribute("href")).toBe("https://admin.shopify.com/store/demo-brand/orders/5550001");
  expect(await imported.getByTestId("countdown").count()).toBe(0);
  await screenshot(e2e.page, "orders-list");
  expect(e2e.problems).toEqual([]);
});

it("filters what needs attention and finds an order by its id", async () => {
  await e2e.page.getByRole("tab", { name: /Needs attention/ }).click();
  await e2e.page.waitForURL(/status=needs_attention/);
  await rowOf(heldOrderId).waitFor();
  // The URL changes before React has re-rendered the list: wait for the other order's row to go (times out if it stays).
  await rowOf(importedOrderId).waitFor({ state: "detached", timeout: 10_000 });

  await e2e.page.getByRole("tab", { name: "All" }).click();
  await e2e.page.getByLabel("Search orders").fill(importedOrderId);
  await e2e.page.getByRole("button", { name: "Search" }).click();
  await e2e.page.waitForURL(/q=/);
  await rowOf(importedOrderId).waitFor();
  await rowOf(heldOrderId).waitFor({ state: "detached", timeout: 10_000 });
  expect(e2e.problems).toEqual([]);
});

it("opens a held order: lines as Mirakl sent them, the decision per line, open tasks and the timeline newest first", async () => {
  await e2e.page.goto(`${e2e.stack.appUrl}/app/orders`);
  await rowOf(heldOrderId).getByText(heldOrderId).click();
  await e2e.page.waitForURL(new RegExp(`/app/orders/${ids.held}`));
  await e2e.page.getByRole("heading", { name: `Order ${heldOrderId}` }).waitFor();
  await e2e.page.getByText("This order is held for your decision").waitFor();
  await e2e.page.getByRole("button", { name: "Accept order" }).waitFor();
  await e2e.page.getByRole("button", { name: "Refuse order" }).waitFor();
  const lines = e2e.page.getByTestId("order-lines");
  await lines.getByText("GHOST-JACKET").waitFor();
  await lines.getByText("BRETON-NAVY-M").waitFor();
  await lines.getByText(/Refuse \(unmapped_sku\)/).waitFor();
  await lines.getByRole("link", { name: /map it/ }).first().waitFor();
  await e2e.page.getByText(`Accept or refuse Joules order ${heldOrderId}`).waitFor();
  const entries = e2e.page.getByTestId("timeline-entry");
  expect(await entries.count()).toBe(3);
  expect(await entries.nth(0).innerText()).toContain("A reminder is due 2 h before the acceptance deadline");
  expect(await entries.nth(2).innerText()).toContain("Order received from Joules");
  await e2e.page.getByTestId("countdown").first().waitFor();
  await screenshot(e2e.page, "order-detail-held");
  expect(e2e.problems).toEqual([]);
});

it("accepts the held order from its page: the decision reaches Mirakl and the timeline records it", async () => {
  await e2e.page.getByRole("button", { name: "Accept order" }).click();
  // GHOST-JACKET failed the SKU check: accepting it anyway is confirmed first.
  await e2e.page.getByRole("dialog").getByRole("button", { name: "Accept anyway" }).click();
  await e2e.page.getByText(/^Accepted: sent to Mirakl/).waitFor();
  const order = e2e.stack.mirakl!.control.getOrder(heldOrderId);
  expect(order?.order_state).not.toBe("WAITING_ACCEPTANCE");
  expect(order?.order_lines.every((l) => l.order_line_state !== "REFUSED")).toBe(true);
  const link = await e2e.stack.app.services.prisma.orderLink.findUniqueOrThrow({ where: { id: ids.held } });
  expect(link.acceptanceStatus).toBe("ACCEPTED");
  await e2e.page.getByTestId("timeline-entry").filter({ hasText: "Decision by merchant: accept all lines" }).waitFor();
  expect(await e2e.page.getByRole("button", { name: "Accept order" }).count()).toBe(0);
  await screenshot(e2e.page, "order-detail-accepted");
  expect(e2e.problems).toEqual([]);
});
