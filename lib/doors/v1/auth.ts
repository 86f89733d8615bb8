import type { NextRequest } from "next/server";
import { findApiKey, isPat, type ApiKeyScope } from "@/lib/auth/api-keys";
import { sessionCookieName, sessionTokenFromCookie } from "@/lib/auth/browser-session";
import { looksLikeJwt } from "@/lib/auth/jwt";
import { loadPrincipal, type Principal } from "@/lib/auth/principal";
import { assertSameOrigin } from "@/lib/auth/request-auth";
import { findActiveSession } from "@/lib/auth/sessions";
import { resolveAccessToken, type OwnInstance } from "@/lib/auth/token-families";
import { isSafeMethod } from "@/lib/http/methods";
import { V1Error } from "./errors";

/**
 * The v1 door's request authentication: which credential the request carries
 * and how a missing or bad one is answered (401 with `WWW-Authenticate`).
 * Checking the credentials themselves is the auth domain's (`lib/auth/`).
 */
export type V1Auth = {
  principal: Principal;
  /** jwt = access token of /auth/login, pat = personal access token, browser = the portal's own session cookie. */
  via: "jwt" | "pat" | "browser";
  scope: ApiKeyScope;
  familyId: string | null;
  apiKeyId: string | null;
  /** The caller's own instance when the credential's query read it along (access JWT); undefined: not read. */
  ownInstance?: OwnInstance | null;
};

export function unauthenticated(message = "Nicht angemeldet: Bitte einen gültigen Bearer-Token mitsenden.") {
  return new V1Error(401, "unauthorized", message, {}, { "WWW-Authenticate": 'Bearer realm="api-v1"' });
}

export function bearerToken(req: NextRequest): string | null {
  const header = req.headers.get("authorization");
  if (!header) return null;
  const match = /^Bearer\s+(\S+)$/i.exec(header.trim());
  if (!match) throw unauthenticated("Ungültiger Authorization-Header (erwartet: Bearer <token>).");
  return match[1];
}

/**
 * Authenticates a v1 request: an access JWT, a personal access token, or (for
 * the portal's own pages) the browser session cookie with the CSRF origin check.
 */
export async function authenticateV1(req: NextRequest): Promise<V1Auth> {
  const token = bearerToken(req);
  if (token) {
    if (isPat(token)) {
      const found = await findApiKey(token);
      if (!found) throw unauthenticated("Der API-Schlüssel ist ungültig, abgelaufen oder widerrufen.");
      return { principal: await loadPrincipal(found.user, null), via: "pat", scope: found.key.scope, familyId: null, apiKeyId: found.key.id };
    }
    if (!looksLikeJwt(token)) throw unauthenticated("Der Token ist ungültig.");
    const found = await resolveAccessToken(token);
    if (!found) throw unauthenticated("Das Konto ist nicht mehr aktiv.");
    return { principal: found.principal, via: "jwt", scope: "read_write", familyId: found.familyId, apiKeyId: null, ownInstance: found.ownInstance };
  }
  const sessionToken = await sessionTokenFromCookie(req.cookies.get(sessionCookieName())?.value);
  if (!sessionToken) throw unauthenticated();
  if (!isSafeMethod(req)) assertSameOrigin(req);
  const found = await findActiveSession(sessionToken);
  if (!found) throw unauthenticated("Nicht angemeldet oder Sitzung abgelaufen.");
  return { principal: await loadPrincipal(found.user, found.session.id), via: "browser", scope: "read_write", familyId: null, apiKeyId: null };
}
