/**
 * Health alerts: one mail when an instance has failed its probes for
 * HEALTH_ALERT_AFTER_MINUTES, one mail when it answers again — never a mail
 * per probe. State per instance in `instance_health` (locked by the caller's
 * transaction): `failing_since` opens an incident at the first failed probe,
 * `alerted_at` marks that its mail went out; the first successful probe closes
 * the incident (and mails the recovery only if the failure was mailed).
 *
 * Recipients: every active MSP staff account, plus the instance's active
 * customer admins when the instance opted in (`notify_customer`). Mails are
 * queued in the same transaction with a key per incident and recipient, so a
 * retried job cannot mail twice.
 */
import { and, eq, inArray, isNull } from "drizzle-orm";
import { instanceHealth, userRoles, users } from "@/db/schema";
import type { Tx } from "@/db/types";
import { recordActivity, systemActor } from "@/lib/activity";
import { config } from "@/lib/config";
import type { InstanceContext } from "@/lib/instances/present";
import { enqueueMail } from "@/lib/mail";
import { healthDownMail, healthRecoveredMail } from "./mails";
import type { ProbeResult } from "./result";

export type AlertOutcome = "none" | "failing" | "alerted" | "recovered";
type State = typeof instanceHealth.$inferSelect;

export async function updateAlertState(tx: Tx, ctx: InstanceContext, state: State, results: ProbeResult[]): Promise<AlertOutcome> {
  const instanceId = ctx.instance.id;
  const failed = results.filter((r) => !r.ok);
  const now = new Date();

  if (failed.length === 0) {
    await tx.update(instanceHealth).set({ failingSince: null, alertedAt: null, lastProbedAt: now, updatedAt: now }).where(eq(instanceHealth.instanceId, instanceId));
    if (!state.failingSince || !state.alertedAt) return "none";
    const since = state.failingSince;
    for (const to of await recipients(tx, instanceId, state.notifyCustomer)) {
      await enqueueMail(tx, healthRecoveredMail({ to: to.email, name: to.name, ctx, since, until: now }), `health-up:${instanceId}:${since.getTime()}:${to.id}`);
    }
    await recordActivity(tx, systemActor("health"), {
      instanceId,
      action: "server.health_recovered",
      description: `Instanz wieder erreichbar (gestört seit ${germanTime(since)})`,
      metadata: { failing_since: since.toISOString() },
    });
    return "recovered";
  }

  const since = state.failingSince ?? now;
  const due = !state.alertedAt && now.getTime() - since.getTime() >= config().HEALTH_ALERT_AFTER_MINUTES * 60_000;
  await tx
    .update(instanceHealth)
    .set({ failingSince: since, lastProbedAt: now, updatedAt: now, ...(due ? { alertedAt: now } : {}) })
    .where(eq(instanceHealth.instanceId, instanceId));
  if (!due) return "failing";
  for (const to of await recipients(tx, instanceId, state.notifyCustomer)) {
    await enqueueMail(tx, healthDownMail({ to: to.email, name: to.name, ctx, since, failed }), `health-down:${instanceId}:${since.getTime()}:${to.id}`);
  }
  await recordActivity(tx, systemActor("health"), {
    instanceId,
    action: "server.health_down",
    description: `Instanz nicht erreichbar seit ${germanTime(since)}: ${failed.map((f) => `${TARGET_LABELS[f.target]} (${f.error})`).join(", ")}`,
    metadata: { failing_since: since.toISOString(), failed: failed.map((f) => ({ target: f.target, url: f.url, error: f.error })) },
  });
  return "alerted";
}

const TARGET_LABELS = { portal: "Portal", meshcentral: "MeshCentral" } as const;

function germanTime(date: Date) {
  return date.toLocaleString("de-DE", { timeZone: "Europe/Berlin", dateStyle: "medium", timeStyle: "short" }) + " Uhr";
}

async function recipients(tx: Tx, instanceId: number, notifyCustomer: boolean) {
  const staff = await tx
    .select({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .where(and(isNull(users.instanceId), eq(users.active, true)));
  if (!notifyCustomer) return staff;
  const admins = await tx
    .selectDistinct({ id: users.id, email: users.email, name: users.name })
    .from(users)
    .innerJoin(userRoles, eq(userRoles.userId, users.id))
    .where(and(eq(users.instanceId, instanceId), eq(users.active, true), inArray(userRoles.roleKey, ["customer_admin"])));
  return [...staff, ...admins];
}

/** Staff or the customer: whether the instance's own admins get the alert mails too. */
export async function setCustomerAlerts(tx: Tx, instanceId: number, enabled: boolean) {
  await tx
    .insert(instanceHealth)
    .values({ instanceId, notifyCustomer: enabled })
    .onConflictDoUpdate({ target: instanceHealth.instanceId, set: { notifyCustomer: enabled, updatedAt: new Date() } });
}
