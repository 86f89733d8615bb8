-- Device cookies (lib/auth/device-cookies.ts): a browser that signed in to an
-- account before keeps its own login allowance while the account is attacked
-- from elsewhere. Only the SHA-256 of the cookie's nonce is kept, so a cookie
-- can be checked and revoked but not rebuilt from the database.
CREATE TABLE "device_cookies" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"nonce_hash" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"last_used_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	CONSTRAINT "device_cookies_nonce_hash_unique" UNIQUE("nonce_hash")
);--> statement-breakpoint
ALTER TABLE "device_cookies" ADD CONSTRAINT "device_cookies_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "device_cookies_user_idx" ON "device_cookies" USING btree ("user_id");--> statement-breakpoint
-- Why a portal session ended ("ended_elsewhere": on another device), so the
-- login page can say so instead of "abgelaufen". Token families have the column already.
ALTER TABLE "sessions" ADD COLUMN "revoked_reason" text;
