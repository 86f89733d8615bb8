import { escapeHtml } from "./html";
import type { Mail } from "./index";

export { escapeHtml };

export function passwordResetMail({ to, name, link, validMinutes }: { to: string; name: string; link: string; validMinutes: number }): Mail {
  const text = [
    `Hallo ${name},`,
    "",
    "Sie haben angefordert, Ihr Passwort für das Manage-Portal zurückzusetzen.",
    `Über diesen Link können Sie ein neues Passwort festlegen (gültig für ${validMinutes} Minuten, nur einmal verwendbar):`,
    "",
    link,
    "",
    "Falls Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren – Ihr Passwort bleibt unverändert.",
    "",
    "Viele Grüße",
    "Ihr Manage-Portal-Team",
  ].join("\n");
  const html = `<p>Hallo ${escapeHtml(name)},</p>
<p>Sie haben angefordert, Ihr Passwort für das Manage-Portal zurückzusetzen.</p>
<p><a href="${escapeHtml(link)}">Neues Passwort festlegen</a> (gültig für ${validMinutes} Minuten, nur einmal verwendbar)</p>
<p>Falls Sie das nicht angefordert haben, können Sie diese E-Mail ignorieren – Ihr Passwort bleibt unverändert.</p>`;
  return { to, subject: "Passwort zurücksetzen – Manage-Portal", text, html, secrets: [link] };
}

