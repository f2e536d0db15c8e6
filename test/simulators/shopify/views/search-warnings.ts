/**
 * Unknown search fields are ignored by Shopify and reported in `extensions.search` (not as errors); the request
 * collects them here so the HTTP layer can add them to the response.
 */
import type { SearchWarning } from "../search-query";
import type { ViewCtx } from "./view-context";

export interface SearchReport {
  path: string[];
  query: string;
  warnings: SearchWarning[];
}

const reports = new WeakMap<ViewCtx, SearchReport[]>();

export function recordSearchWarnings(ctx: ViewCtx, path: string[], query: string | null | undefined, warnings: SearchWarning[]): void {
  if (!query || warnings.length === 0) return;
  const list = reports.get(ctx) ?? [];
  list.push({ path, query, warnings });
  reports.set(ctx, list);
}

export function searchReports(ctx: ViewCtx): SearchReport[] {
  return reports.get(ctx) ?? [];
}
