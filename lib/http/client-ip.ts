import { config } from "@/lib/config";

/**
 * The client's address, as used for rate limits and the activity log. It must
 * be one the client cannot choose.
 *
 * In production every request passes the portal's own HTTP server
 * (scripts/server.ts, `npm start` / `npm run demo`). That server removes any
 * client-sent CLIENT_IP_HEADER and sets it from the socket's peer address, or,
 * with TRUSTED_PROXY_HOPS=N > 0, from the N-th X-Forwarded-For entry from the
 * end (each trusted proxy appends the address it saw). See
 * `resolveClientAddress` in lib/observability/request.ts.
 *
 * Without that header (route handlers called in-process by tests, or a bare
 * `next start`) the same rule is applied to the headers alone: X-Forwarded-For
 * only when proxies are configured, else X-Real-IP, else "unknown" (everyone
 * then shares one budget, which fails closed).
 */
export const CLIENT_IP_HEADER = "x-manage-client-ip";

const served = globalThis as unknown as { __managePortalServer?: boolean };

export function clientIp(headers: Headers): string {
  const fromServer = headers.get(CLIENT_IP_HEADER)?.trim();
  // A bare `next start` in production would pass a client-sent header through unchecked.
  if (fromServer && (served.__managePortalServer || process.env.NODE_ENV !== "production")) return normalizeIp(fromServer);
  const hops = config().TRUSTED_PROXY_HOPS;
  if (hops > 0) {
    const fromProxy = forwardedEntry(headers.get("x-forwarded-for"), hops);
    if (fromProxy) return normalizeIp(fromProxy);
  }
  return normalizeIp(headers.get("x-real-ip")?.trim() || "unknown");
}

/** The entry `hops` places from the end of an X-Forwarded-For list; undefined when the list is shorter. */
export function forwardedEntry(header: string | null | undefined, hops: number): string | undefined {
  if (!header || hops < 1) return undefined;
  const entries = header.split(",").map((s) => s.trim()).filter(Boolean);
  return entries.length >= hops ? entries[entries.length - hops] : undefined;
}

export function normalizeIp(ip: string) {
  return ip.startsWith("::ffff:") ? ip.slice(7) : ip;
}

/** Set by the portal's HTTP server when it hosts Next in this process. */
export function markServedByPortalServer() {
  served.__managePortalServer = true;
}
