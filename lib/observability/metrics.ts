/**
 * Prometheus metrics (prom-client), served by GET /api/metrics.
 *
 * The custom server (scripts/server.ts) and the route handlers inside Next's
 * bundles are separate module instances in one process, so the registry and
 * every metric live on `globalThis`: whoever loads this file first creates
 * them, everyone else reuses them, and /api/metrics reports both.
 *
 * Label values are bounded on purpose: routes are patterns (ids collapsed),
 * never raw paths; rules, jobs and operations come from code, not from input.
 */
import client from "prom-client";

type Metrics = ReturnType<typeof createMetrics>;
type DepthProvider = () => Promise<Record<string, number>>;
type PoolUsage = { max: number; inUse?: number; open?: number };
type PoolProvider = () => PoolUsage | undefined | Promise<PoolUsage | undefined>;

const store = globalThis as unknown as { __manageMetrics?: Metrics };

function createMetrics() {
  const registry = new client.Registry();
  client.collectDefaultMetrics({ register: registry });
  const providers: { queueDepth?: DepthProvider; pool?: PoolProvider } = {};
  const durationBuckets = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30];

  return {
    registry,
    providers,
    httpRequests: new client.Counter({
      name: "http_requests_total",
      help: "HTTP requests by method, route pattern and status",
      labelNames: ["method", "route", "status"] as const,
      registers: [registry],
    }),
    httpDuration: new client.Histogram({
      name: "http_request_duration_seconds",
      help: "HTTP request latency by method, route pattern and status",
      labelNames: ["method", "route", "status"] as const,
      buckets: durationBuckets,
      registers: [registry],
    }),
    rateLimitRejections: new client.Counter({
      name: "rate_limit_rejections_total",
      help: "Requests refused by a rate limit, per rule",
      labelNames: ["rule"] as const,
      registers: [registry],
    }),
    hetznerDuration: new client.Histogram({
      name: "hetzner_api_duration_seconds",
      help: "Hetzner Cloud API call latency by operation and outcome",
      labelNames: ["operation", "outcome"] as const,
      buckets: durationBuckets,
      registers: [registry],
    }),
    hetznerErrors: new client.Counter({
      name: "hetzner_api_errors_total",
      help: "Failed Hetzner Cloud API calls by operation and kind",
      labelNames: ["operation", "kind"] as const,
      registers: [registry],
    }),
    jobs: new client.Counter({
      name: "jobs_total",
      help: "Finished background jobs by name and outcome (completed, failed)",
      labelNames: ["job", "outcome"] as const,
      registers: [registry],
    }),
    jobDuration: new client.Histogram({
      name: "job_duration_seconds",
      help: "Background job run time by name",
      labelNames: ["job"] as const,
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    queueDepth: new client.Gauge({
      name: "job_queue_depth",
      help: "Jobs waiting in the queue, per job name",
      labelNames: ["job"] as const,
      registers: [registry],
      async collect() {
        if (!providers.queueDepth) return;
        this.reset();
        try {
          for (const [job, depth] of Object.entries(await providers.queueDepth())) this.set({ job }, depth);
        } catch {
          // Queue unreachable: report nothing rather than fail the whole scrape.
        }
      },
    }),
    mailFailures: new client.Counter({
      name: "mail_failures_total",
      help: "Mails that could not be handed to the transport",
      registers: [registry],
    }),
    dbPoolMax: new client.Gauge({
      name: "db_pool_max_connections",
      help: "Configured size of the database connection pool",
      registers: [registry],
      async collect() {
        const pool = await providers.pool?.();
        if (pool) this.set(pool.max);
      },
    }),
    dbPoolInUse: new client.Gauge({
      name: "db_pool_connections_in_use",
      help: "Database connections currently in use",
      registers: [registry],
      async collect() {
        const inUse = (await providers.pool?.())?.inUse;
        if (inUse !== undefined) this.set(inUse);
      },
    }),
  };
}

export function metrics(): Metrics {
  store.__manageMetrics ??= createMetrics();
  return store.__manageMetrics;
}

export function recordHttpRequest(method: string, route: string, status: number, durationSeconds: number) {
  const labels = { method, route, status: String(status) };
  metrics().httpRequests.inc(labels);
  metrics().httpDuration.observe(labels, durationSeconds);
}

/** Called where a rate limit refuses a request; `rule` is the rule's name (e.g. "manageLogin"). */
export function recordRateLimitRejection(rule: string) {
  metrics().rateLimitRejections.inc({ rule });
}

/** One Hetzner API call: `outcome` "ok" or "error"; on errors `errorKind` (e.g. "timeout", "http_5xx"). */
export function observeHetznerCall(operation: string, durationSeconds: number, outcome: "ok" | "error", errorKind?: string) {
  metrics().hetznerDuration.observe({ operation, outcome }, durationSeconds);
  if (outcome === "error") metrics().hetznerErrors.inc({ operation, kind: errorKind ?? "unknown" });
}

export function recordJob(job: string, outcome: "completed" | "failed", durationSeconds: number) {
  metrics().jobs.inc({ job, outcome });
  metrics().jobDuration.observe({ job }, durationSeconds);
}

export function recordMailFailure() {
  metrics().mailFailures.inc();
}

/** The job runner reports its queue sizes through this (read at scrape time). */
export function setQueueDepthProvider(provider: DepthProvider | undefined) {
  metrics().providers.queueDepth = provider;
}

/** The database layer reports its pool through this (read at scrape time). */
export function setDbPoolProvider(provider: PoolProvider | undefined) {
  metrics().providers.pool = provider;
}

export async function metricsText(): Promise<{ contentType: string; body: string }> {
  const { registry } = metrics();
  return { contentType: registry.contentType, body: await registry.metrics() };
}
