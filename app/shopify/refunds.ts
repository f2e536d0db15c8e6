import { z } from "zod";
import { ValidationError } from "../lib/errors";
import type { AdminClient } from "./admin-client";
import { ShopifyResponseError, ShopifyUnavailableError } from "./errors";
import type { ShopifyGid } from "./gid";
import { collect, paginate } from "./pagination";
import { MONEY_BAG_FIELDS, connectionOf, gidOf, moneyBagSchema, type MoneyBag } from "./schemas";

const REFUND_LINE_FIELDS = /* GraphQL */ `
  id
  quantity
  restockType
  lineItem {
    id
  }
  subtotalSet {
    ${MONEY_BAG_FIELDS}
  }
  totalTaxSet {
    ${MONEY_BAG_FIELDS}
  }
`;

const REFUND_FIELDS = /* GraphQL */ `
  id
  createdAt
  note
  totalRefundedSet {
    ${MONEY_BAG_FIELDS}
  }
  refundLineItems(first: 10) {
    nodes {
      ${REFUND_LINE_FIELDS}
    }
    pageInfo {
      hasNextPage
      endCursor
    }
  }
  refundShippingLines(first: 5) {
    nodes {
      id
      subtotalAmountSet {
        ${MONEY_BAG_FIELDS}
      }
      taxAmountSet {
        ${MONEY_BAG_FIELDS}
      }
    }
  }
`;

/** Ids only: `refunds` is a plain list without cursor; details are read by id in small batches. */
export const ORDER_REFUND_IDS_QUERY = /* GraphQL */ `#graphql
  query OrderRefundIds($id: ID!) {
    order(id: $id) {
      id
      refunds {
        id
      }
    }
  }
`;

export const REFUNDS_BY_IDS_QUERY = /* GraphQL */ `#graphql
  query RefundsByIds($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      ... on Refund {
        ${REFUND_FIELDS}
      }
    }
  }
`;

export const REFUND_LINE_ITEMS_QUERY = /* GraphQL */ `#graphql
  query RefundLineItems($id: ID!, $after: String) {
    refund(id: $id) {
      id
      refundLineItems(first: 50, after: $after) {
        nodes {
          ${REFUND_LINE_FIELDS}
        }
        pageInfo {
          hasNextPage
          endCursor
        }
      }
    }
  }
`;

/**
 * refundCreate REQUIRES `@idempotent(key:)` from 2026-04 although the schema does not mark it (notes §4.2);
 * without it the call fails at runtime.
 */
export const REFUND_CREATE_MUTATION = /* GraphQL */ `#graphql
  mutation RefundCreate($input: RefundInput!, $idempotencyKey: String!) {
    refundCreate(input: $input) @idempotent(key: $idempotencyKey) {
      refund {
        ${REFUND_FIELDS}
      }
      userErrors {
        field
        message
      }
    }
  }
`;

const refundLineSchema = z.object({
  id: gidOf("RefundLineItem").nullable().optional(),
  quantity: z.number().int(),
  restockType: z.string(),
  lineItem: z.object({ id: gidOf("LineItem") }),
  subtotalSet: moneyBagSchema,
  totalTaxSet: moneyBagSchema,
});
const refundSchema = z.object({
  id: gidOf("Refund"),
  createdAt: z.string().nullable(),
  note: z.string().nullable().optional(),
  totalRefundedSet: moneyBagSchema,
  refundLineItems: connectionOf(refundLineSchema),
  refundShippingLines: z.object({
    nodes: z.array(
      z.object({
        id: gidOf("RefundShippingLine"),
        subtotalAmountSet: moneyBagSchema,
        taxAmountSet: moneyBagSchema,
      }),
    ),
  }),
});

export interface RefundLine {
  lineItemId: ShopifyGid<"LineItem">;
  quantity: number;
  /** RETURN, CANCEL, NO_RESTOCK, LEGACY_RESTOCK. */
  restockType: string;
  subtotalSet: MoneyBag;
  totalTaxSet: MoneyBag;
}

export interface RefundSummary {
  id: ShopifyGid<"Refund">;
  createdAt: string | null;
  note: string | null;
  totalRefundedSet: MoneyBag;
  refundLineItems: RefundLine[];
  refundShippingLines: { id: ShopifyGid<"RefundShippingLine">; subtotalAmountSet: MoneyBag; taxAmountSet: MoneyBag }[];
}

const idsSchema = z.object({
  order: z.object({ id: gidOf("Order"), refunds: z.array(z.object({ id: gidOf("Refund") })) }).nullable(),
});
const nodesSchema = z.object({ nodes: z.array(z.object({ __typename: z.string() }).passthrough().nullable()) });
const refundLinesSchema = z.object({
  refund: z.object({ id: gidOf("Refund"), refundLineItems: connectionOf(refundLineSchema) }).nullable(),
});

/** 4 refunds × (10 lines + 5 shipping lines) per request keeps the requested cost near 400 points. */
const REFUNDS_PER_QUERY = 4;

async function toSummary(client: AdminClient, r: z.infer<typeof refundSchema>): Promise<RefundSummary> {
  const lines = r.refundLineItems.nodes.slice();
  if (r.refundLineItems.pageInfo.hasNextPage && r.refundLineItems.pageInfo.endCursor) {
    const start = r.refundLineItems.pageInfo.endCursor;
    const rest = paginate(async (after) => {
      const page = await client.request({
        query: REFUND_LINE_ITEMS_QUERY,
        operationName: "RefundLineItems",
        kind: "query",
        variables: { id: r.id, after: after ?? start },
        schema: refundLinesSchema,
      });
      return page.refund?.refundLineItems ?? { nodes: [], pageInfo: { hasNextPage: false, endCursor: null } };
    });
    lines.push(...(await collect(rest)));
  }
  return {
    id: r.id,
    createdAt: r.createdAt,
    note: r.note ?? null,
    totalRefundedSet: r.totalRefundedSet,
    refundLineItems: lines.map((l) => ({
      lineItemId: l.lineItem.id,
      quantity: l.quantity,
      restockType: l.restockType,
      subtotalSet: l.subtotalSet,
      totalTaxSet: l.totalTaxSet,
    })),
    refundShippingLines: r.refundShippingLines.nodes,
  };
}

export async function getRefunds({ client, ids }: { client: AdminClient; ids: readonly ShopifyGid[] }): Promise<RefundSummary[]> {
  const out: RefundSummary[] = [];
  for (let i = 0; i < ids.length; i += REFUNDS_PER_QUERY) {
    const data = await client.request({
      query: REFUNDS_BY_IDS_QUERY,
      operationName: "RefundsByIds",
      kind: "query",
      variables: { ids: ids.slice(i, i + REFUNDS_PER_QUERY) },
      schema: nodesSchema,
    });
    for (const raw of data.nodes) {
      if (!raw || raw.__typename !== "Refund") continue;
      const parsed = refundSchema.safeParse(raw);
      if (!parsed.success) {
        throw new ShopifyResponseError({
          shop: client.shop,
          operationName: "RefundsByIds",
          kind: "query",
          issues: parsed.error.issues.map((iss) => `${iss.path.join(".")}: ${iss.message}`),
        });
      }
      out.push(await toSummary(client, parsed.data));
    }
  }
  return out;
}

/** All refunds of an order, oldest first (null when the order does not exist). */
export async function listOrderRefunds({
  client,
  orderId,
}: {
  client: AdminClient;
  orderId: ShopifyGid;
}): Promise<RefundSummary[] | null> {
  const data = await client.request({
    query: ORDER_REFUND_IDS_QUERY,
    operationName: "OrderRefundIds",
    kind: "query",
    variables: { id: orderId },
    schema: idsSchema,
  });
  if (!data.order) return null;
  const refunds = await getRefunds({ client, ids: data.order.refunds.map((r) => r.id) });
  return refunds.sort((a, b) => (a.createdAt ?? "").localeCompare(b.createdAt ?? ""));
}

export interface RefundLineInput {
  lineItemId: ShopifyGid;
  quantity: number;
  /** LEGACY_RESTOCK is not accepted by refundCreate (notes §4.2). */
  restockType: "RETURN" | "CANCEL" | "NO_RESTOCK";
  locationId?: ShopifyGid;
}

export interface RefundTransactionInput {
  amount: string;
  gateway: string;
  kind: "REFUND" | "SUGGESTED_REFUND";
  parentId?: ShopifyGid;
}

const createSchema = z.object({ refundCreate: z.object({ refund: refundSchema.nullable() }) });

/**
 * refundCreate, used to mirror a refund made in the Mirakl portal. `idempotencyKey` must come from the
 * Mirakl refund (deriveIdempotencyKey(["refund", shop, miraklRefundId])) so the job runner's retry after a
 * timeout replays instead of refunding twice; a key reused with other lines gives
 * IDEMPOTENCY_KEY_PARAMETER_MISMATCH (a ShopifyUserError).
 */
export async function createRefund({
  client,
  orderId,
  refundLineItems = [],
  shipping,
  note,
  notify = false,
  currency,
  transactions,
  idempotencyKey,
}: {
  client: AdminClient;
  orderId: ShopifyGid;
  refundLineItems?: readonly RefundLineInput[];
  /** fullRefund, or a shipping amount (decimal string in the order's currency). */
  shipping?: { fullRefund: true } | { amount: string };
  note?: string;
  notify?: boolean;
  /** Required when the presentment currency differs from the shop currency. */
  currency?: string;
  transactions?: readonly RefundTransactionInput[];
  idempotencyKey: string;
}): Promise<RefundSummary> {
  if (refundLineItems.length === 0 && !shipping && (!transactions || transactions.length === 0)) {
    throw new ValidationError("createRefund: nothing to refund (no lines, shipping or transactions)");
  }
  const input = {
    orderId,
    note: note ?? null,
    notify,
    currency: currency ?? null,
    refundLineItems: refundLineItems.map((l) => ({
      lineItemId: l.lineItemId,
      quantity: l.quantity,
      restockType: l.restockType,
      locationId: l.locationId ?? null,
    })),
    shipping: shipping ? ("fullRefund" in shipping ? { fullRefund: true } : { amount: shipping.amount }) : null,
    transactions: transactions?.map((t) => ({
      orderId,
      amount: t.amount,
      gateway: t.gateway,
      kind: t.kind,
      parentId: t.parentId ?? null,
    })),
  };
  const data = await client.request({
    query: REFUND_CREATE_MUTATION,
    operationName: "RefundCreate",
    kind: "mutation",
    variables: { input },
    idempotencyKey,
    schema: createSchema,
  });
  const refund = data.refundCreate.refund;
  if (!refund) {
    throw new ShopifyUnavailableError("refundCreate returned neither a refund nor userErrors", {
      shop: client.shop,
      operationName: "RefundCreate",
      kind: "mutation",
      attempts: 1,
      mayHaveApplied: true,
    });
  }
  return toSummary(client, refund);
}
