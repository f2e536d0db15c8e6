import { afterEach, describe, expect, it } from "vitest";
import { TIME, type MiraklSimulator, type OrderJson, type PresetName } from "./index";
import { call, startTestSim } from "./test-support";

let sim: MiraklSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const fetchOrder = async (s: MiraklSimulator, orderId: string): Promise<OrderJson> =>
  (await call({ sim: s, path: "/api/orders", query: { order_ids: orderId } })).json.orders[0];

async function shippingOrder({ preset, sku, shippingTypeCode }: { preset: PresetName; sku: string; shippingTypeCode?: string }) {
  sim = await startTestSim({ preset, tenant: { debitDelayMs: 0 } });
  const o = sim.control.createOrder({ lines: [{ offerSku: sku, quantity: 1 }], shippingTypeCode });
  if (o.order_state === "WAITING_ACCEPTANCE") {
    const r = await call({ sim, method: "PUT", path: `/api/orders/${o.order_id}/accept`, body: { order_lines: [{ id: `${o.order_id}-1`, accepted: true }] } });
    expect(r.status).toBe(204);
  }
  expect((await fetchOrder(sim, o.order_id)).order_state).toBe("SHIPPING");
  return { s: sim, orderId: o.order_id };
}

describe("OR23 tracking", () => {
  it("registers an SH21 carrier and builds the URL from its template", async () => {
    const { s, orderId } = await shippingOrder({ preset: "joules", sku: "JL-MUG-DOG" });
    const r = await call({ sim: s, method: "PUT", path: `/api/orders/${orderId}/tracking`, body: { carrier_code: "DPD", tracking_number: "15501234567890", carrier_url: "https://ignored.example" } });
    expect(r.status).toBe(204);
    const o = await fetchOrder(s, orderId);
    expect(o).toMatchObject({
      shipping_carrier_code: "DPD",
      shipping_company: "DPD UK",
      shipping_tracking: "15501234567890",
      shipping_tracking_url: "https://track.dpd.co.uk/parcels/15501234567890",
    });
  });

  it("refuses a carrier code that SH21 does not list", async () => {
    const { s, orderId } = await shippingOrder({ preset: "joules", sku: "JL-MUG-DOG" });
    const r = await call({ sim: s, method: "PUT", path: `/api/orders/${orderId}/tracking`, body: { carrier_code: "ROYALMAIL", tracking_number: "X1" } });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("CARRIER_NOT_FOUND");
    expect((await fetchOrder(s, orderId)).shipping_tracking).toBeNull();
  });

  it("requires a tracking number for a carrier whose URL template needs one", async () => {
    const { s, orderId } = await shippingOrder({ preset: "joules", sku: "JL-MUG-DOG" });
    const r = await call({ sim: s, method: "PUT", path: `/api/orders/${orderId}/tracking`, body: { carrier_code: "EVRI" } });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("TRACKING_NUMBER_MISSING");
  });

  it("refuses an unregistered carrier where PC01 disable_seller_alternative_carrier is true (decathlon)", async () => {
    const { s, orderId } = await shippingOrder({ preset: "decathlon", sku: "DKT-YOGAMAT" });
    const pc01 = await call({ sim: s, path: "/api/platform/configuration" });
    expect(pc01.json.features.disable_seller_alternative_carrier).toBe(true);
    const r = await call({ sim: s, method: "PUT", path: `/api/orders/${orderId}/tracking`, body: { carrier_name: "Local Courier", carrier_url: "https://courier.example/t/42", tracking_number: "42" } });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("UNREGISTERED_CARRIER_FORBIDDEN");
  });

  it("accepts an unregistered carrier elsewhere and keeps its URL (joules)", async () => {
    const { s, orderId } = await shippingOrder({ preset: "joules", sku: "JL-MUG-DOG" });
    const r = await call({ sim: s, method: "PUT", path: `/api/orders/${orderId}/tracking`, body: { carrier_name: "Local Courier", carrier_url: "https://courier.example/t/42", tracking_number: "42" } });
    expect(r.status).toBe(204);
    expect(await fetchOrder(s, orderId)).toMatchObject({ shipping_carrier_code: null, shipping_company: "Local Courier", shipping_tracking_url: "https://courier.example/t/42" });
  });

  it("refuses tracking before the order is in SHIPPING", async () => {
    sim = await startTestSim({ preset: "joules" });
    const o = sim.control.createOrder({ lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }] });
    const r = await call({ sim, method: "PUT", path: `/api/orders/${o.order_id}/tracking`, body: { carrier_code: "DPD", tracking_number: "1" } });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("ORDER_INVALID_STATE");
  });
});

describe("OR24 ship", () => {
  it("refuses without tracking on a mandatory-tracking shipping type, with Mirakl's message", async () => {
    const { s, orderId } = await shippingOrder({ preset: "joules", sku: "JL-MUG-DOG", shippingTypeCode: "NXD" });
    const r = await call({ sim: s, method: "PUT", path: `/api/orders/${orderId}/ship` });
    expect(r.status).toBe(400);
    expect(r.json.message).toBe("Tracking details are mandatory for this shipping method.");
    expect((await fetchOrder(s, orderId)).order_state).toBe("SHIPPING");
    await call({ sim: s, method: "PUT", path: `/api/orders/${orderId}/tracking`, body: { carrier_code: "RM24", tracking_number: "RM1GB" } });
    expect((await call({ sim: s, method: "PUT", path: `/api/orders/${orderId}/ship` })).status).toBe(204);
  });

  it("ships without tracking on a shipping type that does not require it", async () => {
    const { s, orderId } = await shippingOrder({ preset: "joules", sku: "JL-MUG-DOG", shippingTypeCode: "STD" });
    expect((await call({ sim: s, method: "PUT", path: `/api/orders/${orderId}/ship` })).status).toBe(204);
    const o = await fetchOrder(s, orderId);
    expect(o.order_state).toBe("SHIPPED");
    expect(o.order_lines[0]).toMatchObject({ order_line_state: "SHIPPED", can_refund: true });
    expect(o.order_lines[0]?.shipped_date).not.toBeNull();
  });

  it("refuses to ship while waiting for the debit, and a second time (notes gotcha 3)", async () => {
    sim = await startTestSim({ preset: "joules", tenant: { debitDelayMs: TIME.HOUR } });
    const o = sim.control.createOrder({ lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }] });
    await call({ sim, method: "PUT", path: `/api/orders/${o.order_id}/accept`, body: { order_lines: [{ id: `${o.order_id}-1`, accepted: true }] } });
    const early = await call({ sim, method: "PUT", path: `/api/orders/${o.order_id}/ship` });
    expect(early.status).toBe(400);
    expect(early.json.message).toContain("WAITING_DEBIT_PAYMENT");
    sim.control.advanceClock(TIME.HOUR);
    expect((await call({ sim, method: "PUT", path: `/api/orders/${o.order_id}/ship` })).status).toBe(204);
    const again = await call({ sim, method: "PUT", path: `/api/orders/${o.order_id}/ship` });
    expect(again.status).toBe(400);
    expect(again.json.code).toBe("ORDER_INVALID_STATE");
  });

  it("moves SHIPPED → RECEIVED → CLOSED after the configured delays", async () => {
    const { s, orderId } = await shippingOrder({ preset: "joules", sku: "JL-MUG-DOG" });
    await call({ sim: s, method: "PUT", path: `/api/orders/${orderId}/ship` });
    s.control.advanceClock(7 * TIME.DAY);
    const received = await fetchOrder(s, orderId);
    expect(received.order_state).toBe("RECEIVED");
    expect(received.order_lines[0]?.order_line_state).toBe("RECEIVED");
    s.control.advanceClock(30 * TIME.DAY);
    const closed = await fetchOrder(s, orderId);
    expect(closed.order_state).toBe("CLOSED");
    expect(closed.order_lines[0]).toMatchObject({ order_line_state: "CLOSED", can_refund: false });
  });

  it("records a back-office shipment (shipInPortal) like OR23+OR24", async () => {
    const { s, orderId } = await shippingOrder({ preset: "joules", sku: "JL-MUG-DOG", shippingTypeCode: "NXD" });
    const o = s.control.shipInPortal(orderId, { carrierCode: "DHL", trackingNumber: "JD0001" });
    expect(o).toMatchObject({ order_state: "SHIPPED", shipping_carrier_code: "DHL", shipping_tracking: "JD0001" });
    expect((await fetchOrder(s, orderId)).order_state).toBe("SHIPPED");
  });
});

describe("shipping deadline", () => {
  it("is creation/acceptance plus the lead time", async () => {
    sim = await startTestSim({ preset: "joules", tenant: { leadtimeToShipDays: 2 } });
    const o = sim.control.createOrder({ lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }] });
    expect(Date.parse(String(o.shipping_deadline)) - Date.parse(String(o.created_date))).toBe(2 * TIME.DAY);
    sim.control.advanceClock(TIME.HOUR);
    await call({ sim, method: "PUT", path: `/api/orders/${o.order_id}/accept`, body: { order_lines: [{ id: `${o.order_id}-1`, accepted: true }] } });
    const after = await fetchOrder(sim, o.order_id);
    expect(Date.parse(String(after.shipping_deadline)) - Date.parse(String(after.acceptance_decision_date))).toBe(2 * TIME.DAY);
  });
});
