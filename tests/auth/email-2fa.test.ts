import { and, eq, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as statusRoute, PUT as settingsRoute } from "@/app/api/v1/auth/2fa/route";
import { DELETE as cancelRoute, POST as startRoute, PUT as confirmRoute } from "@/app/api/v1/auth/2fa/email/confirmation/route";
import { POST as resendRoute } from "@/app/api/v1/auth/2fa/email/confirmation/resend/route";
import { POST as createKeyRoute } from "@/app/api/v1/auth/api-keys/route";
import { POST as loginRoute } from "@/app/api/v1/auth/login/route";
import { activityLog, twoFactorChallenges, userPasskeys, users } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { principalActor } from "@/lib/activity";
import { listUsers } from "@/lib/admin/users";
import { confirmEmailTwoFactor, EMAIL_SETUP_PURPOSE, startEmailTwoFactor } from "@/lib/auth/email-two-factor";
import type { Principal } from "@/lib/auth/principal";
import { replaceRecoveryCodes } from "@/lib/auth/recovery-codes";
import { readOutbox } from "@/lib/mail";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { uniqueIp, v1Login } from "../v1/helpers";

/**
 * Switching e-mail 2FA on is confirmed by a mailed 6-digit test code
 * (issue 14): only the right, unexpired, unused code switches it on; wrong
 * codes are limited per account and per address. Accounts that already have
 * e-mail 2FA keep seed 002's login exactly.
 */
const database = useTestDatabase();
const URL = "/api/v1/auth/2fa/email/confirmation";

let counter = 0;
/** A fresh customer account (own rate-limit counters), password = demo password. */
async function newAccount() {
  const db = database.db();
  const [template] = await db.select().from(users).where(eq(users.email, "admin@firma.de"));
  const email = `zweifaktor-${++counter}@firma.de`;
  const [row] = await db
    .insert(users)
    .values({ email, name: `Test Nutzer ${counter}`, instanceId: template.instanceId, passwordHash: template.passwordHash })
    .returning();
  const { access_token } = await v1Login(email);
  return { email, id: row.id, token: access_token };
}

async function userRow(id: string) {
  const [row] = await database.db().select().from(users).where(eq(users.id, id));
  return row;
}

/** The 6-digit code of the newest confirmation mail to an address. */
async function setupCode(email: string) {
  const [mail] = await readOutbox(email, 1);
  expect(mail?.subject).toMatch(/Bestätigungscode/);
  const match = /\b(\d{6})\b/.exec(mail.text);
  if (!match) throw new Error(`Kein Bestätigungscode an ${email}`);
  return match[1];
}

const otherCode = (code: string) => (code === "000000" ? "111111" : "000000");

function start(token: string, password = DEMO_PASSWORD, ip = uniqueIp()) {
  return call(startRoute, "POST", URL, { token, body: { password }, ip });
}
function confirm(token: string, code: string, ip = uniqueIp()) {
  return call(confirmRoute, "PUT", URL, { token, body: { code }, ip });
}

describe("switching e-mail 2FA on with a test code", () => {
  it("mails a 6-digit code (stored only hashed) and stays off until the right code is entered", async () => {
    const account = await newAccount();
    const res = await start(account.token);
    expect(res.status, JSON.stringify(res.json)).toBe(202);
    expect(res.json).toMatchObject({ two_factor_enabled: false, confirmation_pending: true, sent_to: account.email, expires_in: 600 });
    expect(res.json.message).toContain(`Wir haben einen Code an ${account.email} gesendet`);
    const code = await setupCode(account.email);
    expect((await userRow(account.id)).twoFactorEnabled).toBe(false);

    const [row] = await database
      .db()
      .select()
      .from(twoFactorChallenges)
      .where(and(eq(twoFactorChallenges.userId, account.id), eq(twoFactorChallenges.purpose, EMAIL_SETUP_PURPOSE)));
    expect(row.codeHash).toMatch(/^[0-9a-f]{64}$/);
    expect(row.codeHash).not.toContain(code);
    expect(row.expiresAt.getTime() - row.createdAt.getTime()).toBeGreaterThan(9 * 60_000);
    expect(row.expiresAt.getTime() - Date.now()).toBeLessThanOrEqual(10 * 60_000);

    const status = await call(statusRoute, "GET", "/api/v1/auth/2fa", { token: account.token });
    expect(status.json.two_factor_enabled).toBe(false);
    expect(status.json.email_confirmation).toMatchObject({ sent_to: account.email, expired: false });

    const wrong = await confirm(account.token, otherCode(code));
    expect(wrong.status).toBe(422);
    expect(wrong.json.detail.errors.code[0]).toMatch(/Der Code ist falsch/);
    expect((await userRow(account.id)).twoFactorEnabled).toBe(false);

    const ok = await confirm(account.token, code);
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject({ two_factor_enabled: true });
    expect((await userRow(account.id)).twoFactorEnabled).toBe(true);
    const entries = await database.db().select().from(activityLog).where(eq(activityLog.userId, account.id));
    expect(entries.map((e) => e.action)).toEqual(expect.arrayContaining(["auth.2fa_email_code_sent", "auth.2fa_enabled"]));

    // Used: the same code again is refused (e-mail 2FA is already on).
    const again = await confirm(account.token, code);
    expect(again.status).toBe(409);
    const after = await call(statusRoute, "GET", "/api/v1/auth/2fa", { token: account.token });
    expect(after.json).toMatchObject({ two_factor_enabled: true, email_confirmation: null });
  });

  it("then logs in exactly as seed 002 says: challenge token, 8-digit code by mail", async () => {
    const account = await newAccount();
    await start(account.token);
    expect((await confirm(account.token, await setupCode(account.email))).status).toBe(200);
    const login = await call(loginRoute, "POST", "/api/v1/auth/login", { body: { email: account.email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(login.status).toBe(200);
    expect(Object.keys(login.json).sort()).toEqual(["challenge_token", "two_fa_required"]);
    expect(login.json.challenge_token).toMatch(/^tx_/);
    const [mail] = await readOutbox(account.email, 1);
    expect(mail.subject).toMatch(/Anmeldecode/);
    expect(mail.text).toMatch(/\b\d{8}\b/);
  });

  it("refuses a wrong password without mailing anything", async () => {
    const account = await newAccount();
    const res = await start(account.token, "falsch-falsch");
    expect(res.status).toBe(422);
    expect(res.json.detail.errors.password).toEqual(["Das Passwort ist falsch."]);
    expect(await readOutbox(account.email)).toHaveLength(0);
  });

  it("refuses an expired code, and a new code (resend) works while the old one no longer does", async () => {
    const account = await newAccount();
    await start(account.token);
    const first = await setupCode(account.email);
    await database
      .db()
      .update(twoFactorChallenges)
      .set({ expiresAt: sql`now() - interval '1 minute'` })
      .where(eq(twoFactorChallenges.userId, account.id));
    const expired = await confirm(account.token, first);
    expect(expired.status).toBe(422);
    expect(expired.json.detail.errors.code[0]).toMatch(/abgelaufen/);
    expect((await userRow(account.id)).twoFactorEnabled).toBe(false);
    const status = await call(statusRoute, "GET", "/api/v1/auth/2fa", { token: account.token });
    expect(status.json.email_confirmation.expired).toBe(true);

    const resent = await call(resendRoute, "POST", `${URL}/resend`, { token: account.token, ip: uniqueIp() });
    expect(resent.status).toBe(202);
    const second = await setupCode(account.email);
    if (second !== first) {
      const old = await confirm(account.token, first);
      expect(old.status).toBe(422);
    }
    expect((await confirm(account.token, second)).status).toBe(200);
    expect((await userRow(account.id)).twoFactorEnabled).toBe(true);
  });

  it("cancel: the open code stops working and nothing is switched on; resend then needs a new start", async () => {
    const account = await newAccount();
    await start(account.token);
    const code = await setupCode(account.email);
    const cancelled = await call(cancelRoute, "DELETE", URL, { token: account.token, ip: uniqueIp() });
    expect(cancelled.status).toBe(200);
    expect(cancelled.json.message).toMatch(/Abgebrochen/);
    const used = await confirm(account.token, code);
    expect(used.status).toBe(409);
    expect(used.json.detail.message).toMatch(/keinen offenen Bestätigungscode/);
    expect((await call(resendRoute, "POST", `${URL}/resend`, { token: account.token, ip: uniqueIp() })).status).toBe(409);
    expect((await userRow(account.id)).twoFactorEnabled).toBe(false);
  });

  it("limits wrong codes per account: after 5 wrong codes even the right one gets 429 with Retry-After", async () => {
    const account = await newAccount();
    await start(account.token);
    const code = await setupCode(account.email);
    for (let i = 0; i < 5; i++) expect((await confirm(account.token, otherCode(code))).status).toBe(422);
    const limited = await confirm(account.token, code);
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get("retry-after"))).toBeGreaterThan(60);
    expect(limited.json.detail.message).toMatch(/Zu viele falsche Codes/);
    expect((await userRow(account.id)).twoFactorEnabled).toBe(false);
  });

  it("limits wrong codes per address, across accounts (10 per minute)", async () => {
    const ip = uniqueIp();
    const accounts = [await newAccount(), await newAccount(), await newAccount()];
    for (const a of accounts) await start(a.token);
    for (const a of accounts.slice(0, 2)) {
      const code = await setupCode(a.email);
      for (let i = 0; i < 5; i++) expect((await confirm(a.token, otherCode(code), ip)).status).toBe(422);
    }
    const third = accounts[2];
    expect((await confirm(third.token, await setupCode(third.email), ip)).status).toBe(429);
    // From another address the third account's right code still works.
    expect((await confirm(third.token, await setupCode(third.email))).status).toBe(200);
  });

  it("limits the mails: at most 5 codes per 30 minutes per account", async () => {
    const account = await newAccount();
    expect((await start(account.token)).status).toBe(202);
    for (let i = 0; i < 4; i++) expect((await call(resendRoute, "POST", `${URL}/resend`, { token: account.token, ip: uniqueIp() })).status).toBe(202);
    const sixth = await call(resendRoute, "POST", `${URL}/resend`, { token: account.token, ip: uniqueIp() });
    expect(sixth.status).toBe(429);
    expect(sixth.json.detail.message).toMatch(/Zu viele Codes angefordert/);
    expect(await readOutbox(account.email)).toHaveLength(5);
  });

  it("a code is single use also in parallel: of two simultaneous right answers one switches on, the other is refused", async () => {
    const account = await newAccount();
    const principal: Principal = { userId: account.id, instanceId: null, name: "Test", email: account.email, staff: false, roles: [], permissions: new Set(), sessionId: null };
    await startEmailTwoFactor(principalActor(principal, uniqueIp()), { password: DEMO_PASSWORD });
    const code = await setupCode(account.email);
    const results = await Promise.allSettled([
      confirmEmailTwoFactor(principalActor(principal, uniqueIp()), { code }),
      confirmEmailTwoFactor(principalActor(principal, uniqueIp()), { code }),
    ]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const refused = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(refused.reason.status).toBe(409);
  });

  it("refuses an API key (403) and an already active e-mail 2FA (409)", async () => {
    const account = await newAccount();
    const key = await call(createKeyRoute, "POST", "/api/v1/auth/api-keys", { token: account.token, body: { name: "skript", scope: "read_write" } });
    expect(key.status).toBe(201);
    expect((await start(key.json.token)).status).toBe(403);
    await database.db().update(users).set({ twoFactorEnabled: true }).where(eq(users.id, account.id));
    expect((await start(account.token)).status).toBe(409);
    expect(await readOutbox(account.email)).toHaveLength(0);
  });
});

describe("PUT /api/v1/auth/2fa", () => {
  it("enabled=true on an account without e-mail 2FA starts the confirmation (202) instead of switching on", async () => {
    const account = await newAccount();
    const res = await call(settingsRoute, "PUT", "/api/v1/auth/2fa", { token: account.token, body: { enabled: true, password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(res.status).toBe(202);
    expect(res.json).toMatchObject({ two_factor_enabled: false, confirmation_pending: true });
    expect((await userRow(account.id)).twoFactorEnabled).toBe(false);
    expect((await confirm(account.token, await setupCode(account.email))).status).toBe(200);
  });

  it("an account that already has e-mail 2FA keeps it unchanged (200, no mail); enabled=false switches off and drops an open code", async () => {
    const account = await newAccount();
    await database.db().update(users).set({ twoFactorEnabled: true }).where(eq(users.id, account.id));
    const same = await call(settingsRoute, "PUT", "/api/v1/auth/2fa", { token: account.token, body: { enabled: true, password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(same.status).toBe(200);
    expect(same.json.two_factor_enabled).toBe(true);
    expect(await readOutbox(account.email)).toHaveLength(0);

    const off = await call(settingsRoute, "PUT", "/api/v1/auth/2fa", { token: account.token, body: { enabled: false, password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(off.status).toBe(200);
    expect(off.json.two_factor_enabled).toBe(false);
    await start(account.token);
    const code = await setupCode(account.email);
    await call(settingsRoute, "PUT", "/api/v1/auth/2fa", { token: account.token, body: { enabled: false, password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect((await confirm(account.token, code)).status).toBe(409);
    expect((await userRow(account.id)).twoFactorEnabled).toBe(false);
  });
});

describe("staff view of a user's second factors", () => {
  it("lists e-mail, app, passkeys (n) and recovery codes (n left)", async () => {
    const account = await newAccount();
    const db = database.db();
    const none = (await listUsers({ search: account.email, scope: "all", page: 1, per_page: 10 })).users[0];
    expect(none.sign_in_methods).toEqual([]);

    await db.update(users).set({ twoFactorEnabled: true }).where(eq(users.id, account.id));
    await db.insert(userPasskeys).values([
      { userId: account.id, credentialId: `cred-a-${account.id}`, publicKey: "x", name: "Laptop" },
      { userId: account.id, credentialId: `cred-b-${account.id}`, publicKey: "x", name: "Telefon" },
    ]);
    await db.transaction((tx) => replaceRecoveryCodes(tx, account.id));
    const listed = (await listUsers({ search: account.email, scope: "all", page: 1, per_page: 10 })).users[0];
    expect(listed.sign_in_methods).toEqual(["E-Mail", "Passkeys (2)", "Wiederherstellungscodes (10 übrig)"]);
    expect(listed.second_factors).toEqual({ email: true, totp: false, passkeys: 2, recovery_codes_remaining: 10 });
  });
});
