import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { setLogSink } from "../lib/logger";
import { ShopifyUnavailableError, ShopifyUserError } from "./errors";
import { clientFor, ok, startFakeAdminApi, type FakeAdminApi } from "./fake-admin-api.test-helper";
import { createFulfillment, getFulfillments, updateTracking } from "./fulfillments";
import type { ShopifyGid } from "./gid";
import { deriveIdempotencyKey } from "./idempotency-key";
import { createRefund } from "./refunds";

const money = (amount: string) => ({ shopMoney: { amount, currencyCode: "EUR" }, presentmentMoney: null });
const fulfillment = {
  id: "gid://shopify/Fulfillment/5",
  name: "#1001.1",
  status: "SUCCESS",
  displayStatus: "FULFILLED",
  createdAt: "2026-01-02T00:00:00Z",
  updatedAt: "2026-01-02T00:00:00Z",
  trackingInfo: [{ company: "UPS", number: "1Z", url: null }],
  fulfillmentLineItems: {
    nodes: [{ id: "gid://shopify/FulfillmentLineItem/1", quantity: 2, lineItem: { id: "gid://shopify/LineItem/1" } }],
    pageInfo: { hasNextPage: false, endCursor: null },
  },
};

let api: FakeAdminApi | undefined;
beforeAll(() => setLogSink(() => undefined, "info"));
afterEach(async () => {
  await api?.close();
  api = undefined;
});

describe("createFulfillment", () => {
  it("fulfils the given FO lines with tracking and notifyCustomer false by default", async () => {
    api = await startFakeAdminApi(() => ok({ fulfillmentCreate: { fulfillment, userErrors: [] } }));
    const f = await createFulfillment({
      client: clientFor(api),
      fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1" as ShopifyGid,
      lines: [{ fulfillmentOrderLineItemId: "gid://shopify/FulfillmentOrderLineItem/1" as ShopifyGid, quantity: 2 }],
      tracking: { company: "UPS", number: "1Z", url: null },
    });
    expect(f.lineItems).toEqual([{ id: "gid://shopify/FulfillmentLineItem/1", lineItemId: "gid://shopify/LineItem/1", quantity: 2 }]);
    expect(api.requests[0]?.body?.variables.fulfillment).toEqual({
      notifyCustomer: false,
      trackingInfo: { company: "UPS", number: "1Z" },
      lineItemsByFulfillmentOrder: [
        { fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1", fulfillmentOrderLineItems: [{ id: "gid://shopify/FulfillmentOrderLineItem/1", quantity: 2 }] },
      ],
    });
  });

  it("omits the lines to fulfil everything remaining; is never retried after 5xx", async () => {
    api = await startFakeAdminApi(() => ({ status: 502, text: "" }));
    const err = await createFulfillment({ client: clientFor(api), fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1" as ShopifyGid }).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ShopifyUnavailableError);
    expect(api.requests).toHaveLength(1);
    const sent = api.requests[0]?.body?.variables.fulfillment as { lineItemsByFulfillmentOrder: Record<string, unknown>[] };
    expect(sent.lineItemsByFulfillmentOrder[0]).toEqual({ fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1" });
  });

  it("updateTracking sends the new tracking", async () => {
    api = await startFakeAdminApi(() =>
      ok({ fulfillmentTrackingInfoUpdate: { fulfillment: { id: fulfillment.id, status: "SUCCESS", trackingInfo: [{ company: "DHL", number: "9", url: "https://x/9" }] }, userErrors: [] } }),
    );
    const res = await updateTracking({ client: clientFor(api), fulfillmentId: fulfillment.id as ShopifyGid, tracking: { company: "DHL", number: "9", url: "https://x/9" } });
    expect(res.trackingInfo[0]?.number).toBe("9");
    expect(api.requests[0]?.body?.variables).toEqual({
      fulfillmentId: fulfillment.id,
      trackingInfoInput: { company: "DHL", number: "9", url: "https://x/9" },
      notifyCustomer: false,
    });
  });
});

describe("getFulfillments", () => {
  const line = (n: number, quantity: number | null) => ({ id: `gid://shopify/FulfillmentLineItem/${n}`, quantity, lineItem: { id: `gid://shopify/LineItem/${n}` } });

  it("reads the lines beyond the first page from the first page's cursor, page after page", async () => {
    api = await startFakeAdminApi((req) => {
      if (req.body?.operationName === "FulfillmentsByIds") {
        return ok({ nodes: [{ __typename: "Fulfillment", ...fulfillment, fulfillmentLineItems: { nodes: [line(1, 2)], pageInfo: { hasNextPage: true, endCursor: "L1" } } }] });
      }
      const after = req.body?.variables.after;
      const page = after === "L1" ? { nodes: [line(2, null)], pageInfo: { hasNextPage: true, endCursor: "L2" } } : { nodes: [line(3, 1)], pageInfo: { hasNextPage: false, endCursor: null } };
      return ok({ fulfillment: { id: fulfillment.id, fulfillmentLineItems: page } });
    });
    const [f] = await getFulfillments({ client: clientFor(api), ids: [fulfillment.id as ShopifyGid] });
    expect(api.requests.map((r) => [r.body?.operationName, r.body?.variables.after])).toEqual([
      ["FulfillmentsByIds", undefined],
      ["FulfillmentLineItems", "L1"],
      ["FulfillmentLineItems", "L2"],
    ]);
    // A null quantity (allowed by the schema) counts as 0, never as shipped.
    expect(f?.lineItems.map((l) => [l.lineItemId, l.quantity])).toEqual([
      ["gid://shopify/LineItem/1", 2],
      ["gid://shopify/LineItem/2", 0],
      ["gid://shopify/LineItem/3", 1],
    ]);
    expect(f).toMatchObject({ id: fulfillment.id, name: "#1001.1", displayStatus: "FULFILLED", trackingInfo: fulfillment.trackingInfo });
  });

  it("keeps the lines read so far when the fulfillment is gone before its other lines are read", async () => {
    api = await startFakeAdminApi((req) =>
      req.body?.operationName === "FulfillmentsByIds"
        ? ok({ nodes: [{ __typename: "Fulfillment", ...fulfillment, fulfillmentLineItems: { nodes: [line(1, 2)], pageInfo: { hasNextPage: true, endCursor: "L1" } } }] })
        : ok({ fulfillment: null }),
    );
    const [f] = await getFulfillments({ client: clientFor(api), ids: [fulfillment.id as ShopifyGid] });
    expect(f?.lineItems.map((l) => l.id)).toEqual(["gid://shopify/FulfillmentLineItem/1"]);
    expect(api.requests).toHaveLength(2);
  });
});

describe("mutations answered with neither a fulfillment nor userErrors", () => {
  it("are unavailable errors that may have applied, naming the operation", async () => {
    api = await startFakeAdminApi((req) =>
      ok(req.body?.operationName === "FulfillmentCreate" ? { fulfillmentCreate: { fulfillment: null, userErrors: [] } } : { fulfillmentTrackingInfoUpdate: { fulfillment: null, userErrors: [] } }),
    );
    const client = clientFor(api);
    const created = await createFulfillment({ client, fulfillmentOrderId: "gid://shopify/FulfillmentOrder/1" as ShopifyGid }).catch((e: unknown) => e);
    const updated = await updateTracking({ client, fulfillmentId: fulfillment.id as ShopifyGid, tracking: { number: "9" } }).catch((e: unknown) => e);
    for (const [err, op] of [[created, "FulfillmentCreate"], [updated, "FulfillmentTrackingInfoUpdate"]] as const) {
      expect(err).toBeInstanceOf(ShopifyUnavailableError);
      expect((err as ShopifyUnavailableError).details).toMatchObject({ operationName: op, kind: "mutation", mayHaveApplied: true });
    }
    expect((created as Error).message).toBe("fulfillmentCreate returned neither a fulfillment nor userErrors");
    expect((updated as Error).message).toBe("fulfillmentTrackingInfoUpdate returned neither a fulfillment nor userErrors");
  });
});

describe("createRefund", () => {
  const refund = {
    id: "gid://shopify/Refund/3",
    createdAt: "2026-01-04T00:00:00Z",
    note: "Mirakl refund R-1",
    totalRefundedSet: money("10.00"),
    refundLineItems: {
      nodes: [{ id: "gid://shopify/RefundLineItem/1", quantity: 1, restockType: "NO_RESTOCK", lineItem: { id: "gid://shopify/LineItem/1" }, subtotalSet: money("10.00"), totalTaxSet: money("0.00") }],
      pageInfo: { hasNextPage: false, endCursor: null },
    },
    refundShippingLines: { nodes: [] },
  };

  it("uses @idempotent with a deterministic key and retries a 5xx with the same key", async () => {
    api = await startFakeAdminApi((_r, i) => (i === 0 ? { status: 503, text: "" } : ok({ refundCreate: { refund, userErrors: [] } })));
    const key = deriveIdempotencyKey(["refund", "shop", "M-1", "R-1"]);
    const res = await createRefund({
      client: clientFor(api),
      orderId: "gid://shopify/Order/1" as ShopifyGid,
      refundLineItems: [{ lineItemId: "gid://shopify/LineItem/1" as ShopifyGid, quantity: 1, restockType: "NO_RESTOCK" }],
      shipping: { amount: "4.90" },
      note: "Mirakl refund R-1",
      idempotencyKey: key,
    });
    expect(res.id).toBe("gid://shopify/Refund/3");
    expect(api.requests).toHaveLength(2);
    expect(api.requests.map((r) => r.body?.variables.idempotencyKey)).toEqual([key, key]);
    expect(api.requests[0]?.body?.query).toContain("refundCreate(input: $input) @idempotent(key: $idempotencyKey)");
    expect(api.requests[0]?.body?.variables.input).toMatchObject({ shipping: { amount: "4.90" }, notify: false });
  });

  it("IDEMPOTENCY_KEY_PARAMETER_MISMATCH (key reused for another refund) is a non-retryable user error", async () => {
    api = await startFakeAdminApi(() =>
      ok({ refundCreate: { refund: null, userErrors: [{ field: null, message: "mismatch", code: "IDEMPOTENCY_KEY_PARAMETER_MISMATCH" }] } }),
    );
    const err = await createRefund({
      client: clientFor(api),
      orderId: "gid://shopify/Order/1" as ShopifyGid,
      shipping: { fullRefund: true },
      idempotencyKey: "k",
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ShopifyUserError);
    expect((err as ShopifyUserError).retryable).toBe(false);
  });

  it("refuses an empty refund", async () => {
    api = await startFakeAdminApi(() => ok({}));
    await expect(createRefund({ client: clientFor(api), orderId: "gid://shopify/Order/1" as ShopifyGid, idempotencyKey: "k" })).rejects.toThrow(/nothing to refund/);
    expect(api.requests).toHaveLength(0);
  });
});
