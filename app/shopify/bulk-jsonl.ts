import { ShopifyBulkResultError } from "./errors";

export type JsonObject = Record<string, unknown>;

export interface BulkGroup {
  /** A top-level object of the bulk query (no __parentId). */
  node: JsonObject;
  /** Objects of nested connections whose __parentId points at `node` (or at an object nested inside it). */
  children: JsonObject[];
}

/**
 * Lines of a JSONL stream as objects, reading chunk by chunk: memory is bounded by the longest line, not by
 * the file (bulk results for a large catalogue run to hundreds of MB, notes §4.7).
 */
export async function* parseJsonl(source: AsyncIterable<Uint8Array | string>): AsyncGenerator<JsonObject, void, undefined> {
  const decoder = new TextDecoder("utf-8");
  let buffer = "";
  let lineNo = 0;
  const parseLine = (line: string): JsonObject | undefined => {
    lineNo += 1;
    const trimmed = line.trim();
    if (trimmed.length === 0) return undefined;
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch {
      throw new ShopifyBulkResultError(`Bulk result line ${lineNo} is not JSON`, { line: lineNo });
    }
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      throw new ShopifyBulkResultError(`Bulk result line ${lineNo} is not an object`, { line: lineNo });
    }
    return value as JsonObject;
  };
  for await (const chunk of source) {
    buffer += typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    let nl = buffer.indexOf("\n");
    while (nl >= 0) {
      const obj = parseLine(buffer.slice(0, nl));
      buffer = buffer.slice(nl + 1);
      if (obj) yield obj;
      nl = buffer.indexOf("\n");
    }
  }
  buffer += decoder.decode();
  const last = parseLine(buffer);
  if (last) yield last;
}

/** Every `id` found in an object and the objects nested in it (not in arrays), e.g. variant and inventoryItem. */
function collectIds(obj: JsonObject, out: Set<string>, depth = 0): void {
  if (depth > 4) return;
  if (typeof obj.id === "string") out.add(obj.id);
  for (const [k, v] of Object.entries(obj)) {
    if (k === "__parentId" || v === null || typeof v !== "object" || Array.isArray(v)) continue;
    collectIds(v as JsonObject, out, depth + 1);
  }
}

/**
 * Group a bulk result by parent, streaming. Children of a nested connection are separate lines carrying
 * `__parentId` and come after their parent (notes §4.7). With `groupObjects: true` they directly follow it,
 * which is what lets this keep only the current group in memory; a child whose parent is not the current
 * group means the file was produced without grouping, and is reported rather than silently dropped.
 *
 * __parentId names the nearest ancestor *with an id*; for productVariants → inventoryItem → inventoryLevels
 * that may be the variant or its inventory item, so every id inside the parent line is accepted.
 */
export async function* groupByParent(lines: AsyncIterable<JsonObject>): AsyncGenerator<BulkGroup, void, undefined> {
  let current: BulkGroup | undefined;
  let currentIds = new Set<string>();
  for await (const line of lines) {
    const parentId = line.__parentId;
    if (parentId === undefined) {
      if (current) yield current;
      current = { node: line, children: [] };
      currentIds = new Set<string>();
      collectIds(line, currentIds);
      continue;
    }
    if (typeof parentId !== "string" || !current || !currentIds.has(parentId)) {
      throw new ShopifyBulkResultError("Bulk result child does not follow its parent (was groupObjects enabled?)", {
        parentId: typeof parentId === "string" ? parentId : String(parentId),
      });
    }
    current.children.push(line);
    // A grandchild may point at this child (nesting depth 2); accept its ids too.
    collectIds(line, currentIds);
  }
  if (current) yield current;
}
