/**
 * Each test file gets its own database, copied from the template the global
 * setup migrated once (tests/helpers/global-setup.ts), so files run in
 * parallel without sharing rows:
 * - PGlite (default): an in-memory PGlite loaded from the migrated data-dir dump;
 * - PostgreSQL (DATABASE_URL, CI): `CREATE DATABASE … TEMPLATE`, dropped after the
 *   file. While the file runs, DATABASE_URL points at its copy, so code that opens
 *   a second pool (two "app processes") reaches the same data.
 * Demo data is seeded per file, on the clock the file fixes (or `seedAt`).
 */
import { readFileSync } from "node:fs";
import { afterAll, beforeAll, inject } from "vitest";
import { closeDb, openDatabase, setDbHandleForTests, type Db } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { resetConfigForTests } from "@/lib/config";
import { adminClient, copyName, dropDatabase, withDatabaseName } from "./pg-admin";

export const usingPostgres = Boolean(process.env.DATABASE_URL);

let snapshot: Blob | undefined;

/** A fresh migrated database of the test's kind (not installed as the process database). */
export async function openTestDatabase(poolSize = 20) {
  const url = process.env.DATABASE_URL;
  if (url) return openDatabase({ url, poolSize });
  snapshot ??= new Blob([readFileSync(inject("testDbTemplate"))]);
  return openDatabase({ pgliteDir: ":memory:", pgliteSnapshot: snapshot, poolSize });
}

/**
 * Gives each test file a fresh database with the demo data: an in-memory
 * PGlite by default, a copy of the migrated PostgreSQL template when DATABASE_URL is set (CI).
 */
export function useTestDatabase(options: { seed?: boolean; /** the moment the demo data is seeded at (default: the billing clock) */ seedAt?: string } = {}) {
  let db: Db;
  const baseUrl = process.env.DATABASE_URL;
  let copy: string | undefined;
  beforeAll(async () => {
    if (baseUrl) {
      copy = copyName(inject("testDbTemplate"), process.env.VITEST_POOL_ID ?? "0");
      const admin = adminClient(baseUrl);
      try {
        await admin.unsafe(`CREATE DATABASE "${copy}" TEMPLATE "${inject("testDbTemplate")}"`);
      } finally {
        await admin.end({ timeout: 5 });
      }
      process.env.DATABASE_URL = withDatabaseName(baseUrl, copy);
    }
    resetConfigForTests();
    const handle = await openTestDatabase();
    setDbHandleForTests(handle);
    db = handle.db;
    if (options.seed !== false) await seedDemoData(db, { now: options.seedAt ? new Date(options.seedAt) : undefined });
  });
  afterAll(async () => {
    await closeDb();
    if (baseUrl && copy) {
      process.env.DATABASE_URL = baseUrl;
      const admin = adminClient(baseUrl);
      try {
        await dropDatabase(admin, copy);
      } finally {
        await admin.end({ timeout: 5 });
      }
    }
  });
  return { db: () => db };
}
