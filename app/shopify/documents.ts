import { BULK_OPERATION_QUERY, BULK_OPERATION_RUN_QUERY_MUTATION } from "./bulk-operations";
import {
  FULFILLMENT_CREATE_MUTATION,
  FULFILLMENT_LINE_ITEMS_QUERY,
  FULFILLMENT_ORDER_LINE_ITEMS_QUERY,
  FULFILLMENT_TRACKING_UPDATE_MUTATION,
  FULFILLMENTS_BY_IDS_QUERY,
  ORDER_FULFILLMENT_IDS_QUERY,
  ORDER_FULFILLMENT_ORDERS_QUERY,
} from "./fulfillments";
import {
  INVENTORY_ADJUST_QUANTITIES_MUTATION,
  INVENTORY_AVAILABLE_QUERY,
  INVENTORY_BULK_EXPORT_QUERY,
  INVENTORY_SET_QUANTITIES_MUTATION,
} from "./inventory";
import { LOCATIONS_QUERY } from "./locations";
import { JOB_QUERY, ORDER_CANCEL_MUTATION } from "./order-cancel";
import { ORDER_CREATE_MUTATION } from "./order-create";
import { ORDER_CORE_QUERY } from "./order-details";
import { ORDER_EDIT_BEGIN_MUTATION, ORDER_EDIT_COMMIT_MUTATION, ORDER_EDIT_SET_QUANTITY_MUTATION } from "./order-edit";
import { ORDER_BY_MIRAKL_IDENTIFIER_QUERY, ORDERS_BY_SEARCH_QUERY, ORDERS_FOR_MIRAKL_ID_QUERY } from "./order-lookup";
import { METAFIELD_DEFINITION_CREATE_MUTATION, METAFIELDS_SET_MUTATION, TAGS_ADD_MUTATION } from "./order-metadata";
import { ORDER_REFUND_CONTEXT_QUERY } from "./order-refund-context";
import { ORDER_REFUND_IDS_QUERY, REFUND_CREATE_MUTATION, REFUND_LINE_ITEMS_QUERY, REFUNDS_BY_IDS_QUERY } from "./refunds";
import { SHOP_INFO_QUERY } from "./shop";
import { VARIANTS_BY_IDS_QUERY, VARIANTS_BY_SKU_QUERY } from "./variants";
import { VARIANT_MATCHES_BY_SKU_QUERY } from "./variant-search";

export interface RegisteredDocument {
  /** The operation name inside the document (also sent as `operationName`). */
  name: string;
  /** "bulk-query" documents are not sent directly but as the `query` string of bulkOperationRunQuery. */
  kind: "query" | "mutation" | "bulk-query";
  document: string;
}

/**
 * Every GraphQL document the app sends, in one list, so a test can validate them all against the 2026-04
 * introspection and check the @idempotent rule; and so the Shopify simulator can be checked against the
 * exact set of root fields we use.
 */
export const SHOPIFY_DOCUMENTS: readonly RegisteredDocument[] = [
  { name: "ShopInfo", kind: "query", document: SHOP_INFO_QUERY },
  { name: "Locations", kind: "query", document: LOCATIONS_QUERY },
  { name: "VariantsBySku", kind: "query", document: VARIANTS_BY_SKU_QUERY },
  { name: "VariantsByIds", kind: "query", document: VARIANTS_BY_IDS_QUERY },
  { name: "VariantMatchesBySku", kind: "query", document: VARIANT_MATCHES_BY_SKU_QUERY },
  { name: "InventoryAvailable", kind: "query", document: INVENTORY_AVAILABLE_QUERY },
  { name: "InventorySetQuantities", kind: "mutation", document: INVENTORY_SET_QUANTITIES_MUTATION },
  { name: "InventoryAdjustQuantities", kind: "mutation", document: INVENTORY_ADJUST_QUANTITIES_MUTATION },
  { name: "InventoryBulkExport", kind: "bulk-query", document: INVENTORY_BULK_EXPORT_QUERY },
  { name: "BulkOperationRunQuery", kind: "mutation", document: BULK_OPERATION_RUN_QUERY_MUTATION },
  { name: "BulkOperation", kind: "query", document: BULK_OPERATION_QUERY },
  { name: "OrderCreate", kind: "mutation", document: ORDER_CREATE_MUTATION },
  { name: "OrdersBySearch", kind: "query", document: ORDERS_BY_SEARCH_QUERY },
  { name: "OrdersForMiraklId", kind: "query", document: ORDERS_FOR_MIRAKL_ID_QUERY },
  { name: "OrderByMiraklIdentifier", kind: "query", document: ORDER_BY_MIRAKL_IDENTIFIER_QUERY },
  { name: "OrderCore", kind: "query", document: ORDER_CORE_QUERY },
  { name: "OrderFulfillmentOrders", kind: "query", document: ORDER_FULFILLMENT_ORDERS_QUERY },
  { name: "FulfillmentOrderLineItems", kind: "query", document: FULFILLMENT_ORDER_LINE_ITEMS_QUERY },
  { name: "OrderFulfillmentIds", kind: "query", document: ORDER_FULFILLMENT_IDS_QUERY },
  { name: "FulfillmentsByIds", kind: "query", document: FULFILLMENTS_BY_IDS_QUERY },
  { name: "FulfillmentLineItems", kind: "query", document: FULFILLMENT_LINE_ITEMS_QUERY },
  { name: "OrderRefundIds", kind: "query", document: ORDER_REFUND_IDS_QUERY },
  { name: "RefundsByIds", kind: "query", document: REFUNDS_BY_IDS_QUERY },
  { name: "RefundLineItems", kind: "query", document: REFUND_LINE_ITEMS_QUERY },
  { name: "OrderRefundContext", kind: "query", document: ORDER_REFUND_CONTEXT_QUERY },
  { name: "OrderCancel", kind: "mutation", document: ORDER_CANCEL_MUTATION },
  { name: "Job", kind: "query", document: JOB_QUERY },
  { name: "OrderEditBegin", kind: "mutation", document: ORDER_EDIT_BEGIN_MUTATION },
  { name: "OrderEditSetQuantity", kind: "mutation", document: ORDER_EDIT_SET_QUANTITY_MUTATION },
  { name: "OrderEditCommit", kind: "mutation", document: ORDER_EDIT_COMMIT_MUTATION },
  { name: "TagsAdd", kind: "mutation", document: TAGS_ADD_MUTATION },
  { name: "MetafieldsSet", kind: "mutation", document: METAFIELDS_SET_MUTATION },
  { name: "MetafieldDefinitionCreate", kind: "mutation", document: METAFIELD_DEFINITION_CREATE_MUTATION },
  { name: "FulfillmentCreate", kind: "mutation", document: FULFILLMENT_CREATE_MUTATION },
  { name: "FulfillmentTrackingInfoUpdate", kind: "mutation", document: FULFILLMENT_TRACKING_UPDATE_MUTATION },
  { name: "RefundCreate", kind: "mutation", document: REFUND_CREATE_MUTATION },
];

/**
 * Mutations whose 2026-04 description says "the idempotency key is required and must be provided using the
 * @idempotent directive" (notes §4.5); the schema does not enforce it, Shopify fails at runtime. The
 * documents test re-derives this list from the introspection and fails if it drifts.
 */
export const MUTATIONS_REQUIRING_IDEMPOTENCY: readonly string[] = [
  "inventoryActivate",
  "inventoryAdjustQuantities",
  "inventoryMoveQuantities",
  "inventorySetOnHandQuantities",
  "inventorySetQuantities",
  "inventorySetScheduledChanges",
  "inventoryShipmentAddItems",
  "inventoryShipmentCreate",
  "inventoryShipmentCreateInTransit",
  "inventoryShipmentReceive",
  "inventoryTransferCreate",
  "inventoryTransferCreateAsReadyToShip",
  "inventoryTransferDuplicate",
  "inventoryTransferSetItems",
  "locationActivate",
  "locationDeactivate",
  "refundCreate",
];
