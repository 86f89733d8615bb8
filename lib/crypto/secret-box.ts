/**
 * Encryption at rest for secrets the server must read back (TOTP secrets to
 * compute codes, webhook signing secrets to sign deliveries): a hash would
 * make them useless. AES-256-GCM with a random 96-bit IV; the key is derived
 * from AUTH_SECRET with HKDF-SHA256 and one `info` per purpose, so no second
 * key has to be managed and a ciphertext of one purpose never opens as another.
 * Stored as `v1.<iv>.<ciphertext>.<tag>` (base64url). Rotating AUTH_SECRET
 * makes stored secrets unreadable (users set up 2FA again, integrators rotate
 * their webhook secret).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { config } from "@/lib/config";

export type SecretPurpose = "totp-secret" | "webhook-secret";

function key(purpose: SecretPurpose): Buffer {
  return Buffer.from(hkdfSync("sha256", config().AUTH_SECRET, "manage-portal", `manage-portal/${purpose}/v1`, 32));
}

export function seal(purpose: SecretPurpose, plain: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(purpose), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), data.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

export function open(purpose: SecretPurpose, sealed: string): string {
  const [version, iv, data, tag] = sealed.split(".");
  if (version !== "v1" || !iv || !data || !tag) throw new Error("unknown sealed secret format");
  const decipher = createDecipheriv("aes-256-gcm", key(purpose), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
