/**
 * Validation errors shaped like Shopify's (graphql-ruby): same HTTP 200, no `data`, and an `extensions.code` naming
 * the failed rule (`undefinedField`, `argumentNotAccepted`, `missingRequiredArguments`, ...). graphql-js tells us the
 * message; to know which rule fired we re-run the rules one by one (only on the failure path).
 */
import {
  specifiedRules,
  validate,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  type ValidationRule,
} from "graphql";

const CODES: Record<string, string> = {
  FieldsOnCorrectTypeRule: "undefinedField",
  KnownArgumentNamesRule: "argumentNotAccepted",
  ProvidedRequiredArgumentsRule: "missingRequiredArguments",
  KnownTypeNamesRule: "undefinedType",
  NoUndefinedVariablesRule: "variableNotDefined",
  NoUnusedVariablesRule: "variableNotUsed",
  VariablesInAllowedPositionRule: "variableMismatch",
  ValuesOfCorrectTypeRule: "argumentLiteralsIncompatible",
  ScalarLeafsRule: "selectionMismatch",
  KnownDirectivesRule: "undefinedDirective",
  KnownFragmentNamesRule: "undefinedFragment",
  NoUnusedFragmentsRule: "useAndDefineFragment",
  UniqueArgumentNamesRule: "argumentNotUnique",
  UniqueVariableNamesRule: "variableNotUnique",
  LoneAnonymousOperationRule: "anonymousOperationNotAlone",
  UniqueOperationNamesRule: "operationNotUnique",
  VariablesAreInputTypesRule: "variableRequiresValidType",
  OverlappingFieldsCanBeMergedRule: "fieldConflict",
  PossibleFragmentSpreadsRule: "cannotSpreadFragment",
  FragmentsOnCompositeTypesRule: "fragmentOnNonCompositeType",
  NoFragmentCyclesRule: "infiniteLoop",
  UniqueInputFieldNamesRule: "inputFieldNotUnique",
};

export interface ShopifyError {
  message: string;
  locations?: Array<{ line: number; column: number }>;
  path?: Array<string | number>;
  extensions: Record<string, unknown>;
}

function locationsOf(err: GraphQLError) {
  return err.locations ? err.locations.map((l) => ({ line: l.line, column: l.column })) : undefined;
}

/** Rewrites graphql-js wording into Shopify's where the two differ in a way clients may match on. */
function reshape(err: GraphQLError, code: string): ShopifyError {
  const base = { locations: locationsOf(err) };
  let m: RegExpExecArray | null;
  if (code === "undefinedField" && (m = /Cannot query field "([^"]+)" on type "([^"]+)"/.exec(err.message))) {
    return { ...base, message: `Field '${m[1]}' doesn't exist on type '${m[2]}'`, extensions: { code, typeName: m[2], fieldName: m[1] } };
  }
  if (code === "argumentNotAccepted" && (m = /Unknown argument "([^"]+)" on field "([^".]+)\.([^"]+)"/.exec(err.message))) {
    return {
      ...base,
      message: `Field '${m[3]}' doesn't accept argument '${m[1]}'`,
      extensions: { code, name: m[3], typeName: "Field", argumentName: m[1] },
    };
  }
  if (code === "missingRequiredArguments" && (m = /Field "([^"]+)" argument "([^"]+)" of type "([^"]+)" is required/.exec(err.message))) {
    return {
      ...base,
      message: `Field '${m[1]}' is missing required arguments: ${m[2]}`,
      extensions: { code, className: "Field", name: m[1], arguments: m[2] },
    };
  }
  return { ...base, message: err.message, extensions: { code } };
}

export function validateDocument(schema: GraphQLSchema, doc: DocumentNode): ShopifyError[] {
  const errors = validate(schema, doc, specifiedRules);
  if (errors.length === 0) return [];
  const classified: ShopifyError[] = [];
  const seen = new Set<string>();
  for (const rule of specifiedRules as readonly ValidationRule[]) {
    for (const err of validate(schema, doc, [rule])) {
      const key = `${err.message}@${JSON.stringify(err.locations)}`;
      if (seen.has(key)) continue;
      seen.add(key);
      classified.push(reshape(err, CODES[rule.name] ?? "GRAPHQL_VALIDATION_FAILED"));
    }
  }
  return classified.length ? classified : errors.map((e) => ({ message: e.message, locations: locationsOf(e), extensions: { code: "GRAPHQL_VALIDATION_FAILED" } }));
}
