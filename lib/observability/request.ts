/**
 * What the portal's HTTP server does around every request, independent of
 * Next.js so it can be tested with a plain node:http server:
 *
 * - the client address: the socket's peer, or with TRUSTED_PROXY_HOPS=N the
 *   N-th X-Forwarded-For entry from the end (falling back to the peer when the
 *   header is shorter). It is handed on in CLIENT_IP_HEADER after removing any
 *   client-sent internal header, so the client cannot choose it;
 * - the request id: a sane client `X-Request-Id` is kept, otherwise one is
 *   generated; it is echoed in the response and opens the request context the
 *   logger reads;
 * - one log line and the HTTP metrics when the response is finished;
 * - the in-flight count that graceful shutdown waits for;
 * - a 400 for a path whose percent-encoding does not decode (`lib/http/raw-path.ts`),
 *   before Next's router turns it into a plain-text 500.
 */
import { randomUUID } from "node:crypto";
import type { IncomingMessage, RequestListener, ServerResponse } from "node:http";
import { malformedPathAnswer, malformedRequestPath } from "@/lib/http/raw-path";
import { CLIENT_IP_HEADER, forwardedEntry, normalizeIp } from "@/lib/http/client-ip";
import { logger } from "./logger";
import { recordHttpRequest } from "./metrics";
import { runWithRequestContext, type RequestContext } from "./request-context";

export const REQUEST_ID_HEADER = "x-request-id";
const INTERNAL_PREFIX = "x-manage-";
const SANE_REQUEST_ID = /^[A-Za-z0-9._-]{1,128}$/;

export function resolveClientAddress(peer: string | undefined, forwardedFor: string | string[] | undefined, hops: number): string {
  const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
  const chosen = (hops > 0 ? forwardedEntry(header, hops) : undefined) ?? peer ?? "unknown";
  return normalizeIp(chosen);
}

export function acceptRequestId(value: string | string[] | undefined): string {
  const candidate = Array.isArray(value) ? value[0] : value;
  return candidate && SANE_REQUEST_ID.test(candidate) ? candidate : randomUUID();
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A bounded label for a path: ids, uuids and long tokens collapse to
 * placeholders; Next's assets and unknown pages collapse to one value each.
 */
export function routePattern(path: string, status: number): string {
  if (path.startsWith("/_next/")) return "/_next/*";
  if (status === 404 && !path.startsWith("/api/")) return "(not found)";
  const segments = path.split("/").slice(0, 8).map((segment) => {
    if (/^\d+$/.test(segment)) return ":id";
    if (UUID.test(segment)) return ":uuid";
    if (segment.length > 40) return ":token";
    return segment;
  });
  return segments.join("/") || "/";
}

export type RequestTracker = { inFlight: () => number; idle: () => Promise<void> };

export type PortalListenerOptions = {
  trustedProxyHops: number;
  /** While true, new requests are answered with 503 and `Connection: close`. */
  isShuttingDown?: () => boolean;
};

/** Wraps a request listener (Next's handler, or a test's) with the steps above. */
export function portalRequestListener(handler: RequestListener, options: PortalListenerOptions): RequestListener & RequestTracker {
  let inFlight = 0;
  let waiters: Array<() => void> = [];
  const done = () => {
    inFlight -= 1;
    if (inFlight === 0) {
      for (const resolve of waiters) resolve();
      waiters = [];
    }
  };

  const listener = (req: IncomingMessage, res: ServerResponse) => {
    const started = process.hrtime.bigint();
    for (const name of Object.keys(req.headers)) {
      if (name.startsWith(INTERNAL_PREFIX)) delete req.headers[name];
    }
    const ip = resolveClientAddress(req.socket.remoteAddress, req.headers["x-forwarded-for"], options.trustedProxyHops);
    req.headers[CLIENT_IP_HEADER] = ip;
    const requestId = acceptRequestId(req.headers[REQUEST_ID_HEADER]);
    req.headers[REQUEST_ID_HEADER] = requestId;
    res.setHeader("X-Request-Id", requestId);

    const path = (req.url ?? "/").split("?")[0];
    const context: RequestContext = { requestId };
    inFlight += 1;
    let finished = false;
    const finish = () => {
      if (finished) return;
      finished = true;
      done();
      const durationSeconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routePattern(path, res.statusCode);
      recordHttpRequest(req.method ?? "GET", route, res.statusCode, durationSeconds);
      runWithRequestContext(context, () =>
        logger().info(
          { request_id: requestId, method: req.method, path, route, status: res.statusCode, duration_ms: Math.round(durationSeconds * 10_000) / 10, aborted: !res.writableFinished || undefined },
          "request",
        ),
      );
    };
    res.on("finish", finish);
    res.on("close", finish);

    if (options.isShuttingDown?.()) {
      res.statusCode = 503;
      res.setHeader("Connection", "close");
      res.setHeader("Content-Type", "application/json; charset=utf-8");
      res.end(JSON.stringify({ error: "unavailable", message: "Der Dienst wird gerade neu gestartet. Bitte gleich erneut versuchen." }));
      return;
    }
    if (malformedRequestPath(req.url ?? "/")) {
      const answer = malformedPathAnswer(req.url ?? "/");
      res.statusCode = answer.status;
      res.setHeader("Content-Type", answer.contentType);
      res.setHeader("Cache-Control", "no-store");
      res.end(answer.body);
      return;
    }
    runWithRequestContext(context, () => {
      Promise.resolve(handler(req, res)).catch((error: unknown) => {
        logger().error({ err: error }, "unhandled error in request handler");
        if (!res.headersSent) {
          res.statusCode = 500;
          res.setHeader("Content-Type", "application/json; charset=utf-8");
          res.end(JSON.stringify({ error: "internal_error", message: "Interner Fehler." }));
        } else res.destroy();
      });
    });
  };

  return Object.assign(listener, {
    inFlight: () => inFlight,
    idle: () => (inFlight === 0 ? Promise.resolve() : new Promise<void>((resolve) => waiters.push(resolve))),
  });
}
