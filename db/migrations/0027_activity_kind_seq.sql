-- Kind-filtered pages of the activity log in constant time (lib/activity/README.md). Every entry
-- gets `kind`, the filter category of its action (activity_kind(), the same rules as actionKind()
-- in lib/activity/actions.ts), and `kind_seq`, its number among its instance's entries of that
-- kind (1, 2, 3, …), handed out by the insert trigger of migration 0019 right after `seq`, under
-- the same row lock of `activity_counts`, from the kept counter of the pair (instance, kind) in
-- `activity_kind_counts`. Page N of a kind is then the range `kind_seq <= hi - (N - 1) * per_page`
-- on the index (instance_id, kind, kind_seq); a period inside a kind is the run between two probes
-- of the index (instance_id, kind, created_at, kind_seq).
--
-- Deletions keep every kind's numbers an unbroken run: the log may only lose its oldest entries
-- (0019), and the oldest entries of a log are the oldest of each of its kinds, since both numbers
-- are handed out in the same order. The delete trigger checks it anyway, with the kept count per
-- kind. `action`, `kind` and `kind_seq` never change, like `instance_id`, `seq` and `created_at`.
CREATE FUNCTION "activity_kind"("action" text) RETURNS text LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
	SELECT CASE
		WHEN $1 IN ('manage.login', 'manage.login_failed', 'manage.logout', 'auth.logout_all', 'auth.2fa_failed', 'auth.2fa_locked',
			'auth.session_ended', 'auth.recovery_code_used', 'api.login', 'api.login_failed', 'api.logout', 'api.refresh_token_reuse') THEN 'anmeldung'
		ELSE CASE split_part($1, '.', 1)
			WHEN 'manage' THEN 'konto' WHEN 'auth' THEN 'konto' WHEN 'api' THEN 'konto' WHEN 'webhook' THEN 'konto'
			WHEN 'server' THEN 'server'
			WHEN 'domain' THEN 'domains'
			WHEN 'invoice' THEN 'rechnungen' WHEN 'payment' THEN 'rechnungen' WHEN 'billing' THEN 'rechnungen' WHEN 'dunning' THEN 'rechnungen' WHEN 'sepa' THEN 'rechnungen'
			WHEN 'instance' THEN 'verwaltung' WHEN 'admin' THEN 'verwaltung'
		END
	END
$$;--> statement-breakpoint
ALTER TABLE "activity_log" ADD COLUMN "kind" text;--> statement-breakpoint
ALTER TABLE "activity_log" ADD COLUMN "kind_seq" bigint;--> statement-breakpoint
CREATE TABLE "activity_kind_counts" (
	"instance_id" integer NOT NULL REFERENCES "instances"("id") ON DELETE CASCADE,
	"kind" text NOT NULL,
	"n" bigint NOT NULL DEFAULT 0,
	"last_seq" bigint NOT NULL DEFAULT 0,
	PRIMARY KEY ("instance_id", "kind")
);--> statement-breakpoint
UPDATE "activity_log" a SET "kind" = r."kind", "kind_seq" = r."kind_seq"
	FROM (SELECT "id", activity_kind("action") AS "kind",
			CASE WHEN "instance_id" IS NOT NULL AND activity_kind("action") IS NOT NULL
				THEN row_number() OVER (PARTITION BY "instance_id", activity_kind("action") ORDER BY "seq") END AS "kind_seq"
		FROM "activity_log") r
	WHERE a."id" = r."id" AND r."kind" IS NOT NULL;--> statement-breakpoint
INSERT INTO "activity_kind_counts" ("instance_id", "kind", "n", "last_seq")
	SELECT "instance_id", "kind", count(*), max("kind_seq") FROM "activity_log" WHERE "kind_seq" IS NOT NULL GROUP BY "instance_id", "kind";--> statement-breakpoint
CREATE UNIQUE INDEX "activity_log_instance_kind_seq_idx" ON "activity_log" USING btree ("instance_id","kind","kind_seq");--> statement-breakpoint
CREATE INDEX "activity_log_instance_kind_created_idx" ON "activity_log" USING btree ("instance_id","kind","created_at","kind_seq");--> statement-breakpoint
ALTER TABLE "activity_log" ADD CONSTRAINT "activity_log_kind_seq_with_kind" CHECK (("kind_seq" IS NULL) = ("instance_id" IS NULL OR "kind" IS NULL));--> statement-breakpoint
-- 0019's numbering, then the kind's number under the same lock (the instance's counter row is
-- taken first, so two writers never take the kind rows in opposite order).
CREATE OR REPLACE FUNCTION "activity_log_number"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	counter record;
BEGIN
	NEW."kind" := activity_kind(NEW."action");
	IF NEW."instance_id" IS NULL THEN
		NEW."seq" := NULL;
		NEW."kind_seq" := NULL;
		RETURN NEW;
	END IF;
	INSERT INTO "activity_counts" AS c ("instance_id", "n", "last_seq", "last_at") VALUES (NEW."instance_id", 0, 1, NEW."created_at")
		ON CONFLICT ("instance_id") DO UPDATE SET "last_seq" = c."last_seq" + 1, "last_at" = greatest(c."last_at", excluded."last_at")
		RETURNING c."last_seq", c."last_at" INTO counter;
	NEW."seq" := counter."last_seq";
	NEW."created_at" := counter."last_at";
	IF NEW."kind" IS NULL THEN
		NEW."kind_seq" := NULL;
	ELSE
		INSERT INTO "activity_kind_counts" AS k ("instance_id", "kind", "n", "last_seq") VALUES (NEW."instance_id", NEW."kind", 1, 1)
			ON CONFLICT ("instance_id", "kind") DO UPDATE SET "n" = k."n" + 1, "last_seq" = k."last_seq" + 1
			RETURNING k."last_seq" INTO NEW."kind_seq";
	END IF;
	RETURN NEW;
END $$;--> statement-breakpoint
DROP TRIGGER "activity_log_fixed" ON "activity_log";--> statement-breakpoint
CREATE OR REPLACE FUNCTION "activity_log_fixed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'Instanz, Aktion, Nummer und Zeitpunkt eines Protokolleintrags sind unveränderlich' USING ERRCODE = 'check_violation';
END $$;--> statement-breakpoint
CREATE TRIGGER "activity_log_fixed" BEFORE UPDATE ON "activity_log" FOR EACH ROW
	WHEN (OLD."instance_id" IS DISTINCT FROM NEW."instance_id" OR OLD."seq" IS DISTINCT FROM NEW."seq" OR OLD."created_at" IS DISTINCT FROM NEW."created_at"
		OR OLD."action" IS DISTINCT FROM NEW."action" OR OLD."kind" IS DISTINCT FROM NEW."kind" OR OLD."kind_seq" IS DISTINCT FROM NEW."kind_seq")
	EXECUTE FUNCTION "activity_log_fixed"();--> statement-breakpoint
-- Fires after "activity_counts_delete" and before "activity_log_no_holes" (name order).
CREATE FUNCTION "activity_kind_counts_remove"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	UPDATE "activity_kind_counts" c SET "n" = greatest(c."n" - d."n", 0)
		FROM (SELECT "instance_id", "kind", count(*) AS "n" FROM "deleted" WHERE "kind_seq" IS NOT NULL GROUP BY "instance_id", "kind") d
		WHERE c."instance_id" = d."instance_id" AND c."kind" = d."kind";
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "activity_kind_counts_delete" AFTER DELETE ON "activity_log" REFERENCING OLD TABLE AS "deleted"
	FOR EACH STATEMENT EXECUTE FUNCTION "activity_kind_counts_remove"();--> statement-breakpoint
CREATE OR REPLACE FUNCTION "activity_log_no_holes"() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
	broken integer;
BEGIN
	SELECT d."instance_id" INTO broken
		FROM (SELECT DISTINCT "instance_id" FROM "deleted" WHERE "instance_id" IS NOT NULL) d
		JOIN "activity_counts" c ON c."instance_id" = d."instance_id"
		CROSS JOIN LATERAL (SELECT min(a."seq") AS "lo", max(a."seq") AS "hi" FROM "activity_log" a WHERE a."instance_id" = d."instance_id") b
		WHERE b."hi" IS NOT NULL AND (c."n" <> b."hi" - b."lo" + 1 OR b."hi" <> c."last_seq")
		LIMIT 1;
	IF broken IS NULL THEN
		-- The same for every kind that lost entries: its numbers lo..hi, its kept count, its last number.
		SELECT d."instance_id" INTO broken
			FROM (SELECT DISTINCT "instance_id", "kind" FROM "deleted" WHERE "kind_seq" IS NOT NULL) d
			JOIN "activity_kind_counts" c ON c."instance_id" = d."instance_id" AND c."kind" = d."kind"
			CROSS JOIN LATERAL (SELECT min(a."kind_seq") AS "lo", max(a."kind_seq") AS "hi" FROM "activity_log" a
				WHERE a."instance_id" = d."instance_id" AND a."kind" = d."kind") b
			WHERE b."hi" IS NOT NULL AND (c."n" <> b."hi" - b."lo" + 1 OR b."hi" <> c."last_seq")
			LIMIT 1;
	END IF;
	IF broken IS NOT NULL THEN
		RAISE EXCEPTION 'Protokolleinträge der Instanz % können nur vom ältesten Eintrag an gelöscht werden', broken USING ERRCODE = 'check_violation';
	END IF;
	-- An emptied log starts its times afresh (its numbers go on).
	UPDATE "activity_counts" c SET "last_at" = NULL
		WHERE c."instance_id" IN (SELECT "instance_id" FROM "deleted") AND c."last_at" IS NOT NULL
			AND NOT EXISTS (SELECT 1 FROM "activity_log" a WHERE a."instance_id" = c."instance_id");
	RETURN NULL;
END $$;--> statement-breakpoint
CREATE OR REPLACE FUNCTION "activity_counts_clear"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	DELETE FROM "activity_counts";
	DELETE FROM "activity_kind_counts";
	RETURN NULL;
END $$;
