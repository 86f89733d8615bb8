/**
 * Switching e-mail 2FA on, confirmed by a test code (issue 14): the password
 * starts it, a 6-digit code goes to the account's address through the mail
 * outbox, and only the right code switches e-mail 2FA on. So nobody turns on
 * a second factor whose mails never arrive.
 *
 * The open confirmation is a row of `two_factor_challenges` with purpose
 * `email_setup` (the login challenges' table: code hashed and bound to the
 * row, expiry, single use, housekeeping). Its token is random and never
 * leaves the server — the confirmation is found by account, and the login
 * (`verifyChallenge`, purposes `api`/`browser`) can never use it.
 *
 * - One open confirmation per account: a new code (start or "erneut senden")
 *   supersedes the previous one, only the newest code counts.
 * - The code is valid 10 minutes and single use: the switch-on consumes the
 *   row with a conditional UPDATE in the same transaction that turns 2FA on.
 * - Wrong codes are limited like every code check (`codeCheckKeys`: 5 per
 *   30 minutes per account, 10 per minute per address), the password like a
 *   password change (5 per 5 minutes), mails to 5 per 30 minutes per account.
 * - Accounts that already have e-mail 2FA are untouched: the login flow of
 *   seed 002 does not look at these rows.
 */
import { randomInt } from "node:crypto";
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { twoFactorChallenges, users } from "@/db/schema";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { recordActivity } from "@/lib/activity";
import { ConflictError, NotFoundError, RateLimitError, ValidationError } from "@/lib/errors";
import { enqueueMail } from "@/lib/mail";
import { escapeHtml } from "@/lib/mail/templates";
import { consumeRateLimit, type RateLimitRule } from "@/lib/rate-limit";
import { apiTimestamp } from "@/lib/time";
import { constantTimeEqual, hashToken, randomToken } from "@/lib/crypto/tokens";
import type { AuthActor, NoInput } from "./principal";
import { confirmAccountPassword } from "./reauthentication";
import { limitedAttempt } from "./rate-limits";
import { codeCheckKeys } from "./totp";

export const EMAIL_SETUP_PURPOSE = "email_setup";
export const EMAIL_SETUP_CODE_TTL_MINUTES = 10;
/** "Code erneut senden" works this long after the last code without asking for the password again. */
export const EMAIL_SETUP_RESEND_MINUTES = 30;
/** Codes mailed per account (start and resend together). */
export const EMAIL_SETUP_MAIL_LIMIT: RateLimitRule = { limit: 5, windowSeconds: 30 * 60 };

type UserRow = typeof users.$inferSelect;

const ALREADY_ON = "Die Zwei-Faktor-Anmeldung per E-Mail ist bereits aktiv.";
const NOTHING_OPEN = "Es gibt keinen offenen Bestätigungscode. Bitte schalten Sie die E-Mail-Bestätigung erneut ein.";

export function generateSetupCode(): string {
  return String(randomInt(0, 1_000_000)).padStart(6, "0");
}

function setupCodeHash(id: string, code: string) {
  return hashToken(`${EMAIL_SETUP_PURPOSE}:${id}:${code}`);
}

function minutesText(seconds: number) {
  const minutes = Math.max(1, Math.ceil(seconds / 60));
  return minutes === 1 ? "einer Minute" : `${minutes} Minuten`;
}

async function loadUser(userId: string, db?: DbOrTx): Promise<UserRow> {
  const database = db ?? (await getDb());
  const [user] = await database.select().from(users).where(eq(users.id, userId));
  if (!user) throw new NotFoundError("Das Konto wurde nicht gefunden.");
  return user;
}

/** The account's open confirmation (newest code), if "erneut senden" may still continue it. */
async function openConfirmation(userId: string, db: DbOrTx) {
  const [row] = await db
    .select()
    .from(twoFactorChallenges)
    .where(
      and(
        eq(twoFactorChallenges.userId, userId),
        eq(twoFactorChallenges.purpose, EMAIL_SETUP_PURPOSE),
        isNull(twoFactorChallenges.consumedAt),
        gt(twoFactorChallenges.createdAt, sql`now() - ${sql.raw(`interval '${EMAIL_SETUP_RESEND_MINUTES} minutes'`)}`),
      ),
    )
    .orderBy(desc(twoFactorChallenges.createdAt))
    .limit(1);
  return row ?? null;
}

/** What the account page shows of an open confirmation: where the code went and until when it is valid. */
export async function emailConfirmationState(userId: string, tx?: DbOrTx) {
  const db = tx ?? (await getDb());
  const [user] = await db.select({ email: users.email, enabled: users.twoFactorEnabled }).from(users).where(eq(users.id, userId));
  if (!user || user.enabled) return null;
  const open = await openConfirmation(userId, db);
  if (!open) return null;
  return { sent_to: user.email, expires_at: apiTimestamp(open.expiresAt)!, expired: open.expiresAt.getTime() <= Date.now() };
}

export function emailSetupMail({ to, name, code, validMinutes }: { to: string; name: string; code: string; validMinutes: number }) {
  const text = [
    `Hallo ${name},`,
    "",
    "Sie möchten die Zwei-Faktor-Anmeldung per E-Mail für das Manage-Portal einschalten.",
    "Ihr Bestätigungscode lautet:",
    "",
    `    ${code}`,
    "",
    `Der Code ist ${validMinutes} Minuten gültig und kann nur einmal verwendet werden.`,
    "Geben Sie ihn in Ihrem Konto unter „Zwei-Faktor-Anmeldung (E-Mail)“ ein. Erst dann ist die Zwei-Faktor-Anmeldung aktiv.",
    "Falls Sie das nicht veranlasst haben, ändern Sie bitte umgehend Ihr Passwort.",
    "",
    "Viele Grüße",
    "Ihr Manage-Portal-Team",
  ].join("\n");
  const html = `<p>Hallo ${escapeHtml(name)},</p>
<p>Sie möchten die Zwei-Faktor-Anmeldung per E-Mail für das Manage-Portal einschalten. Ihr Bestätigungscode lautet:</p>
<p style="font-size:24px;font-weight:bold;letter-spacing:4px">${code}</p>
<p>Der Code ist ${validMinutes} Minuten gültig und kann nur einmal verwendet werden.
Geben Sie ihn in Ihrem Konto unter „Zwei-Faktor-Anmeldung (E-Mail)“ ein. Erst dann ist die Zwei-Faktor-Anmeldung aktiv.</p>
<p>Falls Sie das nicht veranlasst haben, ändern Sie bitte umgehend Ihr Passwort.</p>`;
  return { to, subject: `Ihr Bestätigungscode: ${code} – Manage-Portal`, text, html, secrets: [code] };
}

/**
 * Mails a new code; the previous open code of the account stops counting.
 * Code row, mail and activity entry commit together.
 */
async function sendSetupCode(actor: AuthActor, user: UserRow, resent: boolean, options: CommandOptions | undefined) {
  const mails = await consumeRateLimit(`email-2fa-setup-mail:account:${user.id}`, EMAIL_SETUP_MAIL_LIMIT);
  if (!mails.allowed) {
    throw new RateLimitError(mails.retryAfterSeconds, `Zu viele Codes angefordert. Bitte in ${minutesText(mails.retryAfterSeconds)} erneut versuchen.`);
  }
  const id = crypto.randomUUID();
  const code = generateSetupCode();
  const expiresAt = new Date(Date.now() + EMAIL_SETUP_CODE_TTL_MINUTES * 60_000);
  await inTransaction(options, async (tx) => {
    await tx
      .update(twoFactorChallenges)
      .set({ consumedAt: sql`now()` })
      .where(and(eq(twoFactorChallenges.userId, user.id), eq(twoFactorChallenges.purpose, EMAIL_SETUP_PURPOSE), isNull(twoFactorChallenges.consumedAt)));
    await tx.insert(twoFactorChallenges).values({
      id,
      userId: user.id,
      tokenHash: hashToken(`${EMAIL_SETUP_PURPOSE}:${randomToken()}`),
      codeHash: setupCodeHash(id, code),
      purpose: EMAIL_SETUP_PURPOSE,
      ip: actor.ip,
      expiresAt,
    });
    await enqueueMail(tx, emailSetupMail({ to: user.email, name: user.name, code, validMinutes: EMAIL_SETUP_CODE_TTL_MINUTES }), `2fa-setup-${id}`);
    await recordActivity(tx, actor, {
      instanceId: user.instanceId,
      action: "auth.2fa_email_code_sent",
      description: `${resent ? "Neuer Bestätigungscode" : "Bestätigungscode"} für die Zwei-Faktor-Anmeldung per E-Mail an ${user.email} gesendet`,
      metadata: { method: "email", resent },
    });
  });
  return {
    two_factor_enabled: false,
    confirmation_pending: true,
    sent_to: user.email,
    expires_at: apiTimestamp(expiresAt)!,
    expires_in: EMAIL_SETUP_CODE_TTL_MINUTES * 60,
    message: `Wir haben einen Code an ${user.email} gesendet. Geben Sie ihn ein, um die Zwei-Faktor-Anmeldung per E-Mail einzuschalten. Der Code ist ${EMAIL_SETUP_CODE_TTL_MINUTES} Minuten gültig.`,
  };
}

export type EmailConfirmationStarted = Awaited<ReturnType<typeof sendSetupCode>>;

/** Step 1 ("E-Mail-Bestätigung einschalten"): the password confirms, a 6-digit code is mailed; 2FA stays off. */
export async function startEmailTwoFactor(actor: AuthActor, input: { password: string }, options?: CommandOptions) {
  const user = await confirmAccountPassword(actor, input, options);
  if (user.twoFactorEnabled) throw new ConflictError(ALREADY_ON);
  return sendSetupCode(actor, user, false, options);
}

/** Step 1 again: a new code for the open confirmation (the old one stops counting), without the password. */
export async function resendEmailTwoFactorCode(actor: AuthActor, _input: NoInput = {}, options?: CommandOptions) {
  const db = options?.tx ?? (await getDb());
  const user = await loadUser(actor.principal.userId, db);
  if (user.twoFactorEnabled) throw new ConflictError(ALREADY_ON);
  if (!(await openConfirmation(user.id, db))) throw new ConflictError(NOTHING_OPEN);
  return sendSetupCode(actor, user, true, options);
}

/**
 * Step 2: the right code switches e-mail 2FA on. Wrong codes count per
 * account and per address (429 after the limit); an expired or already used
 * code is refused without counting.
 */
export async function confirmEmailTwoFactor(actor: AuthActor, input: { code: string }, options?: CommandOptions) {
  const { code } = input;
  const db = options?.tx ?? (await getDb());
  const user = await loadUser(actor.principal.userId, db);
  if (user.twoFactorEnabled) throw new ConflictError(ALREADY_ON);
  const open = await openConfirmation(user.id, db);
  if (!open) throw new ConflictError(NOTHING_OPEN);
  if (open.expiresAt.getTime() <= Date.now()) {
    throw new ValidationError({ code: ["Der Code ist abgelaufen. Bitte fordern Sie einen neuen Code an."] });
  }
  const normalized = code.replace(/\s+/g, "");
  try {
    await limitedAttempt(codeCheckKeys(user.id, actor.ip, "email-2fa-setup"), `email-2fa-setup:${user.id}`, async () => {
      if (!constantTimeEqual(setupCodeHash(open.id, normalized), open.codeHash)) {
        throw new ValidationError({ code: ["Der Code ist falsch. Bitte prüfen Sie die E-Mail – es gilt nur der zuletzt gesendete Code."] });
      }
    });
  } catch (error) {
    if (error instanceof RateLimitError) {
      throw new RateLimitError(error.retryAfterSeconds, `Zu viele falsche Codes. Bitte in ${minutesText(error.retryAfterSeconds)} erneut versuchen.`);
    }
    throw error;
  }
  return inTransaction(options, async (tx) => {
    const [consumed] = await tx
      .update(twoFactorChallenges)
      .set({ consumedAt: sql`now()` })
      .where(and(eq(twoFactorChallenges.id, open.id), isNull(twoFactorChallenges.consumedAt), gt(twoFactorChallenges.expiresAt, sql`now()`)))
      .returning({ id: twoFactorChallenges.id });
    if (!consumed) throw new ConflictError("Der Code wurde bereits verwendet oder ist abgelaufen. Bitte fordern Sie einen neuen Code an.");
    const [on] = await tx
      .update(users)
      .set({ twoFactorEnabled: true, updatedAt: new Date() })
      .where(and(eq(users.id, user.id), eq(users.twoFactorEnabled, false)))
      .returning({ id: users.id });
    if (!on) throw new ConflictError(ALREADY_ON);
    await recordActivity(tx, actor, {
      instanceId: user.instanceId,
      action: "auth.2fa_enabled",
      description: "Zwei-Faktor-Anmeldung per E-Mail aktiviert (mit Bestätigungscode)",
      metadata: { method: "email" },
    });
    return {
      two_factor_enabled: true,
      message: `Die Zwei-Faktor-Anmeldung per E-Mail ist aktiv. Bei jeder Anmeldung senden wir Ihnen einen Code an ${user.email}.`,
    };
  });
}

/** "Abbrechen": the open code stops working; e-mail 2FA stays off. Nothing open is no error. */
export async function cancelEmailTwoFactor(actor: AuthActor, _input: NoInput = {}, options?: CommandOptions) {
  return inTransaction(options, async (tx) => {
    const removed = await discardEmailConfirmations(tx, actor.principal.userId);
    if (removed > 0) {
      await recordActivity(tx, actor, {
        instanceId: actor.principal.instanceId,
        action: "auth.2fa_email_setup_cancelled",
        description: "Einschalten der Zwei-Faktor-Anmeldung per E-Mail abgebrochen",
        metadata: { method: "email" },
      });
    }
    return { two_factor_enabled: false, confirmation_pending: false, message: "Abgebrochen. Die Zwei-Faktor-Anmeldung per E-Mail bleibt aus." };
  });
}

/** Removes every open confirmation of the account (cancel, switching off, staff reset). */
export async function discardEmailConfirmations(tx: DbOrTx, userId: string): Promise<number> {
  const removed = await tx
    .delete(twoFactorChallenges)
    .where(and(eq(twoFactorChallenges.userId, userId), eq(twoFactorChallenges.purpose, EMAIL_SETUP_PURPOSE), isNull(twoFactorChallenges.consumedAt)))
    .returning({ id: twoFactorChallenges.id });
  return removed.length;
}

/** Used by `setTwoFactor` (PUT /api/v1/auth/2fa with enabled=true) once the password is confirmed. */
export async function startEmailTwoFactorForUser(actor: AuthActor, input: { user: UserRow }, options?: CommandOptions) {
  return sendSetupCode(actor, input.user, false, options);
}
