import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireAdmin } from "../admin-auth.server";
import { services } from "../context.server";
import { errorMessage } from "../lib/errors";
import { findVariantsBySkus, searchVariants } from "../shopify";
import { variantChoice, type VariantChoice } from "../sync/catalogue/mapping.server";

export type VariantsResponse = { variants: VariantChoice[]; error?: string };

/**
 * GET /app/skus/variants?q=<text> (the picker while typing) or ?sku=<exact> (the variants sharing an ambiguous SKU).
 * Read-only Shopify lookups for the inline editor; nothing is saved here.
 */
export const loader = async ({ request }: LoaderFunctionArgs): Promise<VariantsResponse> => {
  const { shop } = await requireAdmin(request);
  const url = new URL(request.url);
  const q = (url.searchParams.get("q") ?? "").trim().slice(0, 100);
  const sku = (url.searchParams.get("sku") ?? "").trim().slice(0, 255);
  if (!q && !sku) return { variants: [] };
  try {
    const client = await services().shopifyAdmin(shop);
    const found = sku ? ((await findVariantsBySkus({ client, skus: [sku] })).get(sku) ?? []) : await searchVariants({ client, text: q, first: 15 });
    return { variants: found.map(variantChoice) };
  } catch (err) {
    return { variants: [], error: `Shopify did not answer: ${errorMessage(err)}` };
  }
};
