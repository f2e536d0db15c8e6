import { z } from "zod";
import { ValidationError } from "../lib/errors";
import type { AdminClient } from "./admin-client";
import { ShopifyBulkResultError, ShopifyResponseError, ShopifyUserError } from "./errors";
import type { BulkGroup } from "./bulk-jsonl";
import { downloadBulkResult, runBulkQuery } from "./bulk-operations";
import type { ShopifyGid } from "./gid";
import { gidOf } from "./schemas";

export const INVENTORY_AVAILABLE_QUERY = /* GraphQL */ `#graphql
  query InventoryAvailable($ids: [ID!]!, $locationId: ID!) {
    nodes(ids: $ids) {
      __typename
      ... on InventoryItem {
        id
        tracked
        inventoryLevel(locationId: $locationId) {
          quantities(names: ["available"]) {
            name
            quantity
          }
        }
      }
    }
  }
`;

/**
 * The bulk query itself (sent as a string to bulkOperationRunQuery, validated against the schema in tests).
 * Two connections, nesting depth 2: within the bulk limits of 5 connections / depth 2 (notes §4.7).
 * Bulk queries take no `first`; edges/node is the form Shopify documents for them.
 */
export const INVENTORY_BULK_EXPORT_QUERY = /* GraphQL */ `
  query InventoryBulkExport {
    productVariants {
      edges {
        node {
          id
          sku
          inventoryItem {
            id
            tracked
            inventoryLevels {
              edges {
                node {
                  location {
                    id
                  }
                  quantities(names: ["available"]) {
                    name
                    quantity
                  }
                }
              }
            }
          }
        }
      }
    }
  }
`;

const ADJUSTMENT_GROUP_FIELDS = /* GraphQL */ `
  inventoryAdjustmentGroup {
    id
    reason
    referenceDocumentUri
    changes {
      name
      delta
      quantityAfterChange
      item {
        id
      }
      location {
        id
      }
    }
  }
  userErrors {
    field
    message
    code
  }
`;

/**
 * `@idempotent` and an explicit `changeFromQuantity` on every row are both mandatory from 2026-04 and the
 * schema marks neither as required: leaving them out fails at runtime only (notes §4.5, §7.1).
 */
export const INVENTORY_SET_QUANTITIES_MUTATION = /* GraphQL */ `#graphql
  mutation InventorySetQuantities($input: InventorySetQuantitiesInput!, $idempotencyKey: String!) {
    inventorySetQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      ${ADJUSTMENT_GROUP_FIELDS}
    }
  }
`;

export const INVENTORY_ADJUST_QUANTITIES_MUTATION = /* GraphQL */ `#graphql
  mutation InventoryAdjustQuantities($input: InventoryAdjustQuantitiesInput!, $idempotencyKey: String!) {
    inventoryAdjustQuantities(input: $input) @idempotent(key: $idempotencyKey) {
      ${ADJUSTMENT_GROUP_FIELDS}
    }
  }
`;

const quantitySchema = z.object({ name: z.string(), quantity: z.number().int() });

const availableNodeSchema = z.object({
  __typename: z.literal("InventoryItem"),
  id: gidOf("InventoryItem"),
  tracked: z.boolean(),
  inventoryLevel: z.object({ quantities: z.array(quantitySchema) }).nullable(),
});
const availableSchema = z.object({
  nodes: z.array(z.object({ __typename: z.string() }).passthrough().nullable()),
});

export interface InventoryAvailability {
  inventoryItemId: ShopifyGid<"InventoryItem">;
  locationId: ShopifyGid<"Location">;
  tracked: boolean;
  /** null: the item is not stocked at this location (no inventory level), which is not the same as 0. */
  available: number | null;
}

/** Ids per request: each item costs ~3 points, so 100 items stay near 300 points requested. */
const ITEMS_PER_QUERY = 100;

/**
 * `available` per item per location. One request per location and chunk of items: inventoryLevel(locationId:)
 * is a single object (cheap), while inventoryLevels(first:) on every item would multiply the requested cost
 * by the number of locations the shop has. For whole catalogues use the bulk export instead.
 */
export async function getAvailableByItems({
  client,
  inventoryItemIds,
  locationIds,
}: {
  client: AdminClient;
  inventoryItemIds: readonly ShopifyGid[];
  locationIds: readonly ShopifyGid[];
}): Promise<{ levels: InventoryAvailability[]; missingItemIds: ShopifyGid[] }> {
  const items = [...new Set(inventoryItemIds)];
  const levels: InventoryAvailability[] = [];
  const found = new Set<string>();
  for (const locationId of new Set(locationIds)) {
    for (let i = 0; i < items.length; i += ITEMS_PER_QUERY) {
      const chunk = items.slice(i, i + ITEMS_PER_QUERY);
      const data = await client.request({
        query: INVENTORY_AVAILABLE_QUERY,
        operationName: "InventoryAvailable",
        kind: "query",
        variables: { ids: chunk, locationId },
        schema: availableSchema,
      });
      for (const raw of data.nodes) {
        if (!raw || raw.__typename !== "InventoryItem") continue;
        const parsed = availableNodeSchema.safeParse(raw);
        if (!parsed.success) {
          throw new ShopifyResponseError({
            shop: client.shop,
            operationName: "InventoryAvailable",
            kind: "query",
            issues: parsed.error.issues.map((iss) => `${iss.path.join(".")}: ${iss.message}`),
          });
        }
        const node = parsed.data;
        found.add(node.id);
        const q = node.inventoryLevel?.quantities.find((x) => x.name === "available");
        levels.push({
          inventoryItemId: node.id,
          locationId: locationId as ShopifyGid<"Location">,
          tracked: node.tracked,
          available: node.inventoryLevel ? (q?.quantity ?? 0) : null,
        });
      }
    }
  }
  const missingItemIds = locationIds.length === 0 ? [] : items.filter((id) => !found.has(id));
  return { levels, missingItemIds };
}

const adjustmentGroupSchema = z
  .object({
    id: gidOf("InventoryAdjustmentGroup"),
    reason: z.string(),
    referenceDocumentUri: z.string().nullable().optional(),
    changes: z.array(
      z.object({
        name: z.string(),
        delta: z.number().int(),
        quantityAfterChange: z.number().int().nullable().optional(),
        item: z.object({ id: gidOf("InventoryItem") }).nullable().optional(),
        location: z.object({ id: gidOf("Location") }).nullable().optional(),
      }),
    ),
  })
  .nullable();

export type InventoryAdjustmentGroup = NonNullable<z.infer<typeof adjustmentGroupSchema>>;

export type InventoryWriteOutcome =
  | { kind: "applied"; adjustmentGroup: InventoryAdjustmentGroup | null }
  /** changeFromQuantity no longer matched (someone changed stock meanwhile): re-read and decide again. */
  | { kind: "stale"; message: string };

export interface SetAvailableQuantity {
  inventoryItemId: ShopifyGid;
  locationId: ShopifyGid;
  quantity: number;
  /** The quantity we believe is there now, or null to skip the compare-and-swap check. Always explicit. */
  changeFromQuantity: number | null;
}

export interface AdjustAvailableChange {
  inventoryItemId: ShopifyGid;
  locationId: ShopifyGid;
  delta: number;
  changeFromQuantity: number | null;
}

/** Input arrays are capped at 250 items for all Admin APIs (notes §4.5). */
const MAX_ROWS = 250;

function checkRows(rows: readonly { changeFromQuantity?: number | null }[], what: string): void {
  if (rows.length === 0 || rows.length > MAX_ROWS) {
    throw new ValidationError(`${what}: between 1 and ${MAX_ROWS} rows per call (got ${rows.length})`);
  }
  for (const r of rows) {
    if (r.changeFromQuantity === undefined) {
      throw new ValidationError(`${what}: changeFromQuantity must be given (a number or null) on every row (2026-04)`);
    }
  }
}

const setSchema = z.object({ inventorySetQuantities: z.object({ inventoryAdjustmentGroup: adjustmentGroupSchema }) });
const adjustSchema = z.object({ inventoryAdjustQuantities: z.object({ inventoryAdjustmentGroup: adjustmentGroupSchema }) });

function staleOutcome(err: unknown): InventoryWriteOutcome | undefined {
  if (err instanceof ShopifyUserError && err.userErrors.every((e) => e.code === "CHANGE_FROM_QUANTITY_STALE")) {
    return { kind: "stale", message: err.message };
  }
  return undefined;
}

/**
 * Set `available` absolutely (restocks, corrections). Rarely used: orderCreate's inventoryBehaviour already
 * decrements stock for imported orders. `idempotencyKey` must be derived from the business event
 * (deriveIdempotencyKey) so a retry after a timeout cannot apply twice.
 */
export async function setAvailable({
  client,
  quantities,
  reason = "correction",
  referenceDocumentUri,
  idempotencyKey,
}: {
  client: AdminClient;
  quantities: readonly SetAvailableQuantity[];
  reason?: string;
  referenceDocumentUri?: string;
  idempotencyKey: string;
}): Promise<InventoryWriteOutcome> {
  checkRows(quantities, "setAvailable");
  const input = {
    name: "available",
    reason,
    referenceDocumentUri: referenceDocumentUri ?? null,
    quantities: quantities.map((q) => ({
      inventoryItemId: q.inventoryItemId,
      locationId: q.locationId,
      quantity: q.quantity,
      changeFromQuantity: q.changeFromQuantity,
    })),
  };
  try {
    const data = await client.request({
      query: INVENTORY_SET_QUANTITIES_MUTATION,
      operationName: "InventorySetQuantities",
      kind: "mutation",
      variables: { input },
      idempotencyKey,
      schema: setSchema,
    });
    return { kind: "applied", adjustmentGroup: data.inventorySetQuantities.inventoryAdjustmentGroup };
  } catch (err) {
    const stale = staleOutcome(err);
    if (stale) return stale;
    throw err;
  }
}

/** Change `available` by deltas (e.g. put back stock of a cancelled Mirakl line). Same key rules as setAvailable. */
export async function adjustAvailable({
  client,
  changes,
  reason = "correction",
  referenceDocumentUri,
  idempotencyKey,
}: {
  client: AdminClient;
  changes: readonly AdjustAvailableChange[];
  reason?: string;
  referenceDocumentUri?: string;
  idempotencyKey: string;
}): Promise<InventoryWriteOutcome> {
  checkRows(changes, "adjustAvailable");
  const input = {
    name: "available",
    reason,
    referenceDocumentUri: referenceDocumentUri ?? null,
    changes: changes.map((c) => ({
      inventoryItemId: c.inventoryItemId,
      locationId: c.locationId,
      delta: c.delta,
      changeFromQuantity: c.changeFromQuantity,
    })),
  };
  try {
    const data = await client.request({
      query: INVENTORY_ADJUST_QUANTITIES_MUTATION,
      operationName: "InventoryAdjustQuantities",
      kind: "mutation",
      variables: { input },
      idempotencyKey,
      schema: adjustSchema,
    });
    return { kind: "applied", adjustmentGroup: data.inventoryAdjustQuantities.inventoryAdjustmentGroup };
  } catch (err) {
    const stale = staleOutcome(err);
    if (stale) return stale;
    throw err;
  }
}

// ---------------------------------------------------------------------------------------------------------
// Bulk export (large catalogues)

/** Start the catalogue-wide inventory export; poll with pollBulkOperation / waitForBulkOperation. */
export async function startInventoryBulkExport({ client }: { client: AdminClient }) {
  return runBulkQuery({ client, query: INVENTORY_BULK_EXPORT_QUERY, groupObjects: true });
}

const exportVariantSchema = z.object({
  id: gidOf("ProductVariant"),
  sku: z.string().nullable().optional(),
  inventoryItem: z.object({ id: gidOf("InventoryItem"), tracked: z.boolean() }).nullable().optional(),
});
const exportLevelSchema = z.object({
  location: z.object({ id: gidOf("Location") }),
  quantities: z.array(quantitySchema),
});

export interface InventoryExportRow {
  variantId: ShopifyGid<"ProductVariant">;
  sku: string | null;
  inventoryItemId: ShopifyGid<"InventoryItem"> | null;
  tracked: boolean;
  levels: { locationId: ShopifyGid<"Location">; available: number }[];
}

/** Typed row from one grouped bulk object (a variant line followed by its inventory level lines). */
export function toInventoryExportRow(group: BulkGroup): InventoryExportRow {
  const v = exportVariantSchema.safeParse(group.node);
  if (!v.success) {
    throw new ShopifyBulkResultError("Bulk inventory variant line has an unexpected shape", {
      issues: v.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
    });
  }
  const levels: InventoryExportRow["levels"] = [];
  for (const child of group.children) {
    const l = exportLevelSchema.safeParse(child);
    if (!l.success) {
      throw new ShopifyBulkResultError("Bulk inventory level line has an unexpected shape", {
        parentId: typeof child.__parentId === "string" ? child.__parentId : undefined,
        issues: l.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`),
      });
    }
    levels.push({
      locationId: l.data.location.id,
      available: l.data.quantities.find((q) => q.name === "available")?.quantity ?? 0,
    });
  }
  return {
    variantId: v.data.id,
    sku: v.data.sku ?? null,
    inventoryItemId: v.data.inventoryItem?.id ?? null,
    tracked: v.data.inventoryItem?.tracked ?? false,
    levels,
  };
}

/** Stream the finished export as typed rows, constant memory. */
export async function* downloadInventoryExport({
  url,
  fetch,
  idleTimeoutMs,
}: {
  url: string;
  fetch?: typeof globalThis.fetch;
  idleTimeoutMs?: number;
}): AsyncGenerator<InventoryExportRow, void, undefined> {
  for await (const group of downloadBulkResult({ url, fetch, idleTimeoutMs })) {
    yield toInventoryExportRow(group);
  }
}
