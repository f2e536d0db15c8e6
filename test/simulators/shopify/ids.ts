/**
 * Shopify global ids (GIDs) and the numeric ids behind them.
 *
 * Webhook payloads are REST-shaped and carry the numeric id plus `admin_graphql_api_id` (notes.md §3.2, §6 "REST is
 * legacy"), so every record keeps one number and the GID is derived from it, never stored twice.
 */

export type GidType =
  | "Shop"
  | "Location"
  | "Product"
  | "ProductVariant"
  | "InventoryItem"
  | "InventoryLevel"
  | "Order"
  | "LineItem"
  | "FulfillmentOrder"
  | "FulfillmentOrderLineItem"
  | "Fulfillment"
  | "FulfillmentLineItem"
  | "Refund"
  | "RefundLineItem"
  | "RefundShippingLine"
  | "OrderTransaction"
  | "Metafield"
  | "MetafieldDefinition"
  | "Customer"
  | "MailingAddress"
  | "ShippingLine"
  | "CalculatedOrder"
  | "CalculatedLineItem"
  | "OrderEditSession"
  | "Job"
  | "BulkOperation"
  | "InventoryAdjustmentGroup"
  | "App"
  | "WebhookSubscription";

export function gid(type: GidType, id: number): string {
  return `gid://shopify/${type}/${id}`;
}

/** InventoryLevel GIDs carry the item as a query parameter, exactly as Shopify formats them. */
export function inventoryLevelGid(levelId: number, inventoryItemId: number): string {
  return `gid://shopify/InventoryLevel/${levelId}?inventory_item_id=${inventoryItemId}`;
}

export interface ParsedGid {
  type: string;
  id: number;
  params: URLSearchParams;
}

export function parseGid(value: string): ParsedGid | null {
  const m = /^gid:\/\/shopify\/([A-Za-z]+)\/(\d+)(?:\?(.*))?$/.exec(value);
  if (!m || !m[1] || !m[2]) return null;
  return { type: m[1], id: Number(m[2]), params: new URLSearchParams(m[3] ?? "") };
}

/** The numeric id of a GID of the expected type, or null (wrong type, malformed). */
export function idOf(value: string | null | undefined, type: GidType): number | null {
  if (typeof value !== "string") return null;
  const parsed = parseGid(value);
  return parsed && parsed.type === type ? parsed.id : null;
}

/**
 * One counter for every resource of a simulator instance: ids stay unique across shops (as Shopify's are) and a
 * given seed + call sequence always produces the same ids.
 */
export class IdSequence {
  private value: number;
  constructor(start = 1_000_000) {
    this.value = start;
  }
  next(): number {
    this.value += 1;
    return this.value;
  }
}
