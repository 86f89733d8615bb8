/**
 * Staff commands on issued invoices: issue, record a payment, cancel with a
 * credit note (drafts: `drafts.ts`). Each runs in one transaction with the
 * invoice row locked, and writes its activity entry in that transaction: the
 * change and its log entry commit or roll back together. Mails go out after
 * the commit (`mail.ts`).
 *
 * - Issuing allocates the next gap-free number, renders the Factur-X PDF and the
 *   e-invoice XML once and stores number, dates, issuer snapshot and the files
 *   (pdf-archive.ts); any failure rolls the number back.
 * - Cancelling issues a credit note (negated items, next number). The unpaid
 *   part of the original is settled by an `offset` payment on the credit note;
 *   what the customer already paid remains open on it as a refund.
 */
import { announceDirectDebit } from "@/lib/sepa/prenotification";
import { addDays, todayIsoDate } from "@/lib/time";
import { and, eq, isNull } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { Tx } from "@/db/types";
import { invoiceItems, invoicePayments, invoices } from "@/db/schema";
import { actorUserId, recordActivity, type Actor } from "@/lib/activity";
import { ConflictError, UnprocessableError } from "@/lib/errors";
import { lineNetCents, milliToDecimalString, negateItems, parseQuantityToMilli, summarizeLines, summarizePayments } from "@/lib/invoices/calc";
import { currentIssuer } from "@/lib/invoices/issuer-config";
import { mailToCustomerAdmins } from "@/lib/invoices/mail";
import { allocateInvoiceNumber } from "@/lib/invoices/numbering";
import { renderIssuedFiles, sha256, storeIssuedDocuments } from "@/lib/invoices/pdf-archive";
import { getInvoiceForStaff } from "@/lib/invoices/queries";
import { findRow, lineFromItem, loadParts, type InvoiceRow, type ItemRow } from "@/lib/invoices/rows";
import type { PaymentBody } from "@/lib/invoices/schemas";
import { formatEuro } from "@/lib/money";

function assertIssuable(row: InvoiceRow, itemCount: number) {
  if (itemCount === 0) throw new UnprocessableError("Die Rechnung hat keine Positionen.");
  if (row.recipient.address_lines.length === 0) {
    throw new UnprocessableError("Die Anschrift des Empfängers fehlt. Bitte im Entwurf ergänzen (§14 UStG).");
  }
  if (row.reverseCharge && !row.recipient.vat_id) {
    throw new UnprocessableError("Bei Reverse Charge ist die USt-IdNr. des Empfängers Pflicht.");
  }
}

/** `invoiceDate` defaults to today; `sendMail: false` issues without mailing the customer admins. */
export type IssueInput = { invoiceId: number; invoiceDate?: string; sendMail?: boolean };

/**
 * Issues a draft: number, dates, files, the SEPA pre-notification, the activity entry and the
 * customer mail in one transaction (`options.tx` joins a caller's). Returns the staff view of it.
 */
export async function issueInvoice(actor: Actor, input: IssueInput, options?: CommandOptions) {
  const id = input.invoiceId;
  const issuer = currentIssuer();
  const issued = await inTransaction(options, async (tx) => {
    const row = await findRow(tx, id, true);
    if (row.issuedAt) throw new ConflictError(`Die Rechnung ist bereits als ${row.invoiceNumber} ausgestellt.`);
    const { items } = await loadParts(tx, id);
    assertIssuable(row, items.length);
    const invoiceDate = input.invoiceDate ?? todayIsoDate();
    const invoiceNumber = await allocateInvoiceNumber(tx, Number(invoiceDate.slice(0, 4)));
    const dueDate = addDays(invoiceDate, row.paymentTermsDays);
    const next: InvoiceRow = { ...row, invoiceNumber, invoiceDate, dueDate, issuedAt: new Date() };
    // A customer with an active SEPA mandate: the debit is announced now, so the archived PDF carries it.
    await announceDirectDebit(tx, { id, instanceId: row.instanceId, kind: row.kind, grossCents: row.grossCents, invoiceDate });
    const files = await renderIssuedFiles(tx, next, issuer);
    const pdf = files.pdf;
    const [updated] = await tx
      .update(invoices)
      .set({
        invoiceNumber,
        invoiceDate,
        dueDate,
        issuedAt: next.issuedAt,
        issuer: issuer as unknown as Record<string, unknown>,
        pdf,
        pdfSha256: sha256(pdf),
        updatedAt: new Date(),
      })
      .where(and(eq(invoices.id, id), isNull(invoices.issuedAt)))
      .returning();
    await storeIssuedDocuments(tx, id, files);
    await recordActivity(tx, actor, {
      instanceId: updated!.instanceId,
      action: "invoice.issued",
      description: `Rechnung ${invoiceNumber} über ${formatEuro(updated!.grossCents)} ausgestellt`,
      metadata: { invoice_id: id, invoice_number: invoiceNumber },
    });
    if (input.sendMail !== false) await mailToCustomerAdmins(tx, updated!);
    return updated!;
  });
  return getInvoiceForStaff(issued.id, options?.tx);
}

/** Positive amounts up to the remaining sum; refunds of a credit note as negative amounts. */
function assertPayable(grossCents: number, remainingCents: number, amount: number) {
  if (grossCents >= 0) {
    if (remainingCents <= 0) throw new ConflictError("Die Rechnung ist bereits vollständig bezahlt.");
    if (amount < 0) throw new UnprocessableError("Der Betrag muss positiv sein.");
    if (amount > remainingCents) throw new UnprocessableError(`Der Betrag übersteigt den offenen Betrag von ${formatEuro(remainingCents)}.`);
  } else {
    if (remainingCents >= 0) throw new ConflictError("Die Gutschrift ist bereits vollständig erstattet.");
    if (amount > 0) throw new UnprocessableError("Erstattungen einer Stornorechnung werden als negativer Betrag erfasst.");
    if (amount < remainingCents) {
      throw new UnprocessableError(`Der Betrag übersteigt den zu erstattenden Betrag von ${formatEuro(-remainingCents)}.`);
    }
  }
}

/**
 * Books a payment (or a refund of a credit note) onto an issued invoice. Joins the
 * caller's transaction with `options.tx` (the bank import books an entry, its payment
 * and the activity entry as one step). Returns the new payment's id.
 */
export async function recordPayment(actor: Actor, input: PaymentBody & { invoiceId: number }, options?: CommandOptions): Promise<{ paymentId: number }> {
  if (input.payment_date > todayIsoDate()) {
    throw new UnprocessableError("Das Zahlungsdatum darf nicht in der Zukunft liegen.");
  }
  const id = input.invoiceId;
  return inTransaction(options, async (tx) => {
    const row = await findRow(tx, id, true);
    if (!row.issuedAt) throw new ConflictError("Zahlungen können erst nach dem Ausstellen erfasst werden.");
    if (row.cancelledAt) throw new ConflictError("Die Rechnung ist storniert; Zahlungen können nicht mehr erfasst werden.");
    const { payments } = await loadParts(tx, id);
    const { remaining_cents } = summarizePayments(row.grossCents, payments.map((p) => ({ amount_cents: p.amountCents })));
    assertPayable(row.grossCents, remaining_cents, input.amount);
    const [payment] = await tx
      .insert(invoicePayments)
      .values({
        invoiceId: id,
        paymentDate: input.payment_date,
        amountCents: input.amount,
        method: input.method,
        reference: input.reference,
        createdBy: actorUserId(actor),
      })
      .returning({ id: invoicePayments.id });
    await tx.update(invoices).set({ updatedAt: new Date() }).where(eq(invoices.id, id));
    await recordActivity(tx, actor, {
      instanceId: row.instanceId,
      action: "invoice.payment_recorded",
      description: `Zahlung über ${formatEuro(input.amount)} zu Rechnung ${row.invoiceNumber} erfasst`,
      metadata: { invoice_id: row.id, invoice_number: row.invoiceNumber, amount_cents: input.amount },
    });
    return { paymentId: payment!.id };
  });
}

/** The original's items negated, as rows for the credit note. */
function creditNoteLines(items: ItemRow[]) {
  const negated = negateItems(
    items.map((item) => ({
      description: item.description,
      quantity: milliToDecimalString(item.quantityMilli),
      unit: item.unit,
      unit_price_cents: item.unitPriceCents,
      vat_rate: item.vatRate,
    })),
  );
  return negated.map((item, index) => {
    const quantityMilli = parseQuantityToMilli(item.quantity);
    return {
      position: index + 1,
      description: item.description,
      quantityMilli,
      unit: item.unit,
      unitPriceCents: item.unit_price_cents,
      vatRate: item.vat_rate,
      netCents: lineNetCents(quantityMilli, item.unit_price_cents),
    };
  });
}

/**
 * Cancels an issued invoice with a credit note dated `invoiceDate` (default today); one
 * transaction, `options.tx` joins a caller's. Returns the staff view of both.
 */
export async function cancelInvoice(actor: Actor, input: { invoiceId: number; reason: string; invoiceDate?: string }, options?: CommandOptions) {
  const { invoiceId: id, reason } = input;
  const issuer = currentIssuer();
  const result = await inTransaction(options, async (tx) => {
    const original = await findRow(tx, id, true);
    if (!original.issuedAt) throw new ConflictError("Entwürfe werden nicht storniert, sondern gelöscht.");
    if (original.kind === "credit_note") throw new ConflictError("Eine Stornorechnung kann nicht storniert werden.");
    if (original.cancelledAt) throw new ConflictError(`Die Rechnung ${original.invoiceNumber} ist bereits storniert.`);
    const { items, payments } = await loadParts(tx, id);
    const { paid_cents } = summarizePayments(original.grossCents, payments.map((p) => ({ amount_cents: p.amountCents })));

    const invoiceDate = input.invoiceDate ?? todayIsoDate();
    const invoiceNumber = await allocateInvoiceNumber(tx, Number(invoiceDate.slice(0, 4)));
    const lines = creditNoteLines(items);
    const calc = summarizeLines(lines.map(lineFromItem));
    const now = new Date();
    // Items first, then the issued state (the database refuses items on issued invoices).
    const [created] = await tx
      .insert(invoices)
      .values({
        instanceId: original.instanceId,
        kind: "credit_note",
        title: `Stornorechnung zu ${original.invoiceNumber}`,
        paymentTermsDays: original.paymentTermsDays,
        servicePeriodStart: original.servicePeriodStart,
        servicePeriodEnd: original.servicePeriodEnd,
        recipient: original.recipient,
        notes: `Grund der Stornierung: ${reason}${paid_cents > 0 ? `\nBereits gezahlte ${formatEuro(paid_cents)} werden Ihnen erstattet.` : ""}`,
        reverseCharge: original.reverseCharge,
        netCents: calc.totals.net_cents,
        vatCents: calc.totals.vat_cents,
        grossCents: calc.totals.gross_cents,
        cancelsInvoiceId: original.id,
        createdBy: actorUserId(actor),
      })
      .returning();
    await tx.insert(invoiceItems).values(lines.map((l) => ({ ...l, invoiceId: created!.id })));
    const issuedCredit: InvoiceRow = { ...created!, invoiceNumber, invoiceDate, dueDate: null, issuedAt: now };
    const files = await renderIssuedFiles(tx, issuedCredit, issuer);
    const pdf = files.pdf;
    const [credit] = await tx
      .update(invoices)
      .set({ invoiceNumber, invoiceDate, dueDate: null, issuedAt: now, issuer: issuer as unknown as Record<string, unknown>, pdf, pdfSha256: sha256(pdf) })
      .where(eq(invoices.id, created!.id))
      .returning();
    await storeIssuedDocuments(tx, credit!.id, files);
    const unpaid = original.grossCents - paid_cents;
    if (unpaid !== 0) {
      await tx.insert(invoicePayments).values({
        invoiceId: credit!.id,
        paymentDate: invoiceDate,
        amountCents: -unpaid,
        method: "offset",
        reference: `Verrechnung mit ${original.invoiceNumber}`,
        createdBy: actorUserId(actor),
      });
    }
    await tx.update(invoices).set({ cancelledAt: now, cancellationReason: reason, updatedAt: now }).where(eq(invoices.id, original.id));
    await recordActivity(tx, actor, {
      instanceId: original.instanceId,
      action: "invoice.cancelled",
      description: `Rechnung ${original.invoiceNumber} storniert (Stornorechnung ${invoiceNumber})`,
      metadata: { invoice_id: original.id, credit_note_id: credit!.id, reason },
    });
    await mailToCustomerAdmins(tx, credit!);
    return { original, credit: credit! };
  });

  return { invoice: await getInvoiceForStaff(result.original.id, options?.tx), credit_note: await getInvoiceForStaff(result.credit.id, options?.tx) };
}

export type ReversalInput = { amount_cents: number; payment_date: string; method: (typeof invoicePayments.$inferInsert)["method"]; reference: string };

/**
 * A payment the bank took back (returned direct debit, reversed transfer): booked payments are
 * immutable, so the correction is a counter-booking with the negative amount, which reopens the
 * invoice. Never more than what was paid.
 */
export async function reversePayment(actor: Actor, input: { invoiceId: number } & ReversalInput, options: { tx?: Tx } = {}) {
  if (!(input.amount_cents > 0)) throw new UnprocessableError("Der zurückgebuchte Betrag muss positiv sein.");
  const run = async (tx: Tx) => {
    const row = await findRow(tx, input.invoiceId, true);
    const { payments } = await loadParts(tx, input.invoiceId);
    const { paid_cents } = summarizePayments(row.grossCents, payments.map((p) => ({ amount_cents: p.amountCents })));
    if (input.amount_cents > paid_cents) throw new ConflictError(`Auf Rechnung ${row.invoiceNumber} ist nur ${formatEuro(Math.max(0, paid_cents))} gezahlt.`);
    const [payment] = await tx
      .insert(invoicePayments)
      .values({ invoiceId: input.invoiceId, paymentDate: input.payment_date, amountCents: -input.amount_cents, method: input.method, reference: input.reference.slice(0, 200), createdBy: actorUserId(actor) })
      .returning({ id: invoicePayments.id });
    await tx.update(invoices).set({ updatedAt: new Date() }).where(eq(invoices.id, input.invoiceId));
    await recordActivity(tx, actor, {
      instanceId: row.instanceId,
      action: "invoice.payment_reversed",
      description: `Zahlung über ${formatEuro(input.amount_cents)} zu Rechnung ${row.invoiceNumber} zurückgebucht: ${input.reference}`.slice(0, 500),
      metadata: { invoice_id: row.id, invoice_number: row.invoiceNumber, amount_cents: -input.amount_cents },
    });
    return { paymentId: payment!.id, invoiceNumber: row.invoiceNumber };
  };
  if (options.tx) return run(options.tx);
  const db = await getDb();
  return db.transaction(run);
}
