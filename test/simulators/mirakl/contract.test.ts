import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { matchOperation, validateResponse } from "../../contract/mirakl-spec";
import { API_ROUTES } from "./api-routes";
import type { MiraklSimulator } from "./index";
import { call, expectContract, multipartFile, startTestSim, stockCsv } from "./test-support";

describe("route table", () => {
  it("uses the OpenAPI path templates exactly", () => {
    for (const route of API_ROUTES) {
      if (route.operationId === "OF54") continue; // its URL is handed out by OF53, not in the spec's paths
      const concrete = route.template.replace(/\{[^}]+\}/g, "X-123");
      expect(matchOperation(route.method, concrete)?.operationId, `${route.method} ${route.template}`).toBe(route.operationId);
    }
  });

  it("covers every operation the brief names", () => {
    const ids = new Set(API_ROUTES.map((r) => r.operationId));
    for (const op of ["A01", "PC01", "V01", "OR11", "OR21", "OR23", "OR24", "OR28", "OR29", "OR30", "OR04", "SH12", "SH21", "RE01", "OF21", "OF52", "OF53", "OF54", "STO01", "STO02", "STO03", "TL02", "SBC11", "ST01", "ST11", "ST23", "ST24"]) {
      expect(ids.has(op), op).toBe(true);
    }
  });
});

describe("every response of a full order life validates against the OpenAPI (joules)", () => {
  let sim: MiraklSimulator;
  beforeAll(async () => {
    sim = await startTestSim({ preset: "joules", tenant: { debitDelayMs: 0, refundDelayMs: 0 } });
  });
  afterAll(() => sim.close());

  it("reference data: A01, PC01, V01, SH12, SH21, RE01", async () => {
    const a01 = await call({ sim, path: "/api/account" });
    expect(a01.status).toBe(200);
    expectContract("A01", 200, a01.json);
    expect(a01.json).toMatchObject({ shop_id: 2001, shop_name: "Test Shop", shop_state: "OPEN", currency_iso_code: "GBP" });

    const pc01 = await call({ sim, path: "/api/platform/configuration" });
    expectContract("PC01", 200, pc01.json);
    expect(pc01.json.features.order_tax_mode).toBe("TAX_INCLUDED");
    expect(pc01.json.features.order_workflows.order_acceptance).toBe("NOT_AUTOMATIC");
    expect(pc01.json.features.order_workflows.shipping_and_billing_details_before_acceptance).toBe(false);
    expect(pc01.json.features.shipment.multi_shipment).toBe(false);

    const v01 = await call({ sim, path: "/api/version" });
    expect(v01.status).toBe(200);
    expect(validateResponse("V01", 200, v01.json).ok).toBe(true);

    const sh12 = await call({ sim, path: "/api/shipping/types" });
    expectContract("SH12", 200, sh12.json);
    const types = sh12.json.shipping_types as Array<{ code: string; mandatory_tracking: boolean }>;
    expect(types.filter((t) => t.mandatory_tracking).map((t) => t.code)).toEqual(["NXD"]);

    const sh21 = await call({ sim, path: "/api/shipping/carriers" });
    expectContract("SH21", 200, sh21.json);
    const carriers = sh21.json.carriers as Array<{ code: string; label: string; tracking_url: string }>;
    expect(carriers.map((c) => c.code)).toEqual(expect.arrayContaining(["RM24", "DPD", "DHL", "EVRI"]));
    expect(carriers.every((c) => c.tracking_url.includes("{trackingId}"))).toBe(true);
    expect([...carriers].map((c) => c.label)).toEqual([...carriers.map((c) => c.label)].sort((a, b) => a.localeCompare(b)));

    const re01 = await call({ sim, path: "/api/reasons" });
    expectContract("RE01", 200, re01.json);
    const reasons = re01.json.reasons as Array<{ code: string; type: string; is_shop_right: boolean }>;
    expect(re01.json.total_count).toBe(reasons.length);
    expect(reasons.some((r) => r.type === "REFUND" && r.is_shop_right)).toBe(true);
    expect(reasons.some((r) => r.type === "CANCELATION" && r.is_shop_right)).toBe(true);
    expect(reasons.some((r) => !r.is_shop_right)).toBe(true);
  });

  it("orders: OR11, OR21, OR23, OR24, OR04, OR28, OR30, OR29 and TL02/SBC11", async () => {
    const order = sim.control.createOrder({
      lines: [
        { offerSku: "JL-HARBOUR-NAVY-10", quantity: 2 },
        { offerSku: "JL-MUG-DOG", quantity: 1 },
      ],
      shippingTypeCode: "NXD",
    });
    const listed = await call({ sim, path: "/api/orders", query: { order_ids: order.order_id } });
    expect(listed.status).toBe(200);
    expectContract("OR11", 200, listed.json);
    const o = listed.json.orders[0];
    expect(o.order_state).toBe("WAITING_ACCEPTANCE");
    expect(o.customer.shipping_address).toBeNull();
    expect(o.customer_notification_email).toMatch(/@notification\.mirakl\.net$/);

    const accept = await call({ sim, method: "PUT", path: `/api/orders/${order.order_id}/accept`, body: { order_lines: order.order_lines.map((l) => ({ id: l.order_line_id, accepted: true })) } });
    expect(accept.status).toBe(204);
    expectContract("OR21", 204, accept.json);

    const track = await call({ sim, method: "PUT", path: `/api/orders/${order.order_id}/tracking`, body: { carrier_code: "RM24", tracking_number: "RM123456785GB" } });
    expect(track.status).toBe(204);
    expectContract("OR23", 204, track.json);

    const ship = await call({ sim, method: "PUT", path: `/api/orders/${order.order_id}/ship` });
    expect(ship.status, ship.text).toBe(204);
    expectContract("OR24", 204, ship.json);

    const patch = await call({ sim, method: "PUT", path: "/api/orders", body: { orders: [{ order_id: order.order_id, references: { order_reference_for_seller: "#1001" } }] } });
    expect(patch.status).toBe(200);
    expectContract("OR04", 200, patch.json);
    expect(patch.json.updated_orders[0]).toMatchObject({ order_id: order.order_id, errors: [], updated: { references: { order_reference_for_seller: "#1001" } } });

    const line = (await call({ sim, path: "/api/orders", query: { order_ids: order.order_id } })).json.orders[0].order_lines[1];
    const refund = await call({
      sim,
      method: "PUT",
      path: "/api/orders/refund",
      body: { order_tax_mode: "TAX_INCLUDED", refunds: [{ order_line_id: line.order_line_id, amount: line.price, shipping_amount: 0, reason_code: "15", quantity: 1, taxes: line.taxes.map((t: { code: string; amount: number }) => ({ code: t.code, amount: t.amount })) }] },
    });
    expect(refund.status, refund.text).toBe(200);
    expectContract("OR28", 200, refund.json);

    const after = await call({ sim, path: "/api/orders", query: { order_ids: order.order_id } });
    expectContract("OR11", 200, after.json);
    expect(after.json.orders[0].order_lines[1].refunds).toHaveLength(1);
    expect(after.json.orders[0].references.order_reference_for_seller).toBe("#1001");

    const second = sim.control.createOrder({ lines: [{ offerSku: "JL-WELLIES-FLORAL-5", quantity: 2 }, { offerSku: "JL-MUG-DOG", quantity: 1 }] });
    await call({ sim, method: "PUT", path: `/api/orders/${second.order_id}/accept`, body: { order_lines: second.order_lines.map((l) => ({ id: l.order_line_id, accepted: true })) } });
    const l1 = second.order_lines[0];
    if (!l1) throw new Error("no line");
    const cancel = await call({
      sim,
      method: "PUT",
      path: "/api/orders/cancel",
      body: { cancelations: [{ order_line_id: l1.order_line_id, quantity: 1, amount: 49.95, shipping_amount: 0, reason_code: "35", taxes: [{ code: "UK_VAT_STD", amount: 8.33 }] }] },
    });
    expect(cancel.status, cancel.text).toBe(200);
    expectContract("OR30", 200, cancel.json);
    const cancelWhole = await call({ sim, method: "PUT", path: `/api/orders/${second.order_id}/cancel` });
    expect(cancelWhole.status, cancelWhole.text).toBe(204);
    expectContract("OR29", 204, cancelWhole.json);

    const tl02 = await call({ sim, path: "/api/sellerpayment/transactions_logs", query: { limit: 100 } });
    expect(tl02.status).toBe(200);
    expectContract("TL02", 200, tl02.json);
    expect(tl02.json.data.length).toBeGreaterThan(0);

    // Past the 7-day cycle boundary and the auto-receive: at least one cycle exists.
    sim.control.advanceClock(8 * 86_400_000);
    sim.control.closeBillingCycle();
    const sbc11 = await call({ sim, path: "/api/seller-billing-cycles" });
    expectContract("SBC11", 200, sbc11.json);
    expect(sbc11.json.data.length).toBeGreaterThanOrEqual(1);
  });

  it("offers and stock: OF21, OF52, OF53, OF54, STO01, STO02, STO03", async () => {
    const of21 = await call({ sim, path: "/api/offers" });
    expectContract("OF21", 200, of21.json);
    expect(of21.json.total_count).toBe(5);

    const of52 = await call({ sim, method: "POST", path: "/api/offers/export/async", body: { export_type: "application/json" } });
    expect(of52.status).toBe(200);
    expectContract("OF52", 200, of52.json);
    sim.control.advanceClock(5_000);
    const of53 = await call({ sim, path: `/api/offers/export/async/status/${of52.json.tracking_id}` });
    expectContract("OF53", 200, of53.json);
    expect(of53.json.status).toBe("COMPLETED");
    const file = await call({ sim, path: new URL(of53.json.urls[0]).pathname + new URL(of53.json.urls[0]).search });
    expect(file.status).toBe(200);
    // OF54's schema describes one offer while the file is an array of them (a known inconsistency of the spec).
    for (const offer of file.json) expectContract("OF54", 200, offer);

    const upload = multipartFile({ csv: stockCsv([["JL-MUG-DOG", 7], ["NOPE", 1]]) });
    const sto01 = await call({ sim, method: "POST", path: "/api/offers/stock/imports", rawBody: upload.body, contentType: upload.contentType });
    expect(sto01.status).toBe(201);
    expectContract("STO01", 201, sto01.json);
    sim.control.advanceClock(10_000);
    const sto02 = await call({ sim, path: `/api/offers/stock/imports/${sto01.json.import_id}/status` });
    expectContract("STO02", 200, sto02.json);
    const sto03 = await call({ sim, path: `/api/offers/stock/imports/${sto01.json.import_id}/error_report` });
    expect(sto03.status).toBe(200);
    expect(sto03.headers.get("content-type")).toMatch(/^text\/csv/);
  });
});

describe("multi-shipment responses validate (decathlon)", () => {
  let sim: MiraklSimulator;
  beforeAll(async () => {
    sim = await startTestSim({ preset: "decathlon", tenant: { debitDelayMs: 0 } });
  });
  afterAll(() => sim.close());

  it("ST01, ST11, ST23, ST24", async () => {
    const order = sim.control.createOrder({ lines: [{ offerSku: "DKT-TENT-2P", quantity: 2 }], country: "FRA" });
    await call({ sim, method: "PUT", path: `/api/orders/${order.order_id}/accept`, body: { order_lines: [{ id: `${order.order_id}-1`, accepted: true }] } });
    const st01 = await call({ sim, method: "POST", path: "/api/shipments", body: { shipments: [{ order_id: order.order_id, shipment_lines: [{ order_line_id: `${order.order_id}-1`, quantity: 1 }] }] } });
    expect(st01.status).toBe(201);
    expectContract("ST01", 201, st01.json);
    const id = st01.json.shipment_success[0].id as string;
    const st23 = await call({ sim, method: "POST", path: "/api/shipments/tracking", body: { shipments: [{ id, tracking: { carrier_code: "COLISSIMO", tracking_number: "6A12345678901" } }] } });
    expectContract("ST23", 200, st23.json);
    const st24 = await call({ sim, method: "PUT", path: "/api/shipments/ship", body: { shipments: [{ id }] } });
    expectContract("ST24", 200, st24.json);
    const st11 = await call({ sim, path: "/api/shipments", query: { order_id: order.order_id } });
    expectContract("ST11", 200, st11.json);
    expect(st11.json.data[0]).toMatchObject({ id, order_id: order.order_id, status: "SHIPPED" });
  });
});
