/**
 * The outside source of truth for the Hetzner client: example answers of the
 * Hetzner Cloud API in today's shape, written from the wire schema of
 * Hetzner's own Go client. They live next to the repository
 * (`../shared/references/`, also in CI) and are read from there, never copied.
 */
import { readFileSync } from "node:fs";
import http from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { fileURLToPath } from "node:url";

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
export const REFERENCES_DIR = path.resolve(repoRoot, "../shared/references");

/** A fresh copy of `references/hetzner/<name>.example.json`. */
export function hetznerReference<T = any>(name: "server" | "servers-list" | "action" | "error" | "metrics"): T {
  return JSON.parse(readFileSync(path.join(REFERENCES_DIR, "hetzner", `${name}.example.json`), "utf8")) as T;
}

/** The reference server with other values (its shape stays the reference's). */
export function referenceServer(overrides: { id?: number; name?: string; status?: string; locked?: boolean } = {}) {
  const server = hetznerReference("server").server;
  return { ...server, ...overrides };
}

/** A `fetch` that answers from a routing function, without any network. */
export function fakeFetch(route: (method: string, path: string, body: string | undefined) => { status: number; body: unknown } | undefined) {
  const calls: { method: string; path: string }[] = [];
  const fn: typeof fetch = async (input, init) => {
    const url = new URL(typeof input === "string" ? input : input instanceof URL ? input.href : input.url);
    const method = init?.method ?? "GET";
    const p = url.pathname.replace(/^\/v1/, "") + url.search;
    calls.push({ method, path: p });
    const answer = route(method, p, typeof init?.body === "string" ? init.body : undefined) ?? {
      status: 404,
      body: { error: { code: "not_found", message: "not found", details: {} } },
    };
    return new Response(typeof answer.body === "string" ? answer.body : JSON.stringify(answer.body), {
      status: answer.status,
      headers: { "Content-Type": typeof answer.body === "string" ? "text/html" : "application/json" },
    });
  };
  return { fetch: fn, calls };
}

/**
 * A loopback stand-in for the real API that answers only with the reference
 * examples (ids and statuses changed): what the portal meets in production,
 * independent of our own simulator. Actions start `running` and end when the
 * test calls `finishAction`.
 */
export async function startReferenceApi(servers: { id: number; name: string; status: string }[]) {
  const state = new Map(servers.map((s) => [s.id, referenceServer(s)]));
  const actions = new Map<number, any>();
  let nextActionId = 13;
  const commands: Record<string, string> = { reboot: "reboot_server", poweroff: "stop_server", poweron: "start_server", shutdown: "shutdown_server" };

  const server = http.createServer((req, res) => {
    req.resume();
    req.on("end", () => {
      const url = new URL(req.url ?? "/", "http://localhost");
      const p = url.pathname.replace(/^\/v1/, "").split("/").filter(Boolean);
      const reply = (status: number, body: unknown) => {
        res.writeHead(status, { "Content-Type": "application/json" });
        res.end(JSON.stringify(body));
      };
      const notFound = () => reply(404, { error: { code: "not_found", message: "not found", details: {} } });
      if (req.method === "GET" && p.length === 1 && p[0] === "servers") {
        const list = hetznerReference("servers-list");
        list.servers = [...state.values()];
        list.meta.pagination.total_entries = state.size;
        return reply(200, list);
      }
      if (req.method === "GET" && p[0] === "servers" && p.length === 2) {
        const s = state.get(Number(p[1]));
        return s ? reply(200, { server: s }) : notFound();
      }
      if (req.method === "POST" && p[0] === "servers" && p[2] === "actions" && p.length === 4) {
        const s = state.get(Number(p[1]));
        if (!s || !commands[p[3]]) return notFound();
        const action = hetznerReference("action").action;
        Object.assign(action, { id: nextActionId++, command: commands[p[3]], resources: [{ id: s.id, type: "server" }] });
        actions.set(action.id, action);
        return reply(201, { action });
      }
      if (req.method === "GET" && p[0] === "actions" && p.length === 2) {
        const a = actions.get(Number(p[1]));
        return a ? reply(200, { action: a }) : notFound();
      }
      notFound();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    setStatus(id: number, status: string) {
      state.get(id)!.status = status;
    },
    finishAction(id: number, outcome: "success" | "error" = "success") {
      const a = actions.get(id)!;
      Object.assign(a, { status: outcome, progress: 100, finished: "2026-12-04T10:00:10+00:00", error: outcome === "error" ? { code: "action_failed", message: "action failed" } : null });
    },
    actionIds: () => [...actions.keys()],
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
