/**
 * Secrets in mails (reset and invitation links, sign-in and set-up codes) are
 * never stored or shown in the clear. `enqueueMail` replaces each secret in
 * the subject, text and HTML with a numbered note and keeps the secrets sealed
 * (`lib/crypto/seal.ts`) in `mail_outbox.secrets_sealed`; only the delivery
 * puts them back, for the transport. Once a mail is sent the sealed secrets
 * are deleted, so the row is a redacted copy for good — the staff mail view
 * (and anyone reading the table) sees the note, never a working link or code.
 *
 * The one exception is the local capture of development and tests
 * (`MAIL_TRANSPORT=outbox` outside production): there the outbox row *is* the
 * delivered mail, so the sealed secrets stay and `readOutbox` (dev outbox,
 * tests) shows the full mail. In production with `MAIL_TRANSPORT=outbox`
 * nothing is delivered and the secrets are dropped at "delivery" like after
 * a real send: links and codes simply never reach anyone.
 */
import { config } from "@/lib/config";
import { seal, unseal } from "@/lib/crypto/seal";
import { escapeHtml } from "./html";

const INFO = "manage-portal/mail-secrets/v1";

export function secretNote(index: number): string {
  return `[Link/Code ${index + 1} entfernt – steht nur in der zugestellten Mail]`;
}

/** The stored form of a mail: secrets replaced by notes, the secrets sealed (or null when there are none). */
export function redactSecrets(subject: string, text: string, html: string | undefined | null, secrets: string[] | undefined) {
  const list = (secrets ?? []).filter((s) => s.length > 0);
  if (list.length === 0) return { subject, text, html: html ?? null, sealed: null };
  let s = subject;
  let t = text;
  let h = html ?? null;
  // Longest first, so a code that is part of a link does not split the link.
  const order = list.map((secret, index) => ({ secret, index })).sort((a, b) => b.secret.length - a.secret.length);
  for (const { secret, index } of order) {
    s = s.split(secret).join(secretNote(index));
    t = t.split(secret).join(secretNote(index));
    if (h !== null) h = h.split(escapeHtml(secret)).join(secretNote(index)).split(secret).join(secretNote(index));
  }
  return { subject: s, text: t, html: h, sealed: seal(JSON.stringify(list), INFO) };
}

/** The mail as the transport must get it: the notes replaced by the secrets again. */
export function restoreSecrets(subject: string, text: string, html: string | null, sealed: string | null) {
  if (!sealed) return { subject, text, html };
  const list = JSON.parse(unseal(sealed, INFO)) as string[];
  let s = subject;
  let t = text;
  let h = html;
  list.forEach((secret, index) => {
    s = s.split(secretNote(index)).join(secret);
    t = t.split(secretNote(index)).join(secret);
    if (h !== null) h = h.split(secretNote(index)).join(escapeHtml(secret));
  });
  return { subject: s, text: t, html: h };
}

/** Whether a sent mail keeps its sealed secrets: only in the local capture outside production. */
export function keepSecretsAfterSend(): boolean {
  const cfg = config();
  return cfg.mailTransport === "outbox" && cfg.devTools;
}
