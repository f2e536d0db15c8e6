import { createHash } from "node:crypto";
import { ValidationError } from "../lib/errors";

/** Fixed namespace for this app's keys (a random UUID chosen once; changing it would change every key). */
const NAMESPACE = "5d0f3c1e-8b7a-4f1e-9c55-2b6f0a9d7e41";

function uuidBytes(uuid: string): Buffer {
  return Buffer.from(uuid.replace(/-/g, ""), "hex");
}

/**
 * Deterministic idempotency key for a business event: a name-based UUID (RFC 4122 version 5) over the
 * parts, e.g. ["refund", shop, miraklOrderId, miraklRefundId]. Shopify recommends UUIDs for @idempotent
 * keys; deriving it from the event (not random per attempt) is what makes the job runner's retry after a
 * timeout hit the same key, so Shopify replays the first result instead of refunding twice (notes §4.2, §4.5).
 * A key reused with different variables gives IDEMPOTENCY_KEY_PARAMETER_MISMATCH, so include in the parts
 * everything that distinguishes one intended operation from another.
 */
export function deriveIdempotencyKey(parts: readonly (string | number)[]): string {
  if (parts.length === 0) throw new ValidationError("deriveIdempotencyKey needs at least one part");
  const name = parts.map((p) => String(p).replace(/\\/g, "\\\\").replace(/\|/g, "\\|")).join("|");
  const hash = createHash("sha1").update(uuidBytes(NAMESPACE)).update(name, "utf8").digest();
  const b = hash.subarray(0, 16);
  b[6] = ((b[6] ?? 0) & 0x0f) | 0x50;
  b[8] = ((b[8] ?? 0) & 0x3f) | 0x80;
  const hex = b.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`;
}
