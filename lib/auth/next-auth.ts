import type { AuthOptions } from "next-auth";
import CredentialsProvider from "next-auth/providers/credentials";
import { anonymousActor, principalActor } from "@/lib/activity";
import { config } from "@/lib/config";
import { BadRequestError, DomainError } from "@/lib/errors";
import { sessionCookieName, sessionTokenFromCookie } from "./browser-session";
import { parseCookieHeader, type DeviceCookie } from "./device-cookies";
import { completeBrowserTwoFactor, login, logout, passkeyLogin, type SessionGrant } from "./login";
import { passkeyAssertionBody } from "./schemas";
import { methodOfCode, SECOND_FACTOR_METHODS, type PasskeyProof, type SecondFactorMethod } from "./second-factor";
import { loadPrincipal } from "./principal";
import { findActiveSession } from "./sessions";
import { TwoFactorRequiredError } from "./two-factor";

function headerValue(headers: Record<string, unknown> | undefined, name: string): string | null {
  const value = headers?.[name];
  return typeof value === "string" ? value : Array.isArray(value) ? String(value[0]) : null;
}

/** The passkey answer the login form sends as JSON `{ challenge_id, response }`; anything else is no passkey. */
function parsePasskey(raw: string | undefined): PasskeyProof | null {
  if (!raw) return null;
  try {
    const parsed = passkeyAssertionBody.safeParse(JSON.parse(raw));
    return parsed.success ? (parsed.data as unknown as PasskeyProof) : null;
  } catch {
    return null;
  }
}

/**
 * Sets the device cookie of a finished sign-in on next-auth's answer (Next.js
 * adds cookies set during a route handler to its response). Outside a request
 * (unit tests calling `authorize` directly) there is no answer to set it on.
 */
async function setDeviceCookie(cookie: DeviceCookie | null | undefined) {
  if (!cookie) return;
  let store;
  try {
    const { cookies } = await import("next/headers");
    store = await cookies();
  } catch {
    return;
  }
  store.set(cookie.name, cookie.value, cookie.options);
}

/**
 * Browser sessions: next-auth's credentials provider calls the same login
 * service as the manage API and keeps the portal's session token inside its
 * encrypted cookie. The session row in PostgreSQL stays the source of truth.
 */
export function authOptions(): AuthOptions {
  const cfg = config();
  process.env.NEXTAUTH_URL ??= cfg.APP_URL;
  return {
    secret: cfg.AUTH_SECRET,
    session: { strategy: "jwt", maxAge: cfg.SESSION_TTL_HOURS * 3600 },
    pages: { signIn: "/login" },
    cookies: {
      sessionToken: {
        name: sessionCookieName(),
        options: { httpOnly: true, sameSite: "lax", path: "/", secure: cfg.APP_URL.startsWith("https://") },
      },
    },
    providers: [
      CredentialsProvider({
        name: "E-Mail und Passwort",
        credentials: {
          email: { label: "E-Mail", type: "email" },
          password: { label: "Passwort", type: "password" },
          challenge_token: { label: "Challenge", type: "text" },
          code: { label: "Code", type: "text" },
          method: { label: "Methode", type: "text" },
          passkey: { label: "Passkey", type: "text" },
        },
        async authorize(credentials, req) {
          const email = credentials?.email ?? "";
          const password = credentials?.password ?? "";
          const challengeToken = credentials?.challenge_token ?? "";
          const code = credentials?.code ?? "";
          const passkey = parsePasskey(credentials?.passkey);
          const method = (SECOND_FACTOR_METHODS as readonly string[]).includes(credentials?.method ?? "") ? (credentials?.method as SecondFactorMethod) : undefined;
          const headers = req?.headers as Record<string, unknown> | undefined;
          const { clientIp } = await import("@/lib/http/client-ip");
          const ip = clientIp(new Headers(Object.entries(headers ?? {}).filter(([, v]) => typeof v === "string") as [string, string][]));
          // A browser that signed in to the account before keeps its own allowance (lib/auth/device-cookies.ts).
          const deviceCookies = parseCookieHeader(headerValue(headers, "cookie"));
          const userAgent = headerValue(headers, "user-agent");
          const signedIn = async (result: SessionGrant) => {
            await setDeviceCookie(result.deviceCookie);
            return { id: result.user.id, email: result.user.email, name: result.user.name, sessionToken: result.token };
          };
          try {
            // Step 2 of a login with 2FA: challenge token + code (mail, app or recovery code) or a passkey.
            if (challengeToken) {
              if (!passkey && !methodOfCode(code)) {
                throw new BadRequestError("Bitte den Code eingeben: 6 Ziffern aus der App, 8 Ziffern aus der E-Mail oder einen Wiederherstellungscode.");
              }
              return signedIn(await completeBrowserTwoFactor(anonymousActor(ip), { challengeToken, code, method, passkey: passkey ?? undefined, userAgent, deviceCookies }));
            }
            // "Mit Passkey anmelden": the passkey alone.
            if (passkey) return signedIn(await passkeyLogin(anonymousActor(ip), { passkey, userAgent, deviceCookies }));
            if (!email || !password) throw new BadRequestError("Bitte E-Mail-Adresse und Passwort angeben.");
            return signedIn(await login(anonymousActor(ip), { email, password, userAgent, deviceCookies, door: "browser" }));
          } catch (error) {
            // The login form reads "2FA_REQUIRED:<challenge token>" and shows the code step.
            if (error instanceof TwoFactorRequiredError) throw new Error(error.message);
            if (error instanceof DomainError) throw new Error(error.message);
            throw new Error("Die Anmeldung ist gerade nicht möglich. Bitte später erneut versuchen.");
          }
        },
      }),
    ],
    callbacks: {
      async jwt({ token, user }) {
        if (user && "sessionToken" in user) token.sessionToken = user.sessionToken as string;
        return token;
      },
      async session({ session }) {
        // The portal token never reaches browser JavaScript.
        return session;
      },
    },
    events: {
      async signOut({ token }) {
        const sessionToken = typeof token?.sessionToken === "string" ? token.sessionToken : null;
        if (!sessionToken) return;
        const found = await findActiveSession(sessionToken);
        if (!found) return;
        // next-auth's sign-out event knows no request, so the entry has no address.
        await logout(principalActor(await loadPrincipal(found.user, found.session.id), null), { sessionId: found.session.id, door: "browser" });
      },
    },
  };
}

export { sessionCookieName, sessionTokenFromCookie };
