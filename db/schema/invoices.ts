import { bigint, boolean, customType, date, index, integer, jsonb, pgTable, serial, text, timestamp, uuid, type AnyPgColumn } from "drizzle-orm/pg-core";
import { sql } from "drizzle-orm";
import { instances } from "./instances";
import { users } from "./users";

/** PDF bytes (bytea). postgres-js returns a Buffer, PGlite a Uint8Array; both become a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => value,
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/** Structured postal address of a recipient (EN 16931 BG-8): post code and ISO country are separate fields. */
export type RecipientAddress = {
  street: string;
  additional_line?: string | null;
  post_code: string;
  city: string;
  /** ISO 3166-1 alpha-2 */
  country_code: string;
};

/**
 * Snapshot of the recipient, taken from the instance's billing profile when drafting (or a
 * one-off override) and frozen when the invoice is issued. `address_lines` is the printed
 * form; `address` the structured one (older invoices have only lines).
 */
export type InvoiceRecipientSnapshot = {
  company_name: string;
  name?: string | null;
  address_lines: string[];
  address?: RecipientAddress | null;
  vat_id?: string | null;
  customer_number?: string | null;
  leitweg_id?: string | null;
  buyer_reference?: string | null;
  emails?: string[];
  einvoice_format?: "xrechnung_ubl" | "xrechnung_cii" | "facturx";
  vat_treatment?: "domestic" | "eu_reverse_charge" | "tax_exempt" | "outside_eu";
  exemption_reason?: string | null;
};

/**
 * Gap-free invoice numbers: one row per year, incremented (and thereby row-locked)
 * inside the issuing transaction. A rolled-back issue gives its number back.
 */
export const invoiceNumberCounters = pgTable("invoice_number_counters", {
  year: integer("year").primaryKey(),
  lastNumber: integer("last_number").notNull(),
});

/**
 * Invoices and credit notes (Stornorechnungen). A row without issued_at is a draft,
 * visible to MSP staff only. Once issued, number, dates, recipient, items, totals,
 * issuer snapshot and PDF never change (enforced by the service).
 */
export const invoices = pgTable(
  "invoices",
  {
    id: serial("id").primaryKey(),
    instanceId: integer("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "restrict" }),
    kind: text("kind", { enum: ["invoice", "credit_note"] }).notNull().default("invoice"),
    /** RE-YYYY-NNNN, assigned when issued. */
    invoiceNumber: text("invoice_number").unique(),
    title: text("title").notNull(),
    invoiceDate: date("invoice_date"),
    dueDate: date("due_date"),
    paymentTermsDays: integer("payment_terms_days").notNull().default(14),
    servicePeriodStart: date("service_period_start").notNull(),
    servicePeriodEnd: date("service_period_end").notNull(),
    recipient: jsonb("recipient").$type<InvoiceRecipientSnapshot>().notNull(),
    notes: text("notes"),
    reverseCharge: boolean("reverse_charge").notNull().default(false),
    netCents: bigint("net_cents", { mode: "number" }).notNull().default(0),
    vatCents: bigint("vat_cents", { mode: "number" }).notNull().default(0),
    grossCents: bigint("gross_cents", { mode: "number" }).notNull().default(0),
    /** For credit notes: the invoice they cancel. */
    cancelsInvoiceId: integer("cancels_invoice_id").references((): AnyPgColumn => invoices.id, { onDelete: "restrict" }),
    issuedAt: timestamp("issued_at", { withTimezone: true }),
    cancelledAt: timestamp("cancelled_at", { withTimezone: true }),
    cancellationReason: text("cancellation_reason"),
    /** Issuer configuration as printed (so a later re-render is byte-identical). */
    issuer: jsonb("issuer").$type<Record<string, unknown>>(),
    /** The archived PDF (rendered once; every download returns these bytes). */
    pdf: bytea("pdf"),
    pdfSha256: text("pdf_sha256"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    index("invoices_instance_idx").on(t.instanceId, t.invoiceDate),
    // The customer list's order over issued invoices: page and count are index(-only) scans.
    index("invoices_issued_list_idx")
      .on(t.instanceId, t.invoiceDate.desc().nullsFirst(), t.createdAt.desc().nullsFirst(), t.id.desc().nullsFirst())
      .where(sql`${t.issuedAt} is not null`),
    index("invoices_cancels_invoice_idx").on(t.cancelsInvoiceId).where(sql`${t.cancelsInvoiceId} is not null`),
    index("invoices_created_by_idx").on(t.createdBy),
  ],
);

export const invoiceItems = pgTable(
  "invoice_items",
  {
    id: serial("id").primaryKey(),
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "cascade" }),
    position: integer("position").notNull(),
    description: text("description").notNull(),
    /** Quantity in thousandths (1,5 → 1500). */
    quantityMilli: bigint("quantity_milli", { mode: "number" }).notNull(),
    unit: text("unit").notNull(),
    unitPriceCents: bigint("unit_price_cents", { mode: "number" }).notNull(),
    /** Basis points: 1900 = 19 %. */
    vatRate: integer("vat_rate").notNull(),
    netCents: bigint("net_cents", { mode: "number" }).notNull(),
  },
  (t) => [index("invoice_items_invoice_idx").on(t.invoiceId, t.position)],
);

export const invoicePayments = pgTable(
  "invoice_payments",
  {
    id: serial("id").primaryKey(),
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "restrict" }),
    paymentDate: date("payment_date").notNull(),
    /** Positive for payments received, negative for refunds of credit notes. */
    amountCents: bigint("amount_cents", { mode: "number" }).notNull(),
    method: text("method", { enum: ["bank_transfer", "direct_debit", "cash", "card", "offset", "other"] }).notNull(),
    reference: text("reference"),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("invoice_payments_invoice_idx").on(t.invoiceId), index("invoice_payments_created_by_idx").on(t.createdBy)],
);
