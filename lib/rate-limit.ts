import { eq, inArray, sql, type Placeholder } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { recordRateLimitRejection } from "@/lib/observability/metrics";
import { RateLimitError } from "./errors";

export type RateLimitRule = { limit: number; windowSeconds: number };

export type RateLimitResult = { allowed: boolean; count: number; retryAfterSeconds: number };

/** One counter of a combined decision: its key, its rule and a name for the metrics. */
export type RateLimitKey = { key: string; rule: RateLimitRule; name?: string };

export type RateLimitDecision = {
  allowed: boolean;
  /** Seconds until the first blocking window ends (1 when allowed). */
  retryAfterSeconds: number;
  /** The counters after the decision, by key (unchanged when refused). */
  counts: Record<string, number>;
  /** The key names that refused, for the metrics. */
  blockedBy: string[];
};

/**
 * Consumes one point of a fixed-window counter in PostgreSQL.
 * The single upsert is atomic, so concurrent requests from any number of app
 * processes are counted exactly; the window clock is the database's.
 */
export async function consumeRateLimit(key: string, rule: RateLimitRule, database?: Db): Promise<RateLimitResult> {
  const [row] = await consumeRateLimitUpsert(database ?? (await getDb()), key, rule);
  const retryAfterSeconds = secondsUntilWindowEnds(rule, Number(row.age));
  return { allowed: row.count <= rule.limit, count: row.count, retryAfterSeconds };
}

/** The upsert of `consumeRateLimit` as a builder (the benchmark's bare server renders it with a placeholder key). */
/**
 * Retry-After for a window of `age` seconds: between 1 and the window. The age is measured with PostgreSQL's
 * now(), the start of the caller's transaction; a transaction that began before another one opened the window
 * (it waited for that row) sees a negative age, and still waits at most the window.
 */
export function secondsUntilWindowEnds(rule: RateLimitRule, age: number): number {
  return Math.min(rule.windowSeconds, Math.max(1, Math.ceil(rule.windowSeconds - Math.max(0, age))));
}

export function consumeRateLimitUpsert(db: Db, key: string | Placeholder, rule: RateLimitRule) {
  const window = sql.raw(`interval '${Math.floor(rule.windowSeconds)} seconds'`);
  const expired = sql`${rateLimits.windowStart} <= now() - ${window}`;
  return db
    .insert(rateLimits)
    .values({ key, windowStart: sql`now()`, count: 1 })
    .onConflictDoUpdate({
      target: rateLimits.key,
      set: {
        count: sql`CASE WHEN ${expired} THEN 1 ELSE ${rateLimits.count} + 1 END`,
        windowStart: sql`CASE WHEN ${expired} THEN now() ELSE ${rateLimits.windowStart} END`,
      },
    })
    .returning({
      count: rateLimits.count,
      age: sql<number>`extract(epoch from (now() - ${rateLimits.windowStart}))::float8`,
    });
}

/**
 * One atomic decision over several counters (e.g. account and client IP of a
 * login): the point is taken from every counter only if every counter has one
 * left, otherwise from none. The rows are locked in key order inside one
 * transaction, so concurrent requests from any number of processes are
 * decided one after the other: of 20 parallel attempts exactly `limit` pass.
 * A refused request takes nothing, so waiting and asking again is harmless.
 */
export async function takeRateLimits(keys: RateLimitKey[], database?: Db): Promise<RateLimitDecision> {
  const db = database ?? (await getDb());
  const sorted = [...new Map(keys.map((k) => [k.key, k])).values()].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
  const decision = await db.transaction(async (tx) => {
    await tx
      .insert(rateLimits)
      .values(sorted.map((k) => ({ key: k.key, windowStart: sql`now()`, count: 0 })))
      .onConflictDoNothing({ target: rateLimits.key });
    const rows = await tx
      .select({
        key: rateLimits.key,
        count: rateLimits.count,
        age: sql<number>`extract(epoch from (now() - ${rateLimits.windowStart}))::float8`,
      })
      .from(rateLimits)
      .where(inArray(rateLimits.key, sorted.map((k) => k.key)))
      .orderBy(rateLimits.key)
      .for("update");
    const byKey = new Map(rows.map((r) => [r.key, r]));
    const state = sorted.map((k) => {
      const row = byKey.get(k.key);
      const age = Number(row?.age ?? 0);
      const expired = age >= k.rule.windowSeconds;
      return { k, expired, count: expired ? 0 : (row?.count ?? 0), retryAfter: secondsUntilWindowEnds(k.rule, expired ? 0 : age) };
    });
    const blocked = state.filter((s) => s.count >= s.k.rule.limit);
    if (blocked.length > 0) {
      return {
        allowed: false,
        retryAfterSeconds: Math.max(...blocked.map((s) => s.retryAfter)),
        counts: Object.fromEntries(state.map((s) => [s.k.key, s.count])),
        blockedBy: blocked.map((s) => s.k.name ?? s.k.key.split(":")[0]),
      };
    }
    for (const s of state) {
      await tx
        .update(rateLimits)
        .set(s.expired ? { count: 1, windowStart: sql`now()` } : { count: sql`${rateLimits.count} + 1` })
        .where(eq(rateLimits.key, s.k.key));
    }
    return { allowed: true, retryAfterSeconds: 1, counts: Object.fromEntries(state.map((s) => [s.k.key, s.count + 1])), blockedBy: [] };
  });
  for (const name of decision.blockedBy) recordRateLimitRejection(name);
  return decision;
}

/** The current count of a counter without taking a point (0 when its window is over). */
export async function peekRateLimit(key: string, rule: RateLimitRule, database?: Db): Promise<RateLimitResult> {
  const db = database ?? (await getDb());
  const [row] = await db
    .select({ count: rateLimits.count, age: sql<number>`extract(epoch from (now() - ${rateLimits.windowStart}))::float8` })
    .from(rateLimits)
    .where(eq(rateLimits.key, key));
  const age = Number(row?.age ?? 0);
  const count = !row || age >= rule.windowSeconds ? 0 : row.count;
  return { allowed: count < rule.limit, count, retryAfterSeconds: secondsUntilWindowEnds(rule, age) };
}

/** Consumes a point and throws a 429 error when the limit is exceeded. */
export async function enforceRateLimit(key: string, rule: RateLimitRule): Promise<void> {
  const result = await consumeRateLimit(key, rule);
  if (!result.allowed) {
    recordRateLimitRejection(key.split(":")[0]);
    throw new RateLimitError(result.retryAfterSeconds);
  }
}

/** Gives back a point, e.g. after a successful login. */
export async function refundRateLimit(key: string, database?: Db): Promise<void> {
  const db = database ?? (await getDb());
  await db
    .update(rateLimits)
    .set({ count: sql`greatest(${rateLimits.count} - 1, 0)` })
    .where(eq(rateLimits.key, key));
}

export const RATE_LIMITS = {
  manageLogin: { limit: 5, windowSeconds: 5 * 60 },
  forgotPassword: { limit: 3, windowSeconds: 15 * 60 },
  serverAction: { limit: 3, windowSeconds: 60 },
} satisfies Record<string, RateLimitRule>;
