import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { setLogSink } from "../lib/logger";
import { ShopifyUserError } from "./errors";
import { clientFor, ok, startFakeAdminApi, type FakeAdminApi, type RecordedRequest } from "./fake-admin-api.test-helper";
import type { ShopifyGid } from "./gid";
import { cancelOrder } from "./order-cancel";
import { createOrder } from "./order-create";
import { getOrder } from "./order-details";
import { removeOrReduceLines } from "./order-edit";
import { findOrderByMiraklId, findOrdersByTag } from "./order-lookup";
import { addTags, ensureMiraklIdMetafieldDefinition, setMetafields } from "./order-metadata";

const ORDER = "gid://shopify/Order/100" as ShopifyGid;
const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "EUR" }, presentmentMoney: { amount, currencyCode: "EUR" } });

let api: FakeAdminApi | undefined;
beforeAll(() => setLogSink(() => undefined, "info"));
afterEach(async () => {
  await api?.close();
  api = undefined;
});

type Route = (req: RecordedRequest) => unknown;
async function serve(routes: Record<string, Route>): Promise<FakeAdminApi> {
  api = await startFakeAdminApi((req) => {
    const route = routes[req.body?.operationName ?? ""];
    if (!route) return { status: 400, body: { errors: [{ message: `unexpected ${req.body?.operationName}` }] } };
    return ok(route(req));
  });
  return api;
}
const ops = (a: FakeAdminApi) => a.requests.map((r) => r.body?.operationName);

const ref = (n: number, extra: Record<string, unknown> = {}) => ({
  id: `gid://shopify/Order/${n}`,
  name: `#${n}`,
  legacyResourceId: String(n),
  createdAt: `2026-01-0${n % 9}T00:00:00Z`,
  cancelledAt: null,
  tags: [],
  sourceIdentifier: null,
  miraklId: null,
  ...extra,
});

describe("createOrder", () => {
  it("sends the typed input with receipts off and the chosen inventoryBehaviour", async () => {
    const a = await serve({
      OrderCreate: () => ({ orderCreate: { order: { id: ORDER, name: "#1001", legacyResourceId: "100" }, userErrors: [] } }),
    });
    const created = await createOrder({
      client: clientFor(a),
      input: {
        lineItems: [{ quantity: 2, variantId: "gid://shopify/ProductVariant/1" as ShopifyGid, priceSet: money("9.99") }],
        tags: ["mirakl", "mirakl-X-1"],
        metafields: [{ namespace: "mirakl", key: "order_id", type: "single_line_text_field", value: "X-1" }],
        processedAt: "2026-01-01T10:00:00Z",
      },
      options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" },
    });
    expect(created).toEqual({ id: ORDER, name: "#1001", legacyResourceId: "100" });
    const vars = a.requests[0]?.body?.variables;
    expect(vars?.options).toEqual({ inventoryBehaviour: "DECREMENT_OBEYING_POLICY", sendReceipt: false, sendFulfillmentReceipt: false });
    expect((vars?.order as { tags: string[] }).tags).toEqual(["mirakl", "mirakl-X-1"]);
  });
});

describe("findOrderByMiraklId (duplicate guard)", () => {
  it("searches by quoted tag, re-checks every hit, and reports duplicates", async () => {
    const a = await serve({
      OrdersForMiraklId: () => ({
        orders: {
          nodes: [
            ref(1, { tags: ["mirakl", "Mirakl-X'1"] }),
            ref(2, { miraklId: { value: "X'1" } }),
            // A fuzzy search hit for another order: neither the tag nor the metafield match.
            ref(3, { tags: ["mirakl-X'10"], miraklId: { value: "X'10" } }),
          ],
        },
      }),
    });
    const res = await findOrderByMiraklId({ client: clientFor(a), miraklOrderId: "X'1", namespace: "mirakl", key: "order_id" });
    expect(a.requests[0]?.body?.variables).toMatchObject({ query: `tag:"mirakl-X'1"`, namespace: "mirakl", key: "order_id", first: 5 });
    expect(res.kind).toBe("duplicates");
    expect(res.matches.map((m) => m.id)).toEqual(["gid://shopify/Order/1", "gid://shopify/Order/2"]);
  });

  it("found / not_found, and the direct orderByIdentifier read merged by id", async () => {
    let searchHits: unknown[] = [];
    let direct: unknown = null;
    const a = await serve({
      OrdersForMiraklId: () => ({ orders: { nodes: searchHits } }),
      OrderByMiraklIdentifier: () => ({ orderByIdentifier: direct }),
    });
    const client = clientFor(a);
    const args = { client, miraklOrderId: "M-7", namespace: "mirakl", key: "order_id" };
    expect(await findOrderByMiraklId(args)).toEqual({ kind: "not_found", matches: [] });

    searchHits = [ref(4, { tags: ["mirakl-M-7"] })];
    const found = await findOrderByMiraklId(args);
    expect(found.kind === "found" ? found.order.id : null).toBe("gid://shopify/Order/4");

    // The search index has not caught up yet, but the direct read by unique metafield sees the order.
    searchHits = [];
    direct = ref(5, { miraklId: { value: "M-7" } });
    const viaId = await findOrderByMiraklId({ ...args, useUniqueIdentifier: true, sourceIdentifier: "M-7" });
    expect(viaId.kind === "found" ? viaId.order.miraklOrderId : null).toBe("M-7");
    expect(a.requests.at(-2)?.body?.variables.query).toBe("tag:'mirakl-M-7' OR source_identifier:'M-7'");
    expect(ops(a).at(-1)).toBe("OrderByMiraklIdentifier");
  });

  it("findOrdersByTag keeps exact tag matches only", async () => {
    const a = await serve({ OrdersBySearch: () => ({ orders: { nodes: [ref(1, { tags: ["a-1"] }), ref(2, { tags: ["a-10"] })] } }) });
    const res = await findOrdersByTag({ client: clientFor(a), tag: "a-1" });
    expect(res.map((r) => r.id)).toEqual(["gid://shopify/Order/1"]);
  });
});

describe("removeOrReduceLines", () => {
  const begin = (lines: { id: string; quantity: number; editableQuantity: number }[]) => () => ({
    orderEditBegin: {
      calculatedOrder: {
        id: "gid://shopify/CalculatedOrder/9",
        lineItems: { nodes: lines.map((l) => ({ ...l, sku: "S" })), pageInfo: { hasNextPage: false, endCursor: null } },
      },
      orderEditSession: { id: "gid://shopify/OrderEditSession/9" },
      userErrors: [],
    },
  });
  const setQty = (req: RecordedRequest) => ({
    orderEditSetQuantity: {
      calculatedLineItem: { id: req.body?.variables.lineItemId, quantity: req.body?.variables.quantity },
      userErrors: [],
    },
  });
  const commit = () => ({ orderEditCommit: { order: { id: ORDER, edited: true }, userErrors: [] } });

  it("begins, sets quantities on CALCULATED line ids, commits without notifying", async () => {
    const a = await serve({
      OrderEditBegin: begin([
        { id: "gid://shopify/CalculatedLineItem/11", quantity: 3, editableQuantity: 3 },
        { id: "gid://shopify/CalculatedLineItem/12", quantity: 1, editableQuantity: 1 },
      ]),
      OrderEditSetQuantity: setQty,
      OrderEditCommit: commit,
    });
    const res = await removeOrReduceLines({
      client: clientFor(a),
      orderId: ORDER,
      restock: true,
      changes: [
        { lineItemId: "gid://shopify/LineItem/11" as ShopifyGid, quantity: 1 },
        { lineItemId: "gid://shopify/LineItem/12" as ShopifyGid, quantity: 0 },
      ],
    });
    expect(ops(a)).toEqual(["OrderEditBegin", "OrderEditSetQuantity", "OrderEditSetQuantity", "OrderEditCommit"]);
    expect(a.requests[1]?.body?.variables).toMatchObject({
      id: "gid://shopify/CalculatedOrder/9",
      lineItemId: "gid://shopify/CalculatedLineItem/11",
      quantity: 1,
      restock: true,
    });
    expect(a.requests[2]?.body?.variables).toMatchObject({ lineItemId: "gid://shopify/CalculatedLineItem/12", quantity: 0 });
    expect(a.requests[3]?.body?.variables).toMatchObject({ notifyCustomer: false });
    expect(res).toEqual({
      kind: "committed",
      orderId: ORDER,
      changed: [
        { lineItemId: "gid://shopify/LineItem/11", from: 3, to: 1 },
        { lineItemId: "gid://shopify/LineItem/12", from: 1, to: 0 },
      ],
    });
  });

  it("is a no-op when lines already have their target (a re-run after a lost response)", async () => {
    const a = await serve({ OrderEditBegin: begin([{ id: "gid://shopify/CalculatedLineItem/11", quantity: 1, editableQuantity: 1 }]) });
    const res = await removeOrReduceLines({
      client: clientFor(a),
      orderId: ORDER,
      restock: false,
      changes: [{ lineItemId: "gid://shopify/LineItem/11" as ShopifyGid, quantity: 1 }],
    });
    expect(res).toEqual({ kind: "unchanged" });
    expect(ops(a)).toEqual(["OrderEditBegin"]);
  });

  it("refuses to remove fulfilled units, to increase, or unknown lines, before staging anything", async () => {
    const a = await serve({ OrderEditBegin: begin([{ id: "gid://shopify/CalculatedLineItem/11", quantity: 3, editableQuantity: 1 }]) });
    const client = clientFor(a);
    const one = (lineItemId: string, quantity: number) =>
      removeOrReduceLines({ client, orderId: ORDER, restock: false, changes: [{ lineItemId: lineItemId as ShopifyGid, quantity }] });
    await expect(one("gid://shopify/LineItem/11", 0)).rejects.toThrow(/only 1 of 3 units/);
    await expect(one("gid://shopify/LineItem/11", 4)).rejects.toThrow(/only reduces/);
    await expect(one("gid://shopify/LineItem/99", 0)).rejects.toThrow(/not on order/);
    await expect(one("gid://shopify/Order/11", 0)).rejects.toThrow(/Not a LineItem/);
    expect(ops(a).every((o) => o === "OrderEditBegin")).toBe(true);
  });
});

describe("cancelOrder", () => {
  it("sends reason/restock/staff note, notifyCustomer false, refundMethod explicit; returns the job", async () => {
    const a = await serve({ OrderCancel: () => ({ orderCancel: { job: { id: "gid://shopify/Job/1", done: false }, orderCancelUserErrors: [] } }) });
    const res = await cancelOrder({ client: clientFor(a), orderId: ORDER, reason: "INVENTORY", restock: true, staffNote: "x".repeat(300) });
    expect(res).toEqual({ jobId: "gid://shopify/Job/1", jobDone: false });
    const vars = a.requests[0]?.body?.variables;
    expect(vars).toMatchObject({ orderId: ORDER, reason: "INVENTORY", restock: true, notifyCustomer: false, refundMethod: { originalPaymentMethodsRefund: false } });
    expect(String(vars?.staffNote).length).toBe(255);
  });

  it("surfaces orderCancelUserErrors as ShopifyUserError", async () => {
    const a = await serve({
      OrderCancel: () => ({ orderCancel: { job: null, orderCancelUserErrors: [{ field: ["orderId"], message: "Cannot cancel", code: "INVALID" }] } }),
    });
    const err = await cancelOrder({ client: clientFor(a), orderId: ORDER, reason: "OTHER", restock: false }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyUserError);
    expect((err as ShopifyUserError).hasCode("INVALID")).toBe(true);
  });
});

describe("tags and metafields", () => {
  it("addTags dedupes and skips empty input", async () => {
    const a = await serve({ TagsAdd: () => ({ tagsAdd: { node: { id: ORDER }, userErrors: [] } }) });
    await addTags({ client: clientFor(a), id: ORDER, tags: [] });
    expect(a.requests).toHaveLength(0);
    await addTags({ client: clientFor(a), id: ORDER, tags: ["a", " a ", "b"] });
    expect(a.requests[0]?.body?.variables.tags).toEqual(["a", "b"]);
  });

  it("setMetafields sends at most 25 per call", async () => {
    const a = await serve({
      MetafieldsSet: (req) => ({
        metafieldsSet: {
          metafields: (req.body?.variables.metafields as { key: string; value: string }[]).map((m, i) => ({
            id: `gid://shopify/Metafield/${i}`,
            namespace: "mirakl",
            key: m.key,
            value: m.value,
            type: "single_line_text_field",
            compareDigest: "d",
          })),
          userErrors: [],
        },
      }),
    });
    const metafields = Array.from({ length: 60 }, (_, i) => ({
      ownerId: ORDER,
      namespace: "mirakl",
      key: `k${String(i).padStart(2, "0")}`,
      type: "single_line_text_field",
      value: String(i),
    }));
    const set = await setMetafields({ client: clientFor(a), metafields });
    expect(a.requests.map((r) => (r.body?.variables.metafields as unknown[]).length)).toEqual([25, 25, 10]);
    expect(set).toHaveLength(60);
  });

  it("ensureMiraklIdMetafieldDefinition treats TAKEN as exists", async () => {
    const a = await serve({
      MetafieldDefinitionCreate: () => ({
        metafieldDefinitionCreate: { createdDefinition: null, userErrors: [{ field: ["definition", "key"], message: "taken", code: "TAKEN" }] },
      }),
    });
    expect(await ensureMiraklIdMetafieldDefinition({ client: clientFor(a), namespace: "mirakl", key: "order_id" })).toEqual({ kind: "exists" });
    const def = a.requests[0]?.body?.variables.definition as Record<string, unknown>;
    expect(def).toMatchObject({ ownerType: "ORDER", capabilities: { uniqueValues: { enabled: true } } });
  });
});

describe("getOrder", () => {
  const line = (n: number) => ({
    id: `gid://shopify/LineItem/${n}`,
    sku: `S${n}`,
    name: `Item ${n}`,
    quantity: 2,
    currentQuantity: 2,
    unfulfilledQuantity: 1,
    refundableQuantity: 2,
    nonFulfillableQuantity: 0,
    variant: { id: `gid://shopify/ProductVariant/${n}` },
    originalUnitPriceSet: money("5.00"),
  });
  const header = {
    id: ORDER,
    name: "#1001",
    legacyResourceId: "100",
    createdAt: "2026-01-01T00:00:00Z",
    processedAt: "2026-01-01T00:00:00Z",
    updatedAt: "2026-01-02T00:00:00Z",
    cancelledAt: null,
    cancelReason: null,
    closed: false,
    edited: false,
    displayFulfillmentStatus: "PARTIALLY_FULFILLED",
    displayFinancialStatus: "PAID",
    tags: ["mirakl-X-1"],
    sourceIdentifier: "X-1",
    currencyCode: "EUR",
    presentmentCurrencyCode: "EUR",
    metafields: { nodes: [{ id: "gid://shopify/Metafield/1", namespace: "mirakl", key: "order_id", value: "X-1", type: "single_line_text_field" }] },
  };

  it("composes header, paged lines, fulfillment orders (with line overflow), fulfillments and refunds", async () => {
    const a = await serve({
      OrderCore: (req) =>
        req.body?.variables.linesAfter === null
          ? { order: { ...header, lineItems: { nodes: [line(1)], pageInfo: { hasNextPage: true, endCursor: "L1" } } } }
          : { order: { ...header, lineItems: { nodes: [line(2)], pageInfo: { hasNextPage: false, endCursor: null } } } },
      OrderFulfillmentOrders: () => ({
        order: {
          id: ORDER,
          fulfillmentOrders: {
            nodes: [
              {
                id: "gid://shopify/FulfillmentOrder/1",
                status: "IN_PROGRESS",
                requestStatus: "UNSUBMITTED",
                assignedLocation: { name: "Warehouse", location: { id: "gid://shopify/Location/1" } },
                lineItems: {
                  nodes: [{ id: "gid://shopify/FulfillmentOrderLineItem/1", remainingQuantity: 1, totalQuantity: 2, sku: "S1", lineItem: { id: "gid://shopify/LineItem/1" } }],
                  pageInfo: { hasNextPage: true, endCursor: "F1" },
                },
              },
            ],
            pageInfo: { hasNextPage: false, endCursor: null },
          },
        },
      }),
      FulfillmentOrderLineItems: (req) => {
        expect(req.body?.variables.after).toBe("F1");
        return {
          fulfillmentOrder: {
            id: "gid://shopify/FulfillmentOrder/1",
            lineItems: {
              nodes: [{ id: "gid://shopify/FulfillmentOrderLineItem/2", remainingQuantity: 2, totalQuantity: 2, sku: "S2", lineItem: { id: "gid://shopify/LineItem/2" } }],
              pageInfo: { hasNextPage: false, endCursor: null },
            },
          },
        };
      },
      OrderFulfillmentIds: () => ({ order: { id: ORDER, fulfillments: [{ id: "gid://shopify/Fulfillment/1" }] } }),
      FulfillmentsByIds: () => ({
        nodes: [
          {
            __typename: "Fulfillment",
            id: "gid://shopify/Fulfillment/1",
            name: "#1001.1",
            status: "SUCCESS",
            displayStatus: "IN_TRANSIT",
            createdAt: "2026-01-02T00:00:00Z",
            updatedAt: "2026-01-02T00:00:00Z",
            trackingInfo: [{ company: "DHL", number: "123", url: "https://t/123" }],
            fulfillmentLineItems: {
              nodes: [{ id: "gid://shopify/FulfillmentLineItem/1", quantity: 1, lineItem: { id: "gid://shopify/LineItem/1" } }],
              pageInfo: { hasNextPage: false, endCursor: null },
            },
          },
        ],
      }),
      OrderRefundIds: () => ({ order: { id: ORDER, refunds: [{ id: "gid://shopify/Refund/1" }] } }),
      RefundsByIds: () => ({
        nodes: [
          {
            __typename: "Refund",
            id: "gid://shopify/Refund/1",
            createdAt: "2026-01-03T00:00:00Z",
            note: null,
            totalRefundedSet: money("5.00"),
            refundLineItems: {
              nodes: [{ id: "gid://shopify/RefundLineItem/1", quantity: 1, restockType: "NO_RESTOCK", lineItem: { id: "gid://shopify/LineItem/2" }, subtotalSet: money("5.00"), totalTaxSet: money("0.00") }],
              pageInfo: { hasNextPage: false, endCursor: null },
            },
            refundShippingLines: { nodes: [] },
          },
        ],
      }),
    });
    const order = await getOrder({ client: clientFor(a), id: ORDER, namespace: "mirakl" });
    expect(order?.lineItems.map((l) => l.id)).toEqual(["gid://shopify/LineItem/1", "gid://shopify/LineItem/2"]);
    expect(order?.metafields[0]?.value).toBe("X-1");
    expect(order?.fulfillmentOrders[0]?.lineItems.map((l) => [l.lineItemId, l.remainingQuantity])).toEqual([
      ["gid://shopify/LineItem/1", 1],
      ["gid://shopify/LineItem/2", 2],
    ]);
    expect(order?.fulfillmentOrders[0]?.locationId).toBe("gid://shopify/Location/1");
    expect(order?.fulfillments[0]).toMatchObject({ status: "SUCCESS", trackingInfo: [{ company: "DHL", number: "123" }] });
    expect(order?.fulfillments[0]?.lineItems).toEqual([{ id: "gid://shopify/FulfillmentLineItem/1", lineItemId: "gid://shopify/LineItem/1", quantity: 1 }]);
    expect(order?.refunds[0]?.refundLineItems[0]).toMatchObject({ lineItemId: "gid://shopify/LineItem/2", quantity: 1 });
    expect(ops(a)).toEqual([
      "OrderCore",
      "OrderCore",
      "OrderFulfillmentOrders",
      "FulfillmentOrderLineItems",
      "OrderFulfillmentIds",
      "FulfillmentsByIds",
      "OrderRefundIds",
      "RefundsByIds",
    ]);
  });

  it("returns null for an unknown order and can skip parts", async () => {
    const a = await serve({ OrderCore: () => ({ order: null }) });
    expect(await getOrder({ client: clientFor(a), id: ORDER, namespace: "mirakl" })).toBeNull();
    expect(ops(a)).toEqual(["OrderCore"]);
  });
});
