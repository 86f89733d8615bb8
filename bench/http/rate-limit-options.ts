/**
 * `npm run bench:rate-limit`: what the exact per-user limit of API v1 (600/min,
 * lib/v1/rate-limits.ts) costs per request in PostgreSQL, for the options of
 * issue 12. Each option runs the portal's counter upsert (lib/rate-limit.ts
 * consumeRateLimit) from 10 concurrent clients for BENCH_SECONDS against the
 * bench database:
 *
 * - logged table: one WAL flush (fsync) per request;
 * - UNLOGGED table (what the portal uses): no WAL, still one atomic upsert, so
 *   exact across processes; after a database crash the windows start empty;
 * - batched counter: each process counts in memory and adds its count with one
 *   upsert every 100 ms; almost free per request, but a process learns about the
 *   others' requests only at the flush, so N processes may let through up to
 *   N × (requests per flush interval) too many per window;
 * - `select 1`: one round trip without a counter, the floor.
 */
import postgres from "postgres";
import { benchDatabaseUrl, ensureDatabase } from "./seed-scale";

const SECONDS = Number(process.env.BENCH_SECONDS ?? 5);
const CLIENTS = 10;

const upsert = (table: string) => `insert into ${table} (key, window_start, count) values ($1, now(), 1)
  on conflict (key) do update set
    count = case when ${table}.window_start <= now() - interval '60 seconds' then 1 else ${table}.count + 1 end,
    window_start = case when ${table}.window_start <= now() - interval '60 seconds' then now() else ${table}.window_start end
  returning count`;

type Result = { ops: number; p50: number; p99: number };

async function measure(run: () => Promise<unknown>): Promise<Result> {
  const latencies: number[] = [];
  const until = Date.now() + SECONDS * 1000;
  await Promise.all(
    Array.from({ length: CLIENTS }, async () => {
      while (Date.now() < until) {
        const started = performance.now();
        await run();
        latencies.push(performance.now() - started);
      }
    }),
  );
  latencies.sort((a, b) => a - b);
  const at = (q: number) => latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))]!;
  return { ops: latencies.length / SECONDS, p50: at(0.5), p99: at(0.99) };
}

async function main() {
  const url = benchDatabaseUrl();
  await ensureDatabase(url);
  const sql = postgres(url, { max: CLIENTS, onnotice: () => {} });
  try {
    await sql.unsafe(`drop table if exists bench_rl_logged, bench_rl_unlogged`);
    await sql.unsafe(`create table bench_rl_logged (key text primary key, window_start timestamptz not null, count integer not null)`);
    await sql.unsafe(`create unlogged table bench_rl_unlogged (key text primary key, window_start timestamptz not null, count integer not null)`);

    let pending = 0;
    const flusher = setInterval(() => {
      const n = pending;
      pending = 0;
      if (n > 0) void sql.unsafe(upsert("bench_rl_unlogged").replace("values ($1, now(), 1)", "values ($1, now(), $2)").replace("else bench_rl_unlogged.count + 1", "else bench_rl_unlogged.count + excluded.count"), ["v1:user:batched", n]);
    }, 100);

    const options: [string, () => Promise<unknown>][] = [
      ["Tabelle mit WAL (logged)", () => sql.unsafe(upsert("bench_rl_logged"), ["v1:user:1"])],
      ["UNLOGGED-Tabelle (Portal)", () => sql.unsafe(upsert("bench_rl_unlogged"), ["v1:user:1"])],
      ["Zähler im Prozess, alle 100 ms gebündelt", async () => { pending += 1; }],
      ["nur `select 1` (ohne Zähler)", () => sql.unsafe("select 1")],
    ];
    const rows: string[] = [];
    for (const [name, run] of options) {
      const r = await measure(run);
      rows.push(`| ${name} | ${r.ops.toFixed(0)} | ${r.p50.toFixed(2)} | ${r.p99.toFixed(2)} |`);
      console.log(rows.at(-1));
    }
    clearInterval(flusher);
    console.log(["", `Ein Schlüssel (ein Nutzer), ${CLIENTS} gleichzeitige Clients, je ${SECONDS} s:`, "", "| Option | Zählungen/s | p50 ms | p99 ms |", "|---|---:|---:|---:|", ...rows].join("\n"));
    await sql.unsafe(`drop table if exists bench_rl_logged, bench_rl_unlogged`);
  } finally {
    await sql.end({ timeout: 5 });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
