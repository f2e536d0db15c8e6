import type { Services } from "../../services.server";
import { logger } from "../../lib/logger";
import { registerWebhookHandler, type WebhookOutcome } from "../webhooks.server";
import { parseInventoryLevelUpdate } from "./level-payload";
import { recordLevelsAsOf } from "./levels.server";
import { markInventoryItemsDirty } from "./dirty.server";
import { INVENTORY_PUSH_JOB, PUSH_DEBOUNCE_SECONDS } from "./job-names";

const log = logger.child({ module: "inventory-webhook" });

/**
 * inventory_levels/update: a storefront sale, a restock, a stock count, or an order this app imported (orderCreate
 * decrements stock, and Shopify tells us like for any other change). Records the level (never over a newer one:
 * deliveries are at-least-once and unordered), marks dirty the offers of every marketplace that sells from that
 * location, and asks for a push a couple of seconds later so a burst of changes becomes one file.
 */
async function handleInventoryLevelUpdate({ shop, payload, services }: { shop: string; payload: unknown; services: Services }): Promise<WebhookOutcome> {
  const update = parseInventoryLevelUpdate(payload, services.now());
  if ("error" in update) return { kind: "ignored", reason: update.error };
  const { prisma } = services;
  let stale = false;
  if (update.available !== null) {
    const { applied } = await recordLevelsAsOf({ prisma, shop, levels: [{ inventoryItemId: update.inventoryItemId, locationId: update.locationId, available: update.available, asOf: update.asOf }] });
    stale = applied === 0;
  }
  // Even a stale delivery marks the offers: the level we hold may come from a writer that does not mark them (the
  // order import adjusts the cache as it creates the order, before Shopify's webhook arrives). Recomputing costs a
  // query; the push sends nothing unless the quantity differs from what Mirakl was told.
  const marked = await markInventoryItemsDirty({ prisma, shop, inventoryItemIds: [update.inventoryItemId], locationId: update.locationId, now: services.now() });
  const active = marked.connectionIds.length === 0 ? [] : await prisma.marketplaceConnection.findMany({ where: { id: { in: marked.connectionIds }, paused: false }, select: { id: true } });
  for (const c of active) {
    // Stately per connection: while one push is waiting, this enqueue is a no-op and that push takes this change too.
    await services.jobs.enqueueByName(INVENTORY_PUSH_JOB, { shop, connectionId: c.id }, { delaySeconds: PUSH_DEBOUNCE_SECONDS });
  }
  if (stale) return { kind: "ignored", reason: "we already hold this level or a newer one (duplicate or out-of-order delivery); its offers were rechecked" };
  if (marked.connectionIds.length === 0) return { kind: "processed", note: "level recorded; no marketplace sells this item from this location" };
  log.debug("inventory level recorded", { shop, inventoryItemId: update.inventoryItemId, locationId: update.locationId, available: update.available, skus: marked.skus });
  return { kind: "processed", note: `${marked.skus} offer(s) on ${marked.connectionIds.length} marketplace(s) to recompute${active.length < marked.connectionIds.length ? " (paused marketplaces wait for the resume)" : ""}` };
}

export function registerInventoryWebhooks(): void {
  registerWebhookHandler("INVENTORY_LEVELS_UPDATE", handleInventoryLevelUpdate);
}
