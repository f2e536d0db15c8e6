import type { Prisma } from "@prisma/client";
import { z } from "zod";
import type { ProposedRefundLine, UnmatchedShopifyLine } from "./refund-proposal";

/**
 * RefundRequest.lines holds one entry per row of the CX screen (stored in the existing Json column, no schema
 * change): a Mirakl line with the proposed refund and the Shopify refund beside it (`mirakl_line`), a Shopify item
 * the Mirakl order does not have (`not_on_mirakl`), or, for refunds made in the Mirakl back office and mirrored into
 * Shopify, the Mirakl refund itself (`mirakl_portal`). A `mirakl_line` gets `send` (amounts and the baseline of
 * refund ids already on the line) right before OR28; its presence means "a refund may be on Mirakl: reconcile".
 */
const tax = z.object({ code: z.string(), amount: z.number() });

const requested = z.object({
  orderLineId: z.string(),
  offerSku: z.string(),
  quantity: z.number().int().nonnegative(),
  productAmount: z.number().nullable(),
  shippingAmount: z.number(),
  shopify: z.object({ lineItemIds: z.array(z.string()), names: z.array(z.string()), quantity: z.number(), amount: z.number(), shipping: z.number() }),
});

export const miraklLineEntrySchema = z.object({
  kind: z.literal("mirakl_line"),
  orderLineId: z.string(),
  offerSku: z.string(),
  quantity: z.number().int().nonnegative(),
  amount: z.number(),
  shippingAmount: z.number(),
  taxes: z.array(tax),
  shippingTaxes: z.array(tax),
  wanted: z.object({ amount: z.number(), shippingAmount: z.number() }),
  allowed: z.object({ amount: z.number(), shippingAmount: z.number() }),
  capped: z.string().nullable(),
  blocked: z.string().nullable(),
  /** The Mirakl line state the amounts were priced on (absent on requests stored before it was recorded). */
  lineState: z.string().nullish(),
  request: requested,
  send: z
    .object({ amount: z.number(), shippingAmount: z.number(), quantity: z.number().int(), taxes: z.array(tax), shippingTaxes: z.array(tax), baselineIds: z.array(z.string()) })
    .nullable()
    .default(null),
});

export const notOnMiraklEntrySchema = z.object({
  kind: z.literal("not_on_mirakl"),
  lineItemId: z.string(),
  sku: z.string().nullable(),
  name: z.string(),
  quantity: z.number(),
  amount: z.number(),
});

export const portalEntrySchema = z.object({
  kind: z.literal("mirakl_portal"),
  miraklRefundId: z.string(),
  orderLineId: z.string(),
  offerSku: z.string(),
  quantity: z.number(),
  amount: z.number(),
  shippingAmount: z.number(),
  reasonCode: z.string().nullable(),
  /** The refundCreate input, stored before the call so a retry replays the same request under the same idempotency key. */
  shopifyInput: z
    .object({
      lineItemId: z.string().nullable(),
      quantity: z.number().int(),
      shippingAmount: z.string().nullable(),
      transactionAmount: z.string().nullable(),
      gateway: z.string().nullable(),
      note: z.string(),
    })
    .nullable(),
});

export const refundEntrySchema = z.discriminatedUnion("kind", [miraklLineEntrySchema, notOnMiraklEntrySchema, portalEntrySchema]);
export type MiraklLineEntry = z.infer<typeof miraklLineEntrySchema>;
export type NotOnMiraklEntry = z.infer<typeof notOnMiraklEntrySchema>;
export type PortalEntry = z.infer<typeof portalEntrySchema>;
export type RefundEntry = z.infer<typeof refundEntrySchema>;

export function parseEntries(json: Prisma.JsonValue): RefundEntry[] {
  return z.array(refundEntrySchema).parse(json ?? []);
}

export function entriesFromProposal(lines: ReadonlyArray<ProposedRefundLine>, unmatched: ReadonlyArray<UnmatchedShopifyLine>): RefundEntry[] {
  return [
    ...lines.map((l): MiraklLineEntry => ({ kind: "mirakl_line", ...l, send: null })),
    ...unmatched.map((u): NotOnMiraklEntry => ({ kind: "not_on_mirakl", lineItemId: u.lineItemId, sku: u.sku, name: u.name, quantity: u.quantity, amount: u.amount })),
  ];
}

export function miraklLines(entries: ReadonlyArray<RefundEntry>): MiraklLineEntry[] {
  return entries.filter((e): e is MiraklLineEntry => e.kind === "mirakl_line");
}

export function toJson(entries: ReadonlyArray<RefundEntry>): Prisma.InputJsonValue {
  return entries as unknown as Prisma.InputJsonValue;
}
