import { encode } from "next-auth/jwt";
import { describe, expect, it } from "vitest";
import { PUT as changePassword } from "@/app/api/manage/auth/password/route";
import { GET as me } from "@/app/api/manage/auth/me/route";
import { POST as logout } from "@/app/api/manage/auth/logout/route";
import { DEMO_PASSWORD } from "@/db/seed";
import { sessionCookieName } from "@/lib/auth/browser-session";
import { authOptions } from "@/lib/auth/next-auth";
import { config } from "@/lib/config";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

useTestDatabase();

/** Signs in through next-auth's credentials provider, as the login page does, and builds its cookie. */
async function browserCookie(email: string, password = DEMO_PASSWORD) {
  const provider = authOptions().providers[0] as unknown as {
    options: { authorize: (c: Record<string, string>, req: unknown) => Promise<{ sessionToken: string } | null> };
  };
  const user = await provider.options.authorize({ email, password }, { headers: { "x-forwarded-for": "198.19.0.1" } });
  const jwt = await encode({ token: { sub: email, sessionToken: user!.sessionToken }, secret: config().AUTH_SECRET });
  return `${sessionCookieName()}=${jwt}`;
}

const body = { current_password: DEMO_PASSWORD, password: "geaendert-123", password_confirmation: "geaendert-123" };

describe("browser sessions (next-auth cookie)", () => {
  it("authenticate API reads with the cookie", async () => {
    const cookie = await browserCookie("admin@firma.de");
    const res = await call(me, "GET", "/api/manage/auth/me", { headers: { cookie } });
    expect(res.status).toBe(200);
    expect(res.json.user.email).toBe("admin@firma.de");
  });

  it("refuse cookie-authenticated writes from another origin (CSRF)", async () => {
    const cookie = await browserCookie("admin@firma.de");
    const foreign = await call(changePassword, "PUT", "/api/manage/auth/password", {
      body,
      headers: { cookie, origin: "https://evil.example", host: "localhost:3000" },
    });
    expect(foreign.status).toBe(403);
    expect(foreign.json.message).toMatch(/CSRF/);
    const crossSite = await call(changePassword, "PUT", "/api/manage/auth/password", {
      body,
      headers: { cookie, "sec-fetch-site": "cross-site", origin: "http://localhost:3000", host: "localhost:3000" },
    });
    expect(crossSite.status).toBe(403);
    const noOrigin = await call(changePassword, "PUT", "/api/manage/auth/password", { body, headers: { cookie, host: "localhost:3000" } });
    expect(noOrigin.status).toBe(403);
  });

  it("accept cookie-authenticated writes from the portal's own origin", async () => {
    const cookie = await browserCookie("it@bergmann-logistik.de");
    const res = await call(changePassword, "PUT", "/api/manage/auth/password", {
      body,
      headers: { cookie, origin: "http://localhost:3000", host: "localhost:3000", "sec-fetch-site": "same-origin" },
    });
    expect(res.status).toBe(200);
  });

  it("are revoked at once by logout, even though the cookie itself has not expired", async () => {
    const cookie = await browserCookie("admin@firma.de");
    const headers = { cookie, origin: "http://localhost:3000", host: "localhost:3000" };
    expect((await call(logout, "POST", "/api/manage/auth/logout", { headers })).status).toBe(200);
    expect((await call(me, "GET", "/api/manage/auth/me", { headers: { cookie } })).status).toBe(401);
  });

  it("ignore a forged cookie", async () => {
    const jwt = await encode({ token: { sessionToken: "erfunden" }, secret: "x".repeat(40) });
    const res = await call(me, "GET", "/api/manage/auth/me", { headers: { cookie: `${sessionCookieName()}=${jwt}` } });
    expect(res.status).toBe(401);
  });

  it("reject wrong credentials in the provider with the German message", async () => {
    const provider = authOptions().providers[0] as unknown as {
      options: { authorize: (c: Record<string, string>, req: unknown) => Promise<unknown> };
    };
    await expect(provider.options.authorize({ email: "admin@firma.de", password: "falsch" }, { headers: {} })).rejects.toThrow(
      "Die E-Mail-Adresse oder das Passwort ist falsch.",
    );
  });
});
