-- Legal retention of invoices, their files and payments (§147 Abs. 1 Nr. 4, Abs. 3, 4 AO;
-- §14b UStG): ten years, counted from the end of the calendar year in which the record
-- was made. Until then the database refuses to delete them, whatever code path asks;
-- afterwards a deletion (DSGVO: data no longer needed) is possible. Changes stay
-- refused forever (0005, 0009: GoBD immutability); only the DELETE rule changes here.
CREATE OR REPLACE FUNCTION retention_ends_at(made_at timestamptz) RETURNS timestamptz AS $$
  SELECT (date_trunc('year', made_at AT TIME ZONE 'UTC') + interval '11 years') AT TIME ZONE 'UTC'
$$ LANGUAGE sql IMMUTABLE;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoices_guard_issued() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' THEN
    IF OLD.issued_at IS NOT NULL AND now() < retention_ends_at(OLD.issued_at) THEN
      RAISE EXCEPTION 'Ausgestellte Rechnung % ist bis % aufzubewahren (§147 AO, §14b UStG) und kann nicht gelöscht werden',
        OLD.invoice_number, to_char(retention_ends_at(OLD.issued_at) AT TIME ZONE 'UTC', 'DD.MM.YYYY') USING ERRCODE = 'check_violation';
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
CREATE OR REPLACE FUNCTION invoice_items_guard_issued() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND EXISTS (SELECT 1 FROM invoices WHERE id = OLD.invoice_id AND issued_at IS NOT NULL) THEN
    RAISE EXCEPTION 'Positionen ausgestellter Rechnungen sind unveränderlich' USING ERRCODE = 'check_violation';
  END IF;
  IF TG_OP = 'DELETE' AND EXISTS (
    SELECT 1 FROM invoices WHERE id = OLD.invoice_id AND issued_at IS NOT NULL AND now() < retention_ends_at(issued_at)
  ) THEN
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
-- Payments and their bank allocations: never changed (correction by counter-booking),
-- deleted only after the retention period.
CREATE OR REPLACE FUNCTION invoice_payments_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND now() >= retention_ends_at(OLD.created_at) THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'Gebuchte Zahlungen sind bis % aufzubewahren (§147 AO) und können nicht gelöscht werden',
      to_char(retention_ends_at(OLD.created_at) AT TIME ZONE 'UTC', 'DD.MM.YYYY') USING ERRCODE = 'check_violation';
  END IF;
  RAISE EXCEPTION 'Gebuchte Zahlungen sind unveränderlich (Korrektur per Gegenbuchung)' USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
CREATE OR REPLACE FUNCTION invoice_documents_guard() RETURNS trigger AS $$
BEGIN
  IF TG_OP = 'DELETE' AND now() >= retention_ends_at(OLD.created_at) THEN
    RETURN OLD;
  END IF;
  IF TG_OP = 'DELETE' THEN
    RAISE EXCEPTION 'Archivierte E-Rechnungen sind bis % aufzubewahren (§147 AO, §14b UStG) und können nicht gelöscht werden',
      to_char(retention_ends_at(OLD.created_at) AT TIME ZONE 'UTC', 'DD.MM.YYYY') USING ERRCODE = 'check_violation';
  END IF;
  RAISE EXCEPTION 'Archivierte E-Rechnungen sind unveränderlich' USING ERRCODE = 'check_violation';
END;
$$ LANGUAGE plpgsql;
--> statement-breakpoint
-- DSGVO: after IP_RETENTION_DAYS the IP addresses in the activity log and in sessions are
-- shortened (lib/jobs/housekeeping.ts): IPv4 to its /24 network (last octet 0), IPv6 to its
-- /48 prefix. Anything that is not a valid address is removed. Idempotent: a shortened
-- address stays the same when shortened again.
CREATE OR REPLACE FUNCTION anonymise_ip(ip text) RETURNS text AS $$
DECLARE
  addr inet;
BEGIN
  IF ip IS NULL THEN
    RETURN NULL;
  END IF;
  BEGIN
    addr := ip::inet;
  EXCEPTION WHEN others THEN
    RETURN NULL;
  END;
  IF family(addr) = 4 THEN
    RETURN host(network(set_masklen(addr, 24)));
  END IF;
  RETURN host(network(set_masklen(addr, 48)));
END;
$$ LANGUAGE plpgsql IMMUTABLE;
