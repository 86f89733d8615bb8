/**
 * The dunning run: `runDunning(now)` looks at every open invoice past its due
 * date and takes the steps that are due, once each.
 *
 * - Stages count days after the due date (settings: reminder 7, 1st dunning
 *   14, 2nd dunning 21 with an optional fee). An invoice gets the highest
 *   stage it has reached and no lower one later: after a pause or a stopped
 *   worker the customer receives the current letter, not three at once.
 * - Each step is a row in `dunning_notices` (primary key invoice + stage),
 *   inserted in the transaction that queues its mails (idempotency key per
 *   invoice, stage and recipient) and writes the activity entry. A retried or
 *   concurrent run inserts nothing and mails nothing.
 * - A payment stops dunning by itself: a paid invoice is no longer open.
 * - After `suspend_after_days` the instance is suspended through the instance
 *   command (system actor "Mahnwesen"), remembered in `dunning_suspensions`,
 *   and billing goes to `past_due`. Every invoice causes at most one
 *   suspension, so a suspension that staff lift stays lifted.
 * - Reactivation: a suspension that dunning set (and only while it is still
 *   the same suspension) is lifted as soon as no open invoice is overdue; the
 *   customer admins get a mail. A suspension set by staff is never lifted.
 * - Paused instances (staff, with a note) get no mails and no suspension;
 *   reactivation still happens.
 * - Suspending and recording the suspension (notices, `dunning_suspensions`,
 *   billing status, mails) are one transaction: the instance command joins it
 *   (`options.tx`), so a crash leaves either all of it or nothing, and the next
 *   run tries again. Lifting a suspension is one transaction the same way.
 */
import { addDays, daysBetween, todayIsoDate } from "@/lib/time";
import { and, eq, inArray } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx, Tx } from "@/db/types";
import { billing, dunningNotices, dunningPauses, dunningSuspensions, instances } from "@/db/schema";
import { recordActivity, systemActor, type Actor } from "@/lib/activity";
import { billingClock } from "@/lib/billing/clock";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { reactivateInstance, suspendInstance } from "@/lib/instances/commands";

import { currentIssuer } from "@/lib/invoices/issuer-config";
import { customerAdmins } from "@/lib/invoices/mail";
import { getInvoicePdfForStaff } from "@/lib/invoices/pdf-archive";
import { enqueueMail, type MailAttachment } from "@/lib/mail";
import { formatEuro } from "@/lib/money";
import { openInvoices, type OpenInvoiceRow } from "./invoices";
import { STAGE_TITLES, renderDunningLetter, type DunningStage, type LetterData } from "./letter";
import { reactivatedMail, stageMail, suspendedMail } from "./mail";
import { loadDunningSettings, type DunningSettingsValues } from "./settings";

const actor = systemActor("dunning");
const STAGES: DunningStage[] = ["reminder", "dunning_1", "dunning_2"];
const STAGE_ACTIONS = { reminder: "dunning.reminder_sent", dunning_1: "dunning.dunning_1_sent", dunning_2: "dunning.dunning_2_sent" } as const;
type NoticeStage = (typeof dunningNotices.$inferSelect)["stage"];

export type DunningRunResult = { date: string; notices: { invoice_number: string; stage: DunningStage }[]; suspended: string[]; reactivated: string[] };

export function suspensionReason(days: number) {
  return `Offene Rechnungen seit über ${days} Tagen`;
}

function stageDays(settings: DunningSettingsValues, stage: DunningStage) {
  return stage === "reminder" ? settings.reminderDays : stage === "dunning_1" ? settings.dunning1Days : settings.dunning2Days;
}

/** The stage an invoice `overdueDays` past due should have received by now, or null. */
export function dueStage(settings: DunningSettingsValues, overdueDays: number): DunningStage | null {
  let stage: DunningStage | null = null;
  for (const s of STAGES) if (overdueDays >= stageDays(settings, s)) stage = s;
  return stage;
}

async function invoicePdfs(rows: OpenInvoiceRow[], db?: DbOrTx): Promise<MailAttachment[]> {
  const files: MailAttachment[] = [];
  for (const row of rows) {
    const pdf = await getInvoicePdfForStaff(row.id, db);
    files.push({ filename: pdf.filename, content: pdf.bytes, contentType: "application/pdf" });
  }
  return files;
}

/** `options.tx`: "Jetzt mahnen" inside a caller's transaction; the run sends each stage in a transaction of its own. */
async function sendStage(invoice: OpenInvoiceRow, stage: DunningStage, overdue: OpenInvoiceRow[], settings: DunningSettingsValues, today: string, by: Actor = actor, options?: CommandOptions) {
  const listed = [invoice, ...overdue.filter((o) => o.id !== invoice.id)];
  const letter: LetterData = {
    stage,
    letterDate: today,
    recipient: invoice.recipient,
    invoices: listed.map((o) => ({ number: o.invoiceNumber, invoiceDate: o.invoiceDate, dueDate: o.dueDate!, openCents: o.openCents })),
    feeCents: stage === "dunning_2" ? settings.dunning2FeeCents : 0,
    payUntil: addDays(today, 7),
  };
  const pdf = await renderDunningLetter(letter, currentIssuer());
  const attachments = [
    { filename: `${STAGE_TITLES[stage].replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "")}-${invoice.invoiceNumber}.pdf`, content: pdf, contentType: "application/pdf" },
    ...(await invoicePdfs(listed, options?.tx)),
  ];
  const recipients = await customerAdmins(invoice.instanceId, options?.tx);
  return inTransaction(options, async (tx) => {
    const [claimed] = await tx
      .insert(dunningNotices)
      .values({ invoiceId: invoice.id, stage, instanceId: invoice.instanceId, noticeDate: today, feeCents: letter.feeCents, openCents: invoice.openCents, mailCount: recipients.length })
      .onConflictDoNothing()
      .returning();
    if (!claimed) return false;
    for (const r of recipients) {
      await enqueueMail(tx, stageMail({ to: r.email, name: r.name, letter, attachments }), `dunning:${invoice.id}:${stage}:${r.email.toLowerCase()}`);
    }
    await recordActivity(tx, by, {
      instanceId: invoice.instanceId,
      action: STAGE_ACTIONS[stage],
      description: `${STAGE_TITLES[stage]} zu Rechnung ${invoice.invoiceNumber} versendet (offen: ${formatEuro(invoice.openCents)}${letter.feeCents > 0 ? `, Mahngebühr ${formatEuro(letter.feeCents)}` : ""})`,
      metadata: { invoice_id: invoice.id, invoice_number: invoice.invoiceNumber, stage, fee_cents: letter.feeCents, recipients: recipients.map((r) => r.email) },
    });
    return true;
  });
}

async function suspend(instanceId: number, crossing: OpenInvoiceRow[], overdue: OpenInvoiceRow[], settings: DunningSettingsValues, today: string) {
  const db = await getDb();
  const [instance] = await db.select({ suspended: instances.suspended }).from(instances).where(eq(instances.id, instanceId));
  const mayRender = instance !== undefined && !instance.suspended;
  // PDFs and recipients are read before the transaction (rendering is slow); unused if staff suspend meanwhile.
  const attachments = mayRender ? await invoicePdfs(overdue) : [];
  const admins = mayRender ? await customerAdmins(instanceId) : [];
  const openCents = overdue.reduce((sum, o) => sum + o.openCents, 0);
  return db.transaction(async (tx) => {
    let suspendedAt: Date | null = null;
    if (mayRender) {
      try {
        suspendedAt = (await suspendInstance(actor, { instanceId, reason: suspensionReason(settings.suspendAfterDays) }, { tx })).suspendedAt;
      } catch (error) {
        if (!(error instanceof ConflictError)) throw error; // suspended meanwhile (by staff): theirs
      }
    }
    const recipients = suspendedAt ? admins : [];
    await tx
      .insert(dunningNotices)
      .values(crossing.map((o) => ({ invoiceId: o.id, stage: "suspension" as NoticeStage, instanceId, noticeDate: today, openCents: o.openCents, mailCount: recipients.length })))
      .onConflictDoNothing();
    await tx.update(billing).set({ status: "past_due", updatedAt: new Date() }).where(eq(billing.instanceId, instanceId));
    if (!suspendedAt) return false;
    await tx.insert(dunningSuspensions).values({ instanceId, suspendedAt }).onConflictDoUpdate({ target: dunningSuspensions.instanceId, set: { suspendedAt, createdAt: new Date() } });
    for (const r of recipients) {
      await enqueueMail(
        tx,
        suspendedMail({ to: r.email, name: r.name, days: settings.suspendAfterDays, openCents, attachments }),
        `dunning:suspended:${instanceId}:${suspendedAt.getTime()}:${r.email.toLowerCase()}`,
      );
    }
    return true;
  });
}

/**
 * Lifts the dunning suspension of one instance inside the caller's transaction when no open
 * invoice of it is overdue any more: the instance command, the suspension's row, billing back
 * to active and the reactivation mail commit with the payment that settled it. A suspension
 * staff set (or lifted and set again) is not dunning's and stays. Returns whether it lifted.
 */
export async function liftPaidSuspension(tx: Tx, instanceId: number, today: string = todayIsoDate(billingClock.now())): Promise<boolean> {
  const [row] = await tx
    .select({ ownedAt: dunningSuspensions.suspendedAt, suspended: instances.suspended, suspendedAt: instances.suspendedAt })
    .from(dunningSuspensions)
    .innerJoin(instances, eq(instances.id, dunningSuspensions.instanceId))
    .where(eq(dunningSuspensions.instanceId, instanceId))
    .for("update");
  if (!row) return false;
  const forget = and(eq(dunningSuspensions.instanceId, instanceId), eq(dunningSuspensions.suspendedAt, row.ownedAt));
  if (!row.suspended || row.suspendedAt?.getTime() !== row.ownedAt.getTime()) {
    await tx.delete(dunningSuspensions).where(forget); // lifted or replaced by staff: not ours any more
    return false;
  }
  if ((await openInvoices(tx, { instanceId, dueBefore: today })).length > 0) return false;
  try {
    await reactivateInstance(actor, { instanceId, note: "Alle überfälligen Rechnungen sind bezahlt." }, { tx });
  } catch (error) {
    if (error instanceof ConflictError) return false;
    throw error;
  }
  await tx.delete(dunningSuspensions).where(forget);
  await tx.update(billing).set({ status: "active", updatedAt: new Date() }).where(and(eq(billing.instanceId, instanceId), eq(billing.status, "past_due")));
  for (const r of await customerAdmins(instanceId, tx)) {
    await enqueueMail(tx, reactivatedMail({ to: r.email, name: r.name }), `dunning:reactivated:${instanceId}:${row.ownedAt.getTime()}:${r.email.toLowerCase()}`);
  }
  return true;
}

/**
 * Lifts the suspensions dunning set whose instance has no overdue invoice left. Part of every
 * dunning run (a payment booked through the bank import or by hand lifts it at once, too).
 */
export async function reactivatePaid(today: string = todayIsoDate(billingClock.now())): Promise<string[]> {
  const db = await getDb();
  const owned = await db.select({ instanceId: dunningSuspensions.instanceId, name: instances.name }).from(dunningSuspensions).innerJoin(instances, eq(instances.id, dunningSuspensions.instanceId));
  const reactivated: string[] = [];
  for (const row of owned) {
    if (await db.transaction((tx) => liftPaidSuspension(tx, row.instanceId, today))) reactivated.push(row.name);
  }
  return reactivated;
}

/**
 * "Jetzt mahnen": staff send the next letter for an instance now instead of waiting for its day.
 * The letter goes for the overdue invoice furthest along (the oldest on a tie): the stage after the
 * highest it received, never the suspension. The same ledger row as the run (primary key invoice
 * + stage) keeps it once; the daily run then never sends that stage or a lower one again.
 * 409 when nothing is overdue, dunning is paused or the last letter was sent. `options.tx` joins a
 * caller's transaction: the reads, the letter's ledger row, its mails and activity entry all use it.
 */
export async function sendDunningNow(actor: Actor, input: { instanceId: number }, options?: CommandOptions) {
  const db = options?.tx ?? (await getDb());
  const [instance] = await db.select({ id: instances.id }).from(instances).where(eq(instances.id, input.instanceId));
  if (!instance) throw new NotFoundError("Instanz nicht gefunden.");
  const [paused] = await db.select({ note: dunningPauses.note }).from(dunningPauses).where(eq(dunningPauses.instanceId, input.instanceId));
  if (paused) throw new ConflictError(`Das Mahnwesen ist für diese Instanz pausiert (${paused.note}). Bitte zuerst fortsetzen.`);
  const today = todayIsoDate(billingClock.now());
  const own = await openInvoices(db, { instanceId: input.instanceId, dueBefore: today });
  if (own.length === 0) throw new ConflictError("Diese Instanz hat keine überfällige Rechnung.");
  const sent = await db.select({ invoiceId: dunningNotices.invoiceId, stage: dunningNotices.stage }).from(dunningNotices).where(inArray(dunningNotices.invoiceId, own.map((o) => o.id)));
  const highest = (id: number) => Math.max(-1, ...sent.filter((s) => s.invoiceId === id && s.stage !== "suspension").map((s) => STAGES.indexOf(s.stage as DunningStage)));
  const target = [...own].sort((a, b) => highest(b.id) - highest(a.id) || a.dueDate!.localeCompare(b.dueDate!) || a.id - b.id).find((o) => highest(o.id) < STAGES.length - 1);
  if (!target) throw new ConflictError("Die letzte Mahnstufe (2. Mahnung) ist für alle überfälligen Rechnungen bereits versendet.");
  const stage = STAGES[highest(target.id) + 1]!;
  const settings = await loadDunningSettings(db);
  if (!(await sendStage(target, stage, own, settings, today, actor, options))) throw new ConflictError("Diese Mahnstufe wurde gerade eben schon versendet.");
  return { invoice_number: target.invoiceNumber, stage, stage_label: STAGE_TITLES[stage] };
}

export async function runDunning(now: Date = billingClock.now()): Promise<DunningRunResult> {
  const today = todayIsoDate(now);
  const db = await getDb();
  const settings = await loadDunningSettings(db);
  const result: DunningRunResult = { date: today, notices: [], suspended: [], reactivated: [] };

  if (settings.enabled) {
    const overdue = await openInvoices(db, { dueBefore: today });
    const instanceIds = [...new Set(overdue.map((o) => o.instanceId))];
    const paused = new Set(
      instanceIds.length ? (await db.select({ id: dunningPauses.instanceId }).from(dunningPauses).where(inArray(dunningPauses.instanceId, instanceIds))).map((r) => r.id) : [],
    );
    const done = new Map<number, Set<NoticeStage>>();
    if (overdue.length) {
      const rows = await db.select({ invoiceId: dunningNotices.invoiceId, stage: dunningNotices.stage }).from(dunningNotices).where(inArray(dunningNotices.invoiceId, overdue.map((o) => o.id)));
      for (const r of rows) done.set(r.invoiceId, (done.get(r.invoiceId) ?? new Set()).add(r.stage));
    }
    const names = new Map(
      instanceIds.length ? (await db.select({ id: instances.id, name: instances.name }).from(instances).where(inArray(instances.id, instanceIds))).map((r) => [r.id, r.name]) : [],
    );

    for (const instanceId of instanceIds) {
      if (paused.has(instanceId)) continue;
      const own = overdue.filter((o) => o.instanceId === instanceId);
      for (const invoice of own) {
        const stage = dueStage(settings, daysBetween(invoice.dueDate!, today));
        const sent = done.get(invoice.id) ?? new Set();
        if (!stage || STAGES.slice(STAGES.indexOf(stage)).some((s) => sent.has(s))) continue;
        if (await sendStage(invoice, stage, own, settings, today)) result.notices.push({ invoice_number: invoice.invoiceNumber, stage });
      }
      const crossing = own.filter((o) => daysBetween(o.dueDate!, today) >= settings.suspendAfterDays && !done.get(o.id)?.has("suspension"));
      if (crossing.length > 0 && (await suspend(instanceId, crossing, own, settings, today))) result.suspended.push(names.get(instanceId) ?? String(instanceId));
    }
  }

  result.reactivated = await reactivatePaid(today);
  return result;
}
