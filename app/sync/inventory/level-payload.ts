import { z } from "zod";
import { toGid } from "../../shopify/gid";

/**
 * inventory_levels/update (shopify notes §3.2): numeric `inventory_item_id` and `location_id`, `available` (int or
 * null) and `updated_at`. Only `available` is carried, which is exactly the quantity the stock rule needs.
 */
const numericId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/)]);

export const inventoryLevelPayloadSchema = z
  .object({
    inventory_item_id: numericId,
    location_id: numericId,
    available: z.number().int().nullable().optional(),
    updated_at: z.string().nullable().optional(),
  })
  .passthrough();

export interface InventoryLevelUpdate {
  inventoryItemId: string;
  locationId: string;
  /** null: Shopify sent no quantity (an untracked item, a disconnected level). */
  available: number | null;
  /** When Shopify says the level changed; the order of deliveries is not guaranteed, this is. */
  asOf: Date;
  /** false when the payload had no usable updated_at (then the receiving time is used). */
  asOfFromPayload: boolean;
}

export function parseInventoryLevelUpdate(payload: unknown, receivedAt: Date): InventoryLevelUpdate | { error: string } {
  const parsed = inventoryLevelPayloadSchema.safeParse(payload);
  if (!parsed.success) return { error: `not an inventory level: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}` };
  const p = parsed.data;
  const stamp = p.updated_at ? new Date(p.updated_at) : null;
  const valid = stamp !== null && !Number.isNaN(stamp.getTime());
  return {
    inventoryItemId: toGid("InventoryItem", p.inventory_item_id),
    locationId: toGid("Location", p.location_id),
    available: p.available ?? null,
    asOf: valid ? stamp : receivedAt,
    asOfFromPayload: valid,
  };
}
