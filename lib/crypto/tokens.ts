import { createHash, randomBytes, timingSafeEqual } from "node:crypto";

/** A random, URL-safe secret with 256 bits of entropy. */
export function randomToken(bytes = 32): string {
  return randomBytes(bytes).toString("base64url");
}

/**
 * High-entropy tokens (sessions, reset links, API keys) are stored as SHA-256:
 * they cannot be guessed, so a slow hash adds nothing but latency.
 */
export function hashToken(token: string): string {
  return createHash("sha256").update(token, "utf8").digest("hex");
}

export function constantTimeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a, "utf8");
  const right = Buffer.from(b, "utf8");
  if (left.length !== right.length) {
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}
