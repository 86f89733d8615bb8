/**
 * Passkeys (WebAuthn): sign-in without a password and second factor of a
 * password login. Relying party id and origin come from APP_URL. Challenges
 * live in PostgreSQL (`webauthn_challenges`, single use, 5 minutes), so any
 * app process can finish a ceremony another one started. Sign-in uses
 * discoverable credentials: the passkey names the account. The signature
 * counter is kept; a counter that goes backwards is refused (cloned key).
 */
import {
  generateAuthenticationOptions,
  generateRegistrationOptions,
  verifyAuthenticationResponse,
  verifyRegistrationResponse,
  type AuthenticationResponseJSON,
  type AuthenticatorTransport,
  type RegistrationResponseJSON,
} from "@simplewebauthn/server";
import { and, count, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { userPasskeys, users, webauthnChallenges } from "@/db/schema";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { recordActivity, type AnonymousActor } from "@/lib/activity";
import { config } from "@/lib/config";
import { NotFoundError, ValidationError } from "@/lib/errors";
import { enforceRateLimit } from "@/lib/rate-limit";
import { apiTimestamp } from "@/lib/time";
import { AuthError } from "./errors";
import { deviceLabel } from "./devices";
import type { AuthActor, NoInput } from "./principal";
import { remainingRecoveryCodes, replaceRecoveryCodes } from "./recovery-codes";

const CHALLENGE_TTL_MS = 5 * 60_000;
const PASSKEY_FAILED = "Die Anmeldung mit dem Passkey ist fehlgeschlagen. Bitte erneut versuchen.";

export function relyingParty() {
  const url = new URL(config().APP_URL);
  return { rpID: url.hostname, origin: url.origin, rpName: "Manage-Portal" };
}

type UserRow = typeof users.$inferSelect;

async function storeChallenge(purpose: "register" | "authenticate", challenge: string, userId: string | null, tx?: DbOrTx) {
  const db = tx ?? (await getDb());
  const [row] = await db
    .insert(webauthnChallenges)
    .values({ purpose, challenge, userId, expiresAt: new Date(Date.now() + CHALLENGE_TTL_MS) })
    .returning({ id: webauthnChallenges.id });
  return row.id;
}

/** Takes a challenge once (conditional UPDATE): a replayed ceremony finds nothing. */
async function takeChallenge(id: string, purpose: "register" | "authenticate", userId: string | null, tx?: DbOrTx): Promise<string | null> {
  if (!/^[0-9a-f-]{36}$/i.test(id)) return null;
  const db = tx ?? (await getDb());
  const conditions = [
    eq(webauthnChallenges.id, id),
    eq(webauthnChallenges.purpose, purpose),
    isNull(webauthnChallenges.consumedAt),
    gt(webauthnChallenges.expiresAt, sql`now()`),
  ];
  if (userId) conditions.push(eq(webauthnChallenges.userId, userId));
  const [row] = await db
    .update(webauthnChallenges)
    .set({ consumedAt: sql`now()` })
    .where(and(...conditions))
    .returning({ challenge: webauthnChallenges.challenge });
  return row?.challenge ?? null;
}

export async function countPasskeys(userId: string, tx?: DbOrTx) {
  const db = tx ?? (await getDb());
  const [row] = await db.select({ n: count() }).from(userPasskeys).where(eq(userPasskeys.userId, userId));
  return Number(row?.n ?? 0);
}

export async function listPasskeys(userId: string) {
  const db = await getDb();
  const rows = await db.select().from(userPasskeys).where(eq(userPasskeys.userId, userId)).orderBy(userPasskeys.createdAt);
  return {
    passkeys: rows.map((p) => ({
      id: p.id,
      name: p.name,
      created_at: apiTimestamp(p.createdAt),
      last_used_at: p.lastUsedAt ? apiTimestamp(p.lastUsedAt) : null,
    })),
  };
}

export type PasskeyView = Awaited<ReturnType<typeof listPasskeys>>["passkeys"][number];

/**
 * A passkey's name when none is typed: the device it was made on ("Chrome auf
 * Linux", from the user agent), numbered when the account has that name
 * already ("Chrome auf Linux (2)"); "Passkey" for agents naming no browser.
 */
export function defaultPasskeyName(userAgent: string | null | undefined, taken: string[]): string {
  const base = deviceLabel(userAgent) ?? "Passkey";
  if (!taken.includes(base)) return base;
  for (let n = 2; ; n++) if (!taken.includes(`${base} (${n})`)) return `${base} (${n})`;
}

/** Registration step 1: options for `navigator.credentials.create`, the challenge kept in PostgreSQL. */
export async function passkeyRegistrationOptions(actor: AuthActor, _input: NoInput = {}, options?: CommandOptions) {
  const { principal } = actor;
  const db = options?.tx ?? (await getDb());
  const existing = await db.select().from(userPasskeys).where(eq(userPasskeys.userId, principal.userId));
  const rp = relyingParty();
  const registration = await generateRegistrationOptions({
    rpName: rp.rpName,
    rpID: rp.rpID,
    userName: principal.email,
    userDisplayName: principal.name,
    userID: new TextEncoder().encode(principal.userId),
    attestationType: "none",
    excludeCredentials: existing.map((p) => ({ id: p.credentialId, transports: transportsOf(p.transports) })),
    authenticatorSelection: { residentKey: "required", userVerification: "preferred" },
  });
  const challenge_id = await storeChallenge("register", registration.challenge, principal.userId, options?.tx);
  return { challenge_id, options: registration };
}

function transportsOf(value: string | null): AuthenticatorTransport[] | undefined {
  return value ? (value.split(",") as AuthenticatorTransport[]) : undefined;
}

/**
 * Registration step 2: verifies the authenticator's answer and keeps the public key. First passkey without app → recovery codes.
 * `userAgent` (the registering browser's) names the passkey when no name is typed.
 */
export async function registerPasskey(
  actor: AuthActor,
  input: { challenge_id: string; name?: string; response: RegistrationResponseJSON; userAgent?: string | null },
  options?: CommandOptions,
) {
  const { principal } = actor;
  const { userAgent } = input;
  const expectedChallenge = await takeChallenge(input.challenge_id, "register", principal.userId, options?.tx);
  if (!expectedChallenge) throw new ValidationError({ response: ["Die Registrierung ist abgelaufen. Bitte erneut versuchen."] });
  const rp = relyingParty();
  let verification;
  try {
    verification = await verifyRegistrationResponse({
      response: input.response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
    });
  } catch {
    throw new ValidationError({ response: ["Der Passkey konnte nicht geprüft werden. Bitte erneut versuchen."] });
  }
  if (!verification.verified || !verification.registrationInfo) {
    throw new ValidationError({ response: ["Der Passkey konnte nicht geprüft werden. Bitte erneut versuchen."] });
  }
  const { credential } = verification.registrationInfo;
  return inTransaction(options, async (tx) => {
    const mine = await tx
      .select({ name: userPasskeys.name, credentialId: userPasskeys.credentialId })
      .from(userPasskeys)
      .where(eq(userPasskeys.userId, principal.userId));
    const same = mine.find((p) => p.credentialId === credential.id);
    if (same) throw new ValidationError({ response: [`Dieser Passkey ist für Ihr Konto bereits registriert (als „${same.name}“).`] });
    const name = input.name?.trim().slice(0, 80) || defaultPasskeyName(userAgent, mine.map((p) => p.name));
    const [row] = await tx
      .insert(userPasskeys)
      .values({
        userId: principal.userId,
        credentialId: credential.id,
        publicKey: Buffer.from(credential.publicKey).toString("base64url"),
        counter: credential.counter,
        transports: credential.transports?.join(",") ?? null,
        name,
      })
      .onConflictDoNothing({ target: userPasskeys.credentialId })
      .returning();
    if (!row) throw new ValidationError({ response: ["Dieser Passkey ist bereits registriert."] });
    const recovery_codes = (await remainingRecoveryCodes(principal.userId, tx)) === 0 ? await replaceRecoveryCodes(tx, principal.userId) : null;
    await recordActivity(tx, actor, {
      instanceId: principal.instanceId,
      action: "auth.passkey_added",
      description: `Passkey „${row.name}“ hinzugefügt`,
    });
    return { passkey: { id: row.id, name: row.name, created_at: apiTimestamp(row.createdAt), last_used_at: null }, recovery_codes, message: "Der Passkey wurde hinzugefügt." };
  });
}

export async function removePasskey(actor: AuthActor, input: { id: string }, options?: CommandOptions) {
  const { principal } = actor;
  const { id } = input;
  return inTransaction(options, async (tx) => {
    const [row] = await tx
      .delete(userPasskeys)
      .where(and(eq(userPasskeys.id, id), eq(userPasskeys.userId, principal.userId)))
      .returning({ name: userPasskeys.name });
    if (!row) throw new NotFoundError("Der Passkey wurde nicht gefunden.");
    await recordActivity(tx, actor, {
      instanceId: principal.instanceId,
      action: "auth.passkey_removed",
      description: `Passkey „${row.name}“ entfernt`,
    });
    return { message: "Der Passkey wurde entfernt." };
  });
}

/** Sign-in step 1 (no account known yet): options for `navigator.credentials.get`. */
export async function passkeyLoginOptions(actor: AnonymousActor, _input: NoInput = {}, options?: CommandOptions) {
  // Unauthenticated and writing a row: limited per address.
  await enforceRateLimit(`passkey-options:ip:${actor.ip ?? "unknown"}`, { limit: 30, windowSeconds: 60 });
  const rp = relyingParty();
  const authentication = await generateAuthenticationOptions({ rpID: rp.rpID, userVerification: "preferred" });
  const challenge_id = await storeChallenge("authenticate", authentication.challenge, null, options?.tx);
  return { challenge_id, options: authentication };
}

/**
 * Sign-in step 2: checks the assertion against the stored public key. With
 * `userId` (second factor of a password login) the passkey must belong to
 * that account. Returns the account; the caller finishes the login.
 */
export async function verifyPasskeyAssertion(
  input: { challenge_id: string; response: AuthenticationResponseJSON },
  userId?: string,
): Promise<UserRow> {
  const expectedChallenge = await takeChallenge(input.challenge_id, "authenticate", null);
  if (!expectedChallenge) throw new AuthError(401, "invalid_challenge", "Die Anmeldung mit dem Passkey ist abgelaufen. Bitte erneut versuchen.");
  const db = await getDb();
  const [found] = await db
    .select({ passkey: userPasskeys, user: users })
    .from(userPasskeys)
    .innerJoin(users, eq(users.id, userPasskeys.userId))
    .where(eq(userPasskeys.credentialId, String(input.response?.id ?? "")));
  if (!found || (userId && found.user.id !== userId)) throw new AuthError(401, "invalid_passkey", "Dieser Passkey ist für kein Konto registriert.");
  const rp = relyingParty();
  let verification;
  try {
    verification = await verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge,
      expectedOrigin: rp.origin,
      expectedRPID: rp.rpID,
      requireUserVerification: false,
      credential: {
        id: found.passkey.credentialId,
        publicKey: new Uint8Array(Buffer.from(found.passkey.publicKey, "base64url")),
        counter: found.passkey.counter,
        transports: transportsOf(found.passkey.transports),
      },
    });
  } catch {
    throw new AuthError(401, "invalid_passkey", PASSKEY_FAILED);
  }
  if (!verification.verified) throw new AuthError(401, "invalid_passkey", PASSKEY_FAILED);
  const next = verification.authenticationInfo.newCounter;
  // Counter 0 means the authenticator does not count; otherwise it must grow (conditional update).
  const updated = await db
    .update(userPasskeys)
    .set({ counter: next, lastUsedAt: sql`now()` })
    .where(and(eq(userPasskeys.id, found.passkey.id), next === 0 ? sql`true` : sql`${userPasskeys.counter} < ${next}`))
    .returning({ id: userPasskeys.id });
  if (updated.length === 0) throw new AuthError(401, "invalid_passkey", PASSKEY_FAILED);
  if (!found.user.active) throw new AuthError(401, "account_disabled", "Dieses Konto ist deaktiviert. Bitte wenden Sie sich an Ihren Administrator.");
  return found.user;
}
