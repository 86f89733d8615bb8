DROP INDEX "activity_log_instance_idx";--> statement-breakpoint
CREATE INDEX "users_instance_idx" ON "users" USING btree ("instance_id");--> statement-breakpoint
CREATE INDEX "activity_log_instance_created_id_idx" ON "activity_log" USING btree ("instance_id","created_at","id");--> statement-breakpoint
CREATE INDEX "activity_log_user_idx" ON "activity_log" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "invoice_payments_created_by_idx" ON "invoice_payments" USING btree ("created_by");--> statement-breakpoint
CREATE INDEX "invoices_issued_list_idx" ON "invoices" USING btree ("instance_id","invoice_date" DESC NULLS FIRST,"created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST) WHERE "invoices"."issued_at" is not null;--> statement-breakpoint
CREATE INDEX "invoices_cancels_invoice_idx" ON "invoices" USING btree ("cancels_invoice_id") WHERE "invoices"."cancels_invoice_id" is not null;--> statement-breakpoint
CREATE INDEX "invoices_created_by_idx" ON "invoices" USING btree ("created_by");--> statement-breakpoint
-- The activity log's total per instance, maintained by statement-level triggers
-- (exact across processes; one upsert per statement, not per row): the log's
-- `meta.total` reads one row instead of counting up to 120,000 index entries.
CREATE TABLE "activity_counts" (
	"instance_id" integer PRIMARY KEY NOT NULL REFERENCES "instances"("id") ON DELETE CASCADE,
	"n" bigint NOT NULL DEFAULT 0
);--> statement-breakpoint
INSERT INTO "activity_counts" ("instance_id", "n")
	SELECT "instance_id", count(*) FROM "activity_log" WHERE "instance_id" IS NOT NULL GROUP BY "instance_id";--> statement-breakpoint
CREATE FUNCTION "activity_counts_add"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	INSERT INTO "activity_counts" ("instance_id", "n")
		SELECT "instance_id", count(*) FROM "inserted" WHERE "instance_id" IS NOT NULL GROUP BY "instance_id"
		ON CONFLICT ("instance_id") DO UPDATE SET "n" = "activity_counts"."n" + excluded."n";
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "activity_counts_remove"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE "activity_counts" c SET "n" = greatest(c."n" - d."n", 0)
		FROM (SELECT "instance_id", count(*) AS "n" FROM "deleted" WHERE "instance_id" IS NOT NULL GROUP BY "instance_id") d
		WHERE c."instance_id" = d."instance_id";
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "activity_counts_move"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE "activity_counts" c SET "n" = greatest(c."n" - d."n", 0)
		FROM (SELECT "instance_id", count(*) AS "n" FROM "deleted" WHERE "instance_id" IS NOT NULL GROUP BY "instance_id") d
		WHERE c."instance_id" = d."instance_id";
	INSERT INTO "activity_counts" ("instance_id", "n")
		SELECT "instance_id", count(*) FROM "inserted" WHERE "instance_id" IS NOT NULL GROUP BY "instance_id"
		ON CONFLICT ("instance_id") DO UPDATE SET "n" = "activity_counts"."n" + excluded."n";
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "activity_counts_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM "activity_counts";
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "activity_counts_insert" AFTER INSERT ON "activity_log" REFERENCING NEW TABLE AS "inserted"
	FOR EACH STATEMENT EXECUTE FUNCTION "activity_counts_add"();--> statement-breakpoint
CREATE TRIGGER "activity_counts_delete" AFTER DELETE ON "activity_log" REFERENCING OLD TABLE AS "deleted"
	FOR EACH STATEMENT EXECUTE FUNCTION "activity_counts_remove"();--> statement-breakpoint
CREATE TRIGGER "activity_counts_update" AFTER UPDATE ON "activity_log" REFERENCING OLD TABLE AS "deleted" NEW TABLE AS "inserted"
	FOR EACH STATEMENT EXECUTE FUNCTION "activity_counts_move"();--> statement-breakpoint
CREATE TRIGGER "activity_counts_truncate" AFTER TRUNCATE ON "activity_log"
	FOR EACH STATEMENT EXECUTE FUNCTION "activity_counts_clear"();
--> statement-breakpoint
-- Rate-limit counters are write-hot (API v1 counts every request) and worthless after a crash:
-- UNLOGGED skips the WAL (and its fsync on commit); the counts stay exact across processes.
ALTER TABLE "rate_limits" SET UNLOGGED;
