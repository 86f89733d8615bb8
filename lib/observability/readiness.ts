/**
 * Liveness and readiness for the proxy and the orchestrator. The answers name
 * only which check failed, never why (no versions, hosts or error texts).
 *
 * Ready means: the database answers, its migrations are at the head this
 * build ships (db/migrations/meta/_journal.json), the job queue's schema is
 * there, and the process is not shutting down (so the proxy drains it).
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "drizzle-orm";
import { getDb } from "@/db/client";

type Check = "ok" | "fail";
export type Readiness = { ready: boolean; checks: { database: Check; migrations: Check; queue: Check; accepting: Check } };

const state = globalThis as unknown as { __manageShuttingDown?: boolean };

export function markShuttingDown() {
  state.__manageShuttingDown = true;
}

export function isShuttingDown() {
  return state.__manageShuttingDown === true;
}

let journalHead: { count: number; lastWhen: number } | undefined;

function shippedMigrations() {
  if (!journalHead) {
    const file = path.join(process.cwd(), "db", "migrations", "meta", "_journal.json");
    const entries = (JSON.parse(readFileSync(file, "utf8")) as { entries: Array<{ when: number }> }).entries;
    journalHead = { count: entries.length, lastWhen: Math.max(...entries.map((e) => e.when)) };
  }
  return journalHead;
}

async function attempt(fn: () => Promise<boolean>): Promise<Check> {
  try {
    return (await fn()) ? "ok" : "fail";
  } catch {
    return "fail";
  }
}

export async function readiness(): Promise<Readiness> {
  const database = await attempt(async () => {
    const db = await getDb();
    await db.execute(sql`select 1`);
    return true;
  });
  const migrations =
    database === "ok"
      ? await attempt(async () => {
          const db = await getDb();
          const result = await db.execute(sql`select count(*)::int as count, coalesce(max(created_at), 0)::bigint as last from drizzle.__drizzle_migrations`);
          const row = (Array.isArray(result) ? result[0] : (result as unknown as { rows: unknown[] }).rows[0]) as { count: number; last: string | number };
          const head = shippedMigrations();
          return Number(row.count) >= head.count && Number(row.last) === head.lastWhen;
        })
      : "fail";
  const queue =
    database === "ok"
      ? await attempt(async () => {
          const db = await getDb();
          const result = await db.execute(sql`select to_regclass('pgboss.job') is not null as present`);
          const row = (Array.isArray(result) ? result[0] : (result as unknown as { rows: unknown[] }).rows[0]) as { present: boolean };
          return row.present === true;
        })
      : "fail";
  const accepting: Check = isShuttingDown() ? "fail" : "ok";
  const checks = { database, migrations, queue, accepting };
  return { ready: Object.values(checks).every((c) => c === "ok"), checks };
}

/** Tests: forget the cached journal and the shutdown flag. */
export function resetReadinessForTests() {
  journalHead = undefined;
  state.__manageShuttingDown = undefined;
}
