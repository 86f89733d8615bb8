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
 * it (created_at runs in seq order), so it pages and counts the same way. A
 * kind filter does the same with `kind_seq`, the entry's number among its
 * instance's entries of that kind (migration 0027).
 */
import { and, desc, eq, isNotNull, sql } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { preparedQuery } from "@/db/prepared";
import { activityLog } from "@/db/schema";
import { apiTimestamp } from "@/lib/time";
import { actionLabel, type ActivityKind } from "./actions";

export { recordActivity, type ActivityEntry, type ActivityLevel } from "./record";
export { ACTIVITY_ACTIONS, ACTIVITY_KINDS, ACTIVITY_KIND_KEYS, actionLabel, type ActivityAction, type ActivityKind } from "./actions";
export * from "./actor";
export type Pagination = { page: number; perPage: number };
/** Optional filters of the activity page; `from`/`to` are calendar days (YYYY-MM-DD) in Europe/Berlin, both inclusive. */
export type ActivityFilters = { kind?: ActivityKind; from?: string; to?: string };

/** Every tenant's log at once (listEveryTenant) is counted up to this many entries (shown as "10.000+"). */
export const FILTERED_COUNT_CAP = 10_000;

type ActivityRow = { id: number; action: string; description: string; level: string; actorName: string | null; actorType: string; createdAt: Date };

/**
 * The log's queries as builders (prepared once per database handle by
 * `activityQueries`, rendered by the benchmark's bare server); an absent
 * period is a null placeholder. Two shapes, each a range on its own index:
 * - the whole log: `lo`/`hi` are the seq of the period's oldest and newest entry
 *   (two probes of (instance_id, created_at, seq)); page N is a range of seq on
 *   (instance_id, seq);
 * - one kind: the same with `kind_seq`, the entry's number among its kind
 *   (migration 0027): probes of (instance_id, kind, created_at, kind_seq), page N
 *   a range on (instance_id, kind, kind_seq).
 * The total is hi - lo + 1 in both (an unbroken run), exact at any size.
 */
export function activitySelects(db: Db) {
  const instanceId = sql.placeholder("instanceId");
  const kind = sql.placeholder("kind");
  const from = sql.placeholder("from");
  const to = sql.placeholder("to");
  const periodStart = sql`coalesce((${from}::date)::timestamp at time zone 'Europe/Berlin', '-infinity'::timestamptz)`;
  const periodEnd = sql`coalesce((${to}::date + 1)::timestamp at time zone 'Europe/Berlin', 'infinity'::timestamptz)`;
  const lo = sql`(select b."seq" from "activity_log" b where b."instance_id" = ${instanceId} and b."created_at" >= ${periodStart} order by b."created_at", b."seq" limit 1)`;
  const hi = sql`(select b."seq" from "activity_log" b where b."instance_id" = ${instanceId} and b."created_at" < ${periodEnd} order by b."created_at" desc, b."seq" desc limit 1)`;
  const kindLo = sql`(select b."kind_seq" from "activity_log" b where b."instance_id" = ${instanceId} and b."kind" = ${kind} and b."created_at" >= ${periodStart} order by b."created_at", b."kind_seq" limit 1)`;
  const kindHi = sql`(select b."kind_seq" from "activity_log" b where b."instance_id" = ${instanceId} and b."kind" = ${kind} and b."created_at" < ${periodEnd} order by b."created_at" desc, b."kind_seq" desc limit 1)`;
  const back = sql`${sql.placeholder("back")}::bigint`;
  const limit = sql.placeholder("limit") as unknown as number;
  const columns = {
    id: activityLog.id,
    action: activityLog.action,
    description: activityLog.description,
    level: activityLog.level,
    actorName: activityLog.actorName,
    actorType: activityLog.actorType,
    createdAt: activityLog.createdAt,
  };
  return {
    /** `back` moves hi down by the page's offset: a range, however deep the page. */
    page: db
      .select(columns)
      .from(activityLog)
      .where(and(eq(activityLog.instanceId, instanceId), sql`${activityLog.seq} >= ${lo}`, sql`${activityLog.seq} <= ${hi} - ${back}`))
      .orderBy(desc(activityLog.seq))
      .limit(limit),
    /** The entries of lo..hi: an unbroken run of numbers holds hi - lo + 1. */
    total: db
      .select({ total: sql<number>`coalesce(${hi} - ${lo} + 1, 0)`.mapWith(Number) })
      .from(sql`(select 1) as one`),
    kindPage: db
      .select(columns)
      .from(activityLog)
      .where(and(eq(activityLog.instanceId, instanceId), sql`${activityLog.kind} = ${kind}`, sql`${activityLog.kindSeq} >= ${kindLo}`, sql`${activityLog.kindSeq} <= ${kindHi} - ${back}`))
      .orderBy(desc(activityLog.kindSeq))
      .limit(limit),
    kindTotal: db
      .select({ total: sql<number>`coalesce(${kindHi} - ${kindLo} + 1, 0)`.mapWith(Number) })
      .from(sql`(select 1) as one`),
  };
}

/** The log's queries, prepared once per database handle (db/prepared.ts). */
export function activityQueries(db: Db) {
  return preparedQuery(db, "activity_log", (db) => {
    const q = activitySelects(db);
    return {
      page: q.page.prepare("activity_page"),
      total: q.total.prepare("activity_total"),
      kindPage: q.kindPage.prepare("activity_kind_page"),
      kindTotal: q.kindTotal.prepare("activity_kind_total"),
    };
  });
}

/**
 * One page of the instance's log, newest first, with its exact total, in
 * constant time at any depth and with any filter. Count and page run side by
 * side (two pool connections): one round trip of latency.
 */
export async function listActivity(instanceId: number | null, { page, perPage }: Pagination, filters: ActivityFilters = {}) {
  if (instanceId === null) return listEveryTenant({ page, perPage }, filters);
  const q = activityQueries(await getDb());
  const params = { instanceId, from: filters.from ?? null, to: filters.to ?? null, kind: filters.kind ?? null };
  const [total, rows] = await Promise.all([
    (filters.kind ? q.kindTotal : q.total).execute(params).then(([row]) => row?.total ?? 0),
    (filters.kind ? q.kindPage : q.page).execute({ ...params, limit: perPage, back: (page - 1) * perPage }) as Promise<ActivityRow[]>,
  ]);
  const filtered = Boolean(filters.kind || filters.from || filters.to);
  return {
    logs: rows.map(presentEntry),
    /** `total_capped` (filtered pages) stays in the answer for its readers; per instance the total is always exact. */
    meta: filtered ? { ...paginationMeta(page, perPage, total), total_capped: false } : paginationMeta(page, perPage, total),
  };
}

/** One entry as both API families show it. */
function presentEntry(row: ActivityRow) {
  return {
    id: row.id,
    action: row.action,
    description: row.description,
    level: row.level,
    actor: row.actorName,
    /** user | staff (MSP) | anonymous | system: lets the UI label MSP and system entries. */
    actor_type: row.actorType,
    action_label: actionLabel(row.action),
    created_at: apiTimestamp(row.createdAt),
  };
}

export function paginationMeta(page: number, perPage: number, total: number) {
  return { current_page: page, last_page: Math.max(1, Math.ceil(total / perPage)), per_page: perPage, total };
}

/** The count (up to the cap) and the page of every tenant's log; no page query past the cap. */
export function everyTenantQueries(db: Db, { page, perPage }: Pagination, filters: ActivityFilters) {
  const where = and(
    isNotNull(activityLog.instanceId),
    filters.kind ? eq(activityLog.kind, filters.kind) : undefined,
    filters.from ? sql`${activityLog.createdAt} >= (${filters.from}::date)::timestamp at time zone 'Europe/Berlin'` : undefined,
    filters.to ? sql`${activityLog.createdAt} < (${filters.to}::date + 1)::timestamp at time zone 'Europe/Berlin'` : undefined,
  );
  const offset = (page - 1) * perPage;
  return {
    count: db
      .select({ n: sql<number>`count(*)`.mapWith(Number) })
      .from(db.select({ one: sql`1`.as("one") }).from(activityLog).where(where).limit(FILTERED_COUNT_CAP + 1).as("capped")),
    page:
      offset >= FILTERED_COUNT_CAP
        ? null
        : db
            .select()
            .from(activityLog)
            .where(where)
            .orderBy(desc(activityLog.createdAt), desc(activityLog.id))
            .limit(Math.min(perPage, FILTERED_COUNT_CAP - offset))
            .offset(offset),
  };
}

/**
 * Every tenant's log at once (MSP staff through API v1 without ?tenant_id),
 * newest first, with the same filters. There is no gap-free number across
 * tenants (it would serialise every writer), so this view is bounded instead:
 * the total is counted up to FILTERED_COUNT_CAP and pages end there, so a page
 * reads at most FILTERED_COUNT_CAP + per_page entries of the partial indexes of
 * migration 0028 (constant, whatever the table's size). Deeper history is read
 * per tenant (?tenant_id), which pages in constant time at any depth.
 */
async function listEveryTenant({ page, perPage }: Pagination, filters: ActivityFilters) {
  const q = everyTenantQueries(await getDb(), { page, perPage }, filters);
  const [[counted], rows] = await Promise.all([q.count, q.page ?? Promise.resolve([])]);
  const totalCapped = (counted?.n ?? 0) > FILTERED_COUNT_CAP;
  const total = totalCapped ? FILTERED_COUNT_CAP : (counted?.n ?? 0);
  return {
    logs: rows.map(presentEntry),
    meta: { ...paginationMeta(page, perPage, total), total_capped: totalCapped },
  };
}
