import type { invoices } from "@/db/schema";
import { formatDateDe } from "@/lib/invoices/calc";
import { pdfFilename } from "@/lib/invoices/pdf-filename";
import { config } from "@/lib/config";
import type { Mail } from "@/lib/mail";
import { escapeHtml } from "@/lib/mail/templates";
import { formatEuro } from "@/lib/money";

type InvoiceRow = typeof invoices.$inferSelect;

/** Mail to a customer admin with the issued invoice (or credit note) attached as PDF. */
export function invoiceIssuedMail({ to, name, invoice, attachment }: { to: string; name: string; invoice: InvoiceRow; attachment: Buffer }): Mail {
  const credit = invoice.kind === "credit_note";
  const number = invoice.invoiceNumber ?? "";
  const portalLink = `${config().APP_URL}/rechnungen/${invoice.id}`;
  const amountLine = credit
    ? `Betrag der Stornorechnung: ${formatEuro(invoice.grossCents)}`
    : `Rechnungsbetrag: ${formatEuro(invoice.grossCents)}${invoice.dueDate ? `, fällig am ${formatDateDe(invoice.dueDate)}` : ""}`;
  const lines = [
    `Hallo ${name},`,
    "",
    credit
      ? `anbei erhalten Sie die Stornorechnung ${number} („${invoice.title}“) als PDF.`
      : `anbei erhalten Sie die Rechnung ${number} („${invoice.title}“) als PDF.`,
    amountLine,
    "",
    `Im Manage-Portal finden Sie alle Rechnungen unter: ${portalLink}`,
    "",
    "Viele Grüße",
    "Ihr Manage-Portal-Team",
  ];
  const html = `<p>Hallo ${escapeHtml(name)},</p>
<p>anbei erhalten Sie die ${credit ? "Stornorechnung" : "Rechnung"} <strong>${escapeHtml(number)}</strong> („${escapeHtml(invoice.title)}“) als PDF.</p>
<p>${escapeHtml(amountLine)}</p>
<p><a href="${escapeHtml(portalLink)}">Rechnung im Manage-Portal ansehen</a></p>`;
  return {
    to,
    subject: `${credit ? "Stornorechnung" : "Rechnung"} ${number} – ${config().MSP_NAME}`,
    text: lines.join("\n"),
    html,
    attachments: [{ filename: pdfFilename(number), content: attachment, contentType: "application/pdf" }],
  };
}
