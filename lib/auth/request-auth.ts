import type { NextRequest } from "next/server";
import { config } from "@/lib/config";
import { ForbiddenError, UnauthorizedError } from "@/lib/errors";
import { isSafeMethod } from "@/lib/http/methods";
import { loadPrincipal, type Principal } from "./principal";
import { sessionCookieName, sessionTokenFromCookie } from "./browser-session";
import { findActiveSession } from "./sessions";

export type RequestAuth = { principal: Principal; via: "bearer" | "cookie" };

/**
 * Authenticates an API request: a bearer session token (scripts, the manage
 * API's own clients) or the browser's next-auth cookie. Cookie-authenticated
 * writes must come from our own origin (CSRF protection).
 */
export async function authenticateRequest(req: NextRequest): Promise<RequestAuth | null> {
  const header = req.headers.get("authorization");
  if (header) {
    const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
    if (!match) throw new UnauthorizedError("Ungültiger Authorization-Header (erwartet: Bearer <token>).");
    const found = await findActiveSession(match[1]);
    if (!found) return null;
    return { principal: await loadPrincipal(found.user, found.session.id), via: "bearer" };
  }
  const token = await sessionTokenFromCookie(req.cookies.get(sessionCookieName())?.value);
  if (!token) return null;
  if (!isSafeMethod(req)) assertSameOrigin(req);
  const found = await findActiveSession(token);
  if (!found) return null;
  return { principal: await loadPrincipal(found.user, found.session.id), via: "cookie" };
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
