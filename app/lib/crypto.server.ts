import { createCipheriv, createDecipheriv, randomBytes } from "node:crypto";
import { AppError } from "./errors";

/**
 * AES-256-GCM for secrets we keep at rest (Mirakl API keys). Stored form: `v1:<iv>:<tag>:<ciphertext>`,
 * base64url parts. The version prefix leaves room for key rotation without a migration.
 */
const VERSION = "v1";

function keyFrom(secret: string): Buffer {
  const key = Buffer.from(secret, secret.length === 64 && /^[0-9a-f]+$/i.test(secret) ? "hex" : "base64");
  if (key.length !== 32) throw new Error("ENCRYPTION_KEY must decode to 32 bytes (64 hex chars or base64)");
  return key;
}

export function encryptSecret(plain: string, secret: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", keyFrom(secret), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  const tag = cipher.getAuthTag();
  return [VERSION, iv.toString("base64url"), tag.toString("base64url"), data.toString("base64url")].join(":");
}

/**
 * A stored secret that cannot be decrypted: almost always because ENCRYPTION_KEY is not the key it was saved with
 * (rotated, or a database copied between environments). Retrying never helps, so it is not retryable; only
 * saving the secret again does. The message is for people: Node's own ("Unsupported state or unable to
 * authenticate data") says nothing a merchant can act on.
 */
export class SecretUnreadableError extends AppError {
  constructor(message = "The saved secret can't be read (the app's encryption key changed). Enter it again.", opts: { cause?: unknown; details?: Record<string, unknown> } = {}) {
    super(message, { code: "SECRET_UNREADABLE", retryable: false, cause: opts.cause, details: opts.details });
  }
}

export function decryptSecret(stored: string, secret: string): string {
  const key = keyFrom(secret); // a malformed ENCRYPTION_KEY is a configuration error, reported as such
  const [version, iv, tag, data] = stored.split(":");
  if (version !== VERSION || !iv || !tag || data === undefined) throw new SecretUnreadableError(undefined, { cause: "unrecognised stored format" });
  try {
    const decipher = createDecipheriv("aes-256-gcm", key, Buffer.from(iv, "base64url"));
    decipher.setAuthTag(Buffer.from(tag, "base64url"));
    return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
  } catch (err) {
    throw new SecretUnreadableError(undefined, { cause: err });
  }
}

/** What the UI may show of a key: its last four characters. */
export function lastFour(plain: string): string {
  return plain.slice(-4);
}
