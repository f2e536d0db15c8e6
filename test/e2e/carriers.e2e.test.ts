import { expect, it } from "vitest";
import type { MarketplaceConnection } from "@prisma/client";
import { DEMO_SHOP } from "../demo/catalogue";
import { screenshot } from "../support/browser";
import { withE2eStack } from "../support/e2e-stack";
import { createImportedOrder, type ImportedOrder } from "../support/imported-order-fixture";
import { waitFor } from "../support/orders";

/**
 * The carrier mapping journey: a fulfilment with a carrier the marketplace does not know is held; the merchant
 * follows the Task to the Carriers screen, picks the suggested carrier, and the held shipment goes out (workers
 * run in the stack, as in production).
 */
let connection: MarketplaceConnection;
let order: ImportedOrder;

const e2e = withE2eStack({ miraklPreset: "joules" }, async (stack) => {
  const services = stack.app.services;
  connection = await services.prisma.marketplaceConnection.findFirstOrThrow({ where: { shop: DEMO_SHOP } });
  order = await createImportedOrder({ services, mirakl: stack.mirakl!, shop: DEMO_SHOP, connection }, { lines: [{ sku: "TOTE-CANVAS", quantity: 1 }] });
  stack.shopify.control.fulfill({ shop: DEMO_SHOP, orderId: order.shopifyOrderId, trackingCompany: "Royal Mail 24", trackingNumber: "RM123456785GB" });
  await waitFor("the fulfilment to be held", async () => {
    const link = await services.prisma.fulfillmentLink.findFirst({ where: { orderLinkId: order.orderLink.id } });
    return link?.status === "HELD";
  });
});

it("the Task names the unknown carrier and leads to the Carriers screen", async () => {
  await e2e.page.getByRole("link", { name: "Tasks" }).first().click();
  await e2e.page.waitForURL(/\/app\/tasks/);
  const row = e2e.page.getByTestId("task-row").filter({ hasText: 'map the carrier "Royal Mail 24"' });
  await row.waitFor();
  await row.getByText(/1 shipment is waiting/).waitFor();
  await row.getByRole("link", { name: "Map the carrier" }).click();
  await e2e.page.waitForURL(/\/app\/carriers\?connection=/);
  await e2e.page.getByRole("heading", { name: "Carrier mapping" }).first().waitFor();
  expect(e2e.problems).toEqual([]);
});

it("shows the held shipment beside the marketplace's carriers, with suggestions", async () => {
  const row = e2e.page.locator('[data-testid="carrier-row"][data-carrier="royal mail 24"]');
  await row.getByText("Needs a carrier").waitFor();
  await row.getByText(`Joules order ${order.miraklOrderId}`, { exact: false }).waitFor();
  await row.getByText("tracking RM123456785GB", { exact: false }).waitFor();
  await row.getByRole("button", { name: "Royal Mail Tracked 24 (RM24)" }).waitFor();
  // The marketplace's own carrier list (SH21) is on the page.
  await e2e.page.getByRole("cell", { name: "Royal Mail Tracked 48" }).waitFor();
  await screenshot(e2e.page, "carriers-held");
  expect(e2e.problems).toEqual([]);
});

it("mapping the carrier sends the held shipment to Mirakl with the marketplace's code", async () => {
  const row = e2e.page.locator('[data-testid="carrier-row"][data-carrier="royal mail 24"]');
  await row.getByRole("button", { name: "Royal Mail Tracked 24 (RM24)" }).click();
  expect(await row.getByLabel("Carrier for Royal Mail 24").inputValue()).toBe("RM24");
  await row.getByRole("button", { name: "Save and send held shipments" }).click();
  await e2e.page.getByText("Saved: the held shipment is being sent as Royal Mail Tracked 24 (RM24).").waitFor();

  const shipped = await waitFor("Mirakl to confirm the shipment", async () => {
    const o = e2e.stack.mirakl!.control.getOrder(order.miraklOrderId);
    return o?.order_state === "SHIPPED" && o;
  });
  expect(shipped).toMatchObject({ shipping_carrier_code: "RM24", shipping_tracking: "RM123456785GB" });

  await e2e.page.reload();
  const row2 = e2e.page.locator('[data-testid="carrier-row"][data-carrier="royal mail 24"]');
  await row2.getByText("Mapped", { exact: true }).waitFor();
  expect(await row2.getByText(/held/).count()).toBe(0);
  const task = await e2e.stack.app.services.prisma.task.findUniqueOrThrow({
    where: { shop_dedupeKey: { shop: DEMO_SHOP, dedupeKey: `unmapped-carrier:${connection.id}:royal mail 24` } },
  });
  expect(task.status).toBe("RESOLVED");
  await screenshot(e2e.page, "carriers-mapped");
  expect(e2e.problems).toEqual([]);
});

it("refuses a code the marketplace does not have, whatever the form says", async () => {
  const res = await e2e.page.evaluate(async (connectionId) => {
    const fd = new FormData();
    fd.set("intent", "save");
    fd.set("connectionId", connectionId);
    fd.set("shopifyCarrierName", "Royal Mail 24");
    fd.set("miraklCarrierCode", "UPS");
    const r = await fetch("/app/carriers?index&_data=routes%2Fapp.carriers._index", { method: "POST", body: fd });
    return r.json();
  }, connection.id);
  expect(res).toMatchObject({ fieldErrors: { miraklCarrierCode: "UPS is not one of Joules's carriers" } });
  const mapping = await e2e.stack.app.services.prisma.carrierMapping.findUniqueOrThrow({
    where: { connectionId_shopifyCarrierKey: { connectionId: connection.id, shopifyCarrierKey: "royal mail 24" } },
  });
  expect(mapping.miraklCarrierCode).toBe("RM24");
});
