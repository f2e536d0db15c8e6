import { expect, it } from "vitest";
import type { Prisma } from "@prisma/client";
import { DEMO_SHOP } from "../demo/catalogue";
import { screenshot } from "../support/browser";
import { withE2eStack } from "../support/e2e-stack";
import { REFERENCE_GIVEN_UP } from "../../app/sync/orders/write-reference.server";

/**
 * The order screens as a merchant reads them: an irreversible decision is confirmed first, statuses never contradict
 * each other, the timeline speaks plainly, every open task of the order (its refunds' too) is listed, a refused
 * seller reference is only a notice, and a missing page is a Polaris page with a way back (no hydration errors).
 * Orders are seeded directly on a paused connection; their snapshots are the Mirakl simulator's own OR11 payloads.
 */
const ids = { refuse: "", accept: "", imported: "", refund: "", connection: "" };
const mirakl = { refuse: "", accept: "", imported: "" };

const e2e = withE2eStack({}, async (stack) => {
  const prisma = stack.app.services.prisma;
  const connection = await prisma.marketplaceConnection.update({ where: { shop_name: { shop: DEMO_SHOP, name: "Joules" } }, data: { paused: true, pausedReason: "e2e: seeded orders" } });
  ids.connection = connection.id;
  stack.mirakl!.control.upsertOffer({ sku: "SCARF-RED", quantity: 4, price: 25, productTitle: "Red scarf" });
  const now = Date.now();
  /** An OrderLink for a simulator order (its OR11 payload as the snapshot), in the given state. */
  const seed = (o: ReturnType<NonNullable<typeof stack.mirakl>["control"]["createOrder"]>, data: Omit<Prisma.OrderLinkUncheckedCreateInput, "connectionId" | "shop" | "miraklOrderId">) =>
    prisma.orderLink.create({ data: { connectionId: connection.id, shop: DEMO_SHOP, miraklOrderId: o.order_id, totalPrice: String(o.total_price ?? 0), currency: "GBP", ...data } });
  const held = async (lines: Array<{ offerSku: string; quantity: number }>) => {
    const o = stack.mirakl!.control.createOrder({ lines });
    const link = await seed(o, {
      miraklState: "WAITING_ACCEPTANCE",
      miraklLastUpdated: new Date(now - 60_000),
      miraklCreatedAt: new Date(now - 5 * 60_000),
      acceptanceDeadline: new Date(now + 25 * 60_000),
      acceptanceStatus: "HELD",
      importStatus: "WAITING",
      holdReason: "UNMAPPED_SKU: SKU SCARF-RED is not linked to any Shopify product",
      acceptanceDecision: o.order_lines.map((l) =>
        l.offer_sku === "SCARF-RED"
          ? { orderLineId: l.order_line_id, offerSku: l.offer_sku, quantity: l.quantity, accepted: false, reason: "SKU SCARF-RED is not linked to any Shopify product", check: "unmapped" }
          : { orderLineId: l.order_line_id, offerSku: l.offer_sku, quantity: l.quantity, accepted: true, reason: null, check: "ok" },
      ),
      snapshot: o as unknown as Prisma.InputJsonValue,
    });
    return { link, order: o };
  };
  const r = await held([{ offerSku: "SCARF-RED", quantity: 1 }, { offerSku: "TOTE-CANVAS", quantity: 1 }]);
  ids.refuse = r.link.id;
  mirakl.refuse = r.order.order_id;
  const a = await held([{ offerSku: "SCARF-RED", quantity: 1 }, { offerSku: "TOTE-CANVAS", quantity: 2 }]);
  ids.accept = a.link.id;
  mirakl.accept = a.order.order_id;

  const imported = stack.mirakl!.control.createOrder({ lines: [{ offerSku: "TOTE-CANVAS", quantity: 1 }] });
  mirakl.imported = imported.order_id;
  const link = await seed(imported, {
    miraklState: "SHIPPING",
    miraklLastUpdated: new Date(now - 30_000),
    miraklCreatedAt: new Date(now - 60 * 60_000),
    acceptanceStatus: "ACCEPTED",
    acceptedAt: new Date(now - 59 * 60_000),
    importStatus: "IMPORTED",
    shopifyOrderId: "gid://shopify/Order/5550002",
    shopifyOrderName: "#1002",
    shopifyState: "OPEN",
    sellerReferenceSent: false,
    lastError: `${REFERENCE_GIVEN_UP} (ORDER_REF_INVALID)`,
    snapshot: { ...(imported as unknown as Record<string, unknown>), order_state: "SHIPPING" } as Prisma.InputJsonValue,
  });
  ids.imported = link.id;
  const event = (message: string, minutesAgo: number, kind = "state") =>
    prisma.syncEvent.create({ data: { shop: DEMO_SHOP, connectionId: connection.id, entityType: "order", entityId: link.id, kind, level: "info", message, createdAt: new Date(now - minutesAgo * 60_000) } });
  await event("Accepted on Mirakl (OR21): 1 line(s)", 58, "accepted");
  await event("Mirakl state WAITING_ACCEPTANCE → SHIPPING", 57);
  await event("#1002 was cancelled in Shopify. Unless a replacement order carrying it appears by 2026-11-23T06:54:48.546Z, the Mirakl order will be cancelled too.", 56, "shopify_order_cancelled");
  const refund = await prisma.refundRequest.create({
    data: { orderLinkId: link.id, connectionId: connection.id, shop: DEMO_SHOP, shopifyRefundId: "gid://shopify/Refund/777001", status: "OPEN", shopifyAmount: "19.95" },
  });
  ids.refund = refund.id;
  await stack.app.services.tasks.raise({
    shop: DEMO_SHOP,
    connectionId: connection.id,
    dedupeKey: `e2e-refund-review:${refund.id}`,
    kind: "refund_review",
    title: "Check the refund to send to Joules",
    body: "Shopify refunded 19.95 GBP; Mirakl would refund 0.00 GBP.",
    actionLabel: "Review the Mirakl refund",
    actionUrl: `/app/refunds/${refund.id}`,
    entityType: "refund",
    entityId: refund.id,
  });
});

const orderPage = async (id: string, heading: string) => {
  await e2e.page.goto(`${e2e.stack.appUrl}/app/orders/${id}`);
  await e2e.page.getByRole("heading", { name: `Order ${heading}` }).waitFor();
};
/** Console errors other than the 404 status of the missing page itself (which Chromium always logs). */
const realProblems = () => e2e.problems.filter((p) => !/Failed to load resource: the server responded with a status of 404/.test(p));

it("asks before refusing a held order, naming its lines and the consequence; Cancel sends nothing", async () => {
  await orderPage(ids.refuse, mirakl.refuse);
  await e2e.page.getByRole("button", { name: "Refuse order" }).click();
  const dialog = e2e.page.getByRole("dialog");
  await dialog.getByText("Refuse this order?").waitFor();
  const text = await dialog.getByTestId("decision-confirmation").innerText();
  expect(text).toContain("1 × SCARF-RED");
  expect(text).toContain("1 × TOTE-CANVAS");
  expect(text).toMatch(/cannot be undone/);
  expect(text).toMatch(/seller rating/);
  await screenshot(e2e.page, "order-refuse-confirmation");
  await dialog.getByRole("button", { name: "Cancel" }).click();
  await dialog.waitFor({ state: "detached" });
  expect(e2e.stack.mirakl!.control.getOrder(mirakl.refuse)?.order_state).toBe("WAITING_ACCEPTANCE");
  expect((await e2e.stack.app.services.prisma.orderLink.findUniqueOrThrow({ where: { id: ids.refuse } })).acceptanceStatus).toBe("HELD");
  expect(e2e.problems).toEqual([]);
});

it("refuses once confirmed, and then no status contradicts it", async () => {
  await e2e.page.getByRole("button", { name: "Refuse order" }).click();
  await e2e.page.getByRole("dialog").getByRole("button", { name: "Refuse order" }).click();
  await e2e.page.getByText(/^Refused: sent to Mirakl/).waitFor();
  expect(e2e.stack.mirakl!.control.getOrder(mirakl.refuse)?.order_lines.every((l) => l.order_line_state === "REFUSED")).toBe(true);
  await expect.poll(() => e2e.page.getByTestId("mirakl-state").innerText()).toMatch(/^Refused/);
  expect(await e2e.page.getByTestId("import-status").innerText()).toBe("—");
  expect(await e2e.page.getByTestId("order-lines").innerText()).not.toMatch(/Waiting acceptance/);
  await e2e.page.getByText("Not imported: the order was refused").waitFor();
  expect(await e2e.page.getByText("Not in Shopify yet").count()).toBe(0);
  expect(await e2e.page.getByText("Waiting for payment").count()).toBe(0);
  expect(e2e.problems).toEqual([]);
});

it("accepting lines that failed the stock or SKU check is confirmed too, then reads as accepted", async () => {
  await orderPage(ids.accept, mirakl.accept);
  // Held: nothing to import yet, so the import column says nothing rather than "Waiting for payment".
  expect(await e2e.page.getByTestId("import-status").innerText()).toBe("—");
  await e2e.page.getByRole("button", { name: "Accept order" }).click();
  const dialog = e2e.page.getByRole("dialog");
  await dialog.getByText("Accept lines that failed the checks?").waitFor();
  expect(await dialog.innerText()).toContain("1 × SCARF-RED (Red scarf): SKU SCARF-RED is not linked to any Shopify product");
  await dialog.getByRole("button", { name: "Accept anyway" }).click();
  await e2e.page.getByText(/^Accepted: sent to Mirakl/).waitFor();
  expect(e2e.stack.mirakl!.control.getOrder(mirakl.accept)?.order_state).not.toBe("WAITING_ACCEPTANCE");
  await expect.poll(() => e2e.page.getByTestId("mirakl-state").innerText()).toMatch(/^(Accepted — waiting for Mirakl to confirm|Waiting for payment|Payment in progress|To ship)/);
  expect(e2e.problems).toEqual([]);
});

it("the line table fits at 1280 px: no sideways scrolling, the decision text wraps", async () => {
  await orderPage(ids.refuse, mirakl.refuse);
  const overflow = await e2e.page.getByTestId("order-lines").evaluate((el) => {
    const scroller = el.querySelector(".Polaris-DataTable__ScrollContainer") ?? el;
    return scroller.scrollWidth - scroller.clientWidth;
  });
  expect(overflow).toBeLessThanOrEqual(1);
  await e2e.page.getByTestId("order-lines").getByText("SKU SCARF-RED is not linked to any Shopify product", { exact: false }).waitFor();
});

it("an imported order: plain timeline, its refund task and refund link, and a refused seller reference as a notice without Retry", async () => {
  await orderPage(ids.imported, mirakl.imported);
  const entries = e2e.page.getByTestId("timeline-entry");
  const all = (await entries.allInnerTexts()).join("\n");
  // Stored before plurals were written properly: read with them anyway; badges name the kind in plain words.
  expect(all).toContain("Accepted on Mirakl: 1 line");
  expect(all).not.toContain("line(s)");
  expect(all).toContain("Status changed");
  expect(all).toContain("Shopify order cancelled");
  expect(all).not.toContain("shopify order cancelled");
  expect(all).toContain("Mirakl state: Waiting acceptance → To ship");
  // Taxes by name (Mirakl's code only in the tooltip) and the fulfilment fact in words.
  const linesText = await e2e.page.getByTestId("order-lines").innerText();
  expect(linesText).toMatch(/VAT £\d+\.\d\d \(20%\)/);
  expect(linesText).not.toMatch(/UK_VAT_STD|Tax: /);
  await e2e.page.getByText("Not fulfilled yet").waitFor();
  expect(all).toMatch(/appears by 23 Nov 2026, 06:54 GMT, the Mirakl order/);
  expect(all).not.toMatch(/OR21|WAITING_ACCEPTANCE|2026-11-23T/);
  await e2e.page.getByText("Check the refund to send to Joules").waitFor();
  expect(await e2e.page.getByText("Nothing needs you for this order.").count()).toBe(0);
  const refundLink = e2e.page.getByRole("link", { name: /Refund of £19\.95/ });
  expect(await refundLink.getAttribute("href")).toBe(`/app/refunds/${ids.refund}`);
  await e2e.page.getByText("The Shopify order name is not shown on Mirakl").waitFor();
  expect(await e2e.page.getByText("Last error").count()).toBe(0);
  expect(await e2e.page.getByRole("button", { name: "Retry" }).count()).toBe(0);
  await screenshot(e2e.page, "order-imported-plain");
  expect(e2e.problems).toEqual([]);
});

it("the orders list shows every column at 1280 px and no contradicting statuses", async () => {
  await e2e.page.goto(`${e2e.stack.appUrl}/app/orders`);
  const created = e2e.page.getByRole("columnheader", { name: "Created" });
  await created.waitFor();
  const box = await created.boundingBox();
  expect(box).not.toBeNull();
  expect(box!.x + box!.width).toBeLessThanOrEqual(1280);
  const row = e2e.page.locator("tr", { has: e2e.page.locator(`[data-order="${mirakl.refuse}"]`) });
  expect(await row.getByTestId("mirakl-state").innerText()).toMatch(/^Refused/);
  expect(await row.getByTestId("import-status").innerText()).toBe("—");
  await screenshot(e2e.page, "orders-list-1280");
  expect(e2e.problems).toEqual([]);
});

it("a missing order is a Polaris page with a plain message and a way back, without hydration errors", async () => {
  e2e.problems.length = 0;
  const res = await e2e.page.goto(`${e2e.stack.appUrl}/app/orders/00000000-0000-0000-0000-000000000000`);
  expect(res?.status()).toBe(404);
  await e2e.page.getByRole("heading", { name: "Page not found" }).waitFor();
  await e2e.page.getByText("This order does not exist (or belongs to another shop).").waitFor();
  // The error page keeps the app's sidebar and top bar (the demo is not embedded: Polaris draws them).
  const nav = e2e.page.locator("nav.Polaris-Navigation");
  for (const label of ["Overview", "Orders", "Tasks", "Payouts", "Inventory"]) await nav.getByRole("link", { name: label }).first().waitFor();
  await e2e.page.locator(".Polaris-TopBar").getByText(DEMO_SHOP).waitFor();
  await e2e.page.waitForLoadState("networkidle");
  await screenshot(e2e.page, "order-not-found");
  expect(realProblems()).toEqual([]);
  await e2e.page.getByRole("link", { name: "Back to Orders" }).first().click();
  await e2e.page.waitForURL(/\/app\/orders$/);
  await e2e.page.getByRole("heading", { name: "Orders" }).first().waitFor();
  // A mistyped address (not an order id at all) reads the same.
  const typo = await e2e.page.goto(`${e2e.stack.appUrl}/app/orders/not-an-order`);
  expect(typo?.status()).toBe(404);
  await e2e.page.getByText("This order does not exist (or belongs to another shop).").waitFor();
  expect(realProblems()).toEqual([]);
});

it("a marketplace that does not exist is a 404 page, not an application error", async () => {
  e2e.problems.length = 0;
  for (const path of ["/app/connections/not-a-uuid", "/app/inventory/not-a-uuid"]) {
    const res = await e2e.page.goto(`${e2e.stack.appUrl}${path}`);
    expect(res?.status()).toBe(404);
    await e2e.page.getByText("This marketplace connection does not exist (it may have been removed).").waitFor();
  }
  await e2e.page.getByRole("link", { name: "Back to Inventory" }).first().waitFor();
  await e2e.page.waitForLoadState("networkidle");
  expect(realProblems()).toEqual([]);
  const icon = await e2e.page.request.get(`${e2e.stack.appUrl}/favicon.ico`);
  expect(icon.status()).toBe(200);
});
