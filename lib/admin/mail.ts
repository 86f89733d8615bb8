import type { Mail } from "@/lib/mail";
import { escapeHtml } from "@/lib/mail/templates";

export function invitationMail({
  to,
  name,
  link,
  validHours,
  inviter,
  context,
}: {
  to: string;
  name: string;
  link: string;
  validHours: number;
  inviter: string;
  context: string;
}): Mail {
  const text = [
    `Hallo ${name},`,
    "",
    `${inviter} hat Sie zum Manage-Portal eingeladen (${context}).`,
    `Über diesen Link legen Sie Ihr Passwort fest und nehmen die Einladung an (gültig für ${validHours} Stunden, nur einmal verwendbar):`,
    "",
    link,
    "",
    "Falls Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.",
    "",
    "Viele Grüße",
    "Ihr Manage-Portal-Team",
  ].join("\n");
  const html = `<p>Hallo ${escapeHtml(name)},</p>
<p>${escapeHtml(inviter)} hat Sie zum Manage-Portal eingeladen (${escapeHtml(context)}).</p>
<p><a href="${escapeHtml(link)}">Einladung annehmen und Passwort festlegen</a> (gültig für ${validHours} Stunden, nur einmal verwendbar)</p>
<p>Falls Sie diese Einladung nicht erwartet haben, können Sie diese E-Mail ignorieren.</p>`;
  return { to, subject: "Einladung zum Manage-Portal", text, html, secrets: [link] };
}
