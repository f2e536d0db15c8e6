/**
 * How a reconciliation reads each side, decided by catalogue size and Mirakl's call contracts.
 *
 * Shopify: up to BY_ITEMS_MAX inventory items are read by id (one cheap query per 100 items and location,
 * shopify notes §4.4); above that one bulk operation streams the whole catalogue as JSONL (§4.7), in constant memory.
 *
 * Mirakl: up to LIST_MAX offers are read page by page with OF21 (100 a page). Above that the asynchronous export
 * OF52/OF53/OF54, whose contract is "full once per day, differential once per minute" (seller-api-notes §1.9): the
 * first reconciliation of a day takes a full export, the others a differential one since the previous export
 * (changed and deleted offers only), applied onto the copy of Mirakl's quantities we keep (InventorySku.miraklQty).
 */
export const BY_ITEMS_MAX = 1_000;
export const LIST_MAX = 1_000;
export const FULL_EXPORT_EVERY_MS = 24 * 60 * 60_000;
/** Mirakl's differential window is inclusive of what changed while the previous export ran: overlap a little. */
export const DIFFERENTIAL_OVERLAP_MS = 60_000;

export type ShopifyReadPlan = "by-items" | "bulk";
export type MiraklReadPlan = { kind: "list" } | { kind: "full-export" } | { kind: "differential-export"; since: Date };

export function planShopifyRead({ itemCount }: { itemCount: number }): ShopifyReadPlan {
  return itemCount <= BY_ITEMS_MAX ? "by-items" : "bulk";
}

export function planMiraklRead(input: {
  managedCount: number;
  now: Date;
  /** When the last full export that completed was requested (null: never). */
  lastFullExportAt: Date | null;
  /** When the last export (full or differential) that completed was requested. */
  lastExportAt: Date | null;
}): MiraklReadPlan {
  if (input.managedCount <= LIST_MAX) return { kind: "list" };
  const now = input.now.getTime();
  if (!input.lastFullExportAt || !input.lastExportAt || now - input.lastFullExportAt.getTime() >= FULL_EXPORT_EVERY_MS) return { kind: "full-export" };
  return { kind: "differential-export", since: new Date(input.lastExportAt.getTime() - DIFFERENTIAL_OVERLAP_MS) };
}
