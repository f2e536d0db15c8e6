/**
 * Mirakl's two pagination styles as async iterators (seller-api-notes §1.5).
 *
 * Offset (OR11, OF21): `max` + `offset`, `total_count` in the body. Default page size is 10 and forgetting `max`
 * silently drops data (gotcha 15), so callers pass max=100. We stop at total_count, and also on an empty page so a
 * total_count that shrinks mid-walk cannot loop forever.
 * Seek (ST11, TL02, SBC11): `limit` + opaque `page_token`; follow `next_page_token` until it is absent.
 */
import { responseShapeError } from "./errors";
import type { MiraklOperationId } from "./operations";

export interface OffsetPage<T> {
  items: readonly T[];
  totalCount: number;
}

export async function* paginateOffset<T>(input: {
  fetchPage: (page: { offset: number; max: number }) => Promise<OffsetPage<T>>;
  max: number;
}): AsyncGenerator<T, void, undefined> {
  let offset = 0;
  for (;;) {
    const page = await input.fetchPage({ offset, max: input.max });
    for (const item of page.items) yield item;
    offset += page.items.length;
    if (page.items.length === 0 || offset >= page.totalCount) return;
  }
}

export interface SeekPage<T> {
  items: readonly T[];
  nextPageToken?: string | null;
}

export async function* paginateSeek<T>(input: {
  operationId: MiraklOperationId;
  path: string;
  fetchPage: (pageToken: string | undefined) => Promise<SeekPage<T>>;
}): AsyncGenerator<T, void, undefined> {
  let token: string | undefined;
  const seen = new Set<string>();
  for (;;) {
    const page = await input.fetchPage(token);
    for (const item of page.items) yield item;
    const next = page.nextPageToken ?? undefined;
    if (next === undefined || next === "") return;
    if (seen.has(next)) {
      // A token we already followed would loop forever: stop loudly rather than truncate silently.
      throw responseShapeError({
        operationId: input.operationId,
        status: 200,
        write: false,
        path: input.path,
        issues: [],
        reason: "Mirakl returned a page token it had already returned",
      });
    }
    seen.add(next);
    token = next;
  }
}

/** Split a list into chunks (order_ids filters cap at 100 values: gotcha 15). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
