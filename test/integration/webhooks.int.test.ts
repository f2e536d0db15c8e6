import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { TEST_API_SECRET } from "../support/test-env";

let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h?.close();
});

function post(path: string, topic: string, body: unknown, opts: { webhookId?: string; secret?: string } = {}) {
  const raw = JSON.stringify(body);
  const hmac = createHmac("sha256", opts.secret ?? TEST_API_SECRET).update(raw, "utf8").digest("base64");
  return fetch(`${h.services.env.SHOPIFY_APP_URL}${path}`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-hmac-sha256": hmac,
      "x-shopify-topic": topic,
      "x-shopify-shop-domain": h.shop,
      "x-shopify-api-version": "2026-04",
      "x-shopify-webhook-id": opts.webhookId ?? randomUUID(),
      "x-shopify-event-id": randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
    },
    body: raw,
  });
}

describe("webhook routes", () => {
  it("answers 401 to a bad HMAC and records nothing", async () => {
    const before = await h.services.prisma.webhookDelivery.count();
    const res = await post("/webhooks/customers/redact", "customers/redact", { shop_domain: h.shop, orders_to_redact: [] }, { secret: "not-the-app-secret" });
    expect(res.status).toBe(401);
    expect(await h.services.prisma.webhookDelivery.count()).toBe(before);
  });

  it("answers 400 to a delivery without its required headers and records nothing", async () => {
    const before = await h.services.prisma.webhookDelivery.count();
    const res = await fetch(`${h.services.env.SHOPIFY_APP_URL}/webhooks/shop/redact`, { method: "POST", body: "{}", headers: { "content-type": "application/json" } });
    expect(res.status).toBeGreaterThanOrEqual(400);
    expect(res.status).toBeLessThan(500);
    expect(await h.services.prisma.webhookDelivery.count()).toBe(before);
  });

  it("processes a duplicate delivery once", async () => {
    const webhookId = randomUUID();
    const payload = { shop_id: 1, shop_domain: h.shop, customer: { id: 9, email: "x@example.com" }, orders_requested: [] };
    const [a, b] = [await post("/webhooks/customers/data_request", "customers/data_request", payload, { webhookId }), await post("/webhooks/customers/data_request", "customers/data_request", payload, { webhookId })];
    expect(a.status).toBe(200);
    expect(b.status).toBe(200);
    expect(await h.services.prisma.webhookDelivery.count({ where: { webhookId } })).toBe(1);
    await h.drain();
    const delivery = await h.services.prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId } });
    expect(delivery.status).toBe("PROCESSED");
    const tasks = await h.services.prisma.task.findMany({ where: { shop: h.shop, kind: "customer_data_request" } });
    expect(tasks).toHaveLength(1);
    expect(tasks[0]!.occurrences).toBe(1);
  });

  it("app/uninstalled from Shopify pauses every connection and deletes the sessions", async () => {
    expect(h.connection?.paused).toBe(false);
    await h.shopify.control.uninstall({ shop: h.shop });
    await h.drain();
    const c = await h.reloadConnection();
    expect(c.paused).toBe(true);
    expect(c.pausedReason).toMatch(/uninstalled/);
    expect(await h.services.prisma.session.count({ where: { shop: h.shop } })).toBe(0);
    const uninstall = await h.services.prisma.webhookDelivery.findMany({ where: { shop: h.shop, topic: "APP_UNINSTALLED" } });
    expect(uninstall.length).toBeGreaterThanOrEqual(1);
    expect(uninstall.every((d) => d.status === "PROCESSED" || d.status === "IGNORED")).toBe(true);
  });

  it("shop/redact erases everything held for the shop", async () => {
    const res = await post("/webhooks/shop/redact", "shop/redact", { shop_id: 1, shop_domain: h.shop });
    expect(res.status).toBe(200);
    await h.drain();
    expect(await h.services.prisma.marketplaceConnection.count({ where: { shop: h.shop } })).toBe(0);
    expect(await h.services.prisma.task.count({ where: { shop: h.shop } })).toBe(0);
    expect(await h.services.prisma.shop.count({ where: { domain: h.shop } })).toBe(0);
  });
});
