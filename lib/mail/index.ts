import { desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import { config } from "@/lib/config";

export type MailAttachment = { filename: string; content: Buffer; contentType: string };
export type Mail = { to: string; subject: string; text: string; html?: string; attachments?: MailAttachment[] };

/**
 * Sends a mail through Resend in production; in development and tests it is
 * captured in the outbox table, where tests and the dev outbox page read it.
 */
export async function sendMail(mail: Mail): Promise<void> {
  const cfg = config();
  if (cfg.mailTransport === "resend") {
    const { Resend } = await import("resend");
    const resend = new Resend(cfg.RESEND_API_KEY);
    const { error } = await resend.emails.send({
      from: cfg.MAIL_FROM,
      to: mail.to,
      subject: mail.subject,
      text: mail.text,
      html: mail.html,
      attachments: mail.attachments?.map((a) => ({ filename: a.filename, content: a.content, contentType: a.contentType })),
    });
    if (error) throw new Error(`Mailversand fehlgeschlagen: ${error.name}`);
    return;
  }
  const db = await getDb();
  await db.insert(mailOutbox).values({
    to: mail.to,
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    attachments: mail.attachments?.map((a) => ({ filename: a.filename, contentType: a.contentType, size: a.content.length })),
  });
}

/** The captured mails, newest first (development and tests only). */
export async function readOutbox(to?: string, limit = 50) {
  const db = await getDb();
  const query = db.select().from(mailOutbox).orderBy(desc(mailOutbox.id)).limit(limit);
  return to ? query.where(eq(mailOutbox.to, to.toLowerCase())) : query;
}
