CREATE TABLE "tier_price_changes" (
	"tier_key" text NOT NULL,
	"effective_from" date NOT NULL,
	"monthly_price_cents" integer NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "tier_price_changes_tier_key_effective_from_pk" PRIMARY KEY("tier_key","effective_from"),
	CONSTRAINT "tier_price_changes_price" CHECK ("tier_price_changes"."monthly_price_cents" >= 0)
);
--> statement-breakpoint
ALTER TABLE "tier_price_changes" ADD CONSTRAINT "tier_price_changes_tier_key_pricing_tiers_key_fk" FOREIGN KEY ("tier_key") REFERENCES "public"."pricing_tiers"("key") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tier_price_changes" ADD CONSTRAINT "tier_price_changes_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;