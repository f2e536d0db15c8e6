/**
 * Lenient zod building blocks for Mirakl responses.
 *
 * Mirakl promises new fields and new enum values at any time (seller-api-notes §1.8, gotcha 17), sends numbers as
 * numeric strings in places (§1.6: `"quantity": "5000"`, tax `"amount": "1"`) and `null` for absent values. So:
 * objects pass unknown keys through, enums are plain strings, numbers accept numeric strings, ids accept numbers,
 * and everything that is not essential to the integration is nullish.
 */
import { z } from "zod";

const NUMERIC = /^\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*$/;

/** A number that may arrive as a numeric string ("12.50"). */
export const num = z.preprocess((v) => (typeof v === "string" && NUMERIC.test(v) ? Number(v) : v), z.number());

/** An identifier or code that Mirakl may send as a number on older tenants (reason codes, line ids: gotcha 21). */
export const id = z.preprocess((v) => (typeof v === "number" || typeof v === "bigint" ? String(v) : v), z.string());

/** A boolean that may arrive as "true"/"false". */
export const flag = z.preprocess((v) => (v === "true" ? true : v === "false" ? false : v), z.boolean());

/** Free text or an enum value: enums stay plain strings so a new value never breaks parsing (gotcha 17). */
export const text = id;

/** An object that keeps fields we do not know about (new Mirakl fields must not break us). */
export function loose<T extends z.ZodRawShape>(shape: T) {
  return z.object(shape).passthrough();
}

/** An optional list: absent or null becomes [], so callers never test for both. */
export function list<T extends z.ZodTypeAny>(item: T) {
  return z
    .array(item)
    .nullish()
    .transform((v): z.output<T>[] => v ?? []);
}

/** A date-time as Mirakl sends it (ISO-8601, UTC, sometimes with milliseconds); kept as a string. */
export const dateTime = z.string();
