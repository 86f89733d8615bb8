import { and, count, desc, eq, isNotNull, ne, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { activityLog, billing, instances, mailOutbox, servers } from "@/db/schema";
import { effectiveStatus } from "@/lib/instances/present";
import { INSTANCE_STATUS_LABELS } from "@/lib/labels";
import { formatEuro } from "@/lib/money";
import { apiTimestamp, formatDateDe } from "@/lib/time";
import { dunningOutlook } from "@/lib/dunning/outlook";
import { HEALTH_LABELS, SERVER_STATUS_LABELS } from "@/lib/servers/labels";
import { openInvoiceTotals } from "@/lib/invoices/open-totals";

/**
 * Staff dashboard: instances by status, unhealthy servers, overdue invoices, mails that failed for
 * good (only the count: reading and resending them needs `tenant.manage`), recent activity.
 */
export async function staffDashboard() {
  const db = await getDb();
  const all = await db
    .select({ id: instances.id, name: instances.name, companyName: instances.companyName, status: instances.status, suspended: instances.suspended, billingStatus: billing.status })
    .from(instances)
    .leftJoin(billing, eq(billing.instanceId, instances.id));
  const byStatus: Record<string, number> = { online: 0, offline: 0, provisioning: 0, maintenance: 0, suspended: 0 };
  for (const i of all) {
    const s = effectiveStatus({ status: i.status, suspended: i.suspended } as never);
    byStatus[s] = (byStatus[s] ?? 0) + 1;
  }

  const unhealthy = await db
    .select({ instance: instances, server: servers })
    .from(servers)
    .innerJoin(instances, eq(instances.id, servers.instanceId))
    .where(and(isNotNull(servers.hetznerServerId), ne(servers.healthStatus, "off"), or(ne(servers.healthStatus, "healthy"), ne(servers.status, "online"))))
    .orderBy(instances.name);

  const open = await openInvoiceTotals();
  const names = new Map(all.map((i) => [i.id, i]));
  const overdue = [...open.entries()]
    .filter(([, o]) => o.overdueCount > 0)
    .map(([instanceId, o]) => ({
      instance_id: instanceId,
      instance_name: names.get(instanceId)?.name ?? "",
      company_name: names.get(instanceId)?.companyName ?? "",
      overdue_count: o.overdueCount,
      overdue_amount: o.overdueCents / 100,
      overdue_amount_label: formatEuro(o.overdueCents),
    }))
    .sort((a, b) => b.overdue_amount - a.overdue_amount);
  // Dunning in sight: the stage each overdue customer reached and what comes next, with its invoices.
  const withDunning = [];
  for (const o of overdue) {
    const outlook = await dunningOutlook(db, o.instance_id);
    withDunning.push({
      ...o,
      dunning_stage: outlook.current_stage,
      dunning_stage_label: outlook.current_stage_label,
      next_step_label: outlook.next_step ? `${outlook.next_step.stage_label} am ${formatDateDe(outlook.next_step.date)}` : outlook.next_step_blocked,
      invoices: outlook.overdue_invoices.map((i) => ({ invoice_id: i.invoice_id, invoice_number: i.invoice_number, days_overdue: i.days_overdue, open_amount_formatted: i.open_amount_formatted, stage_label: i.stage_label })),
    });
  }
  const totalOpenCents = [...open.values()].reduce((sum, o) => sum + o.openCents, 0);
  const totalOverdueCents = [...open.values()].reduce((sum, o) => sum + o.overdueCents, 0);

  const [{ failedMails } = { failedMails: 0 }] = await db.select({ failedMails: count() }).from(mailOutbox).where(eq(mailOutbox.status, "failed"));

  const recent = await db
    .select({ log: activityLog, name: instances.name, companyName: instances.companyName })
    .from(activityLog)
    .leftJoin(instances, eq(instances.id, activityLog.instanceId))
    .orderBy(desc(activityLog.createdAt), desc(activityLog.id))
    .limit(15);

  return {
    instances: {
      total: all.length,
      by_status: Object.entries(byStatus).map(([status, n]) => ({ status, status_label: INSTANCE_STATUS_LABELS[status] ?? status, count: n })),
      past_due: all
        .filter((i) => i.billingStatus === "past_due")
        .map((i) => ({ instance_id: i.id, instance_name: i.name, company_name: i.companyName })),
    },
    servers_not_healthy: unhealthy.map(({ instance, server }) => ({
      instance_id: instance.id,
      instance_name: instance.name,
      company_name: instance.companyName,
      hetzner_server_id: server.hetznerServerId,
      status: server.status,
      status_label: SERVER_STATUS_LABELS[server.status] ?? server.status,
      health_status: server.healthStatus,
      health_status_label: HEALTH_LABELS[server.healthStatus] ?? server.healthStatus,
    })),
    invoices: {
      open_amount: totalOpenCents / 100,
      open_amount_label: formatEuro(totalOpenCents),
      overdue_amount: totalOverdueCents / 100,
      overdue_amount_label: formatEuro(totalOverdueCents),
      overdue: withDunning,
    },
    mails: { failed_count: failedMails },
    recent_activity: recent.map(({ log, name, companyName }) => ({
      id: log.id,
      instance_id: log.instanceId,
      instance_name: name,
      company_name: companyName,
      action: log.action,
      description: log.description,
      level: log.level,
      actor: log.actorName,
      created_at: apiTimestamp(log.createdAt),
    })),
  };
}
