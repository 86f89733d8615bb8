-- Archived invoice files (the Factur-X PDF in invoices.pdf, the e-invoice XML in invoice_documents)
-- are written once at issue with their SHA-256. The database checks that each stored checksum is the
-- checksum of the stored bytes, and that only the known kinds of files are archived.
ALTER TABLE "invoices" ADD CONSTRAINT "invoices_pdf_sha256" CHECK ("pdf" IS NULL OR "pdf_sha256" = encode(sha256("pdf"), 'hex'));
--> statement-breakpoint
ALTER TABLE "invoice_documents" ADD CONSTRAINT "invoice_documents_sha256" CHECK ("sha256" = encode(sha256("bytes"), 'hex'));
--> statement-breakpoint
ALTER TABLE "invoice_documents" ADD CONSTRAINT "invoice_documents_kind" CHECK ("kind" IN ('facturx_pdf', 'xrechnung_xml', 'cii_xml'));
