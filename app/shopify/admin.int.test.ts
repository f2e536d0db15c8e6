/**
 * The Admin GraphQL operations against the Shopify simulator over real HTTP (test/simulators/shopify).
 * No database is involved; this lives in the integration project because it runs a simulator.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startShopifySimulator, type CreateShopResult, type ShopifySimulator } from "../../test/simulators/shopify/index";
import { setLogSink } from "../lib/logger";
import { createAdminClient, type AdminClient } from "./admin-client";
import { waitForBulkOperation } from "./bulk-operations";
import { ShopifyUnavailableError } from "./errors";
import { createFulfillment, listFulfillmentOrders, updateTracking } from "./fulfillments";
import type { ShopifyGid } from "./gid";
import { deriveIdempotencyKey } from "./idempotency-key";
import { adjustAvailable, downloadInventoryExport, getAvailableByItems, setAvailable, startInventoryBulkExport, type InventoryExportRow } from "./inventory";
import { listLocations } from "./locations";
import { cancelOrder, getJob } from "./order-cancel";
import { createOrder, type OrderCreateInput } from "./order-create";
import { getOrder } from "./order-details";
import { removeOrReduceLines } from "./order-edit";
import { findOrderByMiraklId, miraklOrderTag } from "./order-lookup";
import { addTags, setMetafields } from "./order-metadata";
import { createRefund } from "./refunds";
import { getShopInfo } from "./shop";
import { createBucketRegistry } from "./throttle-bucket";
import { findVariantsBySkus } from "./variants";

const SHOP = "mirakl-int.myshopify.com";
const TOKEN = "shpat_int_test_token_abcdef";
const NS = "mirakl";
const KEY = "order_id";

let sim: ShopifySimulator;
let seeded: CreateShopResult;
let client: AdminClient;

function newClient(extra: Partial<Parameters<typeof createAdminClient>[0]> = {}): AdminClient {
  return createAdminClient({
    shop: SHOP,
    accessToken: TOKEN,
    endpoint: `${sim.url}/admin/api/2026-04/graphql.json`,
    buckets: createBucketRegistry(),
    timeoutMs: 5_000,
    ...extra,
  });
}

function v(sku: string) {
  const found = seeded.variants[sku];
  if (!found) throw new Error(`no seeded variant ${sku}`);
  return found;
}

function orderInput(miraklId: string, lines: { sku: string; quantity: number; price: string }[]): OrderCreateInput {
  const total = lines.reduce((a, l) => a + Number(l.price) * l.quantity, 0).toFixed(2);
  return {
    lineItems: lines.map((l) => ({
      quantity: l.quantity,
      variantId: v(l.sku).variantId as ShopifyGid,
      priceSet: { shopMoney: { amount: l.price, currencyCode: "EUR" } },
      requiresShipping: true,
    })),
    currency: "EUR",
    email: "buyer@example.com",
    shippingAddress: { firstName: "Ann", lastName: "Buyer", address1: "1 rue X", city: "Paris", zip: "75001", countryCode: "FR" },
    tags: ["mirakl", miraklOrderTag(miraklId)],
    sourceIdentifier: miraklId,
    metafields: [{ namespace: NS, key: KEY, type: "single_line_text_field", value: miraklId }],
    transactions: [{ amountSet: { shopMoney: { amount: total, currencyCode: "EUR" } }, kind: "SALE", status: "SUCCESS", gateway: "mirakl" }],
    financialStatus: "PAID",
  };
}

beforeAll(async () => {
  setLogSink(() => undefined, "info");
  sim = await startShopifySimulator({ port: 0 });
  seeded = sim.control.createShop({
    domain: SHOP,
    accessToken: TOKEN,
    currency: "EUR",
    locations: [{ name: "Paris" }, { name: "Lyon" }],
    products: [
      {
        title: "T-shirt",
        variants: [
          { sku: "TS-RED", price: "19.90", inventory: { Paris: 10, Lyon: 2 } },
          { sku: "TS'BLUE", price: "19.90", inventory: { Paris: 5 } },
        ],
      },
      { title: "Mug", variants: [{ sku: "MUG-1", price: "8.50", inventory: { Paris: 100 } }] },
      { title: "Mug copy", variants: [{ sku: "MUG-1", price: "9.00", inventory: { Lyon: 1 } }] },
      { title: "Cap", variants: [{ sku: "CAP-1", price: "8.50", inventory: { Paris: 50 } }] },
    ],
  });
  client = newClient();
});

afterAll(async () => {
  await sim?.close();
});

describe("Admin operations against the simulator", () => {
  it("reads shop info and locations", async () => {
    const info = await getShopInfo({ client });
    expect(info).toMatchObject({ currencyCode: "EUR", myshopifyDomain: SHOP });
    const locations = await listLocations({ client });
    expect(locations.map((l) => l.name).sort()).toEqual(["Lyon", "Paris"]);
    expect(locations.every((l) => l.isActive)).toBe(true);
  });

  it("finds variants by SKU, quoting odd SKUs and returning duplicates", async () => {
    const found = await findVariantsBySkus({ client, skus: ["TS-RED", "TS'BLUE", "MUG-1", "NOPE"] });
    expect(found.get("TS-RED")?.map((x) => x.id)).toEqual([v("TS-RED").variantId]);
    expect(found.get("TS'BLUE")).toHaveLength(1);
    expect(found.get("MUG-1")).toHaveLength(2);
    expect(found.get("NOPE")).toEqual([]);
    expect(found.get("TS-RED")?.[0]?.inventoryItem.id).toBe(v("TS-RED").inventoryItemId);
  });

  it("reads available per item per location", async () => {
    const paris = seeded.locations.Paris as ShopifyGid;
    const lyon = seeded.locations.Lyon as ShopifyGid;
    const res = await getAvailableByItems({
      client,
      inventoryItemIds: [v("TS-RED").inventoryItemId as ShopifyGid, v("TS'BLUE").inventoryItemId as ShopifyGid],
      locationIds: [paris, lyon],
    });
    const at = (sku: string, loc: string) => res.levels.find((l) => l.inventoryItemId === v(sku).inventoryItemId && l.locationId === loc)?.available;
    expect(at("TS-RED", paris)).toBe(10);
    expect(at("TS-RED", lyon)).toBe(2);
    expect(at("TS'BLUE", lyon)).toBeNull();
  });

  it("imports an order, finds it by Mirakl id, reads it back, fulfils, edits, refunds", async () => {
    const created = await createOrder({
      client,
      input: orderInput("M-100-A", [
        { sku: "TS-RED", quantity: 2, price: "19.90" },
        { sku: "CAP-1", quantity: 3, price: "8.50" },
      ]),
      options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" },
    });
    expect(created.id).toMatch(/^gid:\/\/shopify\/Order\//);

    const lookup = await findOrderByMiraklId({ client, miraklOrderId: "M-100-A", namespace: NS, key: KEY });
    expect(lookup.kind).toBe("found");
    expect(lookup.matches[0]?.id).toBe(created.id);
    expect((await findOrderByMiraklId({ client, miraklOrderId: "M-100", namespace: NS, key: KEY })).kind).toBe("not_found");

    let order = await getOrder({ client, id: created.id, namespace: NS });
    expect(order?.metafields.find((m) => m.key === KEY)?.value).toBe("M-100-A");
    expect(order?.lineItems.map((l) => [l.sku, l.quantity, l.unfulfilledQuantity])).toEqual([
      ["TS-RED", 2, 2],
      ["CAP-1", 3, 3],
    ]);
    expect(order?.fulfillmentOrders.length).toBeGreaterThanOrEqual(1);

    // Mirror a Mirakl-portal shipment of the T-shirts only.
    const fos = (await listFulfillmentOrders({ client, orderId: created.id })) ?? [];
    const redLine = order?.lineItems.find((l) => l.sku === "TS-RED");
    const fo = fos.find((f) => f.lineItems.some((l) => l.lineItemId === redLine?.id));
    const foLine = fo?.lineItems.find((l) => l.lineItemId === redLine?.id);
    expect(fo && foLine).toBeTruthy();
    const shipped = await createFulfillment({
      client,
      fulfillmentOrderId: fo?.id as ShopifyGid,
      lines: [{ fulfillmentOrderLineItemId: foLine?.id as ShopifyGid, quantity: 2 }],
      tracking: { company: "DHL", number: "JD0001" },
    });
    expect(shipped.lineItems).toEqual([expect.objectContaining({ lineItemId: redLine?.id, quantity: 2 })]);
    const retracked = await updateTracking({ client, fulfillmentId: shipped.id, tracking: { company: "DHL", number: "JD0002", url: "https://dhl.example/JD0002" } });
    expect(retracked.trackingInfo[0]?.number).toBe("JD0002");

    // Mirakl refused one cap: reduce 3 → 2 (unfulfilled units only), then re-run (no-op).
    const mugLine = order?.lineItems.find((l) => l.sku === "CAP-1");
    const edit = await removeOrReduceLines({ client, orderId: created.id, restock: true, changes: [{ lineItemId: mugLine?.id as ShopifyGid, quantity: 2 }] });
    expect(edit.kind).toBe("committed");
    expect(
      (await removeOrReduceLines({ client, orderId: created.id, restock: true, changes: [{ lineItemId: mugLine?.id as ShopifyGid, quantity: 2 }] })).kind,
    ).toBe("unchanged");
    // Fulfilled units cannot be edited away.
    await expect(
      removeOrReduceLines({ client, orderId: created.id, restock: true, changes: [{ lineItemId: redLine?.id as ShopifyGid, quantity: 0 }] }),
    ).rejects.toThrow(/editable/);

    // A Mirakl-portal refund of one cap, sent twice with the same key (a retried job): one refund only.
    const key = deriveIdempotencyKey(["refund", SHOP, "M-100-A", "R-1"]);
    const refundArgs = {
      client,
      orderId: created.id,
      refundLineItems: [{ lineItemId: mugLine?.id as ShopifyGid, quantity: 1, restockType: "NO_RESTOCK" as const }],
      note: "Mirakl refund R-1",
      idempotencyKey: key,
    };
    const r1 = await createRefund(refundArgs);
    const r2 = await createRefund(refundArgs);
    expect(r2.id).toBe(r1.id);

    await addTags({ client, id: created.id, tags: ["mirakl-refunded"] });
    await setMetafields({ client, metafields: [{ ownerId: created.id, namespace: NS, key: "state", type: "single_line_text_field", value: "refunded" }] });

    order = await getOrder({ client, id: created.id, namespace: NS });
    expect(order?.tags).toContain("mirakl-refunded");
    expect(order?.metafields.find((m) => m.key === "state")?.value).toBe("refunded");
    // currentQuantity excludes removed (edit) and refunded units: 3 - 1 - 1.
    expect(order?.lineItems.find((l) => l.sku === "CAP-1")?.currentQuantity).toBe(1);
    expect(order?.fulfillments).toHaveLength(1);
    expect(order?.fulfillments[0]?.trackingInfo[0]?.number).toBe("JD0002");
    expect(order?.refunds).toHaveLength(1);
    expect(order?.refunds[0]?.refundLineItems[0]).toMatchObject({ lineItemId: mugLine?.id, quantity: 1 });
  });

  it("cancels an order (async job) and sees cancelledAt", async () => {
    const created = await createOrder({
      client,
      input: orderInput("M-200-A", [{ sku: "TS-RED", quantity: 1, price: "19.90" }]),
      options: { inventoryBehaviour: "DECREMENT_OBEYING_POLICY" },
    });
    const res = await cancelOrder({ client, orderId: created.id, reason: "INVENTORY", restock: true, staffNote: "Refused on Mirakl" });
    if (res.jobId && !res.jobDone) {
      for (let i = 0; i < 50; i++) {
        const job = await getJob({ client, id: res.jobId });
        if (!job || job.done) break;
        await new Promise((r) => setTimeout(r, 20));
      }
    }
    const order = await getOrder({ client, id: created.id, namespace: NS, include: { fulfillmentOrders: false, fulfillments: false, refunds: false } });
    expect(order?.cancelledAt).not.toBeNull();
    expect(order?.cancelReason).toBe("INVENTORY");
  });

  it("duplicate guard: an orderCreate that applied but timed out is found by Mirakl id before any retry", async () => {
    sim.control.setFaults({ applyThenTimeoutRate: 1, operations: ["orderCreate"] });
    try {
      const impatient = newClient({ timeoutMs: 300 });
      const err = await createOrder({
        client: impatient,
        input: orderInput("M-300-A", [{ sku: "CAP-1", quantity: 1, price: "8.50" }]),
        options: { inventoryBehaviour: "BYPASS" },
      }).catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ShopifyUnavailableError);
      expect((err as ShopifyUnavailableError).details).toMatchObject({ mayHaveApplied: true });
    } finally {
      sim.control.setFaults({ applyThenTimeoutRate: 0, operations: [] });
    }
    const lookup = await findOrderByMiraklId({ client, miraklOrderId: "M-300-A", namespace: NS, key: KEY });
    expect(lookup.kind).toBe("found");
    expect(sim.control.orders({ shop: SHOP }).filter((o) => o.tags.includes("mirakl-M-300-A"))).toHaveLength(1);
  });

  it("restock writes carry @idempotent and changeFromQuantity; a stale compare is reported", async () => {
    const paris = seeded.locations.Paris as ShopifyGid;
    const item = v("TS'BLUE").inventoryItemId as ShopifyGid;
    const before = (await getAvailableByItems({ client, inventoryItemIds: [item], locationIds: [paris] })).levels[0]?.available ?? -1;
    const key = deriveIdempotencyKey(["restock", SHOP, "evt-1"]);
    const changes = [{ inventoryItemId: item, locationId: paris, delta: 3, changeFromQuantity: before }];
    expect((await adjustAvailable({ client, changes, idempotencyKey: key, reason: "restock" })).kind).toBe("applied");
    // Same key, same input: replayed, not applied twice.
    expect((await adjustAvailable({ client, changes, idempotencyKey: key, reason: "restock" })).kind).toBe("applied");
    const after = (await getAvailableByItems({ client, inventoryItemIds: [item], locationIds: [paris] })).levels[0]?.available;
    expect(after).toBe(before + 3);
    const stale = await setAvailable({
      client,
      quantities: [{ inventoryItemId: item, locationId: paris, quantity: 1, changeFromQuantity: before }],
      idempotencyKey: deriveIdempotencyKey(["set", SHOP, "evt-2"]),
    });
    expect(stale.kind).toBe("stale");
    const set = await setAvailable({
      client,
      quantities: [{ inventoryItemId: item, locationId: paris, quantity: 4, changeFromQuantity: null }],
      idempotencyKey: deriveIdempotencyKey(["set", SHOP, "evt-3"]),
    });
    expect(set.kind).toBe("applied");
  });

  it("exports the catalogue's inventory with a bulk operation", async () => {
    const started = await startInventoryBulkExport({ client });
    const done = await waitForBulkOperation({ client, id: started.id, intervalMs: 50, timeoutMs: 20_000 });
    expect(done.kind).toBe("completed");
    const url = done.operation?.url;
    expect(url).toBeTruthy();
    const rows: InventoryExportRow[] = [];
    for await (const row of downloadInventoryExport({ url: String(url) })) rows.push(row);
    expect(rows).toHaveLength(5);
    const red = rows.find((r) => r.sku === "TS-RED");
    expect(red?.inventoryItemId).toBe(v("TS-RED").inventoryItemId);
    expect(red?.levels.map((l) => l.locationId).sort()).toEqual([seeded.locations.Paris, seeded.locations.Lyon].sort());
  });

  it("paces against a small bucket without being throttled, and recovers from THROTTLED", async () => {
    sim.control.setThrottle({ shop: SHOP, maximumAvailable: 60, restoreRate: 100 });
    try {
      const paced = newClient();
      const before = sim.control.stats().throttled;
      for (let i = 0; i < 12; i++) await getShopInfo({ client: paced });
      await findVariantsBySkus({ client: paced, skus: ["TS-RED"], pageSize: 10 });
      expect(sim.control.stats().throttled).toBe(before);

      // A bucket drained behind the client's back: the first request is THROTTLED, then waits and succeeds.
      sim.control.setThrottle({ shop: SHOP, drain: true });
      await getShopInfo({ client: paced });
      expect(sim.control.stats().throttled).toBeGreaterThan(before);
    } finally {
      sim.control.resetThrottle({ shop: SHOP });
    }
  });
});
