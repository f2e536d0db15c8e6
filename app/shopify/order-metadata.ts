import { z } from "zod";
import { ValidationError } from "../lib/errors";
import type { AdminClient } from "./admin-client";
import { ShopifyResponseError, ShopifyUserError } from "./errors";
import type { ShopifyGid } from "./gid";
import { gidOf } from "./schemas";

export const TAGS_ADD_MUTATION = /* GraphQL */ `#graphql
  mutation TagsAdd($id: ID!, $tags: [String!]!) {
    tagsAdd(id: $id, tags: $tags) {
      node {
        id
      }
      userErrors {
        field
        message
      }
    }
  }
`;

export const METAFIELDS_SET_MUTATION = /* GraphQL */ `#graphql
  mutation MetafieldsSet($metafields: [MetafieldsSetInput!]!) {
    metafieldsSet(metafields: $metafields) {
      metafields {
        id
        namespace
        key
        value
        type
        compareDigest
      }
      userErrors {
        field
        message
        code
        elementIndex
      }
    }
  }
`;

export const METAFIELD_DEFINITION_CREATE_MUTATION = /* GraphQL */ `#graphql
  mutation MetafieldDefinitionCreate($definition: MetafieldDefinitionInput!) {
    metafieldDefinitionCreate(definition: $definition) {
      createdDefinition {
        id
        namespace
        key
      }
      userErrors {
        field
        message
        code
      }
    }
  }
`;

const tagsSchema = z.object({ tagsAdd: z.object({ node: z.object({ id: z.string() }).nullable() }) });

/** Add tags (existing tags are kept; adding a present tag is a no-op, so re-running is safe). */
export async function addTags({ client, id, tags }: { client: AdminClient; id: ShopifyGid; tags: readonly string[] }): Promise<void> {
  const clean = [...new Set(tags.map((t) => t.trim()).filter((t) => t.length > 0))];
  if (clean.length === 0) return;
  await client.request({
    query: TAGS_ADD_MUTATION,
    operationName: "TagsAdd",
    kind: "mutation",
    variables: { id, tags: clean },
    schema: tagsSchema,
  });
}

export interface MetafieldWrite {
  ownerId: ShopifyGid;
  namespace: string;
  key: string;
  /** e.g. "single_line_text_field", "json"; required unless a definition exists. */
  type: string;
  value: string;
  /** Compare-and-set: the digest last read, or null to require that the metafield does not exist yet. */
  compareDigest?: string | null;
}

const metafieldSchema = z.object({
  id: gidOf("Metafield"),
  namespace: z.string(),
  key: z.string(),
  value: z.string(),
  type: z.string(),
  compareDigest: z.string().nullable().optional(),
});
export type SetMetafield = z.infer<typeof metafieldSchema>;
const setSchema = z.object({ metafieldsSet: z.object({ metafields: z.array(metafieldSchema).nullable() }) });

/** metafieldsSet accepts at most 25 metafields per call, each call atomic (notes §4.6). */
const METAFIELDS_PER_CALL = 25;

/**
 * Set metafields in calls of 25. Each call is atomic; across calls it is not, but metafieldsSet is an
 * upsert, so re-running the whole list after a failure converges.
 */
export async function setMetafields({
  client,
  metafields,
}: {
  client: AdminClient;
  metafields: readonly MetafieldWrite[];
}): Promise<SetMetafield[]> {
  const out: SetMetafield[] = [];
  for (const m of metafields) {
    if (m.key.length < 2 || m.key.length > 64) throw new ValidationError(`Metafield key must be 2-64 characters: "${m.key}"`);
  }
  for (let i = 0; i < metafields.length; i += METAFIELDS_PER_CALL) {
    const chunk = metafields.slice(i, i + METAFIELDS_PER_CALL).map((m) => {
      const input: Record<string, unknown> = {
        ownerId: m.ownerId,
        namespace: m.namespace,
        key: m.key,
        type: m.type,
        value: m.value,
      };
      if (m.compareDigest !== undefined) input.compareDigest = m.compareDigest;
      return input;
    });
    const data = await client.request({
      query: METAFIELDS_SET_MUTATION,
      operationName: "MetafieldsSet",
      kind: "mutation",
      variables: { metafields: chunk },
      schema: setSchema,
    });
    out.push(...(data.metafieldsSet.metafields ?? []));
  }
  return out;
}

const definitionSchema = z.object({
  metafieldDefinitionCreate: z.object({
    createdDefinition: z.object({ id: gidOf("MetafieldDefinition"), namespace: z.string(), key: z.string() }).nullable(),
  }),
});

/**
 * Create the order metafield definition holding the Mirakl order id, with unique values, so that
 * orderByIdentifier(customId:) can read an order by Mirakl id directly (findOrderByMiraklId's
 * useUniqueIdentifier; notes §4.1). "exists" when a definition with that namespace/key is already there
 * (TAKEN); whether that existing one has unique values on is not checked here.
 */
export async function ensureMiraklIdMetafieldDefinition({
  client,
  namespace,
  key,
  name = "Mirakl order id",
}: {
  client: AdminClient;
  namespace: string;
  key: string;
  name?: string;
}): Promise<{ kind: "created"; id: ShopifyGid<"MetafieldDefinition"> } | { kind: "exists" }> {
  try {
    const data = await client.request({
      query: METAFIELD_DEFINITION_CREATE_MUTATION,
      operationName: "MetafieldDefinitionCreate",
      kind: "mutation",
      variables: {
        definition: {
          namespace,
          key,
          name,
          ownerType: "ORDER",
          type: "single_line_text_field",
          capabilities: { uniqueValues: { enabled: true } },
        },
      },
      schema: definitionSchema,
      // Each process asks once per shop (import.server.ts) and the definition exists after the first: TAKEN is the
      // usual answer, handled below.
      expectedUserErrorCodes: ["TAKEN"],
    });
    const created = data.metafieldDefinitionCreate.createdDefinition;
    if (!created) {
      throw new ShopifyResponseError({
        shop: client.shop,
        operationName: "MetafieldDefinitionCreate",
        kind: "mutation",
        issues: ["no createdDefinition and no userErrors"],
      });
    }
    return { kind: "created", id: created.id };
  } catch (err) {
    if (err instanceof ShopifyUserError && err.userErrors.every((e) => e.code === "TAKEN")) return { kind: "exists" };
    throw err;
  }
}
