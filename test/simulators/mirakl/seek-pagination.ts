/**
 * Seek pagination (TL02, SBC11, ST11; notes §1.5): `limit` + opaque `page_token`. A token carries the query it
 * was minted for, because "when page_token is present all other filter params are ignored".
 */
import { badRequest } from "./sim-errors";

export interface SeekRequest {
  offset: number;
  limit: number;
  query: URLSearchParams;
}

export function resolveSeek({ query, maxLimit, defaultLimit = 10 }: { query: URLSearchParams; maxLimit: number; defaultLimit?: number }): SeekRequest {
  const token = query.get("page_token");
  if (token) {
    try {
      const decoded = new URLSearchParams(Buffer.from(token, "base64url").toString("utf8"));
      const offset = Number(decoded.get("offset"));
      const limit = Number(decoded.get("limit"));
      if (!Number.isInteger(offset) || offset < 0 || !Number.isInteger(limit) || limit < 1) throw new Error("bad token");
      return { offset, limit, query: new URLSearchParams(decoded.get("query") ?? "") };
    } catch {
      throw badRequest("The page_token is invalid.");
    }
  }
  const raw = query.get("limit");
  const limit = raw === null ? defaultLimit : Number(raw);
  if (!Number.isInteger(limit) || limit < 1 || limit > maxLimit) {
    throw badRequest(`The limit must be an integer between 1 and ${maxLimit}.`);
  }
  const rest = new URLSearchParams(query);
  rest.delete("limit");
  rest.delete("page_token");
  return { offset: 0, limit, query: rest };
}

function mint({ offset, limit, query }: SeekRequest): string {
  return Buffer.from(new URLSearchParams({ offset: String(offset), limit: String(limit), query: query.toString() }).toString(), "utf8").toString("base64url");
}

export function seekPage<T>({ items, seek }: { items: readonly T[]; seek: SeekRequest }): { data: T[]; next_page_token: string | null; previous_page_token: string | null } {
  const data = items.slice(seek.offset, seek.offset + seek.limit);
  const hasNext = seek.offset + seek.limit < items.length;
  return {
    data,
    next_page_token: hasNext ? mint({ ...seek, offset: seek.offset + seek.limit }) : null,
    previous_page_token: seek.offset > 0 ? mint({ ...seek, offset: Math.max(0, seek.offset - seek.limit) }) : null,
  };
}


