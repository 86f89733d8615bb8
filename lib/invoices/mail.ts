/**
 * Invoice mails: the issued invoice (or credit note) with its archived PDF attached
 * (and, for XRechnung recipients, the archived XRechnung XML),
 * to every active customer admin of the instance. Queued in the outbox inside
 * the issuing (or cancelling) transaction: an invoice that is issued always
 * has its mails queued, a rolled-back one never sends. Delivery failures are
 * retried by the mail job and, after the last attempt, shown to staff in the
 * mail outbox (/verwaltung/mails).
 */
import { formatDateDe } from "@/lib/time";
import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { DbOrTx } from "@/db/types";
import { roles, userRoles, users } from "@/db/schema";

import { readArchivedDocument } from "@/lib/invoices/einvoice/service";
import { pdfFilename } from "@/lib/invoices/pdf-filename";
import type { InvoiceRow } from "@/lib/invoices/rows";
import { config } from "@/lib/config";
import { enqueueMail, type Mail } from "@/lib/mail";
import { escapeHtml } from "@/lib/mail/templates";
import { formatEuro } from "@/lib/money";
import { debitNoticeText, type DirectDebitNotice } from "@/lib/sepa/notice";
import { directDebitNotice } from "@/lib/sepa/prenotification";

/** Mail to a customer admin with the issued invoice (or credit note) attached as PDF. */
export function invoiceIssuedMail({
  to,
  name,
  invoice,
  attachment,
  xml,
  debit,
}: {
  to: string;
  name: string;
  invoice: InvoiceRow;
  attachment: Buffer;
  xml?: { filename: string; bytes: Buffer } | null;
  /** SEPA pre-notification: replaces the due date with the announced collection. */
  debit?: DirectDebitNotice | null;
}): Mail {
  const credit = invoice.kind === "credit_note";
  const number = invoice.invoiceNumber ?? "";
  const portalLink = `${config().APP_URL}/rechnungen/${invoice.id}`;
  const amountLine = credit
    ? `Betrag der Stornorechnung: ${formatEuro(invoice.grossCents)}`
    : debit
      ? `Rechnungsbetrag: ${formatEuro(invoice.grossCents)}, Einzug per Lastschrift am ${formatDateDe(debit.collection_date)}`
      : `Rechnungsbetrag: ${formatEuro(invoice.grossCents)}${invoice.dueDate ? `, fällig am ${formatDateDe(invoice.dueDate)}` : ""}`;
  const lines = [
    `Hallo ${name},`,
    "",
    credit
      ? `anbei erhalten Sie die Stornorechnung ${number} („${invoice.title}“) als PDF.`
      : `anbei erhalten Sie die Rechnung ${number} („${invoice.title}“) als PDF.`,
    amountLine,
    ...(debit ? ["", `Vorabankündigung der SEPA-Lastschrift: ${debitNoticeText(debit, number)}`] : []),
    "",
    `Im Manage-Portal finden Sie alle Rechnungen unter: ${portalLink}`,
    "",
    "Viele Grüße",
    "Ihr Manage-Portal-Team",
  ];
  const html = `<p>Hallo ${escapeHtml(name)},</p>
<p>anbei erhalten Sie die ${credit ? "Stornorechnung" : "Rechnung"} <strong>${escapeHtml(number)}</strong> („${escapeHtml(invoice.title)}“) als PDF.</p>
<p>${escapeHtml(amountLine)}</p>
${debit ? `<p><strong>Vorabankündigung der SEPA-Lastschrift:</strong> ${escapeHtml(debitNoticeText(debit, number))}</p>\n` : ""}<p><a href="${escapeHtml(portalLink)}">Rechnung im Manage-Portal ansehen</a></p>`;
  return {
    to,
    subject: `${credit ? "Stornorechnung" : "Rechnung"} ${number} – ${config().MSP_NAME}`,
    text: lines.join("\n"),
    html,
    attachments: [
      { filename: pdfFilename(number), content: attachment, contentType: "application/pdf" },
      ...(xml ? [{ filename: xml.filename, content: xml.bytes, contentType: "application/xml" }] : []),
    ],
  };
}

/** Active users of the instance with the customer_admin role. */
export async function customerAdmins(instanceId: number, db?: DbOrTx) {
  return (db ?? (await getDb()))
    .selectDistinct({ email: users.email, name: users.name })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .innerJoin(roles, eq(roles.key, userRoles.roleKey))
    .where(and(eq(users.instanceId, instanceId), eq(users.active, true), eq(roles.key, "customer_admin")));
}

/** Queues the issued `row` (with its archived PDF) for the instance's customer admins, in the caller's transaction. */
export async function mailToCustomerAdmins(tx: DbOrTx, row: InvoiceRow) {
  // XRechnung recipients get the archived XRechnung file too (the PDF is the Factur-X file for everyone else).
  const format = row.recipient.einvoice_format;
  const kind = format === "xrechnung_ubl" ? "xrechnung_xml" : format === "xrechnung_cii" ? "cii_xml" : null;
  const doc = kind ? await readArchivedDocument(tx, row.id, kind) : null;
  const xml = doc ? { filename: `${row.invoiceNumber}-xrechnung.xml`, bytes: doc.bytes } : null;
  const debit = await directDebitNotice(tx, row.id);
  for (const recipient of await customerAdmins(row.instanceId, tx)) {
    const mail = invoiceIssuedMail({ to: recipient.email, name: recipient.name, invoice: row, attachment: row.pdf!, xml, debit });
    await enqueueMail(tx, mail, `invoice-${row.id}-${recipient.email}`);
  }
}
