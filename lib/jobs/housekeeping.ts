/**
 * Deletes what has no use any more: expired sessions and API v1 token families
 * (their refresh tokens go with them), used or expired password-reset and
 * invitation tokens, expired 2FA challenges (unless they still carry an active
 * lockout), and rate-limit counters whose window is long over.
 *
 * Every statement is a plain conditional DELETE, so running it twice, or in
 * two workers at once, deletes the same rows once.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { passwordResetTokens, rateLimits, sessions, tokenFamilies, twoFactorChallenges } from "@/db/schema";

/** Longer than the window of any rate-limit rule, so a live counter is never reset early. */
export const RATE_LIMIT_RETENTION_SECONDS = 24 * 3600;

export type HousekeepingResult = {
  sessions: number;
  token_families: number;
  reset_tokens: number;
  two_factor_challenges: number;
  rate_limits: number;
};

export async function runHousekeeping(db: Db): Promise<HousekeepingResult> {
  const expiredSessions = await db.delete(sessions).where(sql`${sessions.expiresAt} < now()`).returning({ id: sessions.id });
  const expiredFamilies = await db.delete(tokenFamilies).where(sql`${tokenFamilies.expiresAt} < now()`).returning({ id: tokenFamilies.id });
  const spentTokens = await db
    .delete(passwordResetTokens)
    .where(sql`${passwordResetTokens.usedAt} is not null or ${passwordResetTokens.expiresAt} < now()`)
    .returning({ id: passwordResetTokens.id });
  const challenges = await db
    .delete(twoFactorChallenges)
    .where(sql`${twoFactorChallenges.expiresAt} < now() and (${twoFactorChallenges.lockedUntil} is null or ${twoFactorChallenges.lockedUntil} < now())`)
    .returning({ id: twoFactorChallenges.id });
  const counters = await db
    .delete(rateLimits)
    .where(sql`${rateLimits.windowStart} < now() - make_interval(secs => ${RATE_LIMIT_RETENTION_SECONDS})`)
    .returning({ key: rateLimits.key });
  return {
    sessions: expiredSessions.length,
    token_families: expiredFamilies.length,
    reset_tokens: spentTokens.length,
    two_factor_challenges: challenges.length,
    rate_limits: counters.length,
  };
}
