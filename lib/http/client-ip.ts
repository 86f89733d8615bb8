import { config } from "@/lib/config";

/**
 * The client's address. Next.js (and each trusted proxy in front of it) appends
 * the peer address to X-Forwarded-For, so the entry TRUSTED_PROXY_HOPS from the
 * end is the one no client can forge.
 */
export function clientIp(headers: Headers): string {
  const forwarded = headers.get("x-forwarded-for");
  if (!forwarded) return headers.get("x-real-ip")?.trim() || "unknown";
  const hops = forwarded.split(",").map((s) => s.trim()).filter(Boolean);
  const index = Math.max(0, hops.length - Math.max(1, config().TRUSTED_PROXY_HOPS));
  return normalizeIp(hops[index] ?? "unknown");
}

function normalizeIp(ip: string) {
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}
