import { count, desc, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { activityLog } from "@/db/schema";

export type ActivityLevel = "info" | "warning" | "error";

export type ActivityEntry = {
  instanceId: number | null;
  userId?: string | null;
  actorName?: string | null;
  action: string;
  description: string;
  level?: ActivityLevel;
  metadata?: Record<string, unknown>;
  ip?: string | null;
};

export async function logActivity(entry: ActivityEntry): Promise<void> {
  const db = await getDb();
  await db.insert(activityLog).values({
    instanceId: entry.instanceId,
    userId: entry.userId ?? null,
    actorName: entry.actorName ?? null,
    action: entry.action,
    description: entry.description,
    level: entry.level ?? "info",
    metadata: entry.metadata,
    ip: entry.ip ?? null,
  });
}

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
      created_at: row.createdAt.toISOString(),
    })),
    meta: paginationMeta(page, perPage, total),
  };
}

export function paginationMeta(page: number, perPage: number, total: number) {
  return { current_page: page, last_page: Math.max(1, Math.ceil(total / perPage)), per_page: perPage, total };
}
