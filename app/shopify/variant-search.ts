import { z } from "zod";
import type { AdminClient } from "./admin-client";
import { quoteSearchValue } from "./search-query";
import { connectionOf, gidOf } from "./schemas";
import { findExactSkuMatches, VARIANTS_BY_SKU_QUERY, variantsBySkuSchema, type ShopifyVariant } from "./variants";

/**
 * Variants a person is looking for while mapping an offer by hand: SKUs starting with the text, or the text anywhere
 * Shopify's free-text search looks (title, product title, SKU, barcode). One page, most relevant first; this is a
 * picker, not an exact lookup (findVariantsBySkus is the exact one).
 */
export async function searchVariants({ client, text, first = 20 }: { client: AdminClient; text: string; first?: number }): Promise<ShopifyVariant[]> {
  const t = text.trim();
  if (t === "") return [];
  // A prefix search needs an unquoted trailing * (a quoted one is a literal); keep only characters that cannot
  // change the meaning of the query there, and fall back to the quoted free-text term alone otherwise.
  const prefix = /^[A-Za-z0-9_.\-/]+$/.test(t) ? `sku:${t}* OR ` : "";
  const data = await client.request({
    query: VARIANTS_BY_SKU_QUERY,
    operationName: "VariantsBySku",
    kind: "query",
    variables: { first: Math.min(Math.max(first, 1), 50), after: null, query: `${prefix}${quoteSearchValue(t)}` },
    schema: variantsBySkuSchema,
  });
  return data.productVariants.nodes;
}

export const VARIANT_MATCHES_BY_SKU_QUERY = /* GraphQL */ `#graphql
  query VariantMatchesBySku($first: Int!, $after: String, $query: String!) {
    productVariants(first: $first, after: $after, query: $query) {
      nodes {
        id
        sku
        displayName
        inventoryItem {
          id
          tracked
        }
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const matchSchema = z.object({
  id: gidOf("ProductVariant"),
  sku: z.string().nullable(),
  displayName: z.string(),
  inventoryItem: z.object({ id: gidOf("InventoryItem"), tracked: z.boolean() }),
});
export type VariantMatch = z.infer<typeof matchSchema>;
const matchesSchema = z.object({ productVariants: connectionOf(matchSchema) });

/**
 * findVariantsBySkus for bulk matching: the same exact, case-sensitive SKU semantics, but only what a mapping stores
 * (no price, no product object). A variant then costs 2 points instead of 3 (object fields cost 1 each, notes §4.8),
 * and matching a large catalogue is bounded by the bucket's restore rate, so that is a third more offers a second.
 */
export async function findVariantMatchesBySkus({
  client,
  skus,
  skusPerQuery = 50,
  pageSize = 100,
}: {
  client: AdminClient;
  skus: readonly string[];
  skusPerQuery?: number;
  pageSize?: number;
}): Promise<Map<string, VariantMatch[]>> {
  return findExactSkuMatches({
    client,
    skus,
    skusPerQuery,
    pageSize,
    search: { query: VARIANT_MATCHES_BY_SKU_QUERY, operationName: "VariantMatchesBySku", schema: matchesSchema },
  });
}
