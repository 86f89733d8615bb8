/**
 * The auth commands take `(actor, input, options?)`: `options.tx` joins the
 * caller's transaction (as a savepoint), so a caller can make an auth command
 * and its own writes one atomic step; without it the command commits on its
 * own. The actor carries the caller's address into the activity entry.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { activityLog, apiKeys, sessions, users } from "@/db/schema";
import type { CommandOptions } from "@/db/transaction";
import type { Tx } from "@/db/types";
import { principalActor, type Actor, anonymousActor } from "@/lib/activity";
import { endSession, signOutEverywhere } from "@/lib/auth/account";
import { createApiKey, revokeApiKey } from "@/lib/auth/api-keys";
import { cancelEmailTwoFactor, confirmEmailTwoFactor, resendEmailTwoFactorCode, startEmailTwoFactor, startEmailTwoFactorForUser } from "@/lib/auth/email-two-factor";
import { startImpersonation, stopImpersonation } from "@/lib/auth/impersonation";
import { apiLogin, completeApiTwoFactor, completeBrowserTwoFactor, finishLogin, login, logout, passkeyLogin } from "@/lib/auth/login";
import { passkeyLoginOptions, passkeyRegistrationOptions, registerPasskey, removePasskey } from "@/lib/auth/passkeys";
import { changePassword, requestPasswordReset, resetPassword } from "@/lib/auth/passwords-flow";
import { loadPrincipal, type AuthActor } from "@/lib/auth/principal";
import { confirmAccountPassword, reauthenticate } from "@/lib/auth/reauthentication";
import { regenerateRecoveryCodes } from "@/lib/auth/second-factor";
import { setInstanceSecondFactorRule } from "@/lib/auth/second-factor-policy";
import { confirmTotp, disableTotp, startTotpSetup } from "@/lib/auth/totp";
import { setTwoFactor } from "@/lib/auth/two-factor";
import { NotFoundError } from "@/lib/errors";
import { useTestDatabase } from "../helpers/db";

const database = useTestDatabase();
const email = "admin@firma.de";
const CHROME = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36";

/** What the caller does after the command: it changes its mind, so the whole step must go. */
class CallerRefused extends Error {}

let ipCounter = 0;
function nextIp() {
  ipCounter += 1;
  return `203.0.113.${ipCounter}`;
}

async function userRow() {
  const [row] = await database.db().select().from(users).where(eq(users.email, email));
  return row;
}

/** A signed-in caller with a browser session of its own, at a fresh address. */
async function signedIn(): Promise<{ actor: AuthActor; sessionId: string }> {
  const user = await userRow();
  const ip = nextIp();
  const grant = await finishLogin(anonymousActor(ip), { user, door: "browser", userAgent: CHROME });
  return { actor: principalActor(await loadPrincipal(user, grant.sessionId), ip), sessionId: grant.sessionId };
}

async function entries(action: string, metadataKey: string, value: string) {
  return database
    .db()
    .select()
    .from(activityLog)
    .where(and(eq(activityLog.action, action), sql`${activityLog.metadata}->>${metadataKey} = ${value}`));
}

async function liveSession(id: string) {
  const [row] = await database.db().select().from(sessions).where(and(eq(sessions.id, id), isNull(sessions.revokedAt)));
  return row ?? null;
}

/** Runs `work` in a caller's transaction that throws afterwards. */
async function inRefusedTransaction(work: (tx: Tx) => Promise<unknown>) {
  const db = await getDb();
  await expect(
    db.transaction(async (tx) => {
      await work(tx);
      throw new CallerRefused();
    }),
  ).rejects.toBeInstanceOf(CallerRefused);
}

/**
 * Every auth command, and the check that each is `(actor, input, options?: CommandOptions)` with an
 * `Actor` first. The check is a type: `npm run typecheck` fails naming the command that has another shape.
 */
const AUTH_COMMANDS = {
  signOutEverywhere,
  endSession,
  createApiKey,
  revokeApiKey,
  startEmailTwoFactor,
  resendEmailTwoFactorCode,
  confirmEmailTwoFactor,
  cancelEmailTwoFactor,
  startEmailTwoFactorForUser,
  startImpersonation,
  stopImpersonation,
  login,
  apiLogin,
  completeApiTwoFactor,
  completeBrowserTwoFactor,
  passkeyLogin,
  logout,
  passkeyLoginOptions,
  passkeyRegistrationOptions,
  registerPasskey,
  removePasskey,
  changePassword,
  requestPasswordReset,
  resetPassword,
  confirmAccountPassword,
  reauthenticate,
  regenerateRecoveryCodes,
  setInstanceSecondFactorRule,
  startTotpSetup,
  confirmTotp,
  disableTotp,
  setTwoFactor,
};

type CommandShape<F> = F extends (...args: infer P) => Promise<unknown>
  ? P extends [infer A, unknown?, (CommandOptions | undefined)?]
    ? A extends Actor
      ? 3 extends P["length"]
        ? true
        : false
      : false
    : false
  : false;
type OtherShape = { [K in keyof typeof AUTH_COMMANDS]: CommandShape<(typeof AUTH_COMMANDS)[K]> extends true ? never : K }[keyof typeof AUTH_COMMANDS];
/** `never` when every command has the shape; otherwise the names of those that do not (a type error here). */
const noOtherShape: [OtherShape] extends [never] ? true : `not (actor, input, options?): ${OtherShape}` = true;

describe("the shape of the auth commands", () => {
  it("every auth command is (actor, input, options?) — checked by the type above", () => {
    expect(noOtherShape).toBe(true);
    for (const command of Object.values(AUTH_COMMANDS)) expect(command).toBeTypeOf("function");
  });
});

describe("auth commands join a caller's transaction (options.tx)", () => {
  it("createApiKey: rolled back with the caller (key and activity entry), committed on its own without tx", async () => {
    const { actor } = await signedIn();
    let createdId = "";
    await inRefusedTransaction(async (tx) => {
      const created = await createApiKey(actor, { name: "Rollback-Schlüssel", scope: "read", expires_at: null }, { tx });
      createdId = created.id;
      // Inside the caller's transaction the key and its entry exist.
      expect(await tx.select().from(apiKeys).where(eq(apiKeys.id, created.id))).toHaveLength(1);
    });
    expect(createdId).not.toBe("");
    expect(await database.db().select().from(apiKeys).where(eq(apiKeys.id, createdId))).toHaveLength(0);
    expect(await entries("api.key_created", "api_key_id", createdId)).toHaveLength(0);

    const kept = await createApiKey(actor, { name: "Bleibt", scope: "read_write", expires_at: null });
    expect(await database.db().select().from(apiKeys).where(eq(apiKeys.id, kept.id))).toHaveLength(1);
    const [entry] = await entries("api.key_created", "api_key_id", kept.id);
    expect(entry).toMatchObject({ ip: actor.ip, userId: actor.principal.userId, actorType: "user" });
  });

  it("revokeApiKey: the key stays live when the caller rolls back; revoked with its entry without tx", async () => {
    const { actor } = await signedIn();
    const key = await createApiKey(actor, { name: "Zu widerrufen", scope: "read", expires_at: null });
    await inRefusedTransaction((tx) => revokeApiKey(actor, { id: key.id }, { tx }));
    const [afterRollback] = await database.db().select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(afterRollback.revokedAt).toBeNull();
    expect(await entries("api.key_revoked", "api_key_id", key.id)).toHaveLength(0);

    const other = await signedIn();
    await revokeApiKey(other.actor, { id: key.id });
    const [revoked] = await database.db().select().from(apiKeys).where(eq(apiKeys.id, key.id));
    expect(revoked.revokedAt).not.toBeNull();
    const [entry] = await entries("api.key_revoked", "api_key_id", key.id);
    // The address is the one of the actor that revoked, not of the one that created.
    expect(entry.ip).toBe(other.actor.ip);
    expect(entry.ip).not.toBe(actor.ip);
  });

  it("endSession: the other session stays live when the caller rolls back; ended with its entry without tx", async () => {
    const { actor } = await signedIn();
    const target = await signedIn();
    const before = (await database.db().select({ n: sql<number>`count(*)::int` }).from(activityLog).where(eq(activityLog.action, "auth.session_ended")))[0].n;
    await inRefusedTransaction((tx) => endSession(actor, { id: target.sessionId }, { tx }));
    expect(await liveSession(target.sessionId)).not.toBeNull();
    const afterRollback = (await database.db().select({ n: sql<number>`count(*)::int` }).from(activityLog).where(eq(activityLog.action, "auth.session_ended")))[0].n;
    expect(afterRollback).toBe(before);

    const result = await endSession(actor, { id: target.sessionId });
    expect(result.current).toBe(false);
    expect(await liveSession(target.sessionId)).toBeNull();
    const ended = await database
      .db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.action, "auth.session_ended"), eq(activityLog.ip, actor.ip!)));
    expect(ended).toHaveLength(1);
  });

  it("signOutEverywhere: every session survives a caller's rollback; all end without tx, recorded from the caller's address", async () => {
    const { actor, sessionId } = await signedIn();
    const other = await signedIn();
    await inRefusedTransaction((tx) => signOutEverywhere(actor, {}, { tx }));
    expect(await liveSession(sessionId)).not.toBeNull();
    expect(await liveSession(other.sessionId)).not.toBeNull();
    const none = await database.db().select().from(activityLog).where(and(eq(activityLog.action, "auth.logout_all"), eq(activityLog.ip, actor.ip!)));
    expect(none).toHaveLength(0);

    await signOutEverywhere(actor);
    expect(await liveSession(sessionId)).toBeNull();
    expect(await liveSession(other.sessionId)).toBeNull();
    const recorded = await database.db().select().from(activityLog).where(and(eq(activityLog.action, "auth.logout_all"), eq(activityLog.ip, actor.ip!)));
    expect(recorded).toHaveLength(1);
  });

  it("a refused command inside a caller's transaction takes back only its own writes (savepoint)", async () => {
    const { actor } = await signedIn();
    const db = await getDb();
    const created = await db.transaction(async (tx) => {
      const key = await createApiKey(actor, { name: "Zusammen", scope: "read", expires_at: null }, { tx });
      // Unknown key: the command refuses; the caller carries on with its transaction.
      await expect(revokeApiKey(actor, { id: "00000000-0000-4000-8000-000000000000" }, { tx })).rejects.toBeInstanceOf(NotFoundError);
      await revokeApiKey(actor, { id: key.id }, { tx });
      return key;
    });
    const [row] = await database.db().select().from(apiKeys).where(eq(apiKeys.id, created.id));
    expect(row.revokedAt).not.toBeNull();
    expect(await entries("api.key_created", "api_key_id", created.id)).toHaveLength(1);
    expect(await entries("api.key_revoked", "api_key_id", created.id)).toHaveLength(1);
  });
});
