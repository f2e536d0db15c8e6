import { createHmac } from "node:crypto";
import { getHmac } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SIMULATED_TOPICS, startShopifySimulator, type ShopifySimulator } from "./index";
import { gql, miraklOrderInput, ORDER_CREATE, seedShop, SHOP, startReceiver, TOKEN, type Receiver } from "./test-support";

const SECRET = "shpss_app_secret";
const subscriptions = SIMULATED_TOPICS.map((topic) => ({ topic, uri: `/webhooks/${topic}` }));

let receiver: Receiver;
let sim: ShopifySimulator;
let seeded: ReturnType<typeof seedShop>;

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await startShopifySimulator({
    seed: 42,
    webhooks: { appUrl: receiver.url, secret: SECRET, subscriptions, retry: { attempts: 3, delaysMs: [20, 40] } },
  });
  seeded = seedShop(sim);
});
afterAll(async () => {
  await sim.close();
  await receiver.close();
});
beforeEach(() => {
  receiver.received.length = 0;
});

const header = (h: Record<string, unknown>, name: string) => h[name.toLowerCase()] as string | undefined;
const topicOf = (r: { headers: Record<string, unknown> }) => header(r.headers, "X-Shopify-Topic");
const bodyOf = (r: { rawBody: string }) => JSON.parse(r.rawBody) as Record<string, any>;

async function importOrder(sourceIdentifier: string, sku = "SKU-C", quantity = 2) {
  const res = await gql(sim, TOKEN, ORDER_CREATE, { order: miraklOrderInput(seeded.variants[sku]?.variantId ?? "", { sourceIdentifier, quantity }) });
  const order = res.body.data?.orderCreate.order;
  return { id: order.id as string, name: order.name as string, lineItemId: order.lineItems.nodes[0].id as string };
}

describe("webhook delivery (notes §3)", () => {
  it("POSTs a REST-shaped payload with Shopify's headers and a correct HMAC of the raw body", async () => {
    const order = await importOrder("MK-HOOK-1");
    await sim.control.flushWebhooks();
    const hook = receiver.received.find((r) => topicOf(r) === "orders/create");
    expect(hook).toBeDefined();
    if (!hook) return;
    expect(hook.path).toBe("/webhooks/orders/create");
    const expected = createHmac("sha256", SECRET).update(hook.rawBody, "utf8").digest("base64");
    expect(header(hook.headers, "X-Shopify-Hmac-Sha256")).toBe(expected);
    expect(header(hook.headers, "X-Shopify-Hmac-Sha256")).toBe(getHmac(hook.rawBody, SECRET));
    expect(header(hook.headers, "X-Shopify-Shop-Domain")).toBe(SHOP);
    expect(header(hook.headers, "X-Shopify-API-Version")).toBe("2026-04");
    expect(header(hook.headers, "X-Shopify-Webhook-Id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(header(hook.headers, "X-Shopify-Event-Id")).toMatch(/^[0-9a-f-]{36}$/);
    expect(Number.isNaN(Date.parse(header(hook.headers, "X-Shopify-Triggered-At") ?? ""))).toBe(false);
    const payload = bodyOf(hook);
    expect(payload.id).toBe(Number(order.id.split("/").pop()));
    expect(payload.admin_graphql_api_id).toBe(order.id);
    expect(payload).toMatchObject({
      name: order.name,
      source_identifier: "MK-HOOK-1",
      total_price: "46.53",
      total_tax: "6.65",
      currency: "EUR",
      tags: "mirakl, marketplace:decathlon",
      financial_status: "paid",
      fulfillment_status: null,
    });
    expect(payload.line_items[0]).toMatchObject({ sku: "SKU-C", quantity: 2, price: "17.49", tax_lines: [{ price: "5.83", rate: 0.2, title: "TVA" }] });
    expect(payload.app_id).toEqual(expect.any(Number));
  });

  it("retries a delivery answered with 500, keeping the webhook id", async () => {
    receiver.failNext([500]);
    await importOrder("MK-HOOK-RETRY");
    await sim.control.flushWebhooks();
    const hooks = receiver.received.filter((r) => topicOf(r) === "orders/create");
    expect(hooks.map((h) => h.status)).toEqual([500, 200]);
    expect(header(hooks[0]?.headers ?? {}, "X-Shopify-Webhook-Id")).toBe(header(hooks[1]?.headers ?? {}, "X-Shopify-Webhook-Id"));
    expect(hooks[0]?.rawBody).toBe(hooks[1]?.rawBody); // the original payload, not a fresh one
    const entry = sim.control.webhookLog({ topic: "orders/create" }).find((e) => (e.payload as { source_identifier?: string }).source_identifier === "MK-HOOK-RETRY");
    expect(entry?.state).toBe("delivered");
    expect(entry?.attempts.map((a) => a.status)).toEqual([500, 200]);
  });

  it("gives up after the configured attempts and logs the failure", async () => {
    receiver.failNext([503, 500, 502]);
    await importOrder("MK-HOOK-FAIL");
    await sim.control.flushWebhooks();
    const entry = sim.control.webhookLog({ topic: "orders/create" }).find((e) => (e.payload as { source_identifier?: string }).source_identifier === "MK-HOOK-FAIL");
    expect(entry?.state).toBe("failed");
    expect(entry?.attempts.map((a) => a.status)).toEqual([503, 500, 502]);
  });

  it("fires fulfillments/create with tracking on fulfillmentCreate, then orders/updated", async () => {
    const order = await importOrder("MK-HOOK-SHIP");
    const fos = await gql(sim, TOKEN, "query($id: ID!) { order(id: $id) { fulfillmentOrders(first: 5) { nodes { id lineItems(first: 5) { nodes { id remainingQuantity } } } } } }", {
      id: order.id,
    });
    const fo = fos.body.data?.order.fulfillmentOrders.nodes[0];
    const res = await gql(
      sim,
      TOKEN,
      `mutation($f: FulfillmentInput!) { fulfillmentCreate(fulfillment: $f) { fulfillment { id status trackingInfo(first: 5) { company number url } } userErrors { message } } }`,
      {
        f: {
          lineItemsByFulfillmentOrder: [{ fulfillmentOrderId: fo.id, fulfillmentOrderLineItems: [{ id: fo.lineItems.nodes[0].id, quantity: 1 }] }],
          trackingInfo: { company: "Colissimo", number: "6A123456789", url: "https://track.example/6A123456789" },
          notifyCustomer: false,
        },
      },
    );
    expect(res.body.data?.fulfillmentCreate.userErrors).toEqual([]);
    expect(res.body.data?.fulfillmentCreate.fulfillment.trackingInfo).toEqual([
      { company: "Colissimo", number: "6A123456789", url: "https://track.example/6A123456789" },
    ]);
    await sim.control.flushWebhooks();
    const topics = receiver.received.map(topicOf);
    expect(topics).toContain("fulfillments/create");
    expect(topics).toContain("orders/updated");
    const payload = bodyOf(receiver.received.find((r) => topicOf(r) === "fulfillments/create") ?? { rawBody: "{}" });
    expect(payload).toMatchObject({
      order_id: Number(order.id.split("/").pop()),
      status: "success",
      tracking_company: "Colissimo",
      tracking_number: "6A123456789",
      tracking_numbers: ["6A123456789"],
      tracking_url: "https://track.example/6A123456789",
      admin_graphql_api_id: res.body.data?.fulfillmentCreate.fulfillment.id,
    });
    expect(payload.line_items).toEqual([expect.objectContaining({ id: Number(order.lineItemId.split("/").pop()), quantity: 1 })]);
    const updated = receiver.received.filter((r) => topicOf(r) === "orders/updated").map(bodyOf).pop();
    expect(updated?.fulfillment_status).toBe("partial");

    // Tracking update: fulfillments/update
    receiver.received.length = 0;
    const upd = await gql(
      sim,
      TOKEN,
      `mutation($id: ID!, $t: FulfillmentTrackingInput!) { fulfillmentTrackingInfoUpdate(fulfillmentId: $id, trackingInfoInput: $t) { fulfillment { trackingInfo(first: 1) { number } } userErrors { message } } }`,
      { id: res.body.data?.fulfillmentCreate.fulfillment.id, t: { company: "UPS", number: "1Z999" } },
    );
    expect(upd.body.data?.fulfillmentTrackingInfoUpdate.fulfillment.trackingInfo).toEqual([{ number: "1Z999" }]);
    await sim.control.flushWebhooks();
    const update = receiver.received.find((r) => topicOf(r) === "fulfillments/update");
    expect(bodyOf(update ?? { rawBody: "{}" })).toMatchObject({ tracking_company: "UPS", tracking_number: "1Z999", tracking_url: expect.stringContaining("ups.com") });
  });

  it("fires orders/edited with the order_edit additions/removals payload on orderEditCommit", async () => {
    const order = await importOrder("MK-HOOK-EDIT", "SKU-C", 3);
    const begin = await gql(
      sim,
      TOKEN,
      `mutation($id: ID!) { orderEditBegin(id: $id) { calculatedOrder { id lineItems(first: 10) { nodes { id quantity editableQuantity sku } } } orderEditSession { id } userErrors { message } } }`,
      { id: order.id },
    );
    const calc = begin.body.data?.orderEditBegin.calculatedOrder;
    expect(calc.lineItems.nodes).toEqual([{ id: order.lineItemId.replace("LineItem", "CalculatedLineItem"), quantity: 3, editableQuantity: 3, sku: "SKU-C" }]);
    const setQ = await gql(
      sim,
      TOKEN,
      `mutation($id: ID!, $li: ID!) { orderEditSetQuantity(id: $id, lineItemId: $li, quantity: 1, restock: true) { calculatedLineItem { id quantity } userErrors { message } } }`,
      { id: calc.id, li: calc.lineItems.nodes[0].id },
    );
    expect(setQ.body.data?.orderEditSetQuantity.calculatedLineItem.quantity).toBe(1);
    const add = await gql(
      sim,
      TOKEN,
      `mutation($id: ID!, $v: ID!, $loc: ID) { orderEditAddVariant(id: $id, variantId: $v, locationId: $loc, quantity: 2) { calculatedLineItem { id sku quantity } userErrors { message } } }`,
      { id: calc.id, v: seeded.variants["SKU-A"]?.variantId, loc: seeded.locations.Paris },
    );
    expect(add.body.data?.orderEditAddVariant.calculatedLineItem).toMatchObject({ sku: "SKU-A", quantity: 2 });
    receiver.received.length = 0;
    const commit = await gql(
      sim,
      TOKEN,
      `mutation($id: ID!) { orderEditCommit(id: $id, notifyCustomer: false, staffNote: "Mirakl OR30") { order { id edited lineItems(first: 10) { nodes { id sku quantity currentQuantity } } } userErrors { message } } }`,
      { id: calc.id },
    );
    const edited = commit.body.data?.orderEditCommit.order;
    expect(edited.edited).toBe(true);
    const added = edited.lineItems.nodes.find((n: { sku: string }) => n.sku === "SKU-A");
    expect(edited.lineItems.nodes.find((n: { sku: string }) => n.sku === "SKU-C")).toMatchObject({ quantity: 3, currentQuantity: 1 });
    await sim.control.flushWebhooks();
    const hook = receiver.received.find((r) => topicOf(r) === "orders/edited");
    const payload = bodyOf(hook ?? { rawBody: "{}" });
    expect(Object.keys(payload)).toEqual(["order_edit"]);
    expect(payload.order_edit).toMatchObject({
      order_id: Number(order.id.split("/").pop()),
      staff_note: "Mirakl OR30",
      notify_customer: false,
      line_items: {
        additions: [{ id: Number(added.id.split("/").pop()), delta: 2 }],
        removals: [{ id: Number(order.lineItemId.split("/").pop()), delta: 2 }],
      },
    });
    expect(typeof payload.order_edit.committed_at).toBe("string");
    expect(receiver.received.map(topicOf)).toContain("orders/updated");
  });

  it("refuses to edit fulfilled units", async () => {
    const order = await importOrder("MK-HOOK-EDIT-2", "SKU-C", 2);
    sim.control.fulfill({ shop: SHOP, orderId: order.id, lines: [{ lineItemId: order.lineItemId, quantity: 2 }], trackingCompany: "DHL", trackingNumber: "D1" });
    const begin = await gql(sim, TOKEN, `mutation($id: ID!) { orderEditBegin(id: $id) { calculatedOrder { id lineItems(first: 5) { nodes { id editableQuantity } } } } }`, {
      id: order.id,
    });
    const calc = begin.body.data?.orderEditBegin.calculatedOrder;
    expect(calc.lineItems.nodes[0].editableQuantity).toBe(0);
    const setQ = await gql(
      sim,
      TOKEN,
      `mutation($id: ID!, $li: ID!) { orderEditSetQuantity(id: $id, lineItemId: $li, quantity: 0) { calculatedLineItem { id } userErrors { field message } } }`,
      { id: calc.id, li: calc.lineItems.nodes[0].id },
    );
    expect(setQ.body.data?.orderEditSetQuantity.userErrors[0].message).toContain("only unfulfilled items can be edited");
  });

  it("fires orders/cancelled and orders/updated on orderCancel, restocking committed units", async () => {
    const before = sim.control.inventory({ shop: SHOP })["SKU-C"]?.Paris?.available ?? 0;
    const created = await gql(sim, TOKEN, ORDER_CREATE, {
      order: miraklOrderInput(seeded.variants["SKU-C"]?.variantId ?? "", { sourceIdentifier: "MK-HOOK-CANCEL" }),
      options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" },
    });
    const id = created.body.data?.orderCreate.order.id;
    expect(sim.control.inventory({ shop: SHOP })["SKU-C"]?.Paris?.available).toBe(before - 2);
    receiver.received.length = 0;
    const res = await gql(
      sim,
      TOKEN,
      `mutation($id: ID!) { orderCancel(orderId: $id, reason: CUSTOMER, restock: true, notifyCustomer: false, staffNote: "Mirakl refused") { job { id done } orderCancelUserErrors { code message } } }`,
      { id },
    );
    const job = res.body.data?.orderCancel.job;
    expect(res.body.data?.orderCancel.orderCancelUserErrors).toEqual([]);
    expect(job.done).toBe(false);
    await sim.control.flushWebhooks();
    const jobNow = await gql(sim, TOKEN, "query($id: ID!) { job(id: $id) { done } }", { id: job.id });
    expect(jobNow.body.data?.job.done).toBe(true);
    expect(sim.control.inventory({ shop: SHOP })["SKU-C"]?.Paris?.available).toBe(before);
    const topics = receiver.received.map(topicOf);
    expect(topics).toEqual(expect.arrayContaining(["orders/cancelled", "orders/updated", "inventory_levels/update"]));
    const cancelled = bodyOf(receiver.received.find((r) => topicOf(r) === "orders/cancelled") ?? { rawBody: "{}" });
    expect(cancelled.cancel_reason).toBe("customer");
    expect(typeof cancelled.cancelled_at).toBe("string");
    const again = await gql(sim, TOKEN, `mutation($id: ID!) { orderCancel(orderId: $id, reason: OTHER, restock: false) { job { id } orderCancelUserErrors { code } } }`, { id });
    expect(again.body.data?.orderCancel.orderCancelUserErrors[0].code).toBe("INVALID");
  });

  it("sends inventory_levels/update with inventory_item_id, location_id and available", async () => {
    await gql(
      sim,
      TOKEN,
      `mutation($input: InventorySetQuantitiesInput!) { inventorySetQuantities(input: $input) @idempotent(key: "hook-inv-1") { userErrors { code } } }`,
      {
        input: {
          name: "available",
          reason: "correction",
          quantities: [{ inventoryItemId: seeded.variants["SKU-B"]?.inventoryItemId, locationId: seeded.locations.Lyon, quantity: 7, changeFromQuantity: null }],
        },
      },
    );
    await sim.control.flushWebhooks();
    const hook = receiver.received.find((r) => topicOf(r) === "inventory_levels/update");
    expect(bodyOf(hook ?? { rawBody: "{}" })).toEqual({
      inventory_item_id: Number(seeded.variants["SKU-B"]?.inventoryItemId.split("/").pop()),
      location_id: Number(seeded.locations.Lyon?.split("/").pop()),
      available: 7,
      updated_at: expect.any(String),
      admin_graphql_api_id: expect.stringMatching(/^gid:\/\/shopify\/InventoryLevel\/\d+\?inventory_item_id=\d+$/),
    });
  });

  it("sends app/uninstalled on uninstall, after which the token is refused", async () => {
    sim.control.createShop({ domain: "bye.myshopify.com", accessToken: "shpat_bye", products: [{ title: "P", variants: [{ sku: "BYE-1", price: "1" }] }] });
    sim.control.uninstall({ shop: "bye.myshopify.com" });
    await sim.control.flushWebhooks();
    const hook = receiver.received.find((r) => topicOf(r) === "app/uninstalled");
    expect(bodyOf(hook ?? { rawBody: "{}" })).toMatchObject({ myshopify_domain: "bye.myshopify.com", domain: "bye.myshopify.com" });
    expect((await gql(sim, "shpat_bye", "{ shop { name } }")).status).toBe(401);
    // Compliance webhooks still arrive after uninstall (shop/redact comes 48 h later on Shopify, notes §3.2).
    sim.control.sendComplianceWebhook({ shop: "bye.myshopify.com", topic: "shop/redact" });
    await sim.control.flushWebhooks();
    const redact = receiver.received.find((r) => topicOf(r) === "shop/redact");
    expect(bodyOf(redact ?? { rawBody: "{}" })).toEqual({ shop_id: expect.any(Number), shop_domain: "bye.myshopify.com" });
    // Ordinary topics are not delivered to an uninstalled app.
    sim.control.adjustStock({ shop: "bye.myshopify.com", sku: "BYE-1", location: "Main warehouse", delta: 1 });
    await sim.control.flushWebhooks();
    expect(receiver.received.filter((r) => header(r.headers, "X-Shopify-Shop-Domain") === "bye.myshopify.com").map(topicOf)).toEqual([
      "app/uninstalled",
      "shop/redact",
    ]);
  });
});

describe("at-least-once: duplicates and reordering", () => {
  it("sends duplicates with the same webhook id and event id", async () => {
    const rec = await startReceiver();
    const dupSim = await startShopifySimulator({ seed: 1, webhooks: { appUrl: rec.url, secret: SECRET, subscriptions, duplicateRate: 1 } });
    try {
      dupSim.control.createShop({ domain: "dup.myshopify.com", accessToken: "shpat_dup", products: [{ title: "P", variants: [{ sku: "D1", price: "1" }] }] });
      dupSim.control.adjustStock({ shop: "dup.myshopify.com", sku: "D1", location: "Main warehouse", set: 4 });
      await dupSim.control.flushWebhooks();
      expect(rec.received).toHaveLength(2);
      const [a, b] = rec.received;
      expect(header(a?.headers ?? {}, "X-Shopify-Webhook-Id")).toBe(header(b?.headers ?? {}, "X-Shopify-Webhook-Id"));
      expect(header(a?.headers ?? {}, "X-Shopify-Event-Id")).toBe(header(b?.headers ?? {}, "X-Shopify-Event-Id"));
      expect(a?.rawBody).toBe(b?.rawBody);
      expect(dupSim.control.webhookLog().map((e) => e.duplicate).sort()).toEqual([false, true]);
    } finally {
      await dupSim.close();
      await rec.close();
    }
  });

  it("can deliver out of order", async () => {
    const rec = await startReceiver();
    const sim2 = await startShopifySimulator({ seed: 9, webhooks: { appUrl: rec.url, secret: SECRET, subscriptions, reorder: true, reorderWindowMs: 40 } });
    try {
      sim2.control.createShop({ domain: "ro.myshopify.com", accessToken: "shpat_ro", products: [{ title: "P", variants: [{ sku: "R1", price: "1" }] }] });
      for (let i = 1; i <= 12; i++) sim2.control.adjustStock({ shop: "ro.myshopify.com", sku: "R1", location: "Main warehouse", set: i });
      await sim2.control.flushWebhooks();
      const seen = rec.received.map((r) => bodyOf(r).available as number);
      expect([...seen].sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
      expect(seen).not.toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
    } finally {
      await sim2.close();
      await rec.close();
    }
  });
});

describe("faults", () => {
  it("applies an orderCreate whose response never comes (apply then time out)", async () => {
    sim.control.setFaults({ applyThenTimeoutRate: 1, operations: ["orderCreate"] });
    try {
      const call = gql(sim, TOKEN, ORDER_CREATE, { order: miraklOrderInput(seeded.variants["SKU-C"]?.variantId ?? "", { sourceIdentifier: "MK-TIMEOUT" }) }, {
        signal: AbortSignal.timeout(300),
      });
      await expect(call).rejects.toThrow();
      const created = sim.control.orders({ shop: SHOP }).filter((o) => o.sourceIdentifier === "MK-TIMEOUT");
      expect(created).toHaveLength(1);
      // Other operations are untouched.
      const read = await gql(sim, TOKEN, "{ orders(first: 5, query: \"source_identifier:MK-TIMEOUT\") { nodes { id } } }");
      expect(read.body.data?.orders.nodes).toEqual([{ id: created[0]?.id }]);
      expect(sim.control.stats().injectedTimeouts).toBe(1);
    } finally {
      sim.control.setFaults({ applyThenTimeoutRate: 0, operations: [] });
    }
  });

  it("answers 503 before running anything when a 5xx is injected", async () => {
    sim.control.setFaults({ rate5xx: 1 });
    try {
      const res = await gql(sim, TOKEN, ORDER_CREATE, { order: miraklOrderInput(seeded.variants["SKU-C"]?.variantId ?? "", { sourceIdentifier: "MK-503" }) });
      expect(res.status).toBe(503);
      expect(sim.control.orders({ shop: SHOP }).filter((o) => o.sourceIdentifier === "MK-503")).toHaveLength(0);
    } finally {
      sim.control.setFaults({ rate5xx: 0 });
    }
  });
});
