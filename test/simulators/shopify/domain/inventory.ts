/**
 * Inventory quantities per item and location, and the 2026-04 write mutations (notes.md §4.4, §4.5):
 * inventorySetQuantities (names available|on_hand, `changeFromQuantity` mandatory on every row, null = no check),
 * inventoryAdjustQuantities (deltas, optional changeFromQuantity), inventoryActivate. All-or-nothing: any row error
 * rejects the whole call. Every change of available/on_hand fires inventory_levels/update (notes.md §3.2: the payload
 * carries `available` only), including changes made by our own app (§3.4: your own writes echo back).
 */
import { inventoryLevelPayload } from "../webhooks/payloads";
import { idOf } from "../ids";
import type { AdjustmentChangeRec, AdjustmentGroupRec, InventoryLevelRec, ShopRec, StoredQuantityName } from "../model";
import type { SimStore } from "../store";
import { fail, failMany, ok, type Outcome, type UserErr } from "./user-error";

/**
 * Shopify's documented inventory adjustment reasons (shopify.dev .../inventory-management-apps/manage-quantities-states;
 * notes.md §4.5 marks the exact list UNCERTAIN, these are the ones documented there).
 */
export const INVENTORY_REASONS: ReadonlySet<string> = new Set([
  "correction",
  "cycle_count_available",
  "damaged",
  "movement_created",
  "movement_updated",
  "movement_received",
  "movement_canceled",
  "other",
  "promotion",
  "quality_control",
  "received",
  "reservation_created",
  "reservation_deleted",
  "reservation_updated",
  "restock",
  "safety_stock",
  "shrinkage",
]);

const ADJUSTABLE_NAMES: ReadonlySet<string> = new Set([
  "available",
  "on_hand",
  "damaged",
  "quality_control",
  "reserved",
  "safety_stock",
  "incoming",
]);

const QUANTITY_LIMIT = 1_000_000_000;

export function levelAt(shop: ShopRec, inventoryItemId: number, locationId: number): InventoryLevelRec | undefined {
  const id = shop.levelIndex.get(`${inventoryItemId}:${locationId}`);
  return id === undefined ? undefined : shop.levels.get(id);
}

export function onHand(level: InventoryLevelRec): number {
  const q = level.quantities;
  return q.available + q.committed + q.reserved + q.damaged + q.quality_control + q.safety_stock;
}

export function quantityOf(level: InventoryLevelRec, name: string): number {
  if (name === "on_hand") return onHand(level);
  return level.quantities[name as StoredQuantityName] ?? 0;
}

/**
 * Applies deltas to stored states; an `on_hand` delta lands on `available` (the only way on_hand moves without a
 * state transfer). Fires inventory_levels/update when available or on_hand changed.
 */
export function applyDeltas(
  store: SimStore,
  shop: ShopRec,
  level: InventoryLevelRec,
  deltas: Partial<Record<StoredQuantityName | "on_hand", number>>,
): void {
  const beforeAvailable = level.quantities.available;
  const beforeOnHand = onHand(level);
  for (const [name, delta] of Object.entries(deltas)) {
    if (!delta) continue;
    const key = (name === "on_hand" ? "available" : name) as StoredQuantityName;
    level.quantities[key] += delta;
  }
  level.updatedAt = store.now();
  if (level.quantities.available !== beforeAvailable || onHand(level) !== beforeOnHand) {
    store.emit(shop, "inventory_levels/update", inventoryLevelPayload(level));
  }
}

function recordGroup(
  store: SimStore,
  shop: ShopRec,
  reason: string,
  referenceDocumentUri: string | null,
  changes: AdjustmentChangeRec[],
): AdjustmentGroupRec {
  const group: AdjustmentGroupRec = {
    id: store.ids.next(),
    reason,
    referenceDocumentUri,
    createdAt: store.now(),
    changes,
  };
  shop.adjustmentGroups.set(group.id, group);
  return group;
}

interface Row {
  inventoryItemId: string;
  locationId: string;
}

function resolveRow(
  shop: ShopRec,
  row: Row,
  field: Array<string | number>,
  codes: { item: string; location: string },
): { level: InventoryLevelRec } | { error: UserErr } {
  const itemId = idOf(row.inventoryItemId, "InventoryItem");
  if (itemId === null || !shop.inventoryItems.has(itemId)) {
    return {
      error: { field: [...field, "inventoryItemId"].map(String), message: "The specified inventory item could not be found.", code: codes.item },
    };
  }
  const locationId = idOf(row.locationId, "Location");
  if (locationId === null || !shop.locations.has(locationId)) {
    return { error: { field: [...field, "locationId"].map(String), message: "The specified location could not be found.", code: codes.location } };
  }
  const level = levelAt(shop, itemId, locationId);
  if (!level) {
    return {
      error: {
        field: [...field, "locationId"].map(String),
        message: "The specified inventory item is not stocked at the location.",
        code: "ITEM_NOT_STOCKED_AT_LOCATION",
      },
    };
  }
  return { level };
}

export interface SetQuantitiesInput {
  name: string;
  reason: string;
  referenceDocumentUri?: string | null;
  quantities: Array<Row & { quantity: number; changeFromQuantity?: number | null }>;
}

export function setQuantities(store: SimStore, shop: ShopRec, input: SetQuantitiesInput): Outcome<AdjustmentGroupRec> {
  if (input.name !== "available" && input.name !== "on_hand") {
    return fail("The quantity name must be either 'available' or 'on_hand'.", ["input", "name"], "INVALID_NAME");
  }
  if (!INVENTORY_REASONS.has(input.reason)) {
    return fail("The specified reason is invalid.", ["input", "reason"], "INVALID_REASON");
  }
  const errors: UserErr[] = [];
  const planned: Array<{ level: InventoryLevelRec; quantity: number }> = [];
  const seen = new Set<number>();
  input.quantities.forEach((q, i) => {
    const field = ["input", "quantities", i];
    // 2026-04: compareQuantity/ignoreCompareQuantity are gone and changeFromQuantity must be present on every row,
    // null meaning "no check" (notes.md §4.5). The schema has no dedicated code for an omitted value; the closest
    // is COMPARE_QUANTITY_REQUIRED.
    if (!("changeFromQuantity" in q)) {
      errors.push({
        field: [...field, "changeFromQuantity"].map(String),
        message: "changeFromQuantity is required. Pass null to skip the compare-and-set check.",
        code: "COMPARE_QUANTITY_REQUIRED",
      });
      return;
    }
    const resolved = resolveRow(shop, q, field, { item: "INVALID_INVENTORY_ITEM", location: "INVALID_LOCATION" });
    if ("error" in resolved) {
      errors.push(resolved.error);
      return;
    }
    if (seen.has(resolved.level.id)) {
      errors.push({
        field: field.map(String),
        message: "The combination of inventoryItemId and locationId must be unique.",
        code: "NO_DUPLICATE_INVENTORY_ITEM_ID_GROUP_ID_PAIR",
      });
      return;
    }
    seen.add(resolved.level.id);
    if (q.quantity > QUANTITY_LIMIT) {
      errors.push({ field: [...field, "quantity"].map(String), message: "The quantity can't be higher than 1,000,000,000.", code: "INVALID_QUANTITY_TOO_HIGH" });
      return;
    }
    if (q.quantity < -QUANTITY_LIMIT) {
      errors.push({ field: [...field, "quantity"].map(String), message: "The quantity can't be lower than -1,000,000,000.", code: "INVALID_QUANTITY_TOO_LOW" });
      return;
    }
    if (input.name === "on_hand" && q.quantity < 0) {
      errors.push({ field: [...field, "quantity"].map(String), message: "The on_hand quantity can't be negative.", code: "INVALID_QUANTITY_NEGATIVE" });
      return;
    }
    const current = quantityOf(resolved.level, input.name);
    if (q.changeFromQuantity !== null && q.changeFromQuantity !== undefined && q.changeFromQuantity !== current) {
      errors.push({
        field: [...field, "changeFromQuantity"].map(String),
        message: `The quantity has changed since it was read (expected ${q.changeFromQuantity}, found ${current}).`,
        code: "CHANGE_FROM_QUANTITY_STALE",
      });
      return;
    }
    planned.push({ level: resolved.level, quantity: q.quantity });
  });
  if (errors.length) return failMany(errors);
  const changes: AdjustmentChangeRec[] = [];
  for (const p of planned) {
    const delta = p.quantity - quantityOf(p.level, input.name);
    applyDeltas(store, shop, p.level, { [input.name]: delta });
    // Shopify lists the derived state too: setting available moves on_hand by the same delta.
    for (const name of ["available", "on_hand"]) {
      changes.push({
        name,
        delta,
        quantityAfterChange: quantityOf(p.level, name),
        inventoryItemId: p.level.inventoryItemId,
        locationId: p.level.locationId,
        ledgerDocumentUri: null,
      });
    }
  }
  return ok(recordGroup(store, shop, input.reason, input.referenceDocumentUri ?? null, changes));
}

export interface AdjustQuantitiesInput {
  name: string;
  reason: string;
  referenceDocumentUri?: string | null;
  changes: Array<Row & { delta: number; changeFromQuantity?: number | null; ledgerDocumentUri?: string | null }>;
}

export function adjustQuantities(store: SimStore, shop: ShopRec, input: AdjustQuantitiesInput): Outcome<AdjustmentGroupRec> {
  if (!ADJUSTABLE_NAMES.has(input.name)) {
    return fail(`The quantity name '${input.name}' can't be adjusted.`, ["input", "name"], "INVALID_QUANTITY_NAME");
  }
  if (!INVENTORY_REASONS.has(input.reason)) {
    return fail("The specified reason is invalid.", ["input", "reason"], "INVALID_REASON");
  }
  const errors: UserErr[] = [];
  const planned: Array<{ level: InventoryLevelRec; delta: number; ledger: string | null }> = [];
  input.changes.forEach((c, i) => {
    const field = ["input", "changes", i];
    const resolved = resolveRow(shop, c, field, { item: "INVALID_INVENTORY_ITEM", location: "INVALID_LOCATION" });
    if ("error" in resolved) {
      errors.push(resolved.error);
      return;
    }
    const current = quantityOf(resolved.level, input.name);
    if (Math.abs(current + c.delta) > QUANTITY_LIMIT) {
      errors.push({
        field: [...field, "delta"].map(String),
        message: "The resulting quantity is out of range.",
        code: current + c.delta > 0 ? "INVALID_QUANTITY_TOO_HIGH" : "INVALID_QUANTITY_TOO_LOW",
      });
      return;
    }
    if (c.changeFromQuantity !== null && c.changeFromQuantity !== undefined && c.changeFromQuantity !== current) {
      errors.push({
        field: [...field, "changeFromQuantity"].map(String),
        message: `The quantity has changed since it was read (expected ${c.changeFromQuantity}, found ${current}).`,
        code: "CHANGE_FROM_QUANTITY_STALE",
      });
      return;
    }
    planned.push({ level: resolved.level, delta: c.delta, ledger: c.ledgerDocumentUri ?? null });
  });
  if (errors.length) return failMany(errors);
  const changes: AdjustmentChangeRec[] = [];
  for (const p of planned) {
    applyDeltas(store, shop, p.level, { [input.name]: p.delta });
    const names = input.name === "available" || input.name === "on_hand" ? ["available", "on_hand"] : [input.name, "on_hand"];
    for (const name of names) {
      changes.push({
        name,
        delta: name === "on_hand" && input.name === "incoming" ? 0 : p.delta,
        quantityAfterChange: quantityOf(p.level, name),
        inventoryItemId: p.level.inventoryItemId,
        locationId: p.level.locationId,
        ledgerDocumentUri: name === input.name ? p.ledger : null,
      });
    }
  }
  return ok(recordGroup(store, shop, input.reason, input.referenceDocumentUri ?? null, changes));
}

export function activateInventory(
  store: SimStore,
  shop: ShopRec,
  input: { inventoryItemId: string; locationId: string; available?: number | null; onHand?: number | null },
): Outcome<InventoryLevelRec> {
  const itemId = idOf(input.inventoryItemId, "InventoryItem");
  if (itemId === null || !shop.inventoryItems.has(itemId)) return fail("Inventory item not found.", ["inventoryItemId"]);
  const locationId = idOf(input.locationId, "Location");
  if (locationId === null || !shop.locations.has(locationId)) return fail("Location not found.", ["locationId"]);
  const existing = levelAt(shop, itemId, locationId);
  if (existing) return ok(existing);
  const level = store.createLevel(shop, itemId, locationId, 0);
  const initial = input.available ?? input.onHand ?? 0;
  if (initial !== 0) applyDeltas(store, shop, level, { available: initial });
  return ok(level);
}
