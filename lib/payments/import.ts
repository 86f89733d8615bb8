/**
 * Bank statement import (CAMT.053) and manual assignment.
 *
 * Idempotency: every entry gets a `dedup_key` (unique index) from what really identifies
 * it (identity.ts; never the bank reference alone). Returns go to returns.ts. Entries are inserted with
 * `ON CONFLICT DO NOTHING`; only rows this import inserted are matched and booked, so
 * importing the same file twice — even concurrently — books nothing twice.
 *
 * Booking goes through the invoice domain's `recordPayment` (same checks, same activity
 * entry as a hand-recorded payment). The open amount of the entry is claimed first with a
 * conditional update (`open_cents = seen value`), then the payment is recorded; if the
 * invoice refuses (paid meanwhile, cancelled) the claim is given back. Two concurrent
 * assignments of one entry therefore cannot both book it.
 */
import { createHash } from "node:crypto";
import { and, asc, desc, eq, gt, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { bankEntryAllocations, bankStatementEntries, bankStatementImports, invoicePayments, invoices } from "@/db/schema";
import { actorUserId, recordActivity, type Actor } from "@/lib/activity";
import { ConflictError, DomainError, NotFoundError, UnprocessableError } from "@/lib/errors";
import { summarizePayments, todayIsoDate } from "@/lib/invoices/calc";
import { recordPayment } from "@/lib/invoices/commands";
import { centsToNumber, formatEuro } from "@/lib/money";
import { apiTimestamp } from "@/lib/time";
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
async function openInvoices(numbers: string[]): Promise<OpenInvoice[]> {
  if (numbers.length === 0) return [];
  const db = await getDb();
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

async function refreshStatus(entryId: number, note?: string | null) {
  const db = await getDb();
  await db
    .update(bankStatementEntries)
    .set({
      status: sql`case when ${bankStatementEntries.status} = 'ignored' then 'ignored'
        when ${bankStatementEntries.openCents} = 0 then 'matched'
        when exists (select 1 from ${bankEntryAllocations} a where a.entry_id = ${bankStatementEntries.id}) then 'partially_matched'
        else 'unmatched' end`,
      ...(note !== undefined ? { note } : {}),
      updatedAt: new Date(),
    })
    .where(eq(bankStatementEntries.id, entryId));
}

/**
 * Books `amountCents` of the entry onto the invoice. Returns false (nothing booked, claim
 * given back) when the invoice refuses the payment.
 */
async function bookOnto(entry: EntryRow, invoiceId: number, amountCents: number, source: "automatic" | "manual", actor: Actor): Promise<{ ok: true } | { ok: false; reason: string }> {
  const db = await getDb();
  const claimed = await db
    .update(bankStatementEntries)
    .set({ openCents: sql`${bankStatementEntries.openCents} - ${amountCents}`, updatedAt: new Date() })
    .where(and(eq(bankStatementEntries.id, entry.id), sql`${bankStatementEntries.openCents} >= ${amountCents}`, sql`${bankStatementEntries.status} <> 'ignored'`))
    .returning({ id: bankStatementEntries.id });
  if (claimed.length === 0) return { ok: false, reason: "Die Buchung ist bereits zugeordnet." };

  const reference = `Bankimport #${entry.id}${entry.remittanceText ? `: ${entry.remittanceText}` : ""}`.slice(0, 200);
  try {
    await recordPayment(
      invoiceId,
      { amount: amountCents, payment_date: entry.bookingDate > todayIsoDate() ? todayIsoDate() : entry.bookingDate, method: "bank_transfer", reference },
      actor,
    );
  } catch (error) {
    await db
      .update(bankStatementEntries)
      .set({ openCents: sql`${bankStatementEntries.openCents} + ${amountCents}` })
      .where(eq(bankStatementEntries.id, entry.id));
    if (error instanceof DomainError) return { ok: false, reason: error.message };
    throw error;
  }
  const [payment] = await db
    .select({ id: invoicePayments.id })
    .from(invoicePayments)
    .where(and(eq(invoicePayments.invoiceId, invoiceId), eq(invoicePayments.reference, reference)))
    .orderBy(desc(invoicePayments.id))
    .limit(1);
  await db.insert(bankEntryAllocations).values({
    entryId: entry.id,
    invoiceId,
    paymentId: payment?.id ?? null,
    amountCents,
    source,
    createdBy: actorUserId(actor),
  });
  return { ok: true };
}

export type ImportResult = Awaited<ReturnType<typeof importBankStatement>>;

/** POST /api/manage/admin/bank-statements */
export async function importBankStatement(file: Buffer, filename: string | null, actor: Actor) {
  if (file.length > MAX_STATEMENT_BYTES) throw new UnprocessableError("Der Kontoauszug ist zu groß (höchstens 5 MB).");
  let statement;
  try {
    statement = parseCamt(file);
  } catch (error) {
    if (error instanceof CamtError) throw new UnprocessableError(error.message);
    throw error;
  }
  const db = await getDb();
  const keys = dedupKeys(statement.entries);
  const legacyKeys = legacyDedupKeys(statement.entries);
  const [importRow] = await db
    .insert(bankStatementImports)
    .values({ filename, fileSha256: sha256(file), messageId: statement.messageId, entryCount: statement.entries.length, importedBy: actorUserId(actor) })
    .returning();

  const newIds: number[] = [];
  for (const [index, e] of statement.entries.entries()) {
    const ignored = e.amountCents <= 0 || e.currency !== "EUR" || e.returned !== null;
    // A row imported under the old key is this entry only when date and amount agree too.
    await db
      .update(bankStatementEntries)
      .set({ dedupKey: keys[index]! })
      .where(and(eq(bankStatementEntries.dedupKey, legacyKeys[index]!), eq(bankStatementEntries.bookingDate, e.bookingDate), eq(bankStatementEntries.amountCents, e.amountCents)));
    const [inserted] = await db
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
    if (!inserted) continue;
    newIds.push(inserted.id);
    if (e.returned) {
      await settleReturn(inserted, e.returned, actor);
      continue;
    }
    const text = matchingText(inserted);
    const plan = planMatch({ ...inserted, remittanceText: text }, await openInvoices(extractInvoiceNumbers(text)));
    if (plan.status === "ignored") {
      await db.update(bankStatementEntries).set({ note: plan.note }).where(eq(bankStatementEntries.id, inserted.id));
      continue;
    }
    const failures: string[] = [];
    for (const allocation of plan.allocations) {
      const booked = await bookOnto(inserted, allocation.invoiceId, allocation.amountCents, "automatic", actor);
      if (!booked.ok) failures.push(`${allocation.invoiceNumber}: ${booked.reason}`);
    }
    await refreshStatus(inserted.id, failures.length ? failures.join(" ") : plan.note);
  }

  await db.update(bankStatementImports).set({ newEntryCount: newIds.length }).where(eq(bankStatementImports.id, importRow!.id));
  const entries = newIds.length ? await presentEntries(await db.select().from(bankStatementEntries).where(inArray(bankStatementEntries.id, newIds)).orderBy(asc(bankStatementEntries.id))) : [];
  const count = (status: EntryRow["status"]) => entries.filter((e) => e.status === status).length;
  await recordActivity(db, actor, {
    instanceId: null,
    action: "payment.bank_statement_imported",
    description: `Kontoauszug ${filename ?? ""} importiert: ${newIds.length} neue Buchungen, ${count("matched")} zugeordnet`.replace("  ", " "),
    metadata: { import_id: importRow!.id, entries: statement.entries.length, new_entries: newIds.length },
  });
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

async function presentEntries(rows: EntryRow[]) {
  const db = await getDb();
  const ids = rows.map((r) => r.id);
  const allocations = ids.length
    ? await db
        .select({ entryId: bankEntryAllocations.entryId, invoiceId: bankEntryAllocations.invoiceId, invoiceNumber: invoices.invoiceNumber, amountCents: bankEntryAllocations.amountCents, source: bankEntryAllocations.source })
        .from(bankEntryAllocations)
        .innerJoin(invoices, eq(invoices.id, bankEntryAllocations.invoiceId))
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
      .map((a) => ({ invoice_id: a.invoiceId, invoice_number: a.invoiceNumber, amount: centsToNumber(a.amountCents), amount_formatted: formatEuro(a.amountCents), source: a.source })),
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
  return { entries: await presentEntries(rows) };
}

/**
 * POST …/entries/{id}/assign { invoice_id }: books the entry's open amount (at most the
 * invoice's open amount) onto that invoice. 404 unknown entry/invoice, 409 nothing open.
 */
export async function assignBankEntry(entryId: number, invoiceId: number, actor: Actor) {
  const db = await getDb();
  const [entry] = await db.select().from(bankStatementEntries).where(eq(bankStatementEntries.id, entryId));
  if (!entry) throw new NotFoundError("Bankbuchung nicht gefunden.");
  if (entry.status === "ignored") throw new ConflictError("Diese Buchung ist keine Zahlungseingang in EUR und kann nicht zugeordnet werden.");
  if (entry.openCents <= 0) throw new ConflictError("Diese Buchung ist bereits vollständig zugeordnet.");
  const [invoice] = await db.select().from(invoices).where(eq(invoices.id, invoiceId));
  if (!invoice || !invoice.issuedAt) throw new NotFoundError("Rechnung nicht gefunden.");
  const payments = await db.select({ amount_cents: invoicePayments.amountCents }).from(invoicePayments).where(eq(invoicePayments.invoiceId, invoiceId));
  const { remaining_cents } = summarizePayments(invoice.grossCents, payments);
  if (invoice.cancelledAt) throw new ConflictError("Die Rechnung ist storniert; Zahlungen können nicht mehr erfasst werden.");
  if (invoice.grossCents <= 0 || remaining_cents <= 0) throw new ConflictError(`Die Rechnung ${invoice.invoiceNumber} ist bereits vollständig bezahlt.`);
  const amount = Math.min(entry.openCents, remaining_cents);
  const booked = await bookOnto(entry, invoiceId, amount, "manual", actor);
  if (!booked.ok) throw new ConflictError(booked.reason);
  await refreshStatus(entryId, null);
  await recordActivity(db, actor, {
    instanceId: invoice.instanceId,
    action: "payment.bank_entry_assigned",
    description: `Bankbuchung über ${formatEuro(amount)} der Rechnung ${invoice.invoiceNumber} zugeordnet`,
    metadata: { entry_id: entryId, invoice_id: invoiceId, amount_cents: amount },
  });
  const [fresh] = await db.select().from(bankStatementEntries).where(eq(bankStatementEntries.id, entryId));
  return { entry: (await presentEntries([fresh!]))[0]! };
}
