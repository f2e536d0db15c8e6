/**
 * Mutation fields the app uses. Each maps its arguments onto a domain function and renders the payload; expected
 * failures become `userErrors` with the codes of the mutation's own enum. Mutations listed as needing @idempotent
 * go through withIdempotency (the missing-directive case is refused before execution, graphql/idempotency.ts).
 */
import { GraphQLError, type GraphQLResolveInfo } from "graphql";
import type { UserErr } from "../domain/user-error";
import { createOrder, type OrderCreateInput, type OrderCreateOptions } from "../domain/order-create";
import { cancelOrder, type CancelInput } from "../domain/order-cancel";
import { addEditVariant, beginEdit, commitEdit, setEditQuantity } from "../domain/order-edit";
import { createFulfillment, updateTracking, type FulfillmentInput, type TrackingInput } from "../domain/fulfillment";
import { createRefund, type RefundInput } from "../domain/refund";
import {
  activateInventory,
  adjustQuantities,
  setQuantities,
  type AdjustQuantitiesInput,
  type SetQuantitiesInput,
} from "../domain/inventory";
import { createDefinition, metafieldsSet, type DefinitionInput, type SetMetafieldInput } from "../domain/metafields";
import { changeTags } from "../domain/tags";
import { startBulkQuery } from "../graphql/bulk-operation";
import { withIdempotency } from "../graphql/idempotency";
import { bulkOperationView, jobView } from "../views/bulk-views";
import { calculatedLineItemView, calculatedOrderView, orderEditSessionView } from "../views/calculated-order-views";
import { inventoryLevelView } from "../views/catalog-views";
import { metafieldDefinitionView, metafieldView } from "../views/common-views";
import { adjustmentGroupView } from "../views/inventory-adjustment-views";
import { nodeView } from "../views/node-views";
import { fulfillmentView, orderView, refundView } from "../views/order-views";
import { calculatedLines } from "../domain/order-edit";
import type { ViewCtx } from "../views/view-context";
import { queryRoot } from "./query-root";

/** Trial/development stores: at most 5 orderCreate per minute (notes.md §4.1). */
export const DEV_STORE_ORDERS_PER_MINUTE = 5;

function userErrors(errors: UserErr[]) {
  return errors.map((e) => ({ field: e.field, message: e.message, code: e.code ?? null, elementIndex: e.elementIndex ?? null }));
}

export function mutationRoot(ctx: ViewCtx): Record<string, unknown> {
  const { store, shop } = ctx;
  const calcPayload = (orderId: number, sessionId: number, calcId: number | null) => {
    const order = shop.orders.get(orderId);
    const session = shop.edits.get(sessionId);
    if (!order || !session) return { calculatedOrder: null, calculatedLineItem: null, orderEditSession: null, userErrors: [] };
    const line = calcId === null ? undefined : calculatedLines(shop, order, session).find((l) => l.calcId === calcId);
    return {
      calculatedOrder: calculatedOrderView(ctx, order, session),
      calculatedLineItem: line ? calculatedLineItemView(ctx, order, line) : null,
      orderEditSession: orderEditSessionView(session),
      userErrors: [],
    };
  };
  const editFailure = (errors: UserErr[]) => ({ calculatedOrder: null, calculatedLineItem: null, orderEditSession: null, userErrors: userErrors(errors) });

  return {
    orderCreate: (args: { order: OrderCreateInput; options?: OrderCreateOptions | null }) => {
      if (shop.orderCreateLimit) {
        const t = store.now();
        shop.orderCreateTimes = shop.orderCreateTimes.filter((x) => t - x < 60_000);
        if (shop.orderCreateTimes.length >= DEV_STORE_ORDERS_PER_MINUTE) {
          // Wording from Shopify's REST answer to the same limit (community reports); UNCERTAIN for GraphQL.
          throw new GraphQLError(
            "Exceeded order API rate limit, please try again in a minute. Upgrade to a paid account to remove this limit.",
            { extensions: { code: "TOO_MANY_REQUESTS" } },
          );
        }
        shop.orderCreateTimes.push(t);
      }
      const result = createOrder(store, shop, args.order, args.options, { appId: store.appId });
      return result.ok ? { order: orderView(ctx, result.value), userErrors: [] } : { order: null, userErrors: userErrors(result.userErrors) };
    },

    orderCancel: (args: CancelInput) => {
      const result = cancelOrder(store, shop, args);
      if (!result.ok) {
        const errs = userErrors(result.userErrors);
        return { job: null, orderCancelUserErrors: errs, userErrors: errs };
      }
      return { job: jobView(result.value.job, queryRoot(ctx)), orderCancelUserErrors: [], userErrors: [] };
    },

    orderEditBegin: (args: { id: string }) => {
      const result = beginEdit(store, shop, args.id);
      if (!result.ok) return editFailure(result.userErrors);
      return calcPayload(result.value.order.id, result.value.session.id, null);
    },
    orderEditSetQuantity: (args: { id: string; lineItemId: string; quantity: number; restock?: boolean | null }) => {
      const result = setEditQuantity(shop, args);
      if (!result.ok) return editFailure(result.userErrors);
      return calcPayload(result.value.order.id, result.value.session.id, result.value.calcId);
    },
    orderEditAddVariant: (args: { id: string; variantId: string; locationId?: string | null; quantity: number; allowDuplicates?: boolean | null }) => {
      const result = addEditVariant(store, shop, args);
      if (!result.ok) return editFailure(result.userErrors);
      return calcPayload(result.value.order.id, result.value.session.id, result.value.calcId);
    },
    orderEditCommit: (args: { id: string; notifyCustomer?: boolean | null; staffNote?: string | null }) => {
      const result = commitEdit(store, shop, args, { appId: store.appId });
      if (!result.ok) return { order: null, successMessages: null, userErrors: userErrors(result.userErrors) };
      return { order: orderView(ctx, result.value.order), successMessages: ["Order updated"], userErrors: [] };
    },

    fulfillmentCreate: (args: { fulfillment: FulfillmentInput; message?: string | null }) => {
      const result = createFulfillment(store, shop, args.fulfillment);
      if (!result.ok) return { fulfillment: null, userErrors: userErrors(result.userErrors) };
      return { fulfillment: fulfillmentView(ctx, result.value.order, result.value.fulfillment), userErrors: [] };
    },
    fulfillmentTrackingInfoUpdate: (args: { fulfillmentId: string; trackingInfoInput: TrackingInput; notifyCustomer?: boolean | null }) => {
      const result = updateTracking(store, shop, args);
      if (!result.ok) return { fulfillment: null, userErrors: userErrors(result.userErrors) };
      return { fulfillment: fulfillmentView(ctx, result.value.order, result.value.fulfillment), userErrors: [] };
    },

    refundCreate: (args: { input: RefundInput }, _c: unknown, info: GraphQLResolveInfo) =>
      withIdempotency(shop, info, args, () => {
        const result = createRefund(store, shop, args.input);
        if (!result.ok) return { refund: null, order: null, userErrors: userErrors(result.userErrors) };
        return { refund: refundView(ctx, result.value.order, result.value.refund), order: orderView(ctx, result.value.order), userErrors: [] };
      }),

    inventorySetQuantities: (args: { input: SetQuantitiesInput }, _c: unknown, info: GraphQLResolveInfo) =>
      withIdempotency(shop, info, args, () => {
        const result = setQuantities(store, shop, args.input);
        return result.ok
          ? { inventoryAdjustmentGroup: adjustmentGroupView(ctx, result.value), userErrors: [] }
          : { inventoryAdjustmentGroup: null, userErrors: userErrors(result.userErrors) };
      }),
    inventoryAdjustQuantities: (args: { input: AdjustQuantitiesInput }, _c: unknown, info: GraphQLResolveInfo) =>
      withIdempotency(shop, info, args, () => {
        const result = adjustQuantities(store, shop, args.input);
        return result.ok
          ? { inventoryAdjustmentGroup: adjustmentGroupView(ctx, result.value), userErrors: [] }
          : { inventoryAdjustmentGroup: null, userErrors: userErrors(result.userErrors) };
      }),
    inventoryActivate: (
      args: { inventoryItemId: string; locationId: string; available?: number | null; onHand?: number | null },
      _c: unknown,
      info: GraphQLResolveInfo,
    ) =>
      withIdempotency(shop, info, args, () => {
        const result = activateInventory(store, shop, args);
        return result.ok
          ? { inventoryLevel: inventoryLevelView(ctx, result.value), userErrors: [] }
          : { inventoryLevel: null, userErrors: userErrors(result.userErrors) };
      }),

    metafieldsSet: (args: { metafields: SetMetafieldInput[] }) => {
      const result = metafieldsSet(store, shop, args.metafields);
      return result.ok
        ? { metafields: result.value.map((m) => metafieldView(ctx, m)), userErrors: [] }
        : { metafields: null, userErrors: userErrors(result.userErrors) };
    },
    metafieldDefinitionCreate: (args: { definition: DefinitionInput }) => {
      const result = createDefinition(store, shop, args.definition);
      return result.ok
        ? { createdDefinition: metafieldDefinitionView(ctx, result.value), userErrors: [] }
        : { createdDefinition: null, userErrors: userErrors(result.userErrors) };
    },
    tagsAdd: (args: { id: string; tags: string[] }) => {
      const result = changeTags(store, shop, { ...args, mode: "add" });
      return result.ok ? { node: nodeView(ctx, args.id), userErrors: [] } : { node: null, userErrors: userErrors(result.userErrors) };
    },
    tagsRemove: (args: { id: string; tags: string[] }) => {
      const result = changeTags(store, shop, { ...args, mode: "remove" });
      return result.ok ? { node: nodeView(ctx, args.id), userErrors: [] } : { node: null, userErrors: userErrors(result.userErrors) };
    },

    bulkOperationRunQuery: (args: { query: string; groupObjects?: boolean | null }) => {
      const result = startBulkQuery(store, shop, ctx.baseUrl, args.query);
      return result.ok
        ? { bulkOperation: bulkOperationView(ctx, result.value), userErrors: [] }
        : { bulkOperation: null, userErrors: userErrors(result.userErrors) };
    },
  };
}

