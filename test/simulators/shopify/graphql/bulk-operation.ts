/**
 * bulkOperationRunQuery (notes.md §4.7): the query is validated like any other, must hold 1..5 connections nested at
 * most 2 deep, then runs asynchronously over *all* pages (page sizes are ignored) and is served as JSONL at a URL of
 * the simulator. Each connection node is one line; nodes of a nested connection (also one found inside a plain
 * nested object, as in productVariants > inventoryItem > inventoryLevels) are separate lines carrying
 * `__parentId`, written after their parent line. `id` is added to node selections that lack it so children can
 * point at their parent.
 */
import {
  execute,
  getNamedType,
  isObjectType,
  Kind,
  parse,
  TypeInfo,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type FieldNode,
  type GraphQLNamedType,
  type SelectionSetNode,
  GraphQLError,
} from "graphql";
import type { BulkOperationRec, ShopRec } from "../model";
import type { SimStore } from "../store";
import { queryRoot } from "../resolvers/query-root";
import { loadAdminSchema } from "../schema";
import { fail, ok, type Outcome } from "../domain/user-error";
import { strictFieldResolver } from "./strict-resolver";
import { validateDocument } from "./validation-errors";

const MAX_CONNECTIONS = 5;
const MAX_DEPTH = 2;
const MAX_CONCURRENT = 5; // 2026-01+: up to 5 bulk operations per shop per app (notes.md §4.7)

type Json = Record<string, unknown>;

function isConnectionType(t: GraphQLNamedType | null | undefined): boolean {
  return !!t && isObjectType(t) && t.name.endsWith("Connection") && "pageInfo" in t.getFields();
}

function fieldsOf(set: SelectionSetNode | undefined): FieldNode[] {
  const out: FieldNode[] = [];
  for (const sel of set?.selections ?? []) {
    if (sel.kind === Kind.FIELD) out.push(sel);
    else if (sel.kind === Kind.INLINE_FRAGMENT) out.push(...fieldsOf(sel.selectionSet));
  }
  return out;
}

function shapeErrors(doc: DocumentNode): string[] {
  const { schema } = loadAdminSchema();
  const typeInfo = new TypeInfo(schema);
  let connections = 0;
  let depth = 0;
  let maxDepth = 0;
  const stack: boolean[] = [];
  const errors: string[] = [];
  visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      OperationDefinition(node) {
        if (node.operation !== "query") errors.push("Bulk operations only accept queries.");
      },
      Field: {
        enter() {
          const isConn = isConnectionType(getNamedType(typeInfo.getType()));
          stack.push(isConn);
          if (isConn) {
            connections++;
            depth++;
            maxDepth = Math.max(maxDepth, depth);
          }
        },
        leave() {
          if (stack.pop()) depth--;
        },
      },
    }),
  );
  if (connections === 0) errors.push("Bulk queries must contain at least one connection.");
  if (connections > MAX_CONNECTIONS) errors.push(`Bulk queries cannot contain more than ${MAX_CONNECTIONS} connections.`);
  if (maxDepth > MAX_DEPTH) errors.push(`Bulk queries cannot contain connections nested more than ${MAX_DEPTH} levels deep.`);
  return errors;
}

/** Alias of the id the simulator adds to node selections lacking one; stripped from the output lines. */
const INJECTED_ID = "__simNodeId";

/** Adds `id` (aliased) to every connection node selection whose type has one, so children can name their parent. */
function withNodeIds(doc: DocumentNode): DocumentNode {
  const { schema } = loadAdminSchema();
  const typeInfo = new TypeInfo(schema);
  return visit(
    doc,
    visitWithTypeInfo(typeInfo, {
      Field(node) {
        const parent = typeInfo.getParentType();
        const isNode = (node.name.value === "node" && parent?.name.endsWith("Edge")) || (node.name.value === "nodes" && isConnectionType(parent));
        const type = getNamedType(typeInfo.getType());
        if (!isNode || !type || !isObjectType(type) || !("id" in type.getFields()) || !node.selectionSet) return undefined;
        if (fieldsOf(node.selectionSet).some((f) => f.name.value === "id" && !f.alias)) return undefined;
        const idField: FieldNode = { kind: Kind.FIELD, alias: { kind: Kind.NAME, value: INJECTED_ID }, name: { kind: Kind.NAME, value: "id" } };
        return { ...node, selectionSet: { ...node.selectionSet, selections: [...node.selectionSet.selections, idField] } };
      },
    }),
  );
}

interface Line {
  data: Json;
  parentId: string | null;
}

function nodesOf(value: Json, node: FieldNode): Json[] {
  const out: Json[] = [];
  for (const f of fieldsOf(node.selectionSet)) {
    const key = f.alias?.value ?? f.name.value;
    const v = value[key];
    if (!Array.isArray(v)) continue;
    if (f.name.value === "nodes") out.push(...(v as Json[]));
    if (f.name.value === "edges") {
      const nodeField = fieldsOf(f.selectionSet).find((x) => x.name.value === "node");
      for (const e of v as Json[]) {
        const n = e[nodeField?.alias?.value ?? "node"];
        if (n && typeof n === "object") out.push(n as Json);
      }
    }
  }
  return out;
}

function nodeSelection(node: FieldNode): FieldNode | undefined {
  for (const f of fieldsOf(node.selectionSet)) {
    if (f.name.value === "nodes") return f;
    if (f.name.value === "edges") return fieldsOf(f.selectionSet).find((x) => x.name.value === "node");
  }
  return undefined;
}

/**
 * Copies an object's selected fields, moving every connection found (at any depth of plain nested objects) to
 * `children` so they become their own lines.
 */
function splitObject(value: Json, set: SelectionSetNode | undefined, type: GraphQLNamedType, children: Array<{ items: Json[]; sel: FieldNode | undefined; type: GraphQLNamedType }>): Json {
  const out: Json = {};
  if (!isObjectType(type)) return value;
  for (const f of fieldsOf(set)) {
    const key = f.alias?.value ?? f.name.value;
    if (key === INJECTED_ID) continue;
    const v = value[key];
    const def = type.getFields()[f.name.value];
    const named = def ? getNamedType(def.type) : undefined;
    if (named && isConnectionType(named) && v && typeof v === "object") {
      const nodeField = nodeSelection(f);
      const nodeType = isObjectType(named) ? getNamedType(named.getFields().nodes?.type ?? named) : named;
      children.push({ items: nodesOf(v as Json, f), sel: nodeField, type: nodeType });
      continue;
    }
    if (named && isObjectType(named) && v && typeof v === "object") {
      out[key] = Array.isArray(v)
        ? (v as Json[]).map((item) => (item ? splitObject(item, f.selectionSet, named, children) : item))
        : splitObject(v as Json, f.selectionSet, named, children);
      continue;
    }
    out[key] = v;
  }
  return out;
}

function emit(value: Json, sel: FieldNode | undefined, type: GraphQLNamedType, parentId: string | null, lines: Line[]): void {
  const children: Array<{ items: Json[]; sel: FieldNode | undefined; type: GraphQLNamedType }> = [];
  const data = splitObject(value, sel?.selectionSet, type, children);
  lines.push({ data, parentId });
  const id = typeof value.id === "string" ? value.id : typeof value[INJECTED_ID] === "string" ? (value[INJECTED_ID] as string) : null;
  for (const c of children) for (const item of c.items) emit(item, c.sel, c.type, id, lines);
}

export function flattenToJsonl(doc: DocumentNode, data: Json): { jsonl: string; rootObjectCount: number; objectCount: number } {
  const { schema } = loadAdminSchema();
  const root = schema.getQueryType();
  const lines: Line[] = [];
  let rootObjectCount = 0;
  const op = doc.definitions.find((d) => d.kind === Kind.OPERATION_DEFINITION);
  if (!root || !op || op.kind !== Kind.OPERATION_DEFINITION) return { jsonl: "", rootObjectCount: 0, objectCount: 0 };
  for (const f of fieldsOf(op.selectionSet)) {
    const value = data[f.alias?.value ?? f.name.value];
    const def = root.getFields()[f.name.value];
    if (!def || !value || typeof value !== "object") continue;
    const named = getNamedType(def.type);
    if (isConnectionType(named) && isObjectType(named)) {
      const nodeType = getNamedType(named.getFields().nodes?.type ?? named);
      for (const n of nodesOf(value as Json, f)) {
        rootObjectCount++;
        emit(n, nodeSelection(f), nodeType, null, lines);
      }
    } else {
      rootObjectCount++;
      emit(value as Json, f, named, null, lines);
    }
  }
  const jsonl = lines.map((l) => JSON.stringify(l.parentId ? { ...l.data, __parentId: l.parentId } : l.data)).join("\n");
  return { jsonl: jsonl ? `${jsonl}\n` : "", rootObjectCount, objectCount: lines.length };
}

export function startBulkQuery(store: SimStore, shop: ShopRec, baseUrl: string, query: string): Outcome<BulkOperationRec> {
  const running = [...shop.bulkOperations.values()].filter((b) => b.status === "CREATED" || b.status === "RUNNING");
  if (running.length >= MAX_CONCURRENT) {
    return fail(`A shop can run at most ${MAX_CONCURRENT} bulk operations at a time.`, ["query"], "LIMIT_REACHED");
  }
  let doc: DocumentNode;
  try {
    doc = parse(query);
  } catch (err) {
    return fail(`Invalid bulk query: ${(err as GraphQLError).message}`, ["query"], "INVALID");
  }
  const { schema } = loadAdminSchema();
  const invalid = validateDocument(schema, doc);
  if (invalid.length) return fail(`Invalid bulk query: ${invalid.map((e) => e.message).join("; ")}`, ["query"], "INVALID");
  const shape = shapeErrors(doc);
  if (shape.length) return fail(`Invalid bulk query: ${shape.join(" ")}`, ["query"], "INVALID");
  const op: BulkOperationRec = {
    id: store.ids.next(),
    status: "CREATED",
    query,
    errorCode: null,
    createdAt: store.now(),
    completedAt: null,
    objectCount: 0,
    rootObjectCount: 0,
    jsonl: null,
  };
  shop.bulkOperations.set(op.id, op);
  store.later(0, () => {
    op.status = "RUNNING";
    store.later(store.settings.bulkDelayMs, () => {
      const runDoc = withNodeIds(doc);
      const ctx = { store, shop, unbounded: true, baseUrl };
      const result = execute({ schema, document: runDoc, rootValue: queryRoot(ctx), contextValue: ctx, fieldResolver: strictFieldResolver });
      if ("then" in result) throw new Error("bulk query resolvers must be synchronous");
      op.completedAt = store.now();
      if (result.errors?.length || !result.data) {
        op.status = "FAILED";
        op.errorCode = "INTERNAL_SERVER_ERROR";
        return;
      }
      const flat = flattenToJsonl(runDoc, result.data as Json);
      op.jsonl = flat.jsonl;
      op.objectCount = flat.objectCount;
      op.rootObjectCount = flat.rootObjectCount;
      op.status = "COMPLETED";
    });
  });
  return ok(op);
}
