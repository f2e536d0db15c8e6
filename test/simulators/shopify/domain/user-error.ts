/**
 * Expected failures of a mutation, rendered as the payload's `userErrors` (Shopify returns them with HTTP 200 and
 * the mutation's data; codes are values of the mutation's own *UserErrorCode enum in the 2026-04 schema).
 */
export interface UserErr {
  field: string[] | null;
  message: string;
  code?: string;
  elementIndex?: number;
}

export type Outcome<T> = { ok: true; value: T } | { ok: false; userErrors: UserErr[] };

export function fail<T>(message: string, field: Array<string | number> | null, code?: string): Outcome<T> {
  return { ok: false, userErrors: [{ message, field: field ? field.map(String) : null, ...(code ? { code } : {}) }] };
}

export function failMany<T>(userErrors: UserErr[]): Outcome<T> {
  return { ok: false, userErrors };
}

export function ok<T>(value: T): Outcome<T> {
  return { ok: true, value };
}
