-- Refresh-token reuse interval: who spent a token, when, and which token
-- replaced it, so the same client repeating the refresh within a few seconds
-- gets the same new pair (lib/auth/token-families.ts). No secret is stored:
-- the successor pair is re-derived from the server key and checked against
-- the successor's stored hash.
ALTER TABLE "refresh_tokens" ADD COLUMN "used_ip" text;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD COLUMN "used_user_agent" text;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD COLUMN "successor_id" uuid;--> statement-breakpoint
ALTER TABLE "refresh_tokens" ADD COLUMN "successor_iat" bigint;--> statement-breakpoint
-- Re-authentication ("sudo mode"): when the session last confirmed the password or a passkey.
ALTER TABLE "sessions" ADD COLUMN "reauthenticated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "token_families" ADD COLUMN "reauthenticated_at" timestamp with time zone;--> statement-breakpoint
-- A customer admin may require two factors for every user of the instance.
ALTER TABLE "instances" ADD COLUMN "require_two_factor" boolean DEFAULT false NOT NULL;
