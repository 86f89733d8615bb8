import { createHash, generateKeyPairSync, sign, type KeyObject } from "node:crypto";
import { anonymousActor } from "@/lib/activity";
import { isoCBOR } from "@simplewebauthn/server/helpers";
import { and, eq } from "drizzle-orm";
import * as OTPAuth from "otpauth";
import { describe, expect, it } from "vitest";
import { POST as verifyRoute } from "@/app/api/v1/auth/2fa/verify/route";
import { GET as statusRoute } from "@/app/api/v1/auth/2fa/route";
import { POST as totpStart, PUT as totpConfirm } from "@/app/api/v1/auth/2fa/totp/route";
import { POST as loginRoute } from "@/app/api/v1/auth/login/route";
import { POST as passkeyCreate } from "@/app/api/v1/auth/passkeys/route";
import { POST as passkeyOptions } from "@/app/api/v1/auth/passkeys/options/route";
import { DELETE as endSessionRoute } from "@/app/api/v1/auth/sessions/[id]/route";
import { POST as loginOptionsRoute } from "@/app/api/manage/auth/passkey-options/route";
import { mailOutbox, recoveryCodes, sessions, users, userTotp } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { listSessions } from "@/lib/auth/account";
import { deviceLabel } from "@/lib/auth/devices";
import { finishLogin } from "@/lib/auth/login";
import { authOptions } from "@/lib/auth/next-auth";
import { consumeRecoveryCode, replaceRecoveryCodes } from "@/lib/auth/recovery-codes";
import { checkTotp, matchTotpStep } from "@/lib/auth/totp";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { SoftAuthenticator } from "../helpers/soft-authenticator";
import { uniqueIp, v1Login } from "../v1/helpers";

/**
 * Sign-in methods beyond e-mail 2FA: authenticator app (TOTP), recovery
 * codes, passkeys (a software authenticator below), readable sessions with
 * individual end, and the new-device mail.
 */
const database = useTestDatabase();

const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/140.0.0.0 Safari/537.36";
const FIREFOX = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:128.0) Gecko/20100101 Firefox/128.0";

async function userRow(email: string) {
  const [row] = await database.db().select().from(users).where(eq(users.email, email));
  return row;
}

function totpOf(secret: string) {
  return new OTPAuth.TOTP({ algorithm: "SHA1", digits: 6, period: 30, secret: OTPAuth.Secret.fromBase32(secret) });
}

async function mailsTo(email: string) {
  return database.db().select().from(mailOutbox).where(eq(mailOutbox.to, email));
}

describe("authenticator app (TOTP)", () => {
  const email = "it@bergmann-logistik.de";
  let secret = "";
  let recovery: string[] = [];

  it("is switched on only after a correct code, keeps the secret encrypted and hands out ten recovery codes", async () => {
    const { access_token } = await v1Login(email);
    const started = await call(totpStart, "POST", "/api/v1/auth/2fa/totp", { token: access_token, body: { password: DEMO_PASSWORD } });
    expect(started.status).toBe(200);
    secret = started.json.secret;
    expect(started.json.qr_code).toMatch(/^data:image\/png;base64,/);
    expect(started.json.otpauth_url).toContain(`secret=${secret}`);
    const [stored] = await database.db().select().from(userTotp).where(eq(userTotp.userId, (await userRow(email)).id));
    expect(stored.secretEncrypted).not.toContain(secret);
    expect(stored.confirmedAt).toBeNull();

    // Not on yet: a login still needs no code.
    expect((await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() })).json.access_token).toBeTypeOf("string");

    const wrong = await call(totpConfirm, "PUT", "/api/v1/auth/2fa/totp", { token: access_token, body: { code: "000000" === totpOf(secret).generate() ? "111111" : "000000" } });
    expect(wrong.status).toBe(422);
    const ok = await call(totpConfirm, "PUT", "/api/v1/auth/2fa/totp", { token: access_token, body: { code: totpOf(secret).generate() } });
    expect(ok.status).toBe(200);
    recovery = ok.json.recovery_codes;
    expect(recovery).toHaveLength(10);
    expect(new Set(recovery).size).toBe(10);
    const stored2 = await database.db().select().from(recoveryCodes).where(eq(recoveryCodes.userId, (await userRow(email)).id));
    expect(stored2.map((r) => r.codeHash)).not.toContain(recovery[0]);

    const status = await call(statusRoute, "GET", "/api/v1/auth/2fa", { token: access_token });
    expect(status.json).toMatchObject({ two_factor_enabled: false, totp_enabled: true, recovery_codes_remaining: 10 });
  });

  it("API v1 login asks for the app's code (no mail) and refuses the same code twice", async () => {
    const before = (await mailsTo(email)).length;
    const first = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(first.json).toMatchObject({ two_fa_required: true, methods: ["totp", "recovery_code"] });
    expect((await mailsTo(email)).length).toBe(before);
    // A fresh step: the confirmation above used the current one.
    const code = totpOf(secret).generate({ timestamp: Date.now() + 30_000 });
    const verified = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: first.json.challenge_token, code }, ip: uniqueIp() });
    expect(verified.status).toBe(200);
    expect(verified.json.access_token).toBeTypeOf("string");

    const again = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    const replay = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: again.json.challenge_token, code }, ip: uniqueIp() });
    expect(replay.status).toBe(401);
    expect(replay.json.detail?.error ?? replay.json.error).toBe("invalid_code");
  });

  it("accepts one step of clock drift, not three", async () => {
    const now = Date.now();
    const t = totpOf(secret);
    expect(matchTotpStep(secret, t.generate({ timestamp: now - 30_000 }), now)).not.toBeNull();
    expect(matchTotpStep(secret, t.generate({ timestamp: now + 30_000 }), now)).not.toBeNull();
    expect(matchTotpStep(secret, t.generate({ timestamp: now - 90_000 }), now)).toBeNull();
    expect(matchTotpStep(secret, "12345", now)).toBeNull();
  });

  it("two parallel uses of one fresh code: exactly one wins", async () => {
    const userId = (await userRow(email)).id;
    const code = totpOf(secret).generate({ timestamp: Date.now() + 60_000 });
    const results = await Promise.all(Array.from({ length: 5 }, () => checkTotp(userId, code, { confirmed: true, now: Date.now() + 60_000 })));
    expect(results.filter(Boolean)).toHaveLength(1);
  });

  it("a recovery code signs in once; the second use is refused", async () => {
    const first = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    const ok = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: first.json.challenge_token, code: recovery[0] }, ip: uniqueIp() });
    expect(ok.status).toBe(200);
    const second = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    const reused = await call(verifyRoute, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: second.json.challenge_token, code: recovery[0] }, ip: uniqueIp() });
    expect(reused.status).toBe(401);
  });
});

describe("recovery codes", () => {
  it("are single use under concurrency", async () => {
    const user = await userRow("info@nordlicht-design.de");
    const codes = await replaceRecoveryCodes(database.db(), user.id);
    const results = await Promise.all(Array.from({ length: 8 }, () => consumeRecoveryCode(user.id, codes[3].toUpperCase())));
    expect(results.filter(Boolean)).toHaveLength(1);
    expect(await consumeRecoveryCode(user.id, codes[3])).toBe(false);
    expect(await consumeRecoveryCode(user.id, "abcde-fghjk")).toBe(false);
    const unused = await database.db().select().from(recoveryCodes).where(and(eq(recoveryCodes.userId, user.id)));
    expect(unused.filter((r) => r.usedAt === null)).toHaveLength(9);
  });
});

describe("e-mail 2FA accounts", () => {
  it("get exactly seed 002's answer", async () => {
    await database.db().update(users).set({ twoFactorEnabled: true }).where(eq(users.email, "support@myit.center"));
    const first = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email: "support@myit.center", password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(Object.keys(first.json).sort()).toEqual(["challenge_token", "two_fa_required"]);
    await database.db().update(users).set({ twoFactorEnabled: false }).where(eq(users.email, "support@myit.center"));
  });
});


type Authorize = (c: Record<string, string>, req: unknown) => Promise<{ sessionToken: string } | null>;
const authorize: Authorize = (credentials, req) =>
  (authOptions().providers[0] as unknown as { options: { authorize: Authorize } }).options.authorize(credentials, req);

describe("passkeys", () => {
  const email = "admin@firma.de";

  it("register, then sign in with the passkey alone; a replayed assertion is refused", async () => {
    const { access_token } = await v1Login(email);
    const options = await call(passkeyOptions, "POST", "/api/v1/auth/passkeys/options", { token: access_token });
    expect(options.status).toBe(200);
    const rpId = options.json.options.rp.id;
    const authenticator = new SoftAuthenticator(rpId, new URL(process.env.APP_URL ?? "http://localhost:3000").origin);
    const created = await call(passkeyCreate, "POST", "/api/v1/auth/passkeys", {
      token: access_token,
      body: { challenge_id: options.json.challenge_id, name: "Laptop", response: authenticator.create(options.json.options.challenge) },
    });
    expect(created.status).toBe(201);
    expect(created.json.recovery_codes).toHaveLength(10);

    const login = await call(loginOptionsRoute, "POST", "/api/manage/auth/passkey-options", { ip: uniqueIp() });
    expect(login.status).toBe(200);
    const assertion = authenticator.get(login.json.options.challenge);
    const passkey = JSON.stringify({ challenge_id: login.json.challenge_id, response: assertion });
    const result = await authorize({ passkey }, { headers: { "x-forwarded-for": uniqueIp(), "user-agent": CHROME } });
    expect(result?.sessionToken).toBeTypeOf("string");
    // The same challenge again: spent.
    await expect(authorize({ passkey }, { headers: { "x-forwarded-for": uniqueIp() } })).rejects.toThrow(/abgelaufen/);
  });
});

describe("sessions and devices", () => {
  const email = "msp-admin@myit.center";

  it("labels devices, ends one session on its own, mails a new device", async () => {
    expect(deviceLabel(CHROME)).toBe("Chrome auf Linux");
    expect(deviceLabel(FIREFOX)).toBe("Firefox auf Windows");
    expect(deviceLabel("curl/8.0")).toBeNull();
    const user = await userRow(email);
    const a = await finishLogin(anonymousActor("198.51.100.7"), { user, door: "browser", userAgent: CHROME });
    const mailsAfterFirst = (await mailsTo(email)).filter((m) => m.subject.startsWith("Neue Anmeldung")).length;
    expect(mailsAfterFirst).toBe(0); // the first login ever is no "new device"
    await finishLogin(anonymousActor("198.51.100.7"), { user, door: "browser", userAgent: CHROME });
    expect((await mailsTo(email)).filter((m) => m.subject.startsWith("Neue Anmeldung"))).toHaveLength(0);
    const b = await finishLogin(anonymousActor("198.51.100.8"), { user, door: "browser", userAgent: FIREFOX });
    const mails = (await mailsTo(email)).filter((m) => m.subject.startsWith("Neue Anmeldung"));
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain("Firefox auf Windows");

    const list = await listSessions({ userId: user.id, sessionId: a.sessionId, familyId: null });
    const firefox = list.sessions.find((s) => s.id === b.sessionId);
    expect(firefox?.device).toBe("Firefox auf Windows");

    const { access_token } = await v1Login(email);
    const other = await v1Login("admin@firma.de");
    expect((await call(endSessionRoute, "DELETE", "/api/v1/auth/sessions/{id}", { token: other.access_token, params: { id: b.sessionId } })).status).toBe(404);
    const ended = await call(endSessionRoute, "DELETE", "/api/v1/auth/sessions/{id}", { token: access_token, params: { id: b.sessionId } });
    expect(ended.status).toBe(200);
    const [row] = await database.db().select().from(sessions).where(eq(sessions.id, b.sessionId));
    expect(row.revokedAt).not.toBeNull();
    const [still] = await database.db().select().from(sessions).where(eq(sessions.id, a.sessionId));
    expect(still.revokedAt).toBeNull();
    expect((await call(endSessionRoute, "DELETE", "/api/v1/auth/sessions/{id}", { token: access_token, params: { id: b.sessionId } })).status).toBe(404);
  });
});

describe("return after sign-in", () => {
  it("keeps same-origin paths and drops everything else", async () => {
    const { safeReturnPath } = await import("@/lib/auth/return-to");
    expect(safeReturnPath("/rechnungen/5")).toBe("/rechnungen/5");
    expect(safeReturnPath("/rechnungen?status=offen#x")).toBe("/rechnungen?status=offen#x");
    for (const bad of ["https://evil.example/", "//evil.example/x", "/\\evil.example", "javascript:alert(1)", "/login?next=/x", "", undefined, "rechnungen"]) {
      expect(safeReturnPath(bad)).toBe("/");
    }
  });
});

describe("password links", () => {
  it("say on opening whether they are used or expired", async () => {
    const { issuePasswordToken } = await import("@/lib/auth/passwords-flow");
    const { passwordLinkState } = await import("@/lib/auth/password-links");
    const { passwordResetTokens } = await import("@/db/schema");
    const user = await userRow("support@myit.center");
    const token = await issuePasswordToken(user.id, "reset", 30);
    expect(await passwordLinkState(user.email, token)).toBe("valid");
    expect(await passwordLinkState("admin@firma.de", token)).toBe("invalid");
    await database.db().update(passwordResetTokens).set({ usedAt: new Date() }).where(eq(passwordResetTokens.userId, user.id));
    expect(await passwordLinkState(user.email, token)).toBe("used");
  });
});
