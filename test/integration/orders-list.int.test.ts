import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "@prisma/client";
import { startHarness, type Harness } from "../support/harness";
import { TEST_API_KEY, TEST_API_SECRET } from "../support/test-env";
import { loader } from "../../app/routes/app.orders._index";
import { orderTasksAndRefunds, snapshotSkus } from "../../app/sync/orders/order-views.server";
import { unmappedSkuTaskKey } from "../../app/sync/catalogue/mapping-effects.server";

/**
 * The Orders list through its real loader (session token as the embedded admin sends it): the "N open tasks" under
 * an order counts every open task about it, as the order page lists them (its refunds', fulfilments' and SKUs'
 * tasks too), and the Cancelled tab holds only cancelled or refused orders, orders shipped before the connector saw
 * them having their own "Handled elsewhere" tab.
 */
let h: Harness;
const ids: Record<string, string> = {};

type LinkInput = Partial<Prisma.OrderLinkUncheckedCreateInput> & { miraklOrderId: string };

async function link(input: LinkInput): Promise<string> {
  const now = new Date();
  const row = await h.services.prisma.orderLink.create({
    data: { connectionId: h.connection!.id, shop: h.shop, miraklState: "SHIPPING", miraklLastUpdated: now, miraklCreatedAt: now, snapshot: {}, ...input },
  });
  return row.id;
}

async function task(dedupeKey: string, extra: { entityType?: string; entityId?: string; shop?: string } = {}) {
  return h.services.tasks.raise({ shop: extra.shop ?? h.shop, connectionId: h.connection!.id, dedupeKey, kind: "test", title: dedupeKey, body: "x", ...extra });
}

beforeAll(async () => {
  h = await startHarness();
  const c = h.connection!.id;
  ids.held = await link({
    miraklOrderId: "LIST-HELD",
    miraklState: "WAITING_ACCEPTANCE",
    acceptanceStatus: "HELD",
    holdReason: "LINES_FAILING: SKU SCARF-RED is not linked to any Shopify product",
    acceptanceDecision: [{ orderLineId: "L1", offerSku: "SCARF-RED", quantity: 1, accepted: null, reason: "SKU SCARF-RED is not linked", check: "unmapped" }],
    snapshot: { order_lines: [{ offer_sku: "SCARF-RED" }, { offer_sku: "TOTE" }] },
  });
  ids.imported = await link({ miraklOrderId: "LIST-IMPORTED", acceptanceStatus: "ACCEPTED", importStatus: "IMPORTED", shopifyOrderId: "gid://shopify/Order/1", shopifyOrderName: "#1" });
  ids.quiet = await link({ miraklOrderId: "LIST-QUIET", acceptanceStatus: "ACCEPTED", importStatus: "IMPORTED", shopifyOrderId: "gid://shopify/Order/2", shopifyOrderName: "#2" });
  ids.shippedBefore = await link({ miraklOrderId: "LIST-SHIPPED-BEFORE", miraklState: "SHIPPED", acceptanceStatus: "ACCEPTED", importStatus: "NOT_IMPORTED", holdReason: "BEFORE_CONNECTOR: Shipped before Mirakl Connector saw it — not imported" });
  ids.closedLegacy = await link({ miraklOrderId: "LIST-CLOSED-LEGACY", miraklState: "CLOSED", acceptanceStatus: "ACCEPTED", importStatus: "NOT_IMPORTED" });
  ids.cancelledBefore = await link({ miraklOrderId: "LIST-CANCELLED-BEFORE", miraklState: "CANCELED", importStatus: "NOT_IMPORTED", holdReason: "BEFORE_CONNECTOR: Cancelled before Mirakl Connector saw it — not imported" });
  ids.refused = await link({ miraklOrderId: "LIST-REFUSED", miraklState: "REFUSED", acceptanceStatus: "REFUSED", importStatus: "NOT_IMPORTED", holdReason: "AUTO_REFUSED: refused automatically" });
  ids.cancelledInShopify = await link({ miraklOrderId: "LIST-SHOPIFY-CANCELLED", acceptanceStatus: "ACCEPTED", importStatus: "IMPORTED", shopifyOrderId: "gid://shopify/Order/3", shopifyState: "CANCELLED" });
  // Decided by us while Mirakl still reports "waiting acceptance" (its next poll catches up), and one still undecided.
  ids.pending = await link({ miraklOrderId: "LIST-PENDING", miraklState: "WAITING_ACCEPTANCE", acceptanceStatus: "PENDING", importStatus: "WAITING" });
  ids.acceptedUnconfirmed = await link({ miraklOrderId: "LIST-ACCEPTED-UNCONFIRMED", miraklState: "WAITING_ACCEPTANCE", acceptanceStatus: "ACCEPTED", importStatus: "WAITING" });
  ids.partlyUnconfirmed = await link({ miraklOrderId: "LIST-PARTLY-UNCONFIRMED", miraklState: "WAITING_ACCEPTANCE", acceptanceStatus: "PARTIALLY_ACCEPTED", importStatus: "WAITING" });
  ids.refusedUnconfirmed = await link({ miraklOrderId: "LIST-REFUSED-UNCONFIRMED", miraklState: "WAITING_ACCEPTANCE", acceptanceStatus: "REFUSED", importStatus: "NOT_IMPORTED" });
  ids.shipping = await link({ miraklOrderId: "LIST-SHIPPING", miraklState: "SHIPPING", acceptanceStatus: "ACCEPTED", importStatus: "READY" });

  // The held order: its own task and its SKU's.
  await task(`held-order:${c}:LIST-HELD`, { entityType: "order", entityId: ids.held });
  await task(unmappedSkuTaskKey(c, "SCARF-RED"), { entityType: "sku", entityId: `${c}:SCARF-RED` });
  // The imported order: its own task, a refund's, a fulfilment's, and one found by its Mirakl id in the key.
  const refund = await h.services.prisma.refundRequest.create({ data: { orderLinkId: ids.imported, connectionId: c, shop: h.shop, shopifyRefundId: "gid://shopify/Refund/1" } });
  const fulfilment = await h.services.prisma.fulfillmentLink.create({ data: { orderLinkId: ids.imported, connectionId: c, shopifyFulfillmentId: "gid://shopify/Fulfillment/1" } });
  await task(`totals-differ:${c}:LIST-IMPORTED`, { entityType: "order", entityId: ids.imported });
  await task(`refund:${refund.id}`, { entityType: "refund", entityId: refund.id });
  await task(`fulfilment:${fulfilment.id}`, { entityType: "fulfillment", entityId: fulfilment.id });
  await task(`job-failed:orders.import:${c}:LIST-IMPORTED`);
  // Not counted: a closed task, and another shop's task on the same order id.
  const closed = await task(`cancel-failed:${c}:LIST-IMPORTED`, { entityType: "order", entityId: ids.imported });
  await h.services.tasks.dismiss({ shop: h.shop, id: closed.id });
  await task(`held-order:${c}:LIST-IMPORTED`, { entityType: "order", entityId: ids.imported, shop: "other-shop.myshopify.com" });
});
afterAll(async () => h?.close());

async function list(query: Record<string, string> = {}) {
  const jwt = (await getJwt(h.shop.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET)).token;
  const url = `${h.services.env.SHOPIFY_APP_URL}/app/orders?${new URLSearchParams(query)}`;
  const request = new Request(url, { headers: { authorization: `Bearer ${jwt}` } });
  const data = await loader({ request, params: {}, context: {} });
  return data;
}

describe("the Orders list", () => {
  it("counts every open task about an order, as the order page lists them", async () => {
    const data = await list();
    const count = (id: string) => data.orders.find((o) => o.id === id)?.openTasks;
    expect(count(ids.held!)).toBe(2);
    expect(count(ids.imported!)).toBe(4);
    expect(count(ids.quiet!)).toBe(0);

    // The same rule as the order page: the same number of tasks there.
    const prisma = h.services.prisma;
    for (const id of [ids.held!, ids.imported!, ids.quiet!]) {
      const l = await prisma.orderLink.findUniqueOrThrow({ where: { id } });
      const page = await orderTasksAndRefunds(prisma, h.shop, l, snapshotSkus(l.snapshot));
      expect(page.tasks.length).toBe(count(id));
    }
    // The snapshot and decision used for the count are not sent to the browser.
    expect(Object.keys(data.orders[0]!)).not.toContain("snapshot");
    expect(Object.keys(data.orders[0]!)).not.toContain("acceptanceDecision");
  });

  it("the Cancelled tab shows only cancelled or refused orders; orders shipped before the connector are Handled elsewhere", async () => {
    const names = async (status: string) => (await list({ status })).orders.map((o) => o.miraklOrderId).sort();
    expect(await names("cancelled")).toEqual(["LIST-CANCELLED-BEFORE", "LIST-REFUSED", "LIST-REFUSED-UNCONFIRMED", "LIST-SHOPIFY-CANCELLED"]);
    expect(await names("handled_elsewhere")).toEqual(["LIST-CLOSED-LEGACY", "LIST-SHIPPED-BEFORE"]);
    // "All" still lists them.
    expect(await names("all")).toEqual(expect.arrayContaining(["LIST-SHIPPED-BEFORE", "LIST-CLOSED-LEGACY", "LIST-CANCELLED-BEFORE"]));
    const handled = (await list({ status: "handled_elsewhere" })).orders.find((o) => o.miraklOrderId === "LIST-SHIPPED-BEFORE");
    expect(handled?.beforeConnector).toBe("Shipped before Mirakl Connector saw it — not imported");
  });

  it("Waiting acceptance holds only orders we have not decided; accepted ones Mirakl has not confirmed are Waiting import", async () => {
    const names = async (status: string) => (await list({ status })).orders.map((o) => o.miraklOrderId).sort();
    // The held order is undecided too: Mirakl still waits for our answer.
    expect(await names("waiting_acceptance")).toEqual(["LIST-HELD", "LIST-PENDING"]);
    expect(await names("waiting_import")).toEqual(["LIST-ACCEPTED-UNCONFIRMED", "LIST-PARTLY-UNCONFIRMED", "LIST-SHIPPING"]);
    // The badge those accepted orders show agrees with the tab they are in.
    const accepted = (await list({ status: "waiting_import" })).orders.find((o) => o.miraklOrderId === "LIST-ACCEPTED-UNCONFIRMED");
    expect(accepted?.status.mirakl).toBe("Accepted — waiting for Mirakl to confirm");
    expect(accepted?.status.importStatus).toBe("WAITING");
    // A refusal Mirakl has not confirmed is not "handled elsewhere".
    expect(await names("handled_elsewhere")).not.toContain("LIST-REFUSED-UNCONFIRMED");
  });
});
