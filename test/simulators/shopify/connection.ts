/**
 * Relay connections as Shopify serves them: opaque base64 cursors, `first`/`last` required (except inside a bulk
 * operation, which walks everything), edges + nodes + pageInfo.
 */
import { GraphQLError } from "graphql";

export interface PageArgs {
  first?: number | null;
  after?: string | null;
  last?: number | null;
  before?: string | null;
  reverse?: boolean | null;
}

export interface ConnectionOptions<T> {
  id: (item: T) => number;
  /** Sort value (ascending before `reverse`); ties are broken by id. Defaults to the id. */
  sortValue?: (item: T) => number | string;
  view: (item: T) => unknown;
  /** Inside bulkOperationRunQuery: no page size limit (notes.md §4.7). */
  unbounded?: boolean;
}

/** Shopify's page size cap for connections (notes.md §4.8: arrays and pages are limited to 250). */
const MAX_PAGE = 250;

interface CursorData {
  last_id: number;
  last_value: number | string;
}

function encodeCursor(data: CursorData): string {
  return Buffer.from(JSON.stringify(data)).toString("base64");
}

function decodeCursor(cursor: string): CursorData {
  try {
    const parsed = JSON.parse(Buffer.from(cursor, "base64").toString("utf8")) as Partial<CursorData>;
    if (typeof parsed.last_id === "number" && parsed.last_value !== undefined) return parsed as CursorData;
  } catch {
    // fall through
  }
  throw new GraphQLError(`Invalid cursor for current pagination sort.`, { extensions: { code: "BAD_REQUEST" } });
}

export function connection<T>(all: readonly T[], args: PageArgs, opts: ConnectionOptions<T>): unknown {
  const sortValue = opts.sortValue ?? opts.id;
  const key = (item: T): CursorData => ({ last_id: opts.id(item), last_value: sortValue(item) });
  const cmp = (a: CursorData, b: CursorData): number => {
    if (a.last_value < b.last_value) return -1;
    if (a.last_value > b.last_value) return 1;
    return a.last_id - b.last_id;
  };
  const sign = args.reverse ? -1 : 1;
  const items = [...all].sort((a, b) => sign * cmp(key(a), key(b)));

  const first = args.first ?? null;
  const last = args.last ?? null;
  if (!opts.unbounded) {
    if (first === null && last === null) {
      throw new GraphQLError("you must provide one of first or last", { extensions: { code: "BAD_REQUEST" } });
    }
    for (const [name, value] of [["first", first], ["last", last]] as const) {
      if (value !== null && (value < 0 || value > MAX_PAGE)) {
        throw new GraphQLError(`The ${name} argument must be between 0 and ${MAX_PAGE}.`, {
          extensions: { code: "BAD_REQUEST" },
        });
      }
    }
  }

  let start = 0;
  let end = items.length;
  if (args.after) {
    const c = decodeCursor(args.after);
    const idx = items.findIndex((it) => sign * cmp(key(it), c) > 0);
    start = idx === -1 ? items.length : idx;
  }
  if (args.before) {
    const c = decodeCursor(args.before);
    const idx = items.findIndex((it) => sign * cmp(key(it), c) >= 0);
    end = idx === -1 ? items.length : idx;
  }
  let window = items.slice(start, Math.max(start, end));
  let hasNextPage = end < items.length;
  let hasPreviousPage = start > 0;
  if (!opts.unbounded && first !== null && window.length > first) {
    window = window.slice(0, first);
    hasNextPage = true;
  }
  if (!opts.unbounded && last !== null && window.length > last) {
    window = window.slice(window.length - last);
    hasPreviousPage = true;
  }
  const edges = window.map((item) => ({ cursor: encodeCursor(key(item)), node: opts.view(item) }));
  return {
    edges,
    nodes: edges.map((e) => e.node),
    pageInfo: {
      hasNextPage,
      hasPreviousPage,
      startCursor: edges[0]?.cursor ?? null,
      endCursor: edges[edges.length - 1]?.cursor ?? null,
    },
  };
}
