/**
 * The scheduled billing run. Meant to be scheduled daily: from the configured
 * billing day on it bills the current month; before it, it does nothing.
 * Repeating it (retries, several workers, daily schedule) is harmless — the
 * ledger in `billing_periods` bills each instance and period once.
 */
import { getDb } from "@/db/client";
import { systemActor } from "@/lib/activity";
import { billingToday } from "@/lib/billing/clock";
import type { JobDefinition } from "./definition";
import { isPeriodKey, periodOf } from "@/lib/billing/period";
import { executeBillingRun } from "@/lib/billing/run";
import { loadSettings } from "@/lib/billing/settings";

export type BillingJobData = { period?: string };

export async function runScheduledBilling(data: BillingJobData = {}) {
  const today = billingToday();
  if (!data.period) {
    const settings = await loadSettings(await getDb());
    if (Number(today.slice(8, 10)) < settings.billingDay) return { skipped: true as const, reason: "before_billing_day" };
  }
  const period = data.period ?? periodOf(today).key;
  return { skipped: false as const, result: await executeBillingRun(systemActor("billing"), { period }) };
}

/** For lib/jobs/registry.ts: daily at 06:00 UTC; `{ period: "2026-11" }` runs a given month. */
export const billingRunJob = {
  name: "billing-run",
  schedule: "0 6 * * *",
  handler: async (data: Record<string, unknown> | undefined) => {
    const period = typeof data?.period === "string" && isPeriodKey(data.period) ? data.period : undefined;
    return runScheduledBilling({ period });
  },
  retryLimit: 5,
  retryBackoff: true,
  retryDelay: 60,
  expireInSeconds: 30 * 60,
} satisfies JobDefinition;
