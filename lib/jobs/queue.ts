/**
 * The process's pg-boss handle, for code that sends jobs (`enqueueJob`). The
 * portal server sets it at start: the full runner when jobs run in-process,
 * otherwise a send-only instance (no workers, no cron) that also creates the
 * queue schema on PostgreSQL so /api/ready can see it.
 */
import type PgBoss from "pg-boss";
import type { Db } from "@/db/client";
import { createBoss, createQueueOnce } from "./boss";
import { JOBS } from "./registry";

const store = globalThis as unknown as { __manageBoss?: PgBoss };

export function setJobQueue(boss: PgBoss | undefined) {
  store.__manageBoss = boss;
}

/** Sends a job; it runs in whichever worker picks it up first. */
export async function enqueueJob(name: string, data: object = {}, options: PgBoss.SendOptions = {}): Promise<string | null> {
  const boss = store.__manageBoss;
  if (!boss) throw new Error("Die Job-Warteschlange ist in diesem Prozess nicht gestartet.");
  return boss.send(name, data, options);
}

/** A pg-boss without workers: migrates its schema and creates the queues so jobs can be sent. */
export async function startJobSender(handle: { db: Db; kind: "postgres" | "pglite" }): Promise<PgBoss> {
  const boss = createBoss({ handle, supervise: false, schedule: false });
  await boss.start();
  for (const job of JOBS) {
    await createQueueOnce(boss, job.name, { name: job.name, retryLimit: job.retryLimit, retryBackoff: job.retryBackoff });
  }
  setJobQueue(boss);
  return boss;
}

/** Stops this process's pg-boss (sender or runner) and forgets it. */
export async function stopJobQueue(timeoutMs: number) {
  const boss = store.__manageBoss;
  store.__manageBoss = undefined;
  await boss?.stop({ graceful: true, wait: true, timeout: timeoutMs, close: true });
}
