import { z } from "zod";
import type { ShopifyUserErrorEntry } from "./errors";

/** Lenient shape of one entry: field may be null or absent, code exists only on typed error classes. */
const userErrorSchema = z
  .object({
    field: z.array(z.union([z.string(), z.number()]).transform(String)).nullable().optional().catch(null),
    message: z.string().catch("(no message)"),
    code: z.string().nullable().optional().catch(null),
  })
  .passthrough();

/**
 * Collect the userErrors of every root field of a mutation response. Payloads name the list `userErrors`,
 * some use a prefixed name (orderCancel → `orderCancelUserErrors`, notes §4.2), so any key ending in
 * "userErrors" counts. Done on the raw JSON, before the operation's own schema, so an operation that forgot
 * to select or check them still cannot succeed silently.
 */
export function collectUserErrors(data: unknown): ShopifyUserErrorEntry[] {
  const out: ShopifyUserErrorEntry[] = [];
  if (data === null || typeof data !== "object") return out;
  for (const payload of Object.values(data as Record<string, unknown>)) {
    if (payload === null || typeof payload !== "object" || Array.isArray(payload)) continue;
    for (const [key, value] of Object.entries(payload as Record<string, unknown>)) {
      if (!/userErrors$/i.test(key) || !Array.isArray(value)) continue;
      for (const raw of value) {
        const parsed = userErrorSchema.safeParse(raw);
        if (!parsed.success) {
          out.push({ field: null, message: String(raw), code: null });
          continue;
        }
        out.push({
          field: parsed.data.field ?? null,
          message: parsed.data.message,
          code: parsed.data.code ?? null,
        });
      }
    }
  }
  return out;
}
