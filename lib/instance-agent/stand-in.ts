/**
 * Local stand-in for the instance server's configuration endpoint, for
 * development and tests. Listens on loopback only.
 *
 *   PUT  /instances/:name/domains   signed; body {portal_domain, meshcentral_domain} → {applied: true}
 *   GET  /instances/:name/domains   signed; → last applied config or 404
 *   GET  /instances/:name/usage     signed; → {customers, devices, counted_at} (demo numbers, or `usage`)
 *   GET  /_stand-in/applied         unsigned (loopback helper for e2e); → list of received configs
 *   POST /_stand-in/fault           unsigned; body {fault: "fail"|"timeout"|null}
 *   GET  /health                    unsigned; → {ok: true}
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import {
  SIGNATURE_HEADER,
  TIMESTAMP_HEADER,
  verifyRequestSignature,
  type DomainConfig,
} from "@/lib/instance-agent/client";

export type StandInFault = "fail" | "timeout" | null;

export interface AppliedDomainConfig extends DomainConfig {
  instance: string;
  received_at: string;
}

export interface InstanceAgentStandIn {
  /** e.g. "http://127.0.0.1:4020" */
  url: string;
  port: number;
  /** All accepted PUTs, oldest first. */
  applied: AppliedDomainConfig[];
  setFault(fault: StandInFault): void;
  /** What `GET /instances/:name/usage` answers for an instance (tests); demo numbers otherwise. */
  usage: Map<string, { customers: number; devices: number }>;
  close(): Promise<void>;
}

/** Usage the demo instances report: acme near its limits, nordlicht over them. */
export const DEMO_USAGE: Record<string, { customers: number; devices: number }> = {
  acme: { customers: 42, devices: 431 },
  bergmann: { customers: 71, devices: 1212 },
  nordlicht: { customers: 20, devices: 214 },
};

export interface StandInOptions {
  port?: number;
  host?: string;
  secret: string;
}

const MAX_BODY = 64 * 1024;

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error("body too large"));
        req.destroy();
        return;
      }
      chunks.push(c);
    });
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function json(res: ServerResponse, status: number, payload: unknown): void {
  const body = JSON.stringify(payload);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}

function isDomainValue(v: unknown): v is string | null {
  return v === null || (typeof v === "string" && v.length > 0 && v.length <= 253);
}

export async function startInstanceAgentStandIn(opts: StandInOptions): Promise<InstanceAgentStandIn> {
  const host = opts.host ?? "127.0.0.1";
  let fault: StandInFault = null;
  const applied: AppliedDomainConfig[] = [];
  const usage = new Map(Object.entries(DEMO_USAGE));

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) json(res, 500, { error: "internal" });
      else res.destroy();
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const method = (req.method ?? "GET").toUpperCase();
    const rawPath = req.url ?? "/";
    const pathname = rawPath.split("?")[0] ?? "/";
    let body: string;
    try {
      body = await readBody(req);
    } catch {
      return json(res, 413, { error: "body_too_large" });
    }

    if (method === "GET" && pathname === "/health") return json(res, 200, { ok: true });
    if (method === "GET" && pathname === "/_stand-in/applied") return json(res, 200, { applied, fault });
    if (method === "POST" && pathname === "/_stand-in/fault") {
      try {
        const f = (JSON.parse(body || "{}") as { fault?: unknown }).fault ?? null;
        if (f !== null && f !== "fail" && f !== "timeout") return json(res, 400, { error: "invalid_fault" });
        fault = f;
        return json(res, 200, { fault });
      } catch {
        return json(res, 400, { error: "invalid_json" });
      }
    }

    const m = /^\/instances\/([^/]+)\/(domains|usage)$/.exec(pathname);
    if (!m) return json(res, 404, { error: "not_found" });
    let instance: string;
    try {
      instance = decodeURIComponent(m[1]!);
    } catch {
      return json(res, 400, { error: "invalid_instance" });
    }

    const header = (name: string): string | undefined => {
      const v = req.headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    };
    const check = verifyRequestSignature({
      secret: opts.secret,
      timestamp: header(TIMESTAMP_HEADER),
      signature: header(SIGNATURE_HEADER),
      method,
      path: rawPath,
      body,
    });
    if (!check.ok) return json(res, 401, { error: `signature_${check.reason}` });

    if (m[2] === "usage") {
      if (method !== "GET") return json(res, 405, { error: "method_not_allowed" });
      if (fault === "timeout") return;
      if (fault === "fail") return json(res, 500, { error: "count_failed" });
      const u = usage.get(instance);
      return u ? json(res, 200, { ...u, counted_at: new Date().toISOString() }) : json(res, 404, { error: "not_found" });
    }

    if (method === "GET") {
      const last = [...applied].reverse().find((a) => a.instance === instance);
      return last ? json(res, 200, last) : json(res, 404, { error: "not_found" });
    }
    if (method !== "PUT") return json(res, 405, { error: "method_not_allowed" });

    if (fault === "timeout") return; // never answer; the connection is dropped on close()
    if (fault === "fail") return json(res, 500, { error: "apply_failed", detail: "simulated failure" });

    let payload: unknown;
    try {
      payload = JSON.parse(body);
    } catch {
      return json(res, 400, { error: "invalid_json" });
    }
    const p = payload as Partial<DomainConfig> | null;
    if (!p || typeof p !== "object" || !isDomainValue(p.portal_domain) || !isDomainValue(p.meshcentral_domain)) {
      return json(res, 422, { error: "invalid_config" });
    }
    applied.push({
      instance,
      portal_domain: p.portal_domain,
      meshcentral_domain: p.meshcentral_domain,
      received_at: new Date().toISOString(),
    });
    return json(res, 200, { applied: true });
  }

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}`;
  let closed = false;

  return {
    url,
    port,
    applied,
    usage,
    setFault(f) {
      fault = f;
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (closed) return resolve();
        closed = true;
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
