/**
 * Benchmarks (`npm run bench`): latency of the hot paths of the foundation,
 * measured in-process against the database of DATABASE_URL or an in-memory PGlite.
 * Targets are checked here, never in the test suite; results go to stdout as a table.
 */
import { NextRequest } from "next/server";
import { closeDb, openDatabase, setDbHandleForTests } from "@/db/client";
import { DEMO_PASSWORD, seedDemoData } from "@/db/seed";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { GET as status } from "@/app/api/manage/status/route";
import { GET as activity } from "@/app/api/manage/activity-log/route";
import { GET as invoices } from "@/app/api/manage/invoices/route";
import { GET as v1Me } from "@/app/api/v1/auth/me/route";
import { POST as v1Login } from "@/app/api/v1/auth/login/route";
import { consumeRateLimit } from "@/lib/rate-limit";
import { renderInvoicePdf } from "@/lib/invoices/pdf";
import { ISSUER, sampleInvoice, SAMPLE_ITEMS } from "@/tests/invoices-lib/fixtures";

type Result = { name: string; runs: number; p50: number; p95: number; max: number; targetP95: number };

async function measure(name: string, runs: number, targetP95: number, fn: (i: number) => Promise<void>): Promise<Result> {
  for (let i = 0; i < Math.min(5, runs); i++) await fn(-1 - i); // warm-up
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await fn(i);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  const pick = (q: number) => times[Math.min(times.length - 1, Math.floor(q * times.length))];
  return { name, runs, p50: pick(0.5), p95: pick(0.95), max: times[times.length - 1], targetP95 };
}

function request(method: string, path: string, init: { token?: string; body?: unknown; ip?: string } = {}) {
  const headers = new Headers({ "x-forwarded-for": init.ip ?? "203.0.113.1" });
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.body) headers.set("content-type", "application/json");
  return new NextRequest(new URL(path, "http://localhost"), { method, headers, body: init.body ? JSON.stringify(init.body) : undefined });
}

const ctx = { params: Promise.resolve({}) };

async function main() {
  const handle = await openDatabase({ url: process.env.DATABASE_URL, pgliteDir: ":memory:" });
  setDbHandleForTests(handle);
  await seedDemoData(handle.db);
  const res = await login(request("POST", "/api/manage/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD } }), ctx);
  const { token } = (await res.json()) as { token: string };

  const v1 = await v1Login(request("POST", "/api/v1/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD }, ip: "10.9.0.1" }), ctx);
  const { access_token } = (await v1.json()) as { access_token: string };
  const manyItems = Array.from({ length: 60 }, (_, i) => ({ ...SAMPLE_ITEMS[i % SAMPLE_ITEMS.length], description: `Position ${i + 1}` }));

  const results = [
    await measure("POST /auth/login (argon2id verify + session)", 30, 400, async (i) => {
      const r = await login(request("POST", "/api/manage/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD }, ip: `10.0.${i & 255}.1` }), ctx);
      if (r.status !== 200) throw new Error(`login ${r.status}`);
    }),
    await measure("GET /status", 200, 50, async () => {
      const r = await status(request("GET", "/api/manage/status", { token }), ctx);
      if (r.status !== 200) throw new Error(`status ${r.status}`);
    }),
    await measure("GET /activity-log (20 per page)", 200, 50, async () => {
      const r = await activity(request("GET", "/api/manage/activity-log?per_page=20", { token }), ctx);
      if (r.status !== 200) throw new Error(`activity ${r.status}`);
    }),
    await measure("GET /invoices (list + statistics)", 200, 50, async () => {
      const r = await invoices(request("GET", "/api/manage/invoices?per_page=15", { token }), ctx);
      if (r.status !== 200) throw new Error(`invoices ${r.status}`);
    }),
    await measure("GET /api/v1/auth/me (JWT verify + family check)", 200, 50, async () => {
      const r = await v1Me(request("GET", "/api/v1/auth/me", { token: access_token }), ctx);
      if (r.status !== 200) throw new Error(`v1 me ${r.status}`);
    }),
    await measure("invoice PDF render (3 items, 1 page)", 20, 1500, async () => {
      await renderInvoicePdf(sampleInvoice(), ISSUER);
    }),
    await measure("invoice PDF render (60 items, 3 pages)", 10, 4000, async () => {
      await renderInvoicePdf(sampleInvoice({}, manyItems), ISSUER);
    }),
    await measure("rate-limit upsert (one counter)", 500, 10, async (i) => {
      await consumeRateLimit(`bench:${i % 50}`, { limit: 1_000_000, windowSeconds: 60 });
    }),
  ];

  console.log(`\nManage-Portal-Benchmarks (${handle.kind === "pglite" ? "PGlite, in-memory" : "PostgreSQL"}), Zeiten in ms`);
  console.log("| Messung | Läufe | p50 | p95 | max | Ziel p95 | |");
  console.log("|---|---:|---:|---:|---:|---:|---|");
  let failed = 0;
  for (const r of results) {
    const ok = r.p95 <= r.targetP95;
    if (!ok) failed++;
    console.log(`| ${r.name} | ${r.runs} | ${r.p50.toFixed(1)} | ${r.p95.toFixed(1)} | ${r.max.toFixed(1)} | ${r.targetP95} | ${ok ? "ok" : "VERFEHLT"} |`);
  }
  const mem = process.memoryUsage();
  console.log(`\nSpeicher: RSS ${(mem.rss / 1048576).toFixed(0)} MiB, Heap ${(mem.heapUsed / 1048576).toFixed(0)} MiB`);
  await closeDb();
  process.exit(failed > 0 ? 1 : 0);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
