/**
 * E-mail 2FA: a `tx_…` challenge token plus an 8-digit code, both stored
 * hashed. Attempts are counted atomically before comparing (constant time),
 * per challenge and per account (`2fa:account:<id>`, 30 minutes, whichever
 * challenge): 5 wrong codes lock the account's 2FA login for 30 minutes (429,
 * `Retry-After: 1800`) and a new login does not reset the lock. Codes expire
 * (`TWO_FACTOR_CODE_TTL_MINUTES`) and are single use. A challenge is bound to
 * its door: browser challenges are not usable at API v1 and vice versa.
 */
import { randomInt } from "node:crypto";
import { and, eq, sql, type Placeholder } from "drizzle-orm";
import { getDb } from "@/db/client";
import { twoFactorChallenges, users } from "@/db/schema";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { anonymousActor, recordActivity, type AnonymousActor } from "@/lib/activity";
import { config } from "@/lib/config";
import { constantTimeEqual, hashToken, randomToken } from "@/lib/crypto/tokens";
import { enqueueMail } from "@/lib/mail";
import { escapeHtml } from "@/lib/mail/templates";
import { peekRateLimit, refundRateLimit, takeRateLimits } from "@/lib/rate-limit";
import { AuthError } from "./errors";
import { checkSecondFactor, methodOfCode, type SecondFactorProof } from "./second-factor";
import { RECOVERY_CODE_USED_MESSAGE, recoveryCodeAlreadyUsed } from "./recovery-codes";
import { twoFactorAccountKey } from "./rate-limits";
import { discardEmailConfirmations, startEmailTwoFactorForUser } from "./email-two-factor";
import { confirmAccountPassword } from "./reauthentication";
import type { AuthActor } from "./principal";

export const MAX_CODE_ATTEMPTS = 5;
export const LOCKOUT_SECONDS = 1800;
export const CHALLENGE_PREFIX = "tx_";

type UserRow = typeof users.$inferSelect;
export type ChallengePurpose = "api" | "browser";

const INVALID_CHALLENGE = "Die Anmeldung mit Code ist abgelaufen oder ungültig. Bitte erneut anmelden.";

export function generateCode(): string {
  return String(randomInt(0, 100_000_000)).padStart(8, "0");
}

/** The code's hash is bound to the challenge, so equal codes of two challenges hash differently. */
function codeHash(challengeId: string, code: string) {
  return hashToken(`${challengeId}:${code}`);
}

/** Starts a 2FA login: stores the challenge (hashed) and mails the 8-digit code. */
export async function startChallenge(actor: AnonymousActor, input: { user: UserRow; purpose: ChallengePurpose }, options?: CommandOptions): Promise<string> {
  const { user, purpose } = input;
  const ip = actor.ip;
  const db = options?.tx ?? (await getDb());
  // A lockout holds for the account, not just the challenge: a new login does not reset it.
  const [locked] = await db
    .select({ lockedUntil: twoFactorChallenges.lockedUntil })
    .from(twoFactorChallenges)
    .where(and(eq(twoFactorChallenges.userId, user.id), sql`${twoFactorChallenges.lockedUntil} > now()`))
    .orderBy(sql`${twoFactorChallenges.lockedUntil} desc`)
    .limit(1);
  if (locked?.lockedUntil) throw lockedError(locked.lockedUntil);
  const accountKey = twoFactorAccountKey(user.id);
  const wrongCodes = await peekRateLimit(accountKey.key, accountKey.rule);
  if (!wrongCodes.allowed) throw lockedError(new Date(Date.now() + wrongCodes.retryAfterSeconds * 1000));
  const token = `${CHALLENGE_PREFIX}${randomToken()}`;
  const code = generateCode();
  const ttl = config().TWO_FACTOR_CODE_TTL_MINUTES;
  const id = crypto.randomUUID();
  await inTransaction(options, async (tx) => {
    await tx.insert(twoFactorChallenges).values({
      id,
      userId: user.id,
      tokenHash: hashToken(token),
      codeHash: codeHash(id, code),
      purpose,
      ip,
      expiresAt: new Date(Date.now() + ttl * 60_000),
    });
    // Only accounts with e-mail 2FA get the code mailed; app/passkey accounts answer with their own method.
    if (user.twoFactorEnabled) await enqueueMail(tx, twoFactorMail({ to: user.email, name: user.name, code, validMinutes: ttl }), `2fa-${id}`);
  });
  return token;
}

/**
 * A fresh code for an open e-mail login challenge, mailed to the account's own
 * address (staff "Erneut senden" of a failed code mail; the old code stops
 * working). Null when the challenge is over or the account has no e-mail 2FA.
 */
export async function reissueTwoFactorCode(tx: DbOrTx, challengeId: string): Promise<{ mailId: number | null; to: string } | null> {
  const [row] = await tx
    .select({ challenge: twoFactorChallenges, user: users })
    .from(twoFactorChallenges)
    .innerJoin(users, eq(users.id, twoFactorChallenges.userId))
    .where(
      and(
        eq(twoFactorChallenges.id, challengeId),
        sql`${twoFactorChallenges.consumedAt} is null`,
        sql`${twoFactorChallenges.expiresAt} > now()`,
        sql`${twoFactorChallenges.purpose} <> 'email_setup'`,
      ),
    );
  if (!row || !row.user.active || !row.user.twoFactorEnabled) return null;
  const code = generateCode();
  await tx.update(twoFactorChallenges).set({ codeHash: codeHash(challengeId, code) }).where(eq(twoFactorChallenges.id, challengeId));
  const validMinutes = Math.max(1, Math.floor((row.challenge.expiresAt.getTime() - Date.now()) / 60_000));
  const mailId = await enqueueMail(tx, twoFactorMail({ to: row.user.email, name: row.user.name, code, validMinutes }), `2fa-${challengeId}-${randomToken(8)}`);
  return { mailId, to: row.user.email };
}

export function twoFactorMail({ to, name, code, validMinutes }: { to: string; name: string; code: string; validMinutes: number }) {
  const text = [
    `Hallo ${name},`,
    "",
    "Ihr Anmeldecode für das Manage-Portal lautet:",
    "",
    `    ${code}`,
    "",
    `Der Code ist ${validMinutes} Minuten gültig und kann nur einmal verwendet werden.`,
    "Falls Sie sich nicht gerade anmelden, ändern Sie bitte umgehend Ihr Passwort.",
    "",
    "Viele Grüße",
    "Ihr Manage-Portal-Team",
  ].join("\n");
  const html = `<p>Hallo ${escapeHtml(name)},</p>
<p>Ihr Anmeldecode für das Manage-Portal lautet:</p>
<p style="font-size:24px;font-weight:bold;letter-spacing:4px">${code}</p>
<p>Der Code ist ${validMinutes} Minuten gültig und kann nur einmal verwendet werden.</p>
<p>Falls Sie sich nicht gerade anmelden, ändern Sie bitte umgehend Ihr Passwort.</p>`;
  return { to, subject: `Ihr Anmeldecode: ${code} – Manage-Portal`, text, html, secrets: [code] };
}

/**
 * Checks a code. Every attempt is counted with one atomic UPDATE before the
 * comparison, so parallel guesses cannot exceed the limit. After the fifth
 * wrong code the challenge is locked for 30 minutes (429, Retry-After: 1800);
 * a right code consumes the challenge (single use).
 */
export async function verifyChallenge(
  actor: AnonymousActor,
  input: SecondFactorProof & { token: string; code: string; purpose: ChallengePurpose },
): Promise<UserRow> {
  const { token, code, purpose, ...proof } = input;
  const ip = actor.ip;
  const db = await getDb();
  const tokenHash = hashToken(token);
  const [challenge] = await db
    .select()
    .from(twoFactorChallenges)
    .where(and(eq(twoFactorChallenges.tokenHash, tokenHash), eq(twoFactorChallenges.purpose, purpose)))
    .limit(1);
  if (!challenge || challenge.consumedAt) throw new AuthError(401, "invalid_challenge", INVALID_CHALLENGE);
  if (challenge.lockedUntil && challenge.lockedUntil.getTime() > Date.now()) throw lockedError(challenge.lockedUntil);
  if (challenge.expiresAt.getTime() <= Date.now()) {
    throw new AuthError(401, "challenge_expired", "Der Code ist abgelaufen. Bitte erneut anmelden, um einen neuen Code zu erhalten.");
  }

  // Wrong codes count per account over 30 minutes, whichever challenge they came from:
  // a point is taken first (atomic) and given back unless the code turns out wrong.
  const accountKey = twoFactorAccountKey(challenge.userId);
  const account = await takeRateLimits([accountKey]);
  if (!account.allowed) throw lockedError(new Date(Date.now() + account.retryAfterSeconds * 1000));
  let wrongCode = false;
  try {
    // Count the attempt first (atomic); only attempts within the limit are compared.
    const [counted] = await db
      .update(twoFactorChallenges)
      .set({ attempts: sql`${twoFactorChallenges.attempts} + 1` })
      .where(and(eq(twoFactorChallenges.id, challenge.id), sql`${twoFactorChallenges.consumedAt} is null`, sql`${twoFactorChallenges.attempts} < ${MAX_CODE_ATTEMPTS}`))
      .returning({ attempts: twoFactorChallenges.attempts });
    if (!counted) {
      const [now] = await db.select().from(twoFactorChallenges).where(eq(twoFactorChallenges.id, challenge.id));
      if (now?.consumedAt) throw new AuthError(401, "invalid_challenge", INVALID_CHALLENGE);
      throw lockedError(now?.lockedUntil ?? new Date(Date.now() + LOCKOUT_SECONDS * 1000));
    }

    const normalized = code.replace(/\s+/g, "");
    const ok = await checkSecondFactor(actor, { ...proof, userId: challenge.userId, code: normalized, emailCheck: () => constantTimeEqual(codeHash(challenge.id, normalized), challenge.codeHash) });
    if (ok) {
      const [consumed] = await db
        .update(twoFactorChallenges)
        .set({ consumedAt: sql`now()` })
        .where(and(eq(twoFactorChallenges.id, challenge.id), sql`${twoFactorChallenges.consumedAt} is null`))
        .returning({ id: twoFactorChallenges.id });
      if (!consumed) throw new AuthError(401, "invalid_challenge", INVALID_CHALLENGE);
      const [user] = await db.select().from(users).where(eq(users.id, challenge.userId));
      if (!user || !user.active) throw new AuthError(401, "invalid_challenge", INVALID_CHALLENGE);
      return user;
    }

    wrongCode = true;
    const remaining = Math.min(MAX_CODE_ATTEMPTS - counted.attempts, accountKey.rule.limit - (account.counts[accountKey.key] ?? 0));
    const [user] = await db.select().from(users).where(eq(users.id, challenge.userId));
    const onAccount = anonymousActor(ip, user ?? null);
    if (remaining <= 0) {
      const lockedUntil = new Date(Date.now() + LOCKOUT_SECONDS * 1000);
      await db.transaction(async (tx) => {
        await tx.update(twoFactorChallenges).set({ lockedUntil }).where(eq(twoFactorChallenges.id, challenge.id));
        await recordActivity(tx, onAccount, {
          instanceId: user?.instanceId ?? null,
          action: "auth.2fa_locked",
          description: `2FA-Anmeldung nach ${MAX_CODE_ATTEMPTS} falschen Codes für 30 Minuten gesperrt`,
        });
      });
      throw lockedError(lockedUntil);
    }
    // The attempt itself was counted above, atomically; the entry only records it.
    // A recovery code used before is named as such ("bereits verwendet"), not just "falsch"; it still counts as a wrong attempt.
    const method = proof.passkey ? "passkey" : (proof.method ?? methodOfCode(normalized));
    const usedBefore = method === "recovery_code" && (await recoveryCodeAlreadyUsed(challenge.userId, normalized));
    await recordActivity(db, onAccount, {
      instanceId: user?.instanceId ?? null,
      action: "auth.2fa_failed",
      description: usedBefore ? "Bereits verwendeter Wiederherstellungscode eingegeben" : "Falscher 2FA-Code eingegeben",
    });
    const left = `Noch ${remaining} ${remaining === 1 ? "Versuch" : "Versuche"}.`;
    throw new AuthError(401, "invalid_code", usedBefore ? `${RECOVERY_CODE_USED_MESSAGE} ${left}` : `Der Code ist falsch. ${left}`, {
      attempts_remaining: remaining,
    });
  } finally {
    if (!wrongCode) await refundRateLimit(accountKey.key).catch(() => {});
  }
}

function lockedError(until: Date) {
  const seconds = Math.max(1, Math.ceil((until.getTime() - Date.now()) / 1000));
  return new AuthError(
    429,
    "too_many_attempts",
    "Zu viele falsche Codes. Die Anmeldung ist für 30 Minuten gesperrt.",
    { retry_after: seconds },
    { "Retry-After": String(seconds) },
  );
}

/** Thrown by the browser login when the account has 2FA: the login form continues with the code step. */
export class TwoFactorRequiredError extends Error {
  static readonly PREFIX = "2FA_REQUIRED:";
  /** Accounts with more than e-mail 2FA also name their methods: `2FA_REQUIRED:<token>:totp,passkey`. */
  constructor(
    readonly challengeToken: string,
    readonly methods: string[] = ["email"],
  ) {
    const emailOnly = methods.length === 1 && methods[0] === "email";
    super(`${TwoFactorRequiredError.PREFIX}${challengeToken}${emailOnly ? "" : `:${methods.join(",")}`}`);
    this.name = "TwoFactorRequiredError";
  }
}

/**
 * PUT /api/v1/auth/2fa: the password confirms. Switching off is immediate
 * (an open confirmation goes too); switching on mails a test code and e-mail
 * 2FA is on only after `confirmEmailTwoFactor` (`email-two-factor.ts`). An
 * account that already has e-mail 2FA keeps it unchanged.
 */
export async function setTwoFactor(actor: AuthActor, input: { enabled: boolean; password: string }, options?: CommandOptions) {
  const user = await confirmAccountPassword(actor, { password: input.password }, options);
  if (input.enabled && !user.twoFactorEnabled) return startEmailTwoFactorForUser(actor, { user }, options);
  await inTransaction(options, async (tx) => {
    if (!input.enabled) await discardEmailConfirmations(tx, user.id);
    const [changed] = await tx
      .update(users)
      .set({ twoFactorEnabled: input.enabled, updatedAt: new Date() })
      .where(and(eq(users.id, user.id), sql`${users.twoFactorEnabled} <> ${input.enabled}`))
      .returning({ id: users.id });
    if (!changed) return;
    await recordActivity(tx, actor, {
      instanceId: user.instanceId,
      action: "auth.2fa_disabled",
      description: "Zwei-Faktor-Anmeldung per E-Mail deaktiviert",
      metadata: { method: "email" },
    });
  });
  return {
    two_factor_enabled: input.enabled,
    confirmation_pending: false,
    message: input.enabled
      ? "Die Zwei-Faktor-Anmeldung ist aktiv. Bei der nächsten Anmeldung senden wir Ihnen einen Code per E-Mail."
      : "Die Zwei-Faktor-Anmeldung ist deaktiviert.",
  };
}

export async function twoFactorStatus(userId: string, tx?: DbOrTx) {
  const [user] = await twoFactorStatusSelect(tx ?? (await getDb()), userId);
  return { two_factor_enabled: Boolean(user?.enabled), email: user?.email ?? null };
}

/** The query of `twoFactorStatus` as a builder (the benchmark's bare server renders it with a placeholder). */
export function twoFactorStatusSelect(db: DbOrTx, userId: string | Placeholder) {
  return db.select({ enabled: users.twoFactorEnabled, email: users.email }).from(users).where(eq(users.id, userId));
}
