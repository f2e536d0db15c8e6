import { readFileSync } from "node:fs";
import { gunzipSync } from "node:zlib";
import {
  Kind,
  buildClientSchema,
  getNamedType,
  getNullableType,
  isLeafType,
  isListType,
  isObjectType,
  parse,
  specifiedRules,
  validate,
  NoDeprecatedCustomRule,
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLCompositeType,
  type GraphQLSchema,
  type IntrospectionQuery,
  type OperationDefinitionNode,
  type SelectionSetNode,
  type ValueNode,
} from "graphql";
import { beforeAll, describe, expect, it } from "vitest";
import * as shopifyModule from "./index";
import { MUTATIONS_REQUIRING_IDEMPOTENCY, SHOPIFY_DOCUMENTS } from "./documents";

const SCHEMA_FILE = new URL("../../test/fixtures/vendor/admin_2026-04.json.gz", import.meta.url);

let schema: GraphQLSchema;
let introspection: IntrospectionQuery;

beforeAll(() => {
  const json = JSON.parse(gunzipSync(readFileSync(SCHEMA_FILE)).toString("utf8")) as { data: IntrospectionQuery };
  introspection = json.data;
  schema = buildClientSchema(introspection);
});

function operationOf(doc: DocumentNode): OperationDefinitionNode {
  const ops = doc.definitions.filter((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
  expect(ops).toHaveLength(1);
  return ops[0] as OperationDefinitionNode;
}

function rootFields(op: OperationDefinitionNode): FieldNode[] {
  return op.selectionSet.selections.filter((s): s is FieldNode => s.kind === Kind.FIELD);
}

// --- Approximate requested-cost estimate (Shopify's published rules: scalar/enum 0, object 1, connection
// 2 + first × node cost, mutation 10; lists with `first` counted like connections, the conservative reading).
// Variables are given the largest value our code sends.
const VARIABLE_SIZES: Record<string, Record<string, number>> = {
  Locations: { first: 100 },
  VariantsBySku: { first: 250 },
  VariantsByIds: { ids: 100 },
  InventoryAvailable: { ids: 100 },
  FulfillmentsByIds: { ids: 10 },
  RefundsByIds: { ids: 4 },
  OrdersBySearch: { first: 5 },
  OrdersForMiraklId: { first: 5 },
};

function intArg(field: FieldNode, name: string, vars: Record<string, number>): number | undefined {
  const arg = field.arguments?.find((a) => a.name.value === name);
  if (!arg) return undefined;
  const v: ValueNode = arg.value;
  if (v.kind === Kind.INT) return Number(v.value);
  if (v.kind === Kind.VARIABLE) return vars[v.name.value] ?? 250;
  if (v.kind === Kind.LIST) return v.values.length;
  return undefined;
}

function selectionCost(
  set: SelectionSetNode | undefined,
  parent: GraphQLCompositeType,
  fragments: Map<string, FragmentDefinitionNode>,
  vars: Record<string, number>,
): number {
  if (!set) return 0;
  let total = 0;
  for (const sel of set.selections) {
    if (sel.kind === Kind.INLINE_FRAGMENT || sel.kind === Kind.FRAGMENT_SPREAD) {
      const frag = sel.kind === Kind.FRAGMENT_SPREAD ? fragments.get(sel.name.value) : sel;
      if (!frag) continue;
      const typeName = frag.typeCondition?.name.value;
      const t = typeName ? (schema.getType(typeName) as GraphQLCompositeType) : parent;
      total += selectionCost(frag.selectionSet, t, fragments, vars);
      continue;
    }
    if (!isObjectType(parent) && !("getFields" in parent)) continue;
    const fields = (parent as { getFields(): Record<string, { type: import("graphql").GraphQLOutputType }> }).getFields();
    const def = fields[sel.name.value];
    if (!def) continue;
    const named = getNamedType(def.type);
    if (isLeafType(named)) continue;
    const inner = selectionCost(sel.selectionSet, named as GraphQLCompositeType, fragments, vars);
    if (named.name.endsWith("Connection")) {
      const first = intArg(sel, "first", vars) ?? intArg(sel, "last", vars) ?? 250;
      total += 2 + first * Math.max(1, inner - 1);
    } else if (isListType(getNullableType(def.type))) {
      const n = intArg(sel, "first", vars) ?? intArg(sel, "ids", vars) ?? 1;
      total += n * (1 + inner);
    } else if (sel.name.value === "nodes" || sel.name.value === "edges") {
      total += 1 + inner;
    } else {
      total += 1 + inner;
    }
  }
  return total;
}

function estimateCost(name: string, doc: DocumentNode): number {
  const op = operationOf(doc);
  const fragments = new Map(
    doc.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((f) => [f.name.value, f]),
  );
  const root = op.operation === "mutation" ? schema.getMutationType() : schema.getQueryType();
  if (!root) throw new Error("no root type");
  const cost = selectionCost(op.selectionSet, root, fragments, VARIABLE_SIZES[name] ?? {});
  return op.operation === "mutation" ? cost + 10 : cost;
}

describe("GraphQL documents against the 2026-04 Admin schema", () => {
  it("has loaded the introspection", () => {
    expect(schema.getQueryType()?.name).toBe("QueryRoot");
    expect(schema.getMutationType()?.name).toBe("Mutation");
  });

  it("registers every exported *_QUERY / *_MUTATION document", () => {
    const registered = new Set(SHOPIFY_DOCUMENTS.map((d) => d.document));
    const exported = Object.entries(shopifyModule).filter(
      ([k, v]) => typeof v === "string" && (k.endsWith("_QUERY") || k.endsWith("_MUTATION")),
    );
    expect(exported.length).toBeGreaterThanOrEqual(SHOPIFY_DOCUMENTS.length);
    for (const [name, doc] of exported) expect(registered.has(doc as string), name).toBe(true);
    expect(new Set(SHOPIFY_DOCUMENTS.map((d) => d.name)).size).toBe(SHOPIFY_DOCUMENTS.length);
  });

  it.each(SHOPIFY_DOCUMENTS.map((d) => [d.name, d] as const))("%s validates with zero errors", (_name, entry) => {
    const doc = parse(entry.document);
    const errors = validate(schema, doc, [...specifiedRules, NoDeprecatedCustomRule]);
    expect(errors.map((e) => e.message)).toEqual([]);
    const op = operationOf(doc);
    expect(op.name?.value).toBe(entry.name);
    expect(op.operation).toBe(entry.kind === "mutation" ? "mutation" : "query");
  });

  it("the list of mutations that require @idempotent matches the schema's descriptions", () => {
    const required = (schema.getMutationType()?.getFields() ? Object.values(schema.getMutationType()!.getFields()) : [])
      .filter((f) => /idempotency key is required and must be provided using the `@idempotent` directive/.test(f.description ?? ""))
      .map((f) => f.name)
      .sort();
    expect(required).toContain("refundCreate");
    expect(required).toContain("inventorySetQuantities");
    expect([...MUTATIONS_REQUIRING_IDEMPOTENCY].sort()).toEqual(required);
  });

  it("every use of a mutation that requires @idempotent carries it, keyed by $idempotencyKey: String!", () => {
    const required = new Set(MUTATIONS_REQUIRING_IDEMPOTENCY);
    let checked = 0;
    for (const entry of SHOPIFY_DOCUMENTS) {
      const op = operationOf(parse(entry.document));
      if (op.operation !== "mutation") continue;
      for (const field of rootFields(op)) {
        const directive = field.directives?.find((d) => d.name.value === "idempotent");
        if (!required.has(field.name.value)) {
          expect(directive, `${entry.name}: @idempotent on ${field.name.value} is not expected`).toBeUndefined();
          continue;
        }
        checked += 1;
        expect(directive, `${entry.name}.${field.name.value} needs @idempotent`).toBeDefined();
        const key = directive?.arguments?.find((a) => a.name.value === "key")?.value;
        expect(key?.kind).toBe(Kind.VARIABLE);
        expect(key?.kind === Kind.VARIABLE ? key.name.value : "").toBe("idempotencyKey");
        const decl = op.variableDefinitions?.find((v) => v.variable.name.value === "idempotencyKey");
        expect(decl?.type.kind).toBe(Kind.NON_NULL_TYPE);
      }
    }
    // refundCreate, inventorySetQuantities, inventoryAdjustQuantities
    expect(checked).toBe(3);
  });

  it("inventory writes always send changeFromQuantity (mandatory in 2026-04)", () => {
    const input = schema.getType("InventoryQuantityInput");
    const change = schema.getType("InventoryChangeInput");
    expect(input && "getFields" in input ? Object.keys(input.getFields()) : []).toContain("changeFromQuantity");
    expect(change && "getFields" in change ? Object.keys(change.getFields()) : []).toContain("changeFromQuantity");
    expect(input && "getFields" in input ? Object.keys(input.getFields()) : []).not.toContain("compareQuantity");
  });

  it.each(SHOPIFY_DOCUMENTS.filter((d) => d.kind !== "bulk-query").map((d) => [d.name, d] as const))(
    "%s stays under the 1,000-point single-query limit (estimate)",
    (name, entry) => {
      const cost = estimateCost(name, parse(entry.document));
      expect(cost).toBeGreaterThan(0);
      expect(cost).toBeLessThanOrEqual(1_000);
    },
  );

  it("the bulk export query respects bulk limits (≤ 5 connections, nesting ≤ 2, no first/last)", () => {
    const entry = SHOPIFY_DOCUMENTS.find((d) => d.kind === "bulk-query");
    expect(entry).toBeDefined();
    const op = operationOf(parse(entry?.document ?? ""));
    let connections = 0;
    let maxDepth = 0;
    const walk = (set: SelectionSetNode | undefined, parent: GraphQLCompositeType, depth: number) => {
      for (const sel of set?.selections ?? []) {
        if (sel.kind !== Kind.FIELD) continue;
        const def = (parent as { getFields(): Record<string, { type: import("graphql").GraphQLOutputType }> }).getFields()[sel.name.value];
        if (!def) continue;
        const named = getNamedType(def.type);
        let d = depth;
        if (named.name.endsWith("Connection")) {
          connections += 1;
          d = depth + 1;
          maxDepth = Math.max(maxDepth, d);
          expect(sel.arguments?.some((a) => a.name.value === "first" || a.name.value === "last")).toBe(false);
        }
        if (!isLeafType(named)) walk(sel.selectionSet, named as GraphQLCompositeType, d);
      }
    };
    const root = schema.getQueryType();
    if (!root) throw new Error("no query root");
    walk(op.selectionSet, root, 0);
    expect(connections).toBeGreaterThanOrEqual(1);
    expect(connections).toBeLessThanOrEqual(5);
    expect(maxDepth).toBeLessThanOrEqual(2);
  });

  it("the estimator is not vacuous: an oversized document is flagged", () => {
    const doc = parse(`query Big { orders(first: 250) { nodes { lineItems(first: 250) { nodes { id variant { id } } } } } }`);
    expect(estimateCost("Big", doc)).toBeGreaterThan(1_000);
    const bad = validate(schema, parse(`query Bad { shop { noSuchField } }`));
    expect(bad.length).toBeGreaterThan(0);
  });
});
