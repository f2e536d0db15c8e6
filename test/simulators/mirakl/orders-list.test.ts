import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TIME, type MiraklSimulator } from "./index";
import { call, startTestSim } from "./test-support";

function parseLink(header: string | null): Record<string, URL> {
  const out: Record<string, URL> = {};
  for (const part of (header ?? "").split(",")) {
    const m = /<([^>]+)>;\s*rel="([^"]+)"/.exec(part.trim());
    if (m?.[1] && m[2]) out[m[2]] = new URL(m[1]);
  }
  return out;
}

describe("OR11 paging and filters", () => {
  let sim: MiraklSimulator;
  const ids: string[] = [];
  beforeAll(async () => {
    sim = await startTestSim({
      preset: "bandq",
      tenant: { debitDelayMs: TIME.HOUR, updateDateSkewMs: 30_000 },
      offers: [{ sku: "S1", quantity: 100_000, price: 10 }],
    });
    for (let i = 0; i < 25; i++) {
      ids.push(sim.control.createOrder({ lines: [{ offerSku: "S1", quantity: 1 }] }).order_id);
      sim.control.advanceClock(1_000);
    }
  });
  afterAll(() => sim.close());

  it("defaults to 10 orders sorted by creation date, with total_count and a next link", async () => {
    const r = await call({ sim, path: "/api/orders" });
    expect(r.json.total_count).toBe(25);
    expect(r.json.orders.map((o: { order_id: string }) => o.order_id)).toEqual(ids.slice(0, 10));
    const links = parseLink(r.headers.get("link"));
    expect(links.previous).toBeUndefined();
    expect(links.next?.searchParams.get("offset")).toBe("10");
    expect(links.next?.origin).toBe(sim.url);
  });

  it("follows Link rel=next to the end and rel=previous back", async () => {
    const seen: string[] = [];
    let next: URL | undefined = new URL("/api/orders?max=7", sim.url);
    let pages = 0;
    let last: Record<string, URL> = {};
    while (next) {
      const r = await call({ sim, path: next.pathname + next.search });
      seen.push(...r.json.orders.map((o: { order_id: string }) => o.order_id));
      last = parseLink(r.headers.get("link"));
      next = last.next;
      pages++;
    }
    expect(pages).toBe(4);
    expect(seen).toEqual(ids);
    expect(last.previous?.searchParams.get("offset")).toBe("14");
  });

  it("caps max at 100 and returns everything with paginate=false", async () => {
    const capped = await call({ sim, path: "/api/orders", query: { max: 500 } });
    expect(capped.status).toBe(200);
    expect(capped.json.orders).toHaveLength(25);
    const all = await call({ sim, path: "/api/orders", query: { paginate: false, max: 2 } });
    expect(all.json.orders).toHaveLength(25);
    expect(all.headers.get("link")).toBeNull();
  });

  it("sorts descending with order=desc", async () => {
    const r = await call({ sim, path: "/api/orders", query: { order: "desc", max: 3 } });
    expect(r.json.orders.map((o: { order_id: string }) => o.order_id)).toEqual(ids.slice(-3).reverse());
  });

  it("filters by order_ids and refuses more than 100 ids with Mirakl's message", async () => {
    const some = await call({ sim, path: "/api/orders", query: { order_ids: [ids[3], ids[7]].join(",") } });
    expect(some.json.orders.map((o: { order_id: string }) => o.order_id)).toEqual([ids[3], ids[7]]);
    const tooMany = Array.from({ length: 101 }, (_, i) => `X${i}-A`).join(",");
    const r = await call({ sim, path: "/api/orders", query: { order_ids: tooMany } });
    expect(r.status).toBe(400);
    expect(r.json).toEqual({ status: 400, message: "The limit of 100 is exceeded for the parameter : order_ids" });
  });

  it("filters by order_state_codes and refuses unknown states", async () => {
    const target = ids[0] as string;
    await call({ sim, method: "PUT", path: `/api/orders/${target}/cancel` });
    const canceled = await call({ sim, path: "/api/orders", query: { order_state_codes: "CANCELED" } });
    expect(canceled.json.orders.map((o: { order_id: string }) => o.order_id)).toEqual([target]);
    const both = await call({ sim, path: "/api/orders", query: { order_state_codes: "CANCELED,WAITING_DEBIT_PAYMENT", max: 100 } });
    expect(both.json.total_count).toBe(25);
    expect((await call({ sim, path: "/api/orders", query: { order_state_codes: "LOST" } })).status).toBe(400);
  });

  it("filters by creation date and by update date minus a skew, so recent orders come back twice", async () => {
    const created = (await call({ sim, path: "/api/orders", query: { order_ids: ids[20] as string } })).json.orders[0];
    const since = await call({ sim, path: "/api/orders", query: { start_date: created.created_date, max: 100 } });
    expect(since.json.orders.map((o: { order_id: string }) => o.order_id)).toEqual(ids.slice(20));
    const until = await call({ sim, path: "/api/orders", query: { end_date: created.created_date, max: 100 } });
    expect(until.json.total_count).toBe(21);

    // Orders were created 1 s apart; a 5.5 s skew on start_update_date also returns the 5 before the pivot.
    sim.control.configure({ updateDateSkewMs: 5_500 });
    const pivot = (await call({ sim, path: "/api/orders", query: { order_ids: ids[24] as string } })).json.orders[0];
    const updated = await call({ sim, path: "/api/orders", query: { start_update_date: pivot.last_updated_date, max: 100 } });
    const got = updated.json.orders.map((o: { order_id: string }) => o.order_id) as string[];
    // ids[0] was canceled after all creations, so its last update is later than the pivot's.
    expect(got).toEqual([ids[0], ...ids.slice(19)]);
    sim.control.configure({ updateDateSkewMs: 0 });
    const exact = await call({ sim, path: "/api/orders", query: { start_update_date: pivot.last_updated_date, max: 100 } });
    expect(exact.json.orders.map((o: { order_id: string }) => o.order_id)).toEqual([ids[0], ids[24]]);
    expect((await call({ sim, path: "/api/orders", query: { start_update_date: "not-a-date" } })).status).toBe(400);
  });

  it("filters customer_debited", async () => {
    const r = await call({ sim, path: "/api/orders", query: { customer_debited: true } });
    expect(r.json.total_count).toBe(0);
    expect((await call({ sim, path: "/api/orders", query: { customer_debited: "maybe" } })).status).toBe(400);
  });
});

describe("OR04 seller references", () => {
  it("sets order_reference_for_seller, filters on it, reports unknown orders and refuses more than 100", async () => {
    const sim = await startTestSim({ preset: "default" });
    try {
      const o = sim.control.createOrder({ lines: [{ offerSku: "SKU-MUG-WHT", quantity: 1 }] });
      const r = await call({ sim, method: "PUT", path: "/api/orders", body: { orders: [{ order_id: o.order_id, references: { order_reference_for_seller: "#1042" } }, { order_id: "NOPE-A" }] } });
      expect(r.status).toBe(200);
      expect(r.json.updated_orders[1]).toMatchObject({ order_id: "NOPE-A", errors: [{ code: "ORDER_NOT_FOUND", field: "order_id" }] });
      const found = await call({ sim, path: "/api/orders", query: { order_references_for_seller: "#1042" } });
      expect(found.json.orders.map((x: { order_id: string }) => x.order_id)).toEqual([o.order_id]);
      const tooMany = await call({ sim, method: "PUT", path: "/api/orders", body: { orders: Array.from({ length: 101 }, (_, i) => ({ order_id: `O${i}-A` })) } });
      expect(tooMany.status).toBe(400);
      expect(tooMany.json.message).toBe("Too many orders given");
    } finally {
      await sim.close();
    }
  });
});

describe("performance", () => {
  it("serves a 1,000-order burst in OR11 pages of 100 quickly", async () => {
    const sim = await startTestSim({ preset: "bandq", offers: [{ sku: "S1", quantity: 1_000_000, price: 9.99 }, { sku: "S2", quantity: 1_000_000, price: 19.99 }] });
    try {
      const t0 = performance.now();
      for (let i = 0; i < 1000; i++) sim.control.createOrder({ lines: [{ offerSku: "S1", quantity: 1 }, { offerSku: "S2", quantity: 2 }] });
      const created = performance.now() - t0;
      const t1 = performance.now();
      const seen = new Set<string>();
      for (let offset = 0; offset < 1000; offset += 100) {
        const r = await call({ sim, path: "/api/orders", query: { max: 100, offset } });
        expect(r.status).toBe(200);
        for (const o of r.json.orders as Array<{ order_id: string }>) seen.add(o.order_id);
      }
      const paged = performance.now() - t1;
      expect(seen.size).toBe(1000);
      expect(created).toBeLessThan(3_000);
      expect(paged).toBeLessThan(5_000);
    } finally {
      await sim.close();
    }
  });
});
