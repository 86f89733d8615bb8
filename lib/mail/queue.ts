/**
 * Writing mail: `enqueueMail(tx, mail, key)` puts a mail into the outbox in the
 * transaction of the change that causes it, so a rolled-back change sends
 * nothing and a committed one is never lost. Delivery is `deliverDueMails`
 * (lib/mail/deliver.ts), run by the `mail-delivery` job.
 */
import { randomUUID } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import type { DbOrTx } from "@/db/types";
import { mailOutbox } from "@/db/schema";
import { redactSecrets, restoreSecrets } from "./secrets";

export type MailAttachment = { filename: string; content: Buffer; contentType: string };
/** `secrets`: links and codes in `text`/`html` that are stored and shown only as a note (lib/mail/secrets.ts). */
export type Mail = { to: string; subject: string; text: string; html?: string; attachments?: MailAttachment[]; secrets?: string[] };

/**
 * Queues a mail. `key` makes the enqueue idempotent (a retried job that
 * queues the same mail again adds nothing) and is sent to the provider as
 * its idempotency key; without one a random key is used.
 * Returns the outbox id, or null when a mail with that key already exists.
 */
export async function enqueueMail(tx: DbOrTx, mail: Mail, key?: string): Promise<number | null> {
  const stored = redactSecrets(mail.subject, mail.text, mail.html, mail.secrets);
  const rows = await tx
    .insert(mailOutbox)
    .values({
      to: mail.to.toLowerCase(),
      subject: stored.subject,
      text: stored.text,
      html: stored.html,
      secretsSealed: stored.sealed,
      attachments: mail.attachments?.map((a) => ({
        filename: a.filename,
        contentType: a.contentType,
        size: a.content.length,
        content: a.content.toString("base64"),
      })),
      idempotencyKey: key ?? `mail-${randomUUID()}`,
    })
    .onConflictDoNothing({ target: mailOutbox.idempotencyKey })
    .returning({ id: mailOutbox.id });
  return rows[0]?.id ?? null;
}

/** Queues a mail on its own (no change to join). Prefer `enqueueMail(tx, …)` inside the command's transaction. */
export async function sendMail(mail: Mail, key?: string): Promise<void> {
  await enqueueMail(await getDb(), mail, key);
}

const readColumns = {
  id: mailOutbox.id,
  to: mailOutbox.to,
  subject: mailOutbox.subject,
  text: mailOutbox.text,
  html: mailOutbox.html,
  attachments: sql<{ filename: string; contentType: string; size: number }[] | null>`(
    select jsonb_agg(a - 'content') from jsonb_array_elements(${mailOutbox.attachments}) a)`,
  secretsSealed: mailOutbox.secretsSealed,
  status: mailOutbox.status,
  attempts: mailOutbox.attempts,
  lastError: mailOutbox.lastError,
  sentAt: mailOutbox.sentAt,
  createdAt: mailOutbox.createdAt,
};

/**
 * Mails in the outbox, newest first, without attachment bytes: the local
 * capture of development and tests (dev outbox page, tests), with links and
 * codes as delivered. In production they are gone once sent.
 */
export async function readOutbox(to?: string, limit = 50) {
  const db = await getDb();
  const query = db.select(readColumns).from(mailOutbox).orderBy(desc(mailOutbox.id)).limit(limit);
  const rows = await (to ? query.where(eq(mailOutbox.to, to.toLowerCase())) : query);
  return rows.map(({ secretsSealed, ...row }) => ({ ...row, ...restoreSecrets(row.subject, row.text, row.html, secretsSealed) }));
}
