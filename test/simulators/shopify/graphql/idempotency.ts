/**
 * `@idempotent(key:)` (notes.md §4.5, §4.2; shopify.dev changelog "making idempotency mandatory ..."): from 2026-04
 * the listed mutations fail without it even though the schema does not mark it required. Same key + same
 * arguments replays the stored payload without running the mutation again; same key + other arguments is
 * IDEMPOTENCY_KEY_PARAMETER_MISMATCH. Keys are scoped per shop (the bucket is per app+shop too).
 *
 * Error shapes (Shopify documents the codes, not the envelopes):
 * - missing directive: a top-level error, code BAD_REQUEST, no data, like other request-level refusals;
 * - @idempotent on a mutation that does not support it (e.g. orderCreate, §4.1): the same;
 * - mismatch: a userError with that code when the mutation's userError enum has it (the inventory mutations),
 *   otherwise (refundCreate's UserError has no code) a field error with extensions.code set to it.
 */
import { createHash } from "node:crypto";
import {
  getDirectiveValues,
  getNamedType,
  GraphQLError,
  isEnumType,
  isObjectType,
  Kind,
  type FieldNode,
  type GraphQLOutputType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
  type OperationDefinitionNode,
} from "graphql";
import type { ShopRec } from "../model";
import type { AdminSchema } from "../schema";
import type { ShopifyError } from "./validation-errors";

export const MISMATCH = "IDEMPOTENCY_KEY_PARAMETER_MISMATCH";

function rootMutationFields(operation: OperationDefinitionNode): FieldNode[] {
  const out: FieldNode[] = [];
  for (const sel of operation.selectionSet.selections) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) {
      for (const inner of sel.selectionSet.selections) if (inner.kind === Kind.FIELD) out.push(inner);
    }
  }
  return out;
}

function keyOf(schema: GraphQLSchema, node: FieldNode, variables: Record<string, unknown>): string | null {
  const directive = schema.getDirective("idempotent");
  if (!directive) return null;
  const values = getDirectiveValues(directive, node, variables);
  return typeof values?.key === "string" ? values.key : null;
}

/** Checked before execution and before the bucket is charged. */
export function checkIdempotentDirectives(
  admin: AdminSchema,
  operation: OperationDefinitionNode,
  variables: Record<string, unknown>,
): ShopifyError[] {
  if (operation.operation !== "mutation") return [];
  const errors: ShopifyError[] = [];
  for (const field of rootMutationFields(operation)) {
    const name = field.name.value;
    const hasDirective = (field.directives ?? []).some((d) => d.name.value === "idempotent");
    const loc = field.loc ? [{ line: field.loc.startToken.line, column: field.loc.startToken.column }] : undefined;
    if (!hasDirective && admin.idempotentRequired.has(name)) {
      errors.push({
        message: `The @idempotent directive is required for the ${name} mutation. Add @idempotent(key: "<unique key>") to the field.`,
        locations: loc,
        path: [field.alias?.value ?? name],
        extensions: { code: "BAD_REQUEST" },
      });
    } else if (hasDirective && !admin.idempotentSupported.has(name)) {
      errors.push({
        message: `The @idempotent directive is not supported on the ${name} mutation.`,
        locations: loc,
        path: [field.alias?.value ?? name],
        extensions: { code: "BAD_REQUEST" },
      });
    } else if (hasDirective && !keyOf(admin.schema, field, variables)) {
      errors.push({ message: "The idempotency key can't be blank.", locations: loc, path: [field.alias?.value ?? name], extensions: { code: "BAD_REQUEST" } });
    }
  }
  return errors;
}

function canonical(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(canonical);
  if (value && typeof value === "object") {
    return Object.fromEntries(
      Object.keys(value as Record<string, unknown>)
        .sort()
        .map((k) => [k, canonical((value as Record<string, unknown>)[k])]),
    );
  }
  return value;
}

export function paramsHash(mutation: string, args: unknown): string {
  return createHash("sha256").update(JSON.stringify([mutation, canonical(args)])).digest("hex");
}

function mismatchAsUserError(returnType: GraphQLOutputType): boolean {
  const payload = getNamedType(returnType);
  if (!isObjectType(payload)) return false;
  const userErrors = payload.getFields().userErrors;
  if (!userErrors) return false;
  const errType = getNamedType(userErrors.type);
  if (!isObjectType(errType)) return false;
  const code = errType.getFields().code;
  if (!code) return false;
  const codeType = getNamedType(code.type);
  return isEnumType(codeType) && codeType.getValues().some((v) => v.name === MISMATCH);
}

/** Wraps a mutation resolver; without a key (an optional-directive mutation called without it) runs it as is. */
export function withIdempotency(
  shop: ShopRec,
  info: GraphQLResolveInfo,
  args: unknown,
  run: () => unknown,
): unknown {
  const node = info.fieldNodes[0];
  const key = node ? keyOf(info.schema, node, info.variableValues) : null;
  if (!key) return run();
  const name = info.fieldName;
  const hash = paramsHash(name, args);
  const stored = shop.idempotency.get(key);
  if (stored) {
    if (stored.mutation === name && stored.paramsHash === hash) return stored.payload;
    const message = "The same idempotency key was used with different parameters.";
    if (mismatchAsUserError(info.returnType)) {
      const payload = getNamedType(info.returnType);
      const fields = isObjectType(payload) ? Object.keys(payload.getFields()) : [];
      return {
        ...Object.fromEntries(fields.map((f) => [f, null])),
        userErrors: [{ field: null, message, code: MISMATCH }],
      };
    }
    throw new GraphQLError(message, { extensions: { code: MISMATCH } });
  }
  const payload = run();
  shop.idempotency.set(key, { mutation: name, paramsHash: hash, payload });
  return payload;
}
