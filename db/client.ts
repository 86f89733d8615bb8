import path from "node:path";
import { mkdirSync } from "node:fs";
import type { PgliteDatabase } from "drizzle-orm/pglite";
import type { PostgresJsDatabase } from "drizzle-orm/postgres-js";
import * as schema from "./schema";

export type Schema = typeof schema;
/** Both drivers expose the same query API; the postgres-js type stands for both. */
export type Db = PostgresJsDatabase<Schema>;

type Handle = {
  db: Db;
  close: () => Promise<void>;
  kind: "postgres" | "pglite";
  pgClient?: import("postgres").Sql;
};

const MIGRATIONS_FOLDER = path.join(process.cwd(), "db", "migrations");
const globalStore = globalThis as unknown as { __manageDb?: Promise<Handle> };

/**
 * Opens the database: PostgreSQL through `postgres` when DATABASE_URL is set,
 * otherwise the embedded PGlite stored in PGLITE_DIR (":memory:" for an in-memory one).
 * Migrations are applied on open.
 */
export async function openDatabase(
  opts: { url?: string; pgliteDir?: string; poolSize?: number; /** an in-memory PGlite starts from this data-dir dump (tests: a migrated snapshot) */ pgliteSnapshot?: Blob } = {},
): Promise<Handle> {
  const url = opts.url ?? process.env.DATABASE_URL;
  let handle: Handle;
  if (url) {
    const { default: postgres } = await import("postgres");
    const { drizzle } = await import("drizzle-orm/postgres-js");
    // Migrations may run longer than a request may wait: they use their own connection without the statement timeout.
    const migrator = postgres(url, { max: 2, onnotice: () => {}, connect_timeout: postgresTimeouts().connectSeconds });
    try {
      await migratePostgres(drizzle(migrator, { schema }), migrator);
    } finally {
      await migrator.end({ timeout: 5 });
    }
    const client = postgres(url, postgresPoolOptions(opts.poolSize ?? 10));
    handle = { db: drizzle(client, { schema }), close: () => client.end({ timeout: 5 }), kind: "postgres", pgClient: client };
    return handle;
  } else {
    const { PGlite } = await import("@electric-sql/pglite");
    const { drizzle } = await import("drizzle-orm/pglite");
    const dir = opts.pgliteDir ?? process.env.PGLITE_DIR ?? ".data/pglite";
    if (dir !== ":memory:") mkdirSync(dir, { recursive: true });
    const client = dir !== ":memory:" ? new PGlite(dir) : opts.pgliteSnapshot ? new PGlite({ loadDataDir: opts.pgliteSnapshot }) : new PGlite();
    const db = drizzle(client, { schema }) as PgliteDatabase<Schema>;
    handle = { db: db as unknown as Db, close: () => client.close(), kind: "pglite" };
  }
  const { migrate } = await import("drizzle-orm/pglite/migrator");
  await migrate(handle.db as unknown as PgliteDatabase<Schema>, { migrationsFolder: MIGRATIONS_FOLDER });
  return handle;
}

async function migratePostgres(db: Db, client: import("postgres").Sql) {
  const { migrate } = await import("drizzle-orm/postgres-js/migrator");
  // Several app processes may start at once: one migrates, the others wait on the lock.
  const lockConnection = await client.reserve();
  try {
    await lockConnection`select pg_advisory_lock(727274)`;
    await migrate(db, { migrationsFolder: MIGRATIONS_FOLDER });
  } finally {
    await lockConnection`select pg_advisory_unlock(727274)`;
    lockConnection.release();
  }
}

/**
 * How long a request may wait on the database. A dead or unreachable server
 * must not hold a request for postgres.js's default 30 s connect timeout, and
 * a statement stuck behind a lock or on a half-dead connection is cancelled by
 * the server: connect 3 s, statement 10 s, an open transaction left idle 10 s
 * (DB_CONNECT_TIMEOUT_SECONDS, DB_STATEMENT_TIMEOUT_MS override them).
 */
export function postgresTimeouts(env: Record<string, string | undefined> = process.env) {
  const positive = (raw: string | undefined, fallback: number) => {
    const n = Number(raw);
    return Number.isFinite(n) && n > 0 ? n : fallback;
  };
  return { connectSeconds: positive(env.DB_CONNECT_TIMEOUT_SECONDS, 3), statementMs: positive(env.DB_STATEMENT_TIMEOUT_MS, 30_000) };
}

/** Options of the app's pool: size, timeouts, and the settings every session gets. */
export function postgresPoolOptions(max: number) {
  const timeouts = postgresTimeouts();
  return {
    max,
    onnotice: () => {},
    connect_timeout: timeouts.connectSeconds,
    connection: {
      // jit off: the portal's queries are short OLTP reads; JIT compilation of an over-estimated plan cost more than the query itself (issue 12).
      jit: "off",
      application_name: poolApplicationName(),
      statement_timeout: timeouts.statementMs,
      idle_in_transaction_session_timeout: timeouts.statementMs * 2,
    },
  } as const;
}

/** Each process's connections carry its pid, so pool use can be read from pg_stat_activity. */
function poolApplicationName() {
  return `manage-portal:${process.pid}`;
}

/**
 * This process's pool as PostgreSQL sees it (the driver keeps no statistics):
 * connections open and busy, without the one asking. PGlite is one in-process connection.
 */
export async function poolUsage(handle: Handle, max = 10): Promise<{ max: number; open: number; inUse: number }> {
  if (handle.kind === "pglite") return { max: 1, open: 1, inUse: 0 };
  const [row] = await handle.pgClient!<{ open: number; in_use: number }[]>`
    select count(*)::int as open, count(*) filter (where state <> 'idle')::int as in_use
    from pg_stat_activity where application_name = ${poolApplicationName()} and pid <> pg_backend_pid()`;
  return { max, open: (row?.open ?? 0) + 1, inUse: row?.in_use ?? 0 };
}

/** The process-wide database (opened and migrated on first use). */
export function getDbHandle(): Promise<Handle> {
  globalStore.__manageDb ??= openDatabase().catch((error) => {
    globalStore.__manageDb = undefined;
    throw error;
  });
  return globalStore.__manageDb;
}

export async function getDb(): Promise<Db> {
  return (await getDbHandle()).db;
}

/** Tests install their own database (in-memory PGlite or a PostgreSQL test database). */
export function setDbHandleForTests(handle: Handle | undefined) {
  globalStore.__manageDb = handle ? Promise.resolve(handle) : undefined;
}

export async function closeDb() {
  const pending = globalStore.__manageDb;
  globalStore.__manageDb = undefined;
  if (pending) await (await pending).close();
}
