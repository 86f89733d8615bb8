-- Issued invoices are immutable (GoBD): the service refuses edits with 409; these
-- triggers are the second line of defence against any other code path.
CREATE OR REPLACE FUNCTION invoices_guard_issued() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.issued_at IS NOT NULL THEN
      RAISE EXCEPTION 'Ausgestellte Rechnung % kann nicht gelöscht werden', OLD.invoice_number USING ERRCODE = 'check_violation';
    END IF;
    RETURN OLD;
  END IF;
  IF OLD.issued_at IS NOT NULL AND (
    (NEW.instance_id, NEW.kind, NEW.invoice_number, NEW.title, NEW.invoice_date, NEW.due_date, NEW.payment_terms_days,
     NEW.service_period_start, NEW.service_period_end, NEW.recipient, NEW.notes, NEW.reverse_charge,
     NEW.net_cents, NEW.vat_cents, NEW.gross_cents, NEW.cancels_invoice_id, NEW.issued_at, NEW.issuer)
    IS DISTINCT FROM
    (OLD.instance_id, OLD.kind, OLD.invoice_number, OLD.title, OLD.invoice_date, OLD.due_date, OLD.payment_terms_days,
     OLD.service_period_start, OLD.service_period_end, OLD.recipient, OLD.notes, OLD.reverse_charge,
     OLD.net_cents, OLD.vat_cents, OLD.gross_cents, OLD.cancels_invoice_id, OLD.issued_at, OLD.issuer)
  ) THEN
    RAISE EXCEPTION 'Ausgestellte Rechnung % ist unveränderlich', OLD.invoice_number USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.pdf IS NOT NULL AND NEW.pdf IS DISTINCT FROM OLD.pdf THEN
    RAISE EXCEPTION 'Das archivierte PDF der Rechnung % ist unveränderlich', OLD.invoice_number USING ERRCODE = 'check_violation';
  END IF;
  IF OLD.cancelled_at IS NOT NULL AND NEW.cancelled_at IS DISTINCT FROM OLD.cancelled_at THEN
    RAISE EXCEPTION 'Die Stornierung der Rechnung % ist endgültig', OLD.invoice_number USING ERRCODE = 'check_violation';
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoices_guard_issued BEFORE UPDATE OR DELETE ON invoices
  FOR EACH ROW EXECUTE FUNCTION invoices_guard_issued();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoice_items_guard_issued() RETURNS trigger AS $$
BEGIN
  IF TG_OP IN ('UPDATE', 'DELETE') AND EXISTS (SELECT 1 FROM invoices WHERE id = OLD.invoice_id AND issued_at IS NOT NULL) THEN
    RAISE EXCEPTION 'Positionen ausgestellter Rechnungen sind unveränderlich' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP IN ('INSERT', 'UPDATE') AND EXISTS (SELECT 1 FROM invoices WHERE id = NEW.invoice_id AND issued_at IS NOT NULL) THEN
    RAISE EXCEPTION 'Positionen ausgestellter Rechnungen sind unveränderlich' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoice_items_guard_issued BEFORE INSERT OR UPDATE OR DELETE ON invoice_items
  FOR EACH ROW EXECUTE FUNCTION invoice_items_guard_issued();
--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoice_payments_guard() RETURNS trigger AS $$
BEGIN
  RAISE EXCEPTION 'Gebuchte Zahlungen sind unveränderlich (Korrektur per Gegenbuchung)' USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE TRIGGER invoice_payments_guard BEFORE UPDATE OR DELETE ON invoice_payments
  FOR EACH ROW EXECUTE FUNCTION invoice_payments_guard();
