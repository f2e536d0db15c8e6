/**
 * Calculated query cost (notes.md §4.8): scalars and enums 0, objects 1, connections 2 + page size x the cost of one
 * node, mutations 10. The requested cost is computed from the document before execution (worst case: full pages);
 * the actual cost walks the response data, so a page of 3 orders asked with first: 50 is charged for 3.
 *
 * Choices where Shopify publishes no rule: a plain list of objects counts its `first`/`ids` size, or 1 when unsized;
 * `edges { node }` and `nodes` on the same connection count once; objects inside a mutation payload are included in
 * its base 10 and only connections inside it add cost; type conditions are not narrowed (an upper bound).
 */
import {
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  getNullableType,
  GraphQLIncludeDirective,
  GraphQLSkipDirective,
  isLeafType,
  isListType,
  isObjectType,
  isInterfaceType,
  Kind,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from "graphql";

export const MUTATION_BASE_COST = 10;

interface CostEnv {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

type Data = Record<string, unknown>;

function included(node: { directives?: readonly import("graphql").DirectiveNode[] }, env: CostEnv): boolean {
  const skip = getDirectiveValues(GraphQLSkipDirective, node, env.variables);
  if (skip?.if === true) return false;
  const include = getDirectiveValues(GraphQLIncludeDirective, node, env.variables);
  return include?.if !== false;
}

/** Every field node of a selection set, fragments flattened, with the type it is selected on. */
function collectFields(
  set: SelectionSetNode | undefined,
  parent: GraphQLNamedType,
  env: CostEnv,
): Array<{ node: FieldNode; parent: GraphQLNamedType }> {
  const out: Array<{ node: FieldNode; parent: GraphQLNamedType }> = [];
  if (!set) return out;
  for (const sel of set.selections) {
    if (!included(sel, env)) continue;
    if (sel.kind === Kind.FIELD) out.push({ node: sel, parent });
    else if (sel.kind === Kind.INLINE_FRAGMENT) {
      const t = sel.typeCondition ? env.schema.getType(sel.typeCondition.name.value) : parent;
      out.push(...collectFields(sel.selectionSet, t ?? parent, env));
    } else {
      const frag = env.fragments[sel.name.value];
      if (!frag) continue;
      const t = env.schema.getType(frag.typeCondition.name.value) ?? parent;
      out.push(...collectFields(frag.selectionSet, t, env));
    }
  }
  return out;
}

function fieldDef(parent: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
  if (isObjectType(parent) || isInterfaceType(parent)) return parent.getFields()[name];
  return undefined;
}

function isConnection(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith("Connection") && "pageInfo" in type.getFields();
}

function args(def: GraphQLField<unknown, unknown>, node: FieldNode, env: CostEnv): Record<string, unknown> {
  try {
    return getArgumentValues(def, node, env.variables);
  } catch {
    return {};
  }
}

function pageSize(a: Record<string, unknown>): number {
  const n = a.first ?? a.last;
  return typeof n === "number" ? n : 0;
}

/** Selections of one node of a connection: `edges { node { ... } }` and `nodes { ... }`, the costlier of the two. */
function nodeSelections(node: FieldNode, type: GraphQLNamedType, env: CostEnv): Array<SelectionSetNode | undefined> {
  const edgeNodes: Array<SelectionSetNode | undefined> = [];
  const nodes: Array<SelectionSetNode | undefined> = [];
  for (const f of collectFields(node.selectionSet, type, env)) {
    if (f.node.name.value === "nodes") nodes.push(f.node.selectionSet);
    if (f.node.name.value === "edges") {
      const edgeType = getNamedType(fieldDef(type, "edges")?.type ?? type);
      for (const e of collectFields(f.node.selectionSet, edgeType, env)) {
        if (e.node.name.value === "node") edgeNodes.push(e.node.selectionSet);
      }
    }
  }
  return [...edgeNodes, ...nodes];
}

function connectionNodeType(type: GraphQLNamedType): GraphQLNamedType {
  const def = fieldDef(type, "nodes");
  return def ? getNamedType(def.type) : type;
}

function requestedSet(set: SelectionSetNode | undefined, parent: GraphQLNamedType, env: CostEnv, objectsFree: boolean): number {
  let total = 0;
  for (const { node, parent: p } of collectFields(set, parent, env)) {
    const def = fieldDef(p, node.name.value);
    if (!def) continue; // __typename
    const named = getNamedType(def.type);
    if (isLeafType(named)) continue;
    const a = args(def, node, env);
    if (isConnection(named)) {
      const nodeType = connectionNodeType(named);
      const perNode = Math.max(0, ...nodeSelections(node, named, env).map((s) => 1 + requestedSet(s, nodeType, env, false)));
      total += 2 + pageSize(a) * perNode;
      continue;
    }
    const children = requestedSet(node.selectionSet, named, env, objectsFree);
    if (objectsFree) {
      total += children;
      continue;
    }
    if (isListType(getNullableType(def.type))) {
      const size = Array.isArray(a.ids) ? a.ids.length : typeof a.first === "number" ? a.first : 1;
      total += size * (1 + children);
    } else total += 1 + children;
  }
  return total;
}

function actualSet(
  set: SelectionSetNode | undefined,
  parent: GraphQLNamedType,
  data: unknown,
  env: CostEnv,
  objectsFree: boolean,
): number {
  if (!data || typeof data !== "object") return 0;
  let total = 0;
  for (const { node, parent: p } of collectFields(set, parent, env)) {
    const def = fieldDef(p, node.name.value);
    if (!def) continue;
    const named = getNamedType(def.type);
    if (isLeafType(named)) continue;
    const value = (data as Data)[node.alias?.value ?? node.name.value];
    if (value === null || value === undefined) continue;
    if (isConnection(named)) {
      const nodeType = connectionNodeType(named);
      const sels = nodeSelections(node, named, env);
      const conn = value as Data;
      const edgeKeyed = collectFields(node.selectionSet, named, env).find((f) => f.node.name.value === "edges");
      const nodesKeyed = collectFields(node.selectionSet, named, env).find((f) => f.node.name.value === "nodes");
      let items: unknown[] = [];
      if (edgeKeyed) {
        const edges = conn[edgeKeyed.node.alias?.value ?? "edges"];
        const nodeField = edgeKeyed.node.selectionSet?.selections.find(
          (s): s is FieldNode => s.kind === Kind.FIELD && s.name.value === "node",
        );
        if (Array.isArray(edges)) {
          items = edges.map((e) => (e as Data)[nodeField?.alias?.value ?? "node"]);
        }
      } else if (nodesKeyed) {
        const nodes = conn[nodesKeyed.node.alias?.value ?? "nodes"];
        if (Array.isArray(nodes)) items = nodes;
      }
      let perItems = 0;
      for (const item of items) {
        perItems += Math.max(0, ...sels.map((s) => 1 + actualSet(s, nodeType, item, env, false)));
      }
      total += 2 + perItems;
      continue;
    }
    if (objectsFree) {
      total += Array.isArray(value)
        ? value.reduce<number>((acc, v) => acc + actualSet(node.selectionSet, named, v, env, true), 0)
        : actualSet(node.selectionSet, named, value, env, true);
      continue;
    }
    if (Array.isArray(value)) {
      for (const v of value) if (v !== null) total += 1 + actualSet(node.selectionSet, named, v, env, false);
    } else total += 1 + actualSet(node.selectionSet, named, value, env, false);
  }
  return total;
}

export interface CostInput {
  schema: GraphQLSchema;
  operation: OperationDefinitionNode;
  fragments: Record<string, FragmentDefinitionNode>;
  variables: Record<string, unknown>;
}

function rootFields(input: CostInput) {
  const env: CostEnv = { schema: input.schema, fragments: input.fragments, variables: input.variables };
  const isMutation = input.operation.operation === "mutation";
  const root = isMutation ? input.schema.getMutationType() : input.schema.getQueryType();
  if (!root) throw new Error("schema has no root type");
  return { env, isMutation, root, fields: collectFields(input.operation.selectionSet, root, env) };
}

export function requestedQueryCost(input: CostInput): number {
  const { env, isMutation, root } = rootFields(input);
  if (!isMutation) return requestedSet(input.operation.selectionSet, root, env, false);
  let total = 0;
  for (const { node } of collectFields(input.operation.selectionSet, root, env)) {
    const def = fieldDef(root, node.name.value);
    if (!def) continue;
    total += MUTATION_BASE_COST + requestedSet(node.selectionSet, getNamedType(def.type), env, true);
  }
  return total;
}

export function actualQueryCost(input: CostInput, data: unknown): number {
  const { env, isMutation, root } = rootFields(input);
  if (!isMutation) return actualSet(input.operation.selectionSet, root, data, env, false);
  let total = 0;
  for (const { node } of collectFields(input.operation.selectionSet, root, env)) {
    const def = fieldDef(root, node.name.value);
    if (!def) continue;
    const value = data && typeof data === "object" ? (data as Data)[node.alias?.value ?? node.name.value] : undefined;
    total += MUTATION_BASE_COST + actualSet(node.selectionSet, getNamedType(def.type), value, env, true);
  }
  return total;
}
