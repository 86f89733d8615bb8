/**
 * Limits of everything that checks a password or a code, per account AND per
 * client address, decided atomically over both counters (`takeRateLimits`):
 *
 * - password logins (manage API, browser, API v1): the account counter
 *   `login:account:<email>` is shared by every door (5 per 5 minutes), the
 *   address counter is per door (manage/browser 5 per 5 minutes, API v1
 *   10/min as in seed 002);
 * - `PUT /api/manage/auth/password` (`current_password`): 5 per 5 minutes per
 *   account and per address;
 * - 2FA codes: 10/min per address (seed 002) for the step, and wrong codes per
 *   account over 30 minutes, whichever challenge they came from (5, then 429
 *   with `Retry-After` up to 1800).
 *
 * Successful attempts never count: a point is taken before the check (so
 * parallel guesses are counted exactly) and given back when the check
 * succeeds. An attempt that is refused only because other attempts of the
 * same account are still being checked waits for them (`pending` counter)
 * instead of failing, so parallel correct logins do not lock each other out.
 */
import { DomainError, RateLimitError } from "@/lib/errors";
import { RATE_LIMITS, refundRateLimit, takeRateLimits, type RateLimitKey, type RateLimitRule } from "@/lib/rate-limit";

export const LOGIN_RATE_LIMITS = {
  password: RATE_LIMITS.manageLogin,
  apiPassword: { limit: 10, windowSeconds: 60 },
  twoFactor: { limit: 10, windowSeconds: 60 },
  /** Wrong 2FA codes per account, across challenges. */
  twoFactorAccount: { limit: 5, windowSeconds: 1800 },
  /** `current_password` of a password change, per account and per address. */
  passwordChange: { limit: 5, windowSeconds: 5 * 60 },
} satisfies Record<string, RateLimitRule>;

/** Attempts still being checked; only bounds how long a refused attempt waits for them. */
const PENDING_RULE: RateLimitRule = { limit: 1_000_000, windowSeconds: 60 };
/** In-flight attempts end within a password hash; the bound only matters for a crashed process's leftovers. */
const PENDING_WAIT_MS = 15_000;
const PENDING_POLL_MS = { first: 25, max: 250 };

export function loginAccountKey(email: string): RateLimitKey {
  return { key: `login:account:${email.trim().toLowerCase()}`, rule: LOGIN_RATE_LIMITS.password, name: "loginAccount" };
}

/**
 * Runs `check` (a password or code comparison) under the given counters.
 * `pendingKey` names the account whose in-flight attempts a refused attempt
 * may wait for. A failed check (a domain error such as a wrong password)
 * keeps its point; success and infrastructure failures give it back.
 */
export async function limitedAttempt<T>(keys: RateLimitKey[], pendingKey: string, check: () => Promise<T>): Promise<T> {
  const pending: RateLimitKey = { key: `pending:${pendingKey}`, rule: PENDING_RULE, name: "pending" };
  const started = Date.now();
  for (let poll = PENDING_POLL_MS.first; ; poll = Math.min(poll * 2, PENDING_POLL_MS.max)) {
    const decision = await takeRateLimits([...keys, pending]);
    if (decision.allowed) break;
    const inFlight = decision.counts[pending.key] ?? 0;
    if (inFlight <= 0 || Date.now() - started > PENDING_WAIT_MS) throw new RateLimitError(decision.retryAfterSeconds);
    await new Promise((resolve) => setTimeout(resolve, poll));
  }
  let outcome: "ok" | "failed" | "error" = "error";
  try {
    const result = await check();
    outcome = "ok";
    return result;
  } catch (error) {
    outcome = error instanceof DomainError && !(error instanceof RateLimitError) && error.status < 500 ? "failed" : "error";
    throw error;
  } finally {
    // The pending point always goes back; the limit points only when the attempt did not fail.
    const refunds = outcome === "failed" ? [pending.key] : [pending.key, ...keys.map((k) => k.key)];
    await Promise.all(refunds.map((key) => refundRateLimit(key))).catch(() => {});
  }
}

/** Wrong 2FA codes of one account, whichever challenge (and door) they came from. */
export function twoFactorAccountKey(userId: string): RateLimitKey {
  return { key: `2fa:account:${userId}`, rule: LOGIN_RATE_LIMITS.twoFactorAccount, name: "twoFactorAccount" };
}
