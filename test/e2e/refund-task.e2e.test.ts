import { expect, it } from "vitest";
import type { MarketplaceConnection } from "@prisma/client";
import { DEMO_SHOP } from "../demo/catalogue";
import { createImportedOrder, type ImportedOrder } from "../support/adjustments-fixture";
import { screenshot } from "../support/browser";
import { withE2eStack } from "../support/e2e-stack";
import { waitFor } from "../support/orders";

/**
 * CX works a Mirakl refund task in Chromium: a refund made in Shopify on an imported marketplace order becomes a task
 * in the Tasks inbox; CX follows it to the refund page, sees the Shopify refund beside what Mirakl would refund,
 * picks a reason from the marketplace's RE01 list, sends it, and sees "Sent"; the Mirakl simulator holds the refund.
 */
let connection: MarketplaceConnection;
let order: ImportedOrder;

const e2e = withE2eStack({ connect: true }, async (stack) => {
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
});

it("CX follows the refund task from the Tasks inbox, picks a reason, sends it and sees Sent; Mirakl holds the refund", async () => {
  await e2e.page.getByRole("link", { name: "Tasks" }).first().click();
  await e2e.page.waitForURL(/\/app\/tasks/);
  const row = e2e.page.getByTestId("task-row").filter({ hasText: `Refund ${order.shopifyOrderName} on Joules` });
  await row.waitFor();
  await row.getByText("does not refund the marketplace").waitFor();
  await screenshot(e2e.page, "refund-task-inbox");
  await row.getByRole("button", { name: "Review the Mirakl refund" }).click();
  await e2e.page.waitForURL(/\/app\/refunds\/[0-9a-f-]{36}$/);

  // The Shopify refund beside what Mirakl would refund, per line.
  await e2e.page.getByRole("heading", { name: "Shopify refund and what Mirakl would refund" }).waitFor();
  const tote = order.order.order_lines.find((l) => l.offer_sku === "TOTE-CANVAS")!;
  const top = order.order.order_lines.find((l) => l.offer_sku === "BRETON-NAVY-M")!;
  await e2e.page.getByRole("rowheader", { name: /Canvas tote/ }).first().waitFor();
  await screenshot(e2e.page, "refund-task-page");
  await e2e.page.getByText(`Mirakl: £${(tote.price + (top.shipping_price ?? 0)).toFixed(2)}`).waitFor();
  // Nothing can be sent before a reason is chosen.
  expect(await e2e.page.getByRole("button", { name: "Send refund to Mirakl" }).isDisabled()).toBe(true);

  // Reasons are the marketplace's RE01 REFUND reasons the shop may use (the operator-only one is not offered).
  const options = await e2e.page.getByLabel("Refund reason").locator("option").allTextContents();
  expect(options).toContain("Item returned");
  expect(options).not.toContain("Goodwill gesture granted by the operator");
  await e2e.page.getByLabel("Refund reason").selectOption({ label: "Item returned" });
  await e2e.page.getByRole("button", { name: "Send refund to Mirakl" }).click();
  await e2e.page.getByTestId("refund-result").filter({ hasText: "Refund sent to Mirakl" }).waitFor();
  await e2e.page.getByText("Sent", { exact: true }).first().waitFor();
  await screenshot(e2e.page, "refund-task-sent");

  const mirakl = e2e.stack.mirakl!.control.getOrder(order.miraklOrderId)!;
  const lines = mirakl.order_lines as unknown as Array<{ offer_sku: string; refunds: Array<{ amount: number; shipping_amount: number; reason_code: string }> }>;
  const toteRefunds = lines.find((l) => l.offer_sku === "TOTE-CANVAS")!.refunds;
  const topRefunds = lines.find((l) => l.offer_sku === "BRETON-NAVY-M")!.refunds;
  expect(toteRefunds).toEqual([expect.objectContaining({ amount: tote.price, shipping_amount: 0, reason_code: "17" })]);
  expect(topRefunds).toEqual([expect.objectContaining({ amount: 0, shipping_amount: top.shipping_price, reason_code: "17" })]);
  const rr = await e2e.stack.app.services.prisma.refundRequest.findFirstOrThrow({ where: { orderLinkId: order.link.id } });
  expect(rr.status).toBe("SENT");

  // The Refunds list files it under "Sent".
  await e2e.page.goto(`${e2e.stack.appUrl}/app/refunds?status=sent`);
  const listed = e2e.page.getByRole("row").filter({ hasText: order.shopifyOrderName });
  await listed.waitFor();
  await listed.getByText("Sent").waitFor();
  await screenshot(e2e.page, "refund-list-sent");

  // The task is gone from the inbox.
  await e2e.page.getByRole("link", { name: "Tasks" }).first().click();
  await e2e.page.waitForURL(/\/app\/tasks/);
  await e2e.page.getByRole("heading", { name: "Tasks" }).first().waitFor();
  expect(await e2e.page.getByTestId("task-row").filter({ hasText: `Refund ${order.shopifyOrderName} on Joules` }).count()).toBe(0);
  expect(e2e.problems).toEqual([]);
});
