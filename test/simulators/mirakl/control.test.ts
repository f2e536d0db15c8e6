import { spawn } from "node:child_process";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { startMiraklSimulator, TIME, type MiraklSimulator } from "./index";
import { call, startTestSim } from "./test-support";

let sim: MiraklSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const control = (s: MiraklSimulator, method: string, p: string, body?: unknown) => call({ sim: s, method, path: p, body, key: null });

describe("HTTP control API under /_sim", () => {
  it("creates, inspects and moves orders through customer and back-office actions", async () => {
    sim = await startTestSim({ preset: "joules", tenant: { debitDelayMs: 60_000, refundDelayMs: 0 } });
    const created = await control(sim, "POST", "/_sim/orders", { lines: [{ offerSku: "JL-MUG-DOG", quantity: 2 }], shippingTypeCode: "STD", customer: { lastname: "Fixture" } });
    expect(created.status).toBe(201);
    const id = created.json.order_id as string;
    expect(created.json.order_state).toBe("WAITING_ACCEPTANCE");
    expect((await control(sim, "GET", `/_sim/orders/${id}`)).json.order_id).toBe(id);
    expect((await control(sim, "GET", "/_sim/orders")).json.orders).toHaveLength(1);

    await call({ sim, method: "PUT", path: `/api/orders/${id}/accept`, body: { order_lines: [{ id: `${id}-1`, accepted: true }] } });
    const tooEarly = await control(sim, "POST", `/_sim/orders/${id}/ship`, { carrierCode: "RM24", trackingNumber: "RM1" });
    expect(tooEarly.status).toBe(409);
    const advanced = await control(sim, "POST", "/_sim/clock/advance", { ms: 60_000 });
    expect(advanced.status).toBe(200);
    expect(Date.parse(advanced.json.now)).toBeGreaterThan(Date.now() + 59_000);
    const shipped = await control(sim, "POST", `/_sim/orders/${id}/ship`, { carrierCode: "RM24", trackingNumber: "RM1" });
    expect(shipped.json).toMatchObject({ order_state: "SHIPPED", shipping_carrier_code: "RM24" });
    const refunded = await control(sim, "POST", `/_sim/orders/${id}/refund`, { lines: [{ orderLineId: `${id}-1`, amount: 5 }] });
    expect(refunded.status, refunded.text).toBe(200);
    expect(refunded.json.order_lines[0].refunds[0]).toMatchObject({ amount: 5, refund_state: "REFUNDED" });

    const other = await control(sim, "POST", "/_sim/orders", { lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }] });
    const canceled = await control(sim, "POST", `/_sim/orders/${other.json.order_id}/customer-cancel`);
    expect(canceled.json.order_state).toBe("CANCELED");
    expect((await control(sim, "POST", `/_sim/orders/${other.json.order_id}/customer-cancel`)).status).toBe(409);
    expect((await control(sim, "GET", "/_sim/orders/NOPE-A")).status).toBe(404);
  });

  it("validates control input", async () => {
    sim = await startTestSim({ preset: "joules" });
    const bad = await control(sim, "POST", "/_sim/orders", { lines: [{ offerSku: "JL-MUG-DOG", quantity: 0 }] });
    expect(bad.status).toBe(400);
    expect((await control(sim, "POST", "/_sim/orders", { lines: [{ offerSku: "NOT-SOLD", quantity: 1 }] })).status).toBe(400);
    expect((await control(sim, "POST", "/_sim/faults", { rate5xx: 7 })).status).toBe(400);
    expect((await control(sim, "GET", "/_sim/unknown")).status).toBe(404);
  });

  it("sets offer quantities, faults, tenant switches and reports stats and state", async () => {
    sim = await startTestSim({ preset: "joules" });
    const q = await control(sim, "PUT", "/_sim/offers/JL-MUG-DOG/quantity", { quantity: 3 });
    expect(q.json).toMatchObject({ sku: "JL-MUG-DOG", quantity: 3 });
    expect((await call({ sim, path: "/api/offers", query: { sku: "JL-MUG-DOG" } })).json.offers[0].quantity).toBe(3);

    expect((await control(sim, "POST", "/_sim/faults", { storm429: { forMs: 10_000, retryAfterSeconds: 2 } })).status).toBe(200);
    expect((await call({ sim, path: "/api/orders" })).status).toBe(429);
    expect((await control(sim, "DELETE", "/_sim/faults")).status).toBe(200);
    expect((await call({ sim, path: "/api/orders" })).status).toBe(200);

    const patched = await control(sim, "PATCH", "/_sim/tenant", { partialAcceptance: true });
    expect(patched.json.partialAcceptance).toBe(true);

    const stats = (await control(sim, "GET", "/_sim/stats")).json;
    expect(stats.calls.OR11).toBe(2);
    expect(stats.calls.OF21).toBe(1);
    expect(stats.served429).toBe(1);
    expect(stats.responses.OR11).toEqual({ "200": 1, "429": 1 });

    const state = (await control(sim, "GET", "/_sim/state")).json;
    expect(state.tenant.tenantName).toBe("joules-prod");
    expect(state.offers.find((o: { sku: string }) => o.sku === "JL-MUG-DOG").quantity).toBe(3);
  });

  it("resets to the initial seed", async () => {
    sim = await startTestSim({ preset: "joules" });
    const first = sim.control.createOrder({ lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }] });
    sim.control.advanceClock(TIME.DAY);
    expect((await control(sim, "POST", "/_sim/reset")).status).toBe(200);
    expect(sim.control.listOrders()).toHaveLength(0);
    expect(sim.control.getOffers().find((o) => o.sku === "JL-MUG-DOG")?.quantity).toBe(80);
    expect(Math.abs(sim.control.now().getTime() - Date.now())).toBeLessThan(5_000);
    expect(sim.control.stats().calls).toEqual({});
    // Same seed after reset: the same first order id.
    expect(sim.control.createOrder({ lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }] }).order_id).toBe(first.order_id);
  });
});

describe("two marketplaces", () => {
  it("are two independent instances with their own tenant, orders and clock", async () => {
    const a = await startMiraklSimulator({ preset: "joules", shops: [{ apiKey: "ka" }] });
    const b = await startMiraklSimulator({ preset: "decathlon", shops: [{ apiKey: "kb" }] });
    try {
      expect(a.url).not.toBe(b.url);
      const o = a.control.createOrder({ lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }] });
      b.control.advanceClock(TIME.DAY);
      expect(b.control.listOrders()).toHaveLength(0);
      expect((await call({ sim: b, path: "/api/orders", key: "kb", query: { order_ids: o.order_id } })).json.total_count).toBe(0);
      expect((await call({ sim: a, path: "/api/orders", key: "kb" })).status).toBe(401);
      expect(a.control.getOrder(o.order_id)?.order_state).toBe("WAITING_ACCEPTANCE");
      expect(Math.abs(a.control.now().getTime() - Date.now())).toBeLessThan(5_000);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });
});

describe("determinism and the generator", () => {
  it("gives the same ids and customers for the same seed, different for another seed", async () => {
    const make = async (seed: number) => {
      const s = await startMiraklSimulator({ preset: "joules", seed, shops: [{ apiKey: "k" }] });
      try {
        const o = s.control.createOrder({ lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }] });
        return { id: o.order_id, email: o.customer_notification_email, lastname: (o.customer as { lastname: string }).lastname };
      } finally {
        await s.close();
      }
    };
    const a = await make(7);
    const b = await make(7);
    const c = await make(8);
    expect(a).toEqual(b);
    expect(c.id).not.toBe(a.id);
  });

  it("generates orders at the requested rate with baskets in range and unmapped SKUs", async () => {
    sim = await startTestSim({ preset: "joules" });
    sim.control.startGenerator({ ordersPerMinute: 1_200, basketSize: [1, 2], unknownSkuRate: 0.3 });
    await new Promise((r) => setTimeout(r, 1_100));
    sim.control.stopGenerator();
    const orders = sim.control.listOrders();
    // 20 orders a second for ~1.1 s; loose bounds because the event loop may lag on a busy machine.
    expect(orders.length).toBeGreaterThanOrEqual(10);
    expect(orders.length).toBeLessThanOrEqual(45);
    for (const o of orders) {
      expect(o.order_lines.length).toBeGreaterThanOrEqual(1);
      expect(o.order_lines.length).toBeLessThanOrEqual(2);
    }
    const skus = orders.flatMap((o) => o.order_lines.map((l) => l.offer_sku));
    expect(skus.some((s) => s.startsWith("UNMAPPED-"))).toBe(true);
    expect(skus.some((s) => s.startsWith("JL-"))).toBe(true);
    const count = orders.length;
    await new Promise((r) => setTimeout(r, 200));
    expect(sim.control.listOrders()).toHaveLength(count);
  });

  it("respects skuWeights", async () => {
    sim = await startTestSim({ preset: "joules", offers: [{ sku: "HOT", quantity: 100_000, price: 5 }, { sku: "COLD", quantity: 100_000, price: 5 }] });
    const res = await control(sim, "POST", "/_sim/generator", { ordersPerMinute: 3_000, basketSize: [1, 1], skuWeights: { HOT: 1, COLD: 0 } });
    expect(res.status).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    await control(sim, "DELETE", "/_sim/generator");
    const skus = sim.control.listOrders().flatMap((o) => o.order_lines.map((l) => l.offer_sku));
    expect(skus.length).toBeGreaterThan(5);
    expect(new Set(skus)).toEqual(new Set(["HOT"]));
  });
});

describe("cli", () => {
  it("serves one tenant for the given key and prints its URL", async () => {
    const here = path.dirname(fileURLToPath(import.meta.url));
    const child = spawn(process.execPath, ["--import", "tsx", path.join(here, "cli.ts"), "--port", "0", "--api-key", "cli-key", "--preset", "bandq"], {
      cwd: path.resolve(here, "../../.."),
      stdio: ["ignore", "pipe", "pipe"],
    });
    try {
      const url = await new Promise<string>((resolve, reject) => {
        let out = "";
        const timer = setTimeout(() => reject(new Error(`no URL printed: ${out}`)), 15_000);
        child.stdout.on("data", (d: Buffer) => {
          out += d.toString();
          const m = /listening on (http:\/\/[^\s]+)/.exec(out);
          if (m?.[1]) {
            clearTimeout(timer);
            resolve(m[1]);
          }
        });
        child.on("exit", (code) => reject(new Error(`cli exited ${code}: ${out}`)));
      });
      const account = await call({ sim: { url }, path: "/api/account", key: "cli-key" });
      expect(account.status).toBe(200);
      const pc01 = await call({ sim: { url }, path: "/api/platform/configuration", key: "cli-key" });
      expect(pc01.json.features.order_workflows.order_acceptance).toBe("AUTOMATIC");
      expect((await call({ sim: { url }, path: "/api/account", key: "other" })).status).toBe(401);
    } finally {
      child.kill("SIGTERM");
    }
  }, 30_000);
});
