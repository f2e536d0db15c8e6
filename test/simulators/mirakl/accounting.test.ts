import { afterEach, describe, expect, it } from "vitest";
import { TIME, type MiraklSimulator } from "./index";
import { call, startTestSim } from "./test-support";

let sim: MiraklSimulator | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

interface Txn {
  id: string;
  type: string;
  amount: number;
  amount_credited: number;
  amount_debited: number;
  payment_state: string;
  seller_billing_cycle_id: string | null;
  entities: { order: { id: string }; order_line: { id: string }; refund?: { id: string } };
}

async function shippedOrder(s: MiraklSimulator) {
  const o = s.control.createOrder({ lines: [{ offerSku: "JL-HARBOUR-NAVY-10", quantity: 2 }, { offerSku: "JL-MUG-DOG", quantity: 1 }], shippingTypeCode: "STD" });
  await call({ sim: s, method: "PUT", path: `/api/orders/${o.order_id}/accept`, body: { order_lines: o.order_lines.map((l) => ({ id: l.order_line_id, accepted: true })) } });
  await call({ sim: s, method: "PUT", path: `/api/orders/${o.order_id}/ship` });
  return o;
}

const allTxns = async (s: MiraklSimulator, query: Record<string, string | number> = {}): Promise<Txn[]> =>
  (await call({ sim: s, path: "/api/sellerpayment/transactions_logs", query: { limit: 2000, ...query } })).json.data;

describe("TL02 transaction lines", () => {
  it("creates the debit lines per order line, matching prices, taxes and commission", async () => {
    sim = await startTestSim({ preset: "joules", tenant: { debitDelayMs: 0 } });
    const o = await shippedOrder(sim);
    const seen = sim.control.getOrder(o.order_id);
    const line1 = seen?.order_lines[0] as unknown as { order_line_id: string; price: number; shipping_price: number; taxes: Array<{ amount: number }>; shipping_taxes: Array<{ amount: number }>; commission_fee: number; commission_vat: number };
    const txns = (await allTxns(sim)).filter((t) => t.entities.order_line.id === line1.order_line_id);
    const byType = Object.fromEntries(txns.map((t) => [t.type, t.amount]));
    expect(Object.keys(byType).sort()).toEqual(["COMMISSION_FEE", "COMMISSION_VAT", "ORDER_AMOUNT", "ORDER_AMOUNT_TAX", "ORDER_SHIPPING_AMOUNT", "ORDER_SHIPPING_AMOUNT_TAX"]);
    expect(byType.ORDER_AMOUNT_TAX).toBe(line1.taxes[0]?.amount);
    expect(Math.round(((byType.ORDER_AMOUNT ?? 0) + (byType.ORDER_AMOUNT_TAX ?? 0)) * 100) / 100).toBe(line1.price);
    expect(Math.round(((byType.ORDER_SHIPPING_AMOUNT ?? 0) + (byType.ORDER_SHIPPING_AMOUNT_TAX ?? 0)) * 100) / 100).toBe(line1.shipping_price);
    expect(byType.COMMISSION_FEE).toBe(-line1.commission_fee);
    expect(byType.COMMISSION_VAT).toBe(-line1.commission_vat);
    for (const t of txns) {
      expect(t.entities.order.id).toBe(o.order_id);
      expect(t.payment_state).toBe("PENDING");
      expect(t.amount).toBe(Math.round((t.amount_credited - t.amount_debited) * 100) / 100);
    }
  });

  it("moves PENDING → PAYABLE on receipt, into a billing cycle, then PAID at payout (SBC11)", async () => {
    sim = await startTestSim({ preset: "joules", tenant: { debitDelayMs: 0, autoReceiveMs: TIME.DAY, billingCycleMs: 3 * TIME.DAY, payoutDelayMs: TIME.DAY } });
    const o = await shippedOrder(sim);
    sim.control.advanceClock(TIME.DAY);
    expect((await allTxns(sim)).every((t) => t.payment_state === "PAYABLE" && t.seller_billing_cycle_id === null)).toBe(true);
    sim.control.advanceClock(2 * TIME.DAY);
    const cycles = (await call({ sim, path: "/api/seller-billing-cycles" })).json.data;
    expect(cycles).toHaveLength(1);
    const cycle = cycles[0];
    expect(cycle.pay_out.state).toBe("TO_PAY");
    const inCycle = await allTxns(sim, { seller_billing_cycle_id: cycle.id });
    expect(inCycle.length).toBe((await allTxns(sim)).length);
    const net = Math.round(inCycle.reduce((s, t) => s + t.amount, 0) * 100) / 100;
    expect(cycle.amount_transferred_to_seller).toBe(net);
    const order = sim.control.getOrder(o.order_id);
    expect(cycle.summary.total_payable_orders_incl_tax).toBe(order?.total_price);
    expect(cycle.summary.total_commissions_incl_tax).toBe(-Number(order?.total_commission));
    sim.control.advanceClock(TIME.DAY);
    const paid = (await call({ sim, path: "/api/seller-billing-cycles", query: { pay_out_state: "PAID" } })).json.data;
    expect(paid).toHaveLength(1);
    expect(paid[0].pay_out).toMatchObject({ state: "PAID", reference: expect.any(String) });
    expect((await allTxns(sim)).every((t) => t.payment_state === "PAID")).toBe(true);
  });

  it("pages with limit and page_token, and refuses limit > 2000", async () => {
    sim = await startTestSim({ preset: "joules", tenant: { debitDelayMs: 0 } });
    await shippedOrder(sim);
    const everything = await allTxns(sim);
    expect(everything.length).toBe(10); // 6 lines for the first order line, 4 for the second (no shipping charged)
    const ids: string[] = [];
    let token: string | null = null;
    let pages = 0;
    do {
      const query: Record<string, string | number> = token ? { page_token: token } : { limit: 4 };
      const r = await call({ sim, path: "/api/sellerpayment/transactions_logs", query });
      expect(r.status).toBe(200);
      ids.push(...r.json.data.map((t: Txn) => t.id));
      if (pages > 0) expect(r.json.previous_page_token).toEqual(expect.any(String));
      token = r.json.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(ids).toEqual(everything.map((t) => t.id));
    expect((await call({ sim, path: "/api/sellerpayment/transactions_logs", query: { limit: 2001 } })).status).toBe(400);
    expect((await call({ sim, path: "/api/sellerpayment/transactions_logs", query: { page_token: "garbage!" } })).status).toBe(400);
  });

  it("filters by transaction_type and order_line_id", async () => {
    sim = await startTestSim({ preset: "joules", tenant: { debitDelayMs: 0 } });
    const o = await shippedOrder(sim);
    const fees = await allTxns(sim, { transaction_type: "COMMISSION_FEE" });
    expect(fees).toHaveLength(2);
    const line2 = await allTxns(sim, { order_line_id: `${o.order_id}-2` });
    expect(line2.every((t) => t.entities.order_line.id === `${o.order_id}-2`)).toBe(true);
    expect(line2.map((t) => t.type).sort()).toEqual(["COMMISSION_FEE", "COMMISSION_VAT", "ORDER_AMOUNT", "ORDER_AMOUNT_TAX"]);
  });
});
