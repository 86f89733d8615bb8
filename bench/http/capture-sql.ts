/**
 * Prints the SQL the portal sends per benchmarked endpoint, by calling the route
 * handlers in-process against the bench database with a logging postgres.js client:
 *
 *   tsx bench/http/capture-sql.ts
 *
 * Use it after a change in lib/ to update bench/http/queries.ts (the bare server's SQL).
 */
import { NextRequest } from "next/server";
import { drizzle } from "drizzle-orm/postgres-js";
import postgres from "postgres";
import * as schema from "@/db/schema";
import { closeDb, setDbHandleForTests, type Db } from "@/db/client";
import { DEMO_PASSWORD } from "@/db/seed";
import { benchDatabaseUrl } from "./seed-scale";

const log: { sql: string; params: unknown[] }[] = [];

function request(method: string, path: string, init: { token?: string; body?: unknown } = {}) {
  const headers = new Headers({ "x-forwarded-for": "203.0.113.77" });
  if (init.token) headers.set("authorization", `Bearer ${init.token}`);
  if (init.body) headers.set("content-type", "application/json");
  return new NextRequest(new URL(path, "http://localhost"), { method, headers, body: init.body ? JSON.stringify(init.body) : undefined });
}

async function main() {
  const client = postgres(benchDatabaseUrl(), {
    max: 4,
    onnotice: () => {},
    debug: (_connection, query, params) => log.push({ sql: query, params: params as unknown[] }),
  });
  setDbHandleForTests({ db: drizzle(client, { schema }) as unknown as Db, close: () => client.end(), kind: "postgres", pgClient: client });
  const ctx = (params: Record<string, string> = {}) => ({ params: Promise.resolve(params) });
  const { POST: login } = await import("@/app/api/manage/auth/login/route");
  const res = await login(request("POST", "/api/manage/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD } }), ctx());
  const { token } = (await res.json()) as { token: string };
  const { POST: v1Login } = await import("@/app/api/v1/auth/login/route");
  const v1 = await v1Login(request("POST", "/api/v1/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD } }), ctx());
  const { access_token } = (await v1.json()) as { access_token: string };

  const [{ id: invoiceId }] = await client`select inv.id from invoices inv join instances i on i.id = inv.instance_id where i.name = 'acme' and inv.issued_at is not null order by inv.id desc limit 1`;
  const routes: [string, () => Promise<Response>][] = [
    ["GET /api/manage/status", async () => (await import("@/app/api/manage/status/route")).GET(request("GET", "/api/manage/status", { token }), ctx())],
    ["GET /api/manage/activity-log?page=4000", async () => (await import("@/app/api/manage/activity-log/route")).GET(request("GET", "/api/manage/activity-log?page=4000", { token }), ctx())],
    ["GET /api/manage/activity-log?kind=anmeldung&page=2000", async () => (await import("@/app/api/manage/activity-log/route")).GET(request("GET", "/api/manage/activity-log?kind=anmeldung&page=2000", { token }), ctx())],
    ["GET /api/manage/invoices", async () => (await import("@/app/api/manage/invoices/route")).GET(request("GET", "/api/manage/invoices", { token }), ctx())],
    [`GET /api/manage/invoices/${invoiceId}`, async () => (await import("@/app/api/manage/invoices/[id]/route")).GET(request("GET", `/api/manage/invoices/${invoiceId}`, { token }), ctx({ id: String(invoiceId) }))],
    [`GET /api/manage/invoices/${invoiceId}/pdf`, async () => (await import("@/app/api/manage/invoices/[id]/pdf/route")).GET(request("GET", `/api/manage/invoices/${invoiceId}/pdf`, { token }), ctx({ id: String(invoiceId) }))],
    ["GET /api/v1/auth/me", async () => (await import("@/app/api/v1/auth/me/route")).GET(request("GET", "/api/v1/auth/me", { token: access_token }), ctx())],
    ["GET /api/v1/invoices", async () => (await import("@/app/api/v1/invoices/route")).GET(request("GET", "/api/v1/invoices", { token: access_token }), ctx())],
  ];
  for (const [name, run] of routes) {
    log.length = 0;
    const response = await run();
    await response.arrayBuffer();
    console.log(`\n### ${name} → ${response.status}`);
    for (const entry of log) console.log(`${entry.sql}\n    -- ${JSON.stringify(entry.params)}`);
  }
  await closeDb();
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
