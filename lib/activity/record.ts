import type { Db } from "@/db/client";
import type { DbOrTx } from "@/db/types";
import { activityLog } from "@/db/schema";
import { actionSpec, type ActivityAction, type ActivityLevel } from "./actions";
import { actorColumns, type Actor } from "./actor";
import { webhookEventsForActivity } from "@/lib/events/webhooks";

export type { ActivityLevel };

export type ActivityEntry = {
  instanceId: number | null;
  action: ActivityAction;
  /** German, for the customer; defaults to the action's label. */
  description?: string;
  /** Overrides the action's level (e.g. a failed outcome of a normally harmless action). */
  level?: ActivityLevel;
  metadata?: Record<string, unknown>;
};

/**
 * Writes one activity entry with `tx`, the transaction of the change it
 * records: the entry and the change commit or roll back together. Outside a
 * transaction (a failed login changes nothing) pass the database itself.
 * An entry that stands for a webhook event (`invoice.issued`, a finished
 * server action, …) queues that event with the same `tx`, so every door and
 * job that records the change also notifies integrators, atomically.
 */
export async function recordActivity(tx: DbOrTx | Db, actor: Actor, entry: ActivityEntry): Promise<void> {
  const spec = actionSpec(entry.action);
  await tx.insert(activityLog).values({
    instanceId: entry.instanceId,
    ...actorColumns(actor),
    action: entry.action,
    description: entry.description ?? spec.label,
    level: entry.level ?? spec.level,
    metadata: entry.metadata,
  });
  await webhookEventsForActivity(tx, entry, entry.description ?? spec.label);
}
