/** The SKU screen's tabs (shared by the screen and its loader; no server code here). */
export const SKU_FILTERS = ["all", "needs_mapping", "holding_orders", "matched", "ignored"] as const;
export type SkuFilter = (typeof SKU_FILTERS)[number];
