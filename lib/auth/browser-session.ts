import { decode } from "next-auth/jwt";
import { config } from "@/lib/config";

/** next-auth's cookie: `__Secure-` prefixed when the app is served over https. */
export function sessionCookieName() {
  return config().APP_URL.startsWith("https://") ? "__Secure-next-auth.session-token" : "next-auth.session-token";
}

/**
 * The portal session token inside next-auth's encrypted cookie. The cookie is
 * only a carrier: the session row in the database decides whether it is valid,
 * so logout, password change and suspension take effect at once.
 */
export async function sessionTokenFromCookie(cookieValue: string | undefined): Promise<string | null> {
  if (!cookieValue) return null;
  try {
    const jwt = await decode({ token: cookieValue, secret: config().AUTH_SECRET });
    return typeof jwt?.sessionToken === "string" ? jwt.sessionToken : null;
  } catch {
    return null;
  }
}
