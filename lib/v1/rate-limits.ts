import type { RateLimitRule } from "@/lib/rate-limit";

/** API v1 limits of the seed: login and 2FA 10/min per IP, everything else 600/min per user. */
export const V1_RATE_LIMITS = {
  login: { limit: 10, windowSeconds: 60 },
  twoFactor: { limit: 10, windowSeconds: 60 },
  user: { limit: 600, windowSeconds: 60 },
} satisfies Record<string, RateLimitRule>;
