/**
 * A returned SEPA direct debit (Rücklastschrift: AC04, AM04, MD06, MS02 …) found on a camt.053
 * statement. `settleReturn` (returns.ts) has already taken the booked payment back (the invoice
 * is open again); this adds what a returned *collection* means, in the same transaction:
 *
 * - the debit is `returned` with the reason and the bank's fee (booked amount − instructed amount);
 * - the fee becomes a billing plan item of the instance for the next month (net, 0 % VAT: a passed-on
 *   bank charge is damages, not a service), billed in full by that month's run;
 * - the invoice enters dunning: the return notice counts as its payment reminder (`dunning_notices`
 *   stage `reminder`, exactly once), the run continues with the 1st dunning letter on its day;
 * - customer admins and staff get a German mail (outbox, idempotency key per debit and recipient);
 * - the mandate counts the return; the second return flags it (`gesperrt`): no further collections,
 *   later invoices ask for a transfer again.
 */
import { and, eq, inArray, isNull, sql } from "drizzle-orm";
import type { Tx } from "@/db/types";
import { billingPlanItems, dunningNotices, invoicePayments, invoices, sepaCollectionItems, sepaDebits, sepaMandates, users } from "@/db/schema";
import { recordActivity, type Actor } from "@/lib/activity";
import { nextPeriod, periodOf } from "@/lib/billing/period";
import { config } from "@/lib/config";
import { customerAdmins } from "@/lib/invoices/mail";
import { currentIssuer } from "@/lib/invoices/issuer-config";
import { enqueueMail, type Mail } from "@/lib/mail";
import { escapeHtml } from "@/lib/mail/templates";
import { formatEuro } from "@/lib/money";
import { addDays, formatDateDe, todayIsoDate } from "@/lib/time";
import { groupIban } from "@/lib/sepa/identifiers";

export const FLAG_AFTER_RETURNS = 2;

export type SepaReturnInput = {
  /** The invoices whose collection came back, with the amount returned for each. */
  invoiceIds: number[];
  reasonCode: string | null;
  reasonLabel: string;
  feeCents: number;
  bookingDate: string;
  entryId: number;
};

/** Collected invoices named by a return: its end-to-end id (our invoice number) or the reversed invoices. */
export async function collectedInvoicesOf(tx: Tx, endToEndId: string | null, invoiceIds: number[]): Promise<number[]> {
  const byE2E = endToEndId
    ? await tx.select({ invoiceId: sepaCollectionItems.invoiceId }).from(sepaCollectionItems).where(eq(sepaCollectionItems.endToEndId, endToEndId))
    : [];
  const byInvoice = invoiceIds.length
    ? await tx.select({ invoiceId: sepaCollectionItems.invoiceId }).from(sepaCollectionItems).where(inArray(sepaCollectionItems.invoiceId, invoiceIds))
    : [];
  return [...new Set([...byE2E, ...byInvoice].map((r) => r.invoiceId))];
}

/** Returns a note for the bank entry ("" when none of the invoices was collected by direct debit). */
export async function handleSepaReturn(tx: Tx, actor: Actor, input: SepaReturnInput): Promise<string> {
  const notes: string[] = [];
  let feeLeft = Math.max(0, input.feeCents);
  for (const invoiceId of input.invoiceIds) {
    const [row] = await tx
      .select({ debit: sepaDebits, mandate: sepaMandates, invoice: { id: invoices.id, number: invoices.invoiceNumber, instanceId: invoices.instanceId, dueDate: invoices.dueDate, grossCents: invoices.grossCents } })
      .from(sepaDebits)
      .innerJoin(sepaMandates, eq(sepaMandates.id, sepaDebits.mandateId))
      .innerJoin(invoices, eq(invoices.id, sepaDebits.invoiceId))
      .where(and(eq(sepaDebits.invoiceId, invoiceId), eq(sepaDebits.status, "submitted"), isNull(sepaDebits.returnedAt)))
      .for("update");
    if (!row) continue;
    const fee = feeLeft;
    feeLeft = 0;
    const { debit, mandate, invoice } = row;
    const today = todayIsoDate();
    await tx
      .update(sepaDebits)
      .set({ status: "returned", returnReason: input.reasonLabel, returnFeeCents: fee, returnedAt: new Date() })
      .where(eq(sepaDebits.id, debit.id));

    // The bank's fee: billed with the next month's run.
    if (fee > 0) {
      const period = nextPeriod(periodOf(today));
      await tx.insert(billingPlanItems).values({
        instanceId: invoice.instanceId,
        description: `Rücklastschriftgebühr der Bank zu ${invoice.number}${input.reasonCode ? ` (${input.reasonCode})` : ""}`,
        quantityMilli: 1000,
        unit: "Stück",
        unitPriceCents: fee,
        vatRate: 0,
        startsOn: period.start,
        endsOn: period.end,
        source: "sepa_return_fee",
      });
    }

    // Dunning: the return notice is the payment reminder.
    const paid = await tx.select({ sum: sql<number>`coalesce(sum(${invoicePayments.amountCents}), 0)`.mapWith(Number) }).from(invoicePayments).where(eq(invoicePayments.invoiceId, invoice.id));
    const openCents = invoice.grossCents - (paid[0]?.sum ?? 0);
    const admins = await customerAdmins(invoice.instanceId, tx);
    const [notice] = await tx
      .insert(dunningNotices)
      .values({ invoiceId: invoice.id, stage: "reminder", instanceId: invoice.instanceId, noticeDate: today, openCents, mailCount: admins.length })
      .onConflictDoNothing()
      .returning();

    // The mandate: the second return flags it.
    const returns = mandate.returnCount + 1;
    const flag = returns >= FLAG_AFTER_RETURNS && mandate.status === "active";
    await tx
      .update(sepaMandates)
      .set({
        returnCount: returns,
        ...(flag ? { status: "flagged" as const, flaggedAt: new Date(), flagReason: `${returns}. Rücklastschrift (${input.reasonLabel}) – keine weiteren Einzüge` } : {}),
      })
      .where(eq(sepaMandates.id, mandate.id));

    const payUntil = addDays(today, 7);
    const mailData = { invoiceNumber: invoice.number!, amountCents: debit.amountCents, feeCents: fee, reason: input.reasonLabel, payUntil, openCents, flagged: flag, mandateReference: mandate.reference };
    for (const admin of admins) {
      await enqueueMail(tx, returnCustomerMail({ to: admin.email, name: admin.name, ...mailData }), `sepa-return:${debit.id}:${admin.email.toLowerCase()}`);
    }
    const staff = await tx.select({ email: users.email, name: users.name }).from(users).where(and(isNull(users.instanceId), eq(users.active, true)));
    for (const s of staff) {
      await enqueueMail(tx, returnStaffMail({ to: s.email, name: s.name, instanceId: invoice.instanceId, ...mailData }), `sepa-return-staff:${debit.id}:${s.email.toLowerCase()}`);
    }

    await recordActivity(tx, actor, {
      instanceId: invoice.instanceId,
      action: "sepa.debit_returned",
      description:
        `Lastschrift zu Rechnung ${invoice.number} (${formatEuro(debit.amountCents)}) zurückgegeben: ${input.reasonLabel}` +
        `${fee > 0 ? `; Rückgabegebühr ${formatEuro(fee)} wird mit der nächsten Rechnung berechnet` : ""}` +
        `${notice ? "; Zahlungserinnerung versendet" : ""}`,
      metadata: { invoice_id: invoice.id, debit_id: debit.id, mandate_id: mandate.id, reason_code: input.reasonCode, fee_cents: fee, bank_entry_id: input.entryId, return_count: returns },
    });
    if (flag) {
      await recordActivity(tx, actor, {
        instanceId: invoice.instanceId,
        action: "sepa.mandate_flagged",
        description: `Lastschriftmandat ${mandate.reference} nach der ${returns}. Rücklastschrift gesperrt: keine weiteren Einzüge, Rechnungen wieder per Überweisung`,
        metadata: { mandate_id: mandate.id, return_count: returns },
      });
    }
    notes.push(`Lastschrift ${invoice.number} zurückgegeben${fee > 0 ? `, Gebühr ${formatEuro(fee)} wird nachberechnet` : ""}${flag ? `, Mandat ${mandate.reference} gesperrt` : ""}.`);
  }
  return notes.join(" ");
}

type MailData = { to: string; name: string; invoiceNumber: string; amountCents: number; feeCents: number; reason: string; payUntil: string; openCents: number; flagged: boolean; mandateReference: string };

export function returnCustomerMail(d: MailData): Mail {
  const bank = currentIssuer().bank;
  const lines = [
    `Hallo ${d.name},`,
    "",
    `die SEPA-Lastschrift über ${formatEuro(d.amountCents)} für die Rechnung ${d.invoiceNumber} wurde von Ihrer Bank zurückgegeben (${d.reason}).`,
    `Die Rechnung ist damit wieder offen. Bitte überweisen Sie ${formatEuro(d.openCents)} bis zum ${formatDateDe(d.payUntil)} unter Angabe der Rechnungsnummer ${d.invoiceNumber}:`,
    `Kontoinhaber: ${bank.account_holder} · IBAN: ${groupIban(bank.iban)} · BIC: ${bank.bic}`,
    ...(d.feeCents > 0 ? ["", `Die Rückgabegebühr Ihrer Bank von ${formatEuro(d.feeCents)} berechnen wir mit der nächsten Rechnung.`] : []),
    ...(d.flagged
      ? ["", `Da dies bereits die zweite Rücklastschrift ist, ziehen wir unter dem Mandat ${d.mandateReference} nichts mehr ein. Künftige Rechnungen zahlen Sie bitte per Überweisung – oder erteilen Sie im Manage-Portal ein neues Mandat.`]
      : []),
    "",
    "Diese Nachricht gilt als Zahlungserinnerung.",
    `Im Manage-Portal: ${config().APP_URL}/rechnungen`,
    "",
    "Viele Grüße",
    "Ihr Manage-Portal-Team",
  ];
  return {
    to: d.to,
    subject: `Rücklastschrift zu Rechnung ${d.invoiceNumber} – bitte überweisen`,
    text: lines.join("\n"),
    html: lines.map((l) => (l === "" ? "" : `<p>${escapeHtml(l)}</p>`)).join("\n"),
  };
}

export function returnStaffMail(d: MailData & { instanceId: number }): Mail {
  const lines = [
    `Hallo ${d.name},`,
    "",
    `Rücklastschrift: Rechnung ${d.invoiceNumber} (${formatEuro(d.amountCents)}), Grund: ${d.reason}.`,
    `Die Rechnung ist wieder offen (${formatEuro(d.openCents)}) und im Mahnwesen (Zahlungserinnerung an den Kunden versendet).`,
    ...(d.feeCents > 0 ? [`Rückgabegebühr ${formatEuro(d.feeCents)}: als Abrechnungsposition für den nächsten Monat angelegt.`] : []),
    ...(d.flagged ? [`Das Mandat ${d.mandateReference} ist nach der zweiten Rücklastschrift gesperrt.`] : []),
    "",
    `Instanz: ${config().APP_URL}/verwaltung/instanzen/${d.instanceId}`,
  ];
  return {
    to: d.to,
    subject: `Rücklastschrift ${d.invoiceNumber}${d.flagged ? " – Mandat gesperrt" : ""}`,
    text: lines.join("\n"),
    html: lines.map((l) => (l === "" ? "" : `<p>${escapeHtml(l)}</p>`)).join("\n"),
  };
}
