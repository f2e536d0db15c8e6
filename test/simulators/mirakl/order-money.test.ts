import { afterEach, describe, expect, it } from "vitest";
import { TIME, type MiraklSimulator, type OrderJson, type PresetName, type TenantConfig } from "./index";
import { call, startTestSim } from "./test-support";

let sim: MiraklSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

type Line = OrderJson["order_lines"][number] & { taxes: Array<{ code: string; amount: number; rate: number }>; shipping_price: number; refunds: Array<Record<string, unknown>>; cancelations: Array<Record<string, unknown>> };

const fetchOrder = async (s: MiraklSimulator, orderId: string): Promise<OrderJson> =>
  (await call({ sim: s, path: "/api/orders", query: { order_ids: orderId } })).json.orders[0];
const lineOf = (o: OrderJson, i: number) => o.order_lines[i] as Line;

async function acceptedOrder({ preset, lines, tenant, ship }: { preset: PresetName; lines: Array<{ offerSku: string; quantity: number; unitPrice?: number }>; tenant?: Partial<TenantConfig>; ship: boolean }) {
  sim = await startTestSim({ preset, tenant: { debitDelayMs: 0, ...tenant } });
  const o = sim.control.createOrder({ lines, shippingTypeCode: sim.control.getTenant().shippingTypes[0]?.code, country: sim.control.getTenant().countries[0] });
  if (o.order_state === "WAITING_ACCEPTANCE") {
    const r = await call({ sim, method: "PUT", path: `/api/orders/${o.order_id}/accept`, body: { order_lines: o.order_lines.map((l) => ({ id: l.order_line_id, accepted: true })) } });
    expect(r.status).toBe(204);
  }
  if (ship) expect((await call({ sim, method: "PUT", path: `/api/orders/${o.order_id}/ship` })).status).toBe(204);
  return { s: sim, order: await fetchOrder(sim, o.order_id) };
}

const refund = (s: MiraklSimulator, body: unknown) => call({ sim: s, method: "PUT", path: "/api/orders/refund", body });
const cancel = (s: MiraklSimulator, body: unknown) => call({ sim: s, method: "PUT", path: "/api/orders/cancel", body });

describe("prices, taxes and commission by tax mode", () => {
  it("TAX_INCLUDED: the tax is inside the price, rounded to cents (joules)", async () => {
    const { order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-HARBOUR-NAVY-10", quantity: 2 }], ship: false });
    const l = lineOf(order, 0);
    expect(order.order_tax_mode).toBe("TAX_INCLUDED");
    expect(l).toMatchObject({ price_unit: 29.95, price: 59.9, quantity: 2, shipping_price: 3.95, total_price: 63.85 });
    expect(l.taxes).toEqual([{ code: "UK_VAT_STD", amount: 9.98, rate: 20, tax_calculation_rule: "NONE" }]); // 59.90 × 20/120
    expect(order.price).toBe(59.9);
    expect(order.total_price).toBe(63.85);
    expect(order.currency_iso_code).toBe("GBP");
    // Commission: 15 % of price + shipping, VAT 20 % on top.
    expect(l).toMatchObject({ commission_fee: 9.58, commission_vat: 1.92, total_commission: 11.5 });
    expect(order.total_commission).toBe(11.5);
  });

  it("TAX_EXCLUDED: the tax is added on top, by the customer's country (decathlon DEU 19 %)", async () => {
    sim = await startTestSim({ preset: "decathlon" });
    const o = sim.control.createOrder({ lines: [{ offerSku: "DKT-RUNSHOE-42", quantity: 1 }], country: "DEU", shippingTypeCode: "STD" });
    const l = lineOf(o, 0);
    expect(o.order_tax_mode).toBe("TAX_EXCLUDED");
    expect(l.price).toBe(59.99);
    expect(l.taxes).toEqual([{ code: "MWST_DE_19", amount: 11.4, rate: 19, tax_calculation_rule: "NONE" }]); // 59.99 × 0.19
    expect(o.total_price).toBe(64.98); // price + shipping, taxes listed apart
  });

  it("OR11 order_tax_mode shows the other mode's amounts", async () => {
    const { s, order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }], ship: false });
    const excl = (await call({ sim: s, path: "/api/orders", query: { order_ids: order.order_id, order_tax_mode: "TAX_EXCLUDED" } })).json.orders[0] as OrderJson;
    expect(excl.order_tax_mode).toBe("TAX_EXCLUDED");
    expect(lineOf(excl, 0)).toMatchObject({ price: 10.42, price_unit: 10.42 }); // 12.50 − 2.08
    expect(excl.price).toBe(10.42);
  });
});

describe("OR28 refunds", () => {
  it("records a partial refund WAITING_REFUND → REFUNDED with TL02 REFUND_* lines", async () => {
    const { s, order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-HARBOUR-NAVY-10", quantity: 2 }], ship: true, tenant: { refundDelayMs: TIME.HOUR } });
    const l = lineOf(order, 0);
    const r = await refund(s, { order_tax_mode: "TAX_INCLUDED", refunds: [{ order_line_id: l.order_line_id, amount: 29.95, shipping_amount: 0, quantity: 1, reason_code: "17", taxes: [{ code: "UK_VAT_STD", amount: 4.99 }] }] });
    expect(r.status, r.text).toBe(200);
    expect(r.json.order_tax_mode).toBe("TAX_INCLUDED");
    const created = r.json.refunds[0];
    expect(created).toMatchObject({ order_line_id: l.order_line_id, amount: 29.95, shipping_amount: 0, reason_code: "17", quantity: 1 });
    expect(created.refund_id).toEqual(expect.any(String));

    let line = lineOf(await fetchOrder(s, order.order_id), 0);
    expect(line.refunds).toHaveLength(1);
    expect(line.refunds[0]).toMatchObject({ id: created.refund_id, order_refund_id: created.order_refund_id, refund_state: "WAITING_REFUND", amount: 29.95 });
    expect(line.price).toBe(59.9); // refunds do not reduce price (notes §3)
    expect(line.can_refund).toBe(true);

    s.control.advanceClock(TIME.HOUR);
    line = lineOf(await fetchOrder(s, order.order_id), 0);
    expect(line.refunds[0]).toMatchObject({ refund_state: "REFUNDED", state: "REFUNDED" });
    const tl = await call({ sim: s, path: "/api/sellerpayment/transactions_logs", query: { limit: 100, transaction_type: "REFUND_ORDER_AMOUNT" } });
    expect(tl.json.data).toHaveLength(1);
    expect(tl.json.data[0]).toMatchObject({ type: "REFUND_ORDER_AMOUNT", amount: -24.96, entities: { refund: { id: created.refund_id }, order_line: { id: l.order_line_id }, order: { id: order.order_id } } });
  });

  it("refuses a refund above what is left, counting earlier refunds", async () => {
    const { s, order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }], ship: true });
    const l = lineOf(order, 0);
    const over = await refund(s, { refunds: [{ order_line_id: l.order_line_id, amount: 12.51, shipping_amount: 0, reason_code: "15", taxes: [{ code: "UK_VAT_STD", amount: 2.08 }] }] });
    expect(over.status).toBe(400);
    expect(over.json.code).toBe("REFUND_AMOUNT_EXCEEDED");
    expect((await refund(s, { refunds: [{ order_line_id: l.order_line_id, amount: 10, shipping_amount: 0, reason_code: "15", taxes: [{ code: "UK_VAT_STD", amount: 1.67 }] }] })).status).toBe(200);
    const second = await refund(s, { refunds: [{ order_line_id: l.order_line_id, amount: 3, shipping_amount: 0, reason_code: "15", taxes: [{ code: "UK_VAT_STD", amount: 0.41 }] }] });
    expect(second.status).toBe(400);
    expect(second.json.message).toContain("2.5");
    const shipping = await refund(s, { refunds: [{ order_line_id: l.order_line_id, amount: 0, shipping_amount: 4, reason_code: "15", shipping_taxes: [{ code: "UK_VAT_STD", amount: 0.66 }] }] });
    expect(shipping.json.code).toBe("REFUND_SHIPPING_AMOUNT_EXCEEDED");
    expect(lineOf(await fetchOrder(s, order.order_id), 0).refunds).toHaveLength(1);
  });

  it("requires taxes when the line's tax rule is NONE, and computes them when PROPORTIONAL_TO_AMOUNT", async () => {
    const { s, order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }], ship: true });
    const l = lineOf(order, 0);
    const r = await refund(s, { refunds: [{ order_line_id: l.order_line_id, amount: 5, shipping_amount: 0, reason_code: "15" }] });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("TAXES_REQUIRED");
    await s.close();

    const prop = await acceptedOrder({ preset: "bandq", lines: [{ offerSku: "BQ-PAINT-WHITE-5L", quantity: 1 }], ship: true });
    const pl = lineOf(prop.order, 0);
    const ok = await refund(prop.s, { refunds: [{ order_line_id: pl.order_line_id, amount: 11, shipping_amount: 0, reason_code: "15" }] });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.refunds[0].taxes).toEqual([{ code: "GB_VAT_20", amount: 1.84, rate: 20 }]); // 3.67 × 11/22 = 1.835, rounded
  });

  it("refuses a reason that is not a REFUND reason or not the shop's right", async () => {
    const { s, order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }], ship: true });
    const l = lineOf(order, 0);
    for (const reason of ["34", "20", "999"]) {
      const r = await refund(s, { refunds: [{ order_line_id: l.order_line_id, amount: 1, shipping_amount: 0, reason_code: reason, taxes: [{ code: "UK_VAT_STD", amount: 0.17 }] }] });
      expect(r.status, reason).toBe(400);
      expect(r.json.code).toBe("REASON_CODE_INVALID");
    }
  });

  it("refuses refunds before shipment and once CLOSED", async () => {
    const { s, order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }], ship: false });
    const l = lineOf(order, 0);
    const body = { refunds: [{ order_line_id: l.order_line_id, amount: 1, shipping_amount: 0, reason_code: "15", taxes: [{ code: "UK_VAT_STD", amount: 0.17 }] }] };
    expect((await refund(s, body)).json.code).toBe("ORDER_LINE_NOT_REFUNDABLE");
    await call({ sim: s, method: "PUT", path: `/api/orders/${order.order_id}/ship` });
    s.control.advanceClock(40 * TIME.DAY);
    expect((await fetchOrder(s, order.order_id)).order_state).toBe("CLOSED");
    expect((await refund(s, body)).json.code).toBe("ORDER_LINE_NOT_REFUNDABLE");
  });

  it("is all-or-nothing across items and converts TAX_EXCLUDED request amounts", async () => {
    const { s, order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }, { offerSku: "JL-HARBOUR-NAVY-12", quantity: 1 }], ship: true });
    const [a, b] = [lineOf(order, 0), lineOf(order, 1)];
    const bad = await refund(s, {
      refunds: [
        { order_line_id: a.order_line_id, amount: 1, shipping_amount: 0, reason_code: "15", taxes: [{ code: "UK_VAT_STD", amount: 0.17 }] },
        { order_line_id: b.order_line_id, amount: 1000, shipping_amount: 0, reason_code: "15", taxes: [{ code: "UK_VAT_STD", amount: 1 }] },
      ],
    });
    expect(bad.status).toBe(400);
    expect(lineOf(await fetchOrder(s, order.order_id), 0).refunds).toHaveLength(0);
    // 10.00 excluding tax + 2.00 tax = 12.00 in the order's TAX_INCLUDED terms.
    const ok = await refund(s, { order_tax_mode: "TAX_EXCLUDED", refunds: [{ order_line_id: a.order_line_id, amount: 10, shipping_amount: 0, reason_code: "15", taxes: [{ code: "UK_VAT_STD", amount: 2 }] }] });
    expect(ok.status, ok.text).toBe(200);
    expect(ok.json.order_tax_mode).toBe("TAX_EXCLUDED");
    expect(lineOf(await fetchOrder(s, order.order_id), 0).refunds[0]?.amount).toBe(12);
  });

  it("marks a line REFUNDED and the order fully_refunded after a full refund (operator refund in the portal)", async () => {
    const { s, order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }], ship: true, tenant: { refundDelayMs: 0 } });
    const after = s.control.refundInPortal(order.order_id, [{ orderLineId: `${order.order_id}-1` }]);
    expect(after.order_lines[0]?.order_line_state).toBe("REFUNDED");
    expect(after.fully_refunded).toBe(true);
    expect((after.order_lines[0] as Line).can_refund).toBe(false);
  });
});

describe("OR30 line cancelations", () => {
  it("cancels part of a line: quantity, price and taxes go down, stock comes back", async () => {
    const { s, order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-WELLIES-FLORAL-5", quantity: 3 }], ship: false });
    const stock = s.control.getOffers().find((o) => o.sku === "JL-WELLIES-FLORAL-5")?.quantity ?? -1;
    const l = lineOf(order, 0);
    expect(l).toMatchObject({ quantity: 3, price: 149.85 });
    const r = await cancel(s, { cancelations: [{ order_line_id: l.order_line_id, quantity: 1, amount: 49.95, shipping_amount: 0, reason_code: "35", taxes: [{ code: "UK_VAT_STD", amount: 8.33 }] }] });
    expect(r.status, r.text).toBe(200);
    expect(r.json.cancelations[0]).toMatchObject({ order_line_id: l.order_line_id, quantity: 1, amount: 49.95, reason_code: "35" });
    const after = await fetchOrder(s, order.order_id);
    const al = lineOf(after, 0);
    expect(al).toMatchObject({ quantity: 2, price: 99.9, order_line_state: "SHIPPING" });
    expect(al.taxes[0]?.amount).toBe(16.65); // 24.98 − 8.33
    expect(al.cancelations).toHaveLength(1);
    expect(after.price).toBe(99.9);
    expect(s.control.getOffers().find((o) => o.sku === "JL-WELLIES-FLORAL-5")?.quantity).toBe(stock + 1);
  });

  it("cancels the whole order when the last quantity goes", async () => {
    const { s, order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }], ship: false });
    const l = lineOf(order, 0);
    const r = await cancel(s, { cancelations: [{ order_line_id: l.order_line_id, quantity: 1, amount: 12.5, shipping_amount: 3.95, reason_code: "35", taxes: [{ code: "UK_VAT_STD", amount: 2.08 }], shipping_taxes: [{ code: "UK_VAT_STD", amount: 0.66 }] }] });
    expect(r.status, r.text).toBe(200);
    const after = await fetchOrder(s, order.order_id);
    expect(after.order_state).toBe("CANCELED");
    expect(lineOf(after, 0).order_line_state).toBe("CANCELED");
  });

  it("refuses more than the remaining quantity, a non-CANCELATION reason, and shipped orders", async () => {
    const { s, order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-MUG-DOG", quantity: 2 }], ship: false });
    const l = lineOf(order, 0);
    const tooMany = await cancel(s, { cancelations: [{ order_line_id: l.order_line_id, quantity: 3, amount: 1, shipping_amount: 0, reason_code: "35", taxes: [{ code: "UK_VAT_STD", amount: 0.17 }] }] });
    expect(tooMany.json.code).toBe("CANCELATION_QUANTITY_INVALID");
    const wrongReason = await cancel(s, { cancelations: [{ order_line_id: l.order_line_id, quantity: 1, amount: 1, shipping_amount: 0, reason_code: "15", taxes: [{ code: "UK_VAT_STD", amount: 0.17 }] }] });
    expect(wrongReason.json.code).toBe("REASON_CODE_INVALID");
    await call({ sim: s, method: "PUT", path: `/api/orders/${order.order_id}/ship` });
    const shipped = await cancel(s, { cancelations: [{ order_line_id: l.order_line_id, quantity: 1, amount: 1, shipping_amount: 0, reason_code: "35", taxes: [{ code: "UK_VAT_STD", amount: 0.17 }] }] });
    expect(shipped.json.code).toBe("ORDER_LINE_NOT_CANCELABLE");
  });

  it("is refused when the tenant has no partial cancelation", async () => {
    const { s, order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-MUG-DOG", quantity: 2 }], ship: false, tenant: { partialCancel: false } });
    const r = await cancel(s, { cancelations: [{ order_line_id: `${order.order_id}-1`, quantity: 1, amount: 12.5, shipping_amount: 0, reason_code: "35", taxes: [{ code: "UK_VAT_STD", amount: 2.08 }] }] });
    expect(r.status).toBe(400);
    expect(r.json.code).toBe("PARTIAL_CANCELATION_DISABLED");
  });
});

describe("OR29 whole-order cancel", () => {
  it("cancels while can_cancel, reverses the money and refuses once shipped", async () => {
    const { s, order } = await acceptedOrder({ preset: "joules", lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }], ship: false });
    expect(order.can_cancel).toBe(true);
    expect((await call({ sim: s, method: "PUT", path: `/api/orders/${order.order_id}/cancel` })).status).toBe(204);
    const after = await fetchOrder(s, order.order_id);
    expect(after).toMatchObject({ order_state: "CANCELED", can_cancel: false });
    const tl = await call({ sim: s, path: "/api/sellerpayment/transactions_logs", query: { limit: 100, order_id: order.order_id } });
    const total = (tl.json.data as Array<{ amount: number }>).reduce((sum, t) => sum + t.amount, 0);
    expect(Math.abs(total)).toBeLessThan(0.005);

    const shipped = s.control.createOrder({ lines: [{ offerSku: "JL-MUG-DOG", quantity: 1 }] });
    await call({ sim: s, method: "PUT", path: `/api/orders/${shipped.order_id}/accept`, body: { order_lines: [{ id: `${shipped.order_id}-1`, accepted: true }] } });
    await call({ sim: s, method: "PUT", path: `/api/orders/${shipped.order_id}/ship` });
    const refused = await call({ sim: s, method: "PUT", path: `/api/orders/${shipped.order_id}/cancel` });
    expect(refused.status).toBe(400);
    expect(refused.json.code).toBe("ORDER_INVALID_STATE");
  });
});
