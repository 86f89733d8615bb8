import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { users } from "@/db/schema";
import { logActivity } from "@/lib/activity";
import { verifyCredentials } from "@/lib/auth/credentials";
import { enforceRateLimit } from "@/lib/rate-limit";
import { V1_RATE_LIMITS } from "./rate-limits";
import { issueTokenPair, type TokenPair } from "./tokens";
import { startChallenge, verifyChallenge } from "./two-factor";

export type V1LoginResult = TokenPair | { two_fa_required: true; challenge_token: string };

type Meta = { ip: string; userAgent?: string | null };

/** POST /api/v1/auth/login: tokens, or a 2FA challenge (code by mail) for accounts with 2FA. */
export async function v1Login(input: { email: string; password: string }, meta: Meta): Promise<V1LoginResult> {
  await enforceRateLimit(`v1-login:ip:${meta.ip}`, V1_RATE_LIMITS.login);
  const user = await verifyCredentials(input.email, input.password, {
    action: "api.login_failed",
    description: "Fehlgeschlagener API-Login (falsches Passwort)",
    ip: meta.ip,
  });
  if (user.twoFactorEnabled) {
    const challenge_token = await startChallenge(user, "api", meta.ip);
    return { two_fa_required: true, challenge_token };
  }
  return completeLogin(user, meta);
}

/** POST /api/v1/auth/2fa/verify */
export async function v1VerifyTwoFactor(input: { challenge_token: string; code: string }, meta: Meta): Promise<TokenPair> {
  await enforceRateLimit(`v1-2fa:ip:${meta.ip}`, V1_RATE_LIMITS.twoFactor);
  const user = await verifyChallenge(input.challenge_token, input.code, "api", meta.ip);
  return completeLogin(user, meta, true);
}

async function completeLogin(user: typeof users.$inferSelect, meta: Meta, twoFactor = false) {
  const db = await getDb();
  const pair = await issueTokenPair(user, meta);
  await db.update(users).set({ lastLoginAt: new Date() }).where(eq(users.id, user.id));
  await logActivity({
    instanceId: user.instanceId,
    userId: user.id,
    actorName: user.name,
    action: "api.login",
    description: twoFactor ? "Login über API v1 (mit 2FA-Code)" : "Login über API v1",
    ip: meta.ip,
  });
  return pair;
}
