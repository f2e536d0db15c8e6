import type { PageInfo } from "./schemas";

export interface Page<N> {
  nodes: N[];
  pageInfo: PageInfo;
}

/**
 * Cursor pagination as an async iterator (design/README §3, "pagination as async iterators"). Stops at
 * `maxPages` as a guard against a cursor that never ends; Shopify caps pagination at 25,000 objects anyway
 * (notes §4.8).
 */
export async function* paginate<N>(
  fetchPage: (after: string | null) => Promise<Page<N>>,
  opts: { maxPages?: number } = {},
): AsyncGenerator<N, void, undefined> {
  const maxPages = opts.maxPages ?? 1_000;
  let after: string | null = null;
  for (let page = 0; page < maxPages; page++) {
    const res: Page<N> = await fetchPage(after);
    for (const n of res.nodes) yield n;
    if (!res.pageInfo.hasNextPage || !res.pageInfo.endCursor) return;
    after = res.pageInfo.endCursor;
  }
}

export async function collect<N>(iter: AsyncIterable<N>): Promise<N[]> {
  const out: N[] = [];
  for await (const n of iter) out.push(n);
  return out;
}
