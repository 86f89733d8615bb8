/** Staff pause dunning per instance (with a note) and see the instance's dunning state; commands `(actor, input, options?)`. */
import { desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import { dunningNotices, dunningPauses, instances, invoices } from "@/db/schema";
import { actorUserId, recordActivity, type Actor } from "@/lib/activity";
import { ConflictError, NotFoundError } from "@/lib/errors";
import { formatEuro } from "@/lib/money";
import { apiTimestamp } from "@/lib/time";
import { STAGE_TITLES } from "./letter";
import { dunningOutlook } from "./outlook";
import { suspendedByDunning } from "./payment-info";

const NOT_FOUND = "Instanz nicht gefunden.";
const STAGE_LABELS = { ...STAGE_TITLES, suspension: "Sperre" } as const;

async function assertInstance(db: DbOrTx, instanceId: number) {
  const [row] = await db.select({ id: instances.id }).from(instances).where(eq(instances.id, instanceId));
  if (!row) throw new NotFoundError(NOT_FOUND);
}

/**
 * GET …/dunning-pause: pause, whether the current suspension came from dunning, and the last steps.
 * `db`: a caller's transaction, so a command that joined it shows what it wrote before the commit.
 */
export async function getDunningState(instanceId: number, db?: DbOrTx) {
  db ??= await getDb();
  await assertInstance(db, instanceId);
  const [pause] = await db.select().from(dunningPauses).where(eq(dunningPauses.instanceId, instanceId));
  const notices = await db
    .select({ stage: dunningNotices.stage, date: dunningNotices.noticeDate, feeCents: dunningNotices.feeCents, openCents: dunningNotices.openCents, number: invoices.invoiceNumber })
    .from(dunningNotices)
    .innerJoin(invoices, eq(invoices.id, dunningNotices.invoiceId))
    .where(eq(dunningNotices.instanceId, instanceId))
    .orderBy(desc(dunningNotices.createdAt))
    .limit(20);
  return {
    paused: Boolean(pause),
    note: pause?.note ?? null,
    paused_by: pause?.pausedByName ?? null,
    paused_at: apiTimestamp(pause?.createdAt),
    suspended_by_dunning: await suspendedByDunning(instanceId, db),
    /** Stage reached, next step and its date, the overdue invoices (lib/dunning/outlook.ts). */
    ...(await dunningOutlook(db, instanceId)),
    notices: notices.map((n) => ({
      invoice_number: n.number,
      stage: n.stage,
      stage_label: STAGE_LABELS[n.stage],
      date: n.date,
      open_amount_formatted: formatEuro(n.openCents),
      fee_formatted: n.feeCents > 0 ? formatEuro(n.feeCents) : null,
    })),
  };
}

/** Pauses dunning of an instance with a note; 409 when it is paused already. */
export async function pauseDunning(actor: Actor, input: { instanceId: number; note: string }, options?: CommandOptions) {
  const { instanceId, note } = input;
  await assertInstance(options?.tx ?? (await getDb()), instanceId);
  await inTransaction(options, async (tx) => {
    const [row] = await tx
      .insert(dunningPauses)
      .values({ instanceId, note, pausedBy: actorUserId(actor), pausedByName: actor.kind === "user" ? actor.principal.name : actor.kind === "system" ? actor.name : null })
      .onConflictDoNothing()
      .returning();
    if (!row) throw new ConflictError("Das Mahnwesen ist für diese Instanz bereits pausiert.");
    await recordActivity(tx, actor, { instanceId, action: "dunning.paused", description: `Mahnwesen pausiert. Notiz: ${note}`, metadata: { note } });
  });
  return getDunningState(instanceId, options?.tx);
}

/** Lifts the pause; 409 when dunning is not paused. */
export async function resumeDunning(actor: Actor, input: { instanceId: number }, options?: CommandOptions) {
  const { instanceId } = input;
  await assertInstance(options?.tx ?? (await getDb()), instanceId);
  await inTransaction(options, async (tx) => {
    const [row] = await tx.delete(dunningPauses).where(eq(dunningPauses.instanceId, instanceId)).returning();
    if (!row) throw new ConflictError("Das Mahnwesen ist für diese Instanz nicht pausiert.");
    await recordActivity(tx, actor, { instanceId, action: "dunning.resumed" });
  });
  return getDunningState(instanceId, options?.tx);
}
