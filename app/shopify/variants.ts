import { z } from "zod";
import type { AdminClient } from "./admin-client";
import { ShopifyResponseError } from "./errors";
import type { ShopifyGid } from "./gid";
import { paginate, type Page } from "./pagination";
import { anyOf, chunkSearchValues } from "./search-query";
import { connectionOf, decimalString, gidOf } from "./schemas";

const VARIANT_FIELDS = /* GraphQL */ `
  fragment VariantFields on ProductVariant {
    id
    sku
    title
    displayName
    price
    product {
      id
      title
    }
    inventoryItem {
      id
      tracked
    }
  }
`;

export const VARIANTS_BY_SKU_QUERY = /* GraphQL */ `#graphql
  query VariantsBySku($first: Int!, $after: String, $query: String!) {
    productVariants(first: $first, after: $after, query: $query) {
      nodes {
        ...VariantFields
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
  ${VARIANT_FIELDS}
`;

export const VARIANTS_BY_IDS_QUERY = /* GraphQL */ `#graphql
  query VariantsByIds($ids: [ID!]!) {
    nodes(ids: $ids) {
      __typename
      ... on ProductVariant {
        ...VariantFields
      }
    }
  }
  ${VARIANT_FIELDS}
`;

const variantSchema = z.object({
  id: gidOf("ProductVariant"),
  sku: z.string().nullable(),
  title: z.string(),
  displayName: z.string(),
  price: decimalString,
  product: z.object({ id: gidOf("Product"), title: z.string() }),
  inventoryItem: z.object({ id: gidOf("InventoryItem"), tracked: z.boolean() }),
});
export type ShopifyVariant = z.infer<typeof variantSchema>;

/** The answer to VARIANTS_BY_SKU_QUERY (also read by searchVariants, which sends the same document). */
export const variantsBySkuSchema = z.object({ productVariants: connectionOf(variantSchema) });
const byIdsSchema = z.object({
  nodes: z.array(
    z
      .object({ __typename: z.string() })
      .passthrough()
      .nullable(),
  ),
});

/** 50 SKUs per search keeps one page (250) enough unless SKUs are heavily duplicated; more pages are read. */
const DEFAULT_SKUS_PER_QUERY = 50;
/** Shopify does not document a maximum search-string length; stay well below anything plausible. */
const MAX_QUERY_LENGTH = 4_000;

/**
 * Variants for Mirakl offer SKUs. SKUs are not unique in Shopify (notes §4.4), so every SKU maps to all
 * exact matches (0, 1 or many) and the caller decides what an ambiguous SKU means (usually a Task).
 */
export async function findVariantsBySkus({
  client,
  skus,
  skusPerQuery = DEFAULT_SKUS_PER_QUERY,
  pageSize = 250,
}: {
  client: AdminClient;
  skus: readonly string[];
  skusPerQuery?: number;
  pageSize?: number;
}): Promise<Map<string, ShopifyVariant[]>> {
  return findExactSkuMatches({
    client,
    skus,
    skusPerQuery,
    pageSize,
    search: { query: VARIANTS_BY_SKU_QUERY, operationName: "VariantsBySku", schema: variantsBySkuSchema },
  });
}

/**
 * The exact-SKU lookup behind findVariantsBySkus and findVariantMatchesBySkus; they differ only in the document
 * they send (what a variant costs to read) and the variant shape it returns, which `search` carries.
 *
 * Search matching is tokenised and case-insensitive, so results are filtered to exact, case-sensitive SKU
 * equality here; SKUs that are blank are returned with no matches without being searched.
 */
export async function findExactSkuMatches<V extends { id: string; sku: string | null }>({
  client,
  skus,
  skusPerQuery,
  pageSize,
  search,
}: {
  client: AdminClient;
  skus: readonly string[];
  skusPerQuery: number;
  pageSize: number;
  /** A `productVariants(first:, after:, query:)` document and the schema of its answer. */
  search: { query: string; operationName: string; schema: z.ZodType<{ productVariants: Page<V> }, z.ZodTypeDef, unknown> };
}): Promise<Map<string, V[]>> {
  const result = new Map<string, V[]>();
  const searchable: string[] = [];
  for (const sku of skus) {
    if (result.has(sku)) continue;
    result.set(sku, []);
    if (sku.trim().length > 0) searchable.push(sku);
  }
  const groups = chunkSearchValues("sku", searchable, { maxTerms: skusPerQuery, maxLength: MAX_QUERY_LENGTH });
  for (const group of groups) {
    const query = anyOf("sku", group);
    const wanted = new Set(group);
    const seen = new Set<string>();
    const pages = paginate(async (after) => {
      const data = await client.request({
        query: search.query,
        operationName: search.operationName,
        kind: "query",
        variables: { first: pageSize, after, query },
        schema: search.schema,
      });
      return data.productVariants;
    });
    for await (const v of pages) {
      if (v.sku === null || !wanted.has(v.sku) || seen.has(v.id)) continue;
      seen.add(v.id);
      result.get(v.sku)?.push(v);
    }
  }
  return result;
}

/** nodes(ids:) accepts at most 250 ids; 100 keeps the requested cost of one call around 300 points. */
const IDS_PER_QUERY = 100;

/** Variants by GID (e.g. the variant ids stored on order links). Unknown or deleted ids are simply absent. */
export async function getVariantsByIds({
  client,
  ids,
}: {
  client: AdminClient;
  ids: readonly ShopifyGid[];
}): Promise<Map<ShopifyGid, ShopifyVariant>> {
  const out = new Map<ShopifyGid, ShopifyVariant>();
  const unique = [...new Set(ids)];
  for (let i = 0; i < unique.length; i += IDS_PER_QUERY) {
    const chunk = unique.slice(i, i + IDS_PER_QUERY);
    const data = await client.request({
      query: VARIANTS_BY_IDS_QUERY,
      operationName: "VariantsByIds",
      kind: "query",
      variables: { ids: chunk },
      schema: byIdsSchema,
    });
    for (const node of data.nodes) {
      if (!node || node.__typename !== "ProductVariant") continue;
      const v = variantSchema.safeParse(node);
      if (!v.success) {
        throw new ShopifyResponseError({
          shop: client.shop,
          operationName: "VariantsByIds",
          kind: "query",
          issues: v.error.issues.map((iss) => `${iss.path.join(".")}: ${iss.message}`),
        });
      }
      out.set(v.data.id, v.data);
    }
  }
  return out;
}
