CREATE TABLE "bank_entry_allocation_undos" (
	"allocation_id" integer PRIMARY KEY NOT NULL,
	"reversal_payment_id" integer NOT NULL,
	"reason" text NOT NULL,
	"undone_by" uuid,
	"undone_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "bank_entry_allocation_undos_reversal_payment_id_unique" UNIQUE("reversal_payment_id")
);--> statement-breakpoint
ALTER TABLE "bank_entry_allocation_undos" ADD CONSTRAINT "bank_entry_allocation_undos_allocation_id_bank_entry_allocations_id_fk" FOREIGN KEY ("allocation_id") REFERENCES "public"."bank_entry_allocations"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_entry_allocation_undos" ADD CONSTRAINT "bank_entry_allocation_undos_reversal_payment_id_invoice_payments_id_fk" FOREIGN KEY ("reversal_payment_id") REFERENCES "public"."invoice_payments"("id") ON DELETE restrict ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "bank_entry_allocation_undos" ADD CONSTRAINT "bank_entry_allocation_undos_undone_by_users_id_fk" FOREIGN KEY ("undone_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
-- Undoing is as final as booking (GoBD): written once, never changed or deleted.
CREATE TRIGGER bank_entry_allocation_undos_guard BEFORE UPDATE OR DELETE ON bank_entry_allocation_undos
  FOR EACH ROW EXECUTE FUNCTION invoice_payments_guard();
