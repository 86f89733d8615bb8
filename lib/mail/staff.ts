/**
 * The staff view of the outbox: what was sent, what waits for a retry and
 * what failed for good (with the provider's error), and queuing a failed mail
 * again. Links and codes are stored redacted (lib/mail/secrets.ts), so this
 * view never shows a working reset link or 2FA code — not even to staff, and
 * not with `MAIL_TRANSPORT=outbox` in production. Queuing a failed mail again
 * sends its sealed link or code to the mail's own recipient and answers with
 * nothing of it.
 */
import { and, count, desc, eq, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { mailOutbox } from "@/db/schema";
import type { DbOrTx } from "@/db/types";
import { paginationMeta } from "@/lib/activity";
import { apiTimestamp } from "@/lib/time";
import { z } from "@/lib/validation";
import { requeueMail } from "./deliver";

export const MAIL_STATUS_LABELS = { queued: "Wartet", sending: "Wird gesendet", sent: "Gesendet", failed: "Fehlgeschlagen" } as const;

export const listMailsQuery = z.object({
  status: z.enum(["queued", "sending", "sent", "failed"]).optional(),
  page: z.coerce.number().int().min(1).max(100_000).default(1),
  per_page: z.coerce.number().int().min(1).max(100).default(25),
});

export async function listMails(query: z.infer<typeof listMailsQuery>) {
  const db = await getDb();
  const where: SQL | undefined = query.status ? eq(mailOutbox.status, query.status) : undefined;
  const [{ total }] = await db.select({ total: count() }).from(mailOutbox).where(where);
  const [{ failed }] = await db.select({ failed: count() }).from(mailOutbox).where(and(eq(mailOutbox.status, "failed")));
  const rows = await db
    .select({
      id: mailOutbox.id,
      to: mailOutbox.to,
      subject: mailOutbox.subject,
      text: mailOutbox.text,
      status: mailOutbox.status,
      attempts: mailOutbox.attempts,
      lastError: mailOutbox.lastError,
      nextAttemptAt: mailOutbox.nextAttemptAt,
      sentAt: mailOutbox.sentAt,
      createdAt: mailOutbox.createdAt,
    })
    .from(mailOutbox)
    .where(where)
    .orderBy(desc(mailOutbox.id))
    .limit(query.per_page)
    .offset((query.page - 1) * query.per_page);
  return {
    mails: rows.map((m) => ({
      id: m.id,
      to: m.to,
      subject: m.subject,
      text: m.text,
      status: m.status,
      status_label: MAIL_STATUS_LABELS[m.status],
      attempts: m.attempts,
      last_error: m.lastError,
      next_attempt_at: m.status === "queued" ? apiTimestamp(m.nextAttemptAt) : null,
      sent_at: apiTimestamp(m.sentAt),
      created_at: apiTimestamp(m.createdAt),
    })),
    failed_count: failed,
    meta: paginationMeta(query.page, query.per_page, total),
  };
}

export async function resendMail(id: number, db?: DbOrTx) {
  const result = await requeueMail(id, db);
  return { message: "Die Mail wird erneut gesendet.", mail: result };
}
