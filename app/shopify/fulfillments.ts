import { z } from "zod";
import { ValidationError } from "../lib/errors";
import type { AdminClient } from "./admin-client";
import { ShopifyResponseError, ShopifyUnavailableError } from "./errors";
import type { ShopifyGid } from "./gid";
import { collect, paginate, type Page } from "./pagination";
import { connectionOf, gidOf } from "./schemas";

const NO_MORE: Page<never> = { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };

/**
 * All nodes of a connection nested in another object: the first page came with its parent (bounded there to keep
 * the parent query's cost down), the rest is read by the parent's id from that page's cursor. A parent that is
 * gone by then (null) simply ends the list.
 */
async function allNestedNodes<N>(first: Page<N>, readPage: (after: string) => Promise<Page<N> | null | undefined>): Promise<N[]> {
  const nodes = first.nodes.slice();
  const start = first.pageInfo.endCursor;
  if (first.pageInfo.hasNextPage && start) {
    nodes.push(...(await collect(paginate(async (after) => (await readPage(after ?? start)) ?? NO_MORE))));
  }
  return nodes;
}

/** A mutation answered with neither its object nor userErrors: it may have applied, so callers re-read first. */
function noPayloadError(client: AdminClient, operationName: string, field: string): ShopifyUnavailableError {
  return new ShopifyUnavailableError(`${field} returned neither a fulfillment nor userErrors`, {
    shop: client.shop,
    operationName,
    kind: "mutation",
    attempts: 1,
    mayHaveApplied: true,
  });
}

// ---------------------------------------------------------------------------------------------------------
// Fulfillment orders (notes §4.3): what is left to ship, per assigned location.

const FO_LINE_FIELDS = /* GraphQL */ `
  id
  remainingQuantity
  totalQuantity
  sku
  lineItem {
    id
  }
`;

/** 5 fulfillment orders × 25 lines keeps the requested cost near 300 points; overflow is paged per FO. */
export const ORDER_FULFILLMENT_ORDERS_QUERY = /* GraphQL */ `#graphql
  query OrderFulfillmentOrders($id: ID!, $after: String) {
    order(id: $id) {
      id
      fulfillmentOrders(first: 5, after: $after) {
        nodes {
          id
          status
          requestStatus
          assignedLocation {
            name
            location {
              id
            }
          }
          lineItems(first: 25) {
            nodes {
              ${FO_LINE_FIELDS}
            }
            pageInfo {
              hasNextPage
              endCursor
            }
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

export const FULFILLMENT_ORDER_LINE_ITEMS_QUERY = /* GraphQL */ `#graphql
  query FulfillmentOrderLineItems($id: ID!, $after: String) {
    fulfillmentOrder(id: $id) {
      id
      lineItems(first: 100, after: $after) {
        nodes {
          ${FO_LINE_FIELDS}
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

const foLineSchema = z.object({
  id: gidOf("FulfillmentOrderLineItem"),
  remainingQuantity: z.number().int(),
  totalQuantity: z.number().int(),
  sku: z.string().nullable().optional(),
  lineItem: z.object({ id: gidOf("LineItem") }),
});

const foSchema = z.object({
  id: gidOf("FulfillmentOrder"),
  status: z.string(),
  requestStatus: z.string(),
  assignedLocation: z
    .object({ name: z.string().nullable().optional(), location: z.object({ id: gidOf("Location") }).nullable().optional() })
    .nullable()
    .optional(),
  lineItems: connectionOf(foLineSchema),
});

const orderFosSchema = z.object({
  order: z.object({ id: gidOf("Order"), fulfillmentOrders: connectionOf(foSchema) }).nullable(),
});
const foLinesSchema = z.object({
  fulfillmentOrder: z.object({ id: gidOf("FulfillmentOrder"), lineItems: connectionOf(foLineSchema) }).nullable(),
});

export interface FulfillmentOrderLine {
  id: ShopifyGid<"FulfillmentOrderLineItem">;
  lineItemId: ShopifyGid<"LineItem">;
  sku: string | null;
  remainingQuantity: number;
  totalQuantity: number;
}

export interface FulfillmentOrderSummary {
  id: ShopifyGid<"FulfillmentOrder">;
  /** OPEN, IN_PROGRESS, CANCELLED, INCOMPLETE, CLOSED, SCHEDULED, ON_HOLD (read as a string: new values must not break us). */
  status: string;
  requestStatus: string;
  locationId: ShopifyGid<"Location"> | null;
  locationName: string | null;
  lineItems: FulfillmentOrderLine[];
}

function toFoLine(l: z.infer<typeof foLineSchema>): FulfillmentOrderLine {
  return {
    id: l.id,
    lineItemId: l.lineItem.id,
    sku: l.sku ?? null,
    remainingQuantity: l.remainingQuantity,
    totalQuantity: l.totalQuantity,
  };
}

/** All fulfillment orders of an order with all their lines, or null when the order does not exist. */
export async function listFulfillmentOrders({
  client,
  orderId,
}: {
  client: AdminClient;
  orderId: ShopifyGid;
}): Promise<FulfillmentOrderSummary[] | null> {
  const out: FulfillmentOrderSummary[] = [];
  let missing = false;
  const fos = paginate(async (after) => {
    const data = await client.request({
      query: ORDER_FULFILLMENT_ORDERS_QUERY,
      operationName: "OrderFulfillmentOrders",
      kind: "query",
      variables: { id: orderId, after },
      schema: orderFosSchema,
    });
    if (!data.order) {
      missing = true;
      return NO_MORE;
    }
    return data.order.fulfillmentOrders;
  });
  for await (const fo of fos) {
    const lines = await allNestedNodes(fo.lineItems, async (after) => {
      const data = await client.request({
        query: FULFILLMENT_ORDER_LINE_ITEMS_QUERY,
        operationName: "FulfillmentOrderLineItems",
        kind: "query",
        variables: { id: fo.id, after },
        schema: foLinesSchema,
      });
      return data.fulfillmentOrder?.lineItems;
    });
    out.push({
      id: fo.id,
      status: fo.status,
      requestStatus: fo.requestStatus,
      locationId: fo.assignedLocation?.location?.id ?? null,
      locationName: fo.assignedLocation?.name ?? null,
      lineItems: lines.map(toFoLine),
    });
  }
  return missing ? null : out;
}

// ---------------------------------------------------------------------------------------------------------
// Fulfillments (shipments) with tracking and lines.

const FULFILLMENT_LINE_FIELDS = /* GraphQL */ `
  id
  quantity
  lineItem {
    id
  }
`;

const FULFILLMENT_FIELDS = /* GraphQL */ `
  id
  name
  status
  displayStatus
  createdAt
  updatedAt
  trackingInfo(first: 10) {
    company
    number
    url
  }
  fulfillmentLineItems(first: 20) {
    nodes {
      ${FULFILLMENT_LINE_FIELDS}
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
`;

/** Ids only: `fulfillments` is a plain list (no cursor), so details are read by id in small batches. */
export const ORDER_FULFILLMENT_IDS_QUERY = /* GraphQL */ `#graphql
  query OrderFulfillmentIds($id: ID!) {
    order(id: $id) {
      id
      fulfillments {
        id
      }
    }
  }
`;

export const FULFILLMENTS_BY_IDS_QUERY = /* GraphQL */ `#graphql
  query FulfillmentsByIds($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      ... on Fulfillment {
        ${FULFILLMENT_FIELDS}
      }
    }
  }
`;

export const FULFILLMENT_LINE_ITEMS_QUERY = /* GraphQL */ `#graphql
  query FulfillmentLineItems($id: ID!, $after: String) {
    fulfillment(id: $id) {
      id
      fulfillmentLineItems(first: 100, after: $after) {
        nodes {
          ${FULFILLMENT_LINE_FIELDS}
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

const trackingSchema = z.object({
  company: z.string().nullable(),
  number: z.string().nullable(),
  url: z.string().nullable(),
});
const fulfillmentLineSchema = z.object({
  id: gidOf("FulfillmentLineItem"),
  quantity: z.number().int().nullable(),
  lineItem: z.object({ id: gidOf("LineItem") }),
});
const fulfillmentSchema = z.object({
  id: gidOf("Fulfillment"),
  name: z.string(),
  status: z.string(),
  displayStatus: z.string().nullable().optional(),
  createdAt: z.string(),
  updatedAt: z.string(),
  trackingInfo: z.array(trackingSchema),
  fulfillmentLineItems: connectionOf(fulfillmentLineSchema),
});

export interface FulfillmentSummary {
  id: ShopifyGid<"Fulfillment">;
  name: string;
  /** SUCCESS, CANCELLED, ERROR, FAILURE (PENDING/OPEN deprecated). */
  status: string;
  displayStatus: string | null;
  createdAt: string;
  updatedAt: string;
  trackingInfo: { company: string | null; number: string | null; url: string | null }[];
  lineItems: { id: ShopifyGid<"FulfillmentLineItem">; lineItemId: ShopifyGid<"LineItem">; quantity: number }[];
}

/** `lines` defaults to the lines that came with the fulfillment (the first page). */
function toFulfillmentSummary(f: z.infer<typeof fulfillmentSchema>, lines = f.fulfillmentLineItems.nodes): FulfillmentSummary {
  return {
    id: f.id,
    name: f.name,
    status: f.status,
    displayStatus: f.displayStatus ?? null,
    createdAt: f.createdAt,
    updatedAt: f.updatedAt,
    trackingInfo: f.trackingInfo,
    // FulfillmentLineItem.quantity is nullable in the 2026-04 schema without saying when; 0 keeps the
    // arithmetic of callers safe (they never over-report shipped quantities to Mirakl).
    lineItems: lines.map((l) => ({ id: l.id, lineItemId: l.lineItem.id, quantity: l.quantity ?? 0 })),
  };
}

const idsSchema = z.object({
  order: z.object({ id: gidOf("Order"), fulfillments: z.array(z.object({ id: gidOf("Fulfillment") })) }).nullable(),
});
const nodesSchema = z.object({ nodes: z.array(z.object({ __typename: z.string() }).passthrough().nullable()) });
const fulfillmentLinesSchema = z.object({
  fulfillment: z.object({ id: gidOf("Fulfillment"), fulfillmentLineItems: connectionOf(fulfillmentLineSchema) }).nullable(),
});

/** 10 fulfillments × (tracking + 20 lines) per request, a requested cost of a few hundred points. */
const FULFILLMENTS_PER_QUERY = 10;

/** Fulfillments by id with all their lines (e.g. the one named by a fulfillments/create webhook). */
export async function getFulfillments({
  client,
  ids,
}: {
  client: AdminClient;
  ids: readonly ShopifyGid[];
}): Promise<FulfillmentSummary[]> {
  const out: FulfillmentSummary[] = [];
  for (let i = 0; i < ids.length; i += FULFILLMENTS_PER_QUERY) {
    const data = await client.request({
      query: FULFILLMENTS_BY_IDS_QUERY,
      operationName: "FulfillmentsByIds",
      kind: "query",
      variables: { ids: ids.slice(i, i + FULFILLMENTS_PER_QUERY) },
      schema: nodesSchema,
    });
    for (const raw of data.nodes) {
      if (!raw || raw.__typename !== "Fulfillment") continue;
      const parsed = fulfillmentSchema.safeParse(raw);
      if (!parsed.success) {
        throw new ShopifyResponseError({
          shop: client.shop,
          operationName: "FulfillmentsByIds",
          kind: "query",
          issues: parsed.error.issues.map((iss) => `${iss.path.join(".")}: ${iss.message}`),
        });
      }
      const f = parsed.data;
      const lines = await allNestedNodes(f.fulfillmentLineItems, async (after) => {
        const page = await client.request({
          query: FULFILLMENT_LINE_ITEMS_QUERY,
          operationName: "FulfillmentLineItems",
          kind: "query",
          variables: { id: f.id, after },
          schema: fulfillmentLinesSchema,
        });
        return page.fulfillment?.fulfillmentLineItems;
      });
      out.push(toFulfillmentSummary(f, lines));
    }
  }
  return out;
}

/** All fulfillments of an order (null when the order does not exist). */
export async function listOrderFulfillments({
  client,
  orderId,
}: {
  client: AdminClient;
  orderId: ShopifyGid;
}): Promise<FulfillmentSummary[] | null> {
  const data = await client.request({
    query: ORDER_FULFILLMENT_IDS_QUERY,
    operationName: "OrderFulfillmentIds",
    kind: "query",
    variables: { id: orderId },
    schema: idsSchema,
  });
  if (!data.order) return null;
  const fulfillments = await getFulfillments({ client, ids: data.order.fulfillments.map((f) => f.id) });
  return fulfillments.sort((a, b) => a.createdAt.localeCompare(b.createdAt));
}

// ---------------------------------------------------------------------------------------------------------
// Writes

export const FULFILLMENT_CREATE_MUTATION = /* GraphQL */ `#graphql
  mutation FulfillmentCreate($fulfillment: FulfillmentInput!, $message: String) {
    fulfillmentCreate(fulfillment: $fulfillment, message: $message) {
      fulfillment {
        ${FULFILLMENT_FIELDS}
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const FULFILLMENT_TRACKING_UPDATE_MUTATION = /* GraphQL */ `#graphql
  mutation FulfillmentTrackingInfoUpdate(
    $fulfillmentId: ID!
    $trackingInfoInput: FulfillmentTrackingInput!
    $notifyCustomer: Boolean
  ) {
    fulfillmentTrackingInfoUpdate(
      fulfillmentId: $fulfillmentId
      trackingInfoInput: $trackingInfoInput
      notifyCustomer: $notifyCustomer
    ) {
      fulfillment {
        id
        status
        trackingInfo(first: 10) {
          company
          number
          url
        }
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export interface TrackingInput {
  /** A carrier name Shopify knows builds the tracking URL itself (notes §4.3). */
  company?: string | null;
  number?: string | null;
  url?: string | null;
}

function trackingVariables(t: TrackingInput): Record<string, string> {
  const out: Record<string, string> = {};
  if (t.company) out.company = t.company;
  if (t.number) out.number = t.number;
  if (t.url) out.url = t.url;
  return out;
}

const createSchema = z.object({ fulfillmentCreate: z.object({ fulfillment: fulfillmentSchema.nullable() }) });
const trackingUpdateSchema = z.object({
  fulfillmentTrackingInfoUpdate: z.object({
    fulfillment: z.object({ id: gidOf("Fulfillment"), status: z.string(), trackingInfo: z.array(trackingSchema) }).nullable(),
  }),
});

/**
 * Mirror a shipment made in the Mirakl portal: fulfil the given lines of one fulfillment order (all remaining
 * lines when `lines` is omitted). Not idempotent: after ShopifyUnavailableError{mayHaveApplied} re-read the
 * fulfillment orders (remainingQuantity) before trying again; Shopify itself rejects over-fulfilment.
 */
export async function createFulfillment({
  client,
  fulfillmentOrderId,
  lines,
  tracking,
  notifyCustomer = false,
  message,
}: {
  client: AdminClient;
  fulfillmentOrderId: ShopifyGid;
  lines?: readonly { fulfillmentOrderLineItemId: ShopifyGid; quantity: number }[];
  tracking?: TrackingInput;
  notifyCustomer?: boolean;
  message?: string;
}): Promise<FulfillmentSummary> {
  if (lines && lines.length === 0) throw new ValidationError("createFulfillment: `lines` is empty; omit it to fulfil everything");
  if (lines && lines.length > 512) throw new ValidationError("createFulfillment: at most 512 lines per fulfillment (notes §4.3)");
  const data = await client.request({
    query: FULFILLMENT_CREATE_MUTATION,
    operationName: "FulfillmentCreate",
    kind: "mutation",
    variables: {
      fulfillment: {
        notifyCustomer,
        trackingInfo: tracking ? trackingVariables(tracking) : undefined,
        lineItemsByFulfillmentOrder: [
          {
            fulfillmentOrderId,
            fulfillmentOrderLineItems: lines?.map((l) => ({ id: l.fulfillmentOrderLineItemId, quantity: l.quantity })),
          },
        ],
      },
      message: message ?? null,
    },
    schema: createSchema,
  });
  const f = data.fulfillmentCreate.fulfillment;
  if (!f) throw noPayloadError(client, "FulfillmentCreate", "fulfillmentCreate");
  return toFulfillmentSummary(f);
}

/** Replace the tracking of a fulfillment. Setting the same tracking twice is harmless, so a re-run is safe. */
export async function updateTracking({
  client,
  fulfillmentId,
  tracking,
  notifyCustomer = false,
}: {
  client: AdminClient;
  fulfillmentId: ShopifyGid;
  tracking: TrackingInput;
  notifyCustomer?: boolean;
}): Promise<{ id: ShopifyGid<"Fulfillment">; status: string; trackingInfo: FulfillmentSummary["trackingInfo"] }> {
  const data = await client.request({
    query: FULFILLMENT_TRACKING_UPDATE_MUTATION,
    operationName: "FulfillmentTrackingInfoUpdate",
    kind: "mutation",
    variables: { fulfillmentId, trackingInfoInput: trackingVariables(tracking), notifyCustomer },
    schema: trackingUpdateSchema,
  });
  const f = data.fulfillmentTrackingInfoUpdate.fulfillment;
  if (!f) throw noPayloadError(client, "FulfillmentTrackingInfoUpdate", "fulfillmentTrackingInfoUpdate");
  return f;
}

