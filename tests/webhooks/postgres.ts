/**
 * Webhook delivery is about several processes sharing one PostgreSQL (a worker
 * killed mid-send, another taking over), so these tests always run on a
 * PostgreSQL server, never on PGlite: a database of their own
 * (`wt_webhooks_<random>`) on the server of DATABASE_URL, else
 * postgres@127.0.0.1:5432, created per file and dropped afterwards.
 */
import { randomBytes } from "node:crypto";
import postgres from "postgres";
import { afterAll, beforeAll } from "vitest";
import { closeDb, openDatabase, setDbHandleForTests, type Db } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { resetConfigForTests } from "@/lib/config";

function adminUrl() {
  const url = new URL(process.env.DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/postgres");
  url.pathname = "/postgres";
  return url;
}

export function usePostgresDatabase() {
  const name = `wt_webhooks_${randomBytes(4).toString("hex")}`;
  const url = adminUrl();
  url.pathname = `/${name}`;
  let db: Db;
  beforeAll(async () => {
    const admin = postgres(adminUrl().toString(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${name}`);
    await admin.end();
    resetConfigForTests();
    const handle = await openDatabase({ url: url.toString(), poolSize: 10 });
    setDbHandleForTests(handle);
    db = handle.db;
    await seedDemoData(db);
  });
  afterAll(async () => {
    await closeDb();
    const admin = postgres(adminUrl().toString(), { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  });
  return { db: () => db, url: url.toString() };
}
