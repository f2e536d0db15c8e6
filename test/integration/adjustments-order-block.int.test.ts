import { getJwt } from "@shopify/shopify-api/test-helpers";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { createImportedOrder, type AdjustmentsWorld, type ImportedOrder } from "../support/adjustments-fixture";
import { TEST_API_KEY, TEST_API_SECRET } from "../support/test-env";
import { action, loader } from "../../app/routes/api.order-block";
import { orderBlockData } from "../../app/sync/adjustments/order-block.server";

/**
 * The part of the Shopify order-page block that runs in our app: its data and its "flag a refund" action, through
 * the real route with a session token as the admin sends it from an extension (Bearer, validated by
 * authenticate.admin) and with the CORS headers the extension sandbox needs.
 */
let h: Harness;
let world: AdjustmentsWorld;
let o: ImportedOrder;

beforeAll(async () => {
  h = await startHarness({ mirakl: { preset: "joules" } });
  world = { services: h.services, shop: h.shop, connection: h.connection!, mirakl: h.mirakl, shopify: h.shopify };
  o = await createImportedOrder(world, { lines: [{ sku: "TOP-NAVY-M", quantity: 1 }, { sku: "TOTE", quantity: 1 }], state: "SHIPPED" });
});
afterAll(async () => {
  await h?.close();
});

async function call(method: "GET" | "POST", query: Record<string, string>, body?: unknown, token?: string | null) {
  const url = `${h.services.env.SHOPIFY_APP_URL}/api/order-block?${new URLSearchParams(query)}`;
  const jwt = token === undefined ? (await getJwt(h.shop.replace(".myshopify.com", ""), TEST_API_KEY, TEST_API_SECRET)).token : token;
  const headers: Record<string, string> = { origin: "https://extensions.shopifycdn.com", "content-type": "application/json" };
  if (jwt) headers.authorization = `Bearer ${jwt}`;
  const request = new Request(url, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  try {
    return method === "GET" ? await loader({ request, params: {}, context: {} }) : await action({ request, params: {}, context: {} });
  } catch (thrown) {
    if (thrown instanceof Response) return thrown;
    throw thrown;
  }
}

describe("admin block data (api.order-block)", () => {
  it("shows the Mirakl side of an imported order: marketplace, ids, state, deadlines, commission", async () => {
    const res = await call("GET", { orderId: o.shopifyOrderId });
    expect(res.status).toBe(200);
    expect(res.headers.get("access-control-allow-origin")).toBe("*");
    const data = (await res.json()) as Record<string, unknown>;
    expect(data).toMatchObject({
      kind: "mirakl",
      marketplace: "Marketplace",
      miraklOrderId: o.miraklOrderId,
      miraklState: "SHIPPED",
      commission: o.order.total_commission!.toFixed(2),
      currency: "GBP",
      replacedBy: null,
      openTasks: [],
      refunds: [],
    });
    expect(data.shippingDeadline).toBe(new Date(o.order.shipping_deadline as unknown as string).toISOString());
  });

  it("lists the order's open tasks and refunds, including refund tasks", async () => {
    h.shopify.control.refund({ shop: h.shop, orderId: o.shopifyOrderId, lines: [{ lineItemId: o.lineItems.TOTE!, quantity: 1 }], amount: "19.95" });
    await h.drain();
    const data = await orderBlockData({ services: h.services, shop: h.shop, orderId: o.shopifyOrderId.split("/").pop()! });
    if (data.kind !== "mirakl") throw new Error("expected a Mirakl order");
    expect(data.refunds).toHaveLength(1);
    expect(data.refunds[0]).toMatchObject({ status: "OPEN", statusLabel: "To send", amount: "19.95" });
    expect(data.openTasks.map((t) => t.title)).toEqual([expect.stringMatching(/^Refund .* on Marketplace/)]);
  });

  it("flags a Mirakl refund task for CX; flagging again only counts it", async () => {
    const first = await call("POST", {}, { orderId: o.shopifyOrderId, note: "Parcel arrived damaged" });
    expect(first.status).toBe(200);
    expect(first.headers.get("access-control-allow-origin")).toBe("*");
    const flagged = (await first.json()) as { kind: string; taskId: string };
    expect(flagged.kind).toBe("flagged");
    const task = await h.services.prisma.task.findUniqueOrThrow({ where: { id: flagged.taskId } });
    expect(task).toMatchObject({ kind: "refund_flag", status: "OPEN", entityId: o.link.id, actionUrl: `/app/refunds?order=${o.link.id}` });
    expect(task.body).toContain("Parcel arrived damaged");
    await call("POST", {}, { orderId: o.shopifyOrderId });
    expect((await h.services.prisma.task.findUniqueOrThrow({ where: { id: flagged.taskId } })).occurrences).toBe(2);
    const block = await orderBlockData({ services: h.services, shop: h.shop, orderId: o.shopifyOrderId });
    expect(block.kind === "mirakl" && block.openTasks.some((t) => t.id === flagged.taskId)).toBe(true);
  });

  it("answers not_mirakl for other orders and rejects bad input and missing tokens", async () => {
    const web = h.shopify.control.storefrontSale({ shop: h.shop, lines: [{ sku: "TOTE", quantity: 1 }] });
    expect(await (await call("GET", { orderId: web.orderId })).json()).toEqual({ kind: "not_mirakl" });
    expect((await call("GET", { orderId: "drop table" })).status).toBe(400);
    expect((await call("POST", {}, { orderId: web.orderId })).status).toBe(404);
    const anonymous = await call("GET", { orderId: o.shopifyOrderId }, undefined, null);
    expect(anonymous.status).toBeGreaterThanOrEqual(300);
    const forged = await call("GET", { orderId: o.shopifyOrderId }, undefined, (await getJwt(h.shop.replace(".myshopify.com", ""), TEST_API_KEY, "not-the-secret")).token);
    expect(forged.status).toBe(401);
  });

  it("on a replaced order shows which order took over", async () => {
    const replaced = h.shopify.control.replaceOrder({ shop: h.shop, orderId: o.shopifyOrderId });
    await h.drain();
    const data = await orderBlockData({ services: h.services, shop: h.shop, orderId: o.shopifyOrderId });
    expect(data).toMatchObject({ kind: "mirakl", miraklOrderId: o.miraklOrderId, replacedBy: { id: replaced.newOrderId, name: replaced.name } });
    expect(await orderBlockData({ services: h.services, shop: h.shop, orderId: replaced.newOrderId })).toMatchObject({ kind: "mirakl", replacedBy: null });
  });
});
