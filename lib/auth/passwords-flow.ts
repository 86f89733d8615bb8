import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { apiKeys, passwordResetTokens, users } from "@/db/schema";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { anonymousActor, recordActivity, type AnonymousActor } from "@/lib/activity";
import { config } from "@/lib/config";
import { hashToken, randomToken } from "@/lib/crypto/tokens";
import { ValidationError } from "@/lib/errors";
import { enqueueMail } from "@/lib/mail";
import { escapeHtml, passwordResetMail } from "@/lib/mail/templates";
import { enforceRateLimit, RATE_LIMITS } from "@/lib/rate-limit";
import type { AuthActor } from "./principal";
import { limitedAttempt, LOGIN_RATE_LIMITS } from "./rate-limits";
import { hashPassword, verifyPassword } from "./passwords";
import { revokeUserSessions } from "./sessions";
import { revokeDeviceCookies } from "./device-cookies";
import { revokeUserFamilies } from "./token-families";

export const FORGOT_PASSWORD_RESPONSE =
  "Falls ein Konto mit dieser E-Mail-Adresse existiert, haben wir einen Link zum Zurücksetzen des Passworts gesendet.";

/** Both answers (account or not) take at least this long, so timing tells nothing. */
const FORGOT_PASSWORD_MIN_MS = 350;

export type PasswordChangeResult = {
  message: string;
  /** API keys (PATs) ended by this change. */
  api_keys_revoked: number;
  /** API keys still valid after it. */
  api_keys_remaining: number;
};

/**
 * Changes the caller's password after checking `current_password`, which is
 * limited like a login (5 per 5 minutes per account and per address,
 * lib/auth/rate-limits.ts). Ends every other session and API v1 login, every
 * outstanding reset or invitation link, and, when asked (`revoke_api_keys`),
 * the personal access tokens; the answer says how many tokens remain. The
 * security mail "Ihr Passwort wurde geändert" goes out in the same transaction.
 */
export async function changePassword(
  actor: AuthActor,
  input: { current_password: string; password: string; revoke_api_keys?: boolean },
  options?: CommandOptions,
): Promise<PasswordChangeResult> {
  const { principal } = actor;
  const db = options?.tx ?? (await getDb());
  const address = actor.ip ?? "unbekannt";
  const keys = [
    { key: `password-change:account:${principal.userId}`, rule: LOGIN_RATE_LIMITS.passwordChange, name: "passwordChangeAccount" },
    { key: `password-change:ip:${address}`, rule: LOGIN_RATE_LIMITS.passwordChange, name: "passwordChangeIp" },
  ];
  const user = await limitedAttempt(keys, `password-change:${principal.userId}`, async () => {
    const [row] = await db.select().from(users).where(eq(users.id, principal.userId));
    if (!(await verifyPassword(row?.passwordHash, input.current_password))) {
      throw new ValidationError({ current_password: ["Das aktuelle Passwort ist falsch."] });
    }
    return row;
  });
  const passwordHash = await hashPassword(input.password);
  return inTransaction(options, async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, user.id));
    await revokeUserSessions(user.id, { exceptSessionId: principal.sessionId ?? undefined, tx, reason: "password_change" });
    await revokeDeviceCookies(tx, user.id);
    await revokeUserFamilies(user.id, "password_change", { tx });
    await voidPasswordTokens(user.id, tx);
    const revoked = input.revoke_api_keys ? await revokeUserApiKeys(user.id, tx) : 0;
    const remaining = await countLiveApiKeys(user.id, tx);
    const ended = [
      "andere Sitzungen beendet",
      revoked > 0 ? `${revoked} ${revoked === 1 ? "API-Schlüssel" : "API-Schlüssel"} widerrufen` : null,
    ].filter(Boolean);
    await recordActivity(tx, actor, {
      instanceId: user.instanceId,
      action: "manage.password_changed",
      description: `Passwort geändert (${ended.join(", ")})`,
      metadata: { api_keys_revoked: revoked, api_keys_remaining: remaining },
    });
    await enqueueMail(tx, passwordChangedMail({ to: user.email, name: user.name, ip: address, ended: endedLines(revoked, remaining) }));
    const keysText =
      revoked > 0
        ? ` ${revoked} API-${revoked === 1 ? "Schlüssel wurde" : "Schlüssel wurden"} widerrufen.`
        : remaining > 0
          ? ` ${remaining} API-${remaining === 1 ? "Schlüssel bleibt" : "Schlüssel bleiben"} gültig.`
          : "";
    return {
      message: `Passwort geändert. Andere Sitzungen wurden beendet.${keysText}`,
      api_keys_revoked: revoked,
      api_keys_remaining: remaining,
    };
  });
}

/** Every outstanding reset and invitation link of the account dies with the password. */
async function voidPasswordTokens(userId: string, tx: DbOrTx) {
  await tx
    .update(passwordResetTokens)
    .set({ usedAt: new Date() })
    .where(and(eq(passwordResetTokens.userId, userId), isNull(passwordResetTokens.usedAt)));
}

async function revokeUserApiKeys(userId: string, tx: DbOrTx) {
  const rows = await tx
    .update(apiKeys)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
    .returning({ id: apiKeys.id });
  return rows.length;
}

async function countLiveApiKeys(userId: string, tx: DbOrTx) {
  const [row] = await tx
    .select({ n: sql<number>`count(*)::int` })
    .from(apiKeys)
    .where(and(eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt), sql`(${apiKeys.expiresAt} is null or ${apiKeys.expiresAt} > now())`));
  return Number(row?.n ?? 0);
}

function endedLines(revoked: number, remaining: number) {
  return [
    "Alle anderen Sitzungen und API-v1-Anmeldungen wurden beendet, ebenso alle offenen Links zum Zurücksetzen des Passworts.",
    revoked > 0 ? `${revoked} API-Schlüssel (persönliche Zugangstoken) wurden widerrufen.` : null,
    remaining > 0 ? `${remaining} API-Schlüssel ${remaining === 1 ? "bleibt" : "bleiben"} gültig; Sie können sie im Portal unter „Konto“ widerrufen.` : null,
  ].filter((line): line is string => line !== null);
}

/** The security notice after every password change or reset: when, from which address, what was ended. */
const CHANGED_AT_FORMAT = new Intl.DateTimeFormat("de-DE", { dateStyle: "long", timeStyle: "medium", timeZone: "Europe/Berlin" });

export function passwordChangedMail({ to, name, ip, ended, at = new Date() }: { to: string; name: string; ip: string; ended: string[]; at?: Date }) {
  const when = CHANGED_AT_FORMAT.format(at);
  const text = [
    `Hallo ${name},`,
    "",
    `Ihr Passwort für das Manage-Portal wurde am ${when} (deutsche Zeit) geändert, von der Adresse ${ip}.`,
    "",
    ...ended,
    "",
    "Falls Sie das nicht selbst waren, setzen Sie Ihr Passwort sofort über „Passwort vergessen“ zurück und wenden Sie sich an den Support.",
    "",
    "Viele Grüße",
    "Ihr Manage-Portal-Team",
  ].join("\n");
  const html = `<p>Hallo ${escapeHtml(name)},</p>
<p>Ihr Passwort für das Manage-Portal wurde am ${escapeHtml(when)} (deutsche Zeit) geändert, von der Adresse ${escapeHtml(ip)}.</p>
${ended.map((line) => `<p>${escapeHtml(line)}</p>`).join("\n")}
<p>Falls Sie das nicht selbst waren, setzen Sie Ihr Passwort sofort über „Passwort vergessen“ zurück und wenden Sie sich an den Support.</p>`;
  return { to, subject: "Ihr Passwort wurde geändert – Manage-Portal", text, html };
}

/** "Passwort vergessen": by an anonymous actor (its address is limited); the answer is the same whether the account exists. */
export async function requestPasswordReset(actor: AnonymousActor, input: { email: string }, options?: CommandOptions) {
  const started = Date.now();
  const ip = actor.ip ?? "unknown";
  const email = input.email.trim().toLowerCase();
  await enforceRateLimit(`forgot-password:ip:${ip}`, RATE_LIMITS.forgotPassword);
  await enforceRateLimit(`forgot-password:account:${email}`, RATE_LIMITS.forgotPassword);
  const db = options?.tx ?? (await getDb());
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  if (user && user.active) {
    await inTransaction(options, async (tx) => {
      const token = await issuePasswordToken(user.id, "reset", config().RESET_TOKEN_TTL_MINUTES, tx);
      // Whoever asked has proven nothing yet: anonymous, about the account.
      await recordActivity(tx, anonymousActor(actor.ip, user), {
        instanceId: user.instanceId,
        action: "manage.password_reset_requested",
        description: "Passwort-Zurücksetzen angefordert",
      });
      await mailResetLink(tx, user, token);
    });
  }
  const remaining = FORGOT_PASSWORD_MIN_MS - (Date.now() - started);
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
  return { message: FORGOT_PASSWORD_RESPONSE };
}

/** The reset mail of a fresh token; its key names the account, so a failed mail can be replaced by a fresh link (`PASSWORD_RESET_MAIL_KEY`). */
async function mailResetLink(tx: DbOrTx, user: { id: string; email: string; name: string }, token: string) {
  const link = `${config().APP_URL}/passwort-zuruecksetzen?token=${encodeURIComponent(token)}&email=${encodeURIComponent(user.email)}`;
  return enqueueMail(
    tx,
    passwordResetMail({ to: user.email, name: user.name, link, validMinutes: config().RESET_TOKEN_TTL_MINUTES }),
    `${PASSWORD_RESET_MAIL_KEY}${user.id}:${randomToken(8)}`,
  );
}

export const PASSWORD_RESET_MAIL_KEY = "password-reset:";

/**
 * A fresh reset link to the account's own address (staff "Erneut senden" of a
 * failed reset mail). The older links stay valid until used or expired, as with
 * a second "Passwort vergessen". Null for an unknown or deactivated account.
 */
export async function reissuePasswordReset(tx: DbOrTx, userId: string): Promise<{ mailId: number | null; to: string } | null> {
  const [user] = await tx.select().from(users).where(eq(users.id, userId));
  if (!user || !user.active) return null;
  const token = await issuePasswordToken(user.id, "reset", config().RESET_TOKEN_TTL_MINUTES, tx);
  return { mailId: await mailResetLink(tx, user, token), to: user.email };
}

export async function issuePasswordToken(userId: string, purpose: "reset" | "invite", ttlMinutes: number, tx?: DbOrTx) {
  const db = tx ?? (await getDb());
  const token = randomToken();
  await db.insert(passwordResetTokens).values({
    userId,
    tokenHash: hashToken(token),
    purpose,
    expiresAt: new Date(Date.now() + ttlMinutes * 60_000),
  });
  return token;
}

const INVALID_RESET = "Der Link zum Zurücksetzen ist ungültig oder abgelaufen. Bitte fordern Sie einen neuen an.";

/**
 * Sets a new password with a single-use token: ends every session, API v1
 * login and personal access token of the user and every other outstanding
 * reset or invitation link, and mails the security notice.
 */
export async function resetPassword(actor: AnonymousActor, input: { email: string; token: string; password: string }, options?: CommandOptions) {
  const ip = actor.ip;
  const db = options?.tx ?? (await getDb());
  const email = input.email.trim().toLowerCase();
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  if (!user) throw new ValidationError({ token: [INVALID_RESET] });
  const passwordHash = await hashPassword(input.password);
  return inTransaction(options, async (tx) => {
    // Marking the token used is the claim: of two concurrent requests only one gets the row back.
    const [claimed] = await tx
      .update(passwordResetTokens)
      .set({ usedAt: new Date() })
      .where(
        and(
          eq(passwordResetTokens.tokenHash, hashToken(input.token)),
          eq(passwordResetTokens.userId, user.id),
          isNull(passwordResetTokens.usedAt),
          gt(passwordResetTokens.expiresAt, sql`now()`),
        ),
      )
      .returning({ id: passwordResetTokens.id, purpose: passwordResetTokens.purpose });
    if (!claimed) throw new ValidationError({ token: [INVALID_RESET] });

    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, user.id));
    await revokeUserSessions(user.id, { tx, reason: "password_change" });
    await revokeDeviceCookies(tx, user.id);
    await revokeUserFamilies(user.id, "password_change", { tx });
    await voidPasswordTokens(user.id, tx);
    // "My account was compromised": the personal access tokens end too.
    const revoked = await revokeUserApiKeys(user.id, tx);
    const invite = claimed.purpose === "invite";
    // Proven by the mailed token, not by a session: anonymous, about the account.
    await recordActivity(tx, anonymousActor(ip, user), {
      instanceId: user.instanceId,
      action: invite ? "manage.invitation_accepted" : "manage.password_reset",
      description: invite
        ? "Einladung angenommen, Passwort festgelegt"
        : `Passwort über E-Mail-Link zurückgesetzt (alle Sitzungen beendet${revoked > 0 ? `, ${revoked} API-Schlüssel widerrufen` : ""})`,
      metadata: { api_keys_revoked: revoked },
    });
    if (!invite) {
      await enqueueMail(tx, passwordChangedMail({ to: user.email, name: user.name, ip: ip ?? "unbekannt", ended: endedLines(revoked, 0) }));
    }
    return {
      message: `Das Passwort wurde geändert. Alle Sitzungen wurden beendet${revoked > 0 ? ` und ${revoked} API-Schlüssel widerrufen` : ""}. Sie können sich jetzt anmelden.`,
      api_keys_revoked: revoked,
    };
  });
}
