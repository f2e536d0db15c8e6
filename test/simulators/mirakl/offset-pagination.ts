/**
 * Offset pagination (OR11, OF21; notes §1.5): max (default 10, capped at 100), offset, paginate=false, order,
 * and the RFC-5988 Link header with rel="next"/"previous" absolute URLs that clients follow.
 */
import { parseBooleanParam } from "./query-params";
import { badRequest } from "./sim-errors";

export function parseOffsetParams({ query, defaultMax = 10, capMax = 100 }: { query: URLSearchParams; defaultMax?: number; capMax?: number }) {
  const paginate = parseBooleanParam({ query, name: "paginate" }) ?? true;
  const maxRaw = query.get("max");
  const offsetRaw = query.get("offset");
  const max = maxRaw === null ? defaultMax : Number(maxRaw);
  const offset = offsetRaw === null ? 0 : Number(offsetRaw);
  if (!Number.isInteger(max) || max < 1) throw badRequest(`The parameter max must be a positive integer (got '${maxRaw}').`);
  if (!Number.isInteger(offset) || offset < 0) throw badRequest(`The parameter offset must be a non-negative integer (got '${offsetRaw}').`);
  const order = (query.get("order") ?? "asc").toLowerCase();
  if (order !== "asc" && order !== "desc") throw badRequest(`The parameter order must be asc or desc (got '${order}').`);
  // Larger pages are silently capped at 100, the documented maximum page size (notes §1.5).
  return { paginate, max: Math.min(max, capMax), offset, order: order as "asc" | "desc" };
}

export function buildLinkHeader({ baseUrl, path, query, offset, max, total }: { baseUrl: string; path: string; query: URLSearchParams; offset: number; max: number; total: number }): string | null {
  const parts: string[] = [];
  const at = (o: number) => {
    const q = new URLSearchParams(query);
    q.set("offset", String(o));
    q.set("max", String(max));
    return `<${baseUrl}${path}?${q.toString()}>`;
  };
  if (offset > 0) parts.push(`${at(Math.max(0, offset - max))}; rel="previous"`);
  if (offset + max < total) parts.push(`${at(offset + max)}; rel="next"`);
  return parts.length > 0 ? parts.join(", ") : null;
}
