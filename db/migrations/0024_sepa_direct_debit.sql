CREATE TABLE "sepa_mandates" (
	"id" serial PRIMARY KEY NOT NULL,
	"instance_id" integer NOT NULL,
	"reference" text NOT NULL,
	"account_holder" text NOT NULL,
	"iban" text NOT NULL,
	"bic" text,
	"scheme" text NOT NULL,
	"mandate_type" text DEFAULT 'recurrent' NOT NULL,
	"signed_on" date NOT NULL,
	"signed_by" uuid,
	"signed_by_name" text NOT NULL,
	"creditor_id" text NOT NULL,
	"creditor_name" text NOT NULL,
	"mandate_text" text NOT NULL,
	"pdf" bytea NOT NULL,
	"pdf_sha256" text NOT NULL,
	"status" text DEFAULT 'active' NOT NULL,
	"return_count" integer DEFAULT 0 NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by_name" text,
	"flagged_at" timestamp with time zone,
	"flag_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sepa_mandates_reference_unique" UNIQUE("reference"),
	CONSTRAINT "sepa_mandates_scheme_check" CHECK ("scheme" in ('CORE', 'B2B')),
	CONSTRAINT "sepa_mandates_type_check" CHECK ("mandate_type" in ('recurrent', 'one_off')),
	CONSTRAINT "sepa_mandates_status_check" CHECK ("status" in ('active', 'revoked', 'flagged'))
);
--> statement-breakpoint
CREATE TABLE "sepa_debits" (
	"id" serial PRIMARY KEY NOT NULL,
	"invoice_id" integer NOT NULL,
	"mandate_id" integer NOT NULL,
	"amount_cents" bigint NOT NULL,
	"collection_date" date NOT NULL,
	"status" text DEFAULT 'announced' NOT NULL,
	"return_reason" text,
	"return_fee_cents" bigint DEFAULT 0 NOT NULL,
	"returned_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sepa_debits_invoice_id_unique" UNIQUE("invoice_id"),
	CONSTRAINT "sepa_debits_amount_positive" CHECK ("sepa_debits"."amount_cents" > 0),
	CONSTRAINT "sepa_debits_status_check" CHECK ("status" in ('announced', 'submitted', 'returned'))
);
--> statement-breakpoint
CREATE TABLE "sepa_collection_files" (
	"id" serial PRIMARY KEY NOT NULL,
	"collection_date" date NOT NULL,
	"message_id" text NOT NULL,
	"xml" text NOT NULL,
	"sha256" text NOT NULL,
	"transaction_count" integer NOT NULL,
	"control_sum_cents" bigint NOT NULL,
	"created_by" uuid,
	"created_by_name" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "sepa_collection_files_message_id_unique" UNIQUE("message_id")
);
--> statement-breakpoint
CREATE TABLE "sepa_collection_items" (
	"id" serial PRIMARY KEY NOT NULL,
	"file_id" integer NOT NULL,
	"debit_id" integer NOT NULL,
	"invoice_id" integer NOT NULL,
	"mandate_id" integer NOT NULL,
	"sequence_type" text NOT NULL,
	"end_to_end_id" text NOT NULL,
	"amount_cents" bigint NOT NULL,
	CONSTRAINT "sepa_collection_items_debit_id_unique" UNIQUE("debit_id"),
	CONSTRAINT "sepa_collection_items_invoice_id_unique" UNIQUE("invoice_id"),
	CONSTRAINT "sepa_collection_items_end_to_end_id_unique" UNIQUE("end_to_end_id"),
	CONSTRAINT "sepa_collection_items_sequence_type_check" CHECK ("sequence_type" in ('FRST', 'RCUR', 'OOFF'))
);
--> statement-breakpoint
ALTER TABLE "sepa_mandates" ADD CONSTRAINT "sepa_mandates_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sepa_mandates" ADD CONSTRAINT "sepa_mandates_signed_by_users_id_fk" FOREIGN KEY ("signed_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sepa_debits" ADD CONSTRAINT "sepa_debits_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sepa_debits" ADD CONSTRAINT "sepa_debits_mandate_id_sepa_mandates_id_fk" FOREIGN KEY ("mandate_id") REFERENCES "public"."sepa_mandates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sepa_collection_files" ADD CONSTRAINT "sepa_collection_files_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sepa_collection_items" ADD CONSTRAINT "sepa_collection_items_file_id_sepa_collection_files_id_fk" FOREIGN KEY ("file_id") REFERENCES "public"."sepa_collection_files"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sepa_collection_items" ADD CONSTRAINT "sepa_collection_items_debit_id_sepa_debits_id_fk" FOREIGN KEY ("debit_id") REFERENCES "public"."sepa_debits"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sepa_collection_items" ADD CONSTRAINT "sepa_collection_items_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "sepa_collection_items" ADD CONSTRAINT "sepa_collection_items_mandate_id_sepa_mandates_id_fk" FOREIGN KEY ("mandate_id") REFERENCES "public"."sepa_mandates"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "sepa_mandates_one_active" ON "sepa_mandates" USING btree ("instance_id") WHERE "sepa_mandates"."status" = 'active';--> statement-breakpoint
CREATE INDEX "sepa_mandates_instance_idx" ON "sepa_mandates" USING btree ("instance_id");--> statement-breakpoint
CREATE INDEX "sepa_debits_collection_idx" ON "sepa_debits" USING btree ("collection_date","status");--> statement-breakpoint
CREATE INDEX "sepa_debits_mandate_idx" ON "sepa_debits" USING btree ("mandate_id");--> statement-breakpoint
CREATE INDEX "sepa_collection_items_file_idx" ON "sepa_collection_items" USING btree ("file_id");--> statement-breakpoint
CREATE INDEX "sepa_collection_items_mandate_idx" ON "sepa_collection_items" USING btree ("mandate_id");--> statement-breakpoint
-- A granted mandate is archived once: its text, PDF, reference, account and creditor never change.
CREATE FUNCTION sepa_mandates_archive_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'sepa_mandates are archived and cannot be deleted';
  END IF;
  IF NEW.mandate_text IS DISTINCT FROM OLD.mandate_text OR NEW.pdf IS DISTINCT FROM OLD.pdf OR NEW.pdf_sha256 IS DISTINCT FROM OLD.pdf_sha256
    OR NEW.reference IS DISTINCT FROM OLD.reference OR NEW.iban IS DISTINCT FROM OLD.iban OR NEW.creditor_id IS DISTINCT FROM OLD.creditor_id
    OR NEW.signed_on IS DISTINCT FROM OLD.signed_on OR NEW.instance_id IS DISTINCT FROM OLD.instance_id THEN
    RAISE EXCEPTION 'the archived part of a sepa mandate cannot be changed';
  END IF;
  RETURN NEW;
END;
$$;--> statement-breakpoint
CREATE TRIGGER sepa_mandates_archive BEFORE UPDATE OR DELETE ON sepa_mandates
  FOR EACH ROW EXECUTE FUNCTION sepa_mandates_archive_guard();--> statement-breakpoint
-- Collection files and their transactions are what went to the bank: written once.
CREATE FUNCTION sepa_collection_guard() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION '% is written once and cannot be changed', TG_TABLE_NAME;
END;
$$;--> statement-breakpoint
CREATE TRIGGER sepa_collection_files_guard BEFORE UPDATE OR DELETE ON sepa_collection_files
  FOR EACH ROW EXECUTE FUNCTION sepa_collection_guard();--> statement-breakpoint
CREATE TRIGGER sepa_collection_items_guard BEFORE UPDATE OR DELETE ON sepa_collection_items
  FOR EACH ROW EXECUTE FUNCTION sepa_collection_guard();
