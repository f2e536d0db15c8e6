/**
 * Parsing of Mirakl query parameters: repeated and/or comma-separated lists (capped at 100 values, notes §5
 * gotcha 15), ISO-8601 dates and booleans, refused with 400 like Mirakl when malformed.
 */
import { badRequest } from "./sim-errors";

/** Values of a parameter that may be repeated and/or comma-separated. */
export function parseMultiValues({ query, name, max = 100 }: { query: URLSearchParams; name: string; max?: number }): string[] {
  const values = query
    .getAll(name)
    .flatMap((v) => v.split(","))
    .map((v) => v.trim())
    .filter((v) => v !== "");
  if (values.length > max) throw badRequest(`The limit of ${max} is exceeded for the parameter : ${name}`);
  return values;
}

export function parseDateParam({ query, name }: { query: URLSearchParams; name: string }): number | null {
  const raw = query.get(name);
  if (raw === null || raw === "") return null;
  const ms = Date.parse(raw);
  if (Number.isNaN(ms)) throw badRequest(`The parameter ${name} must be an ISO-8601 date-time (got '${raw}'). Did a '+' offset lose its URL encoding?`);
  return ms;
}

export function parseBooleanParam({ query, name }: { query: URLSearchParams; name: string }): boolean | null {
  const raw = query.get(name);
  if (raw === null) return null;
  if (raw === "true") return true;
  if (raw === "false") return false;
  throw badRequest(`The parameter ${name} must be true or false (got '${raw}').`);
}
