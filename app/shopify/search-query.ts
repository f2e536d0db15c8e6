import { ValidationError } from "../lib/errors";

/**
 * Building Shopify search-syntax strings (the `query:` argument of orders, productVariants, ...).
 *
 * Values are always quoted: a quoted value may contain whitespace and the special characters `: \ ( )` that
 * would otherwise split or re-parse the term (shopify.dev/docs/api/usage/search-syntax: "single or double
 * quotes are both permitted"). Single quotes by default; double quotes when the value contains a single
 * quote but no double quote, so no quote escape is needed at all; only a value holding both kinds relies on
 * a backslash escape. Backslashes are escaped (a special character). Callers re-check results exactly
 * (search matching is tokenised), so an escape Shopify reads differently can cost a match, never a false one.
 * The result travels as a GraphQL *variable*, so no GraphQL string escaping is involved.
 */
export function quoteSearchValue(value: string): string {
  const escaped = value.replace(/\\/g, "\\\\");
  if (!escaped.includes("'")) return `'${escaped}'`;
  if (!escaped.includes('"')) return `"${escaped}"`;
  return `'${escaped.replace(/'/g, "\\'")}'`;
}

export function searchTerm(field: string, value: string): string {
  if (!/^[a-z_][a-z0-9_.{}-]*$/i.test(field)) throw new ValidationError(`Invalid search field name "${field}"`);
  return `${field}:${quoteSearchValue(value)}`;
}

/** `field:'a' OR field:'b' ...` */
export function anyOf(field: string, values: readonly string[]): string {
  return values.map((v) => searchTerm(field, v)).join(" OR ");
}

/**
 * Split values into groups whose OR-query stays within both a term count and a character budget: Shopify
 * rejects or truncates very long search strings (exact limit undocumented), and 250 results per page is the
 * connection maximum (notes §4.8), so a group must not normally match more than one page.
 */
export function chunkSearchValues(
  field: string,
  values: readonly string[],
  opts: { maxTerms: number; maxLength: number },
): string[][] {
  const groups: string[][] = [];
  let current: string[] = [];
  let length = 0;
  for (const v of values) {
    const termLength = searchTerm(field, v).length + (current.length > 0 ? 4 : 0);
    if (current.length > 0 && (current.length >= opts.maxTerms || length + termLength > opts.maxLength)) {
      groups.push(current);
      current = [];
      length = 0;
    }
    current.push(v);
    length += current.length === 1 ? searchTerm(field, v).length : termLength;
  }
  if (current.length > 0) groups.push(current);
  return groups;
}
