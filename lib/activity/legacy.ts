/** @deprecated Being replaced by `recordActivity(tx, actor, entry)`; removed once no caller is left. */
import { getDb } from "@/db/client";
import { activityLog } from "@/db/schema";
import type { ActivityLevel } from "./record";

export type LegacyActivityEntry = {
  instanceId: number | null;
  userId?: string | null;
  actorName?: string | null;
  action: string;
  description: string;
  level?: ActivityLevel;
  metadata?: Record<string, unknown>;
  ip?: string | null;
};

export async function logActivity(entry: LegacyActivityEntry): Promise<void> {
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
