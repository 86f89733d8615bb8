import { RATE_LIMITS, type RateLimitRule } from "@/lib/rate-limit";

/**
 * Login limits per door. Manage API and browser: 5 per 5 minutes per account
 * and per IP, refunded on success. API v1 (seed 002): login and 2FA verify
 * each 10/min per IP, separate counters, no refund.
 */
export const LOGIN_RATE_LIMITS = {
  password: RATE_LIMITS.manageLogin,
  apiPassword: { limit: 10, windowSeconds: 60 },
  twoFactor: { limit: 10, windowSeconds: 60 },
} satisfies Record<string, RateLimitRule>;
