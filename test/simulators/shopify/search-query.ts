/**
 * Shopify's search syntax for the `query:` argument of connections (orders, productVariants, inventoryItems ...):
 * `sku:A OR sku:B`, `tag:x -tag:y`, `updated_at:>'2026-01-01T00:00:00Z'`, `name:#1001`, `NOT`, parentheses,
 * quoted values and a trailing `*` wildcard. Terms are ANDed unless joined by OR.
 *
 * An unknown field is ignored (it matches everything) and reported as a warning, the way Shopify reports
 * "Invalid search field for this query." under `extensions.search` instead of failing the request.
 */

export type Comparator = ":" | ">" | ">=" | "<" | "<=";

export type SearchNode =
  | { kind: "and"; items: SearchNode[] }
  | { kind: "or"; items: SearchNode[] }
  | { kind: "not"; item: SearchNode }
  | { kind: "term"; field: string | null; op: Comparator; value: string };

type Token = { t: "(" } | { t: ")" } | { t: "word"; raw: string; negated: boolean };

function tokenize(input: string): Token[] {
  const out: Token[] = [];
  let i = 0;
  while (i < input.length) {
    const c = input.charAt(i);
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === "(" || c === ")") {
      out.push({ t: c });
      i++;
      continue;
    }
    let negated = false;
    if (c === "-" && i + 1 < input.length && !/\s/.test(input.charAt(i + 1))) {
      negated = true;
      i++;
    }
    let raw = "";
    while (i < input.length) {
      const ch = input.charAt(i);
      if (/\s/.test(ch) || ch === ")" || (ch === "(" && raw === "")) break;
      if (ch === '"' || ch === "'") {
        const end = input.indexOf(ch, i + 1);
        const stop = end === -1 ? input.length : end;
        raw += input.slice(i, stop + 1);
        i = stop + 1;
        continue;
      }
      raw += ch;
      i++;
    }
    if (raw === "" && !negated) {
      i++;
      continue;
    }
    out.push({ t: "word", raw, negated });
  }
  return out;
}

function unquote(value: string): string {
  const v = value.trim();
  if (v.length >= 2 && (v.startsWith('"') || v.startsWith("'")) && v.endsWith(v.charAt(0))) return v.slice(1, -1);
  return v;
}

function parseTerm(raw: string): SearchNode {
  const colon = raw.indexOf(":");
  // `gid://...` or a URL as free text is not a field term.
  if (colon <= 0 || raw.startsWith('"') || raw.startsWith("'")) {
    return { kind: "term", field: null, op: ":", value: unquote(raw) };
  }
  const field = raw.slice(0, colon).toLowerCase();
  let rest = raw.slice(colon + 1);
  let op: Comparator = ":";
  for (const candidate of [">=", "<=", ">", "<"] as const) {
    if (rest.startsWith(candidate)) {
      op = candidate;
      rest = rest.slice(candidate.length);
      break;
    }
  }
  return { kind: "term", field, op, value: unquote(rest) };
}

export function parseSearchQuery(input: string): SearchNode {
  const tokens = tokenize(input);
  let pos = 0;

  function parseOr(): SearchNode {
    const items: SearchNode[] = [parseAnd()];
    while (pos < tokens.length) {
      const tok = tokens[pos];
      if (tok && tok.t === "word" && !tok.negated && tok.raw === "OR") {
        pos++;
        items.push(parseAnd());
      } else break;
    }
    return items.length === 1 && items[0] ? items[0] : { kind: "or", items };
  }

  function parseAnd(): SearchNode {
    const items: SearchNode[] = [];
    while (pos < tokens.length) {
      const tok = tokens[pos];
      if (!tok || tok.t === ")") break;
      if (tok.t === "word" && !tok.negated && tok.raw === "OR") break;
      if (tok.t === "word" && !tok.negated && tok.raw === "AND") {
        pos++;
        continue;
      }
      items.push(parseUnary());
    }
    return items.length === 1 && items[0] ? items[0] : { kind: "and", items };
  }

  function parseUnary(): SearchNode {
    const tok = tokens[pos];
    if (!tok) return { kind: "and", items: [] };
    if (tok.t === "word" && !tok.negated && tok.raw === "NOT") {
      pos++;
      return { kind: "not", item: parseUnary() };
    }
    if (tok.t === "(") {
      pos++;
      const inner = parseOr();
      if (tokens[pos]?.t === ")") pos++;
      return inner;
    }
    pos++;
    if (tok.t === ")") return { kind: "and", items: [] };
    if (tok.negated && tok.raw === "") {
      // "-(...)"
      return { kind: "not", item: parseUnary() };
    }
    const term = parseTerm(tok.raw);
    return tok.negated ? { kind: "not", item: term } : term;
  }

  const root = parseOr();
  return root;
}

export type TermMatcher<T> = (item: T, op: Comparator, value: string) => boolean;

export interface SearchWarning {
  field: string;
  message: string;
}

export interface SearchSpec<T> {
  fields: Record<string, TermMatcher<T>>;
  /** Free text (no field): Shopify searches a set of default fields. */
  text: (item: T, value: string) => boolean;
}

/** Compiles a query into a predicate; unknown fields are collected as warnings and match everything. */
export function compileSearch<T>(
  query: string | null | undefined,
  spec: SearchSpec<T>,
): { predicate: (item: T) => boolean; warnings: SearchWarning[] } {
  const warnings: SearchWarning[] = [];
  if (!query || query.trim() === "") return { predicate: () => true, warnings };
  const ast = parseSearchQuery(query);
  const seen = new Set<string>();
  (function collect(node: SearchNode): void {
    if (node.kind === "term") {
      if (node.field !== null && !spec.fields[node.field] && !seen.has(node.field)) {
        seen.add(node.field);
        warnings.push({ field: node.field, message: "Invalid search field for this query." });
      }
    } else if (node.kind === "not") collect(node.item);
    else node.items.forEach(collect);
  })(ast);
  const evaluate = (node: SearchNode, item: T): boolean => {
    switch (node.kind) {
      case "and":
        return node.items.every((n) => evaluate(n, item));
      case "or":
        return node.items.some((n) => evaluate(n, item));
      case "not":
        return !evaluate(node.item, item);
      case "term": {
        if (node.field === null) return spec.text(item, node.value);
        const matcher = spec.fields[node.field];
        return matcher ? matcher(item, node.op, node.value) : true;
      }
    }
  };
  return { predicate: (item) => evaluate(ast, item), warnings };
}

/** Exact, case-insensitive string match; `*` at the end is a prefix wildcard; `field:*` means "has a value". */
export function matchString(candidates: ReadonlyArray<string | null | undefined>, op: Comparator, value: string): boolean {
  const present = candidates.filter((c): c is string => typeof c === "string" && c !== "");
  if (value === "*") return present.length > 0;
  const v = value.toLowerCase();
  if (op !== ":") return present.some((c) => compare(c.toLowerCase(), v, op));
  if (v.endsWith("*")) {
    const prefix = v.slice(0, -1);
    return present.some((c) => c.toLowerCase().startsWith(prefix));
  }
  return present.some((c) => c.toLowerCase() === v);
}

export function matchNumber(candidate: number | null, op: Comparator, value: string): boolean {
  if (candidate === null) return false;
  const n = Number(value);
  if (!Number.isFinite(n)) return false;
  return op === ":" ? candidate === n : compare(candidate, n, op);
}

/** Dates compare at second precision, the precision of Shopify's DateTime. Accepts ISO dates and date-times. */
export function matchDate(candidateMs: number | null, op: Comparator, value: string): boolean {
  if (candidateMs === null) return false;
  const parsed = Date.parse(value);
  if (Number.isNaN(parsed)) return false;
  const c = Math.floor(candidateMs / 1000);
  const v = Math.floor(parsed / 1000);
  if (op === ":") {
    // A bare date matches the whole (UTC) day.
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return c >= v && c < v + 86400;
    return c === v;
  }
  return compare(c, v, op);
}

function compare<V extends string | number>(a: V, b: V, op: Comparator): boolean {
  switch (op) {
    case ">":
      return a > b;
    case ">=":
      return a >= b;
    case "<":
      return a < b;
    case "<=":
      return a <= b;
    default:
      return a === b;
  }
}
