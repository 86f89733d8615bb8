/** The German dunning mails: a stage letter (PDFs attached), the suspension and the reactivation notice. */
import { formatDateDe } from "@/lib/time";
import { config } from "@/lib/config";

import type { Mail, MailAttachment } from "@/lib/mail";
import { escapeHtml } from "@/lib/mail/templates";
import { formatEuro } from "@/lib/money";
import { STAGE_TITLES, letterReference, letterTotalCents, type LetterData } from "./letter";

function html(lines: string[]) {
  return lines
    .join("\n")
    .split("\n\n")
    .map((p) => `<p>${escapeHtml(p).replaceAll("\n", "<br>")}</p>`)
    .join("\n");
}

function signed(lines: string[]) {
  return [...lines, "", "Viele Grüße", `Ihr Team von ${config().MSP_NAME}`];
}

export function stageMail({ to, name, letter, attachments }: { to: string; name: string; letter: LetterData; attachments: MailAttachment[] }): Mail {
  const title = STAGE_TITLES[letter.stage];
  const total = letterTotalCents(letter);
  const lines = signed([
    `Hallo ${name},`,
    "",
    letter.stage === "reminder"
      ? "für die folgenden Rechnungen haben wir noch keinen Zahlungseingang feststellen können:"
      : `trotz unserer bisherigen Schreiben sind die folgenden Rechnungen weiterhin offen (${title}):`,
    "",
    ...letter.invoices.map((i) => `${i.number}, fällig am ${formatDateDe(i.dueDate)}: ${formatEuro(i.openCents)}`),
    ...(letter.feeCents > 0 ? [`Mahngebühr: ${formatEuro(letter.feeCents)}`] : []),
    "",
    `Bitte überweisen Sie ${formatEuro(total)} bis zum ${formatDateDe(letter.payUntil)} mit dem Verwendungszweck „${letterReference(letter.invoices)}“.`,
    `Das Schreiben (${title}) und die offenen Rechnungen finden Sie im Anhang. Bankverbindung und GiroCode stehen auch im Manage-Portal: ${config().APP_URL}/`,
    "",
    "Falls Sie bereits gezahlt haben, betrachten Sie diese E-Mail bitte als gegenstandslos.",
  ]);
  return { to, subject: `${title}: offene Rechnungen – ${config().MSP_NAME}`, text: lines.join("\n"), html: html(lines), attachments };
}

export function suspendedMail({ to, name, days, openCents, attachments }: { to: string; name: string; days: number; openCents: number; attachments: MailAttachment[] }): Mail {
  const lines = signed([
    `Hallo ${name},`,
    "",
    `da Rechnungen seit über ${days} Tagen offen sind, haben wir Ihre Instanz gesperrt. Offen sind insgesamt ${formatEuro(openCents)}.`,
    `Nach der Anmeldung im Manage-Portal (${config().APP_URL}/) sehen Sie die offenen Rechnungen, die Bankverbindung und einen GiroCode zum Bezahlen.`,
    "Sobald alle überfälligen Rechnungen bezahlt sind, wird die Sperre automatisch aufgehoben.",
  ]);
  return { to, subject: `Ihre Instanz wurde gesperrt – ${config().MSP_NAME}`, text: lines.join("\n"), html: html(lines), attachments };
}

export function reactivatedMail({ to, name }: { to: string; name: string }): Mail {
  const lines = signed([
    `Hallo ${name},`,
    "",
    "vielen Dank für Ihre Zahlung. Alle überfälligen Rechnungen sind beglichen, die Sperre Ihrer Instanz ist aufgehoben.",
    `Server, Domains und Rechnungen sind im Manage-Portal wieder verfügbar: ${config().APP_URL}/`,
  ]);
  return { to, subject: `Ihre Instanz ist wieder freigeschaltet – ${config().MSP_NAME}`, text: lines.join("\n"), html: html(lines) };
}
