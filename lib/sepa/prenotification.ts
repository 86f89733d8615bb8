/**
 * The direct debit an invoice announces. `announceDirectDebit` runs in the issuing transaction
 * (lib/invoices/commands.ts), before the PDF is rendered: an invoice of an instance with an
 * active mandate gets one `sepa_debits` row (amount, collection date = invoice date +
 * SEPA_PRENOTIFICATION_DAYS), and the PDF, the mail and the invoice page print its notice.
 * An instance whose mandate is flagged or revoked pays by transfer again.
 */
import { and, eq, type Placeholder } from "drizzle-orm";
import type { DbOrTx, Tx } from "@/db/types";
import { sepaDebits, sepaMandates } from "@/db/schema";
import { config } from "@/lib/config";
import { addDays } from "@/lib/time";
import { maskIban, type DirectDebitNotice } from "./notice";

export function collectionDateFor(invoiceDate: string, leadDays: number = config().SEPA_PRENOTIFICATION_DAYS): string {
  return addDays(invoiceDate, leadDays);
}

/** Inserts the debit of a freshly numbered invoice when its instance has an active mandate. */
export async function announceDirectDebit(
  tx: Tx,
  invoice: { id: number; instanceId: number; kind: "invoice" | "credit_note"; grossCents: number; invoiceDate: string },
): Promise<DirectDebitNotice | null> {
  if (invoice.kind !== "invoice" || invoice.grossCents <= 0) return null;
  const [mandate] = await tx
    .select()
    .from(sepaMandates)
    .where(and(eq(sepaMandates.instanceId, invoice.instanceId), eq(sepaMandates.status, "active")))
    .for("share");
  if (!mandate) return null;
  if (mandate.mandateType === "one_off") {
    // A one-off mandate (OOFF) covers one collection only.
    const [used] = await tx.select({ id: sepaDebits.id }).from(sepaDebits).where(eq(sepaDebits.mandateId, mandate.id)).limit(1);
    if (used) return null;
  }
  const [row] = await tx
    .insert(sepaDebits)
    .values({ invoiceId: invoice.id, mandateId: mandate.id, amountCents: invoice.grossCents, collectionDate: collectionDateFor(invoice.invoiceDate) })
    .onConflictDoNothing()
    .returning();
  return row ? noticeOf(row, mandate) : directDebitNotice(tx, invoice.id);
}

/** The notice of a debit under its mandate (what the PDF and the invoice page print). */
export function noticeOf(debit: typeof sepaDebits.$inferSelect, mandate: typeof sepaMandates.$inferSelect): DirectDebitNotice {
  return {
    amount_cents: debit.amountCents,
    collection_date: debit.collectionDate,
    mandate_reference: mandate.reference,
    creditor_id: mandate.creditorId,
    scheme: mandate.scheme,
    iban_masked: maskIban(mandate.iban),
  };
}

/** The notice of an invoice's debit (what its archived PDF prints), or null. */
export async function directDebitNotice(db: DbOrTx, invoiceId: number): Promise<DirectDebitNotice | null> {
  const row = await debitOf(db, invoiceId);
  return row ? noticeOf(row.debit, row.mandate) : null;
}

/** An invoice's debit with its mandate, or undefined. */
async function debitOf(db: DbOrTx, invoiceId: number) {
  const [row] = await debitWithMandateSelect(db, invoiceId);
  return row;
}

/** The query of `debitOf` as a builder (the benchmark's bare server renders it with a placeholder). */
export function debitWithMandateSelect(db: DbOrTx, invoiceId: number | Placeholder) {
  return db.select({ debit: sepaDebits, mandate: sepaMandates }).from(sepaDebits).innerJoin(sepaMandates, eq(sepaMandates.id, sepaDebits.mandateId)).where(eq(sepaDebits.invoiceId, invoiceId));
}

/** What an e-invoice states of the invoice's direct debit (BG-19), or null: the full debited IBAN, not the masked one. */
export async function directDebitForEInvoice(db: DbOrTx, invoiceId: number) {
  const row = await debitOf(db, invoiceId);
  if (!row) return null;
  const { debit, mandate } = row;
  return { mandateReference: mandate.reference, creditorId: mandate.creditorId, debtorIban: mandate.iban.replace(/\s+/g, ""), collectionDate: debit.collectionDate };
}

export const DEBIT_STATUS_LABELS: Record<(typeof sepaDebits.$inferSelect)["status"], string> = {
  announced: "Lastschrift angekündigt",
  submitted: "Lastschrift eingereicht",
  returned: "Lastschrift zurückgegeben",
};
