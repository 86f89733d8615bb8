/**
 * Returns and reversals on the statement (the parser marks them, see camt.ts):
 *
 * - A returned *credit* (our own transfer coming back, a reversed incoming credit) is not a
 *   customer payment: stored as ignored with the reason, never matched to an invoice.
 * - A returned *debit* (Rücklastschrift, reversal of a credit we received) takes money back
 *   that was booked onto invoices. The original bank entry is found by end-to-end id, else by
 *   an invoice number in the return's references with a booking of the originally instructed
 *   amount; its allocations are reversed with counter-bookings (`reversePayment`), which
 *   reopens the invoices. The bank's fee (booked amount − instructed amount) is named in the
 *   note. Without a booked original the entry stays ignored with a note for staff.
 */
import { and, desc, eq, gt, inArray, sql } from "drizzle-orm";
import type { Tx } from "@/db/types";
import { bankEntryAllocations, bankStatementEntries, invoicePayments, invoices } from "@/db/schema";
import { actorUserId, type Actor } from "@/lib/activity";
import { todayIsoDate } from "@/lib/time";
import { reversePayment } from "@/lib/invoices/commands";
import { formatEuro } from "@/lib/money";
import { matchingText, type CamtReturn } from "./camt";
import { extractInvoiceNumbers } from "./matching";
import { collectedInvoicesOf, handleSepaReturn } from "./sepa-returns";

const REASONS: Record<string, string> = {
  AC01: "IBAN fehlerhaft",
  AC04: "Konto aufgelöst",
  AC06: "Konto gesperrt",
  AC13: "Kontoart ungültig",
  AG01: "Transaktion nicht erlaubt",
  AM04: "Deckung unzureichend",
  AM05: "Doppelte Einreichung",
  BE01: "Name und Konto passen nicht zusammen",
  BE05: "Einreicher unbekannt",
  MD01: "Kein gültiges Mandat",
  MD06: "Rückgabe auf Verlangen des Zahlers",
  MD07: "Kontoinhaber verstorben",
  MS02: "Widerspruch des Zahlers",
  MS03: "Grund nicht angegeben",
  RR01: "Regulatorische Gründe",
  RR03: "Regulatorische Gründe",
  RR04: "Regulatorische Gründe",
  SL01: "Sperre durch das Institut",
  NARR: "siehe Text",
};

export function returnLabel(returned: CamtReturn): string {
  const kind = returned.reversal ? "Storno der Bank" : "Rückgabe";
  if (!returned.reasonCode) return kind;
  const reason = REASONS[returned.reasonCode];
  return `${kind} ${returned.reasonCode}${reason ? ` (${reason})` : ""}`;
}

type EntryRow = typeof bankStatementEntries.$inferSelect;

/** Allocations staff undid are no longer booked. */
const notUndone = sql`not exists (select 1 from bank_entry_allocation_undos u where u.allocation_id = ${bankEntryAllocations.id})`;

/** Handles a freshly inserted return entry; returns the note for the entry. */
export async function settleReturn(tx: Tx, entry: EntryRow, returned: CamtReturn, actor: Actor): Promise<{ status: "matched" | "ignored"; note: string }> {
  const label = returnLabel(returned);
  const db = tx;
  if (entry.amountCents > 0) {
    await db.update(bankStatementEntries).set({ status: "ignored", openCents: 0, note: `${label}: Rücküberweisung, kein Zahlungseingang.` }).where(eq(bankStatementEntries.id, entry.id));
    return { status: "ignored", note: `${label}: Rücküberweisung, kein Zahlungseingang.` };
  }
  const returnedCents = returned.originalAmountCents ?? -entry.amountCents;
  const feeCents = -entry.amountCents - returnedCents;
  const original = await findOriginal(tx, entry, returnedCents);
  let note: string;
  let status: "matched" | "ignored" = "ignored";
  const sepaInput = (invoiceIds: number[]) => ({ invoiceIds, reasonCode: returned.reasonCode, reasonLabel: label, feeCents, bookingDate: entry.bookingDate, entryId: entry.id });
  if (!original) {
    // A returned collection whose credit was never booked onto the invoice: nothing to take back, the debit still failed.
    const collected = await collectedInvoicesOf(tx, entry.endToEndId, []);
    const sepaNote = collected.length ? await handleSepaReturn(tx, actor, sepaInput(collected)) : "";
    if (sepaNote) status = "matched";
    note = sepaNote ? `${label}: ${sepaNote}` : `${label}: keine gebuchte Zahlung zu dieser Rückgabe gefunden – bitte prüfen.`;
  } else {
    const reversedIds: number[] = [];
    const reversed: string[] = [];
    let rest = returnedCents;
    for (const allocation of original) {
      if (rest <= 0) break;
      const amount = Math.min(rest, allocation.amountCents);
      const [payment] = await db.select({ method: invoicePayments.method }).from(invoicePayments).where(eq(invoicePayments.id, allocation.paymentId ?? -1));
      const result = await (async () => {
        const done = await reversePayment(
          actor,
          { invoiceId: allocation.invoiceId, amount_cents: amount, payment_date: entry.bookingDate > todayIsoDate() ? todayIsoDate() : entry.bookingDate, method: payment?.method ?? "bank_transfer", reference: `Bankimport #${entry.id}: ${label}` },
          { tx },
        );
        await tx.insert(bankEntryAllocations).values({ entryId: entry.id, invoiceId: allocation.invoiceId, paymentId: done.paymentId, amountCents: -amount, source: "automatic", createdBy: actorUserId(actor) });
        return done;
      })();
      reversed.push(`${result.invoiceNumber} (${formatEuro(amount)})`);
      reversedIds.push(allocation.invoiceId);
      rest -= amount;
    }
    status = "matched";
    note = `${label}: Zahlung zu ${reversed.join(", ")} zurückgebucht, Rechnung wieder offen.${feeCents > 0 ? ` Rückgabegebühr der Bank: ${formatEuro(feeCents)}.` : ""}`;
    // A returned SEPA collection: fee, dunning, mails, mandate (sepa-returns.ts).
    const collected = await collectedInvoicesOf(tx, entry.endToEndId, reversedIds);
    const sepaNote = collected.length ? await handleSepaReturn(tx, actor, sepaInput(collected)) : "";
    if (sepaNote) note = `${note} ${sepaNote}`;
  }
  await db.update(bankStatementEntries).set({ status, openCents: 0, note, updatedAt: new Date() }).where(eq(bankStatementEntries.id, entry.id));
  return { status, note };
}

/** Net booked allocations (payments minus earlier reversals) of the original credit entry. */
async function findOriginal(db: Tx, entry: EntryRow, amountCents: number) {
  const candidates = entry.endToEndId
    ? await db
        .select({ id: bankStatementEntries.id })
        .from(bankStatementEntries)
        .where(and(eq(bankStatementEntries.endToEndId, entry.endToEndId), gt(bankStatementEntries.amountCents, 0), sql`${bankStatementEntries.id} <> ${entry.id}`))
        .orderBy(desc(bankStatementEntries.id))
    : [];
  let entryIds = candidates.map((c) => c.id);
  if (entryIds.length === 0) {
    const numbers = extractInvoiceNumbers(matchingText(entry));
    if (numbers.length === 0) return null;
    const rows = await db
      .select({ entryId: bankEntryAllocations.entryId })
      .from(bankEntryAllocations)
      .innerJoin(invoices, eq(invoices.id, bankEntryAllocations.invoiceId))
      .innerJoin(bankStatementEntries, eq(bankStatementEntries.id, bankEntryAllocations.entryId))
      .where(and(inArray(invoices.invoiceNumber, numbers), gt(bankStatementEntries.amountCents, 0), gt(bankEntryAllocations.amountCents, 0), notUndone))
      .orderBy(desc(bankEntryAllocations.id));
    entryIds = [...new Set(rows.map((r) => r.entryId))];
  }
  for (const id of entryIds) {
    const allocations = await db
      .select({ invoiceId: bankEntryAllocations.invoiceId, paymentId: bankEntryAllocations.paymentId, amountCents: bankEntryAllocations.amountCents })
      .from(bankEntryAllocations)
      .where(and(eq(bankEntryAllocations.entryId, id), gt(bankEntryAllocations.amountCents, 0), notUndone));
    // What is still booked of that entry: earlier returns of it are counter-bookings on the same invoices.
    const open = [];
    for (const a of allocations) {
      const [{ reversed } = { reversed: 0 }] = await db
        .select({ reversed: sql<number>`coalesce(-sum(${bankEntryAllocations.amountCents}), 0)`.mapWith(Number) })
        .from(bankEntryAllocations)
        .innerJoin(invoicePayments, eq(invoicePayments.id, bankEntryAllocations.paymentId))
        .where(and(eq(bankEntryAllocations.invoiceId, a.invoiceId), sql`${bankEntryAllocations.amountCents} < 0`, sql`${invoicePayments.reference} like ${`Bankimport #%`}`, sql`${bankEntryAllocations.entryId} <> ${id}`));
      const left = a.amountCents - reversed;
      if (left > 0) open.push({ ...a, amountCents: left });
    }
    const total = open.reduce((s, a) => s + a.amountCents, 0);
    if (total >= amountCents && total > 0) return open;
  }
  return null;
}
