/**
 * Encryption at rest for secrets that must stay readable (TOTP secrets: the
 * server needs them to compute codes). AES-256-GCM with a random 96-bit IV;
 * the key is derived from AUTH_SECRET with HKDF-SHA256 (info
 * `manage-portal/totp-secret/v1`), so no second key has to be managed.
 * Stored as `v1.<iv>.<ciphertext>.<tag>` (base64url). Rotating AUTH_SECRET
 * makes stored secrets unreadable: the users then set up their app again
 * (staff can reset 2FA).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { config } from "@/lib/config";

const INFO = "manage-portal/totp-secret/v1";

function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", config().AUTH_SECRET, "manage-portal", INFO, 32));
}

export function sealSecret(plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), data.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

export function openSecret(sealed: string): string {
  const [version, iv, data, tag] = sealed.split(".");
  if (version !== "v1" || !iv || !data || !tag) throw new Error("unknown sealed secret format");
  const decipher = createDecipheriv("aes-256-gcm", key(), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
