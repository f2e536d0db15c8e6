import { describe, expect, it } from "vitest";
import { decryptSecret, encryptSecret, SecretUnreadableError } from "./crypto.server";
import { isRetryable } from "./errors";

const KEY_A = "a".repeat(64);
const KEY_B = "b".repeat(64);

describe("secrets at rest", () => {
  it("round-trips with the same key", () => {
    expect(decryptSecret(encryptSecret("mirakl-key-1234", KEY_A), KEY_A)).toBe("mirakl-key-1234");
  });

  it("turns a changed encryption key into a typed, non-retryable error with a readable message", () => {
    const stored = encryptSecret("mirakl-key-1234", KEY_A);
    let caught: unknown;
    try {
      decryptSecret(stored, KEY_B);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SecretUnreadableError);
    expect(isRetryable(caught)).toBe(false);
    expect((caught as Error).message).toContain("encryption key changed");
    expect((caught as Error).message).not.toMatch(/unable to authenticate/i);
    expect(() => decryptSecret("garbage", KEY_A)).toThrow(SecretUnreadableError);
  });
});
