/**
 * Small SQL helpers for the inventory flow's raw statements. Timestamps travel as ISO strings and are turned into
 * the columns' `timestamp(3)` (UTC, as Prisma writes them) explicitly, whatever the session time zone; row sets
 * travel as one JSON parameter (jsonb_to_recordset), so a 5,000-row update is one statement with one parameter.
 */
export function utc(param: string): string {
  return `(${param}::timestamptz AT TIME ZONE 'UTC')`;
}

export function iso(d: Date): string {
  return d.toISOString();
}

export function chunked<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** Rows per JSON parameter: big enough to amortise the round trip, small enough to keep statements short. */
export const ROWS_PER_STATEMENT = 5_000;
