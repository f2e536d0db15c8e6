import { z } from "zod";
import type { AdminClient } from "./admin-client";
import { paginate } from "./pagination";
import { anyOf, chunkSearchValues, quoteSearchValue } from "./search-query";
import { connectionOf, decimalString, gidOf } from "./schemas";
import { VARIANTS_BY_SKU_QUERY, type ShopifyVariant } from "./variants";

const variantSchema = z.object({
  id: gidOf("ProductVariant"),
  sku: z.string().nullable(),
  title: z.string(),
  displayName: z.string(),
  price: decimalString,
  product: z.object({ id: gidOf("Product"), title: z.string() }),
  inventoryItem: z.object({ id: gidOf("InventoryItem"), tracked: z.boolean() }),
});
const searchSchema = z.object({ productVariants: connectionOf(variantSchema) });

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
    schema: searchSchema,
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
  const result = new Map<string, VariantMatch[]>();
  const searchable: string[] = [];
  for (const sku of skus) {
    if (result.has(sku)) continue;
    result.set(sku, []);
    if (sku.trim().length > 0) searchable.push(sku);
  }
  for (const group of chunkSearchValues("sku", searchable, { maxTerms: skusPerQuery, maxLength: 4_000 })) {
    const query = anyOf("sku", group);
    const wanted = new Set(group);
    const seen = new Set<string>();
    const pages = paginate(async (after) => {
      const data = await client.request({
        query: VARIANT_MATCHES_BY_SKU_QUERY,
        operationName: "VariantMatchesBySku",
        kind: "query",
        variables: { first: pageSize, after, query },
        schema: matchesSchema,
      });
      return data.productVariants;
    });
    for await (const v of pages) {
      // Search is tokenised and case-insensitive: keep exact SKU equality only.
      if (v.sku === null || !wanted.has(v.sku) || seen.has(v.id)) continue;
      seen.add(v.id);
      result.get(v.sku)?.push(v);
    }
  }
  return result;
}
