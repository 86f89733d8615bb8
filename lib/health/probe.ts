/**
 * The health probe (job `health-probe`, every minute): an HTTP(S) GET of each
 * instance's portal and MeshCentral URL (HEALTH_PROBE_PATH, timeout
 * HEALTH_PROBE_TIMEOUT_MS; 2xx and 3xx count as up). Only servers Hetzner
 * reports as running are probed — a server that is off is "Aus", not a
 * problem (lib/health/derive.ts).
 *
 * Per instance, in one transaction: the results go into `health_checks`
 * (the latest HISTORY_PER_TARGET per URL are kept) and into the 90-day uptime
 * counters and incidents (lib/health/uptime.ts), `servers.health_status`
 * is derived from them, and the alert state decides about mail
 * (lib/health/alerts.ts). The row lock on `instance_health` serialises two
 * workers probing the same instance, so each incident mails once.
 */
import { and, eq, inArray, isNotNull, lt, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { healthChecks, instanceHealth, servers } from "@/db/schema";
import { config } from "@/lib/config";
import { loadInstanceContext, meshcentralHost, portalHost } from "@/lib/instances/present";
import { updateAlertState, type AlertOutcome } from "./alerts";
import type { ProbeResult } from "./result";
import { healthFrom, PROBE_TARGETS, type HealthStatus, type ProbeTarget } from "@/lib/servers/health";
import { recordUptime } from "./uptime";

export const HISTORY_PER_TARGET = 50;
const CONCURRENCY = 8;

export type { ProbeResult };

/** The URL probed for `host`: HEALTH_PROBE_URL_TEMPLATE with `{host}` and `{path}` filled in. */
export function probeUrl(host: string, path = config().HEALTH_PROBE_PATH, template = config().HEALTH_PROBE_URL_TEMPLATE) {
  return template.replaceAll("{host}", host).replaceAll("{path}", path);
}

/** One GET; never throws. The German error is what staff read in the history. */
export async function probe(target: ProbeTarget, url: string, timeoutMs = config().HEALTH_PROBE_TIMEOUT_MS): Promise<ProbeResult> {
  const started = performance.now();
  const signal = AbortSignal.timeout(timeoutMs);
  try {
    const res = await fetch(url, { method: "GET", redirect: "manual", signal, headers: { "user-agent": "manage-portal-health-probe" } });
    await res.body?.cancel().catch(() => undefined);
    const ok = res.status >= 200 && res.status < 400;
    return { target, url, ok, statusCode: res.status, latencyMs: Math.round(performance.now() - started), error: ok ? null : `HTTP ${res.status}` };
  } catch (error) {
    const latencyMs = Math.round(performance.now() - started);
    if (signal.aborted) return { target, url, ok: false, statusCode: null, latencyMs, error: `Keine Antwort innerhalb von ${timeoutMs} ms` };
    const cause = (error as { cause?: { code?: string; message?: string } }).cause;
    return { target, url, ok: false, statusCode: null, latencyMs, error: `Nicht erreichbar (${cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : "unbekannter Fehler")})`.slice(0, 300) };
  }
}

export type InstanceProbeRun = { instanceId: number; health: HealthStatus; results: ProbeResult[]; alert: AlertOutcome };
export type HealthProbeRun = { probed: number; healthy: number; problems: number; alerts_sent: number; recoveries_sent: number };

/** Probes every instance whose server runs; returns a summary for the job log. */
export async function runHealthProbes(options: { instanceIds?: number[] } = {}): Promise<HealthProbeRun> {
  const db = await getDb();
  const running = await db
    .select({ instanceId: servers.instanceId })
    .from(servers)
    .where(
      and(
        isNotNull(servers.hetznerServerId),
        eq(servers.status, "online"),
        options.instanceIds ? inArray(servers.instanceId, options.instanceIds) : undefined,
      ),
    )
    .orderBy(servers.instanceId);
  const summary: HealthProbeRun = { probed: 0, healthy: 0, problems: 0, alerts_sent: 0, recoveries_sent: 0 };
  const queue = running.map((r) => r.instanceId);
  const workers = Array.from({ length: Math.min(CONCURRENCY, queue.length) }, async () => {
    for (let id = queue.shift(); id !== undefined; id = queue.shift()) {
      const run = await probeInstance(id);
      summary.probed++;
      if (run.health === "healthy") summary.healthy++;
      else summary.problems++;
      if (run.alert === "alerted") summary.alerts_sent++;
      if (run.alert === "recovered") summary.recoveries_sent++;
    }
  });
  await Promise.all(workers);
  return summary;
}

export async function probeInstance(instanceId: number): Promise<InstanceProbeRun> {
  const ctx = await loadInstanceContext(instanceId);
  const hosts: Record<ProbeTarget, string> = { portal: portalHost(ctx), meshcentral: meshcentralHost(ctx) };
  const results = await Promise.all(PROBE_TARGETS.map((target) => probe(target, probeUrl(hosts[target]))));
  const db = await getDb();
  return db.transaction(async (tx) => {
    await tx.insert(instanceHealth).values({ instanceId }).onConflictDoNothing();
    const [state] = await tx.select().from(instanceHealth).where(eq(instanceHealth.instanceId, instanceId)).for("update");
    await tx.insert(healthChecks).values(
      results.map((r) => ({ instanceId, target: r.target, url: r.url, ok: r.ok, statusCode: r.statusCode, latencyMs: r.latencyMs, error: r.error })),
    );
    await recordUptime(tx, instanceId, results, new Date());
    for (const target of PROBE_TARGETS) {
      const [keep] = await tx
        .select({ id: healthChecks.id })
        .from(healthChecks)
        .where(and(eq(healthChecks.instanceId, instanceId), eq(healthChecks.target, target)))
        .orderBy(sql`${healthChecks.id} desc`)
        .offset(HISTORY_PER_TARGET - 1)
        .limit(1);
      if (keep) {
        await tx.delete(healthChecks).where(and(eq(healthChecks.instanceId, instanceId), eq(healthChecks.target, target), lt(healthChecks.id, keep.id)));
      }
    }
    const latest = Object.fromEntries(results.map((r) => [r.target, r.ok])) as Record<ProbeTarget, boolean>;
    const health = healthFrom("online", latest);
    // Only while the server still runs: a power action in between owns the status.
    await tx
      .update(servers)
      .set({ healthStatus: health, updatedAt: new Date() })
      .where(and(eq(servers.instanceId, instanceId), eq(servers.status, "online")));
    const alert = await updateAlertState(tx, ctx, state, results);
    return { instanceId, health, results, alert };
  });
}
