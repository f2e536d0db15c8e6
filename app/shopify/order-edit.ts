import { z } from "zod";
import { ValidationError } from "../lib/errors";
import type { AdminClient } from "./admin-client";
import { ShopifyUnavailableError } from "./errors";
import { fromGid, retypeGid, type ShopifyGid } from "./gid";
import { gidOf, pageInfoSchema } from "./schemas";

export const ORDER_EDIT_BEGIN_MUTATION = /* GraphQL */ `#graphql
  mutation OrderEditBegin($id: ID!) {
    orderEditBegin(id: $id) {
      calculatedOrder {
        id
        lineItems(first: 100) {
          nodes {
            id
            quantity
            editableQuantity
            sku
          }
          pageInfo {
            hasNextPage
            endCursor
          }
        }
      }
      orderEditSession {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const ORDER_EDIT_SET_QUANTITY_MUTATION = /* GraphQL */ `#graphql
  mutation OrderEditSetQuantity($id: ID!, $lineItemId: ID!, $quantity: Int!, $restock: Boolean) {
    orderEditSetQuantity(id: $id, lineItemId: $lineItemId, quantity: $quantity, restock: $restock) {
      calculatedLineItem {
        id
        quantity
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const ORDER_EDIT_COMMIT_MUTATION = /* GraphQL */ `#graphql
  mutation OrderEditCommit($id: ID!, $notifyCustomer: Boolean, $staffNote: String) {
    orderEditCommit(id: $id, notifyCustomer: $notifyCustomer, staffNote: $staffNote) {
      order {
        id
        edited
      }
      userErrors {
        field
        message
      }
    }
  }
`;

const beginSchema = z.object({
  orderEditBegin: z.object({
    calculatedOrder: z
      .object({
        id: gidOf("CalculatedOrder"),
        lineItems: z.object({
          nodes: z.array(
            z.object({
              id: z.string(),
              quantity: z.number().int(),
              editableQuantity: z.number().int(),
              sku: z.string().nullable().optional(),
            }),
          ),
          pageInfo: pageInfoSchema,
        }),
      })
      .nullable(),
    orderEditSession: z.object({ id: z.string() }).nullable().optional(),
  }),
});
const setQuantitySchema = z.object({
  orderEditSetQuantity: z.object({
    calculatedLineItem: z.object({ id: z.string(), quantity: z.number().int() }).nullable(),
  }),
});
const commitSchema = z.object({
  orderEditCommit: z.object({ order: z.object({ id: gidOf("Order"), edited: z.boolean() }).nullable() }),
});

export interface LineQuantityChange {
  lineItemId: ShopifyGid;
  /** The new total quantity of the line (0 removes it), not a delta: re-running the same edit is a no-op. */
  quantity: number;
}

export type OrderEditOutcome =
  | { kind: "committed"; orderId: ShopifyGid<"Order">; changed: { lineItemId: ShopifyGid; from: number; to: number }[] }
  /** Every line already had its target quantity (e.g. a retry after the first attempt committed). */
  | { kind: "unchanged" };

/**
 * Reduce or remove lines of an order (Mirakl refused or cancelled some lines after import) with the native
 * edit flow: orderEditBegin → orderEditSetQuantity per line → orderEditCommit (notes §4.2, scope
 * write_order_edits). Edits address CalculatedLineItem ids, which carry the numeric id of the LineItem.
 * Only unfulfilled units can be edited; asking for more is a ValidationError before anything is staged.
 * An abandoned edit (error before commit) leaves the order untouched.
 */
export async function removeOrReduceLines({
  client,
  orderId,
  changes,
  restock,
  staffNote,
  notifyCustomer = false,
}: {
  client: AdminClient;
  orderId: ShopifyGid;
  changes: readonly LineQuantityChange[];
  /** Restock goes to the line's original location: `locationId` is deprecated on orderEditSetQuantity in 2026-04. */
  restock: boolean;
  staffNote?: string;
  notifyCustomer?: boolean;
}): Promise<OrderEditOutcome> {
  if (changes.length === 0) throw new ValidationError("removeOrReduceLines: no changes");
  const seen = new Set<string>();
  for (const c of changes) {
    if (!Number.isInteger(c.quantity) || c.quantity < 0) {
      throw new ValidationError(`removeOrReduceLines: quantity must be an integer >= 0 (line ${c.lineItemId})`);
    }
    if (fromGid(c.lineItemId).type !== "LineItem") throw new ValidationError(`Not a LineItem GID: ${c.lineItemId}`);
    if (seen.has(c.lineItemId)) throw new ValidationError(`removeOrReduceLines: line ${c.lineItemId} listed twice`);
    seen.add(c.lineItemId);
  }

  const begun = await client.request({
    query: ORDER_EDIT_BEGIN_MUTATION,
    operationName: "OrderEditBegin",
    kind: "mutation",
    variables: { id: orderId },
    schema: beginSchema,
  });
  const calc = begun.orderEditBegin.calculatedOrder;
  if (!calc) {
    throw new ShopifyUnavailableError("orderEditBegin returned no calculated order and no userErrors", {
      shop: client.shop,
      operationName: "OrderEditBegin",
      kind: "mutation",
      attempts: 1,
      // Beginning an edit changes nothing on the order.
      mayHaveApplied: false,
    });
  }
  const byNumericId = new Map(calc.lineItems.nodes.map((l) => [fromGid(l.id).id, l]));
  const complete = !calc.lineItems.pageInfo.hasNextPage;

  const planned: { calculatedLineItemId: string; lineItemId: ShopifyGid; from: number; to: number }[] = [];
  for (const c of changes) {
    const line = byNumericId.get(fromGid(c.lineItemId).id);
    if (!line) {
      if (complete) throw new ValidationError(`Line ${c.lineItemId} is not on order ${orderId}`);
      // Beyond the first 100 calculated lines we cannot pre-check; Shopify validates the change itself.
      planned.push({ calculatedLineItemId: retypeGid(c.lineItemId, "CalculatedLineItem"), lineItemId: c.lineItemId, from: -1, to: c.quantity });
      continue;
    }
    if (c.quantity === line.quantity) continue;
    if (c.quantity > line.quantity) {
      throw new ValidationError(`removeOrReduceLines only reduces: line ${c.lineItemId} has ${line.quantity}, asked ${c.quantity}`);
    }
    if (line.quantity - c.quantity > line.editableQuantity) {
      throw new ValidationError(
        `Line ${c.lineItemId}: only ${line.editableQuantity} of ${line.quantity} units are unfulfilled and editable`,
        { lineItemId: c.lineItemId, quantity: line.quantity, editableQuantity: line.editableQuantity, target: c.quantity },
      );
    }
    planned.push({ calculatedLineItemId: line.id, lineItemId: c.lineItemId, from: line.quantity, to: c.quantity });
  }
  if (planned.length === 0) return { kind: "unchanged" };

  for (const p of planned) {
    await client.request({
      query: ORDER_EDIT_SET_QUANTITY_MUTATION,
      operationName: "OrderEditSetQuantity",
      kind: "mutation",
      variables: {
        id: calc.id,
        lineItemId: p.calculatedLineItemId,
        quantity: p.to,
        restock,
      },
      schema: setQuantitySchema,
    });
  }
  const committed = await client.request({
    query: ORDER_EDIT_COMMIT_MUTATION,
    operationName: "OrderEditCommit",
    kind: "mutation",
    variables: { id: calc.id, notifyCustomer, staffNote: staffNote ?? null },
    schema: commitSchema,
  });
  const order = committed.orderEditCommit.order;
  return {
    kind: "committed",
    orderId: order?.id ?? (orderId as ShopifyGid<"Order">),
    changed: planned.map((p) => ({ lineItemId: p.lineItemId, from: p.from, to: p.to })),
  };
}
