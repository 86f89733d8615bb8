/**
 * The client-address rule over real HTTP: a plain node:http server with the
 * portal's request preprocessing (the same listener scripts/server.ts puts in
 * front of Next), a per-IP rate limit behind it, and fetch from 127.0.0.1.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import pino from "pino";
import { resetConfigForTests } from "@/lib/config";
import { clientIp } from "@/lib/http/client-ip";
import { setLoggerForTests } from "@/lib/observability/logger";
import { currentRequestContext } from "@/lib/observability/request-context";
import { portalRequestListener, routePattern } from "@/lib/observability/request";
import { consumeRateLimit } from "@/lib/rate-limit";
import { useTestDatabase } from "../helpers/db";

useTestDatabase({ seed: false });

const servers: http.Server[] = [];
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => new Promise((resolve) => s.close(resolve))));
  setLoggerForTests(undefined);
  delete process.env.TRUSTED_PROXY_HOPS;
  resetConfigForTests();
});

/** A server whose one endpoint spends a point of "3 per minute per client address". */
let serverSeq = 0;
async function start(hops: number, options: { slowMs?: number; shuttingDown?: () => boolean } = {}) {
  const budget = `ops-test:${++serverSeq}`;
  const listener = portalRequestListener(
    async (req, res) => {
      const headers = new Headers(Object.entries(req.headers).filter(([, v]) => typeof v === "string") as [string, string][]);
      const ip = clientIp(headers);
      if (options.slowMs) await new Promise((r) => setTimeout(r, options.slowMs));
      const limit = await consumeRateLimit(`${budget}:${ip}`, { limit: 3, windowSeconds: 60 });
      res.statusCode = limit.allowed ? 200 : 429;
      res.setHeader("content-type", "application/json");
      res.end(JSON.stringify({ ip, request_id_seen: currentRequestContext()?.requestId }));
    },
    { trustedProxyHops: hops, isShuttingDown: options.shuttingDown },
  );
  const server = http.createServer(listener);
  servers.push(server);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", () => resolve()));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, listener, server };
}

async function get(url: string, headers: Record<string, string> = {}) {
  const res = await fetch(url, { headers });
  return { status: res.status, headers: res.headers, json: (await res.json()) as { ip: string; request_id_seen?: string } };
}

describe("client address (TRUSTED_PROXY_HOPS=0, the default)", () => {
  it("is the socket peer: rotating X-Forwarded-For does not reset the budget", async () => {
    const { url } = await start(0);
    const statuses: number[] = [];
    for (let i = 1; i <= 5; i++) {
      const res = await get(`${url}/login`, { "x-forwarded-for": `198.51.100.${i}`, "x-real-ip": `192.0.2.${i}` });
      expect(res.json.ip).toBe("127.0.0.1");
      statuses.push(res.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
  });

  it("ignores a client-sent internal client-address header", async () => {
    const { url } = await start(0);
    const res = await get(`${url}/x`, { "x-manage-client-ip": "203.0.113.66" });
    expect(res.json.ip).toBe("127.0.0.1");
  });
});

describe("client address behind trusted proxies (TRUSTED_PROXY_HOPS=N)", () => {
  it("with one proxy, the last X-Forwarded-For entry counts: each address has its own budget", async () => {
    const { url } = await start(1);
    for (let i = 1; i <= 5; i++) {
      const res = await get(`${url}/login`, { "x-forwarded-for": `6.6.6.6, 198.51.100.${i}` });
      expect(res.status).toBe(200);
      expect(res.json.ip).toBe(`198.51.100.${i}`);
    }
    // The same proxied address again and again runs out.
    const repeated = [];
    for (let i = 0; i < 4; i++) repeated.push((await get(`${url}/login`, { "x-forwarded-for": "198.51.100.200" })).status);
    expect(repeated).toEqual([200, 200, 200, 429]);
  });

  it("with two proxies, exactly the second entry from the end counts; what the client prepends is ignored", async () => {
    const { url } = await start(2);
    for (const forged of ["1.1.1.1", "2.2.2.2", "3.3.3.3", "4.4.4.4"]) {
      const res = await get(`${url}/login`, { "x-forwarded-for": `${forged}, 198.51.100.7, 10.0.0.2` });
      expect(res.json.ip).toBe("198.51.100.7");
    }
    expect((await get(`${url}/login`, { "x-forwarded-for": "9.9.9.9, 198.51.100.7, 10.0.0.2" })).status).toBe(429);
  });

  it("falls back to the peer when the header has fewer entries than hops", async () => {
    const { url } = await start(2);
    expect((await get(`${url}/x`, { "x-forwarded-for": "198.51.100.9" })).json.ip).toBe("127.0.0.1");
    expect((await get(`${url}/x`)).json.ip).toBe("127.0.0.1");
  });
});

describe("request id, request log, shutdown", () => {
  it("keeps a sane X-Request-Id, replaces an unsafe one, and shares it with the handler", async () => {
    const { url } = await start(0);
    const kept = await get(`${url}/x`, { "x-request-id": "req-123_abc.DEF" });
    expect(kept.headers.get("x-request-id")).toBe("req-123_abc.DEF");
    expect(kept.json.request_id_seen).toBe("req-123_abc.DEF");
    for (const bad of ["a b", "x".repeat(129), "<script>"]) {
      const res = await get(`${url}/x`, { "x-request-id": bad });
      const id = res.headers.get("x-request-id")!;
      expect(id).not.toBe(bad);
      expect(id).toMatch(/^[0-9a-f-]{36}$/);
      expect(res.json.request_id_seen).toBe(id);
    }
  });

  it("writes one JSON line per request, without query string or secrets", async () => {
    const lines: string[] = [];
    setLoggerForTests(pino({ level: "info" }, { write: (line: string) => void lines.push(line) }));
    const { url } = await start(0);
    await get(`${url}/api/manage/invoices/42?token=geheim123`, { authorization: "Bearer geheim-token", "x-request-id": "log-1" });
    const requestLines = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === "request");
    expect(requestLines).toHaveLength(1);
    expect(requestLines[0]).toMatchObject({ request_id: "log-1", method: "GET", path: "/api/manage/invoices/42", route: "/api/manage/invoices/:id", status: 200 });
    expect(typeof requestLines[0].duration_ms).toBe("number");
    expect(lines.join("\n")).not.toMatch(/geheim/);
  });

  it("bounds route labels", () => {
    expect(routePattern("/api/v1/hosts/6f1c2d4e-1111-4222-8333-444455556666/power", 200)).toBe("/api/v1/hosts/:uuid/power");
    expect(routePattern("/_next/static/chunks/abc.js", 200)).toBe("/_next/*");
    expect(routePattern("/irgendwas/zufall", 404)).toBe("(not found)");
  });

  it("lets running requests finish and refuses new ones while shutting down", async () => {
    let shuttingDown = false;
    const { url, listener } = await start(0, { slowMs: 300, shuttingDown: () => shuttingDown });
    const running = get(`${url}/slow`);
    await new Promise((r) => setTimeout(r, 50));
    expect(listener.inFlight()).toBe(1);
    shuttingDown = true;
    const refused = await fetch(`${url}/new`);
    expect(refused.status).toBe(503);
    expect(refused.headers.get("connection")).toBe("close");
    await listener.idle();
    expect((await running).status).toBe(200);
    expect(listener.inFlight()).toBe(0);
  });
});
