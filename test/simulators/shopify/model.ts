/**
 * The simulator's in-memory records. Plain data only: GraphQL views (views/) and REST webhook payloads
 * (webhooks/payloads.ts) are both rendered from these, so the two can never disagree.
 * Times are epoch milliseconds; money is integer minor units (money.ts).
 */
import type { Money } from "./money";
import type { CostBucket } from "./cost-bucket";

export type PlanName = "standard" | "advanced" | "plus" | "enterprise" | "development";

/** Shop money + presentment money, the shape of Shopify's MoneyBag. */
export interface MoneyPair {
  shop: Money;
  presentment: Money;
}

export interface AddressRec {
  firstName: string | null;
  lastName: string | null;
  company: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  provinceCode: string | null;
  zip: string | null;
  countryCode: string | null;
  phone: string | null;
}

export interface LocationRec {
  id: number;
  name: string;
  isActive: boolean;
  fulfillsOnlineOrders: boolean;
  createdAt: number;
  updatedAt: number;
  address: AddressRec;
}

export interface ProductRec {
  id: number;
  title: string;
  handle: string;
  vendor: string;
  productType: string;
  status: "ACTIVE" | "ARCHIVED" | "DRAFT";
  tags: string[];
  createdAt: number;
  updatedAt: number;
  variantIds: number[];
}

export interface VariantRec {
  id: number;
  productId: number;
  inventoryItemId: number;
  sku: string | null;
  barcode: string | null;
  title: string;
  price: Money;
  position: number;
  inventoryPolicy: "DENY" | "CONTINUE";
  taxable: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface InventoryItemRec {
  id: number;
  variantId: number;
  sku: string | null;
  tracked: boolean;
  requiresShipping: boolean;
  createdAt: number;
  updatedAt: number;
}

/** Stored states; `on_hand` is derived (available + committed + the unavailable states), as Shopify defines it. */
export const STORED_QUANTITY_NAMES = [
  "available",
  "committed",
  "reserved",
  "damaged",
  "quality_control",
  "safety_stock",
  "incoming",
] as const;
export type StoredQuantityName = (typeof STORED_QUANTITY_NAMES)[number];
export const QUANTITY_NAMES: readonly string[] = [...STORED_QUANTITY_NAMES, "on_hand"];

export interface InventoryLevelRec {
  id: number;
  inventoryItemId: number;
  locationId: number;
  quantities: Record<StoredQuantityName, number>;
  createdAt: number;
  updatedAt: number;
}

export interface CustomerRec {
  id: number;
  email: string | null;
  phone: string | null;
  firstName: string | null;
  lastName: string | null;
  note: string | null;
  tags: string[];
  taxExempt: boolean;
  createdAt: number;
  updatedAt: number;
}

export interface TaxLineRec {
  title: string;
  rate: number;
  /** Tax for the whole original line quantity (Shopify's tax line priceSet is per line, not per unit). */
  price: MoneyPair;
  channelLiable: boolean;
}

export interface LineItemRec {
  id: number;
  variantId: number | null;
  productId: number | null;
  sku: string | null;
  title: string;
  variantTitle: string | null;
  vendor: string | null;
  /** Units ordered at creation (original totals are computed from it). */
  originalQuantity: number;
  /** Units ordered including units added by edits; refunded and removed units stay counted (Shopify's LineItem.quantity). */
  quantity: number;
  /** Quantity the tax lines were given for: tax is per line, so a partial quantity gets a pro-rata share. */
  taxBaseQuantity: number;
  /** Units taken away by order edits. */
  removedByEdit: number;
  /** Units refunded while still unfulfilled (cancel-type refunds, order cancellation). */
  refundedUnfulfilled: number;
  /** Units refunded after fulfilment (returns). */
  refundedFulfilled: number;
  /** Unfulfilled units taken away by an order cancellation that did not refund them. */
  cancelledQuantity: number;
  unitPrice: MoneyPair;
  taxLines: TaxLineRec[];
  requiresShipping: boolean;
  taxable: boolean;
  giftCard: boolean;
  properties: Array<{ name: string; value: string }>;
  /** Where the line is assigned (its fulfilment order's location). */
  locationId: number;
  /** Units moved from available to committed at `locationId` and not yet fulfilled or released. */
  committed: number;
  /** True when inventory was claimed for the line (not BYPASS, tracked item). */
  claimsInventory: boolean;
}

export interface ShippingLineRec {
  id: number;
  title: string;
  code: string | null;
  source: string | null;
  price: MoneyPair;
  taxLines: TaxLineRec[];
}

export interface TransactionRec {
  id: number;
  kind: string;
  status: string;
  gateway: string | null;
  amount: MoneyPair;
  parentId: number | null;
  test: boolean;
  processedAt: number;
  createdAt: number;
}

export interface FulfillmentOrderLineRec {
  id: number;
  lineItemId: number;
  totalQuantity: number;
  remainingQuantity: number;
}

export type FulfillmentOrderStatus = "OPEN" | "IN_PROGRESS" | "CLOSED" | "CANCELLED";

export interface FulfillmentOrderRec {
  id: number;
  locationId: number;
  status: FulfillmentOrderStatus;
  lines: FulfillmentOrderLineRec[];
  createdAt: number;
  updatedAt: number;
}

export interface TrackingRec {
  company: string | null;
  number: string | null;
  url: string | null;
}

export interface FulfillmentRec {
  id: number;
  name: string;
  status: "SUCCESS" | "CANCELLED";
  locationId: number;
  tracking: TrackingRec[];
  lines: Array<{ id: number; lineItemId: number; quantity: number; fulfillmentOrderLineId: number }>;
  fulfillmentOrderIds: number[];
  notifyCustomer: boolean;
  createdAt: number;
  updatedAt: number;
}

export type RestockType = "RETURN" | "CANCEL" | "NO_RESTOCK" | "LEGACY_RESTOCK";

export interface RefundLineRec {
  id: number;
  lineItemId: number;
  quantity: number;
  restockType: RestockType;
  restocked: boolean;
  locationId: number | null;
  subtotal: MoneyPair;
  totalTax: MoneyPair;
}

export interface RefundShippingLineRec {
  id: number;
  shippingLineId: number;
  subtotal: MoneyPair;
  tax: MoneyPair;
}

export interface RefundRec {
  id: number;
  note: string | null;
  lines: RefundLineRec[];
  shippingLines: RefundShippingLineRec[];
  transactions: TransactionRec[];
  createdAt: number;
  processedAt: number;
}

export interface OrderRec {
  id: number;
  number: number;
  name: string;
  createdAt: number;
  updatedAt: number;
  processedAt: number;
  cancelledAt: number | null;
  cancelReason: string | null;
  cancelStaffNote: string | null;
  closedAt: number | null;
  email: string | null;
  phone: string | null;
  note: string | null;
  poNumber: string | null;
  tags: string[];
  sourceName: string;
  sourceIdentifier: string | null;
  sourceUrl: string | null;
  currency: string;
  presentmentCurrency: string;
  taxesIncluded: boolean;
  test: boolean;
  /** `financialStatus` given to orderCreate; null means derived from transactions (notes.md §4.1). */
  financialStatusOverride: string | null;
  customAttributes: Array<{ key: string; value: string | null }>;
  shippingAddress: AddressRec | null;
  billingAddress: AddressRec | null;
  customerId: number | null;
  lineItems: LineItemRec[];
  shippingLines: ShippingLineRec[];
  /** Order-level tax lines (orderCreate takes them on the order or on the lines, not both; notes.md §4.1). */
  taxLines: TaxLineRec[];
  /** Totals as computed once at creation from the given prices and taxes, never re-derived. */
  originalTotals: { subtotal: MoneyPair; shipping: MoneyPair; tax: MoneyPair; total: MoneyPair };
  transactions: TransactionRec[];
  fulfillmentOrders: FulfillmentOrderRec[];
  fulfillments: FulfillmentRec[];
  refunds: RefundRec[];
  edited: boolean;
  /** The app that created the order (null for storefront/merchant orders). */
  appId: number | null;
  inventoryBehaviour: "BYPASS" | "DECREMENT_IGNORING_POLICY" | "DECREMENT_OBEYING_POLICY";
  restockedOnCancel: boolean;
}

export interface MetafieldRec {
  id: number;
  ownerId: string; // owner GID
  namespace: string;
  key: string;
  value: string;
  type: string;
  createdAt: number;
  updatedAt: number;
}

export interface MetafieldDefinitionRec {
  id: number;
  namespace: string;
  key: string;
  name: string;
  description: string | null;
  ownerType: string;
  type: string;
  /** capabilities.uniqueValues: required by orderByIdentifier(customId:) on real Shopify. */
  uniqueValues: boolean;
  createdAt: number;
}

export interface EditSessionRec {
  id: number; // CalculatedOrder id
  sessionId: number;
  orderId: number;
  /** New quantity by existing line item id. */
  quantities: Map<number, { quantity: number; restock: boolean }>;
  added: Array<{ calcId: number; variantId: number; quantity: number; locationId: number }>;
  committed: boolean;
  createdAt: number;
}

export interface JobRec {
  id: number;
  done: boolean;
}

export interface BulkOperationRec {
  id: number;
  status: "CREATED" | "RUNNING" | "COMPLETED" | "FAILED" | "CANCELED";
  query: string;
  errorCode: string | null;
  createdAt: number;
  completedAt: number | null;
  objectCount: number;
  rootObjectCount: number;
  jsonl: string | null;
}

export interface AdjustmentChangeRec {
  name: string;
  delta: number;
  quantityAfterChange: number | null;
  inventoryItemId: number;
  locationId: number;
  ledgerDocumentUri: string | null;
}

export interface AdjustmentGroupRec {
  id: number;
  reason: string;
  referenceDocumentUri: string | null;
  createdAt: number;
  changes: AdjustmentChangeRec[];
}

export interface IdempotencyRec {
  mutation: string;
  paramsHash: string;
  /** The resolved payload of the first execution, replayed as is. */
  payload: unknown;
}

export interface ShopRec {
  id: number;
  domain: string;
  name: string;
  email: string;
  accessToken: string;
  plan: PlanName;
  currency: string;
  ianaTimezone: string;
  installed: boolean;
  createdAt: number;
  /** Trial/development stores may create 5 orders per minute with orderCreate (notes.md §4.1). */
  orderCreateLimit: boolean;
  orderCreateTimes: number[];
  bucket: CostBucket;
  forceThrottled: boolean;
  nextOrderNumber: number;
  locations: Map<number, LocationRec>;
  products: Map<number, ProductRec>;
  variants: Map<number, VariantRec>;
  inventoryItems: Map<number, InventoryItemRec>;
  levels: Map<number, InventoryLevelRec>;
  /** `${inventoryItemId}:${locationId}` -> level id. */
  levelIndex: Map<string, number>;
  orders: Map<number, OrderRec>;
  customers: Map<number, CustomerRec>;
  metafields: Map<number, MetafieldRec>;
  metafieldDefinitions: Map<number, MetafieldDefinitionRec>;
  edits: Map<number, EditSessionRec>;
  jobs: Map<number, JobRec>;
  bulkOperations: Map<number, BulkOperationRec>;
  adjustmentGroups: Map<number, AdjustmentGroupRec>;
  idempotency: Map<string, IdempotencyRec>;
}
