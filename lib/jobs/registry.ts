/**
 * Every background job the portal knows. Add a job by adding an entry here;
 * the runner (lib/jobs/runner.ts) creates its queue, its cron schedule and its
 * worker. A handler must be idempotent: pg-boss delivers at least once (a
 * retry after a crash, a second worker after an expired lock), so running it
 * twice must do no more than running it once.
 */
import { getDb } from "@/db/client";
import { billingRunJob } from "@/lib/billing/job";
import { runHousekeeping } from "./housekeeping";

export type JobDefinition<Data extends object = Record<string, unknown>> = {
  /** Queue name, kebab-case. */
  name: string;
  /** Cron expression (UTC) for recurring jobs; omit for jobs that are only sent. */
  schedule?: string;
  handler: (data: Data) => Promise<unknown>;
  retryLimit: number;
  retryBackoff: boolean;
  /** Seconds before the first retry (doubles with retryBackoff). */
  retryDelay?: number;
  /** A job running longer than this is failed and retried. */
  expireInSeconds?: number;
};

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
];
