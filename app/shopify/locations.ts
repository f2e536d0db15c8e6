import { z } from "zod";
import type { AdminClient } from "./admin-client";
import { collect, paginate } from "./pagination";
import { connectionOf, gidOf } from "./schemas";

export const LOCATIONS_QUERY = /* GraphQL */ `#graphql
  query Locations($first: Int!, $after: String, $includeInactive: Boolean) {
    locations(first: $first, after: $after, includeInactive: $includeInactive) {
      nodes {
        id
        name
        isActive
        fulfillsOnlineOrders
      }
      pageInfo {
        hasNextPage
        endCursor
      }
    }
  }
`;

const locationSchema = z.object({
  id: gidOf("Location"),
  name: z.string(),
  isActive: z.boolean(),
  fulfillsOnlineOrders: z.boolean().optional(),
});
export type ShopifyLocation = z.infer<typeof locationSchema>;

const locationsSchema = z.object({ locations: connectionOf(locationSchema) });

/** Locations whose stock is summed for Mirakl, and where restocks go (every inventory write needs one). */
export function iterateLocations({
  client,
  includeInactive = false,
  pageSize = 100,
}: {
  client: AdminClient;
  includeInactive?: boolean;
  pageSize?: number;
}): AsyncGenerator<ShopifyLocation, void, undefined> {
  return paginate(async (after) => {
    const data = await client.request({
      query: LOCATIONS_QUERY,
      operationName: "Locations",
      kind: "query",
      variables: { first: pageSize, after, includeInactive },
      schema: locationsSchema,
    });
    return data.locations;
  });
}

export async function listLocations(args: {
  client: AdminClient;
  includeInactive?: boolean;
  pageSize?: number;
}): Promise<ShopifyLocation[]> {
  return collect(iterateLocations(args));
}
