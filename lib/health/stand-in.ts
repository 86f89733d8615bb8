/**
 * Local stand-in for the instances' portal and MeshCentral endpoints, for the
 * demo and the tests (never part of production: scripts/serve.ts starts it
 * only with the development tools). The probe reaches it through
 * HEALTH_PROBE_URL_TEMPLATE = `http://127.0.0.1:<port>/{host}{path}`: the
 * first path segment is the host the probe means. Hosts in `failing` answer
 * 503, every other host 200; tests switch hosts at runtime.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";

export type HealthStandIn = {
  url: string;
  /** The value for HEALTH_PROBE_URL_TEMPLATE. */
  template: string;
  /** Hosts (or `name.*` prefixes, e.g. "nordlicht.*") that answer 503. */
  failing: Set<string>;
  requests: number;
  close(): Promise<void>;
};

/** The demo's unhealthy instance: its portal and MeshCentral answer 503. */
export const DEMO_FAILING_HOSTS = ["nordlicht.*"];

export async function startHealthStandIn(opts: { port?: number; failing?: string[] } = {}): Promise<HealthStandIn> {
  const failing = new Set(opts.failing ?? []);
  const state = { requests: 0 };
  const fails = (host: string) => failing.has(host) || [...failing].some((f) => f.endsWith(".*") && host.startsWith(f.slice(0, -1)));
  const server = http.createServer((req, res) => {
    state.requests++;
    const host = decodeURIComponent((req.url ?? "/").split("/")[1] ?? "").toLowerCase();
    const down = host === "" || fails(host);
    res.writeHead(down ? 503 : 200, { "content-type": "application/json" });
    res.end(JSON.stringify(down ? { status: "unavailable", host } : { status: "ok", host }));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    template: `${url}/{host}{path}`,
    failing,
    get requests() {
      return state.requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
