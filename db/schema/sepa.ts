import { sql } from "drizzle-orm";
import { bigint, check, customType, date, index, integer, pgTable, serial, text, timestamp, uniqueIndex, uuid } from "drizzle-orm/pg-core";
import { instances } from "./instances";
import { invoices } from "./invoices";
import { users } from "./users";

/** Bytes (bytea); postgres-js returns a Buffer, PGlite a Uint8Array; both become a Buffer. */
const bytea = customType<{ data: Buffer; driverData: Buffer | Uint8Array }>({
  dataType: () => "bytea",
  toDriver: (value) => value,
  fromDriver: (value) => (Buffer.isBuffer(value) ? value : Buffer.from(value)),
});

/**
 * SEPA direct-debit mandates (lib/sepa). A customer admin grants one; its text and PDF are
 * rendered once and archived (trigger: text, PDF, reference and account never change).
 * At most one active mandate per instance. `flagged` (gesperrt): the second return of a
 * debit under the mandate stops further collections until staff or the customer act.
 */
export const sepaMandates = pgTable(
  "sepa_mandates",
  {
    id: serial("id").primaryKey(),
    instanceId: integer("instance_id")
      .notNull()
      .references(() => instances.id, { onDelete: "restrict" }),
    /** Mandatsreferenz (max. 35 characters of the SEPA character set), unique. */
    reference: text("reference").notNull().unique(),
    accountHolder: text("account_holder").notNull(),
    iban: text("iban").notNull(),
    bic: text("bic"),
    scheme: text("scheme", { enum: ["CORE", "B2B"] }).notNull(),
    /** recurrent: FRST then RCUR; one_off: OOFF, used once. */
    mandateType: text("mandate_type", { enum: ["recurrent", "one_off"] }).notNull().default("recurrent"),
    signedOn: date("signed_on").notNull(),
    signedBy: uuid("signed_by").references(() => users.id, { onDelete: "set null" }),
    signedByName: text("signed_by_name").notNull(),
    creditorId: text("creditor_id").notNull(),
    creditorName: text("creditor_name").notNull(),
    /** The mandate text as granted (German SEPA wording). */
    mandateText: text("mandate_text").notNull(),
    pdf: bytea("pdf").notNull(),
    pdfSha256: text("pdf_sha256").notNull(),
    status: text("status", { enum: ["active", "revoked", "flagged"] }).notNull().default("active"),
    returnCount: integer("return_count").notNull().default(0),
    revokedAt: timestamp("revoked_at", { withTimezone: true }),
    revokedByName: text("revoked_by_name"),
    flaggedAt: timestamp("flagged_at", { withTimezone: true }),
    flagReason: text("flag_reason"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex("sepa_mandates_one_active").on(t.instanceId).where(sql`${t.status} = 'active'`),
    index("sepa_mandates_instance_idx").on(t.instanceId),
  ],
);

/**
 * The direct debit an issued invoice announces (pre-notification): written in the issuing
 * transaction, with what the archived PDF prints. One per invoice.
 */
export const sepaDebits = pgTable(
  "sepa_debits",
  {
    id: serial("id").primaryKey(),
    invoiceId: integer("invoice_id")
      .notNull()
      .unique()
      .references(() => invoices.id, { onDelete: "restrict" }),
    mandateId: integer("mandate_id")
      .notNull()
      .references(() => sepaMandates.id, { onDelete: "restrict" }),
    amountCents: bigint("amount_cents", { mode: "number" }).notNull(),
    collectionDate: date("collection_date").notNull(),
    status: text("status", { enum: ["announced", "submitted", "returned"] }).notNull().default("announced"),
    returnReason: text("return_reason"),
    returnFeeCents: bigint("return_fee_cents", { mode: "number" }).notNull().default(0),
    returnedAt: timestamp("returned_at", { withTimezone: true }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("sepa_debits_collection_idx").on(t.collectionDate, t.status), index("sepa_debits_mandate_idx").on(t.mandateId), check("sepa_debits_amount_positive", sql`${t.amountCents} > 0`)],
);

/** A pain.008.001.08 file staff created for one collection date; stored as generated. */
export const sepaCollectionFiles = pgTable("sepa_collection_files", {
  id: serial("id").primaryKey(),
  collectionDate: date("collection_date").notNull(),
  messageId: text("message_id").notNull().unique(),
  xml: text("xml").notNull(),
  sha256: text("sha256").notNull(),
  transactionCount: integer("transaction_count").notNull(),
  controlSumCents: bigint("control_sum_cents", { mode: "number" }).notNull(),
  createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
  createdByName: text("created_by_name"),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/** One transaction of a collection file. `invoice_id` is unique: an invoice is never collected twice. */
export const sepaCollectionItems = pgTable(
  "sepa_collection_items",
  {
    id: serial("id").primaryKey(),
    fileId: integer("file_id")
      .notNull()
      .references(() => sepaCollectionFiles.id, { onDelete: "restrict" }),
    debitId: integer("debit_id")
      .notNull()
      .unique()
      .references(() => sepaDebits.id, { onDelete: "restrict" }),
    invoiceId: integer("invoice_id")
      .notNull()
      .unique()
      .references(() => invoices.id, { onDelete: "restrict" }),
    mandateId: integer("mandate_id")
      .notNull()
      .references(() => sepaMandates.id, { onDelete: "restrict" }),
    sequenceType: text("sequence_type", { enum: ["FRST", "RCUR", "OOFF"] }).notNull(),
    endToEndId: text("end_to_end_id").notNull().unique(),
    amountCents: bigint("amount_cents", { mode: "number" }).notNull(),
  },
  (t) => [index("sepa_collection_items_file_idx").on(t.fileId), index("sepa_collection_items_mandate_idx").on(t.mandateId)],
);
