/**
 * The activity log: what happened on an instance, by whom. Commands write it
 * with `recordActivity(tx, actor, entry)` inside their own transaction;
 * readers page through it per instance.
 */
import { desc, eq, inArray, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { activityLog, instances } from "@/db/schema";
import { apiTimestamp } from "@/lib/time";
import { actionLabel } from "./actions";

export { recordActivity, type ActivityEntry, type ActivityLevel } from "./record";
export { ACTIVITY_ACTIONS, actionLabel, type ActivityAction } from "./actions";
export * from "./actor";
export type Pagination = { page: number; perPage: number };

/**
 * One page of the instance's log, newest first. The total comes from
 * `activity_counts` (kept exact by triggers, migration 0010) instead of counting
 * every entry; the page is a deferred join: the ids of the page are found in
 * the index matching the ORDER BY (instance_id, created_at, id) alone, and only
 * those rows are read, so a deep page skips index entries, not table rows.
 */
export async function listActivity(instanceId: number, { page, perPage }: Pagination) {
  const db = await getDb();
  const [counted] = await db
    .select({ total: sql<number>`${activityCountSql(instanceId)}`.mapWith(Number) })
    .from(instances)
    .where(eq(instances.id, instanceId));
  const total = counted?.total ?? 0;
  const pageIds = db
    .select({ id: activityLog.id })
    .from(activityLog)
    .where(eq(activityLog.instanceId, instanceId))
    .orderBy(desc(activityLog.createdAt), desc(activityLog.id))
    .limit(perPage)
    .offset((page - 1) * perPage);
  const rows = await db
    .select({
      id: activityLog.id,
      action: activityLog.action,
      description: activityLog.description,
      level: activityLog.level,
      actorName: activityLog.actorName,
      actorType: activityLog.actorType,
      createdAt: activityLog.createdAt,
    })
    .from(activityLog)
    .where(inArray(activityLog.id, pageIds))
    .orderBy(desc(activityLog.createdAt), desc(activityLog.id));
  return {
    logs: rows.map((row) => ({
      id: row.id,
      action: row.action,
      description: row.description,
      level: row.level,
      actor: row.actorName,
      /** user | staff (MSP) | anonymous | system: lets the UI label MSP and system entries. */
      actor_type: row.actorType,
      action_label: actionLabel(row.action),
      created_at: apiTimestamp(row.createdAt),
    })),
    meta: paginationMeta(page, perPage, total),
  };
}

/** The instance's number of log entries, maintained by the triggers of migration 0010. */
function activityCountSql(instanceId: number) {
  return sql`coalesce((select "n" from "activity_counts" where "instance_id" = ${instanceId}), 0)`;
}

export function paginationMeta(page: number, perPage: number, total: number) {
  return { current_page: page, last_page: Math.max(1, Math.ceil(total / perPage)), per_page: perPage, total };
}
