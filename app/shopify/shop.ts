import { z } from "zod";
import type { AdminClient } from "./admin-client";
import { gidOf } from "./schemas";

export const SHOP_INFO_QUERY = /* GraphQL */ `#graphql
  query ShopInfo {
    shop {
      id
      name
      currencyCode
      ianaTimezone
      myshopifyDomain
    }
  }
`;

const shopInfoSchema = z.object({
  shop: z.object({
    id: gidOf("Shop"),
    name: z.string(),
    currencyCode: z.string(),
    ianaTimezone: z.string(),
    myshopifyDomain: z.string(),
  }),
});

export type ShopInfo = z.infer<typeof shopInfoSchema>["shop"];

/** Shop currency (orderCreate amounts), timezone (Mirakl dates), and the canonical myshopify domain. */
export async function getShopInfo({ client }: { client: AdminClient }): Promise<ShopInfo> {
  const data = await client.request({
    query: SHOP_INFO_QUERY,
    operationName: "ShopInfo",
    kind: "query",
    schema: shopInfoSchema,
  });
  return data.shop;
}
