import { sql } from "drizzle-orm";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { GET as health } from "@/app/api/health/route";
import { GET as metricsRoute } from "@/app/api/metrics/route";
import { GET as ready } from "@/app/api/ready/route";
import { resetConfigForTests } from "@/lib/config";
import { startJobRunner, type JobRunner } from "@/lib/jobs/runner";
import { observeHetznerCall, recordHttpRequest, recordJob, recordMailFailure, recordRateLimitRejection } from "@/lib/observability/metrics";
import { markShuttingDown, resetReadinessForTests } from "@/lib/observability/readiness";
import { useTestDatabase, usingPostgres } from "../helpers/db";
import { call } from "../helpers/http";

const { db } = useTestDatabase({ seed: false });
let runner: JobRunner | undefined;

afterEach(() => {
  delete process.env.METRICS_TOKEN;
  resetConfigForTests();
  resetReadinessForTests();
});
afterAll(async () => {
  await runner?.stop(1000);
});

describe("GET /api/health", () => {
  it("answers 200 without auth and without details", async () => {
    const res = await call(health, "GET", "/api/health");
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ status: "ok" });
  });
});

describe("GET /api/ready", () => {
  it("is not ready while the job queue's schema is missing, then ready once a worker has set up the queue", async () => {
    if (usingPostgres) await db().execute(sql`drop schema if exists pgboss cascade`);
    const before = await call(ready, "GET", "/api/ready");
    expect(before.status).toBe(503);
    expect(before.json).toEqual({ status: "unavailable", checks: { database: "ok", migrations: "ok", queue: "fail", accepting: "ok" } });

    // The web process holds no pg-boss; a worker's runner (npm run worker) creates the schema.
    runner = await startJobRunner({ handle: { db: db(), kind: usingPostgres ? "postgres" : "pglite" }, jobs: [] });
    const after = await call(ready, "GET", "/api/ready");
    expect(after.status).toBe(200);
    expect(after.json).toEqual({ status: "ok", checks: { database: "ok", migrations: "ok", queue: "ok", accepting: "ok" } });
  });

  it("is not ready when the database lacks the newest migration", async () => {
    const result = await db().execute(sql`select id, created_at from drizzle.__drizzle_migrations order by created_at desc limit 1`);
    const rows = (Array.isArray(result) ? result : (result as unknown as { rows: unknown[] }).rows) as Array<{ id: number; created_at: string }>;
    const row = rows[0];
    await db().execute(sql`delete from drizzle.__drizzle_migrations where id = ${row.id}`);
    try {
      const res = await call(ready, "GET", "/api/ready");
      expect(res.status).toBe(503);
      expect(res.json.checks.migrations).toBe("fail");
    } finally {
      await db().execute(sql`insert into drizzle.__drizzle_migrations (id, hash, created_at) values (${row.id}, 'restored', ${row.created_at})`);
    }
    expect((await call(ready, "GET", "/api/ready")).json.checks.migrations).toBe("ok");
  });

  it("reports not ready once the process is shutting down, so the proxy drains it", async () => {
    markShuttingDown();
    const res = await call(ready, "GET", "/api/ready");
    expect(res.status).toBe(503);
    expect(res.json.checks.accepting).toBe("fail");
  });
});

describe("GET /api/metrics", () => {
  const token = "metrics-secret-0123456789";

  it("does not exist without METRICS_TOKEN", async () => {
    expect((await call(metricsRoute, "GET", "/api/metrics", { token })).status).toBe(404);
  });

  it("refuses a missing or wrong token", async () => {
    process.env.METRICS_TOKEN = token;
    resetConfigForTests();
    expect((await call(metricsRoute, "GET", "/api/metrics")).status).toBe(401);
    expect((await call(metricsRoute, "GET", "/api/metrics", { token: `${token}x` })).status).toBe(401);
    expect((await call(metricsRoute, "GET", "/api/metrics", { token: "kurz" })).status).toBe(401);
  });

  it("serves Prometheus text with the portal's metrics to the right token", async () => {
    process.env.METRICS_TOKEN = token;
    resetConfigForTests();
    recordHttpRequest("GET", "/api/ops-test", 200, 0.012);
    recordRateLimitRejection("opsTestRule");
    observeHetznerCall("ops_test_op", 0.2, "error", "timeout");
    recordJob("ops-test-job", "failed", 0.5);
    recordMailFailure();
    const res = await call(metricsRoute, "GET", "/api/metrics", { token });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(res.text).toContain('http_requests_total{method="GET",route="/api/ops-test",status="200"} 1');
    expect(res.text).toContain('http_request_duration_seconds_bucket{le="0.025",method="GET",route="/api/ops-test",status="200"} 1');
    expect(res.text).toContain('rate_limit_rejections_total{rule="opsTestRule"} 1');
    expect(res.text).toContain('hetzner_api_errors_total{operation="ops_test_op",kind="timeout"} 1');
    expect(res.text).toContain('jobs_total{job="ops-test-job",outcome="failed"} 1');
    expect(res.text).toMatch(/^mail_failures_total \d+$/m);
    expect(res.text).toContain("# TYPE job_queue_depth gauge");
    expect(res.text).toContain("process_cpu_user_seconds_total");
  });
});
