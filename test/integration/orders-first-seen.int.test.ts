/**
 * Orders a marketplace already holds when it is connected, handled elsewhere before (another tool, the Mirakl back
 * office): shipped, received, refused or cancelled. The first poll lists them, imports none into Shopify, decides
 * nothing and raises no Task; an order still waiting for acceptance is handled as usual.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startHarness, type Harness } from "../support/harness";
import { linkOf, miraklCalls, openTasks, pollAndDrain, shopifyOrdersFor, timeline } from "../support/orders";
import { createMiraklClient } from "../../app/mirakl";
import { createConnection } from "../../app/sync/connections.server";
import { handledBeforeConnector } from "../../app/sync/orders/link-transitions";

const DAY = 86_400_000;
let h: Harness;

beforeAll(async () => {
  h = await startHarness({ connect: false, mirakl: { tenant: { debitDelayMs: 0 } } });
});
afterAll(async () => h?.close());

describe("orders first seen after SHIPPING", () => {
  it("are listed as handled before the connector, never imported, and raise no acceptance or import Task", async () => {
    const { control } = h.mirakl;
    const other = createMiraklClient({ baseUrl: h.mirakl.url, apiKey: h.miraklApiKey }); // the tool used before
    const accept = async (orderId: string) => {
      const o = control.getOrder(orderId)!;
      await other.acceptOrder({ orderId, lines: o.order_lines.map((l) => ({ id: l.order_line_id, accepted: true })) });
    };
    const carrier = control.getTenant().carriers[0]!;
    const line = [{ offerSku: "TOTE", quantity: 1 }];

    const autoRefused = control.createOrder({ lines: line }); // nobody accepted it in time
    const cancelled = control.createOrder({ lines: line });
    control.customerCancel(cancelled.order_id);
    const received = control.createOrder({ lines: line });
    await accept(received.order_id);
    control.advanceClock(1_000);
    control.shipInPortal(received.order_id, { carrierCode: carrier.code, trackingNumber: "R-1" });
    control.advanceClock(8 * DAY); // auto-refusal after 3 days, receipt after 7
    const shipped = control.createOrder({ lines: line });
    await accept(shipped.order_id);
    control.advanceClock(1_000);
    control.shipInPortal(shipped.order_id, { carrierCode: carrier.code, trackingNumber: "S-1" });
    expect([autoRefused, cancelled, received, shipped].map((o) => control.getOrder(o.order_id)!.order_state)).toEqual(["REFUSED", "CANCELED", "RECEIVED", "SHIPPED"]);

    // Now the merchant connects the marketplace; one new order is waiting for acceptance.
    const res = await createConnection({ services: h.services, shop: h.shop, input: { name: "Marketplace", baseUrl: h.mirakl.url, apiKey: h.miraklApiKey } });
    if (res.kind !== "created") throw new Error(JSON.stringify(res));
    h.connection = await h.services.prisma.marketplaceConnection.update({ where: { id: res.connection.id }, data: { locationIds: Object.values(h.catalogue.locations), backfillHours: 24 * 30 } });
    const fresh = control.createOrder({ lines: line });
    const or21Before = miraklCalls(h, "OR21");
    await pollAndDrain(h, 2);

    const expected: Array<[string, string]> = [
      [autoRefused.order_id, "Refused before Mirakl Connector saw it — not imported"],
      [cancelled.order_id, "Cancelled before Mirakl Connector saw it — not imported"],
      [received.order_id, "Shipped before Mirakl Connector saw it — not imported"],
      [shipped.order_id, "Shipped before Mirakl Connector saw it — not imported"],
    ];
    for (const [id, note] of expected) {
      const link = await linkOf(h, id);
      expect(link).toMatchObject({ importStatus: "NOT_IMPORTED", shopifyOrderId: null, miraklState: control.getOrder(id)!.order_state });
      expect(handledBeforeConnector(link)).toBe(note);
      expect(shopifyOrdersFor(h, id)).toHaveLength(0);
      expect((await timeline(h, link.id)).find((e) => e.kind === "not_imported")?.message).toContain(note);
    }
    // Only the new order was accepted (OR21) and imported; nothing else asks anything of the merchant.
    expect(miraklCalls(h, "OR21") - or21Before).toBe(1);
    expect(await linkOf(h, fresh.order_id)).toMatchObject({ acceptanceStatus: "ACCEPTED", importStatus: "IMPORTED" });
    expect(shopifyOrdersFor(h, fresh.order_id)).toHaveLength(1);
    expect(await openTasks(h)).toEqual([]);

    // Seen again (the overlap, the backfill sweep): still nothing.
    await pollAndDrain(h);
    expect(await openTasks(h)).toEqual([]);
    expect(h.shopify.control.orders({ shop: h.shop })).toHaveLength(1);
  });
});
