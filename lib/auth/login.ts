/**
 * Signing in and out, whichever door: the manage API (`/api/manage/auth/login`,
 * session token), the portal's login form (next-auth, incl. the 2FA code step)
 * and API v1 (`/api/v1/auth/login` and `/2fa/verify`, JWT pair).
 *
 * Every successful login ends in `finishLogin`: one transaction opens the
 * credential (session row or token family), sets `last_login_at` and records
 * `manage.login` (the door in the description and `metadata.via`). Failed
 * logins are `manage.login_failed` by an anonymous actor (`verifyCredentials`).
 *
 * Limits (lib/auth/rate-limits.ts): one account counter for every door (5 per
 * 5 minutes), decided atomically together with the address counter (manage
 * API and browser 5 per 5 minutes; API v1 login and 2FA verify 10 requests
 * per minute and IP, seed 002); successful password checks give their
 * account/address points back. A browser with a valid device cookie for the
 * account is limited by the device's own counter instead of the account's
 * (lib/auth/device-cookies.ts), so a lockout cannot be aimed at it.
 * A 2FA account gets a code by mail: the browser continues with
 * `TwoFactorRequiredError`, API v1 with `{ two_fa_required, challenge_token }`;
 * the manage API (seed 000 has no 2FA step) refuses with 403 and a hint.
 */
import { eq } from "drizzle-orm";
import { users } from "@/db/schema";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import { recordActivity, userActor, type ActivityAction, type AnonymousActor } from "@/lib/activity";
import { ForbiddenError } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/rate-limit";
import { verifyCredentials, type LoginDoor, type UserRow } from "./credentials";
import { loadPrincipal, type AuthActor } from "./principal";
import { limitedAttempt, LOGIN_RATE_LIMITS, loginAccountKey } from "./rate-limits";
import { createSession, revokeSession } from "./sessions";
import { openTokenFamily, revokeFamily, tokenPair, type TokenPair } from "./token-families";
import { isNewDevice, queueNewDeviceMail } from "./devices";
import { deviceCookieAfterLogin, deviceLoginKey, trustedDeviceFor, type DeviceCookie, type PresentedCookie } from "./device-cookies";
import { verifyPasskeyAssertion } from "./passkeys";
import { methodOfCode, secondFactorStatus, type PasskeyProof, type SecondFactorMethod } from "./second-factor";
import { startChallenge, TwoFactorRequiredError, verifyChallenge } from "./two-factor";

export { INVALID_CREDENTIALS } from "./credentials";
export type { LoginDoor } from "./credentials";
export const TWO_FACTOR_MANAGE_API_MESSAGE =
  "Für dieses Konto ist die Zwei-Faktor-Anmeldung aktiv. Bitte melden Sie sich im Portal an oder nutzen Sie die API v1 (/api/v1/auth/login mit Code per E-Mail).";

/** One code per action, whichever door (`lib/activity/actions.ts`). */
export const LOGIN_ACTION = "manage.login" satisfies ActivityAction;
export const LOGOUT_ACTION = "manage.logout" satisfies ActivityAction;

const LOGIN_DESCRIPTIONS: Record<LoginDoor, string> = {
  manage_api: "Login über Manage-Portal",
  // The browser sign-in is the same portal as the manage API: one text (seed 000: "Login über Manage-Portal").
  browser: "Login über Manage-Portal",
  api_v1: "Login über API v1",
};

/**
 * What a login request brings besides its credentials: the browser's user agent and, browser doors only, the
 * request's cookies for the device cookie (lib/auth/device-cookies.ts). The address comes with the actor.
 */
export type LoginClient = { userAgent?: string | null; method?: SecondFactorMethod; deviceCookies?: PresentedCookie[] };
export type LoginMeta = LoginClient & { ip: string };

/** The address of an anonymous caller as the login limits and the session row know it. */
function loginMeta(actor: AnonymousActor, client: LoginClient): LoginMeta {
  return { ...client, ip: actor.ip ?? "unknown" };
}

/** `deviceCookie`: to be set on the answer (a browser without a valid one for this account). */
export type SessionGrant = { user: UserRow; token: string; sessionId: string; expiresAt: Date; deviceCookie?: DeviceCookie | null };
export type TokenGrant = { user: UserRow; tokens: TokenPair };

/**
 * The one way a login finishes, after the password (and, if on, the 2FA code)
 * was accepted: opens the session (browser, manage API) or the token family
 * (API v1), sets the last login and records `manage.login`, all in one
 * transaction.
 */
export type FinishLoginInput = LoginClient & { user: UserRow; door: LoginDoor; twoFactor?: boolean };
export async function finishLogin(actor: AnonymousActor, input: FinishLoginInput & { door: "api_v1" }, options?: CommandOptions): Promise<TokenGrant>;
export async function finishLogin(actor: AnonymousActor, input: FinishLoginInput & { door: "manage_api" | "browser" }, options?: CommandOptions): Promise<SessionGrant>;
export async function finishLogin(actor: AnonymousActor, input: FinishLoginInput, options?: CommandOptions): Promise<SessionGrant | TokenGrant> {
  const { user, door, twoFactor, ...client } = input;
  const meta = { ...loginMeta(actor, client), twoFactor };
  const principal = await loadPrincipal(user, null);
  const opened = await inTransaction(options, async (tx) => {
    // Decided before the new session exists: has any earlier login of this account used this device?
    const newDevice = door === "browser" && (await isNewDevice(tx, user.id, meta.userAgent));
    const credential =
      door === "api_v1"
        ? { kind: "family" as const, family: await openTokenFamily(tx, user.id, meta) }
        : { kind: "session" as const, session: await createSession(user.id, door === "browser" ? "browser" : "api", meta, tx) };
    await tx.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
    await recordActivity(tx, userActor(principal, meta.ip), {
      instanceId: user.instanceId,
      action: LOGIN_ACTION,
      description: meta.twoFactor ? `${LOGIN_DESCRIPTIONS[door]} (mit 2FA-Code)` : LOGIN_DESCRIPTIONS[door],
      metadata: { via: door, two_factor: Boolean(meta.twoFactor), ...(meta.method ? { method: meta.method } : {}) },
    });
    if (newDevice) await queueNewDeviceMail(tx, user, meta);
    // A browser that signed in gets (or keeps) its device cookie: its own login allowance next time.
    const deviceCookie = door === "browser" ? await deviceCookieAfterLogin(tx, user.id, meta.deviceCookies) : null;
    return { ...credential, deviceCookie };
  });
  // The access token is signed once the family exists for every reader.
  if (opened.kind === "family") return { user, tokens: await tokenPair(principal, opened.family) };
  return { user, ...opened.session, deviceCookie: opened.deviceCookie };
}

/**
 * Password login of the manage API and the portal's login form. Every attempt
 * takes a point of the account and of the client IP in one atomic decision
 * before the password is checked, so parallel guesses are counted exactly; a
 * successful check gives its points back.
 */
export async function login(
  actor: AnonymousActor,
  input: LoginClient & { email: string; password: string; door: "manage_api" | "browser" },
  options?: CommandOptions,
): Promise<SessionGrant> {
  const { email: emailInput, password, door, ...client } = input;
  const meta = loginMeta(actor, client);
  const email = emailInput.trim().toLowerCase();
  // A browser that signed in to this account before (valid device cookie) has its own allowance instead of the
  // account's, so wrong passwords from elsewhere cannot lock it out; every other attempt counts against the account.
  const device = await trustedDeviceFor(email, meta.deviceCookies);
  const ipKey = { key: `manage-login:ip:${meta.ip}`, rule: LOGIN_RATE_LIMITS.password, name: "manageLoginIp" };
  const keys = [device ? deviceLoginKey(device) : loginAccountKey(email), ipKey];
  const user = await limitedAttempt(keys, device ? `login-device:${device.id}` : `login:${email}`, () =>
    verifyCredentials(actor, { email, password, door, userAgent: meta.userAgent, knownDevice: Boolean(device) }),
  );

  const factors = await secondFactorStatus(user);
  if (factors.required) {
    // Browser: continue with the code step. Manage API (seed 000 has no 2FA step): refuse with a hint.
    if (door === "browser") throw new TwoFactorRequiredError(await startChallenge(actor, { user, purpose: "browser" }, options), factors.methods);
    throw new ForbiddenError(TWO_FACTOR_MANAGE_API_MESSAGE, { two_fa_required: true });
  }
  return finishLogin(actor, { ...client, user, door }, options);
}

export type ApiLoginResult = TokenPair | { two_fa_required: true; challenge_token: string; methods?: SecondFactorMethod[] };

/** API v1 login: tokens, or a 2FA challenge (code by mail) for accounts with 2FA. */
export async function apiLogin(actor: AnonymousActor, input: LoginClient & { email: string; password: string }, options?: CommandOptions): Promise<ApiLoginResult> {
  const { email: emailInput, password, ...client } = input;
  const meta = loginMeta(actor, client);
  // Seed 002: 10 requests per minute and IP, every request counts; the account counter is the one of every door.
  await enforceRateLimit(`v1-login:ip:${meta.ip}`, LOGIN_RATE_LIMITS.apiPassword);
  const email = emailInput.trim().toLowerCase();
  const user = await limitedAttempt([loginAccountKey(email)], `login:${email}`, () =>
    verifyCredentials(actor, { email, password, door: "api_v1", userAgent: meta.userAgent }),
  );
  const factors = await secondFactorStatus(user);
  if (factors.required) {
    const challenge_token = await startChallenge(actor, { user, purpose: "api" }, options);
    // E-mail-only accounts get exactly seed 002's answer; others also learn which codes are accepted.
    const codeMethods = factors.methods.filter((m) => m !== "passkey");
    return codeMethods.length === 1 && codeMethods[0] === "email" ? { two_fa_required: true, challenge_token } : { two_fa_required: true, challenge_token, methods: codeMethods };
  }
  return (await finishLogin(actor, { ...client, user, door: "api_v1" }, options)).tokens;
}

/** Second step of an API v1 login with e-mail 2FA. */
export async function completeApiTwoFactor(
  actor: AnonymousActor,
  input: { challenge_token: string; code: string; method?: SecondFactorMethod; userAgent?: string | null },
  options?: CommandOptions,
): Promise<TokenPair> {
  const meta = loginMeta(actor, { userAgent: input.userAgent });
  await enforceRateLimit(`v1-2fa:ip:${meta.ip}`, LOGIN_RATE_LIMITS.twoFactor);
  const method = input.method ?? methodOfCode(input.code) ?? undefined;
  const user = await verifyChallenge(actor, { token: input.challenge_token, code: input.code.trim(), purpose: "api", method });
  return (await finishLogin(actor, { userAgent: input.userAgent, user, door: "api_v1", twoFactor: true, method }, options)).tokens;
}

/** Second step of the browser login with e-mail 2FA: challenge token + mailed code open a browser session. */
export async function completeBrowserTwoFactor(
  actor: AnonymousActor,
  input: LoginClient & { challengeToken: string; code: string; passkey?: PasskeyProof },
  options?: CommandOptions,
): Promise<SessionGrant> {
  const ip = loginMeta(actor, {}).ip;
  await enforceRateLimit(`v1-2fa:ip:${ip}`, LOGIN_RATE_LIMITS.twoFactor);
  const method = input.passkey ? "passkey" : (input.method ?? methodOfCode(input.code) ?? undefined);
  const user = await verifyChallenge(actor, { token: input.challengeToken, code: input.code.trim(), purpose: "browser", method, passkey: input.passkey });
  return finishLogin(actor, { userAgent: input.userAgent, user, door: "browser", twoFactor: true, method, deviceCookies: input.deviceCookies }, options);
}

/**
 * Sign-in with a passkey alone (portal): the passkey names the account and
 * proves possession plus (usually) user verification, so no password or
 * second code is asked. Limited per address like the 2FA step.
 */
export async function passkeyLogin(actor: AnonymousActor, input: LoginClient & { passkey: PasskeyProof }, options?: CommandOptions): Promise<SessionGrant> {
  const ip = loginMeta(actor, {}).ip;
  await enforceRateLimit(`passkey-login:ip:${ip}`, LOGIN_RATE_LIMITS.twoFactor);
  const user = await verifyPasskeyAssertion(input.passkey);
  return finishLogin(actor, { userAgent: input.userAgent, user, door: "browser", twoFactor: true, method: "passkey", deviceCookies: input.deviceCookies }, options);
}

const LOGOUT_DESCRIPTIONS: Record<LoginDoor, string> = { manage_api: "Abmeldung", browser: "Abmeldung", api_v1: "Abmeldung über API v1" };

/**
 * Ends the caller's own login: its session (manage API, browser) or token
 * family (API v1), with one entry `manage.logout` in the same transaction.
 * Nothing to end (already ended) → nothing recorded.
 */
export async function logout(
  actor: AuthActor,
  input: { sessionId?: string | null; familyId?: string | null; door: LoginDoor },
  options?: CommandOptions,
) {
  await inTransaction(options, async (tx) => {
    const ended =
      (input.familyId ? await revokeFamily(input.familyId, "logout", tx) : false) ||
      (input.sessionId ? await revokeSession(input.sessionId, tx) : false);
    if (!ended) return;
    await recordActivity(tx, actor, {
      instanceId: actor.principal.instanceId,
      action: LOGOUT_ACTION,
      description: LOGOUT_DESCRIPTIONS[input.door],
      metadata: { via: input.door },
    });
  });
}
