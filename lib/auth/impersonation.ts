import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { instances, staffImpersonations } from "@/db/schema";
import { recordActivity } from "@/lib/activity";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import type { DbOrTx } from "@/db/types";
import type { AuthActor, NoInput, Principal } from "@/lib/auth/principal";
import { apiTimestamp } from "@/lib/time";
import { ConflictError, ForbiddenError, NotFoundError } from "@/lib/errors";

export const READ_ONLY_MESSAGE =
  "Nur-Lese-Ansicht: In der „Ansicht als Kunde“ sind keine Änderungen möglich. Beenden Sie die Kundenansicht, um zu handeln.";

export type Impersonation = { instanceId: number; startedAt: Date; companyName: string; name: string };

/** The customer instance a staff session currently views read-only, if any. */
export async function activeImpersonation(principal: Pick<Principal, "staff" | "sessionId">, tx?: DbOrTx): Promise<Impersonation | null> {
  if (!principal.staff || !principal.sessionId) return null;
  const db = tx ?? (await getDb());
  const [row] = await db
    .select({
      instanceId: staffImpersonations.instanceId,
      startedAt: staffImpersonations.startedAt,
      companyName: instances.companyName,
      name: instances.name,
    })
    .from(staffImpersonations)
    .innerJoin(instances, eq(instances.id, staffImpersonations.instanceId))
    .where(eq(staffImpersonations.sessionId, principal.sessionId))
    .limit(1);
  return row ?? null;
}

export function presentImpersonation(imp: Impersonation | null) {
  if (!imp) return null;
  return {
    instance_id: imp.instanceId,
    instance_name: imp.name,
    company_name: imp.companyName,
    started_at: apiTimestamp(imp.startedAt),
    read_only: true,
  };
}

/** Starts (or switches) the read-only customer view of this staff session; logged in the instance. */
export async function startImpersonation(actor: AuthActor, input: { instanceId: number }, options?: CommandOptions) {
  const { principal } = actor;
  const { instanceId } = input;
  if (!principal.sessionId) throw new ForbiddenError("Die Kundenansicht braucht eine Sitzung.");
  const sessionId = principal.sessionId;
  return inTransaction(options, async (tx) => {
    const [instance] = await tx.select().from(instances).where(eq(instances.id, instanceId));
    if (!instance) throw new NotFoundError("Instanz nicht gefunden.");
    const previous = await activeImpersonation(principal, tx);
    await tx
      .insert(staffImpersonations)
      .values({ sessionId, userId: principal.userId, instanceId })
      .onConflictDoUpdate({ target: staffImpersonations.sessionId, set: { instanceId, startedAt: new Date() } });
    if (previous && previous.instanceId !== instanceId) await logEnd(tx, actor, previous);
    if (!previous || previous.instanceId !== instanceId) {
      await recordActivity(tx, actor, {
        instanceId,
        action: "admin.impersonation_started",
        description: "Ansicht als Kunde (nur lesen) geöffnet",
      });
    }
    return presentImpersonation((await activeImpersonation(principal, tx))!)!;
  });
}

export async function stopImpersonation(actor: AuthActor, _input: NoInput = {}, options?: CommandOptions) {
  const { principal } = actor;
  return inTransaction(options, async (tx) => {
    const current = await activeImpersonation(principal, tx);
    if (!current || !principal.sessionId) throw new ConflictError("Es ist keine Kundenansicht aktiv.");
    const sessionId = principal.sessionId;
    const deleted = await tx
      .delete(staffImpersonations)
      .where(eq(staffImpersonations.sessionId, sessionId))
      .returning({ instanceId: staffImpersonations.instanceId });
    if (deleted.length > 0) await logEnd(tx, actor, current);
    return { message: "Kundenansicht beendet.", instance_id: current.instanceId };
  });
}

async function logEnd(tx: DbOrTx, actor: AuthActor, imp: Impersonation) {
  await recordActivity(tx, actor, {
    instanceId: imp.instanceId,
    action: "admin.impersonation_ended",
    description: "Ansicht als Kunde beendet",
  });
}
