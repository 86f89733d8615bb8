import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { logActivity } from "@/lib/activity";
import { ForbiddenError, RateLimitError } from "@/lib/errors";
import { startChallenge, TwoFactorRequiredError } from "@/lib/v1/two-factor";
import { consumeRateLimit, RATE_LIMITS, refundRateLimit } from "@/lib/rate-limit";
import { verifyCredentials } from "./credentials";
import { createSession, revokeSession, type SessionKind } from "./sessions";

export { INVALID_CREDENTIALS } from "./credentials";
export const TWO_FACTOR_MANAGE_API_MESSAGE =
  "Für dieses Konto ist die Zwei-Faktor-Anmeldung aktiv. Bitte melden Sie sich im Portal an oder nutzen Sie die API v1 (/api/v1/auth/login mit Code per E-Mail).";

export type LoginInput = { email: string; password: string; ip: string; userAgent?: string | null; kind: SessionKind };

/**
 * Checks the credentials and opens a session. Every attempt consumes a point
 * per account and per client IP (5 per 5 minutes) before the password is
 * checked, so parallel guesses are counted exactly; a successful login gives
 * its points back.
 */
export async function login(input: LoginInput) {
  const email = input.email.trim().toLowerCase();
  const keys = [`manage-login:account:${email}`, `manage-login:ip:${input.ip}`];
  const results = await Promise.all(keys.map((key) => consumeRateLimit(key, RATE_LIMITS.manageLogin)));
  const blocked = results.filter((r) => !r.allowed);
  if (blocked.length > 0) {
    throw new RateLimitError(Math.max(...blocked.map((r) => r.retryAfterSeconds)));
  }

  const user = await verifyCredentials(email, input.password, {
    action: "manage.login_failed",
    description: "Fehlgeschlagener Login (falsches Passwort)",
    ip: input.ip,
  });

  await Promise.all(keys.map((key) => refundRateLimit(key)));
  if (user.twoFactorEnabled) {
    // Browser: continue with the code step. Manage API (seed 000 has no 2FA step): refuse with a hint.
    if (input.kind === "browser") throw new TwoFactorRequiredError(await startChallenge(user, "browser", input.ip));
    throw new ForbiddenError(TWO_FACTOR_MANAGE_API_MESSAGE, { two_fa_required: true });
  }
  const session = await createSession(user.id, input.kind, { ip: input.ip, userAgent: input.userAgent });
  const db = await getDb();
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  await logActivity({
    instanceId: user.instanceId,
    userId: user.id,
    actorName: user.name,
    action: "manage.login",
    description: input.kind === "api" ? "Login über Manage-Portal" : "Login über das Web-Portal",
    ip: input.ip,
  });
  return { user, ...session };
}

export async function logout(principal: { userId: string; name: string; instanceId: number | null; sessionId: string | null }, ip?: string) {
  if (!principal.sessionId) return;
  await revokeSession(principal.sessionId);
  await logActivity({
    instanceId: principal.instanceId,
    userId: principal.userId,
    actorName: principal.name,
    action: "manage.logout",
    description: "Logout",
    ip,
  });
}
