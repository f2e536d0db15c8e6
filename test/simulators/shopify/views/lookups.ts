/** Small lookups shared by several views. */
import { gid } from "../ids";
import type { ViewCtx } from "./view-context";

export function inventoryItemIdOfVariant(ctx: ViewCtx, variantId: number | null): string | null {
  if (variantId === null) return null;
  const v = ctx.shop.variants.get(variantId);
  return v ? gid("InventoryItem", v.inventoryItemId) : null;
}
