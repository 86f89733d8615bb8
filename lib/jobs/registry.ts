/**
 * Every background job the portal knows. Add a job by adding an entry here;
 * the runner (lib/jobs/runner.ts) creates its queue, its cron schedule and its
 * worker. A handler must be idempotent: pg-boss delivers at least once (a
 * retry after a crash, a second worker after an expired lock), so running it
 * twice must do no more than running it once.
 */
import { getDb } from "@/db/client";
import { billingRunJob } from "./billing";
import { dunningJob } from "./dunning";
import { config } from "@/lib/config";
import { runHealthProbes } from "@/lib/health/probe";
import { refreshAllUsage } from "@/lib/instances/usage";
import { deliverDueMails } from "@/lib/mail";
import { recordMailFailure } from "@/lib/observability/metrics";
import { syncSchedule, syncServers } from "@/lib/servers/sync";
import { deliverDueWebhooks, scanOverdueInvoices } from "@/lib/webhooks";
import { anonymiseOldIps, runHousekeeping } from "./housekeeping";
import type { JobDefinition } from "./definition";

export type { JobDefinition };

export const JOBS: JobDefinition[] = [
  {
    name: "housekeeping",
    schedule: "17 * * * *",
    handler: async () => runHousekeeping(await getDb()),
    retryLimit: 3,
    retryBackoff: true,
    retryDelay: 60,
    expireInSeconds: 15 * 60,
  },
  billingRunJob,
  {
    // Mails queued by enqueueMail go out within a few seconds; the per-minute cron is the safety net.
    name: "mail-delivery",
    quiet: true,
    schedule: "* * * * *",
    everySeconds: 3,
    handler: async () => deliverDueMails(50, () => recordMailFailure()),
    retryLimit: 1,
    retryBackoff: false,
    retryDelay: 5,
    expireInSeconds: 10 * 60,
  },
  {
    name: "server-sync",
    schedule: () => syncSchedule(config().SERVER_SYNC_INTERVAL_MINUTES),
    handler: async () => syncServers(),
    retryLimit: 2,
    retryBackoff: true,
    retryDelay: 30,
    expireInSeconds: 10 * 60,
  },
  {
    name: "health-probe",
    quiet: true,
    schedule: "* * * * *",
    handler: async () => runHealthProbes(),
    retryLimit: 0,
    retryBackoff: false,
    expireInSeconds: 5 * 60,
  },
  {
    // Usage against limits: each instance counts its customers and devices (lib/instances/usage.ts).
    name: "instance-usage",
    schedule: "41 * * * *",
    handler: async () => refreshAllUsage(),
    retryLimit: 1,
    retryBackoff: true,
    retryDelay: 300,
    expireInSeconds: 30 * 60,
  },
  {
    name: "ip-anonymisation",
    schedule: "27 3 * * *",
    handler: async () => ({ anonymised: await anonymiseOldIps(await getDb(), config().IP_RETENTION_DAYS) }),
    retryLimit: 3,
    retryBackoff: true,
    retryDelay: 300,
    expireInSeconds: 30 * 60,
  },
  dunningJob,
  {
    // Webhooks queued in a change's transaction go out within a few seconds; back-off and leases live in the rows (lib/webhooks/deliver.ts).
    name: "webhook-delivery",
    quiet: true,
    schedule: "* * * * *",
    everySeconds: 3,
    handler: async () => deliverDueWebhooks(),
    retryLimit: 1,
    retryBackoff: false,
    retryDelay: 5,
    expireInSeconds: 10 * 60,
  },
  {
    name: "webhook-overdue-scan",
    schedule: "7 * * * *",
    handler: async () => scanOverdueInvoices(),
    retryLimit: 3,
    retryBackoff: true,
    retryDelay: 60,
    expireInSeconds: 15 * 60,
  },
];
