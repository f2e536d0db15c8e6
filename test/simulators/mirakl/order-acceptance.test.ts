import { afterEach, describe, expect, it } from "vitest";
import { TIME, type MiraklSimulator, type OrderJson } from "./index";
import { call, startTestSim } from "./test-support";

let sim: MiraklSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const accept = (s: MiraklSimulator, orderId: string, lines: unknown) =>
  call({ sim: s, method: "PUT", path: `/api/orders/${orderId}/accept`, body: { order_lines: lines } });

const fetchOrder = async (s: MiraklSimulator, orderId: string): Promise<OrderJson> =>
  (await call({ sim: s, path: "/api/orders", query: { order_ids: orderId } })).json.orders[0];

function twoLineOrder(s: MiraklSimulator): OrderJson {
  return s.control.createOrder({ lines: [{ offerSku: "JL-HARBOUR-NAVY-10", quantity: 1 }, { offerSku: "JL-MUG-DOG", quantity: 2 }] });
}

describe("OR21 refuses malformed decisions like Mirakl", () => {
  it("a missing line → ORDER_LINE_ACCEPTANCE_DECISION_MISSING, nothing changes", async () => {
    sim = await startTestSim({ preset: "joules" });
    const o = twoLineOrder(sim);
    const r = await accept(sim, o.order_id, [{ id: `${o.order_id}-1`, accepted: true }]);
    expect(r.status).toBe(400);
    expect(r.json).toMatchObject({ status: 400, code: "ORDER_LINE_ACCEPTANCE_DECISION_MISSING" });
    expect(r.json.message).toContain(`${o.order_id}-2`);
    expect((await fetchOrder(sim, o.order_id)).order_state).toBe("WAITING_ACCEPTANCE");
  });

  it("a duplicated line → ORDER_LINE_DUPLICATE_ID", async () => {
    sim = await startTestSim({ preset: "joules" });
    const o = twoLineOrder(sim);
    const r = await accept(sim, o.order_id, [
      { id: `${o.order_id}-1`, accepted: true },
      { id: `${o.order_id}-1`, accepted: true },
      { id: `${o.order_id}-2`, accepted: true },
    ]);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("ORDER_LINE_DUPLICATE_ID");
  });

  it("a line without `accepted` → 400 VALIDATION_ERROR from the strict contract", async () => {
    sim = await startTestSim({ preset: "joules" });
    const o = twoLineOrder(sim);
    const r = await accept(sim, o.order_id, [{ id: `${o.order_id}-1` }, { id: `${o.order_id}-2`, accepted: true }]);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("VALIDATION_ERROR");
    expect(r.json.message).toContain("accepted");
  });

  it("a line without `accepted` is refused even with request validation off", async () => {
    sim = await startTestSim({ preset: "joules", validateRequests: false });
    const o = twoLineOrder(sim);
    const r = await accept(sim, o.order_id, [{ id: `${o.order_id}-1` }, { id: `${o.order_id}-2`, accepted: true }]);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("VALIDATION_ERROR");
  });

  it("a null element → ORDER_LINE_NULL_ELEMENT; no order_lines → VALIDATION_ERROR", async () => {
    sim = await startTestSim({ preset: "joules" });
    const o = twoLineOrder(sim);
    expect((await accept(sim, o.order_id, [null, { id: `${o.order_id}-2`, accepted: true }])).json.code).toBe("ORDER_LINE_NULL_ELEMENT");
    const none = await call({ sim, method: "PUT", path: `/api/orders/${o.order_id}/accept`, body: {} });
    expect(none.status).toBe(400);
    expect(none.json.code).toBe("VALIDATION_ERROR");
  });

  it("an unknown line → ORDER_LINE_NOT_FOUND; an unknown order → 404 ORDER_NOT_FOUND", async () => {
    sim = await startTestSim({ preset: "joules" });
    const o = twoLineOrder(sim);
    const r = await accept(sim, o.order_id, [
      { id: `${o.order_id}-1`, accepted: true },
      { id: `${o.order_id}-2`, accepted: true },
      { id: `${o.order_id}-9`, accepted: true },
    ]);
    expect(r.json.code).toBe("ORDER_LINE_NOT_FOUND");
    const missing = await accept(sim, "0000000000-A", [{ id: "0000000000-A-1", accepted: true }]);
    expect(missing.status).toBe(404);
    expect(missing.json.code).toBe("ORDER_NOT_FOUND");
  });

  it("a second decision → ORDER_INVALID_STATE", async () => {
    sim = await startTestSim({ preset: "joules" });
    const o = twoLineOrder(sim);
    const all = o.order_lines.map((l) => ({ id: l.order_line_id, accepted: true }));
    expect((await accept(sim, o.order_id, all)).status).toBe(204);
    const again = await accept(sim, o.order_id, all);
    expect(again.status).toBe(400);
    expect(again.json.code).toBe("ORDER_INVALID_STATE");
  });
});

describe("partial acceptance", () => {
  it("is refused with ORDER_PARTIAL_ACCEPTANCE_DISABLED when the shop may not (joules)", async () => {
    sim = await startTestSim({ preset: "joules" });
    const o = twoLineOrder(sim);
    const r = await accept(sim, o.order_id, [
      { id: `${o.order_id}-1`, accepted: true },
      { id: `${o.order_id}-2`, accepted: false },
    ]);
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("ORDER_PARTIAL_ACCEPTANCE_DISABLED");
    expect((await fetchOrder(sim, o.order_id)).order_state).toBe("WAITING_ACCEPTANCE");
  });

  it("refuses some lines and keeps the others when enabled (decathlon); refused stock comes back", async () => {
    sim = await startTestSim({ preset: "decathlon" });
    const before = sim.control.getOffers().find((x) => x.sku === "DKT-BOTTLE-1L")?.quantity ?? -1;
    const o = sim.control.createOrder({ lines: [{ offerSku: "DKT-TENT-2P", quantity: 1 }, { offerSku: "DKT-BOTTLE-1L", quantity: 3 }] });
    expect(sim.control.getOffers().find((x) => x.sku === "DKT-BOTTLE-1L")?.quantity).toBe(before - 3);
    const r = await accept(sim, o.order_id, [
      { id: `${o.order_id}-1`, accepted: true },
      { id: `${o.order_id}-2`, accepted: false },
    ]);
    expect(r.status).toBe(204);
    const after = await fetchOrder(sim, o.order_id);
    expect(after.order_state).toBe("WAITING_DEBIT_PAYMENT");
    expect(after.order_lines.map((l) => l.order_line_state)).toEqual(["WAITING_DEBIT_PAYMENT", "REFUSED"]);
    expect(after.acceptance_decision_date).not.toBeNull();
    expect(sim.control.getOffers().find((x) => x.sku === "DKT-BOTTLE-1L")?.quantity).toBe(before);
  });

  it("refusing every line refuses the order", async () => {
    sim = await startTestSim({ preset: "joules" });
    const o = twoLineOrder(sim);
    expect((await accept(sim, o.order_id, o.order_lines.map((l) => ({ id: l.order_line_id, accepted: false })))).status).toBe(204);
    const after = await fetchOrder(sim, o.order_id);
    expect(after.order_state).toBe("REFUSED");
    expect(after.order_lines.every((l) => l.order_line_state === "REFUSED")).toBe(true);
    expect(after.acceptance_decision_date).not.toBeNull();
  });
});

describe("time-based acceptance transitions", () => {
  it("auto-refuses when the acceptance window expires, with acceptance_decision_date null", async () => {
    sim = await startTestSim({ preset: "joules", tenant: { acceptanceWindowMs: TIME.HOUR } });
    const o = twoLineOrder(sim);
    sim.control.advanceClock(59 * TIME.MINUTE);
    expect((await fetchOrder(sim, o.order_id)).order_state).toBe("WAITING_ACCEPTANCE");
    sim.control.advanceClock(2 * TIME.MINUTE);
    const after = await fetchOrder(sim, o.order_id);
    expect(after.order_state).toBe("REFUSED");
    expect(after.acceptance_decision_date).toBeNull();
    expect(Date.parse(String(after.last_updated_date)) - Date.parse(String(after.created_date))).toBe(TIME.HOUR);
    const late = await accept(sim, o.order_id, o.order_lines.map((l) => ({ id: l.order_line_id, accepted: true })));
    expect(late.json.code).toBe("ORDER_INVALID_STATE");
  });

  it("hides addresses until acceptance, then shows them (joules)", async () => {
    sim = await startTestSim({ preset: "joules" });
    const o = twoLineOrder(sim);
    const before = await fetchOrder(sim, o.order_id);
    const customer = before.customer as Record<string, unknown>;
    expect(customer.shipping_address).toBeNull();
    expect(customer.billing_address).toBeNull();
    expect(customer.firstname).toEqual(expect.any(String));
    await accept(sim, o.order_id, o.order_lines.map((l) => ({ id: l.order_line_id, accepted: true })));
    const after = (await fetchOrder(sim, o.order_id)).customer as Record<string, Record<string, unknown>>;
    expect(after.shipping_address).toMatchObject({ country_iso_code: "GBR", street_1: expect.any(String), city: expect.any(String), lastname: expect.any(String) });
    expect(after.billing_address?.country_iso_code).toBe("GBR");
  });

  it("shows addresses before acceptance when the tenant allows it (default preset)", async () => {
    sim = await startTestSim({ preset: "default" });
    const o = sim.control.createOrder({ lines: [{ offerSku: "SKU-MUG-WHT", quantity: 1 }], country: "FRA" });
    const seen = await fetchOrder(sim, o.order_id);
    expect(seen.order_state).toBe("WAITING_ACCEPTANCE");
    expect((seen.customer as { shipping_address: { country_iso_code: string } }).shipping_address.country_iso_code).toBe("FRA");
  });

  it("auto-accepts on creation on an AUTOMATIC tenant (bandq) and debits after the delay", async () => {
    sim = await startTestSim({ preset: "bandq", tenant: { debitDelayMs: 30_000 } });
    const o = sim.control.createOrder({ lines: [{ offerSku: "BQ-DRILL-18V", quantity: 1 }] });
    expect(o.order_state).toBe("WAITING_DEBIT_PAYMENT");
    expect(o.acceptance_decision_date).toBeNull();
    expect(o.can_shop_ship).toBe(false);
    sim.control.advanceClock(31_000);
    const after = await fetchOrder(sim, o.order_id);
    expect(after.order_state).toBe("SHIPPING");
    expect(after.customer_debited_date).not.toBeNull();
    expect(after.can_shop_ship).toBe(true);
    expect(after.order_lines[0]?.order_line_state).toBe("SHIPPING");
  });

  it("cancels the order when the customer debit fails", async () => {
    sim = await startTestSim({ preset: "joules", tenant: { debitDelayMs: 10_000 } });
    const o = sim.control.createOrder({ lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }], debit: "fail" });
    await accept(sim, o.order_id, [{ id: `${o.order_id}-1`, accepted: true }]);
    sim.control.advanceClock(10_000);
    const after = await fetchOrder(sim, o.order_id);
    expect(after.order_state).toBe("CANCELED");
    expect(after.customer_debited_date).toBeNull();
    expect(after.order_lines[0]?.order_line_state).toBe("CANCELED");
  });

  it("draws debit failures from debitFailRate", async () => {
    sim = await startTestSim({ preset: "bandq", tenant: { debitDelayMs: 0, debitFailRate: 1 } });
    const o = sim.control.createOrder({ lines: [{ offerSku: "BQ-SCREWS-500", quantity: 1 }] });
    expect(o.order_state).toBe("CANCELED");
  });

  it("passes through STAGING when the tenant has a fraud check", async () => {
    sim = await startTestSim({ preset: "joules", tenant: { stagingMs: 5 * TIME.MINUTE } });
    const o = twoLineOrder(sim);
    expect(o.order_state).toBe("STAGING");
    sim.control.advanceClock(5 * TIME.MINUTE);
    expect((await fetchOrder(sim, o.order_id)).order_state).toBe("WAITING_ACCEPTANCE");
  });

  it("applies transitions lazily as real time passes, without advanceClock", async () => {
    sim = await startTestSim({ preset: "bandq", tenant: { debitDelayMs: 150 } });
    const o = sim.control.createOrder({ lines: [{ offerSku: "BQ-DRILL-18V", quantity: 1 }] });
    expect((await fetchOrder(sim, o.order_id)).order_state).toBe("WAITING_DEBIT_PAYMENT");
    await new Promise((r) => setTimeout(r, 250));
    expect((await fetchOrder(sim, o.order_id)).order_state).toBe("SHIPPING");
  });

  it("lets the customer cancel before the debit, not after", async () => {
    sim = await startTestSim({ preset: "joules", tenant: { debitDelayMs: 0 } });
    const waiting = twoLineOrder(sim);
    const canceled = sim.control.customerCancel(waiting.order_id);
    expect(canceled.order_state).toBe("CANCELED");
    const shipping = twoLineOrder(sim);
    await accept(sim, shipping.order_id, shipping.order_lines.map((l) => ({ id: l.order_line_id, accepted: true })));
    expect(() => sim?.control.customerCancel(shipping.order_id)).toThrow(/before being debited/);
  });
});
