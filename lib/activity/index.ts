/**
 * The activity log: what happened on an instance, by whom. Commands write it
 * with `recordActivity(tx, actor, entry)` inside their own transaction;
 * readers page through it per instance.
 */
import { count, desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { activityLog } from "@/db/schema";
import { apiTimestamp } from "@/lib/time";

export { recordActivity, type ActivityEntry, type ActivityLevel } from "./record";
export { ACTIVITY_ACTIONS, actionLabel, type ActivityAction } from "./actions";
export * from "./actor";
export type Pagination = { page: number; perPage: number };

export async function listActivity(instanceId: number, { page, perPage }: Pagination) {
  const db = await getDb();
  const where = eq(activityLog.instanceId, instanceId);
  const [{ total }] = await db.select({ total: count() }).from(activityLog).where(where);
  const rows = await db
    .select()
    .from(activityLog)
    .where(where)
    .orderBy(desc(activityLog.createdAt), desc(activityLog.id))
    .limit(perPage)
    .offset((page - 1) * perPage);
  return {
    logs: rows.map((row) => ({
      id: row.id,
      action: row.action,
      description: row.description,
      level: row.level,
      actor: row.actorName,
      created_at: apiTimestamp(row.createdAt),
    })),
    meta: paginationMeta(page, perPage, total),
  };
}

export function paginationMeta(page: number, perPage: number, total: number) {
  return { current_page: page, last_page: Math.max(1, Math.ceil(total / perPage)), per_page: perPage, total };
}
