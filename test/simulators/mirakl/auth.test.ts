import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMiraklSimulator, type MiraklSimulator } from "./index";
import { call } from "./test-support";

describe("auth and transport (notes §1.2, §1.3)", () => {
  let sim: MiraklSimulator;
  beforeAll(async () => {
    sim = await startMiraklSimulator({
      shops: [
        { apiKey: "multi-key", shopId: 11, shopName: "Main shop" },
        { apiKey: "multi-key", shopId: 12, shopName: "Second shop" },
        { apiKey: "other-key", shopId: 21, shopName: "Someone else" },
      ],
      offers: [{ sku: "A", quantity: 5, price: 10 }],
    });
  });
  afterAll(() => sim.close());

  it("refuses a missing key with 401 and Mirakl's error body", async () => {
    const r = await call({ sim, path: "/api/account", key: null });
    expect(r.status).toBe(401);
    expect(r.json).toEqual({ status: 401, message: "Unauthorized" });
  });

  it("refuses an unknown key and a Bearer-prefixed key with 401", async () => {
    expect((await call({ sim, path: "/api/account", key: "nope" })).status).toBe(401);
    expect((await call({ sim, path: "/api/account", key: "Bearer multi-key" })).status).toBe(401);
  });

  it("uses the key's default shop when shop_id is omitted", async () => {
    const r = await call({ sim, path: "/api/account", key: "multi-key" });
    expect(r.status).toBe(200);
    expect(r.json.shop_id).toBe(11);
  });

  it("selects another of the key's shops with shop_id", async () => {
    const r = await call({ sim, path: "/api/account", key: "multi-key", query: { shop_id: 12 } });
    expect(r.status).toBe(200);
    expect(r.json).toMatchObject({ shop_id: 12, shop_name: "Second shop" });
  });

  it("answers 403 for a shop_id the key has no access to", async () => {
    const r = await call({ sim, path: "/api/account", key: "multi-key", query: { shop_id: 21 } });
    expect(r.status).toBe(403);
    expect(r.json.status).toBe(403);
    expect(typeof r.json.message).toBe("string");
  });

  it("keeps shops apart: orders of one shop are invisible to another", async () => {
    const order = sim.control.createOrder({ shopId: 12, lines: [{ offerSku: "A", quantity: 1 }] });
    const mine = await call({ sim, path: "/api/orders", key: "multi-key", query: { shop_id: 12 } });
    const main = await call({ sim, path: "/api/orders", key: "multi-key" });
    const other = await call({ sim, path: "/api/orders", key: "other-key", query: { order_ids: order.order_id } });
    expect(mine.json.orders.map((o: { order_id: string }) => o.order_id)).toContain(order.order_id);
    expect(main.json.orders.map((o: { order_id: string }) => o.order_id)).not.toContain(order.order_id);
    expect(other.json.total_count).toBe(0);
    const accept = await call({ sim, method: "PUT", path: `/api/orders/${order.order_id}/accept`, key: "other-key", body: { order_lines: [{ id: `${order.order_id}-1`, accepted: true }] } });
    expect(accept.status).toBe(404);
    expect(accept.json.code).toBe("ORDER_NOT_FOUND");
  });

  it("refuses unknown query parameters with 400 (strict contract)", async () => {
    const r = await call({ sim, path: "/api/orders", key: "multi-key", query: { foo: "bar" } });
    expect(r.status).toBe(400);
    expect(r.json.message).toContain('unknown query parameter "foo"');
  });

  it("answers 404 for an unknown path and 405 for a wrong method", async () => {
    expect((await call({ sim, path: "/api/nothing-here", key: "multi-key" })).status).toBe(404);
    expect((await call({ sim, method: "DELETE", path: "/api/orders", key: "multi-key" })).status).toBe(405);
  });

  it("accepts OR24 with no body, a JSON null body or an empty body (notes §1.4 gotcha 411)", async () => {
    // Each attempt is refused on state, proving the request itself (with or without body) was accepted.
    const order = sim.control.createOrder({ shopId: 11, lines: [{ offerSku: "A", quantity: 1 }] });
    for (const rawBody of [undefined, "null", ""]) {
      const r = await call({ sim, method: "PUT", path: `/api/orders/${order.order_id}/ship`, key: "multi-key", rawBody, contentType: "application/json" });
      expect(r.status).toBe(400);
      expect(r.json.code).toBe("ORDER_INVALID_STATE");
    }
  });
});

describe("requests validation can be switched off", () => {
  it("accepts unknown query parameters when validateRequests is false", async () => {
    const sim = await startMiraklSimulator({ shops: [{ apiKey: "k" }], validateRequests: false });
    try {
      const r = await call({ sim, path: "/api/orders", key: "k", query: { foo: "bar" } });
      expect(r.status).toBe(200);
    } finally {
      await sim.close();
    }
  });
});
