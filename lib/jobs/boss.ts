/**
 * The pg-boss instance. With DATABASE_URL pg-boss opens its own small pool on
 * the same PostgreSQL (schema `pgboss`); on the embedded PGlite it runs through
 * an adapter over the app's PGlite client, because a PGlite directory can be
 * opened by one client only. pg-boss 10 needs SKIP LOCKED, advisory locks and
 * partitioned tables; PGlite (PostgreSQL 17 in WASM) has all three. PGlite has
 * a single connection, so jobs there share it with the web requests — fine
 * for `npm run demo`, not a production setup.
 */
import PgBoss from "pg-boss";
import type { Db } from "@/db/client";

type PGliteLike = {
  query: (text: string, values?: unknown[]) => Promise<{ rows: unknown[] }>;
  exec: (text: string) => Promise<Array<{ rows: unknown[] }>>;
};

/** pg-boss sends multi-statement scripts without parameters (migrations, locked commands): those go through exec. */
export function pgliteExecutor(client: PGliteLike): PgBoss.Db {
  return {
    async executeSql(text, values) {
      if (values && values.length > 0) return { rows: (await client.query(text, values)).rows };
      const results = await client.exec(text);
      const withRows = [...results].reverse().find((r) => r.rows.length > 0);
      return { rows: withRows?.rows ?? [] };
    },
  };
}

export type BossOptions = {
  /** The app's database handle; on PGlite its client carries the jobs. */
  handle: { db: Db; kind: "postgres" | "pglite" };
  /** Workers and cron: false in a web process that only sends jobs. */
  supervise?: boolean;
  schedule?: boolean;
};

export function createBoss({ handle, supervise = true, schedule = true }: BossOptions): PgBoss {
  const common = { supervise, schedule, migrate: true } as const;
  const url = process.env.DATABASE_URL;
  if (handle.kind === "postgres" && url) {
    return new PgBoss({ ...common, connectionString: url, max: 4, application_name: "manage-portal-jobs" });
  }
  const client = (handle.db as unknown as { $client: PGliteLike }).$client;
  return new PgBoss({ ...common, db: pgliteExecutor(client) });
}

/**
 * `boss.createQueue`, safe when several processes start at once on a fresh
 * database: pg-boss 10 creates the queue row and its partition without a lock,
 * so two processes creating the same queue can deadlock (PostgreSQL aborts
 * one). The aborted one retries and finds the queue there (a no-op).
 */
export async function createQueueOnce(boss: PgBoss, name: string, options: PgBoss.Queue): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await boss.createQueue(name, options);
    } catch (error) {
      if ((error as { code?: string }).code !== "40P01" || attempt >= 5) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 * attempt + Math.random() * 100));
    }
  }
}
