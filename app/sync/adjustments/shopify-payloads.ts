import { z } from "zod";

/**
 * Webhook payloads are REST-shaped JSON with numeric ids and `admin_graphql_api_id` for the GID (notes §3.2).
 * Only what the adjustments flows read is declared; everything else passes untouched. Ids may arrive as numbers
 * or strings depending on the API version, so both are accepted and kept as strings.
 */
const restId = z.union([z.number(), z.string()]).transform((v) => String(v));
const money = z.union([z.number(), z.string()]).transform((v) => Number(v)).pipe(z.number().finite());
const moneySet = z.object({ shop_money: z.object({ amount: money }) }).passthrough();

/** orders/edited: only ids and quantity deltas; the order must be re-read for its new state (notes §3.2). */
export const orderEditedPayloadSchema = z.object({
  order_edit: z
    .object({
      id: restId,
      order_id: restId,
      app_id: restId.nullish(),
      committed_at: z.string().nullish(),
      staff_note: z.string().nullish(),
      line_items: z
        .object({
          additions: z.array(z.object({ id: restId, delta: z.number().int() }).passthrough()).default([]),
          removals: z.array(z.object({ id: restId, delta: z.number().int() }).passthrough()).default([]),
        })
        .passthrough()
        .default({ additions: [], removals: [] }),
    })
    .passthrough(),
});
export type OrderEditedPayload = z.infer<typeof orderEditedPayloadSchema>;

/** The order shape shared by orders/updated and orders/cancelled. */
export const orderPayloadSchema = z
  .object({
    id: restId,
    admin_graphql_api_id: z.string().optional(),
    name: z.string().nullish(),
    app_id: restId.nullish(),
    cancelled_at: z.string().nullish(),
    cancel_reason: z.string().nullish(),
    tags: z.union([z.string(), z.array(z.string())]).nullish(),
    note_attributes: z.array(z.object({ name: z.string(), value: z.union([z.string(), z.number()]).nullish() }).passthrough()).nullish(),
    source_identifier: z.string().nullish(),
  })
  .passthrough();
export type OrderPayload = z.infer<typeof orderPayloadSchema>;

export function payloadTags(p: OrderPayload): string[] {
  if (!p.tags) return [];
  const list = Array.isArray(p.tags) ? p.tags : p.tags.split(",");
  return list.map((t) => t.trim()).filter((t) => t.length > 0);
}

/** refunds/create (notes §3.2). */
export const refundPayloadSchema = z
  .object({
    id: restId,
    admin_graphql_api_id: z.string().optional(),
    order_id: restId,
    note: z.string().nullish(),
    created_at: z.string().nullish(),
    refund_line_items: z
      .array(
        z
          .object({
            line_item_id: restId,
            quantity: z.number().int(),
            restock_type: z.string().nullish(),
            subtotal: money.nullish(),
            subtotal_set: moneySet.nullish(),
            total_tax: money.nullish(),
            total_tax_set: moneySet.nullish(),
            line_item: z
              .object({ sku: z.string().nullish(), name: z.string().nullish(), title: z.string().nullish(), admin_graphql_api_id: z.string().optional() })
              .passthrough()
              .nullish(),
          })
          .passthrough(),
      )
      .default([]),
    refund_shipping_lines: z
      .array(z.object({ subtotal_amount_set: moneySet.nullish(), tax_amount_set: moneySet.nullish() }).passthrough())
      .nullish()
      .transform((v) => v ?? []),
    transactions: z
      .array(z.object({ kind: z.string().nullish(), status: z.string().nullish(), amount: money.nullish() }).passthrough())
      .nullish()
      .transform((v) => v ?? []),
  })
  .passthrough();
export type RefundPayload = z.infer<typeof refundPayloadSchema>;

export function orderGidFromId(id: string): string {
  return id.startsWith("gid://") ? id : `gid://shopify/Order/${id}`;
}

export function refundGidFromPayload(p: RefundPayload): string {
  return p.admin_graphql_api_id ?? `gid://shopify/Refund/${p.id}`;
}
