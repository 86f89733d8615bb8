import { sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { passwordResetTokens, rateLimits, refreshTokens, sessions, tokenFamilies, twoFactorChallenges, users } from "@/db/schema";
import { RATE_LIMIT_RETENTION_SECONDS, runHousekeeping } from "@/lib/jobs/housekeeping";
import { RATE_LIMITS } from "@/lib/rate-limit";
import { V1_RATE_LIMITS } from "@/lib/doors/v1/rate-limits";
import { DNS_CHECK_RATE_LIMIT } from "@/lib/domains/service";
import { useTestDatabase } from "../helpers/db";

const { db } = useTestDatabase();

const past = (minutes: number) => new Date(Date.now() - minutes * 60_000);
const future = (minutes: number) => new Date(Date.now() + minutes * 60_000);

async function seedRows() {
  const [user] = await db().select({ id: users.id }).from(users).limit(1);
  const userId = user.id;
  await db().insert(sessions).values([
    { userId, tokenHash: "s-expired", kind: "api", expiresAt: past(1) },
    { userId, tokenHash: "s-live", kind: "browser", expiresAt: future(60) },
  ]);
  const [oldFamily, liveFamily] = await db()
    .insert(tokenFamilies)
    .values([
      { userId, expiresAt: past(5) },
      { userId, expiresAt: future(60) },
    ])
    .returning({ id: tokenFamilies.id });
  await db().insert(refreshTokens).values([
    { familyId: oldFamily.id, tokenHash: "r-old", expiresAt: past(5) },
    { familyId: liveFamily.id, tokenHash: "r-live", expiresAt: future(60) },
  ]);
  await db().insert(passwordResetTokens).values([
    { userId, tokenHash: "p-used", purpose: "reset", expiresAt: future(30), usedAt: past(1) },
    { userId, tokenHash: "p-expired", purpose: "invite", expiresAt: past(1) },
    { userId, tokenHash: "p-live", purpose: "invite", expiresAt: future(30) },
  ]);
  await db().insert(twoFactorChallenges).values([
    { userId, tokenHash: "c-expired", codeHash: "x", purpose: "api", expiresAt: past(1) },
    { userId, tokenHash: "c-expired-locked", codeHash: "x", purpose: "api", expiresAt: past(1), lockedUntil: future(10) },
    { userId, tokenHash: "c-live", codeHash: "x", purpose: "browser", expiresAt: future(10) },
  ]);
  await db().insert(rateLimits).values([
    { key: "rl-old", windowStart: new Date(Date.now() - (RATE_LIMIT_RETENTION_SECONDS + 60) * 1000), count: 9 },
    { key: "rl-current", windowStart: past(10), count: 2 },
  ]);
}

describe("housekeeping job", () => {
  it("keeps every rate-limit counter longer than the longest rule window", () => {
    const rules = [...Object.values(RATE_LIMITS), ...Object.values(V1_RATE_LIMITS), DNS_CHECK_RATE_LIMIT];
    for (const rule of rules) expect(rule.windowSeconds).toBeLessThan(RATE_LIMIT_RETENTION_SECONDS);
  });

  it("deletes only expired or used rows, and a second run deletes nothing", async () => {
    await seedRows();
    const first = await runHousekeeping(db());
    expect(first).toEqual({ sessions: 1, token_families: 1, reset_tokens: 2, two_factor_challenges: 1, rate_limits: 1 });

    const hashes = async (table: typeof sessions | typeof passwordResetTokens | typeof twoFactorChallenges | typeof refreshTokens) =>
      (await db().select({ h: table.tokenHash }).from(table)).map((r) => r.h).sort();
    expect((await hashes(sessions)).filter((h) => h.startsWith("s-"))).toEqual(["s-live"]);
    expect((await hashes(refreshTokens)).filter((h) => h.startsWith("r-"))).toEqual(["r-live"]);
    expect((await hashes(passwordResetTokens)).filter((h) => h.startsWith("p-"))).toEqual(["p-live"]);
    expect((await hashes(twoFactorChallenges)).filter((h) => h.startsWith("c-"))).toEqual(["c-expired-locked", "c-live"]);
    const keys = (await db().select({ k: rateLimits.key }).from(rateLimits).where(sql`${rateLimits.key} like 'rl-%'`)).map((r) => r.k);
    expect(keys).toEqual(["rl-current"]);

    expect(await runHousekeeping(db())).toEqual({ sessions: 0, token_families: 0, reset_tokens: 0, two_factor_challenges: 0, rate_limits: 0 });
  });
});
