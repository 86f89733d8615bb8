/**
 * The Hetzner client against today's API, as described by the example answers
 * written from the wire schema of Hetzner's own Go client
 * (../shared/references/hetzner/, facts in ../shared/references/README.md):
 * no `datacenter`, the top-level `location`, every documented server status
 * plus ones the client has never heard of, the error body, actions, metrics.
 * The second half holds the simulator to the same shapes, so development and
 * tests cannot drift from the real API again.
 */
import { afterEach, describe, expect, it } from "vitest";
import { createHetznerClient } from "@/lib/hetzner/client";
import { HetznerConflictError } from "@/lib/hetzner/errors";
import { DEMO_SERVERS, startHetznerSimulator, type HetznerSimulator } from "@/lib/hetzner/simulator";
import { fakeFetch, hetznerReference, referenceServer } from "../helpers/hetzner-references";

const TOKEN = "contract-token";
const DOCUMENTED_STATUSES = ["running", "initializing", "starting", "stopping", "off", "deleting", "migrating", "rebuilding", "unknown"];

function clientWith(fetchImpl: typeof fetch) {
  return createHetznerClient({ baseUrl: "http://127.0.0.1:9/v1", token: TOKEN, fetch: fetchImpl, retry: { baseMs: 1, capMs: 5 } });
}

describe("client ← the API's example answers", () => {
  it("reads a server of today's shape: location instead of datacenter", async () => {
    const { fetch } = fakeFetch((method, path) => (method === "GET" && path === "/servers/42" ? { status: 200, body: hetznerReference("server") } : undefined));
    const server = await clientWith(fetch).getServer(42);
    expect(hetznerReference("server").server).not.toHaveProperty("datacenter");
    expect(server).toMatchObject({
      id: 42,
      name: "acme",
      status: "running",
      locked: false,
      publicIpv4: "49.13.10.10",
      publicIpv6: "2a01:4f8:c0c:1::/64",
      serverType: "cx22",
      cores: 2,
      location: "nbg1",
      city: "Nuremberg",
      country: "DE",
      networkZone: "eu-central",
      backupWindow: null,
      diskGb: 40,
    });
    expect(server.created.toISOString()).toBe("2025-01-10T09:00:00.000Z");
  });

  it("lists servers page by page, including one that is migrating", async () => {
    const { fetch, calls } = fakeFetch((method, path) => (method === "GET" && path.startsWith("/servers?") ? { status: 200, body: hetznerReference("servers-list") } : undefined));
    const servers = await clientWith(fetch).listServers();
    expect(calls).toHaveLength(1); // next_page is null
    expect(servers.map((s) => [s.id, s.status, s.location])).toEqual([
      [42, "running", "nbg1"],
      [43, "migrating", "nbg1"],
    ]);
  });

  it("keeps every documented status, and turns an unknown one into `unknown` for that server only", async () => {
    for (const status of DOCUMENTED_STATUSES) {
      const { fetch } = fakeFetch(() => ({ status: 200, body: { server: referenceServer({ status }) } }));
      expect((await clientWith(fetch).getServer(42)).status).toBe(status);
    }
    const { fetch } = fakeFetch(() => ({ status: 200, body: { server: referenceServer({ status: "hibernating" }) } }));
    expect(await clientWith(fetch).getServer(42)).toMatchObject({ status: "unknown", rawStatus: "hibernating" });

    const list = hetznerReference("servers-list");
    list.servers[1].status = "hibernating";
    const broken = { ...referenceServer({ id: 44 }) } as Record<string, unknown>;
    delete broken.name;
    list.servers.push(broken);
    const invalid: { id: number | null }[] = [];
    const listed = await clientWith(fakeFetch(() => ({ status: 200, body: list })).fetch).listServers({ onInvalidServer: (i) => invalid.push(i) });
    expect(listed.map((s) => [s.id, s.status])).toEqual([
      [42, "running"],
      [43, "unknown"],
    ]);
    expect(invalid).toEqual([{ id: 44, issues: expect.stringContaining("name") }]);
  });

  it("reads an action, as answered by a power action and by GET /actions/{id}", async () => {
    const { fetch } = fakeFetch((method, path) =>
      (method === "POST" && path === "/servers/42/actions/reboot") || (method === "GET" && path === "/actions/13")
        ? { status: method === "POST" ? 201 : 200, body: hetznerReference("action") }
        : undefined,
    );
    const client = clientWith(fetch);
    const started = await client.reboot(42);
    expect(started).toMatchObject({ id: 13, command: "reboot_server", status: "running", progress: 0, finished: null, error: null, resources: [{ id: 42, type: "server" }] });
    expect((await client.getAction(13)).started.toISOString()).toBe("2026-12-04T10:00:00.000Z");
  });

  it("retries a 409 conflict with back-off, like Hetzner's client, and reports it when it stays", async () => {
    let conflicts = 1;
    const once = fakeFetch(() => (conflicts-- > 0 ? { status: 409, body: hetznerReference("error") } : { status: 201, body: hetznerReference("action") }));
    await expect(clientWith(once.fetch).reboot(42)).resolves.toMatchObject({ id: 13 });
    expect(once.calls).toHaveLength(2);

    const always = fakeFetch(() => ({ status: 409, body: hetznerReference("error") }));
    const error = await clientWith(always.fetch).reboot(42).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HetznerConflictError);
    expect(error).toMatchObject({ code: "conflict", status: 409 });
    expect((error as HetznerConflictError).userMessage).toMatch(/gleichzeitigen Änderung/);
    expect(always.calls).toHaveLength(4); // the call and 3 retries
  });

  it("reads metrics: series of [unix seconds, value as string]", async () => {
    const { fetch, calls } = fakeFetch((method, path) => (path.startsWith("/servers/42/metrics?") ? { status: 200, body: hetznerReference("metrics") } : undefined));
    const metrics = await clientWith(fetch).getMetrics(42, {
      types: ["cpu", "disk", "network"],
      start: new Date("2026-12-04T09:00:00Z"),
      end: new Date("2026-12-04T10:00:00Z"),
      step: 60,
    });
    expect(metrics.step).toBe(60);
    expect(metrics.series.cpu).toEqual([
      { t: 1764838800, v: 12.5 },
      { t: 1764838860, v: 14.25 },
    ]);
    const query = new URLSearchParams(calls[0].path.split("?")[1]);
    expect(query.get("type")).toBe("cpu,disk,network");
    expect(query.get("start")).toBe("2026-12-04T09:00:00.000Z");
    expect(query.get("step")).toBe("60");
  });
});

/** Differences in shape: the same keys in every object, the same JSON type of every value (null matches anything). */
function shapeDiff(reference: unknown, actual: unknown, at = "$"): string[] {
  if (reference === null || actual === null) return [];
  if (Array.isArray(reference)) {
    if (!Array.isArray(actual)) return [`${at}: array expected`];
    if (reference.length === 0) return [];
    // A tuple such as a metrics sample [unix seconds, "value"]: compare position by position.
    if (new Set(reference.map((r) => typeof r)).size > 1) {
      if (actual.length !== reference.length) return [`${at}: tuple of ${reference.length} expected`];
      return reference.flatMap((r, i) => shapeDiff(r, actual[i], `${at}[${i}]`));
    }
    return actual.flatMap((item, i) => shapeDiff(reference[0], item, `${at}[${i}]`));
  }
  if (typeof reference === "object") {
    if (typeof actual !== "object" || Array.isArray(actual)) return [`${at}: object expected`];
    const r = reference as Record<string, unknown>;
    const a = actual as Record<string, unknown>;
    const missing = Object.keys(r).filter((k) => !(k in a)).map((k) => `${at}.${k}: missing`);
    const extra = Object.keys(a).filter((k) => !(k in r)).map((k) => `${at}.${k}: not in the API`);
    return [...missing, ...extra, ...Object.keys(r).filter((k) => k in a).flatMap((k) => shapeDiff(r[k], a[k], `${at}.${k}`))];
  }
  return typeof reference === typeof actual ? [] : [`${at}: ${typeof reference} expected, got ${typeof actual}`];
}

describe("simulator → the API's example answers", () => {
  const open: HetznerSimulator[] = [];
  afterEach(async () => {
    while (open.length) await open.pop()!.close();
  });
  it("answers metrics within Hetzner's limits: the last 30 days, at most 500 samples, every series named as the API does", async () => {
    const s = await startHetznerSimulator({ servers: [...DEMO_SERVERS] });
    open.push(s);
    const client = createHetznerClient({ baseUrl: s.url, token: TOKEN });
    const end = new Date();
    const metrics = await client.getMetrics(1001, { types: ["cpu", "disk", "network"], start: new Date(end.getTime() - 90 * 86_400_000), end, step: 60 });
    expect(Object.keys(metrics.series).sort()).toEqual(
      ["cpu", "disk.0.bandwidth.read", "disk.0.bandwidth.write", "disk.0.iops.read", "disk.0.iops.write", "network.0.bandwidth.in", "network.0.bandwidth.out", "network.0.pps.in", "network.0.pps.out"],
    );
    for (const series of Object.values(metrics.series)) expect(series.length).toBeLessThanOrEqual(500);
    expect(end.getTime() - metrics.start.getTime()).toBeLessThanOrEqual(30 * 86_400_000 + 1000);
    expect(metrics.step).toBeGreaterThanOrEqual(Math.ceil((30 * 86_400) / 500));
    // Deterministic: the same question gives the same answer.
    const again = await client.getMetrics(1001, { types: ["cpu"], start: new Date(end.getTime() - 3600_000), end, step: 60 });
    const once = await client.getMetrics(1001, { types: ["cpu"], start: new Date(end.getTime() - 3600_000), end, step: 60 });
    expect(again.series.cpu).toEqual(once.series.cpu);
    // CPU in percent per vCPU: a CX22 (2 vCPUs) can exceed 100, never 200.
    expect(Math.max(...metrics.series.cpu.map((p) => p.v!))).toBeLessThanOrEqual(200);
  });


  async function sim() {
    const s = await startHetznerSimulator({ servers: [...DEMO_SERVERS], actionDurationMs: 60_000 });
    open.push(s);
    const get = async (method: string, path: string) => {
      const res = await fetch(`${s.url}${path}`, { method, headers: { Authorization: `Bearer ${TOKEN}` } });
      return { status: res.status, body: (await res.json()) as unknown };
    };
    return { s, get };
  }

  it("answers servers, lists, actions and errors in exactly the API's shape", async () => {
    const { get } = await sim();
    const one = await get("GET", "/servers/1001");
    expect(shapeDiff(hetznerReference("server"), one.body)).toEqual([]);
    expect(one.body).toMatchObject({ server: { location: { name: "nbg1", city: "Nuremberg", country: "DE", network_zone: "eu-central" } } });

    expect(shapeDiff(hetznerReference("servers-list"), (await get("GET", "/servers?per_page=2")).body)).toEqual([]);

    const started = await get("POST", "/servers/1001/actions/reboot");
    expect(started.status).toBe(201);
    expect(shapeDiff(hetznerReference("action"), started.body)).toEqual([]);
    const id = (started.body as { action: { id: number } }).action.id;
    expect(shapeDiff(hetznerReference("action"), (await get("GET", `/actions/${id}`)).body)).toEqual([]);

    const now = Date.now();
    const cpu = await get("GET", `/servers/1001/metrics?type=cpu&start=${new Date(now - 3600_000).toISOString()}&end=${new Date(now).toISOString()}&step=60`);
    expect(shapeDiff(hetznerReference("metrics"), cpu.body)).toEqual([]);

    // Images (backups, snapshots) in the shape of the server's `image` object.
    const images = (await get("GET", "/images?type=backup&bound_to=1001")).body as { images: unknown[] };
    expect(images.images.length).toBeGreaterThan(0);
    for (const image of images.images) expect(shapeDiff(hetznerReference("server").server.image, image)).toEqual([]);

    const locked = await get("POST", "/servers/1001/actions/poweroff");
    expect(locked.status).toBe(423);
    expect(shapeDiff(hetznerReference("error"), locked.body)).toEqual([]);
  });
});
