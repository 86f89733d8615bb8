import { bigint, date, index, integer, pgTable, serial, text, timestamp, uuid } from "drizzle-orm/pg-core";
import { invoicePayments, invoices } from "./invoices";
import { users } from "./users";

/** One uploaded CAMT.053 file (several statements possible); kept for the audit trail. */
export const bankStatementImports = pgTable("bank_statement_imports", {
  id: serial("id").primaryKey(),
  filename: text("filename"),
  fileSha256: text("file_sha256").notNull(),
  messageId: text("message_id"),
  entryCount: integer("entry_count").notNull().default(0),
  newEntryCount: integer("new_entry_count").notNull().default(0),
  importedBy: uuid("imported_by").references(() => users.id, { onDelete: "set null" }),
  createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
});

/**
 * Bank statement entries (credits and debits) from CAMT.053 imports. `dedup_key` is unique:
 * the bank's entry reference (AcctSvcrRef) or, without one, a hash of account, booking date,
 * amount, reference and text plus the occurrence within the file, so importing the same
 * file twice books nothing twice. `open_cents` is what is not yet booked onto an invoice
 * (unmatched entries, the rest of overpayments) and waits for manual assignment.
 */
export const bankStatementEntries = pgTable(
  "bank_statement_entries",
  {
    id: serial("id").primaryKey(),
    importId: integer("import_id")
      .notNull()
      .references(() => bankStatementImports.id, { onDelete: "restrict" }),
    dedupKey: text("dedup_key").notNull().unique(),
    accountIban: text("account_iban"),
    bookingDate: date("booking_date").notNull(),
    valueDate: date("value_date"),
    /** Positive for credits (money received), negative for debits. */
    amountCents: bigint("amount_cents", { mode: "number" }).notNull(),
    currency: text("currency").notNull(),
    remittanceText: text("remittance_text"),
    debtorName: text("debtor_name"),
    debtorIban: text("debtor_iban"),
    entryReference: text("entry_reference"),
    endToEndId: text("end_to_end_id"),
    status: text("status", { enum: ["matched", "partially_matched", "unmatched", "ignored"] }).notNull(),
    /** Not yet booked onto an invoice (0 for matched and ignored entries). */
    openCents: bigint("open_cents", { mode: "number" }).notNull(),
    /** Why the entry is unmatched or ignored (German, shown to staff). */
    note: text("note"),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp("updated_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("bank_statement_entries_status_idx").on(t.status, t.bookingDate)],
);

/** Which invoice payment an entry (or a part of it) became; automatic or by hand. Immutable (trigger). */
export const bankEntryAllocations = pgTable(
  "bank_entry_allocations",
  {
    id: serial("id").primaryKey(),
    entryId: integer("entry_id")
      .notNull()
      .references(() => bankStatementEntries.id, { onDelete: "restrict" }),
    invoiceId: integer("invoice_id")
      .notNull()
      .references(() => invoices.id, { onDelete: "restrict" }),
    paymentId: integer("payment_id").references(() => invoicePayments.id, { onDelete: "restrict" }),
    amountCents: bigint("amount_cents", { mode: "number" }).notNull(),
    source: text("source", { enum: ["automatic", "manual"] }).notNull(),
    createdBy: uuid("created_by").references(() => users.id, { onDelete: "set null" }),
    createdAt: timestamp("created_at", { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [index("bank_entry_allocations_entry_idx").on(t.entryId), index("bank_entry_allocations_invoice_idx").on(t.invoiceId)],
);

/**
 * A wrong assignment staff undid. Allocations and payments are immutable, so the undo is a row of
 * its own: the counter-booking that took the payment back, who, when and why. The primary key
 * makes an allocation undoable once; an undone allocation no longer counts for its entry.
 */
export const bankEntryAllocationUndos = pgTable("bank_entry_allocation_undos", {
  allocationId: integer("allocation_id")
    .primaryKey()
    .references(() => bankEntryAllocations.id, { onDelete: "restrict" }),
  reversalPaymentId: integer("reversal_payment_id")
    .notNull()
    .unique()
    .references(() => invoicePayments.id, { onDelete: "restrict" }),
  reason: text("reason").notNull(),
  undoneBy: uuid("undone_by").references(() => users.id, { onDelete: "set null" }),
  undoneAt: timestamp("undone_at", { withTimezone: true }).notNull().defaultNow(),
});
