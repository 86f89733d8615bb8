/**
 * Vitest global setup: migrates one template database for the whole run, so
 * each test file starts from a copy instead of running every migration again
 * (that made the suite serial and slow).
 *
 * - PGlite (default): the migrated in-memory data dir is dumped to a tar file;
 *   every file's `useTestDatabase()` loads it into its own in-memory PGlite.
 * - PostgreSQL (DATABASE_URL): a template database `<name>_<run>_tmpl` is migrated;
 *   every file gets `CREATE DATABASE … TEMPLATE` and drops it after. Names carry
 *   a per-run id, so concurrent runs on one server leave each other alone.
 *
 * Seeding stays per file: demo data depends on the clock the file fixes.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "@/db/client";
import { adminClient, dropDatabase, templateName, withDatabaseName } from "./pg-admin";

declare module "vitest" {
  export interface ProvidedContext {
    /** PGlite: path of the migrated data-dir dump; PostgreSQL: the template database's name. */
    testDbTemplate: string;
  }
}

export default async function setup(project: TestProject) {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const dir = mkdtempSync(path.join(os.tmpdir(), "manage-portal-tests-"));
    const file = path.join(dir, "migrated.tar");
    const handle = await openDatabase({ pgliteDir: ":memory:" });
    const client = (handle.db as unknown as { $client: import("@electric-sql/pglite").PGlite }).$client;
    const dump = await client.dumpDataDir("none");
    writeFileSync(file, Buffer.from(await dump.arrayBuffer()));
    await handle.close();
    project.provide("testDbTemplate", file);
    return () => rmSync(dir, { recursive: true, force: true });
  }

  const template = templateName(url, randomBytes(3).toString("hex"));
  const admin = adminClient(url);
  await admin.unsafe(`CREATE DATABASE "${template}"`);
  const handle = await openDatabase({ url: withDatabaseName(url, template), poolSize: 2 });
  await handle.close();
  project.provide("testDbTemplate", template);
  return async () => {
    // Copies a crashed worker left behind, then the template itself.
    const left = await admin<{ datname: string }[]>`select datname from pg_database where datname like ${`${template.replace(/_tmpl$/, "_f").replaceAll("_", "\\_")}%`}`;
    for (const { datname } of left) await dropDatabase(admin, datname);
    await dropDatabase(admin, template);
    await admin.end({ timeout: 5 });
  };
}
