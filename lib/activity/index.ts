/**
 * The activity log: what happened on an instance, by whom. Commands write it
 * with `recordActivity(tx, actor, entry)` inside their own transaction;
 * readers page through it per instance.
 */
import { and, desc, eq, gte, inArray, isNotNull, lt, sql, type Placeholder, type SQL } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { preparedQuery } from "@/db/prepared";
import { activityLog, instances } from "@/db/schema";
import { apiTimestamp } from "@/lib/time";
import { actionLabel, actionsOfKind, type ActivityKind } from "./actions";

export { recordActivity, type ActivityEntry, type ActivityLevel } from "./record";
export { ACTIVITY_ACTIONS, ACTIVITY_KINDS, ACTIVITY_KIND_KEYS, actionLabel, type ActivityAction, type ActivityKind } from "./actions";
export * from "./actor";
export type Pagination = { page: number; perPage: number };
/** Optional filters of the activity page; `from`/`to` are calendar days (YYYY-MM-DD) in Europe/Berlin, both inclusive. */
export type ActivityFilters = { kind?: ActivityKind; from?: string; to?: string };

/** With a filter, the total is counted up to this many entries (shown as "10.000+"), so a broad filter stays cheap. */
export const FILTERED_COUNT_CAP = 10_000;

/** The start of a Berlin calendar day as a timestamptz. */
function berlinDayStart(isoDate: string, plusDays = 0) {
  return sql`((${isoDate}::date + ${plusDays}::int)::timestamp at time zone 'Europe/Berlin')`;
}

function filterConditions(filters: ActivityFilters): SQL[] {
  const conditions: SQL[] = [];
  if (filters.kind) conditions.push(inArray(activityLog.action, actionsOfKind(filters.kind)));
  if (filters.from) conditions.push(gte(activityLog.createdAt, berlinDayStart(filters.from)));
  if (filters.to) conditions.push(lt(activityLog.createdAt, berlinDayStart(filters.to, 1)));
  return conditions;
}

type ActivityRow = { id: number; action: string; description: string; level: string; actorName: string | null; actorType: string; createdAt: Date };

/** The page as a deferred join: ids from the index matching the ORDER BY, then only those rows. */
function pageRows(db: Db, where: SQL | undefined, limit: number | Placeholder, offset: number | Placeholder) {
  const pageIds = db
    .select({ id: activityLog.id })
    .from(activityLog)
    .where(where)
    .orderBy(desc(activityLog.createdAt), desc(activityLog.id))
    .limit(limit as number)
    .offset(offset as number);
  return db
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
}

function unfilteredQueries(db: Db) {
  return preparedQuery(db, "activity_unfiltered", (db) => {
    const instanceId = sql.placeholder("instanceId");
    return {
      total: db
        .select({ total: sql<number>`${activityCountSql(instanceId)}`.mapWith(Number) })
        .from(instances)
        .where(eq(instances.id, instanceId))
        .prepare("activity_total"),
      page: pageRows(db, eq(activityLog.instanceId, instanceId), sql.placeholder("limit"), sql.placeholder("offset")).prepare("activity_page"),
    };
  });
}

/**
 * One page of the instance's log, newest first. The total comes from
 * `activity_counts` (kept exact by triggers, migration 0010) instead of counting
 * every entry; the page is a deferred join: the ids of the page are found in
 * the index matching the ORDER BY (instance_id, created_at, id) alone, and only
 * those rows are read, so a deep page skips index entries, not table rows.
 */
export async function listActivity(instanceId: number | null, { page, perPage }: Pagination, filters: ActivityFilters = {}) {
  const db = await getDb();
  const conditions = filterConditions(filters);
  // Every tenant's log (MSP staff through API v1): no per-instance count, so it is counted like a filtered page.
  const filtered = conditions.length > 0 || instanceId === null;
  const offset = (page - 1) * perPage;
  let counting: Promise<number>;
  let reading: Promise<ActivityRow[]>;
  if (filtered) {
    const where = and(instanceId === null ? isNotNull(activityLog.instanceId) : eq(activityLog.instanceId, instanceId), ...conditions);
    // Capped count: reads at most FILTERED_COUNT_CAP + 1 index entries.
    const capped = db.select({ one: sql`1`.as("one") }).from(activityLog).where(where).limit(FILTERED_COUNT_CAP + 1).as("capped");
    counting = db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(capped)
      .then(([counted]) => counted?.n ?? 0);
    reading = pageRows(db, where, perPage, offset);
  } else {
    // The unfiltered log (every page view of the portal) runs as prepared queries.
    const q = unfilteredQueries(db);
    counting = q.total.execute({ instanceId: instanceId! }).then(([counted]) => counted?.total ?? 0);
    reading = q.page.execute({ instanceId: instanceId!, limit: perPage, offset });
  }
  // The count runs beside the page (its own pool connection): one round trip of latency.
  const [counted, rows] = await Promise.all([counting, reading]);
  const totalCapped = filtered && counted > FILTERED_COUNT_CAP;
  const total = totalCapped ? FILTERED_COUNT_CAP : counted;
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
    meta: filtered ? { ...paginationMeta(page, perPage, total), total_capped: totalCapped } : paginationMeta(page, perPage, total),
  };
}

/** The instance's number of log entries, maintained by the triggers of migration 0010. */
function activityCountSql(instanceId: number | Placeholder) {
  return sql`coalesce((select "n" from "activity_counts" where "instance_id" = ${instanceId}), 0)`;
}

export function paginationMeta(page: number, perPage: number, total: number) {
  return { current_page: page, last_page: Math.max(1, Math.ceil(total / perPage)), per_page: perPage, total };
}
