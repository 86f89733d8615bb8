CREATE TABLE "dunning_notices" (
	"invoice_id" integer NOT NULL,
	"stage" text NOT NULL,
	"instance_id" integer NOT NULL,
	"notice_date" date NOT NULL,
	"fee_cents" bigint DEFAULT 0 NOT NULL,
	"open_cents" bigint NOT NULL,
	"mail_count" integer DEFAULT 0 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dunning_notices_invoice_id_stage_pk" PRIMARY KEY("invoice_id","stage")
);
--> statement-breakpoint
CREATE TABLE "dunning_pauses" (
	"instance_id" integer PRIMARY KEY NOT NULL,
	"note" text NOT NULL,
	"paused_by" uuid,
	"paused_by_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dunning_settings" (
	"id" integer PRIMARY KEY DEFAULT 1 NOT NULL,
	"enabled" boolean DEFAULT true NOT NULL,
	"reminder_days" integer DEFAULT 7 NOT NULL,
	"dunning_1_days" integer DEFAULT 14 NOT NULL,
	"dunning_2_days" integer DEFAULT 21 NOT NULL,
	"dunning_2_fee_cents" bigint DEFAULT 0 NOT NULL,
	"suspend_after_days" integer DEFAULT 30 NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "dunning_settings_single_row" CHECK ("dunning_settings"."id" = 1),
	CONSTRAINT "dunning_settings_order" CHECK (0 < "dunning_settings"."reminder_days" and "dunning_settings"."reminder_days" < "dunning_settings"."dunning_1_days" and "dunning_settings"."dunning_1_days" < "dunning_settings"."dunning_2_days"),
	CONSTRAINT "dunning_settings_suspend" CHECK ("dunning_settings"."suspend_after_days" >= 1),
	CONSTRAINT "dunning_settings_fee" CHECK ("dunning_settings"."dunning_2_fee_cents" >= 0)
);
--> statement-breakpoint
CREATE TABLE "dunning_suspensions" (
	"instance_id" integer PRIMARY KEY NOT NULL,
	"suspended_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "dunning_notices" ADD CONSTRAINT "dunning_notices_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dunning_notices" ADD CONSTRAINT "dunning_notices_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dunning_pauses" ADD CONSTRAINT "dunning_pauses_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dunning_pauses" ADD CONSTRAINT "dunning_pauses_paused_by_users_id_fk" FOREIGN KEY ("paused_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "dunning_suspensions" ADD CONSTRAINT "dunning_suspensions_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "dunning_notices_instance_idx" ON "dunning_notices" USING btree ("instance_id","notice_date");