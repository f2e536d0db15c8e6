import { createHmac, randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startInventoryWorld, type InventoryWorld } from "../support/inventory-world";
import { TEST_API_SECRET } from "../support/test-env";
import { fromGid } from "../../app/shopify/gid";

/**
 * inventory_levels/update arrives at least once and in any order (shopify notes §3.4): the level we hold must only
 * ever move to a newer one. The Shopify simulator here delivers every webhook twice and shuffles them.
 */
let w: InventoryWorld;
const level = () =>
  w.h.services.prisma.stockLevel.findUniqueOrThrow({
    where: { shop_inventoryItemId_locationId: { shop: w.h.shop, inventoryItemId: w.h.catalogue.variants.TOTE!.inventoryItemId, locationId: w.h.catalogue.locations.Warehouse! } },
  });

function post(body: unknown) {
  const raw = JSON.stringify(body);
  const webhookId = randomUUID();
  return fetch(`${w.h.services.env.SHOPIFY_APP_URL}/webhooks/inventory_levels/update`, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      "x-shopify-hmac-sha256": createHmac("sha256", TEST_API_SECRET).update(raw, "utf8").digest("base64"),
      "x-shopify-topic": "inventory_levels/update",
      "x-shopify-shop-domain": w.h.shop,
      "x-shopify-api-version": "2026-04",
      "x-shopify-webhook-id": webhookId,
      "x-shopify-event-id": randomUUID(),
      "x-shopify-triggered-at": new Date().toISOString(),
    },
    body: raw,
  }).then((res) => ({ status: res.status, webhookId }));
}

beforeAll(async () => {
  w = await startInventoryWorld({ harness: { webhooks: { duplicateRate: 1, reorder: true } } });
  await w.mapSkus(w.a.connection.id);
  await w.reconcile(w.a);
});
afterAll(async () => {
  await w?.close();
});

describe("inventory webhooks", () => {
  it("duplicated and shuffled deliveries end on the newest level, and the push sends it", async () => {
    for (const set of [90, 120, 70, 100]) {
      w.h.shopify.control.adjustStock({ shop: w.h.shop, sku: "TOTE", location: "Warehouse", set });
      await new Promise((r) => setTimeout(r, 5));
    }
    await w.deliverWebhooks();
    const deliveries = await w.h.services.prisma.webhookDelivery.findMany({ where: { topic: "INVENTORY_LEVELS_UPDATE" } });
    // Each webhook id is recorded once although delivered twice; the shuffle made some of them stale on arrival.
    expect(deliveries).toHaveLength(4);
    expect((await level()).available).toBe(100);
    await w.push(w.a);
    await w.settleImports();
    expect(w.miraklQty(w.a, "TOTE")).toBe(110);
  });

  it("an older level arriving after a newer one is ignored; a tie keeps the lower quantity", async () => {
    const item = Number(fromGid(w.h.catalogue.variants.TOTE!.inventoryItemId).id);
    const location = Number(fromGid(w.h.catalogue.locations.Warehouse!).id);
    const t = Date.now() + 60_000;
    const at = (ms: number) => new Date(t + ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
    const newer = await post({ inventory_item_id: item, location_id: location, available: 33, updated_at: at(2_000) });
    await w.deliverWebhooks();
    const older = await post({ inventory_item_id: item, location_id: location, available: 44, updated_at: at(1_000) });
    expect([newer.status, older.status]).toEqual([200, 200]);
    await w.deliverWebhooks();
    expect((await level()).available).toBe(33);
    const stale = await w.h.services.prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: older.webhookId } });
    expect(stale.status).toBe("IGNORED");
    expect(stale.error).toMatch(/newer/);

    // The same second twice (REST timestamps have second resolution): the lower quantity is the safe one.
    await post({ inventory_item_id: item, location_id: location, available: 25, updated_at: at(3_000) });
    await w.deliverWebhooks();
    await post({ inventory_item_id: item, location_id: location, available: 28, updated_at: at(3_000) });
    await w.deliverWebhooks();
    expect((await level()).available).toBe(25);
    await post({ inventory_item_id: item, location_id: location, available: 21, updated_at: at(3_000) });
    await w.deliverWebhooks();
    expect((await level()).available).toBe(21);

    // A payload that is not an inventory level is recorded and ignored, never retried forever.
    const bad = await post({ inventory_item_id: "not-a-number", location_id: location });
    await w.deliverWebhooks();
    expect((await w.h.services.prisma.webhookDelivery.findUniqueOrThrow({ where: { webhookId: bad.webhookId } })).status).toBe("IGNORED");
  });
});
