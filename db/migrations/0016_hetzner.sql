-- Uptime of each instance's probed URLs over 90 days: one counter row per URL and day (the
-- probe's 50-result history is too short), and incidents with start and end. At most one open
-- incident per URL, enforced here.
CREATE TABLE "uptime_days" (
	"instance_id" integer NOT NULL,
	"target" text NOT NULL,
	"day" date NOT NULL,
	"checks" integer DEFAULT 0 NOT NULL,
	"failures" integer DEFAULT 0 NOT NULL,
	CONSTRAINT "uptime_days_instance_id_target_day_pk" PRIMARY KEY("instance_id","target","day"),
	CONSTRAINT "uptime_days_counts" CHECK ("uptime_days"."failures" >= 0 AND "uptime_days"."failures" <= "uptime_days"."checks")
);
--> statement-breakpoint
ALTER TABLE "uptime_days" ADD CONSTRAINT "uptime_days_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE TABLE "uptime_incidents" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"instance_id" integer NOT NULL,
	"target" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"last_error" text,
	CONSTRAINT "uptime_incidents_order" CHECK ("uptime_incidents"."ended_at" IS NULL OR "uptime_incidents"."ended_at" >= "uptime_incidents"."started_at")
);
--> statement-breakpoint
ALTER TABLE "uptime_incidents" ADD CONSTRAINT "uptime_incidents_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "uptime_incidents_one_open" ON "uptime_incidents" USING btree ("instance_id","target") WHERE "uptime_incidents"."ended_at" IS NULL;--> statement-breakpoint
CREATE INDEX "uptime_incidents_instance_started_idx" ON "uptime_incidents" USING btree ("instance_id","started_at");--> statement-breakpoint
-- A plan item the portal keeps itself (Hetzner backups while they are switched on): `source`
-- names it, and only one open item per instance and source can exist.
ALTER TABLE "billing_plan_items" ADD COLUMN "source" text;--> statement-breakpoint
CREATE UNIQUE INDEX "billing_plan_items_one_open_source" ON "billing_plan_items" USING btree ("instance_id","source") WHERE "billing_plan_items"."source" IS NOT NULL AND "billing_plan_items"."ends_on" IS NULL;--> statement-breakpoint
-- What the instance reports about its own use (customers and devices it manages), asked through
-- the instance agent; the last answer is kept for the overview and the staff list.
CREATE TABLE "instance_usage" (
	"instance_id" integer PRIMARY KEY NOT NULL,
	"customers" integer,
	"devices" integer,
	"reported_at" timestamp with time zone,
	"checked_at" timestamp with time zone DEFAULT now() NOT NULL,
	"error" text,
	CONSTRAINT "instance_usage_counts" CHECK (("instance_usage"."customers" IS NULL OR "instance_usage"."customers" >= 0) AND ("instance_usage"."devices" IS NULL OR "instance_usage"."devices" >= 0))
);
--> statement-breakpoint
ALTER TABLE "instance_usage" ADD CONSTRAINT "instance_usage_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;
