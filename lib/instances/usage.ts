/**
 * Usage against limits: how many customers and devices an instance manages,
 * against `max_customers` / `max_devices` of its tier (or its own limits).
 *
 * The instance counts itself; the portal asks it with a signed request
 * through the instance agent (like applying a domain) — job `instance-usage`
 * every hour, and staff can ask at once. The last answer is kept in
 * `instance_usage`, so pages never wait for an instance. A failed question
 * keeps the last numbers and stores the German reason.
 *
 * Levels: below 80 % `ok`, from 80 % `warning`, from 100 % `exceeded` — the
 * higher of customers and devices decides.
 */
import { eq, sql, type Placeholder } from "drizzle-orm";
import { getDb, type Db } from "@/db/client";
import { instanceUsage, instances } from "@/db/schema";
import { createInstanceAgentClientFromEnv, InstanceAgentError, type InstanceAgentClient } from "@/lib/instance-agent/client";
import { apiTimestamp } from "@/lib/time";

export const USAGE_WARNING_PERCENT = 80;
export type UsageLevel = "ok" | "warning" | "exceeded" | "unknown";

export const USAGE_LEVEL_LABELS: Record<UsageLevel, string> = {
  ok: "Im Rahmen",
  warning: "Bald ausgeschöpft",
  exceeded: "Limit erreicht",
  unknown: "Unbekannt",
};

export function usageLevel(percent: number | null): UsageLevel {
  if (percent === null) return "unknown";
  if (percent >= 100) return "exceeded";
  return percent >= USAGE_WARNING_PERCENT ? "warning" : "ok";
}

const percentOf = (used: number | null, max: number | null) => (used === null || !max ? null : Math.round((used / max) * 1000) / 10);

/** The usage block of `/status` and the staff views. */
export function presentUsage(row: typeof instanceUsage.$inferSelect | undefined, limits: { max_customers: number | null; max_devices: number | null }) {
  const customers = row?.customers ?? null;
  const devices = row?.devices ?? null;
  const customersPercent = percentOf(customers, limits.max_customers);
  const devicesPercent = percentOf(devices, limits.max_devices);
  const worst = customersPercent === null && devicesPercent === null ? null : Math.max(customersPercent ?? 0, devicesPercent ?? 0);
  const level = usageLevel(worst);
  return {
    customers,
    devices,
    customers_percent: customersPercent,
    devices_percent: devicesPercent,
    /** The higher of both percentages: what the staff list sorts by. */
    percent: worst,
    level,
    level_label: USAGE_LEVEL_LABELS[level],
    reported_at: apiTimestamp(row?.reportedAt),
    error: row?.error ?? null,
  };
}

/** The query of `loadUsage` as a builder (the benchmark's bare server renders it with a placeholder). */
export function usageSelect(db: Db, instanceId: number | Placeholder) {
  return db.select().from(instanceUsage).where(eq(instanceUsage.instanceId, instanceId));
}

export async function loadUsage(instanceId: number) {
  const [row] = await usageSelect(await getDb(), instanceId);
  return row;
}

/** Asks one instance and stores the answer (or the reason it failed, keeping the last numbers). */
export async function refreshUsage(instanceId: number, options: { client?: InstanceAgentClient } = {}) {
  const db = await getDb();
  const [instance] = await db.select({ name: instances.name }).from(instances).where(eq(instances.id, instanceId));
  if (!instance) return null;
  const client = options.client ?? createInstanceAgentClientFromEnv();
  try {
    const report = await client.getUsage(instance.name);
    const values = { customers: report.customers, devices: report.devices, reportedAt: report.countedAt, checkedAt: new Date(), error: null };
    await db.insert(instanceUsage).values({ instanceId, ...values }).onConflictDoUpdate({ target: instanceUsage.instanceId, set: values });
  } catch (error) {
    const reason = error instanceof InstanceAgentError ? error.userMessage : "Die Instanz konnte nicht nach ihrer Nutzung gefragt werden.";
    await db
      .insert(instanceUsage)
      .values({ instanceId, checkedAt: new Date(), error: reason })
      .onConflictDoUpdate({ target: instanceUsage.instanceId, set: { checkedAt: sql`now()`, error: reason } });
  }
  return loadUsage(instanceId);
}

/** Job `instance-usage`: asks every instance, one after another (an instance that hangs costs one timeout). */
export async function refreshAllUsage(options: { client?: InstanceAgentClient } = {}) {
  const db = await getDb();
  const all = await db.select({ id: instances.id }).from(instances);
  let failed = 0;
  for (const { id } of all) {
    const row = await refreshUsage(id, options);
    if (row?.error) failed++;
  }
  return { asked: all.length, failed };
}
