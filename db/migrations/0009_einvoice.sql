CREATE TABLE "instance_einvoice_settings" (
	"instance_id" integer PRIMARY KEY NOT NULL,
	"einvoice_format" text DEFAULT 'zugferd' NOT NULL,
	"leitweg_id" text,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "invoice_documents" (
	"id" serial PRIMARY KEY NOT NULL,
	"invoice_id" integer NOT NULL,
	"kind" text NOT NULL,
	"bytes" "bytea" NOT NULL,
	"sha256" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bank_entry_allocations" (
	"id" serial PRIMARY KEY NOT NULL,
	"entry_id" integer NOT NULL,
	"invoice_id" integer NOT NULL,
	"payment_id" integer,
	"amount_cents" bigint NOT NULL,
	"source" text NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "bank_statement_entries" (
	"id" serial PRIMARY KEY NOT NULL,
	"import_id" integer NOT NULL,
	"dedup_key" text NOT NULL,
	"account_iban" text,
	"booking_date" date NOT NULL,
	"value_date" date,
	"amount_cents" bigint NOT NULL,
	"currency" text NOT NULL,
	"remittance_text" text,
	"debtor_name" text,
	"debtor_iban" text,
	"entry_reference" text,
	"end_to_end_id" text,
	"status" text NOT NULL,
	"open_cents" bigint NOT NULL,
	"note" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_statement_entries_dedup_key_unique" UNIQUE("dedup_key")
);
--> statement-breakpoint
CREATE TABLE "bank_statement_imports" (
	"id" serial PRIMARY KEY NOT NULL,
	"filename" text,
	"file_sha256" text NOT NULL,
	"message_id" text,
	"entry_count" integer DEFAULT 0 NOT NULL,
	"new_entry_count" integer DEFAULT 0 NOT NULL,
	"imported_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "instance_einvoice_settings" ADD CONSTRAINT "instance_einvoice_settings_instance_id_instances_id_fk" FOREIGN KEY ("instance_id") REFERENCES "public"."instances"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "invoice_documents" ADD CONSTRAINT "invoice_documents_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_entry_allocations" ADD CONSTRAINT "bank_entry_allocations_entry_id_bank_statement_entries_id_fk" FOREIGN KEY ("entry_id") REFERENCES "public"."bank_statement_entries"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_entry_allocations" ADD CONSTRAINT "bank_entry_allocations_invoice_id_invoices_id_fk" FOREIGN KEY ("invoice_id") REFERENCES "public"."invoices"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_entry_allocations" ADD CONSTRAINT "bank_entry_allocations_payment_id_invoice_payments_id_fk" FOREIGN KEY ("payment_id") REFERENCES "public"."invoice_payments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_entry_allocations" ADD CONSTRAINT "bank_entry_allocations_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_statement_entries" ADD CONSTRAINT "bank_statement_entries_import_id_bank_statement_imports_id_fk" FOREIGN KEY ("import_id") REFERENCES "public"."bank_statement_imports"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_statement_imports" ADD CONSTRAINT "bank_statement_imports_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "invoice_documents_invoice_kind_idx" ON "invoice_documents" USING btree ("invoice_id","kind");--> statement-breakpoint
CREATE INDEX "bank_entry_allocations_entry_idx" ON "bank_entry_allocations" USING btree ("entry_id");--> statement-breakpoint
CREATE INDEX "bank_entry_allocations_invoice_idx" ON "bank_entry_allocations" USING btree ("invoice_id");--> statement-breakpoint
CREATE INDEX "bank_statement_entries_status_idx" ON "bank_statement_entries" USING btree ("status","booking_date");--> statement-breakpoint
-- Archived e-invoice files are immutable like invoices.pdf (GoBD): written once, never
-- replaced or deleted.
CREATE OR REPLACE FUNCTION invoice_documents_guard() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'Archivierte E-Rechnungen sind unveränderlich' USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoice_documents_guard BEFORE UPDATE OR DELETE ON invoice_documents
  FOR EACH ROW EXECUTE FUNCTION invoice_documents_guard();
--> statement-breakpoint
CREATE TRIGGER bank_entry_allocations_guard BEFORE UPDATE OR DELETE ON bank_entry_allocations
  FOR EACH ROW EXECUTE FUNCTION invoice_payments_guard();
