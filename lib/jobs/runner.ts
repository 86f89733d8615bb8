/**
 * Starts pg-boss with the workers for every job in the registry: one queue per
 * job (retry policy from the registry), its cron schedule, a worker that
 * records metrics and logs each run; jobs with `everySeconds` are also sent
 * (throttled) on a timer, for polling faster than cron's minute. Any number of runners may run against one
 * database: pg-boss hands each job to one worker (SKIP LOCKED) and fires each
 * cron slot once.
 */
import type PgBoss from "pg-boss";
import type { Db } from "@/db/client";
import { logger } from "@/lib/observability/logger";
import { recordJob, setQueueDepthProvider } from "@/lib/observability/metrics";
import { createBoss, createQueueOnce } from "./boss";
import { JOBS, type JobDefinition } from "./registry";

export type JobRunner = { boss: PgBoss; stop: (timeoutMs: number) => Promise<void> };

export async function startJobRunner(options: {
  handle: { db: Db; kind: "postgres" | "pglite" };
  jobs?: JobDefinition[];
  pollingIntervalSeconds?: number;
}): Promise<JobRunner> {
  const jobs = options.jobs ?? JOBS;
  const boss = createBoss({ handle: options.handle });
  const log = logger().child({ component: "jobs" });
  boss.on("error", (error) => log.error({ err: error }, "pg-boss error"));
  await boss.start();

  for (const job of jobs) {
    const policy = {
      name: job.name,
      retryLimit: job.retryLimit,
      retryBackoff: job.retryBackoff,
      ...(job.retryDelay !== undefined ? { retryDelay: job.retryDelay } : {}),
      ...(job.expireInSeconds !== undefined ? { expireInSeconds: job.expireInSeconds } : {}),
    };
    // create_queue is a no-op for an existing queue; the update carries registry changes over.
    await createQueueOnce(boss, job.name, policy);
    await boss.updateQueue(job.name, policy);
    const schedule = typeof job.schedule === "function" ? job.schedule() : job.schedule;
    if (schedule) await boss.schedule(job.name, schedule, {}, { tz: "UTC" });
    await boss.work<Record<string, unknown>>(
      job.name,
      { batchSize: 1, pollingIntervalSeconds: options.pollingIntervalSeconds ?? 2 },
      async ([entry]) => {
        const started = performance.now();
        try {
          const result = await job.handler(entry.data ?? {});
          recordJob(job.name, "completed", (performance.now() - started) / 1000);
          // Frequent jobs (mail delivery every few seconds) log at debug level, so the log shows what matters.
          log[job.quiet ? "debug" : "info"]({ job: job.name, job_id: entry.id, result, duration_ms: Math.round(performance.now() - started) }, "job completed");
          return result;
        } catch (error) {
          recordJob(job.name, "failed", (performance.now() - started) / 1000);
          log.error({ job: job.name, job_id: entry.id, err: error }, "job failed");
          throw error;
        }
      },
    );
  }

  // Sub-minute jobs: each runner asks for one run per slot; pg-boss keeps one per slot across all runners.
  const timers = jobs
    .filter((job) => job.everySeconds)
    .map((job) =>
      setInterval(() => {
        boss.sendThrottled(job.name, {}, {}, job.everySeconds!, job.name).catch((error) => log.warn({ job: job.name, err: error }, "could not send polling job"));
      }, job.everySeconds! * 1000),
    );
  for (const timer of timers) timer.unref();

  setQueueDepthProvider(async () => {
    const depths: Record<string, number> = {};
    for (const job of jobs) depths[job.name] = await boss.getQueueSize(job.name);
    return depths;
  });
  log.info({ jobs: jobs.map((j) => j.name) }, "job workers started");

  return {
    boss,
    async stop(timeoutMs) {
      for (const timer of timers) clearInterval(timer);
      setQueueDepthProvider(undefined);
      // Stops fetching, waits for running jobs up to the timeout, then fails what is left (it will be retried).
      await boss.stop({ graceful: true, wait: true, timeout: timeoutMs, close: true });
      log.info("job workers stopped");
    },
  };
}
