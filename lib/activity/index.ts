/**
 * The activity log: what happened on an instance, by whom. Commands write it
 * with `recordActivity(tx, actor, entry)` inside their own transaction;
 * readers page through it per instance, newest first.
 *
 * Pages by number in constant time (lib/activity/README.md): every entry of an
 * instance carries `seq`, its number in recording order without holes
 * (migration 0019), so page N is the range `seq <= hi - (N - 1) * per_page`
 * on the index (instance_id, seq) instead of skipping (N - 1) * per_page index
 * entries. A period of days is the range lo..hi of the first and last entry in
 * it (created_at runs in seq order), so it pages and counts the same way. The
 * kind filter is not a range: inside lo..hi it skips the matching entries of
 * the pages before, and its total is capped (FILTERED_COUNT_CAP).
 */
import { and, desc, eq, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { preparedQuery } from "@/db/prepared";
import { activityLog } from "@/db/schema";
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

type ActivityRow = { id: number; action: string; description: string; level: string; actorName: string | null; actorType: string; createdAt: Date };

/**
 * The one builder of the log's queries, prepared once per database handle and
 * used for every filter combination (an absent filter is a null placeholder).
 * `lo`/`hi` are the seq of the oldest and newest entry of the period (the whole
 * log without one): two probes of the index (instance_id, created_at, seq).
 */
function activityQueries(db: Db) {
  return preparedQuery(db, "activity_log", (db) => {
    const instanceId = sql.placeholder("instanceId");
    const from = sql.placeholder("from");
    const to = sql.placeholder("to");
    const actions = sql.placeholder("actions");
    const periodStart = sql`coalesce((${from}::date)::timestamp at time zone 'Europe/Berlin', '-infinity'::timestamptz)`;
    const periodEnd = sql`coalesce((${to}::date + 1)::timestamp at time zone 'Europe/Berlin', 'infinity'::timestamptz)`;
    const lo = sql`(select b."seq" from "activity_log" b where b."instance_id" = ${instanceId} and b."created_at" >= ${periodStart} order by b."created_at", b."seq" limit 1)`;
    const hi = sql`(select b."seq" from "activity_log" b where b."instance_id" = ${instanceId} and b."created_at" < ${periodEnd} order by b."created_at" desc, b."seq" desc limit 1)`;
    const ofKind = sql`(${actions}::text is null or ${activityLog.action} = any(string_to_array(${actions}::text, ',')))`;
    const inPeriod = and(eq(activityLog.instanceId, instanceId), sql`${activityLog.seq} >= ${lo}`, sql`${activityLog.seq} <= ${hi}`);
    return {
      /** Without a kind, `back` moves hi down by the page's offset (a range); with one, `skip` is an OFFSET inside lo..hi. */
      page: db
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
        .where(and(eq(activityLog.instanceId, instanceId), sql`${activityLog.seq} >= ${lo}`, sql`${activityLog.seq} <= ${hi} - ${sql.placeholder("back")}::bigint`, ofKind))
        .orderBy(desc(activityLog.seq))
        .limit(sql.placeholder("limit") as unknown as number)
        .offset(sql.placeholder("skip") as unknown as number)
        .prepare("activity_page"),
      /** The entries of lo..hi: an unbroken run of numbers holds hi - lo + 1. */
      total: db
        .select({ total: sql<number>`coalesce(${hi} - ${lo} + 1, 0)`.mapWith(Number) })
        .from(sql`(select 1) as one`)
        .prepare("activity_total"),
      /** With a kind: counted up to FILTERED_COUNT_CAP + 1 entries. */
      cappedTotal: db
        .select({ total: sql<number>`count(*)`.mapWith(Number) })
        .from(db.select({ one: sql`1`.as("one") }).from(activityLog).where(and(inPeriod, ofKind)).limit(FILTERED_COUNT_CAP + 1).as("capped"))
        .prepare("activity_total_capped"),
    };
  });
}

/**
 * One page of the instance's log, newest first. Without a kind the total is
 * exact (the length of the range lo..hi); with one it is counted up to
 * FILTERED_COUNT_CAP. Count and page run side by side (two pool connections):
 * one round trip of latency.
 */
export async function listActivity(instanceId: number, { page, perPage }: Pagination, filters: ActivityFilters = {}) {
  const q = activityQueries(await getDb());
  const offset = (page - 1) * perPage;
  const actions = filters.kind ? actionsOfKind(filters.kind).join(",") : null;
  const params = { instanceId, from: filters.from ?? null, to: filters.to ?? null, actions };
  const [counted, rows] = await Promise.all([
    (actions ? q.cappedTotal : q.total).execute(params).then(([row]) => row?.total ?? 0),
    q.page.execute({ ...params, limit: perPage, back: actions ? 0 : offset, skip: actions ? offset : 0 }) as Promise<ActivityRow[]>,
  ]);
  const filtered = Boolean(filters.kind || filters.from || filters.to);
  const totalCapped = actions !== null && counted > FILTERED_COUNT_CAP;
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

export function paginationMeta(page: number, perPage: number, total: number) {
  return { current_page: page, last_page: Math.max(1, Math.ceil(total / perPage)), per_page: perPage, total };
}
