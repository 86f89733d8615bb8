/**
 * Uptime of an instance's portal and MeshCentral URL over 90 days, from the
 * health probes (lib/health/probe.ts, every minute):
 *
 * - `uptime_days`: per URL and day (Europe/Berlin) the number of probes and
 *   of failed ones; the day's uptime is (checks − failures) / checks. A day
 *   without probes (server switched off on purpose, not linked yet) has no
 *   value — it is neither up nor down, as in `health_status` ("Aus").
 * - `uptime_incidents`: an outage from the first failed probe to the next
 *   successful one (start, end, duration, last error). One open incident per
 *   URL, enforced by a unique partial index: the insert of a second one turns
 *   into an update of the first.
 *
 * Both are written in the probe's transaction, so uptime and health cannot
 * disagree. Rows older than RETENTION_DAYS are deleted by the same probe.
 */
import { and, desc, eq, gte, isNull, lt, or, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { uptimeDays, uptimeIncidents } from "@/db/schema";
import type { Tx } from "@/db/types";
import { loadInstanceContext, meshcentralHost, portalHost } from "@/lib/instances/present";
import { todayIsoDate } from "@/lib/invoices/calc";
import { apiTimestamp } from "@/lib/time";
import { z } from "@/lib/validation";
import { PROBE_TARGETS, type ProbeTarget } from "@/lib/servers/health";

export const UPTIME_DAYS = 90;
const RETENTION_DAYS = 100;
const MAX_INCIDENTS = 50;

export const TARGET_LABELS: Record<ProbeTarget, string> = { portal: "Portal", meshcentral: "Fernwartung (MeshCentral)" };

/** `YYYY-MM-DD` of the day `days` before `date` (calendar arithmetic, no time zone). */
function dayBefore(date: string, days: number): string {
  const d = new Date(`${date}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

/** Adds one probe per URL to the day's counters and opens or closes incidents (inside the probe's transaction). */
export async function recordUptime(tx: Tx, instanceId: number, results: readonly { target: ProbeTarget; ok: boolean; error: string | null }[], at: Date) {
  const day = todayIsoDate(at);
  for (const r of results) {
    await tx
      .insert(uptimeDays)
      .values({ instanceId, target: r.target, day, checks: 1, failures: r.ok ? 0 : 1 })
      .onConflictDoUpdate({
        target: [uptimeDays.instanceId, uptimeDays.target, uptimeDays.day],
        set: { checks: sql`${uptimeDays.checks} + 1`, failures: sql`${uptimeDays.failures} + ${r.ok ? 0 : 1}` },
      });
    if (r.ok) {
      await tx
        .update(uptimeIncidents)
        .set({ endedAt: at })
        .where(and(eq(uptimeIncidents.instanceId, instanceId), eq(uptimeIncidents.target, r.target), isNull(uptimeIncidents.endedAt)));
    } else {
      await tx
        .insert(uptimeIncidents)
        .values({ instanceId, target: r.target, startedAt: at, lastError: r.error })
        .onConflictDoUpdate({
          target: [uptimeIncidents.instanceId, uptimeIncidents.target],
          targetWhere: sql`${uptimeIncidents.endedAt} IS NULL`,
          set: { lastError: r.error },
        });
    }
  }
  const cutoff = dayBefore(day, RETENTION_DAYS);
  await tx.delete(uptimeDays).where(and(eq(uptimeDays.instanceId, instanceId), lt(uptimeDays.day, cutoff)));
  await tx
    .delete(uptimeIncidents)
    .where(and(eq(uptimeIncidents.instanceId, instanceId), lt(uptimeIncidents.endedAt, new Date(at.getTime() - RETENTION_DAYS * 86_400_000))));
}

/** "3 Min.", "2 Std. 5 Min.", "1 Tag 4 Std." */
export function durationLabel(seconds: number): string {
  const minutes = Math.max(1, Math.round(seconds / 60));
  if (minutes < 60) return `${minutes} Min.`;
  const hours = Math.floor(minutes / 60);
  if (hours < 24) return minutes % 60 ? `${hours} Std. ${minutes % 60} Min.` : `${hours} Std.`;
  const days = Math.floor(hours / 24);
  return `${days} ${days === 1 ? "Tag" : "Tage"}${hours % 24 ? ` ${hours % 24} Std.` : ""}`;
}

function percent(checks: number, failures: number): number | null {
  return checks === 0 ? null : Math.floor(((checks - failures) / checks) * 10_000) / 100;
}

/** The answer of the uptime endpoints (documentation and tests). */
export const uptimeResponse = z
  .object({
    days: z.number().int().meta({ example: 90 }),
    from: z.string().meta({ description: "Erster Tag (YYYY-MM-DD, Europe/Berlin)" }),
    to: z.string().meta({ description: "Heute (YYYY-MM-DD, Europe/Berlin)" }),
    targets: z.array(
      z.object({
        target: z.enum(PROBE_TARGETS),
        label: z.string(),
        url: z.string(),
        uptime_percent: z.number().nullable().meta({ description: "Über alle Prüfungen der 90 Tage; null ohne Prüfung" }),
        checks: z.number().int(),
        incidents: z.array(
          z.object({
            started_at: z.string(),
            ended_at: z.string().nullable(),
            ongoing: z.boolean(),
            duration_seconds: z.number().int(),
            duration_label: z.string(),
            last_error: z.string().nullable(),
          }),
        ),
        bars: z
          .array(z.object({ day: z.string(), checks: z.number().int(), failures: z.number().int(), uptime_percent: z.number().nullable() }))
          .meta({ description: "Ein Balken je Tag; uptime_percent null = nicht geprüft (Server aus)" }),
      }),
    ),
  })
  .meta({ id: "Uptime" });

export type Uptime = Awaited<ReturnType<typeof getUptime>>;

/** 90 daily bars, the uptime percentage and the incidents of each probed URL. */
export async function getUptime(instanceId: number, options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const ctx = await loadInstanceContext(instanceId);
  const db = await getDb();
  const today = todayIsoDate(now);
  const first = dayBefore(today, UPTIME_DAYS - 1);
  const since = new Date(`${first}T00:00:00Z`);
  const [dayRows, incidentRows] = await Promise.all([
    db.select().from(uptimeDays).where(and(eq(uptimeDays.instanceId, instanceId), gte(uptimeDays.day, first))),
    db
      .select()
      .from(uptimeIncidents)
      .where(and(eq(uptimeIncidents.instanceId, instanceId), or(isNull(uptimeIncidents.endedAt), gte(uptimeIncidents.endedAt, since))))
      .orderBy(desc(uptimeIncidents.startedAt))
      .limit(MAX_INCIDENTS * PROBE_TARGETS.length),
  ]);
  const hosts: Record<ProbeTarget, string> = { portal: portalHost(ctx), meshcentral: meshcentralHost(ctx) };
  const days = Array.from({ length: UPTIME_DAYS }, (_, i) => dayBefore(today, UPTIME_DAYS - 1 - i));

  return {
    days: UPTIME_DAYS,
    from: first,
    to: today,
    targets: PROBE_TARGETS.map((target) => {
      const byDay = new Map(dayRows.filter((r) => r.target === target).map((r) => [r.day, r]));
      const bars = days.map((day) => {
        const row = byDay.get(day);
        return { day, checks: row?.checks ?? 0, failures: row?.failures ?? 0, uptime_percent: row ? percent(row.checks, row.failures) : null };
      });
      const checks = bars.reduce((a, b) => a + b.checks, 0);
      const failures = bars.reduce((a, b) => a + b.failures, 0);
      const incidents = incidentRows
        .filter((r) => r.target === target)
        .slice(0, MAX_INCIDENTS)
        .map((r) => {
          const seconds = Math.round(((r.endedAt ?? now).getTime() - r.startedAt.getTime()) / 1000);
          return {
            started_at: apiTimestamp(r.startedAt),
            ended_at: apiTimestamp(r.endedAt),
            ongoing: r.endedAt === null,
            duration_seconds: seconds,
            duration_label: durationLabel(seconds),
            last_error: r.lastError,
          };
        });
      return { target, label: TARGET_LABELS[target], url: `https://${hosts[target]}`, uptime_percent: percent(checks, failures), checks, incidents, bars };
    }),
  };
}
