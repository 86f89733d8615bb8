import { eq } from "drizzle-orm";
import type { NextRequest } from "next/server";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { sessionCookieName, sessionTokenFromCookie } from "@/lib/auth/browser-session";
import { loadPrincipal, type Principal } from "@/lib/auth/principal";
import { assertSameOrigin } from "@/lib/auth/request-auth";
import { findActiveSession } from "@/lib/auth/sessions";
import { findApiKey, isPat, type ApiKeyScope } from "./api-keys";
import { V1Error } from "./errors";
import { looksLikeJwt, verifyJwt } from "./jwt";
import { familyIsActive } from "./tokens";

export type V1Auth = {
  principal: Principal;
  /** jwt = access token of /auth/login, pat = personal access token, browser = the portal's own session cookie. */
  via: "jwt" | "pat" | "browser";
  scope: ApiKeyScope;
  familyId: string | null;
  apiKeyId: string | null;
};

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

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
    const payload = await verifyJwt(token, "access");
    const userId = String(payload.sub);
    const familyId = typeof payload.sid === "string" ? payload.sid : "";
    if (!familyId || !(await familyIsActive(familyId, userId).catch(() => false))) {
      throw new V1Error(401, "token_revoked", "Die Sitzung wurde beendet. Bitte neu anmelden.");
    }
    const db = await getDb();
    const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
    if (!user || !user.active) throw unauthenticated("Das Konto ist nicht mehr aktiv.");
    return { principal: await loadPrincipal(user, null), via: "jwt", scope: "read_write", familyId, apiKeyId: null };
  }
  const sessionToken = await sessionTokenFromCookie(req.cookies.get(sessionCookieName())?.value);
  if (!sessionToken) throw unauthenticated();
  if (!SAFE_METHODS.has(req.method.toUpperCase())) assertSameOrigin(req);
  const found = await findActiveSession(sessionToken);
  if (!found) throw unauthenticated("Nicht angemeldet oder Sitzung abgelaufen.");
  return { principal: await loadPrincipal(found.user, found.session.id), via: "browser", scope: "read_write", familyId: null, apiKeyId: null };
}
