/**
 * Issue 24, item 7 — sign-in details from the browser review: after a
 * recovery code, how many are left; a second use of a code says it was used;
 * passkeys are named after the device and a duplicate says so; a session
 * ended from another device says that, not "abgelaufen".
 */
import { eq } from "drizzle-orm";
import * as OTPAuth from "otpauth";
import { describe, expect, it } from "vitest";
import { POST as totpStart, PUT as totpConfirm } from "@/app/api/v1/auth/2fa/totp/route";
import { POST as verifyRoute } from "@/app/api/v1/auth/2fa/verify/route";
import { POST as loginRoute } from "@/app/api/v1/auth/login/route";
import { GET as meRoute } from "@/app/api/v1/auth/me/route";
import { POST as passkeyCreate } from "@/app/api/v1/auth/passkeys/route";
import { POST as passkeyOptions } from "@/app/api/v1/auth/passkeys/options/route";
import { DELETE as endSessionRoute } from "@/app/api/v1/auth/sessions/[id]/route";
import { GET as sessionsRoute } from "@/app/api/v1/auth/sessions/route";
import { sessions, users } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { principalActor, anonymousActor } from "@/lib/activity";
import { endSession, signOutEverywhere } from "@/lib/auth/account";
import { finishLogin, logout } from "@/lib/auth/login";
import { authOptions } from "@/lib/auth/next-auth";
import { defaultPasskeyName } from "@/lib/auth/passkeys";
import { loadPrincipal } from "@/lib/auth/principal";
import { recoveryLoginNotice, remainingRecoveryCodes } from "@/lib/auth/recovery-codes";
import { endedSessionReason } from "@/lib/auth/sessions";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { SoftAuthenticator } from "../helpers/soft-authenticator";
import { setTwoFactor, uniqueIp, v1Login } from "../v1/helpers";

const database = useTestDatabase();
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";

type Authorize = (c: Record<string, string>, req: unknown) => Promise<{ sessionToken: string } | null>;
const authorize: Authorize = (credentials, req) =>
  (authOptions().providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize(credentials, req);
const browser = () => ({ headers: { "x-forwarded-for": uniqueIp(), "user-agent": CHROME } });

async function userRow(email: string) {
  const [row] = await database.db().select().from(users).where(eq(users.email, email));
  return row;
}

/** The portal's first step: the password; the answer names the 2FA challenge. */
async function browserChallenge(email: string) {
  const error = await authorize({ email, password: DEMO_PASSWORD }, browser()).then(
    () => null,
    (e: Error) => e.message,
  );
  const match = /^2FA_REQUIRED:([^:]+)/.exec(error ?? "");
  expect(match, String(error)).not.toBeNull();
  return match![1];
}

const v1Message = (json: { detail?: { message?: string }; message?: string }) => json.detail?.message ?? json.message;

describe("recovery codes at sign-in", () => {
  const email = "it@bergmann-logistik.de";
  let recovery: string[] = [];

  it("after a sign-in with a recovery code, the notice says how many are left and offers the app again", async () => {
    await setTwoFactor(email, false);
    const { access_token } = await v1Login(email);
    const started = await call(totpStart, "POST", "/api/v1/auth/2fa/totp", { token: access_token, body: { password: DEMO_PASSWORD } });
    const totp = new OTPAuth.TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(started.json.secret) });
    const confirmed = await call(totpConfirm, "PUT", "/api/v1/auth/2fa/totp", { token: access_token, body: { code: totp.generate() } });
    expect(confirmed.status).toBe(200);
    recovery = confirmed.json.recovery_codes;

    const token = await browserChallenge(email);
    const result = await authorize({ challenge_token: token, code: recovery[0], method: "recovery_code" }, browser());
    expect(result?.sessionToken).toBeTypeOf("string");
    const left = await remainingRecoveryCodes((await userRow(email)).id);
    expect(left).toBe(9);
    const notice = recoveryLoginNotice(left);
    expect(notice.text).toContain("Sie haben noch 9 Wiederherstellungscodes.");
    expect(notice.text).toContain("richten Sie die App jetzt neu ein");
    expect(notice.low).toBe(false);
    expect(recoveryLoginNotice(1).text).toContain("noch 1 Wiederherstellungscode.");
    expect(recoveryLoginNotice(2)).toMatchObject({ low: true });
    expect(recoveryLoginNotice(0).text).toContain("keine Wiederherstellungscodes mehr");
  });

  it("a second use of a code says it was used, in the browser and at API v1; a never-issued code is still 'falsch'", async () => {
    const token = await browserChallenge(email);
    await expect(authorize({ challenge_token: token, code: recovery[0], method: "recovery_code" }, browser())).rejects.toThrow(
      /Dieser Wiederherstellungscode wurde bereits verwendet\..*Noch 4 Versuche/,
    );

    const first = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    const reused = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: first.json.challenge_token, code: recovery[0] }, ip: uniqueIp() });
    expect(reused.status).toBe(401);
    expect(reused.json.detail).toMatchObject({ error: "invalid_code" });
    expect(v1Message(reused.json)).toMatch(/bereits verwendet/);
    const unknown = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: first.json.challenge_token, code: "zzzzz-zzzzz" }, ip: uniqueIp() });
    expect(unknown.status).toBe(401);
    expect(v1Message(unknown.json)).toMatch(/^Der Code ist falsch/);
  });
});

describe("passkey names", () => {
  const email = "admin@firma.de";

  it("default to the device, numbered when taken; 'Passkey' for agents naming no browser", () => {
    expect(defaultPasskeyName(CHROME, [])).toBe("Chrome auf Linux");
    expect(defaultPasskeyName(CHROME, ["Chrome auf Linux", "Chrome auf Linux (2)"])).toBe("Chrome auf Linux (3)");
    expect(defaultPasskeyName("curl/8.0", [])).toBe("Passkey");
  });

  it("a passkey registered without a name is named after the device; registering it again says so", async () => {
    await setTwoFactor(email, false);
    const { access_token } = await v1Login(email);
    const origin = new URL(process.env.APP_URL ?? "http://localhost:3000").origin;
    const register = async (authenticator: SoftAuthenticator | null, name?: string) => {
      const options = await call(passkeyOptions, "POST", "/api/v1/auth/passkeys/options", { token: access_token });
      const device = authenticator ?? new SoftAuthenticator(options.json.options.rp.id, origin);
      const res = await call(passkeyCreate, "POST", "/api/v1/auth/passkeys", {
        token: access_token,
        headers: { "user-agent": CHROME },
        body: { challenge_id: options.json.challenge_id, ...(name === undefined ? {} : { name }), response: device.create(options.json.options.challenge) },
      });
      return { res, device };
    };
    const first = await register(null);
    expect(first.res.status).toBe(201);
    expect(first.res.json.passkey.name).toBe("Chrome auf Linux");
    const second = await register(null, "");
    expect(second.res.json.passkey.name).toBe("Chrome auf Linux (2)");

    const again = await register(first.device);
    expect(again.res.status).toBe(422);
    const message = JSON.stringify(again.res.json);
    expect(message).toContain("Dieser Passkey ist für Ihr Konto bereits registriert (als „Chrome auf Linux“).");
  });
});

describe("a session ended elsewhere", () => {
  const email = "msp-admin@myit.center";

  it("is remembered as ended on another device (browser sessions); the device's own logout is a logout", async () => {
    const user = await userRow(email);
    const a = await finishLogin(anonymousActor("198.51.100.7"), { user, door: "browser", userAgent: CHROME });
    const b = await finishLogin(anonymousActor("198.51.100.8"), { user, door: "browser", userAgent: CHROME });
    expect(await endedSessionReason(b.token)).toBeNull();
    await endSession(principalActor(await loadPrincipal(user, a.sessionId), null), { id: b.sessionId });
    expect(await endedSessionReason(b.token)).toBe("ended_elsewhere");
    await logout(principalActor(await loadPrincipal(user, a.sessionId), null), { sessionId: a.sessionId, door: "browser" });
    expect(await endedSessionReason(a.token)).toBe("logout");
  });

  it("'Überall abmelden' ends the other devices as 'elsewhere' and the caller's own as its logout", async () => {
    const user = await userRow(email);
    const mine = await finishLogin(anonymousActor("198.51.100.9"), { user, door: "browser", userAgent: CHROME });
    const theirs = await finishLogin(anonymousActor("198.51.100.10"), { user, door: "browser", userAgent: CHROME });
    await signOutEverywhere(principalActor(await loadPrincipal(user, mine.sessionId), "198.51.100.9"));
    expect(await endedSessionReason(theirs.token)).toBe("ended_elsewhere");
    expect(await endedSessionReason(mine.token)).toBe("logout_all");
    const rows = await database.db().select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows.every((r) => r.revokedAt !== null)).toBe(true);
  });

  it("an API v1 login ended from another device answers with that reason", async () => {
    const here = await v1Login("admin@firma.de");
    const there = await v1Login("admin@firma.de");
    const list = await call(sessionsRoute, "GET", "/api/v1/auth/sessions", { token: here.access_token });
    const other = list.json.sessions.filter((s: { kind: string; current: boolean }) => s.kind === "api_v1" && !s.current);
    expect(other.length).toBeGreaterThan(0);
    for (const s of other) await call(endSessionRoute, "DELETE", "/x", { token: here.access_token, params: { id: s.id } });
    const refused = await call(meRoute, "GET", "/api/v1/auth/me", { token: there.access_token });
    expect(refused.status).toBe(401);
    expect(refused.json.detail).toMatchObject({ error: "token_revoked" });
    expect(v1Message(refused.json)).toBe("Diese Sitzung wurde auf einem anderen Gerät beendet. Bitte melden Sie sich erneut an.");
    expect((await call(meRoute, "GET", "/api/v1/auth/me", { token: here.access_token })).status).toBe(200);
  });
});
