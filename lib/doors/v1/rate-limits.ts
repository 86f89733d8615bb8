import type { RateLimitRule } from "@/lib/rate-limit";

/** API v1 limit of the seed for authenticated endpoints: 600/min per user. Login and 2FA limits: `lib/auth/rate-limits.ts`. */
export const V1_RATE_LIMITS = {
  user: { limit: 600, windowSeconds: 60 },
} satisfies Record<string, RateLimitRule>;
