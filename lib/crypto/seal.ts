/**
 * Encryption at rest for values the server must read back later (a mail's
 * link or code until the transport has it). AES-256-GCM, random 96-bit IV,
 * key = HKDF-SHA256 of AUTH_SECRET with a per-purpose `info`, so each use has
 * its own key and no second secret has to be managed.
 * Format `v1.<iv>.<ciphertext>.<tag>` (base64url).
 */
import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from "node:crypto";
import { config } from "@/lib/config";

function key(info: string): Buffer {
  return Buffer.from(hkdfSync("sha256", config().AUTH_SECRET, "manage-portal", info, 32));
}

export function seal(plain: string, info: string): string {
  const iv = randomBytes(12);
  const cipher = createCipheriv("aes-256-gcm", key(info), iv);
  const data = Buffer.concat([cipher.update(plain, "utf8"), cipher.final()]);
  return ["v1", iv.toString("base64url"), data.toString("base64url"), cipher.getAuthTag().toString("base64url")].join(".");
}

export function unseal(sealed: string, info: string): string {
  const [version, iv, data, tag] = sealed.split(".");
  if (version !== "v1" || !iv || !data || !tag) throw new Error("unknown sealed format");
  const decipher = createDecipheriv("aes-256-gcm", key(info), Buffer.from(iv, "base64url"));
  decipher.setAuthTag(Buffer.from(tag, "base64url"));
  return Buffer.concat([decipher.update(Buffer.from(data, "base64url")), decipher.final()]).toString("utf8");
}
