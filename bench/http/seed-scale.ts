/**
 * Seeds the benchmark database at the scale of issue 12 (bench/http/scale.ts):
 *
 *   tsx bench/http/seed-scale.ts        BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/manage_bench
 *                                      (BENCH_SCALE=10: ten times the instances and activity, database manage_bench_x10)
 *
 * Creates the database if missing, applies the app's migrations, writes the demo data,
 * renders one invoice PDF with the app's PDF code (the demo invoice's archived PDF)
 * and copies its bytes into every bench invoice. Skips when already seeded.
 */
import { closeDb, openDatabase, setDbHandleForTests } from "@/db/client";
import { seedDemoData } from "@/db/seed";
import { getInvoicePdf } from "@/lib/invoices/pdf-archive";
import { sql } from "drizzle-orm";
import { BENCH_CUSTOMER, scaledBy, seedScale } from "./scale";

export const DEFAULT_BENCH_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/manage_bench";

/** BENCH_SCALE: how many times the production scale's instances and activity log (default 1). */
export const BENCH_SCALE = Number(process.env.BENCH_SCALE ?? 1);

/** Each scale in its own database, so switching scales never reseeds. */
export function benchDatabaseUrl() {
  return process.env.BENCH_DATABASE_URL || (BENCH_SCALE === 1 ? DEFAULT_BENCH_DATABASE_URL : `${DEFAULT_BENCH_DATABASE_URL}_x${BENCH_SCALE}`);
}

/** CREATE DATABASE through the server's `postgres` database when the target is missing. */
export async function ensureDatabase(url: string) {
  const { default: postgres } = await import("postgres");
  const target = new URL(url);
  const name = decodeURIComponent(target.pathname.slice(1));
  const admin = new URL(url);
  admin.pathname = "/postgres";
  const client = postgres(admin.toString(), { max: 1, onnotice: () => {} });
  try {
    const found = await client`select 1 from pg_database where datname = ${name}`;
    if (found.length === 0) {
      await client.unsafe(`create database "${name.replace(/"/g, '""')}"`);
      return true;
    }
    return false;
  } finally {
    await client.end({ timeout: 5 });
  }
}

/** Seeds (or finds) the scale data; returns the seconds it took. */
export async function seedBenchDatabase(url = benchDatabaseUrl(), log: (line: string) => void = console.log) {
  const started = Date.now();
  if (await ensureDatabase(url)) log(`Datenbank angelegt: ${new URL(url).pathname.slice(1)}`);
  const handle = await openDatabase({ url, poolSize: 4 });
  setDbHandleForTests(handle);
  try {
    await seedDemoData(handle.db);
    // One real PDF, rendered (and archived) by the app for the first issued demo invoice of acme.
    const result = (await handle.db.execute(sql`
      select inv.id, inv.instance_id from invoices inv join instances i on i.id = inv.instance_id
      where i.name = ${BENCH_CUSTOMER.instance} and inv.issued_at is not null order by inv.id limit 1`)) as unknown as { id: number; instance_id: number }[];
    const demo = result[0];
    const pdf = demo ? (await getInvoicePdf(demo.instance_id, demo.id)).bytes : undefined;
    const seeded = await seedScale(handle.db, scaledBy(BENCH_SCALE), { pdf, log });
    const seconds = (Date.now() - started) / 1000;
    log(seeded ? `Skalendaten geschrieben in ${seconds.toFixed(1)} s (PDF ${pdf?.length ?? 0} Bytes je Rechnung).` : "Skalendaten waren schon vorhanden.");
    return { seeded, seconds };
  } finally {
    await closeDb();
  }
}

if (process.argv[1]?.endsWith("seed-scale.ts")) {
  seedBenchDatabase().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
