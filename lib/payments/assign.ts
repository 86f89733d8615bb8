/**
 * What staff do with a bank entry the import could not book by itself.
 *
 * - Suggestions: open invoices ranked for the entry — an invoice number named in the remittance
 *   text first, then an exact amount, then the payer's name matching the customer, then the
 *   closeness of the amount. A search term (`q`) narrows the candidates with the staff search
 *   (company, contact person, e-mail, domain, invoice number: `lib/instances/search.ts`).
 * - Assignment by invoice id or number (`RE-2026-0014`, also as banks mangle it), or split over
 *   several invoices with an amount each. Without an amount a part takes what is open on the
 *   invoice, at most what is left of the entry. All parts are one transaction: the claims on the
 *   entry, the payments, the allocations, the entry's status and the activity entries commit
 *   together, or — when one invoice refuses — none of them.
 * - Undo of a wrong assignment: booked payments are immutable, so a counter-booking takes the
 *   payment back, and the undo is a row of its own (`bank_entry_allocation_undos`: who, when, why;
 *   allocations are immutable). Its amount is open on the entry again; logged for the invoice's
 *   customer. The undo's primary key lets one of two concurrent undos through.
 *
 * A booking that pays the last overdue invoice of an instance that dunning suspended lifts the
 * suspension in the same transaction (`liftPaidSuspension`).
 */
import { and, asc, eq, isNotNull, isNull, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { Tx } from "@/db/types";
import { bankEntryAllocationUndos, bankEntryAllocations, bankStatementEntries, instances, invoicePayments, invoices } from "@/db/schema";
import { actorUserId, recordActivity, type Actor } from "@/lib/activity";
import { liftPaidSuspension } from "@/lib/dunning/run";
import { ConflictError, NotFoundError, UnprocessableError } from "@/lib/errors";
import { summarizePayments } from "@/lib/invoices/calc";
import { reversePayment } from "@/lib/invoices/commands";
import { instanceSearchCondition, invoiceNumberOf, normalizeSearch } from "@/lib/instances/search";
import { centsToNumber, formatEuro } from "@/lib/money";
import { todayIsoDate } from "@/lib/time";
import { matchingText } from "./camt";
import { bookOnto, presentEntries, refreshStatus } from "./import";
import { extractInvoiceNumbers } from "./matching";
import type { AssignBankEntryBody } from "./schemas";

type EntryRow = typeof bankStatementEntries.$inferSelect;

async function lockEntry(tx: Tx, entryId: number): Promise<EntryRow> {
  const [entry] = await tx.select().from(bankStatementEntries).where(eq(bankStatementEntries.id, entryId)).for("update");
  if (!entry) throw new NotFoundError("Bankbuchung nicht gefunden.");
  return entry;
}

async function findInvoice(tx: Tx, part: { invoice_id?: number; invoice_number?: string }) {
  if (part.invoice_id !== undefined) {
    const [row] = await tx.select().from(invoices).where(eq(invoices.id, part.invoice_id));
    if (!row || !row.issuedAt) throw new NotFoundError("Rechnung nicht gefunden.");
    return row;
  }
  const number = invoiceNumberOf(part.invoice_number ?? "");
  const [row] = number ? await tx.select().from(invoices).where(eq(invoices.invoiceNumber, number)) : [];
  if (!row || !row.issuedAt) throw new NotFoundError(`Rechnung ${part.invoice_number} nicht gefunden. Bitte die Rechnungsnummer prüfen (Format RE-JJJJ-NNNN).`);
  return row;
}

async function openCentsOf(tx: Tx, invoice: typeof invoices.$inferSelect) {
  const payments = await tx.select({ amount_cents: invoicePayments.amountCents }).from(invoicePayments).where(eq(invoicePayments.invoiceId, invoice.id));
  return summarizePayments(invoice.grossCents, payments).remaining_cents;
}

/**
 * POST …/entries/{id}/assign: books the entry (or parts of it) onto one or several invoices,
 * all or nothing. 404 unknown entry or invoice, 409 nothing open, 422 more than the entry holds.
 */
export async function assignBankEntry(actor: Actor, input: { entryId: number } & AssignBankEntryBody, options?: CommandOptions) {
  const parts = input.allocations ?? [{ invoice_id: input.invoice_id, invoice_number: input.invoice_number, amount: input.amount }];
  return inTransaction(options, async (tx) => {
    const entry = await lockEntry(tx, input.entryId);
    if (entry.status === "ignored") throw new ConflictError("Diese Buchung ist kein Zahlungseingang in EUR und kann nicht zugeordnet werden.");
    if (entry.openCents <= 0) throw new ConflictError("Diese Buchung ist bereits vollständig zugeordnet.");
    const requested = parts.reduce((sum, p) => sum + (p.amount ?? 0), 0);
    if (requested > entry.openCents) {
      throw new UnprocessableError(`Die Aufteilung (${formatEuro(requested)}) ist größer als der offene Betrag der Buchung (${formatEuro(entry.openCents)}).`);
    }
    let left = entry.openCents;
    const booked: { invoiceId: number; invoiceNumber: string; instanceId: number; amountCents: number }[] = [];
    for (const part of parts) {
      const invoice = await findInvoice(tx, part);
      if (booked.some((b) => b.invoiceId === invoice.id)) throw new UnprocessableError(`Die Rechnung ${invoice.invoiceNumber} ist in der Aufteilung doppelt genannt.`);
      if (invoice.cancelledAt) throw new ConflictError(`Die Rechnung ${invoice.invoiceNumber} ist storniert; Zahlungen können nicht mehr erfasst werden.`);
      if (invoice.kind !== "invoice") throw new ConflictError(`${invoice.invoiceNumber} ist eine Stornorechnung und kann keine Zahlung erhalten.`);
      const open = await openCentsOf(tx, invoice);
      if (invoice.grossCents <= 0 || open <= 0) throw new ConflictError(`Die Rechnung ${invoice.invoiceNumber} ist bereits vollständig bezahlt.`);
      const amount = part.amount ?? Math.min(left, open);
      if (amount <= 0) throw new UnprocessableError(`Für die Rechnung ${invoice.invoiceNumber} bleibt von der Buchung nichts übrig.`);
      if (amount > open) throw new UnprocessableError(`Auf die Rechnung ${invoice.invoiceNumber} sind nur ${formatEuro(open)} offen, nicht ${formatEuro(amount)}.`);
      const result = await bookOnto(tx, entry, invoice.id, amount, "manual", actor);
      if (!result.ok) throw new ConflictError(`${invoice.invoiceNumber}: ${result.reason}`);
      left -= amount;
      booked.push({ invoiceId: invoice.id, invoiceNumber: invoice.invoiceNumber!, instanceId: invoice.instanceId, amountCents: amount });
    }
    await refreshStatus(tx, entry.id, null);
    for (const b of booked) {
      await recordActivity(tx, actor, {
        instanceId: b.instanceId,
        action: "payment.bank_entry_assigned",
        description:
          booked.length > 1
            ? `Bankbuchung über ${formatEuro(entry.amountCents)} aufgeteilt: ${formatEuro(b.amountCents)} der Rechnung ${b.invoiceNumber} zugeordnet`
            : `Bankbuchung über ${formatEuro(b.amountCents)} der Rechnung ${b.invoiceNumber} zugeordnet`,
        metadata: { entry_id: entry.id, invoice_id: b.invoiceId, invoice_number: b.invoiceNumber, amount_cents: b.amountCents, split: booked.length > 1 },
      });
    }
    const reactivated = [];
    for (const instanceId of new Set(booked.map((b) => b.instanceId))) {
      if (await liftPaidSuspension(tx, instanceId)) reactivated.push(instanceId);
    }
    const [fresh] = await tx.select().from(bankStatementEntries).where(eq(bankStatementEntries.id, entry.id));
    return { entry: (await presentEntries(tx, [fresh!]))[0]!, reactivated_instance_ids: reactivated };
  });
}

/**
 * POST …/entries/{id}/unassign { allocation_id, reason }: takes a wrong assignment back (see top).
 * 404 unknown entry or allocation, 409 already undone or not a payment of this entry.
 */
export async function unassignBankEntry(actor: Actor, input: { entryId: number; allocationId: number; reason: string }, options?: CommandOptions) {
  return inTransaction(options, async (tx) => {
    const entry = await lockEntry(tx, input.entryId);
    const [allocation] = await tx
      .select({ row: bankEntryAllocations, undoneAt: bankEntryAllocationUndos.undoneAt })
      .from(bankEntryAllocations)
      .leftJoin(bankEntryAllocationUndos, eq(bankEntryAllocationUndos.allocationId, bankEntryAllocations.id))
      .where(and(eq(bankEntryAllocations.id, input.allocationId), eq(bankEntryAllocations.entryId, entry.id)));
    if (!allocation) throw new NotFoundError("Zuordnung nicht gefunden.");
    if (allocation.undoneAt) throw new ConflictError("Diese Zuordnung ist bereits aufgehoben.");
    const { row } = allocation;
    if (row.amountCents <= 0 || entry.amountCents <= 0) throw new ConflictError("Eine Rückbuchung der Bank kann nicht aufgehoben werden.");
    const { paymentId, invoiceNumber } = await reversePayment(
      actor,
      { invoiceId: row.invoiceId, amount_cents: row.amountCents, payment_date: todayIsoDate(), method: "bank_transfer", reference: `Zuordnung aufgehoben (Bankimport #${entry.id}): ${input.reason}` },
      { tx },
    );
    // The primary key lets one undo through; the entry row lock above already serialises them.
    const undone = await tx
      .insert(bankEntryAllocationUndos)
      .values({ allocationId: row.id, reversalPaymentId: paymentId, reason: input.reason, undoneBy: actorUserId(actor) })
      .onConflictDoNothing()
      .returning({ id: bankEntryAllocationUndos.allocationId });
    if (undone.length === 0) throw new ConflictError("Diese Zuordnung ist bereits aufgehoben.");
    await tx
      .update(bankStatementEntries)
      .set({ openCents: sql`${bankStatementEntries.openCents} + ${row.amountCents}`, updatedAt: new Date() })
      .where(eq(bankStatementEntries.id, entry.id));
    await refreshStatus(tx, entry.id, `Zuordnung zu ${invoiceNumber} aufgehoben: ${input.reason}`.slice(0, 500));
    const [invoice] = await tx.select({ instanceId: invoices.instanceId }).from(invoices).where(eq(invoices.id, row.invoiceId));
    await recordActivity(tx, actor, {
      instanceId: invoice!.instanceId,
      action: "payment.bank_entry_unassigned",
      description: `Zuordnung der Bankbuchung über ${formatEuro(row.amountCents)} zu Rechnung ${invoiceNumber} aufgehoben. Grund: ${input.reason}`.slice(0, 500),
      metadata: { entry_id: entry.id, allocation_id: row.id, invoice_id: row.invoiceId, invoice_number: invoiceNumber, amount_cents: row.amountCents, reason: input.reason },
    });
    const [fresh] = await tx.select().from(bankStatementEntries).where(eq(bankStatementEntries.id, entry.id));
    return { entry: (await presentEntries(tx, [fresh!]))[0]! };
  });
}

/** Lower-case words of a name, without legal forms, for comparing a payer with a customer. */
function nameWords(name: string | null) {
  const legal = new Set(["gmbh", "ug", "ag", "kg", "ohg", "gbr", "e.k.", "ek", "mbh", "co", "co.", "&", "und", "corp", "inc", "ltd", "haftungsbeschränkt"]);
  return (name ?? "")
    .normalize("NFC")
    .toLowerCase()
    .split(/[\s,()/]+/)
    .filter((w) => w.length > 1 && !legal.has(w));
}

const SUGGESTION_LIMIT = 10;
const CANDIDATE_LIMIT = 200;

/**
 * GET …/entries/{id}/suggestions: open invoices ranked for this entry (see top), each with the
 * reasons in German. With `q`, only invoices of customers the staff search finds.
 */
export async function suggestInvoices(entryId: number, query: { q?: string } = {}) {
  const db = await getDb();
  const [entry] = await db.select().from(bankStatementEntries).where(eq(bankStatementEntries.id, entryId));
  if (!entry) throw new NotFoundError("Bankbuchung nicht gefunden.");
  const target = entry.openCents > 0 ? entry.openCents : entry.amountCents;
  const named = extractInvoiceNumbers(matchingText(entry));
  const search = normalizeSearch(query.q);
  const paid = sql<number>`coalesce((select sum(p.amount_cents) from invoice_payments p where p.invoice_id = "invoices"."id"), 0)`;
  const open = sql<number>`(${invoices.grossCents} - ${paid})`;
  const rows = await db
    .select({
      id: invoices.id,
      invoiceNumber: invoices.invoiceNumber,
      invoiceDate: invoices.invoiceDate,
      dueDate: invoices.dueDate,
      grossCents: invoices.grossCents,
      openCents: open.mapWith(Number),
      instanceId: instances.id,
      instanceName: instances.name,
      companyName: instances.companyName,
      legalName: sql<string | null>`(select bp.legal_name from instance_billing_profiles bp where bp.instance_id = ${instances.id})`,
    })
    .from(invoices)
    .innerJoin(instances, eq(instances.id, invoices.instanceId))
    .where(
      and(
        eq(invoices.kind, "invoice"),
        isNotNull(invoices.issuedAt),
        isNotNull(invoices.invoiceNumber),
        isNull(invoices.cancelledAt),
        sql`${invoices.grossCents} > 0`,
        sql`${open} > 0`,
        search ? instanceSearchCondition(search) : undefined,
      ),
    )
    // Named invoices and the closest amounts first; the ranking below decides the order.
    .orderBy(
      sql`case when ${invoices.invoiceNumber} in (${named.length ? sql.join(named.map((n) => sql`${n}`), sql`, `) : sql`''`}) then 0 else 1 end`,
      sql`abs(${open} - ${target})`,
      asc(invoices.dueDate),
      asc(invoices.id),
    )
    .limit(CANDIDATE_LIMIT);

  const payer = new Set(nameWords(entry.debtorName));
  const ranked = rows.map((r) => {
    const reasons: string[] = [];
    let score = 0;
    if (named.includes(r.invoiceNumber!)) {
      score += 100;
      reasons.push("Rechnungsnummer im Verwendungszweck");
    }
    if (r.openCents === target) {
      score += 50;
      reasons.push("Betrag stimmt genau");
    } else {
      const closeness = 1 - Math.min(1, Math.abs(r.openCents - target) / Math.max(r.openCents, target));
      score += Math.round(25 * closeness);
      if (r.openCents < target) reasons.push(`offen ${formatEuro(r.openCents)} (Buchung größer: aufteilen?)`);
      else reasons.push(`offen ${formatEuro(r.openCents)} (Teilzahlung)`);
    }
    const customer = new Set([...nameWords(r.companyName), ...nameWords(r.legalName)]);
    if ([...payer].some((w) => customer.has(w))) {
      score += 30;
      reasons.push("Auftraggeber passt zum Kunden");
    }
    return { r, score, reasons };
  });
  ranked.sort((a, b) => b.score - a.score || (a.r.dueDate ?? "").localeCompare(b.r.dueDate ?? "") || a.r.id - b.r.id);
  return {
    entry_id: entry.id,
    open_amount: centsToNumber(entry.openCents),
    open_amount_formatted: formatEuro(entry.openCents),
    suggestions: ranked.slice(0, SUGGESTION_LIMIT).map(({ r, score, reasons }) => ({
      invoice_id: r.id,
      invoice_number: r.invoiceNumber!,
      instance_id: r.instanceId,
      instance_name: r.instanceName,
      company_name: r.companyName,
      invoice_date: r.invoiceDate,
      due_date: r.dueDate,
      open_amount: centsToNumber(r.openCents),
      open_amount_formatted: formatEuro(r.openCents),
      score,
      reasons,
    })),
  };
}
