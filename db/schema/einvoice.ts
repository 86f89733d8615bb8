import { customType, integer, pgTable, serial, text, timestamp, uniqueIndex } from "drizzle-orm/pg-core";
import { instances } from "./instances";
import { invoices } from "./invoices";

/** File bytes (bytea). postgres-js returns a Buffer, PGlite a Uint8Array; both become a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => value,
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

export const INVOICE_DOCUMENT_KINDS = ["facturx_pdf", "xrechnung_xml", "cii_xml"] as const;
export type InvoiceDocumentKind = (typeof INVOICE_DOCUMENT_KINDS)[number];

/**
 * The e-invoice files of an issued invoice (EN 16931): Factur-X PDF/A-3 (the archived
 * PDF with the CII XML embedded), CII XML and XRechnung UBL XML. Rendered once on first
 * use and archived like `invoices.pdf`; one row per kind and invoice, never changed or
 * deleted afterwards (GoBD, trigger in migration `einvoice`).
 */
export const invoiceDocuments = pgTable(
  "invoice_documents",
  {
    id: serial("id").primaryKey(),
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "restrict" }),
    kind: text("kind", { enum: INVOICE_DOCUMENT_KINDS }).notNull(),
    bytes: bytea("bytes").notNull(),
    sha256: text("sha256").notNull(),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [uniqueIndex("invoice_documents_invoice_kind_idx").on(t.invoiceId, t.kind)],
);

/**
 * Per-instance e-invoice preference: which XML the customer downloads (ZUGFeRD/Factur-X
 * CII or XRechnung UBL) and the Leitweg-ID of public-sector customers (BT-10). No row =
 * ZUGFeRD without Leitweg-ID.
 */
export const instanceEinvoiceSettings = pgTable("instance_einvoice_settings", {
  instanceId: integer("instance_id")
    .primaryKey()
    .references(() => instances.id, { onDelete: "cascade" }),
  einvoiceFormat: text("einvoice_format", { enum: ["zugferd", "xrechnung"] }).notNull().default("zugferd"),
  leitwegId: text("leitweg_id"),
  updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
});
