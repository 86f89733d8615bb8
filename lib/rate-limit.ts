import { eq, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { rateLimits } from "@/db/schema";
import { RateLimitError } from "./errors";

export type RateLimitRule = { limit: number; windowSeconds: number };

export type RateLimitResult = { allowed: boolean; count: number; retryAfterSeconds: number };

/**
 * Consumes one point of a fixed-window counter in PostgreSQL.
 * The single upsert is atomic, so concurrent requests from any number of app
 * processes are counted exactly; the window clock is the database's.
 */
export async function consumeRateLimit(key: string, rule: RateLimitRule, database?: Db): Promise<RateLimitResult> {
  const db = database ?? (await getDb());
  const window = sql.raw(`interval '${Math.floor(rule.windowSeconds)} seconds'`);
  const expired = sql`${rateLimits.windowStart} <= now() - ${window}`;
  const [row] = await db
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
      retryAfter: sql<number>`ceil(extract(epoch from (${rateLimits.windowStart} + ${window} - now())))::int`,
    });
  const retryAfterSeconds = Math.max(1, Number(row.retryAfter));
  return { allowed: row.count <= rule.limit, count: row.count, retryAfterSeconds };
}

/** Consumes a point and throws a 429 error when the limit is exceeded. */
export async function enforceRateLimit(key: string, rule: RateLimitRule): Promise<void> {
  const result = await consumeRateLimit(key, rule);
  if (!result.allowed) throw new RateLimitError(result.retryAfterSeconds);
}

/** Gives back a point, e.g. after a successful login. */
export async function refundRateLimit(key: string): Promise<void> {
  const db = await getDb();
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
