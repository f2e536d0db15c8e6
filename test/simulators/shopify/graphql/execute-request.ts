/**
 * One Admin GraphQL request, in Shopify's order: parse -> validate (standard rules; HTTP 200, errors, no data) ->
 * variables -> @idempotent rules -> cost (MAX_COST_EXCEEDED over 1000) -> leaky bucket (THROTTLED) -> execute ->
 * refund requested - actual. Every executed response carries extensions.cost (notes.md §4.8).
 */
import {
  execute,
  getOperationAST,
  getVariableValues,
  Kind,
  parse,
  GraphQLError,
  type DocumentNode,
  type FragmentDefinitionNode,
} from "graphql";
import { SINGLE_QUERY_MAX_COST } from "../cost-bucket";
import { actualQueryCost, requestedQueryCost } from "../cost";
import type { ShopRec } from "../model";
import { mutationRoot } from "../resolvers/mutation-root";
import { queryRoot } from "../resolvers/query-root";
import { loadAdminSchema } from "../schema";
import type { SimStore } from "../store";
import { searchReports } from "../views/search-warnings";
import type { ViewCtx } from "../views/view-context";
import { checkIdempotentDirectives } from "./idempotency";
import { strictFieldResolver } from "./strict-resolver";
import { validateDocument, type ShopifyError } from "./validation-errors";

export interface GraphqlOutcome {
  status: number;
  body: Record<string, unknown>;
  /** Root field names of the executed operation (for fault targeting and stats). */
  rootFields: string[];
  operation: "query" | "mutation" | null;
  throttled: boolean;
  executed: boolean;
  actualCost: number;
}

function errorsOnly(errors: ShopifyError[], status = 200): GraphqlOutcome {
  return { status, body: { errors }, rootFields: [], operation: null, throttled: false, executed: false, actualCost: 0 };
}

export function executeGraphql(store: SimStore, shop: ShopRec, rawBody: unknown, baseUrl: string): GraphqlOutcome {
  const admin = loadAdminSchema();
  const body = (rawBody ?? {}) as { query?: unknown; variables?: unknown; operationName?: unknown };
  if (typeof body.query !== "string" || body.query.trim() === "") {
    return errorsOnly([{ message: "No query string was present", extensions: { code: "BAD_REQUEST" } }]);
  }
  let doc: DocumentNode;
  try {
    doc = parse(body.query);
  } catch (err) {
    const e = err as GraphQLError;
    return errorsOnly([
      { message: e.message, locations: e.locations?.map((l) => ({ line: l.line, column: l.column })), extensions: { code: "PARSE_ERROR" } },
    ]);
  }
  const invalid = validateDocument(admin.schema, doc);
  if (invalid.length) return errorsOnly(invalid);
  const operationName = typeof body.operationName === "string" ? body.operationName : null;
  const operation = getOperationAST(doc, operationName);
  if (!operation) {
    return errorsOnly([
      {
        message: operationName ? `No operation named "${operationName}"` : "An operation name is required when sending multiple operations.",
        extensions: { code: "BAD_REQUEST" },
      },
    ]);
  }
  if (operation.operation === "subscription") {
    return errorsOnly([{ message: "Subscriptions are not supported by the Admin API.", extensions: { code: "BAD_REQUEST" } }]);
  }
  const rawVariables = body.variables && typeof body.variables === "object" ? (body.variables as Record<string, unknown>) : {};
  const coerced = getVariableValues(admin.schema, operation.variableDefinitions ?? [], rawVariables, { maxErrors: 50 });
  if (coerced.errors) {
    return errorsOnly(
      coerced.errors.map((e) => {
        const name = /Variable "\$([^"]+)"/.exec(e.message)?.[1] ?? "";
        const def = operation.variableDefinitions?.find((d) => d.variable.name.value === name);
        const typeText = def ? body.query && (body.query as string).slice(def.type.loc?.start ?? 0, def.type.loc?.end ?? 0) : "";
        return {
          message: `Variable $${name} of type ${typeText} was provided invalid value`,
          locations: e.locations?.map((l) => ({ line: l.line, column: l.column })),
          extensions: {
            code: "INVALID_VARIABLE",
            value: rawVariables[name] ?? null,
            problems: [
              {
                path: (e.path as Array<string | number> | undefined) ?? [],
                explanation: /was not provided|must not be null/.test(e.message) ? "Expected value to not be null" : e.message,
              },
            ],
          },
        };
      }),
    );
  }
  const variables = coerced.coerced;
  const idempotencyErrors = checkIdempotentDirectives(admin, operation, variables);
  if (idempotencyErrors.length) return errorsOnly(idempotencyErrors);

  const fragments: Record<string, FragmentDefinitionNode> = {};
  for (const d of doc.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
  const costInput = { schema: admin.schema, operation, fragments, variables };
  const requested = requestedQueryCost(costInput);
  const rootFields = operation.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : []));
  const op = operation.operation;
  if (requested > SINGLE_QUERY_MAX_COST) {
    return {
      status: 200,
      body: {
        errors: [
          {
            message: `Query cost is ${requested}, which exceeds the single query max cost limit (${SINGLE_QUERY_MAX_COST}).\n\nSee https://shopify.dev/concepts/about-apis/rate-limits for more information on how the\ncost of a query is calculated.\n\nTo query larger amounts of data with fewer limits, bulk operations should be used instead.\nSee https://shopify.dev/tutorials/perform-bulk-operations-with-admin-api for usage details.\n`,
            extensions: { code: "MAX_COST_EXCEEDED", cost: requested, maxCost: SINGLE_QUERY_MAX_COST },
          },
        ],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: shop.bucket.status() } },
      },
      rootFields,
      operation: op,
      throttled: false,
      executed: false,
      actualCost: 0,
    };
  }
  if (shop.forceThrottled || !shop.bucket.tryTake(requested)) {
    return {
      status: 200,
      body: {
        errors: [{ message: "Throttled", extensions: { code: "THROTTLED", documentation: "https://shopify.dev/api/usage/rate-limits" } }],
        extensions: { cost: { requestedQueryCost: requested, actualQueryCost: null, throttleStatus: shop.bucket.status() } },
      },
      rootFields,
      operation: op,
      throttled: true,
      executed: false,
      actualCost: 0,
    };
  }

  const ctx: ViewCtx = { store, shop, unbounded: false, baseUrl };
  const rootValue = op === "mutation" ? mutationRoot(ctx) : queryRoot(ctx);
  const result = execute({
    schema: admin.schema,
    document: doc,
    rootValue,
    contextValue: ctx,
    variableValues: rawVariables,
    operationName: operationName ?? undefined,
    fieldResolver: strictFieldResolver,
  });
  if ("then" in result) throw new Error("Shopify simulator resolvers must be synchronous");
  const actual = Math.min(requested, actualQueryCost(costInput, result.data ?? null));
  shop.bucket.refund(requested - actual);
  const responseBody: Record<string, unknown> = {};
  if (result.errors?.length) responseBody.errors = result.errors.map((e) => e.toJSON());
  responseBody.data = result.data ?? null;
  const extensions: Record<string, unknown> = {
    cost: { requestedQueryCost: requested, actualQueryCost: actual, throttleStatus: shop.bucket.status() },
  };
  const search = searchReports(ctx);
  if (search.length) extensions.search = search;
  responseBody.extensions = extensions;
  return { status: 200, body: responseBody, rootFields, operation: op, throttled: false, executed: true, actualCost: actual };
}
