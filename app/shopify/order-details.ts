import { z } from "zod";
import type { AdminClient } from "./admin-client";
import { listFulfillmentOrders, listOrderFulfillments, type FulfillmentOrderSummary, type FulfillmentSummary } from "./fulfillments";
import type { ShopifyGid } from "./gid";
import { paginate } from "./pagination";
import { listOrderRefunds, type RefundSummary } from "./refunds";
import { MONEY_BAG_FIELDS, connectionOf, decimalString, gidOf, moneyBagSchema, type MoneyBag } from "./schemas";

/**
 * Order header, our metafields and line items. Fulfillment orders, fulfillments and refunds are separate
 * requests (fulfillments.ts, refunds.ts): nesting them all in one document multiplies connection sizes past
 * the 1,000-point single-query limit (notes §4.8), and each part is paged on its own.
 */
export const ORDER_CORE_QUERY = /* GraphQL */ `#graphql
  query OrderCore($id: ID!, $namespace: String!, $linesAfter: String) {
    order(id: $id) {
      id
      name
      legacyResourceId
      createdAt
      processedAt
      updatedAt
      cancelledAt
      cancelReason
      closed
      edited
      displayFulfillmentStatus
      displayFinancialStatus
      tags
      sourceIdentifier
      currencyCode
      presentmentCurrencyCode
      metafields(namespace: $namespace, first: 50) {
        nodes {
          id
          namespace
          key
          value
          type
        }
      }
      lineItems(first: 50, after: $linesAfter) {
        nodes {
          id
          sku
          name
          quantity
          currentQuantity
          unfulfilledQuantity
          refundableQuantity
          nonFulfillableQuantity
          variant {
            id
          }
          originalUnitPriceSet {
            ${MONEY_BAG_FIELDS}
          }
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

const lineItemSchema = z.object({
  id: gidOf("LineItem"),
  sku: z.string().nullable(),
  name: z.string(),
  quantity: z.number().int(),
  currentQuantity: z.number().int(),
  unfulfilledQuantity: z.number().int(),
  refundableQuantity: z.number().int(),
  nonFulfillableQuantity: z.number().int(),
  variant: z.object({ id: gidOf("ProductVariant") }).nullable(),
  originalUnitPriceSet: moneyBagSchema,
});

const coreSchema = z.object({
  order: z
    .object({
      id: gidOf("Order"),
      name: z.string(),
      legacyResourceId: decimalString,
      createdAt: z.string(),
      processedAt: z.string(),
      updatedAt: z.string(),
      cancelledAt: z.string().nullable(),
      cancelReason: z.string().nullable(),
      closed: z.boolean(),
      edited: z.boolean(),
      displayFulfillmentStatus: z.string(),
      displayFinancialStatus: z.string().nullable(),
      tags: z.array(z.string()),
      sourceIdentifier: z.string().nullable(),
      currencyCode: z.string(),
      presentmentCurrencyCode: z.string(),
      metafields: z.object({
        nodes: z.array(z.object({ id: gidOf("Metafield"), namespace: z.string(), key: z.string(), value: z.string(), type: z.string() })),
      }),
      lineItems: connectionOf(lineItemSchema),
    })
    .nullable(),
});
type CoreOrder = NonNullable<z.infer<typeof coreSchema>["order"]>;

export interface OrderLineItem {
  id: ShopifyGid<"LineItem">;
  sku: string | null;
  name: string;
  /** Quantity at creation. */
  quantity: number;
  /** After edits and refunds/removals. */
  currentQuantity: number;
  unfulfilledQuantity: number;
  refundableQuantity: number;
  nonFulfillableQuantity: number;
  variantId: ShopifyGid<"ProductVariant"> | null;
  originalUnitPriceSet: MoneyBag;
}

export interface OrderDetails {
  id: ShopifyGid<"Order">;
  name: string;
  legacyResourceId: string;
  createdAt: string;
  processedAt: string;
  updatedAt: string;
  cancelledAt: string | null;
  cancelReason: string | null;
  closed: boolean;
  edited: boolean;
  displayFulfillmentStatus: string;
  displayFinancialStatus: string | null;
  tags: string[];
  sourceIdentifier: string | null;
  currencyCode: string;
  presentmentCurrencyCode: string;
  /** Only metafields of the requested namespace. */
  metafields: { id: ShopifyGid<"Metafield">; namespace: string; key: string; value: string; type: string }[];
  lineItems: OrderLineItem[];
  /** Empty unless included. */
  fulfillmentOrders: FulfillmentOrderSummary[];
  fulfillments: FulfillmentSummary[];
  refunds: RefundSummary[];
}

export interface OrderDetailsInclude {
  fulfillmentOrders?: boolean;
  fulfillments?: boolean;
  refunds?: boolean;
}

/**
 * Everything the sync flows compare against Mirakl for one order (edits, cancellations, refunds, tracking).
 * null when the order does not exist (deleted, or older than 60 days without read_all_orders, notes §4.9).
 * `include` skips parts a caller does not need; by default all are read.
 */
export async function getOrder({
  client,
  id,
  namespace,
  include = {},
}: {
  client: AdminClient;
  id: ShopifyGid;
  namespace: string;
  include?: OrderDetailsInclude;
}): Promise<OrderDetails | null> {
  let header: CoreOrder | undefined;
  let missing = false;
  const lines: OrderLineItem[] = [];
  const pages = paginate(async (after) => {
    const data = await client.request({
      query: ORDER_CORE_QUERY,
      operationName: "OrderCore",
      kind: "query",
      variables: { id, namespace, linesAfter: after },
      schema: coreSchema,
    });
    if (!data.order) {
      missing = true;
      return { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
    }
    header ??= data.order;
    return data.order.lineItems;
  });
  for await (const l of pages) {
    lines.push({
      id: l.id,
      sku: l.sku,
      name: l.name,
      quantity: l.quantity,
      currentQuantity: l.currentQuantity,
      unfulfilledQuantity: l.unfulfilledQuantity,
      refundableQuantity: l.refundableQuantity,
      nonFulfillableQuantity: l.nonFulfillableQuantity,
      variantId: l.variant?.id ?? null,
      originalUnitPriceSet: l.originalUnitPriceSet,
    });
  }
  if (missing || !header) return null;
  const h: CoreOrder = header;

  const fulfillmentOrders = include.fulfillmentOrders === false ? [] : ((await listFulfillmentOrders({ client, orderId: h.id })) ?? []);
  const fulfillments = include.fulfillments === false ? [] : ((await listOrderFulfillments({ client, orderId: h.id })) ?? []);
  const refunds = include.refunds === false ? [] : ((await listOrderRefunds({ client, orderId: h.id })) ?? []);

  return {
    id: h.id,
    name: h.name,
    legacyResourceId: h.legacyResourceId,
    createdAt: h.createdAt,
    processedAt: h.processedAt,
    updatedAt: h.updatedAt,
    cancelledAt: h.cancelledAt,
    cancelReason: h.cancelReason,
    closed: h.closed,
    edited: h.edited,
    displayFulfillmentStatus: h.displayFulfillmentStatus,
    displayFinancialStatus: h.displayFinancialStatus,
    tags: h.tags,
    sourceIdentifier: h.sourceIdentifier,
    currencyCode: h.currencyCode,
    presentmentCurrencyCode: h.presentmentCurrencyCode,
    metafields: h.metafields.nodes,
    lineItems: lines,
    fulfillmentOrders,
    fulfillments,
    refunds,
  };
}
