CREATE TABLE "billing_periods" (
	"instance_id" integer NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"invoice_id" integer,
	"run_id" integer,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_periods_instance_id_period_start_pk" PRIMARY KEY("instance_id","period_start")
);
--> statement-breakpoint
CREATE TABLE "billing_plan_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"instance_id" integer NOT NULL,
	"description" text NOT NULL,
	"quantity_milli" bigint NOT NULL,
	"unit" text DEFAULT 'Stück' NOT NULL,
	"unit_price_cents" bigint NOT NULL,
	"vat_rate" integer NOT NULL,
	"starts_on" date NOT NULL,
	"ends_on" date,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "billing_runs" (
	"id" serial PRIMARY KEY NOT NULL,
	"period_start" date NOT NULL,
	"period_end" date NOT NULL,
	"actor_name" text NOT NULL,
	"status" text DEFAULT 'running' NOT NULL,
	"invoice_count" integer DEFAULT 0 NOT NULL,
	"net_cents" bigint DEFAULT 0 NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "billing_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"billing_day" integer DEFAULT 1 NOT NULL,
	"bill_suspended" boolean DEFAULT true NOT NULL,
	"auto_issue" boolean DEFAULT false NOT NULL,
	"tier_vat_rate" integer DEFAULT 1900 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "billing_settings_single_row" CHECK ("billing_settings"."id" = 1),
	CONSTRAINT "billing_settings_day" CHECK ("billing_settings"."billing_day" between 1 and 28)
);
--> statement-breakpoint
CREATE TABLE "instance_tier_changes" (
	"id" serial PRIMARY KEY NOT NULL,
	"instance_id" integer NOT NULL,
	"tier_key" text NOT NULL,
	"effective_from" date NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "billing_periods" ADD CONSTRAINT "billing_periods_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_periods" ADD CONSTRAINT "billing_periods_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_periods" ADD CONSTRAINT "billing_periods_run_id_billing_runs_id_fk" FOREIGN KEY ("run_id") REFERENCES "public"."billing_runs"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "billing_plan_items" ADD CONSTRAINT "billing_plan_items_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_tier_changes" ADD CONSTRAINT "instance_tier_changes_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "instance_tier_changes" ADD CONSTRAINT "instance_tier_changes_tier_key_pricing_tiers_key_fk" FOREIGN KEY ("tier_key") REFERENCES "public"."pricing_tiers"("key") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "billing_periods_invoice_idx" ON "billing_periods" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "billing_plan_items_instance_idx" ON "billing_plan_items" USING btree ("instance_id");--> statement-breakpoint
CREATE UNIQUE INDEX "instance_tier_changes_day_idx" ON "instance_tier_changes" USING btree ("instance_id","effective_from");