import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { passwordResetTokens, users } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import { anonymousActor, recordActivity, userActor } from "@/lib/activity";
import { config } from "@/lib/config";
import { hashToken, randomToken } from "@/lib/crypto/tokens";
import { ValidationError } from "@/lib/errors";
import { sendMail } from "@/lib/mail";
import { passwordResetMail } from "@/lib/mail/templates";
import { enforceRateLimit, RATE_LIMITS } from "@/lib/rate-limit";
import type { Principal } from "./principal";
import { hashPassword, verifyPassword } from "./passwords";
import { revokeUserSessions } from "./sessions";
import { revokeUserFamilies } from "./token-families";

export const FORGOT_PASSWORD_RESPONSE =
  "Falls ein Konto mit dieser E-Mail-Adresse existiert, haben wir einen Link zum Zurücksetzen des Passworts gesendet.";

/** Both answers (account or not) take at least this long, so timing tells nothing. */
const FORGOT_PASSWORD_MIN_MS = 350;

export async function changePassword(principal: Principal, input: { current_password: string; password: string }, ip?: string) {
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.id, principal.userId));
  if (!(await verifyPassword(user?.passwordHash, input.current_password))) {
    throw new ValidationError({ current_password: ["Das aktuelle Passwort ist falsch."] });
  }
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, updatedAt: new Date() }).where(eq(users.id, user.id));
    await revokeUserSessions(user.id, { exceptSessionId: principal.sessionId ?? undefined, tx });
    await revokeUserFamilies(user.id, "password_change", { tx });
    await recordActivity(tx, userActor(principal, ip), {
      instanceId: user.instanceId,
      action: "manage.password_changed",
      description: "Passwort geändert (andere Sitzungen beendet)",
    });
  });
}

export async function requestPasswordReset(emailInput: string, ip: string) {
  const started = Date.now();
  const email = emailInput.trim().toLowerCase();
  await enforceRateLimit(`forgot-password:ip:${ip}`, RATE_LIMITS.forgotPassword);
  await enforceRateLimit(`forgot-password:account:${email}`, RATE_LIMITS.forgotPassword);
  const db = await getDb();
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  if (user && user.active) {
    const token = await db.transaction(async (tx) => {
      const issued = await issuePasswordToken(user.id, "reset", config().RESET_TOKEN_TTL_MINUTES, tx);
      // Whoever asked has proven nothing yet: anonymous, about the account.
      await recordActivity(tx, anonymousActor(ip, user), {
        instanceId: user.instanceId,
        action: "manage.password_reset_requested",
        description: "Passwort-Zurücksetzen angefordert",
      });
      return issued;
    });
    const link = `${config().APP_URL}/passwort-zuruecksetzen?token=${encodeURIComponent(token)}&email=${encodeURIComponent(email)}`;
    await sendMail(passwordResetMail({ to: email, name: user.name, link, validMinutes: config().RESET_TOKEN_TTL_MINUTES }));
  }
  const remaining = FORGOT_PASSWORD_MIN_MS - (Date.now() - started);
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
  return { message: FORGOT_PASSWORD_RESPONSE };
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

/** Sets a new password with a single-use token and ends every session of the user. */
export async function resetPassword(input: { email: string; token: string; password: string }, ip?: string) {
  const db = await getDb();
  const email = input.email.trim().toLowerCase();
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  if (!user) throw new ValidationError({ token: [INVALID_RESET] });
  const passwordHash = await hashPassword(input.password);
  await db.transaction(async (tx) => {
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
    await revokeUserSessions(user.id, { tx });
    await revokeUserFamilies(user.id, "password_change", { tx });
    // Proven by the mailed token, not by a session: anonymous, about the account.
    await recordActivity(tx, anonymousActor(ip, user), {
      instanceId: user.instanceId,
      action: claimed.purpose === "invite" ? "manage.invitation_accepted" : "manage.password_reset",
      description: claimed.purpose === "invite" ? "Einladung angenommen, Passwort festgelegt" : "Passwort über E-Mail-Link zurückgesetzt (alle Sitzungen beendet)",
    });
  });
}
