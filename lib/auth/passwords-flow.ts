import { and, eq, gt, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { passwordResetTokens, users } from "@/db/schema";
import { logActivity } from "@/lib/activity";
import { config } from "@/lib/config";
import { hashToken, randomToken } from "@/lib/crypto/tokens";
import { ValidationError } from "@/lib/errors";
import { sendMail } from "@/lib/mail";
import { passwordResetMail } from "@/lib/mail/templates";
import { enforceRateLimit, RATE_LIMITS } from "@/lib/rate-limit";
import type { Principal } from "./principal";
import { hashPassword, verifyPassword } from "./passwords";
import { revokeUserSessions } from "./sessions";
import { revokeUserFamilies } from "@/lib/v1/tokens";

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
  await db.update(users).set({ passwordHash: await hashPassword(input.password), updatedAt: new Date() }).where(eq(users.id, user.id));
  await revokeUserSessions(user.id, principal.sessionId ?? undefined);
  await revokeUserFamilies(user.id, "password_change");
  await logActivity({
    instanceId: user.instanceId,
    userId: user.id,
    actorName: user.name,
    action: "manage.password_changed",
    description: "Passwort geändert (andere Sitzungen beendet)",
    ip,
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
    const token = await issuePasswordToken(user.id, "reset", config().RESET_TOKEN_TTL_MINUTES);
    const link = `${config().APP_URL}/passwort-zuruecksetzen?token=${encodeURIComponent(token)}&email=${encodeURIComponent(email)}`;
    await sendMail(passwordResetMail({ to: email, name: user.name, link, validMinutes: config().RESET_TOKEN_TTL_MINUTES }));
    await logActivity({
      instanceId: user.instanceId,
      userId: user.id,
      actorName: user.name,
      action: "manage.password_reset_requested",
      description: "Passwort-Zurücksetzen angefordert",
      ip,
    });
  }
  const remaining = FORGOT_PASSWORD_MIN_MS - (Date.now() - started);
  if (remaining > 0) await new Promise((resolve) => setTimeout(resolve, remaining));
  return { message: FORGOT_PASSWORD_RESPONSE };
}

export async function issuePasswordToken(userId: string, purpose: "reset" | "invite", ttlMinutes: number) {
  const db = await getDb();
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
  // Marking the token used is the claim: of two concurrent requests only one gets the row back.
  const [claimed] = await db
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

  await db.update(users).set({ passwordHash: await hashPassword(input.password), updatedAt: new Date() }).where(eq(users.id, user.id));
  await revokeUserSessions(user.id);
  await revokeUserFamilies(user.id, "password_change");
  await logActivity({
    instanceId: user.instanceId,
    userId: user.id,
    actorName: user.name,
    action: claimed.purpose === "invite" ? "manage.invitation_accepted" : "manage.password_reset",
    description: claimed.purpose === "invite" ? "Einladung angenommen, Passwort festgelegt" : "Passwort über E-Mail-Link zurückgesetzt (alle Sitzungen beendet)",
    ip,
  });
}
