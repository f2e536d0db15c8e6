import { z } from "zod";
import type { AdminClient } from "./admin-client";
import { ShopifyUnavailableError } from "./errors";
import type { ShopifyGid } from "./gid";
import { decimalString, gidOf } from "./schemas";

/**
 * orderCreate has no @idempotent support in 2026-04 (notes §4.1): a timed-out call may or may not have
 * created the order. The client therefore never retries it; on ShopifyUnavailableError (mayHaveApplied)
 * the caller must look the order up by its Mirakl id (findOrderByMiraklId) before creating again.
 */
export const ORDER_CREATE_MUTATION = /* GraphQL */ `#graphql
  mutation OrderCreate($order: OrderCreateOrderInput!, $options: OrderCreateOptionsInput) {
    orderCreate(order: $order, options: $options) {
      order {
        id
        name
        legacyResourceId
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

// --- Typed subset of OrderCreateOrderInput (2026-04). Field names are Shopify's; see notes §4.1. ---------

/** Decimal amounts travel as strings so no float rounding creeps into prices. */
export interface MoneyInput {
  amount: string;
  currencyCode: string;
}
export interface MoneyBagInput {
  shopMoney: MoneyInput;
  presentmentMoney?: MoneyInput;
}
export interface OrderCreateTaxLineInput {
  title: string;
  /** Decimal rate, e.g. "0.2" for 20 %. */
  rate: string;
  priceSet?: MoneyBagInput;
  channelLiable?: boolean;
}
export interface OrderCreateLineItemInput {
  quantity: number;
  variantId?: ShopifyGid;
  productId?: ShopifyGid;
  sku?: string;
  title?: string;
  variantTitle?: string;
  vendor?: string;
  /** There is no plain `price` on OrderCreateLineItemInput (notes §4.1). */
  priceSet?: MoneyBagInput;
  properties?: { name: string; value: string }[];
  requiresShipping?: boolean;
  taxable?: boolean;
  taxLines?: OrderCreateTaxLineInput[];
  giftCard?: boolean;
  fulfillmentService?: string;
}
export interface MailingAddressInput {
  firstName?: string;
  lastName?: string;
  company?: string;
  address1?: string;
  address2?: string;
  city?: string;
  provinceCode?: string;
  countryCode?: string;
  zip?: string;
  phone?: string;
}
export interface OrderCreateShippingLineInput {
  title: string;
  priceSet: MoneyBagInput;
  code?: string;
  source?: string;
  taxLines?: OrderCreateTaxLineInput[];
}
export interface OrderMetafieldInput {
  namespace: string;
  key: string;
  value: string;
  type: string;
}
export interface OrderCreateTransactionInput {
  amountSet: MoneyBagInput;
  kind?: "SALE" | "AUTHORIZATION" | "CAPTURE";
  status?: "SUCCESS" | "PENDING" | "FAILURE" | "ERROR";
  gateway?: string;
  authorizationCode?: string;
  processedAt?: string;
  test?: boolean;
}
export interface OrderCreateCustomerInput {
  toAssociate?: { id?: ShopifyGid; email?: string };
  toUpsert?: {
    email?: string;
    firstName?: string;
    lastName?: string;
    phone?: string;
    note?: string;
    tags?: string[];
    taxExempt?: boolean;
  };
}
export type OrderCreateFinancialStatus =
  | "PENDING"
  | "AUTHORIZED"
  | "PARTIALLY_PAID"
  | "PAID"
  | "PARTIALLY_REFUNDED"
  | "REFUNDED"
  | "VOIDED"
  | "EXPIRED";

export interface OrderCreateInput {
  lineItems: OrderCreateLineItemInput[];
  currency?: string;
  presentmentCurrency?: string;
  email?: string;
  phone?: string;
  billingAddress?: MailingAddressInput;
  shippingAddress?: MailingAddressInput;
  shippingLines?: OrderCreateShippingLineInput[];
  tags?: string[];
  note?: string;
  customAttributes?: { key: string; value: string }[];
  metafields?: OrderMetafieldInput[];
  /** Sales attribution only works for a channel registered with Shopify (notes §4.1). */
  sourceName?: string;
  /** Searchable with `source_identifier:` in orders(query:), a second handle for the duplicate guard. */
  sourceIdentifier?: string;
  sourceUrl?: string;
  name?: string;
  poNumber?: string;
  /** May be in the past for imports; a future date gives PROCESSED_AT_INVALID. */
  processedAt?: string;
  taxesIncluded?: boolean;
  /** On the order OR on the lines, never both. */
  taxLines?: OrderCreateTaxLineInput[];
  transactions?: OrderCreateTransactionInput[];
  financialStatus?: OrderCreateFinancialStatus;
  customer?: OrderCreateCustomerInput;
  buyerAcceptsMarketing?: boolean;
  test?: boolean;
}

export interface OrderCreateOptions {
  /**
   * Required here although optional in Shopify: the default BYPASS does not claim stock at all (notes §7.2),
   * and for a marketplace order that is almost never what the merchant wants, so the caller must choose.
   */
  inventoryBehaviour: "BYPASS" | "DECREMENT_IGNORING_POLICY" | "DECREMENT_OBEYING_POLICY";
  /** The marketplace talks to the buyer; Shopify must not email them. Only `false` is accepted. */
  sendReceipt?: false;
  sendFulfillmentReceipt?: false;
}

const createSchema = z.object({
  orderCreate: z.object({
    order: z
      .object({
        id: gidOf("Order"),
        name: z.string(),
        legacyResourceId: decimalString,
      })
      .nullable(),
  }),
});

export interface CreatedOrder {
  id: ShopifyGid<"Order">;
  name: string;
  legacyResourceId: string;
}

/**
 * orderCreate (offline token and write_orders only; 5 orders/min on development stores, notes §4.1).
 * Throws ShopifyUserError on userErrors and ShopifyUnavailableError{mayHaveApplied} when the outcome is unknown.
 */
export async function createOrder({
  client,
  input,
  options,
}: {
  client: AdminClient;
  input: OrderCreateInput;
  options: OrderCreateOptions;
}): Promise<CreatedOrder> {
  const data = await client.request({
    query: ORDER_CREATE_MUTATION,
    operationName: "OrderCreate",
    kind: "mutation",
    variables: {
      order: input,
      options: {
        inventoryBehaviour: options.inventoryBehaviour,
        sendReceipt: false,
        sendFulfillmentReceipt: false,
      },
    },
    schema: createSchema,
  });
  const order = data.orderCreate.order;
  if (!order) {
    // No userErrors and no order: Shopify did not say what happened, so treat it like a lost response.
    throw new ShopifyUnavailableError("orderCreate returned neither an order nor userErrors", {
      shop: client.shop,
      operationName: "OrderCreate",
      kind: "mutation",
      attempts: 1,
      mayHaveApplied: true,
    });
  }
  return order;
}
