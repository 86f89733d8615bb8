/**
 * One rule for the health an instance shows (`health_status` in /status, the
 * admin views and API v1), from the server's power state and the latest
 * probe of each URL:
 *
 * - Hetzner `off` → `off` ("Aus"): a Hetzner server is only off after an
 *   explicit stop (portal, Hetzner console, API, or a shutdown from inside the
 *   OS) — a crashed guest stays `running` and is caught by the probes. It is
 *   not probed, not a problem and never alerted.
 * - `online`: every probed URL answers → `healthy`; some fail → `degraded`;
 *   all fail → `unhealthy`. Not probed yet → `healthy` (Hetzner says it runs).
 * - starting / stopping / rebooting / initializing / migrating / rebuilding /
 *   deleting → `degraded`; unknown → `unknown`.
 */
import { and, desc, eq } from "drizzle-orm";
import { healthChecks } from "@/db/schema";
import type { DbOrTx } from "@/db/types";

export const HEALTH_STATUSES = ["healthy", "degraded", "unhealthy", "unknown", "off"] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

export const PROBE_TARGETS = ["portal", "meshcentral"] as const;
export type ProbeTarget = (typeof PROBE_TARGETS)[number];

/** Latest probe result per target; `null` = never probed. */
export type LatestProbes = Record<ProbeTarget, boolean | null>;

export function healthFrom(serverStatus: string, probes: LatestProbes | null = null): HealthStatus {
  if (serverStatus === "off") return "off";
  if (serverStatus === "unknown") return "unknown";
  if (serverStatus !== "online") return "degraded";
  const known = probes ? PROBE_TARGETS.map((t) => probes[t]).filter((v): v is boolean => v !== null) : [];
  const failing = known.filter((ok) => !ok).length;
  if (failing === 0) return "healthy";
  return failing === known.length ? "unhealthy" : "degraded";
}

export async function latestProbes(db: DbOrTx, instanceId: number): Promise<LatestProbes> {
  const result: LatestProbes = { portal: null, meshcentral: null };
  for (const target of PROBE_TARGETS) {
    const [row] = await db
      .select({ ok: healthChecks.ok })
      .from(healthChecks)
      .where(and(eq(healthChecks.instanceId, instanceId), eq(healthChecks.target, target)))
      .orderBy(desc(healthChecks.id))
      .limit(1);
    result[target] = row ? row.ok : null;
  }
  return result;
}

/** The health to store for an instance whose server now has `serverStatus`. */
export async function currentHealth(db: DbOrTx, instanceId: number, serverStatus: string): Promise<HealthStatus> {
  if (serverStatus !== "online") return healthFrom(serverStatus);
  return healthFrom(serverStatus, await latestProbes(db, instanceId));
}
