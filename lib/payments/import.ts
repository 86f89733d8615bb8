/**
 * Bank statement import (CAMT.053) and manual assignment.
 *
 * Idempotency: every entry gets a `dedup_key` (unique index): the bank's reference
 * (AcctSvcrRef/NtryRef, scoped by account) or, without one, a hash of account, booking
 * date, amount, end-to-end id and text plus its occurrence number within the file (two
 * identical transfers on one day stay two entries). Entries are inserted with
 * `ON CONFLICT DO NOTHING`; only rows this import inserted are matched and booked, so
 * importing the same file twice — even concurrently — books nothing twice.
 *
 * Booking goes through the invoice domain's `recordPayment` (same checks, same activity
 * entry as a hand-recorded payment). The open amount of the entry is claimed first with a
 * conditional update (`open_cents >= amount`), then the payment is recorded; if the
 * invoice refuses (paid meanwhile, cancelled) the claim and the payment roll back
 * together (one savepoint). Two concurrent assignments of one entry cannot both book it.
 *
 * Atomicity: each statement entry is one transaction — the entry row, its bookings
 * (payments and their activity entries), its allocations, its status and the lifting of a
 * dunning suspension the payment settles (reactivation mail included). A crash halfway
 * through a file leaves whole entries only; importing the file again skips them (dedup key)
 * and books the rest. The import row is written first and completed (count, activity
 * entry) last, so an interrupted import is visible as one with fewer new entries.
 */
import { createHash } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx, Tx } from "@/db/types";
import { bankEntryAllocationUndos, bankEntryAllocations, bankStatementEntries, bankStatementImports, invoices } from "@/db/schema";
import { actorUserId, recordActivity, type Actor } from "@/lib/activity";
import { DomainError, UnprocessableError } from "@/lib/errors";
import { recordPayment } from "@/lib/invoices/commands";
import { liftPaidSuspension } from "@/lib/dunning/run";
import { centsToNumber, formatEuro } from "@/lib/money";
import { apiTimestamp, todayIsoDate } from "@/lib/time";
import { CamtError, matchingText, parseCamt } from "./camt";
import { dedupKeys, legacyDedupKeys } from "./identity";
import { settleReturn } from "./returns";
import { extractInvoiceNumbers, planMatch, type OpenInvoice } from "./matching";

type EntryRow = typeof bankStatementEntries.$inferSelect;

export const MAX_STATEMENT_BYTES = 5 * 1024 * 1024;

function sha256(data: string | Buffer) {
  return createHash("sha256").update(data).digest("hex");
}

/** Open invoices (issued, not cancelled, positive, not fully paid) with the given numbers. */
async function openInvoices(db: DbOrTx, numbers: string[]): Promise<OpenInvoice[]> {
  if (numbers.length === 0) return [];
  const rows = await db
    .select({
      id: invoices.id,
      invoiceNumber: invoices.invoiceNumber,
      grossCents: invoices.grossCents,
      // Qualified explicitly: an unqualified "id" inside the subquery would bind to p.id.
      paid: sql<number>`coalesce((select sum(p.amount_cents) from invoice_payments p where p.invoice_id = "invoices"."id"), 0)`.mapWith(Number),
    })
    .from(invoices)
    .where(and(inArray(invoices.invoiceNumber, numbers), isNotNull(invoices.issuedAt), isNull(invoices.cancelledAt), eq(invoices.kind, "invoice"), gt(invoices.grossCents, 0)));
  return rows.map((r) => ({ id: r.id, invoiceNumber: r.invoiceNumber!, openCents: Math.max(0, r.grossCents - r.paid) }));
}

export async function refreshStatus(db: DbOrTx, entryId: number, note?: string | null) {
  await db
    .update(bankStatementEntries)
    .set({
      status: sql`case when ${bankStatementEntries.status} = 'ignored' then 'ignored'
        when ${bankStatementEntries.openCents} = 0 then 'matched'
        when exists (select 1 from ${bankEntryAllocations} a where a.entry_id = ${bankStatementEntries.id}
          and not exists (select 1 from bank_entry_allocation_undos u where u.allocation_id = a.id)) then 'partially_matched'
        else 'unmatched' end`,
      ...(note !== undefined ? { note } : {}),
      updatedAt: new Date(),
    })
    .where(eq(bankStatementEntries.id, entryId));
}

/**
 * Books `amountCents` of the entry onto the invoice, inside the caller's transaction.
 * Returns false (nothing booked, claim given back) when the invoice refuses the payment.
 */
export async function bookOnto(tx: Tx, entry: EntryRow, invoiceId: number, amountCents: number, source: "automatic" | "manual", actor: Actor): Promise<{ ok: true } | { ok: false; reason: string }> {
  const reference = `Bankimport #${entry.id}${entry.remittanceText ? `: ${entry.remittanceText}` : ""}`.slice(0, 200);
  try {
    // One savepoint: a refused payment takes its claim with it.
    return await tx.transaction(async (booking) => {
      const claimed = await booking
        .update(bankStatementEntries)
        .set({ openCents: sql`${bankStatementEntries.openCents} - ${amountCents}`, updatedAt: new Date() })
        .where(and(eq(bankStatementEntries.id, entry.id), sql`${bankStatementEntries.openCents} >= ${amountCents}`, sql`${bankStatementEntries.status} <> 'ignored'`))
        .returning({ id: bankStatementEntries.id });
      if (claimed.length === 0) return { ok: false as const, reason: "Die Buchung ist bereits zugeordnet." };
      const { paymentId } = await recordPayment(
        actor,
        { invoiceId, amount: amountCents, payment_date: entry.bookingDate > todayIsoDate() ? todayIsoDate() : entry.bookingDate, method: "bank_transfer", reference },
        { tx: booking },
      );
      await booking.insert(bankEntryAllocations).values({ entryId: entry.id, invoiceId, paymentId, amountCents, source, createdBy: actorUserId(actor) });
      return { ok: true as const };
    });
  } catch (error) {
    if (error instanceof DomainError) return { ok: false, reason: error.message };
    throw error;
  }
}

export type ImportResult = Awaited<ReturnType<typeof importBankStatement>>;

/** POST /api/manage/admin/bank-statements: one transaction per statement entry (see top). */
export async function importBankStatement(actor: Actor, input: { file: Buffer; filename: string | null }, options?: CommandOptions) {
  const { file, filename } = input;
  if (file.length > MAX_STATEMENT_BYTES) throw new UnprocessableError("Der Kontoauszug ist zu groß (höchstens 5 MB).");
  let statement;
  try {
    statement = parseCamt(file);
  } catch (error) {
    if (error instanceof CamtError) throw new UnprocessableError(error.message);
    throw error;
  }
  const keys = dedupKeys(statement.entries);
  const legacyKeys = legacyDedupKeys(statement.entries);
  const [importRow] = await inTransaction(options, (tx) =>
    tx
      .insert(bankStatementImports)
      .values({ filename, fileSha256: sha256(file), messageId: statement.messageId, entryCount: statement.entries.length, importedBy: actorUserId(actor) })
      .returning(),
  );

  const newIds: number[] = [];
  for (const [index, e] of statement.entries.entries()) {
    await inTransaction(options, async (tx) => {
      const ignored = e.amountCents <= 0 || e.currency !== "EUR" || e.returned !== null;
      // A row imported under the old key is this entry only when date and amount agree too.
      await tx
        .update(bankStatementEntries)
        .set({ dedupKey: keys[index]! })
        .where(and(eq(bankStatementEntries.dedupKey, legacyKeys[index]!), eq(bankStatementEntries.bookingDate, e.bookingDate), eq(bankStatementEntries.amountCents, e.amountCents)));
      const [inserted] = await tx
        .insert(bankStatementEntries)
        .values({
          importId: importRow!.id,
          dedupKey: keys[index]!,
          accountIban: e.accountIban,
          bookingDate: e.bookingDate,
          valueDate: e.valueDate,
          amountCents: e.amountCents,
          currency: e.currency,
          remittanceText: e.remittanceText,
          debtorName: e.debtorName,
          debtorIban: e.debtorIban,
          entryReference: e.entryReference,
          endToEndId: e.endToEndId,
          status: ignored ? "ignored" : "unmatched",
          openCents: ignored ? 0 : e.amountCents,
        })
        .onConflictDoNothing({ target: bankStatementEntries.dedupKey })
        .returning();
      if (!inserted) return;
      if (e.returned) {
        newIds.push(inserted.id);
        await settleReturn(tx, inserted, e.returned, actor);
        return;
      }
      const text = matchingText(inserted);
      const plan = planMatch({ ...inserted, remittanceText: text }, await openInvoices(tx, extractInvoiceNumbers(text)));
      if (plan.status === "ignored") {
        await tx.update(bankStatementEntries).set({ note: plan.note }).where(eq(bankStatementEntries.id, inserted.id));
      } else {
        const failures: string[] = [];
        for (const allocation of plan.allocations) {
          const booked = await bookOnto(tx, inserted, allocation.invoiceId, allocation.amountCents, "automatic", actor);
          if (!booked.ok) failures.push(`${allocation.invoiceNumber}: ${booked.reason}`);
        }
        await refreshStatus(tx, inserted.id, failures.length ? failures.join(" ") : plan.note);
        // A payment that settles the last overdue invoice lifts a dunning suspension with it.
        const instanceIds = plan.allocations.length
          ? await tx.selectDistinct({ id: invoices.instanceId }).from(invoices).where(inArray(invoices.id, plan.allocations.map((a) => a.invoiceId)))
          : [];
        for (const { id } of instanceIds) await liftPaidSuspension(tx, id);
      }
      newIds.push(inserted.id);
    });
  }

  const entries = await inTransaction(options, async (tx) => {
    const rows = newIds.length ? await presentEntries(tx, await tx.select().from(bankStatementEntries).where(inArray(bankStatementEntries.id, newIds)).orderBy(asc(bankStatementEntries.id))) : [];
    await tx.update(bankStatementImports).set({ newEntryCount: newIds.length }).where(eq(bankStatementImports.id, importRow!.id));
    await recordActivity(tx, actor, {
      instanceId: null,
      action: "payment.bank_statement_imported",
      description: `Kontoauszug ${filename ?? ""} importiert: ${newIds.length} neue Buchungen, ${rows.filter((e) => e.status === "matched").length} zugeordnet`.replace("  ", " "),
      metadata: { import_id: importRow!.id, entries: statement.entries.length, new_entries: newIds.length },
    });
    return rows;
  });
  const count = (status: EntryRow["status"]) => entries.filter((e) => e.status === status).length;
  return {
    import: { id: importRow!.id, filename, message_id: statement.messageId, created_at: apiTimestamp(importRow!.createdAt) },
    summary: {
      entries: statement.entries.length,
      new_entries: newIds.length,
      duplicates: statement.entries.length - newIds.length,
      matched: count("matched"),
      partially_matched: count("partially_matched"),
      unmatched: count("unmatched"),
      ignored: count("ignored"),
    },
    entries,
  };
}

export async function presentEntries(db: DbOrTx, rows: EntryRow[]) {
  const ids = rows.map((r) => r.id);
  const allocations = ids.length
    ? await db
        .select({
          id: bankEntryAllocations.id,
          entryId: bankEntryAllocations.entryId,
          invoiceId: bankEntryAllocations.invoiceId,
          invoiceNumber: invoices.invoiceNumber,
          instanceId: invoices.instanceId,
          amountCents: bankEntryAllocations.amountCents,
          source: bankEntryAllocations.source,
          createdAt: bankEntryAllocations.createdAt,
          undoneAt: bankEntryAllocationUndos.undoneAt,
          undoReason: bankEntryAllocationUndos.reason,
        })
        .from(bankEntryAllocations)
        .innerJoin(invoices, eq(invoices.id, bankEntryAllocations.invoiceId))
        .leftJoin(bankEntryAllocationUndos, eq(bankEntryAllocationUndos.allocationId, bankEntryAllocations.id))
        .where(inArray(bankEntryAllocations.entryId, ids))
        .orderBy(asc(bankEntryAllocations.id))
    : [];
  return rows.map((r) => ({
    id: r.id,
    status: r.status,
    status_label: STATUS_LABELS[r.status],
    booking_date: r.bookingDate,
    value_date: r.valueDate,
    amount: centsToNumber(r.amountCents),
    amount_formatted: formatEuro(r.amountCents),
    open_amount: centsToNumber(r.openCents),
    open_amount_formatted: formatEuro(r.openCents),
    currency: r.currency,
    remittance_text: r.remittanceText,
    debtor_name: r.debtorName,
    debtor_iban: r.debtorIban,
    entry_reference: r.entryReference,
    account_iban: r.accountIban,
    note: r.note,
    allocations: allocations
      .filter((a) => a.entryId === r.id)
      .map((a) => ({
        id: a.id,
        invoice_id: a.invoiceId,
        invoice_number: a.invoiceNumber,
        instance_id: a.instanceId,
        amount: centsToNumber(a.amountCents),
        amount_formatted: formatEuro(a.amountCents),
        source: a.source,
        created_at: apiTimestamp(a.createdAt),
        /** Undone by staff (a counter-booking took the payment back); no longer counts for the entry. */
        undone: a.undoneAt !== null,
        undone_at: apiTimestamp(a.undoneAt),
        undo_reason: a.undoReason,
        /** Staff may undo it: a payment of this entry, not a return's counter-booking, not undone yet. */
        undoable: a.undoneAt === null && a.amountCents > 0 && r.amountCents > 0,
      })),
    created_at: apiTimestamp(r.createdAt),
  }));
}

export const STATUS_LABELS: Record<EntryRow["status"], string> = {
  matched: "Zugeordnet",
  partially_matched: "Teilweise zugeordnet (Überzahlung)",
  unmatched: "Nicht zugeordnet",
  ignored: "Ignoriert",
};

export type BankEntryStatusFilter = EntryRow["status"] | "open";

/**
 * GET …/bank-statements/entries. `status=unmatched` lists everything waiting for manual
 * assignment: unmatched entries and the open rest of overpayments (open amount > 0).
 */
export async function listBankEntries(filter: { status?: BankEntryStatusFilter; limit?: number } = {}) {
  const db = await getDb();
  const where =
    filter.status === "unmatched" || filter.status === "open"
      ? and(gt(bankStatementEntries.openCents, 0), inArray(bankStatementEntries.status, ["unmatched", "partially_matched"]))
      : filter.status
        ? eq(bankStatementEntries.status, filter.status)
        : undefined;
  const rows = await db
    .select()
    .from(bankStatementEntries)
    .where(where)
    .orderBy(desc(bankStatementEntries.bookingDate), desc(bankStatementEntries.id))
    .limit(filter.limit ?? 200);
  return { entries: await presentEntries(db, rows) };
}
