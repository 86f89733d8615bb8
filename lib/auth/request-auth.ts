import type { NextRequest } from "next/server";
import { config } from "@/lib/config";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";
import { isSafeMethod } from "@/lib/http/methods";
import type { InstanceContext } from "@/lib/instances/present";
import { loadSessionPrincipal, type Principal } from "./principal";
import { sessionCookieName, sessionTokenFromCookie } from "./browser-session";

/** `instance`: the principal's own instance context, loaded in the same query as the session. */
export type RequestAuth = { principal: Principal; via: "bearer" | "cookie"; instance?: InstanceContext | null };

/**
 * Authenticates an API request: a bearer session token (scripts, the manage
 * API's own clients) or the browser's next-auth cookie. Cookie-authenticated
 * writes must come from our own origin (CSRF protection). One query loads
 * session, user, roles and the user's instance (`loadSessionPrincipal`).
 */
export async function authenticateRequest(req: NextRequest): Promise<RequestAuth | null> {
  const header = req.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw new UnauthorizedError("Ungültiger Authorization-Header (erwartet: Bearer <token>).");
    const found = await loadSessionPrincipal(match[1]);
    if (!found) return null;
    return { principal: found.principal, via: "bearer", instance: found.instance };
  }
  const token = await sessionTokenFromCookie(req.cookies.get(sessionCookieName())?.value);
  if (!token) return null;
  if (!isSafeMethod(req)) assertSameOrigin(req);
  const found = await loadSessionPrincipal(token);
  if (!found) return null;
  return { principal: found.principal, via: "cookie", instance: found.instance };
}

export function assertSameOrigin(req: NextRequest) {
  const fetchSite = req.headers.get("sec-fetch-site");
  if (fetchSite && fetchSite !== "same-origin") {
    throw new ForbiddenError("Anfrage von fremder Herkunft abgelehnt (CSRF-Schutz).");
  }
  const origin = req.headers.get("origin");
  if (!origin) {
    if (fetchSite === "same-origin") return;
    throw new ForbiddenError("Anfrage ohne Origin abgelehnt (CSRF-Schutz).");
  }
  const allowed = new Set([new URL(config().APP_URL).host]);
  const host = req.headers.get("x-forwarded-host") ?? req.headers.get("host");
  if (host) allowed.add(host);
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    throw new ForbiddenError("Anfrage mit ungültigem Origin abgelehnt (CSRF-Schutz).");
  }
  if (!allowed.has(originHost)) throw new ForbiddenError("Anfrage von fremder Herkunft abgelehnt (CSRF-Schutz).");
}
