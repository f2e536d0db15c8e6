/**
 * The Admin GraphQL schema (API 2026-04) every request is validated and executed against.
 * Built once per process from Shopify's introspection (test/fixtures/vendor/README.md); buildClientSchema ignores
 * Shopify's extra introspection keys (requiredAccess, accessRestricted, ...).
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gunzipSync } from "node:zlib";
import { buildClientSchema, type GraphQLSchema, type IntrospectionQuery } from "graphql";

export const SCHEMA_API_VERSION = "2026-04";

const here = path.dirname(fileURLToPath(import.meta.url));

function schemaPath(): string {
  const candidates = [
    process.env.SHOPIFY_ADMIN_SCHEMA_PATH,
    path.resolve(here, "../../fixtures/vendor/admin_2026-04.json.gz"),
    path.resolve(here, "../../../../shared/shopify/admin_2026-04.json.gz"),
  ].filter((p): p is string => Boolean(p));
  const found = candidates.find((p) => existsSync(p));
  if (!found) throw new Error(`Shopify Admin schema not found (looked in ${candidates.join(", ")})`);
  return found;
}

export interface AdminSchema {
  schema: GraphQLSchema;
  /** Mutations that fail at runtime without @idempotent from 2026-04 (notes.md §4.5, §7.1). */
  idempotentRequired: ReadonlySet<string>;
  /** Mutations that accept @idempotent at all (the required ones, plus any documented as optional). */
  idempotentSupported: ReadonlySet<string>;
}

let cached: AdminSchema | undefined;

export function loadAdminSchema(): AdminSchema {
  if (cached) return cached;
  const json = JSON.parse(gunzipSync(readFileSync(schemaPath())).toString("utf8")) as { data: IntrospectionQuery };
  const schema = buildClientSchema(json.data);
  const required = new Set<string>();
  const supported = new Set<string>();
  // The schema does not mark the directive as required (notes.md §4.5); the mutation descriptions do, in a fixed
  // sentence ("the idempotency key is required and must be provided using the `@idempotent` directive").
  for (const field of Object.values(schema.getMutationType()?.getFields() ?? {})) {
    const text = field.description ?? "";
    if (!text.includes("`@idempotent`")) continue;
    supported.add(field.name);
    if (/idempotency key is required/i.test(text)) required.add(field.name);
  }
  cached = { schema, idempotentRequired: required, idempotentSupported: supported };
  return cached;
}
