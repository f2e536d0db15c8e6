import { afterEach, describe, expect, it } from "vitest";
import type { MiraklSimulator, OrderJson } from "./index";
import { call, startTestSim } from "./test-support";

let sim: MiraklSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

async function shippingOrder(s: MiraklSimulator, shippingTypeCode = "STD"): Promise<OrderJson> {
  const o = s.control.createOrder({ lines: [{ offerSku: "DKT-TENT-2P", quantity: 2 }, { offerSku: "DKT-YOGAMAT", quantity: 1 }], shippingTypeCode, country: "FRA" });
  await call({ sim: s, method: "PUT", path: `/api/orders/${o.order_id}/accept`, body: { order_lines: o.order_lines.map((l) => ({ id: l.order_line_id, accepted: true })) } });
  return o;
}

const createShipments = (s: MiraklSimulator, shipments: unknown[]) => call({ sim: s, method: "POST", path: "/api/shipments", body: { shipments } });

describe("multi-shipment (decathlon)", () => {
  it("ships an order in two shipments; the order is SHIPPED only after the last one", async () => {
    sim = await startTestSim({ preset: "decathlon", tenant: { debitDelayMs: 0 } });
    const o = await shippingOrder(sim);
    const first = await createShipments(sim, [
      { order_id: o.order_id, shipment_lines: [{ order_line_id: `${o.order_id}-1`, quantity: 1 }], tracking: { carrier_code: "COLISSIMO", tracking_number: "6A1" }, shipped: true },
    ]);
    expect(first.status).toBe(201);
    expect(first.json.shipment_errors).toEqual([]);
    expect(first.json.shipment_success[0]).toMatchObject({ order_id: o.order_id, status: "SHIPPED", tracking: { carrier_code: "COLISSIMO", tracking_number: "6A1" } });
    let seen = sim.control.getOrder(o.order_id);
    expect(seen?.order_state).toBe("SHIPPING");
    expect(seen?.can_cancel).toBe(false);

    const second = await createShipments(sim, [
      {
        order_id: o.order_id,
        shipment_lines: [
          { order_line_id: `${o.order_id}-1`, quantity: 1 },
          { offer_sku: "DKT-YOGAMAT", quantity: 1 },
        ],
      },
    ]);
    const id = second.json.shipment_success[0].id as string;
    expect(second.json.shipment_success[0].status).toBe("SHIPPING");
    const tracking = await call({ sim, method: "POST", path: "/api/shipments/tracking", body: { shipments: [{ id, tracking: { carrier_code: "GLS", tracking_number: "GLS42" } }, { id: "missing", tracking: { carrier_code: "GLS", tracking_number: "1" } }] } });
    expect(tracking.json.shipment_success).toEqual([{ id }]);
    expect(tracking.json.shipment_errors).toEqual([{ id: "missing", message: "No shipment with id 'missing'." }]);
    const ship = await call({ sim, method: "PUT", path: "/api/shipments/ship", body: { shipments: [{ id }] } });
    expect(ship.json.shipment_success).toEqual([{ id }]);
    seen = sim.control.getOrder(o.order_id);
    expect(seen?.order_state).toBe("SHIPPED");
    expect(seen?.order_lines.map((l) => l.order_line_state)).toEqual(["SHIPPED", "SHIPPED"]);
    const again = await call({ sim, method: "PUT", path: "/api/shipments/ship", body: { shipments: [{ id }] } });
    expect(again.json.shipment_errors[0].message).toContain("must be 'SHIPPING'");

    const listed = await call({ sim, path: "/api/shipments", query: { order_id: o.order_id, limit: 1 } });
    expect(listed.json.data).toHaveLength(1);
    expect(listed.json.next_page_token).toEqual(expect.any(String));
    const next = await call({ sim, path: "/api/shipments", query: { page_token: listed.json.next_page_token } });
    expect(next.json.data[0].id).toBe(id);
  });

  it("reports per-item errors inside a 201: wrong state and too much quantity", async () => {
    sim = await startTestSim({ preset: "decathlon", tenant: { debitDelayMs: 0 } });
    const ok = await shippingOrder(sim);
    const waiting = sim.control.createOrder({ lines: [{ offerSku: "DKT-TENT-2P", quantity: 1 }] });
    const r = await createShipments(sim, [
      { order_id: waiting.order_id, shipment_lines: [{ order_line_id: `${waiting.order_id}-1`, quantity: 1 }] },
      { order_id: ok.order_id, shipment_lines: [{ order_line_id: `${ok.order_id}-1`, quantity: 3 }] },
      { order_id: ok.order_id, shipment_lines: [{ order_line_id: `${ok.order_id}-2`, quantity: 1 }] },
    ]);
    expect(r.status).toBe(201);
    expect(r.json.shipment_errors).toEqual([
      { order_id: waiting.order_id, message: "The order status must be 'SHIPPING' but it is 'WAITING_ACCEPTANCE'." },
      { order_id: ok.order_id, message: "Shipment quantity is invalid." },
    ]);
    expect(r.json.shipment_success).toHaveLength(1);
  });

  it("enforces mandatory tracking and registered carriers on shipments", async () => {
    sim = await startTestSim({ preset: "decathlon", tenant: { debitDelayMs: 0 } });
    const o = await shippingOrder(sim, "EXP");
    const r = await createShipments(sim, [{ order_id: o.order_id, shipment_lines: [{ order_line_id: `${o.order_id}-1`, quantity: 2 }], shipped: true }]);
    expect(r.json.shipment_errors[0].message).toBe("Tracking details are mandatory for this shipping method.");
    const alt = await createShipments(sim, [{ order_id: o.order_id, shipment_lines: [{ order_line_id: `${o.order_id}-1`, quantity: 2 }], tracking: { carrier_name: "Coursier", tracking_url: "https://c.example/1", tracking_number: "1" } }]);
    expect(alt.json.shipment_errors[0].message).toContain("Unregistered carriers are not allowed");
  });

  it("does not ship a shipment of an order canceled meanwhile", async () => {
    sim = await startTestSim({ preset: "decathlon", tenant: { debitDelayMs: 0 } });
    const o = await shippingOrder(sim);
    const created = await createShipments(sim, [{ order_id: o.order_id, shipment_lines: [{ order_line_id: `${o.order_id}-2`, quantity: 1 }] }]);
    const id = created.json.shipment_success[0].id as string;
    expect((await call({ sim, method: "PUT", path: `/api/orders/${o.order_id}/cancel` })).status).toBe(204);
    const ship = await call({ sim, method: "PUT", path: "/api/shipments/ship", body: { shipments: [{ id }] } });
    expect(ship.json.shipment_success).toEqual([]);
    expect(ship.json.shipment_errors).toEqual([{ id, message: "The order status must be 'SHIPPING' but it is 'CANCELED'." }]);
  });

  it("is refused on a tenant without multi-shipment (joules)", async () => {
    sim = await startTestSim({ preset: "joules" });
    const r = await call({ sim, path: "/api/shipments" });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("MULTI_SHIPMENT_DISABLED");
  });
});
