/**
 * The portal's HTTP server: a node:http server around Next's request handler,
 * used by `npm run demo` (dev) and `npm start` (production build) through
 * scripts/serve.ts.
 *
 * Why not `next start`: Next fills X-Forwarded-For only when it is absent, so a
 * client talking to it directly chooses its own address and every per-IP rate
 * limit is void. Here the client address comes from the socket (or from the
 * configured proxy hops), request ids and request logs/metrics are added, and
 * SIGTERM drains the process (lib/observability/request.ts).
 *
 * Shutdown order: mark not-ready (503 on /api/ready), stop accepting, answer
 * new requests on kept-alive connections with 503, wait for the running ones
 * up to SHUTDOWN_TIMEOUT_MS, stop the job workers (running jobs get the same
 * bound, the rest is retried elsewhere), close Next and the database pool.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { closeDb, getDbHandle, poolUsage } from "@/db/client";
import { config } from "@/lib/config";
import { markServedByPortalServer } from "@/lib/http/client-ip";
import { startJobRunner, type JobRunner } from "@/lib/jobs/runner";
import { logger } from "@/lib/observability/logger";
import { setDbPoolProvider } from "@/lib/observability/metrics";
import { isShuttingDown, markShuttingDown } from "@/lib/observability/readiness";
import { portalRequestListener } from "@/lib/observability/request";
import { strictTransportSecurity } from "@/lib/security/headers";
import { allowedMethods, loadApiRoutes, type ApiRoute } from "./api-methods";

export type PortalServer = { url: string; server: http.Server; shutdown: (reason: string) => Promise<void> };

export async function startPortalServer(options: { dev: boolean; dir?: string; port: number; hostname?: string }): Promise<PortalServer> {
  const cfg = config();
  const log = logger().child({ component: "server" });
  const hostname = options.hostname ?? process.env.HOST ?? "0.0.0.0";

  const server = http.createServer();
  const { default: next } = await import("next");
  const app = next({ dev: options.dev, dir: options.dir ?? process.cwd(), hostname: "localhost", port: options.port, httpServer: server });
  await app.prepare();
  markServedByPortalServer();
  const handle = app.getRequestHandler();
  const hsts = strictTransportSecurity(cfg.APP_URL);
  const apiRoutes = loadApiRoutes(options.dir ?? process.cwd());
  if (apiRoutes.length === 0) log.warn("no API route files found: 405 answers carry no Allow header");
  const listener = portalRequestListener(
    (req, res) => {
      applySecurityHeaders(req, res, hsts, apiRoutes);
      return handle(req, res);
    },
    { trustedProxyHops: cfg.TRUSTED_PROXY_HOPS, isShuttingDown },
  );
  server.on("request", listener);
  // Slow clients must not hold a connection forever; proxies keep theirs alive longer than ours.
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;

  const db = await getDbHandle();
  setDbPoolProvider(() => poolUsage(db));
  const jobsInProcess = cfg.JOBS_IN_PROCESS ?? db.kind === "pglite";
  let runner: JobRunner | undefined;
  // Without in-process jobs this process holds no pg-boss at all: nothing here sends jobs, and /api/ready
  // sees the queue's schema (created by the worker) with one SQL query.
  if (jobsInProcess) runner = await startJobRunner({ handle: db });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port, hostname, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const url = `http://${hostname === "0.0.0.0" ? "localhost" : hostname}:${address.port}`;
  log.info({ port: address.port, dev: options.dev, jobs_in_process: jobsInProcess, trusted_proxy_hops: cfg.TRUSTED_PROXY_HOPS }, "portal server listening");

  let stopping: Promise<void> | undefined;
  const shutdown = (reason: string) => {
    stopping ??= (async () => {
      const timeout = cfg.SHUTDOWN_TIMEOUT_MS;
      log.info({ reason, in_flight: listener.inFlight(), timeout_ms: timeout }, "shutting down");
      markShuttingDown();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      const drained = await Promise.race([listener.idle().then(() => true), delay(timeout).then(() => false)]);
      if (!drained) log.warn({ in_flight: listener.inFlight() }, "shutdown timeout: closing remaining connections");
      server.closeAllConnections();
      await closed;
      await runner?.stop(timeout).catch((error) => log.error({ err: error }, "stopping job workers failed"));
      await app.close().catch(() => {});
      await closeDb().catch((error) => log.error({ err: error }, "closing the database failed"));
      log.info("stopped");
    })();
    return stopping;
  };
  return { url, server, shutdown };
}

/**
 * Headers of every answer that Next does not set itself: HSTS when APP_URL is
 * https; for /api/*, `Cache-Control: no-store` when the handler set no caching
 * of its own (added as the head is written, so a handler's header wins), and
 * the API family's JSON error for a wrong method (Next answers 405 with an
 * empty body and no `Allow`; the methods come from the route files, api-methods.ts).
 */
function applySecurityHeaders(req: http.IncomingMessage, res: http.ServerResponse, hsts: string | null, apiRoutes: ApiRoute[]) {
  if (hsts) res.setHeader("Strict-Transport-Security", hsts);
  const url = req.url ?? "/";
  if (!url.startsWith("/api/")) return;
  let methodNotAllowed = false;
  const writeHead = res.writeHead;
  res.writeHead = function (this: http.ServerResponse, ...args: unknown[]) {
    const status = typeof args[0] === "number" ? args[0] : this.statusCode;
    if (!this.hasHeader("cache-control")) this.setHeader("Cache-Control", "no-store");
    if (status === 405) {
      const allow = allowedMethods(apiRoutes, url.split("?")[0]!);
      if (allow) this.setHeader("Allow", allow);
      if (req.method !== "HEAD") {
        methodNotAllowed = true;
        this.setHeader("Content-Type", "application/json");
        this.removeHeader("Content-Length");
        this.removeHeader("Transfer-Encoding");
      }
    }
    return (writeHead as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof res.writeHead;
  const write = res.write;
  res.write = function (this: http.ServerResponse, ...args: unknown[]) {
    if (!this.headersSent) this.writeHead(this.statusCode);
    if (methodNotAllowed) return true;
    return (write as (...a: unknown[]) => boolean).apply(this, args);
  } as typeof res.write;
  const end = res.end;
  res.end = function (this: http.ServerResponse, ...args: unknown[]) {
    if (!this.headersSent) this.writeHead(this.statusCode);
    if (methodNotAllowed) {
      const message = `Die Methode ${req.method ?? ""} ist für diesen Endpunkt nicht erlaubt.`;
      const body = url.startsWith("/api/v1/") ? { detail: { error: "method_not_allowed", message } } : { message };
      return (end as (...a: unknown[]) => http.ServerResponse).call(this, JSON.stringify(body));
    }
    return (end as (...a: unknown[]) => http.ServerResponse).apply(this, args);
  } as typeof res.end;
}

function delay(ms: number) {
  return new Promise<void>((resolve) => setTimeout(resolve, ms).unref());
}

/** SIGTERM/SIGINT: drain and exit 0; a second signal exits at once. */
export function exitOnSignals(portal: PortalServer, beforeExit?: () => Promise<void>) {
  let received = false;
  const onSignal = (signal: NodeJS.Signals) => {
    if (received) process.exit(1);
    received = true;
    portal
      .shutdown(signal)
      .then(() => beforeExit?.())
      .then(() => process.exit(0))
      .catch((error) => {
        logger().error({ err: error }, "shutdown failed");
        process.exit(1);
      });
  };
  process.on("SIGTERM", onSignal);
  process.on("SIGINT", onSignal);
}
