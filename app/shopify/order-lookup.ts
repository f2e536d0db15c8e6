import { z } from "zod";
import type { AdminClient } from "./admin-client";
import type { ShopifyGid } from "./gid";
import { anyOf, searchTerm } from "./search-query";
import { decimalString, gidOf } from "./schemas";

const ORDER_REF_FIELDS = /* GraphQL */ `
  id
  name
  legacyResourceId
  createdAt
  cancelledAt
  tags
  sourceIdentifier
`;

export const ORDERS_BY_SEARCH_QUERY = /* GraphQL */ `#graphql
  query OrdersBySearch($query: String!, $first: Int!) {
    orders(first: $first, query: $query, sortKey: CREATED_AT) {
      nodes {
        ${ORDER_REF_FIELDS}
      }
    }
  }
`;

export const ORDERS_FOR_MIRAKL_ID_QUERY = /* GraphQL */ `#graphql
  query OrdersForMiraklId($query: String!, $first: Int!, $namespace: String!, $key: String!) {
    orders(first: $first, query: $query, sortKey: CREATED_AT) {
      nodes {
        ${ORDER_REF_FIELDS}
        miraklId: metafield(namespace: $namespace, key: $key) {
          value
        }
      }
    }
  }
`;

/** Needs a metafield definition with the uniqueValues capability on (ensureMiraklIdMetafieldDefinition). */
export const ORDER_BY_MIRAKL_IDENTIFIER_QUERY = /* GraphQL */ `#graphql
  query OrderByMiraklIdentifier($namespace: String!, $key: String!, $value: String!) {
    orderByIdentifier(identifier: { customId: { namespace: $namespace, key: $key, value: $value } }) {
      ${ORDER_REF_FIELDS}
      miraklId: metafield(namespace: $namespace, key: $key) {
        value
      }
    }
  }
`;

const orderRefSchema = z.object({
  id: gidOf("Order"),
  name: z.string(),
  legacyResourceId: decimalString,
  createdAt: z.string(),
  cancelledAt: z.string().nullable(),
  tags: z.array(z.string()),
  sourceIdentifier: z.string().nullable().optional(),
  miraklId: z.object({ value: z.string() }).nullable().optional(),
});
type RawOrderRef = z.infer<typeof orderRefSchema>;

export interface OrderRef {
  id: ShopifyGid<"Order">;
  name: string;
  legacyResourceId: string;
  createdAt: string;
  cancelledAt: string | null;
  tags: string[];
  sourceIdentifier: string | null;
  /** Value of our Mirakl-id metafield, when the lookup asked for it. */
  miraklOrderId: string | null;
}

function toRef(o: RawOrderRef): OrderRef {
  return {
    id: o.id,
    name: o.name,
    legacyResourceId: o.legacyResourceId,
    createdAt: o.createdAt,
    cancelledAt: o.cancelledAt,
    tags: o.tags,
    sourceIdentifier: o.sourceIdentifier ?? null,
    miraklOrderId: o.miraklId?.value ?? null,
  };
}

const searchSchema = z.object({ orders: z.object({ nodes: z.array(orderRefSchema) }) });
const identifierSchema = z.object({ orderByIdentifier: orderRefSchema.nullable() });

/** Orders carrying the tag (exact, case-insensitive tag match re-checked locally; search itself is tokenised). */
export async function findOrdersByTag({
  client,
  tag,
  first = 5,
}: {
  client: AdminClient;
  tag: string;
  first?: number;
}): Promise<OrderRef[]> {
  const data = await client.request({
    query: ORDERS_BY_SEARCH_QUERY,
    operationName: "OrdersBySearch",
    kind: "query",
    variables: { query: searchTerm("tag", tag), first },
    schema: searchSchema,
  });
  const wanted = tag.toLowerCase();
  return data.orders.nodes.filter((o) => o.tags.some((t) => t.toLowerCase() === wanted)).map(toRef);
}

export type MiraklOrderLookup =
  | { kind: "not_found"; matches: [] }
  | { kind: "found"; order: OrderRef; matches: [OrderRef] }
  /** More than one Shopify order claims this Mirakl order: never pick one silently; raise a Task. */
  | { kind: "duplicates"; matches: OrderRef[] };

/** The tag the import puts on every order; kept here so lookup and creation cannot drift apart. */
export function miraklOrderTag(miraklOrderId: string): string {
  return `mirakl-${miraklOrderId}`;
}

/**
 * Duplicate guard for imports. orderCreate has no idempotency (notes §4.1), so before creating (and above
 * all before retrying a create that timed out) the importer asks Shopify whether the order exists.
 *
 * Two independent handles, results merged by order id:
 * - search `tag:'mirakl-<id>'` (plus `source_identifier:'<id>'` when given); every hit is re-checked (exact
 *   tag, or our metafield equal to the id) because search matching is tokenised. Search is served from an
 *   index that can lag a just-created order by some seconds, so a miss right after a timeout is not proof;
 * - `orderByIdentifier(customId:)` when `useUniqueIdentifier` is set: a direct read by our metafield, which
 *   requires a metafield definition with unique values (ensureMiraklIdMetafieldDefinition).
 * All matches are returned so the caller can see duplicates rather than act on the first one.
 */
export async function findOrderByMiraklId({
  client,
  miraklOrderId,
  namespace,
  key,
  tag = miraklOrderTag(miraklOrderId),
  sourceIdentifier,
  useUniqueIdentifier = false,
  first = 5,
}: {
  client: AdminClient;
  miraklOrderId: string;
  namespace: string;
  key: string;
  tag?: string;
  sourceIdentifier?: string;
  useUniqueIdentifier?: boolean;
  first?: number;
}): Promise<MiraklOrderLookup> {
  const byId = new Map<string, OrderRef>();
  const terms = [searchTerm("tag", tag)];
  if (sourceIdentifier) terms.push(anyOf("source_identifier", [sourceIdentifier]));
  const data = await client.request({
    query: ORDERS_FOR_MIRAKL_ID_QUERY,
    operationName: "OrdersForMiraklId",
    kind: "query",
    variables: { query: terms.join(" OR "), first, namespace, key },
    schema: searchSchema,
  });
  const wantedTag = tag.toLowerCase();
  for (const o of data.orders.nodes) {
    const ref = toRef(o);
    const matches =
      ref.miraklOrderId === miraklOrderId ||
      ref.tags.some((t) => t.toLowerCase() === wantedTag) ||
      (sourceIdentifier !== undefined && ref.sourceIdentifier === sourceIdentifier);
    if (matches) byId.set(ref.id, ref);
  }
  if (useUniqueIdentifier) {
    const direct = await client.request({
      query: ORDER_BY_MIRAKL_IDENTIFIER_QUERY,
      operationName: "OrderByMiraklIdentifier",
      kind: "query",
      variables: { namespace, key, value: miraklOrderId },
      schema: identifierSchema,
    });
    if (direct.orderByIdentifier) byId.set(direct.orderByIdentifier.id, toRef(direct.orderByIdentifier));
  }
  const matches = [...byId.values()].sort((a, b) => a.createdAt.localeCompare(b.createdAt));
  const [only] = matches;
  if (matches.length === 0 || !only) return { kind: "not_found", matches: [] };
  if (matches.length === 1) return { kind: "found", order: only, matches: [only] };
  return { kind: "duplicates", matches };
}
