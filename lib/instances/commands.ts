/**
 * Commands on an instance and its Hetzner server: suspend, reactivate, link,
 * unlink. Each exists once; the doors (manage admin API, API v1, staff UI,
 * background jobs) call it with `(actor, input, options?)` and shape the answer;
 * `options.tx` joins a caller's transaction (the dunning run suspends and
 * records its suspension in one).
 *
 * - Every change is a conditional update (`WHERE suspended = false …
 *   RETURNING`, a row lock on the server row), so two concurrent requests
 *   cannot both succeed: the second gets a 409.
 * - The activity entry is written in the same transaction as the change, with
 *   the same code, level and description whichever door the command came
 *   through; the actor columns say who (MSP staff are recorded as `staff`).
 * - Linking asks Hetzner first (outside the transaction) so only existing
 *   servers are linked, with their real IP, type and datacenter (with
 *   `options.tx` the caller's transaction stays open across that call); unlinking
 *   clears all of that, the Hetzner server itself is not touched.
 */
import { and, eq, ne, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { instances, servers } from "@/db/schema";
import type { Tx } from "@/db/types";
import { inTransaction, type CommandOptions } from "@/db/transaction";
import { recordActivity, type Actor } from "@/lib/activity";
import { ConflictError, NotFoundError, ValidationError } from "@/lib/errors";
import { describeHetznerServer } from "@/lib/servers/service";

export type InstanceRow = typeof instances.$inferSelect;
export type ServerRow = typeof servers.$inferSelect;

const NOT_FOUND = "Instanz nicht gefunden.";

/** Advisory lock namespace for linking: one Hetzner server id is linked by one transaction at a time. */
const LINK_LOCK = 720_401;

async function assertInstance(tx: Tx, instanceId: number) {
  const [row] = await tx.select({ id: instances.id }).from(instances).where(eq(instances.id, instanceId));
  if (!row) throw new NotFoundError(NOT_FOUND);
}

/** Suspends at once: every later request of the customer reads the row and is limited. */
export async function suspendInstance(actor: Actor, input: { instanceId: number; reason: string }, options?: CommandOptions): Promise<InstanceRow> {
  return inTransaction(options, async (tx) => {
    const now = new Date();
    const [updated] = await tx
      .update(instances)
      .set({ suspended: true, suspendedReason: input.reason, suspendedAt: now, updatedAt: now })
      .where(and(eq(instances.id, input.instanceId), eq(instances.suspended, false)))
      .returning();
    if (!updated) {
      await assertInstance(tx, input.instanceId);
      throw new ConflictError("Die Instanz ist bereits gesperrt.");
    }
    await recordActivity(tx, actor, {
      instanceId: updated.id,
      action: "instance.suspended",
      description: `Instanz gesperrt. Grund: ${input.reason}`,
      metadata: { reason: input.reason },
    });
    return updated;
  });
}

/** Lifts the suspension; `note` is an optional remark for the log. */
export async function reactivateInstance(actor: Actor, input: { instanceId: number; note?: string | null }, options?: CommandOptions): Promise<InstanceRow> {
  const note = input.note?.trim() || null;
  return inTransaction(options, async (tx) => {
    const [updated] = await tx
      .update(instances)
      .set({ suspended: false, suspendedReason: null, suspendedAt: null, updatedAt: new Date() })
      .where(and(eq(instances.id, input.instanceId), eq(instances.suspended, true)))
      .returning();
    if (!updated) {
      await assertInstance(tx, input.instanceId);
      throw new ConflictError("Die Instanz ist nicht gesperrt.");
    }
    await recordActivity(tx, actor, {
      instanceId: updated.id,
      action: "instance.reactivated",
      description: note ? `Sperre aufgehoben. Notiz: ${note}` : "Sperre aufgehoben",
      metadata: note ? { note } : undefined,
    });
    return updated;
  });
}

/**
 * Links a Hetzner server that exists at Hetzner. Linking the server that is
 * already linked changes nothing (`linked: false`); a server linked to
 * another instance is a 422 on `hetzner_server_id`.
 */
export async function linkServer(
  actor: Actor,
  input: { instanceId: number; hetznerServerId: number },
  options?: CommandOptions,
): Promise<{ linked: boolean; previous: number | null; server: ServerRow }> {
  const db = options?.tx ?? (await getDb());
  const { instanceId, hetznerServerId } = input;
  const current = await inTransaction(options, async (tx) => {
    await assertInstance(tx, instanceId);
    const [row] = await tx.select().from(servers).where(eq(servers.instanceId, instanceId));
    return row;
  });
  if (current?.hetznerServerId === hetznerServerId) return { linked: false, previous: hetznerServerId, server: current };
  await assertServerFree(db, hetznerServerId, instanceId);
  const described = await describeHetznerServer(hetznerServerId);

  return inTransaction(options, async (tx) => {
    await tx.execute(sql`select pg_advisory_xact_lock(${LINK_LOCK}, ${hetznerServerId})`);
    await assertInstance(tx, instanceId);
    await assertServerFree(tx, hetznerServerId, instanceId);
    const [before] = await tx.select().from(servers).where(eq(servers.instanceId, instanceId)).for("update");
    if (before?.hetznerServerId === hetznerServerId) return { linked: false, previous: hetznerServerId, server: before };
    const values = { hetznerServerId, ...described, updatedAt: new Date() };
    const [server] = await tx
      .insert(servers)
      .values({ instanceId, ...values })
      .onConflictDoUpdate({ target: servers.instanceId, set: values })
      .returning();
    const previous = before?.hetznerServerId ?? null;
    await recordActivity(tx, actor, {
      instanceId,
      action: "server.linked",
      description: `Hetzner-Server ${hetznerServerId} verknüpft${previous ? ` (vorher ${previous})` : ""}`,
      metadata: { hetzner_server_id: hetznerServerId, previous },
    });
    return { linked: true, previous, server };
  });
}

/**
 * Unlinks the instance's Hetzner server: the portal forgets id, IP, type,
 * datacenter and status. With `hetznerServerId` (API v1 addresses the host
 * by it) only that server is unlinked; anything else is a 409.
 */
export async function unlinkServer(actor: Actor, input: { instanceId: number; hetznerServerId?: number }, options?: CommandOptions): Promise<{ previous: number }> {
  return inTransaction(options, async (tx) => {
    await assertInstance(tx, input.instanceId);
    const [before] = await tx.select().from(servers).where(eq(servers.instanceId, input.instanceId)).for("update");
    const previous = before?.hetznerServerId ?? null;
    if (!previous || (input.hetznerServerId !== undefined && previous !== input.hetznerServerId)) {
      throw new ConflictError("Dieser Instanz ist kein Hetzner-Server zugeordnet.");
    }
    await tx
      .update(servers)
      .set({
        hetznerServerId: null,
        name: null,
        ipv4: null,
        serverType: null,
        datacenter: null,
        status: "unknown",
        healthStatus: "unknown",
        lastSyncedAt: null,
        updatedAt: new Date(),
      })
      .where(eq(servers.instanceId, input.instanceId));
    await recordActivity(tx, actor, {
      instanceId: input.instanceId,
      action: "server.unlinked",
      description: `Hetzner-Server ${previous}${before?.name ? ` (${before.name})` : ""} getrennt`,
      metadata: { hetzner_server_id: previous },
    });
    return { previous };
  });
}

/** 422 when the Hetzner server is already linked to another instance. */
export async function assertServerFree(tx: Tx | Awaited<ReturnType<typeof getDb>>, hetznerServerId: number, exceptInstanceId?: number) {
  const conditions = [eq(servers.hetznerServerId, hetznerServerId)];
  if (exceptInstanceId) conditions.push(ne(servers.instanceId, exceptInstanceId));
  const [taken] = await tx
    .select({ name: instances.name })
    .from(servers)
    .innerJoin(instances, eq(instances.id, servers.instanceId))
    .where(and(...conditions))
    .limit(1);
  if (taken) {
    throw new ValidationError({ hetzner_server_id: [`Dieser Hetzner-Server ist bereits der Instanz „${taken.name}“ zugeordnet.`] });
  }
}
