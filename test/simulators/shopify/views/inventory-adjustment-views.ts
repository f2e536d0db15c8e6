/** InventoryAdjustmentGroup: what inventorySetQuantities / inventoryAdjustQuantities return. */
import { gid } from "../ids";
import type { AdjustmentGroupRec } from "../model";
import { gqlTime } from "../time";
import { inventoryItemView, locationView } from "./catalog-views";
import type { ViewCtx } from "./view-context";

export function adjustmentGroupView(ctx: ViewCtx, g: AdjustmentGroupRec) {
  return {
    __typename: "InventoryAdjustmentGroup",
    id: gid("InventoryAdjustmentGroup", g.id),
    createdAt: gqlTime(g.createdAt),
    reason: g.reason,
    referenceDocumentUri: g.referenceDocumentUri,
    app: null,
    staffMember: null,
    changes: (args: { inventoryItemIds?: string[] | null; locationIds?: string[] | null; quantityNames?: string[] | null }) =>
      g.changes
        .filter(
          (c) =>
            (!args.inventoryItemIds || args.inventoryItemIds.includes(gid("InventoryItem", c.inventoryItemId))) &&
            (!args.locationIds || args.locationIds.includes(gid("Location", c.locationId))) &&
            (!args.quantityNames || args.quantityNames.includes(c.name)),
        )
        .map((c) => ({
          name: c.name,
          delta: c.delta,
          quantityAfterChange: c.quantityAfterChange,
          ledgerDocumentUri: c.ledgerDocumentUri,
          item: () => {
            const item = ctx.shop.inventoryItems.get(c.inventoryItemId);
            return item ? inventoryItemView(ctx, item) : null;
          },
          location: () => {
            const loc = ctx.shop.locations.get(c.locationId);
            return loc ? locationView(ctx, loc) : null;
          },
        })),
  };
}
