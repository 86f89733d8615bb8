/**
 * Deletes what has no use any more: expired sessions and API v1 token families
 * (their refresh tokens go with them), used or expired password-reset and
 * invitation tokens, expired 2FA challenges (unless they still carry an active
 * lockout), and rate-limit counters whose window is long over. IP addresses
 * older than IP_RETENTION_DAYS (default 90; job `ip-anonymisation`, daily) in the activity log, sessions,
 * API token families, 2FA challenges and server actions are shortened
 * (DSGVO): IPv4 to the /24 network ("203.0.113.0"), IPv6 to the /48 prefix,
 * anything unparsable removed — SQL function `anonymise_ip`
 * (db/migrations/0012_retention.sql). Shortening rather than deleting keeps
 * the log useful (which network a wave of failed logins came from) while the
 * address no longer identifies a person's connection.
 *
 * Every statement is a plain conditional DELETE, so running it twice, or in
 * two workers at once, deletes the same rows once.
 */
import { sql } from "drizzle-orm";
import type { Db } from "@/db/client";
import { activityLog, passwordResetTokens, rateLimits, serverActions, sessions, tokenFamilies, twoFactorChallenges } from "@/db/schema";

/** Longer than the window of any rate-limit rule, so a live counter is never reset early. */
export const RATE_LIMIT_RETENTION_SECONDS = 24 * 3600;

export type HousekeepingResult = {
  sessions: number;
  token_families: number;
  reset_tokens: number;
  two_factor_challenges: number;
  rate_limits: number;
};

/** Shortens IP addresses older than `days` (see the file head); returns the number of rows changed. */
export async function anonymiseOldIps(db: Db, days: number): Promise<number> {
  const cutoff = sql`now() - make_interval(days => ${days})`;
  const targets = [
    { table: activityLog, ip: activityLog.ip, at: activityLog.createdAt },
    { table: sessions, ip: sessions.ip, at: sessions.createdAt },
    { table: tokenFamilies, ip: tokenFamilies.ip, at: tokenFamilies.createdAt },
    { table: twoFactorChallenges, ip: twoFactorChallenges.ip, at: twoFactorChallenges.createdAt },
    { table: serverActions, ip: serverActions.ip, at: serverActions.startedAt },
  ] as const;
  let changed = 0;
  for (const t of targets) {
    const rows = await db
      .update(t.table)
      .set({ ip: sql`anonymise_ip(${t.ip})` })
      .where(sql`${t.ip} is not null and ${t.at} < ${cutoff} and ${t.ip} is distinct from anonymise_ip(${t.ip})`)
      .returning({ ip: t.ip });
    changed += rows.length;
  }
  return changed;
}

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
