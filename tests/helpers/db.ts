import { sql } from "drizzle-orm";
import { afterAll, beforeAll } from "vitest";
import { closeDb, openDatabase, setDbHandleForTests, type Db } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { resetConfigForTests } from "@/lib/config";

/** Tables are emptied between test files; the order of names does not matter with CASCADE. */
async function truncateAll(db: Db) {
  await db.execute(sql`
    DO $$ DECLARE r record; BEGIN
      FOR r IN SELECT tablename FROM pg_tables WHERE schemaname = 'public' LOOP
        EXECUTE 'TRUNCATE TABLE ' || quote_ident(r.tablename) || ' RESTART IDENTITY CASCADE';
      END LOOP;
    END $$;`);
}

export const usingPostgres = Boolean(process.env.DATABASE_URL);

/**
 * Gives each test file a fresh database with the demo data: an in-memory
 * PGlite by default, the PostgreSQL of DATABASE_URL when set (CI).
 */
export function useTestDatabase(options: { seed?: boolean; /** the moment the demo data is seeded at (default: the billing clock) */ seedAt?: string } = {}) {
  let db: Db;
  beforeAll(async () => {
    resetConfigForTests();
    const handle = await openDatabase({ url: process.env.DATABASE_URL, pgliteDir: ":memory:", poolSize: 20 });
    setDbHandleForTests(handle);
    db = handle.db;
    if (usingPostgres) await truncateAll(db);
    if (options.seed !== false) await seedDemoData(db, { now: options.seedAt ? new Date(options.seedAt) : undefined });
  });
  afterAll(async () => {
    await closeDb();
  });
  return { db: () => db };
}
