import { z } from "zod";
import type { AdminClient } from "./admin-client";
import type { ShopifyGid } from "./gid";
import { MONEY_BAG_FIELDS, gidOf, moneyBagSchema, type MoneyBag } from "./schemas";

/**
 * The money side of an order that a refund must stay within: shipping charged and already refunded, money
 * received and already refunded, and the gateways a refund transaction can go back through (refundCreate,
 * notes §4.2). Read before mirroring a refund made elsewhere (e.g. in the Mirakl back office) so it never asks
 * Shopify for more than the order can still refund.
 */
export const ORDER_REFUND_CONTEXT_QUERY = /* GraphQL */ `#graphql
  query OrderRefundContext($id: ID!) {
    order(id: $id) {
      id
      currencyCode
      taxesIncluded
      paymentGatewayNames
      totalShippingPriceSet {
        ${MONEY_BAG_FIELDS}
      }
      totalRefundedShippingSet {
        ${MONEY_BAG_FIELDS}
      }
      totalReceivedSet {
        ${MONEY_BAG_FIELDS}
      }
      totalRefundedSet {
        ${MONEY_BAG_FIELDS}
      }
    }
  }
`;

const contextSchema = z.object({
  order: z
    .object({
      id: gidOf("Order"),
      currencyCode: z.string(),
      taxesIncluded: z.boolean(),
      paymentGatewayNames: z.array(z.string()),
      totalShippingPriceSet: moneyBagSchema,
      totalRefundedShippingSet: moneyBagSchema,
      totalReceivedSet: moneyBagSchema,
      totalRefundedSet: moneyBagSchema,
    })
    .nullable(),
});

export interface OrderRefundContext {
  id: ShopifyGid<"Order">;
  currencyCode: string;
  taxesIncluded: boolean;
  paymentGatewayNames: string[];
  totalShippingPriceSet: MoneyBag;
  totalRefundedShippingSet: MoneyBag;
  totalReceivedSet: MoneyBag;
  totalRefundedSet: MoneyBag;
}

/** null when the order does not exist (deleted, or older than 60 days without read_all_orders, notes §4.9). */
export async function getOrderRefundContext({ client, id }: { client: AdminClient; id: ShopifyGid }): Promise<OrderRefundContext | null> {
  const data = await client.request({
    query: ORDER_REFUND_CONTEXT_QUERY,
    operationName: "OrderRefundContext",
    kind: "query",
    variables: { id },
    schema: contextSchema,
  });
  return data.order;
}
