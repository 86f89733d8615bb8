/**
 * Delivering the outbox. Any number of workers may run this at once: rows are
 * claimed with `FOR UPDATE SKIP LOCKED` and leased (`locked_until`); a worker
 * that dies mid-send leaves a lease that expires, and the next attempt reuses
 * the same idempotency key, so the provider sends the mail at most once.
 * Failures back off exponentially; after the last attempt the mail is
 * `failed`, shown to staff, who can queue it again (`requeueMail`).
 */
import { and, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { resultRows, type DbOrTx } from "@/db/types";
import { mailOutbox } from "@/db/schema";
import { NotFoundError, ConflictError } from "@/lib/errors";
import { deliver, MailDeliveryError } from "./transport";
import { keepSecretsAfterSend, restoreSecrets } from "./secrets";

export const MAIL_MAX_ATTEMPTS = 8;
/** How long a claimed mail stays with its worker; after that a crashed send is retried. MAIL_LEASE_SECONDS shortens it in the multi-process test. */
const LEASE_SECONDS = Number(process.env.MAIL_LEASE_SECONDS) || 120;

/** Seconds to wait before attempt `n + 1` after `n` failed attempts: 30 s, 1 min, 2 min, … capped at 1 h. */
export function backoffSeconds(failedAttempts: number) {
  return Math.min(3600, 30 * 2 ** Math.max(0, failedAttempts - 1));
}

type Claimed = typeof mailOutbox.$inferSelect;

async function claimDue(limit: number): Promise<Claimed[]> {
  const db = await getDb();
  const result = await db.execute(sql`
    update mail_outbox set status = 'sending', attempts = attempts + 1,
      locked_until = now() + make_interval(secs => ${LEASE_SECONDS})
    where id in (
      select id from mail_outbox
      where (status = 'queued' and next_attempt_at <= now()) or (status = 'sending' and locked_until < now())
      order by id limit ${limit} for update skip locked)
    returning id`);
  const claimedIds = resultRows<{ id: number }>(result).map((r) => r.id);
  if (claimedIds.length === 0) return [];
  return db.select().from(mailOutbox).where(inArray(mailOutbox.id, claimedIds)).orderBy(mailOutbox.id);
}

export type DeliveryRun = { sent: number; retried: number; failed: number };

/** Delivers up to `limit` due mails; returns what happened (for job logs and metrics). */
export async function deliverDueMails(limit = 50, onFailure?: (error: string) => void): Promise<DeliveryRun> {
  const db = await getDb();
  const run: DeliveryRun = { sent: 0, retried: 0, failed: 0 };
  for (const row of await claimDue(limit)) {
    try {
      const full = restoreSecrets(row.subject, row.text, row.html, row.secretsSealed);
      const result = await deliver({
        to: row.to,
        subject: full.subject,
        text: full.text,
        html: full.html,
        attachments: row.attachments,
        idempotencyKey: row.idempotencyKey ?? `mail-${row.id}`,
      });
      await db
        .update(mailOutbox)
        .set({
          status: "sent",
          sentAt: new Date(),
          lockedUntil: null,
          lastError: null,
          providerMessageId: result.providerMessageId,
          ...(keepSecretsAfterSend() ? {} : { secretsSealed: null }),
        })
        .where(eq(mailOutbox.id, row.id));
      run.sent++;
    } catch (error) {
      const message = error instanceof Error ? error.message.slice(0, 500) : "Unbekannter Fehler";
      const final = (error instanceof MailDeliveryError && error.permanent) || row.attempts >= MAIL_MAX_ATTEMPTS;
      await db
        .update(mailOutbox)
        .set({
          status: final ? "failed" : "queued",
          lockedUntil: null,
          lastError: message,
          nextAttemptAt: new Date(Date.now() + backoffSeconds(row.attempts) * 1000),
        })
        .where(eq(mailOutbox.id, row.id));
      if (final) run.failed++;
      else run.retried++;
      onFailure?.(message);
    }
  }
  return run;
}

/** Staff: queue a failed mail again (same idempotency key: a mail the provider did accept is not sent twice). */
export async function requeueMail(id: number, db?: DbOrTx) {
  db ??= await getDb();
  const [row] = await db
    .update(mailOutbox)
    .set({ status: "queued", attempts: 0, nextAttemptAt: new Date(), lastError: null })
    .where(and(eq(mailOutbox.id, id), eq(mailOutbox.status, "failed")))
    .returning({ id: mailOutbox.id });
  if (row) return { id: row.id, status: "queued" as const };
  const [exists] = await db.select({ id: mailOutbox.id }).from(mailOutbox).where(eq(mailOutbox.id, id));
  if (!exists) throw new NotFoundError("Mail nicht gefunden.");
  throw new ConflictError("Nur fehlgeschlagene Mails können erneut gesendet werden.");
}
