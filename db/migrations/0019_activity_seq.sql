-- Page positions of the activity log. Every entry of an instance gets `seq`, its number in
-- recording order (1, 2, 3, …), assigned by a BEFORE INSERT trigger from the instance's row in
-- `activity_counts` in the transaction that writes the entry. The row stays locked until that
-- transaction ends, so numbers are handed out in commit order, a rolled-back entry gives its
-- number back, and every snapshot sees an unbroken run of numbers. Page N of the newest-first
-- list is then the range `seq <= max(seq) - (N - 1) * per_page` on the index (instance_id, seq):
-- its cost does not depend on how deep the page is (lib/activity/README.md).
--
-- The same trigger keeps `created_at` in recording order (never earlier than the instance's
-- entry before it), so a period of calendar days is one range of numbers too.
-- Deleting entries may only shorten a log from its oldest end (retention) or empty it (a whole
-- instance): a hole would shift every older page, so the database refuses it. `instance_id`, `seq` and
-- `created_at` of an entry never change (the IP anonymisation changes `ip` only).
ALTER TABLE "activity_log" ADD COLUMN "seq" bigint;--> statement-breakpoint
ALTER TABLE "activity_counts" ADD COLUMN "last_seq" bigint NOT NULL DEFAULT 0;--> statement-breakpoint
ALTER TABLE "activity_counts" ADD COLUMN "last_at" timestamp with time zone;--> statement-breakpoint
UPDATE "activity_log" a SET "seq" = r."seq"
	FROM (SELECT "id", row_number() OVER (PARTITION BY "instance_id" ORDER BY "created_at", "id") AS "seq"
		FROM "activity_log" WHERE "instance_id" IS NOT NULL) r
	WHERE a."id" = r."id";--> statement-breakpoint
INSERT INTO "activity_counts" ("instance_id", "n", "last_seq", "last_at")
	SELECT "instance_id", count(*), max("seq"), max("created_at") FROM "activity_log" WHERE "instance_id" IS NOT NULL GROUP BY "instance_id"
	ON CONFLICT ("instance_id") DO UPDATE SET "n" = excluded."n", "last_seq" = excluded."last_seq", "last_at" = excluded."last_at";--> statement-breakpoint
DROP INDEX "activity_log_instance_created_id_idx";--> statement-breakpoint
CREATE UNIQUE INDEX "activity_log_instance_seq_idx" ON "activity_log" USING btree ("instance_id","seq");--> statement-breakpoint
CREATE INDEX "activity_log_instance_created_seq_idx" ON "activity_log" USING btree ("instance_id","created_at","seq");--> statement-breakpoint
ALTER TABLE "activity_log" ADD CONSTRAINT "activity_log_seq_with_instance" CHECK (("instance_id" IS NULL) = ("seq" IS NULL));--> statement-breakpoint
CREATE FUNCTION "activity_log_number"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	counter record;
BEGIN
	IF NEW."instance_id" IS NULL THEN
		NEW."seq" := NULL;
		RETURN NEW;
	END IF;
	INSERT INTO "activity_counts" AS c ("instance_id", "n", "last_seq", "last_at") VALUES (NEW."instance_id", 0, 1, NEW."created_at")
		ON CONFLICT ("instance_id") DO UPDATE SET "last_seq" = c."last_seq" + 1, "last_at" = greatest(c."last_at", excluded."last_at")
		RETURNING c."last_seq", c."last_at" INTO counter;
	NEW."seq" := counter."last_seq";
	NEW."created_at" := counter."last_at";
	RETURN NEW;
END $$;--> statement-breakpoint
CREATE TRIGGER "activity_log_number" BEFORE INSERT ON "activity_log"
	FOR EACH ROW EXECUTE FUNCTION "activity_log_number"();--> statement-breakpoint
CREATE FUNCTION "activity_log_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'Instanz, Nummer und Zeitpunkt eines Protokolleintrags sind unveränderlich' USING ERRCODE = 'check_violation';
END $$;--> statement-breakpoint
CREATE TRIGGER "activity_log_fixed" BEFORE UPDATE ON "activity_log" FOR EACH ROW
	WHEN (OLD."instance_id" IS DISTINCT FROM NEW."instance_id" OR OLD."seq" IS DISTINCT FROM NEW."seq" OR OLD."created_at" IS DISTINCT FROM NEW."created_at")
	EXECUTE FUNCTION "activity_log_fixed"();--> statement-breakpoint
-- Runs after "activity_counts_delete" (triggers of one event fire in name order), so `n` is the
-- count after this statement. An unbroken run lo..hi holds exactly hi - lo + 1 entries, and hi is
-- still the last number handed out (the next entry continues the run).
CREATE FUNCTION "activity_log_no_holes"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	broken integer;
BEGIN
	SELECT d."instance_id" INTO broken
		FROM (SELECT DISTINCT "instance_id" FROM "deleted" WHERE "instance_id" IS NOT NULL) d
		JOIN "activity_counts" c ON c."instance_id" = d."instance_id"
		CROSS JOIN LATERAL (SELECT min(a."seq") AS "lo", max(a."seq") AS "hi" FROM "activity_log" a WHERE a."instance_id" = d."instance_id") b
		WHERE b."hi" IS NOT NULL AND (c."n" <> b."hi" - b."lo" + 1 OR b."hi" <> c."last_seq")
		LIMIT 1;
	IF broken IS NOT NULL THEN
		RAISE EXCEPTION 'Protokolleinträge der Instanz % können nur vom ältesten Eintrag an gelöscht werden', broken USING ERRCODE = 'check_violation';
	END IF;
	-- An emptied log starts its times afresh (its numbers go on).
	UPDATE "activity_counts" c SET "last_at" = NULL
		WHERE c."instance_id" IN (SELECT "instance_id" FROM "deleted") AND c."last_at" IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM "activity_log" a WHERE a."instance_id" = c."instance_id");
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "activity_log_no_holes" AFTER DELETE ON "activity_log" REFERENCING OLD TABLE AS "deleted"
	FOR EACH STATEMENT EXECUTE FUNCTION "activity_log_no_holes"();
