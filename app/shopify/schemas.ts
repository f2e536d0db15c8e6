import { z } from "zod";
import type { ShopifyGid } from "./gid";

/**
 * Shared lenient zod pieces for Admin GraphQL responses. Lenient means: unknown keys are stripped, enums
 * are read as plain strings (Shopify adds enum values between versions; a new FulfillmentOrderStatus must
 * not fail an import), and numbers that Shopify serialises as strings (UnsignedInt64, Decimal) stay strings.
 */

export const gidSchema = z.string().min(1).transform((s) => s as ShopifyGid);

/** A GID field that must be of one resource type, e.g. gidOf("Order"). Type is checked loosely (prefix). */
export function gidOf<T extends string>(type: T) {
  return z
    .string()
    .refine((s) => s.startsWith(`gid://shopify/${type}/`), { message: `expected a ${type} GID` })
    .transform((s) => s as ShopifyGid<T>);
}

/** Decimal and UnsignedInt64 scalars arrive as strings; accept numbers too and keep a string. */
export const decimalString = z.union([z.string(), z.number()]).transform((v) => String(v));

export const moneySchema = z.object({ amount: decimalString, currencyCode: z.string() });
export type Money = z.infer<typeof moneySchema>;

export const moneyBagSchema = z.object({
  shopMoney: moneySchema,
  presentmentMoney: moneySchema.nullable().optional(),
});
export type MoneyBag = z.infer<typeof moneyBagSchema>;

export const pageInfoSchema = z.object({
  hasNextPage: z.boolean(),
  endCursor: z.string().nullable().optional(),
});
export type PageInfo = z.infer<typeof pageInfoSchema>;

export function connectionOf<T extends z.ZodTypeAny>(node: T) {
  return z.object({ nodes: z.array(node), pageInfo: pageInfoSchema });
}

/** GraphQL fields selected in every money bag we read (shop currency and the buyer's currency). */
export const MONEY_BAG_FIELDS = "shopMoney { amount currencyCode } presentmentMoney { amount currencyCode }";
