/**
 * Local simulator of the Hetzner Cloud API subset used by the portal.
 *
 * A small `node:http` server (loopback by default) that answers like the real
 * API: same paths (`/v1/...`), same JSON shapes as today's API (a server has
 * the top-level `location`, no `datacenter`; tests/hetzner/contract.test.ts
 * compares every answer with the examples written from Hetzner's wire schema),
 * same error bodies and RateLimit headers. Actions take `actionDurationMs`, report progress and lock
 * the server while they run. Faults can be switched on and off at runtime.
 *
 * State is advanced lazily from a clock (`now`, default `Date.now`) on every
 * request, so tests can inject a manual clock for fully deterministic progress.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { HETZNER_ERROR_STATUS } from "@/lib/hetzner/errors";
import type { HetznerServerStatus } from "@/lib/hetzner/types";

export type HetznerSimulatorFaultType =
  | "timeout"
  | "server_error"
  | "rate_limit"
  | "unknown_server"
  | "invalid_response"
  /** 409 `conflict`: the resource changed while the request was handled; nothing was done. */
  | "conflict"
  /** 403 `token_readonly` for writes (reads still work, as with a read-only token). */
  | "token_readonly"
  /** 503 `maintenance`. */
  | "maintenance"
  /** 423 `resource_locked`: Hetzner locked the server (support case). */
  | "resource_locked"
  /** 403 `protected` for writes. */
  | "protected"
  /** 410 `deprecated_api_endpoint`. */
  | "deprecated_api_endpoint"
  /** 502 from the gateway in front of the API (HTML body, no RateLimit headers). */
  | "bad_gateway"
  /** 504 from the gateway in front of the API (HTML body, no RateLimit headers). */
  | "gateway_timeout";

/** API error faults: the code Hetzner answers with, and whether reads are affected too. */
const API_ERROR_FAULTS: Partial<Record<HetznerSimulatorFaultType, { code: string; message: string; writesOnly: boolean }>> = {
  conflict: { code: "conflict", message: "another action is running", writesOnly: false },
  token_readonly: { code: "token_readonly", message: "the token is only allowed to perform GET requests", writesOnly: true },
  maintenance: { code: "maintenance", message: "cannot perform operation due to maintenance", writesOnly: false },
  resource_locked: { code: "resource_locked", message: "resource is locked, please contact support", writesOnly: false },
  protected: { code: "protected", message: "server is protected", writesOnly: true },
  deprecated_api_endpoint: { code: "deprecated_api_endpoint", message: "this endpoint is deprecated and no longer available", writesOnly: false },
};

export interface HetznerSimulatorFault {
  type: HetznerSimulatorFaultType;
  /** Only requests with this method and/or a path (after `/v1`) starting with `path` or matching it get the fault. */
  match?: { method?: "GET" | "POST" | "PUT" | "DELETE"; path?: string | RegExp };
  /** `server_error`: HTTP status, 500 (`server_error`, default) or 503 (`unavailable`). */
  status?: 500 | 503;
  /** `timeout`: answer normally after this delay; omitted → never answer (until `close()`). */
  delayMs?: number;
  /** `rate_limit`: additionally send a `Retry-After` header (Hetzner itself does not). */
  retryAfterSeconds?: number;
  /** `invalid_response`: 200 with a body of the wrong shape (default) or a non-JSON body. */
  body?: "wrong_shape" | "not_json";
  /** Apply only to the next n requests, then clear itself. Default: until `setFault(null)`. */
  times?: number;
}

export interface SimulatorServerSeed {
  id: number;
  name: string;
  /** Initial status. Default `running`. */
  status?: "running" | "off";
  /** Public IPv4; `null` for none. Default derived from the id. */
  ipv4?: string | null;
  /** Public IPv6 network; `null` for none. Default derived from the id. */
  ipv6?: string | null;
  /** Default `cx22`. */
  serverType?: string;
  /** Location name. Default `nbg1`. */
  location?: string;
  /** ISO timestamp. Default 2024-01-15T10:00:00+00:00. */
  created?: string;
  /** Whether the guest OS reacts to ACPI (`shutdown`, `reboot`). Default true. */
  acpi?: boolean;
  /** Backups on (window `22-02`) with one backup per night of the last 7 days. Default off. */
  backups?: boolean;
  /** Snapshots taken of this server (`daysAgo` before the simulator's start). */
  snapshots?: { description: string; daysAgo: number }[];
}

export interface SimulatorServerState {
  id: number;
  name: string;
  status: HetznerServerStatus;
  locked: boolean;
  ipv4: string | null;
  ipv6: string | null;
  serverType: string;
  location: string;
  acpi: boolean;
  /** Id of the running action, if any. */
  runningActionId: number | null;
}

export interface SimulatorActionState {
  id: number;
  command: string;
  status: "running" | "success" | "error";
  progress: number;
  serverId: number;
}

export interface HetznerSimulatorOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0 (random free port). */
  port?: number;
  /** Initial servers. Default: none (see `DEMO_SERVERS`). */
  servers?: SimulatorServerSeed[];
  /** Duration of state-changing actions. Default 3000 ms. */
  actionDurationMs?: number;
  /** If set, only this bearer token is accepted; otherwise any non-empty token. */
  token?: string;
  /** Token-bucket rate limit like Hetzner (limit, refilled by 1 request per second). Default 3600; `false` disables. */
  rateLimit?: { limit: number } | false;
  /** Clock in ms (default `Date.now`). Inject a manual clock for deterministic tests. */
  now?: () => number;
}

export interface HetznerSimulator {
  /** Base URL for the client, including `/v1`, e.g. `http://127.0.0.1:4010/v1`. */
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
  setFault(fault: HetznerSimulatorFault | HetznerSimulatorFaultType | null): void;
  addServer(seed: SimulatorServerSeed): SimulatorServerState;
  getServerState(id: number): SimulatorServerState | undefined;
  getActionState(id: number): SimulatorActionState | undefined;
  /** The next created action runs normally but ends with `status: "error"`. */
  failNextAction(error?: { code: string; message: string }): void;
  /** Number of HTTP requests received so far. */
  readonly requestCount: number;
  /** Number of answered `GET /servers` (list) pages so far. */
  readonly listRequestCount: number;
}

/** Demo servers used by `simulator-cli.ts` and the development mode. */
export const DEMO_SERVERS: readonly SimulatorServerSeed[] = [
  {
    id: 1001,
    name: "acme",
    status: "running",
    ipv4: "49.12.34.56",
    ipv6: "2a01:4f8:c012:1001::/64",
    serverType: "cx22",
    location: "nbg1",
    backups: true,
    snapshots: [{ description: "Vor dem Update auf Version 2.4", daysAgo: 12 }],
  },
  {
    id: 1002,
    name: "bergmann-web",
    status: "off",
    ipv4: "116.203.45.67",
    ipv6: "2a01:4f8:c17:1002::/64",
    serverType: "cpx21",
    location: "fsn1",
  },
  {
    id: 1003,
    name: "kanzlei-db",
    status: "running",
    ipv4: "95.216.78.90",
    ipv6: "2a01:4f9:c010:1003::/64",
    serverType: "cx32",
    location: "hel1",
    acpi: false,
  },
];


const LOCATIONS: Record<string, { id: number; description: string; city: string; country: string; network_zone: string; latitude: number; longitude: number }> = {
  fsn1: { id: 1, description: "Falkenstein DC Park 1", city: "Falkenstein", country: "DE", network_zone: "eu-central", latitude: 50.47612, longitude: 12.370071 },
  nbg1: { id: 2, description: "Nuremberg DC Park 1", city: "Nuremberg", country: "DE", network_zone: "eu-central", latitude: 49.452102, longitude: 11.076665 },
  hel1: { id: 3, description: "Helsinki DC Park 1", city: "Helsinki", country: "FI", network_zone: "eu-central", latitude: 60.169855, longitude: 24.938379 },
  ash: { id: 4, description: "Ashburn, VA", city: "Ashburn, VA", country: "US", network_zone: "us-east", latitude: 39.045821, longitude: -77.487073 },
  hil: { id: 5, description: "Hillsboro, OR", city: "Hillsboro, OR", country: "US", network_zone: "us-west", latitude: 45.54222, longitude: -122.951924 },
  sin: { id: 6, description: "Singapore", city: "Singapore", country: "SG", network_zone: "ap-southeast", latitude: 1.283333, longitude: 103.833333 },
};

const SERVER_TYPES: Record<string, { id: number; cores: number; memory: number; disk: number; description: string }> = {
  cx22: { id: 104, cores: 2, memory: 4, disk: 40, description: "CX22" },
  cx32: { id: 105, cores: 4, memory: 8, disk: 80, description: "CX32" },
  cx42: { id: 106, cores: 8, memory: 16, disk: 160, description: "CX42" },
  cpx11: { id: 22, cores: 2, memory: 2, disk: 40, description: "CPX 11" },
  cpx21: { id: 23, cores: 3, memory: 4, disk: 80, description: "CPX 21" },
  cpx31: { id: 24, cores: 4, memory: 8, disk: 160, description: "CPX 31" },
  cax11: { id: 45, cores: 2, memory: 4, disk: 40, description: "CAX11" },
};

type ActionKind = "reboot" | "poweroff" | "poweron" | "shutdown" | "create_image" | "enable_backup" | "disable_backup" | "rebuild";
const COMMANDS: Record<ActionKind, string> = {
  reboot: "reboot_server",
  poweroff: "stop_server",
  poweron: "start_server",
  shutdown: "shutdown_server",
  create_image: "create_image",
  enable_backup: "enable_backup",
  disable_backup: "disable_backup",
  rebuild: "rebuild_server",
};

/** Monthly net price (EUR) of the simulated server types, the same in every location. */
const PRICES: Record<string, number> = { cx22: 3.79, cx32: 6.8, cx42: 16.4, cpx11: 4.35, cpx21: 7.55, cpx31: 13.6, cax11: 3.79 };

interface ImageRecord {
  id: number;
  type: "backup" | "snapshot";
  status: "available" | "creating";
  description: string;
  sizeGb: number | null;
  diskGb: number;
  createdMs: number;
  boundTo: number | null;
  createdFrom: { id: number; name: string } | null;
}

interface ServerRecord {
  id: number;
  name: string;
  status: HetznerServerStatus;
  ipv4: string | null;
  ipv6: string | null;
  serverType: string;
  location: string;
  created: string;
  acpi: boolean;
  /** `22-02` while backups are on. */
  backupWindow: string | null;
}

interface ActionRecord {
  id: number;
  kind: ActionKind;
  serverId: number;
  startedMs: number;
  durationMs: number;
  status: "running" | "success" | "error";
  progress: number;
  finishedMs: number | null;
  /** Status the server had before the action (restored if the action fails). */
  fromStatus: HetznerServerStatus;
  /** `null` → no state change (idempotent no-op or ACPI ignored). */
  phases: { until: number; status: HetznerServerStatus }[] | null;
  finalStatus: HetznerServerStatus;
  failWith: { code: string; message: string } | null;
  error: { code: string; message: string } | null;
  /** What the action changes when it succeeds (image available, backups on/off). */
  effect?: () => void;
}

export async function startHetznerSimulator(
  options: HetznerSimulatorOptions = {},
): Promise<HetznerSimulator> {
  const host = options.host ?? "127.0.0.1";
  const actionDurationMs = options.actionDurationMs ?? 3000;
  const now = options.now ?? Date.now;
  const rateLimitCfg = options.rateLimit === undefined ? { limit: 3600 } : options.rateLimit;

  const servers = new Map<number, ServerRecord>();
  const actions = new Map<number, ActionRecord>();
  let nextActionId = 500_001;
  const images = new Map<number, ImageRecord>();
  let nextImageId = 300_001;
  let fault: (HetznerSimulatorFault & { remaining: number }) | null = null;
  let failNext: { code: string; message: string } | null = null;
  let requestCount = 0;
  let listRequests = 0;
  const pendingTimers = new Set<NodeJS.Timeout>();

  let bucketTokens = rateLimitCfg ? rateLimitCfg.limit : 0;
  let bucketUpdatedMs = now();

  function addServer(seed: SimulatorServerSeed): SimulatorServerState {
    if (!Number.isInteger(seed.id) || seed.id <= 0) throw new Error("server id must be a positive integer");
    if (servers.has(seed.id)) throw new Error(`server ${seed.id} already exists`);
    servers.set(seed.id, {
      id: seed.id,
      name: seed.name,
      status: seed.status ?? "running",
      ipv4: seed.ipv4 === undefined ? `5.75.${(seed.id >> 8) & 255}.${seed.id & 255}` : seed.ipv4,
      ipv6: seed.ipv6 === undefined ? `2a01:4f8:c0c:${seed.id.toString(16)}::/64` : seed.ipv6,
      serverType: seed.serverType ?? "cx22",
      location: seed.location ?? "nbg1",
      created: seed.created ?? "2024-01-15T10:00:00+00:00",
      acpi: seed.acpi ?? true,
      backupWindow: seed.backups ? "22-02" : null,
    });
    const record = servers.get(seed.id)!;
    const disk = (SERVER_TYPES[record.serverType] ?? { disk: 40 }).disk;
    const day = 86_400_000;
    if (seed.backups) {
      for (let n = 7; n >= 1; n--) {
        const night = Math.floor(now() / day) * day - n * day + 23 * 3600_000;
        addImage({ type: "backup", status: "available", description: `Backup ${new Date(night).toISOString().slice(0, 10)}`, sizeGb: Math.round((2.1 + 0.07 * (7 - n)) * 100) / 100, diskGb: disk, createdMs: night, boundTo: record.id, createdFrom: { id: record.id, name: record.name } });
      }
    }
    for (const snap of seed.snapshots ?? []) {
      addImage({ type: "snapshot", status: "available", description: snap.description, sizeGb: 2.4, diskGb: disk, createdMs: now() - snap.daysAgo * day, boundTo: null, createdFrom: { id: record.id, name: record.name } });
    }
    return snapshot(seed.id)!;
  }

  function addImage(image: Omit<ImageRecord, "id">): ImageRecord {
    const record = { id: nextImageId++, ...image };
    images.set(record.id, record);
    return record;
  }

  for (const seed of options.servers ?? []) addServer(seed);

  // ---- state machine ------------------------------------------------------

  function advance(): void {
    const t = now();
    for (const a of actions.values()) {
      if (a.status !== "running") continue;
      const elapsed = t - a.startedMs;
      const server = servers.get(a.serverId);
      if (elapsed >= a.durationMs) {
        a.finishedMs = a.startedMs + a.durationMs;
        if (a.failWith) {
          a.status = "error";
          a.error = a.failWith;
          if (server && a.phases) server.status = a.fromStatus;
        } else {
          a.status = "success";
          a.progress = 100;
          if (server && a.phases) server.status = a.finalStatus;
          a.effect?.();
        }
        continue;
      }
      a.progress = Math.min(99, Math.max(0, Math.floor((elapsed / a.durationMs) * 100)));
      if (server && a.phases) {
        const frac = elapsed / a.durationMs;
        const phase = a.phases.find((p) => frac < p.until) ?? a.phases[a.phases.length - 1];
        if (phase) server.status = phase.status;
      }
    }
  }

  function runningActionFor(serverId: number): ActionRecord | undefined {
    for (const a of actions.values()) if (a.serverId === serverId && a.status === "running") return a;
    return undefined;
  }

  function startAction(server: ServerRecord, kind: ActionKind, extra: { effect?: () => void; durationMs?: number } = {}): ActionRecord {
    const t = now();
    const isRunning = server.status === "running";
    let phases: ActionRecord["phases"] = null;
    let finalStatus = server.status;
    if (kind === "reboot" && isRunning && server.acpi) {
      phases = [
        { until: 0.5, status: "stopping" },
        { until: 1, status: "starting" },
      ];
      finalStatus = "running";
    } else if (kind === "poweroff" && isRunning) {
      phases = [{ until: 1, status: "stopping" }];
      finalStatus = "off";
    } else if (kind === "shutdown" && isRunning && server.acpi) {
      phases = [{ until: 1, status: "stopping" }];
      finalStatus = "off";
    } else if (kind === "poweron" && server.status === "off") {
      phases = [{ until: 1, status: "starting" }];
      finalStatus = "running";
    } else if (kind === "rebuild") {
      phases = [{ until: 1, status: "rebuilding" }];
      finalStatus = "running";
    }
    // Idempotent no-ops (poweron on a running server, poweroff on an off
    // server, …) finish immediately with success. ACPI requests (reboot,
    // shutdown) to a guest that ignores ACPI also succeed at once: the action
    // only reports that the signal was sent, the server stays as it is.
    const durationMs = extra.durationMs ?? (phases === null ? 0 : actionDurationMs);
    const action: ActionRecord = {
      id: nextActionId++,
      kind,
      serverId: server.id,
      startedMs: t,
      durationMs,
      status: "running",
      progress: 0,
      finishedMs: null,
      fromStatus: server.status,
      phases,
      finalStatus,
      failWith: failNext,
      error: null,
      effect: extra.effect,
    };
    failNext = null;
    actions.set(action.id, action);
    advance();
    return action;
  }

  // ---- JSON shapes ----------------------------------------------------------

  function iso(ms: number): string {
    return new Date(ms).toISOString().replace(/\.\d{3}Z$/, "+00:00");
  }

  /** A server exactly in the API's shape (the keys of the reference example, tests/hetzner/contract.test.ts). */
  function serverJson(s: ServerRecord) {
    const loc = LOCATIONS[s.location] ?? { id: 99, city: s.location, country: "DE", network_zone: "eu-central", description: s.location, latitude: 0, longitude: 0 };
    const type = SERVER_TYPES[s.serverType] ?? { id: 999, cores: 2, memory: 4, disk: 40, description: s.serverType.toUpperCase() };
    const architecture = s.serverType.startsWith("cax") ? "arm" : "x86";
    return {
      id: s.id,
      name: s.name,
      status: s.status,
      created: s.created,
      public_net: {
        ipv4: s.ipv4 === null ? null : { id: s.id * 10 + 4, ip: s.ipv4, blocked: false, dns_ptr: `static.${s.ipv4.split(".").reverse().join(".")}.clients.your-server.de` },
        ipv6: s.ipv6 === null ? null : { id: s.id * 10 + 6, ip: s.ipv6, blocked: false, dns_ptr: [] },
        floating_ips: [],
        firewalls: [],
      },
      private_net: [],
      server_type: {
        id: type.id,
        name: s.serverType,
        description: type.description,
        cores: type.cores,
        memory: type.memory,
        disk: type.disk,
        deprecated: false,
        prices: Object.keys(LOCATIONS).map((location) => {
          const net = PRICES[s.serverType] ?? 4;
          const money = (n: number) => ({ net: n.toFixed(4), gross: (n * 1.19).toFixed(4) });
          return { location, price_hourly: money(net / 730), price_monthly: money(net), included_traffic: 21990232555520, price_per_tb_traffic: money(1) };
        }),
        storage_type: "local",
        cpu_type: "shared",
        architecture,
      },
      included_traffic: 21990232555520,
      outgoing_traffic: 123456789,
      ingoing_traffic: 987654321,
      backup_window: s.backupWindow,
      rescue_enabled: false,
      iso: null,
      locked: runningActionFor(s.id) !== undefined,
      location: {
        id: loc.id,
        name: s.location,
        description: loc.description,
        country: loc.country,
        city: loc.city,
        latitude: loc.latitude,
        longitude: loc.longitude,
        network_zone: loc.network_zone,
      },
      image: {
        id: 114690387,
        type: "system",
        status: "available",
        name: "debian-12",
        description: "Debian 12",
        os_flavor: "debian",
        os_version: "12",
        architecture,
        rapid_deploy: true,
        protection: { delete: false },
        labels: {},
        created: "2023-06-13T06:00:02+00:00",
        deleted: null,
        deprecated: null,
        disk_size: 5,
        image_size: null,
        bound_to: null,
        created_from: null,
      },
      protection: { delete: false, rebuild: false },
      labels: {},
      volumes: [],
      primary_disk_size: type.disk,
      placement_group: null,
      load_balancers: [],
    };
  }

  /**
   * Metrics like Hetzner's: only the last 30 days, at most 500 samples per series (`step` is
   * widened), timestamps on multiples of `step`, values as strings, CPU in percent per vCPU.
   * The values are deterministic (a function of server, series and time): a working day with
   * more load in the afternoon, some noise and now and then a peak. An off server reports 0.
   */
  function metricsJson(server: ServerRecord, q: URLSearchParams): { error: string } | { metrics: unknown } {
    const types = (q.get("type") ?? "").split(",").filter(Boolean);
    if (types.length === 0 || types.some((t) => !["cpu", "disk", "network"].includes(t))) return { error: "invalid type" };
    const startMs = Date.parse(q.get("start") ?? "");
    const endMs = Date.parse(q.get("end") ?? "");
    if (Number.isNaN(startMs) || Number.isNaN(endMs) || endMs <= startMs) return { error: "invalid start or end" };
    const from = Math.max(startMs, now() - 30 * 86_400_000) / 1000;
    const to = Math.min(endMs, now()) / 1000;
    const requested = Number(q.get("step") ?? 0) || 0;
    const step = Math.max(1, requested, Math.ceil((to - from) / 500));
    const cores = (SERVER_TYPES[server.serverType] ?? { cores: 2 }).cores;
    const off = server.status === "off";
    const noise = (seed: number, t: number) => {
      const x = Math.sin(server.id * 12.9898 + seed * 78.233 + t * 0.000123) * 43758.5453;
      return x - Math.floor(x);
    };
    // 0 at night, 1 in the afternoon (UTC).
    const daily = (t: number) => Math.max(0, Math.sin(((t / 3600) % 24 - 6) / 24 * 2 * Math.PI));
    const load = (t: number) => {
      const peak = noise(99, Math.floor(t / 1800)) > 0.97 ? 45 : 0;
      return Math.min(100, 6 + 28 * daily(t) + 8 * noise(1, t) + peak);
    };
    const series: Record<string, (t: number) => number> = {};
    if (types.includes("cpu")) series.cpu = (t) => load(t) * cores;
    if (types.includes("disk")) {
      series["disk.0.iops.read"] = (t) => 1 + load(t) * 0.4 + 4 * noise(2, t);
      series["disk.0.iops.write"] = (t) => 3 + load(t) * 0.8 + 6 * noise(3, t);
      series["disk.0.bandwidth.read"] = (t) => (1 + load(t) * 0.4 + 4 * noise(2, t)) * 16_384;
      series["disk.0.bandwidth.write"] = (t) => (3 + load(t) * 0.8 + 6 * noise(3, t)) * 12_288;
    }
    if (types.includes("network")) {
      series["network.0.pps.in"] = (t) => 40 + load(t) * 9 + 30 * noise(4, t);
      series["network.0.pps.out"] = (t) => 35 + load(t) * 7 + 25 * noise(5, t);
      series["network.0.bandwidth.in"] = (t) => (40 + load(t) * 9 + 30 * noise(4, t)) * 620;
      series["network.0.bandwidth.out"] = (t) => (35 + load(t) * 7 + 25 * noise(5, t)) * 1150;
    }
    const stamps: number[] = [];
    for (let t = Math.ceil(from / step) * step; t <= to; t += step) stamps.push(t);
    const time_series = Object.fromEntries(
      Object.entries(series).map(([name, fn]) => [name, { values: stamps.map((t) => [t, (off ? 0 : fn(t)).toFixed(2)]) }]),
    );
    return { metrics: { start: iso(from * 1000), end: iso(to * 1000), step, time_series } };
  }

  function imageJson(i: ImageRecord) {
    return {
      id: i.id,
      type: i.type,
      status: i.status,
      name: null,
      description: i.description,
      image_size: i.status === "creating" ? null : i.sizeGb,
      disk_size: i.diskGb,
      created: iso(i.createdMs),
      created_from: i.createdFrom,
      bound_to: i.boundTo,
      os_flavor: "debian",
      os_version: "12",
      architecture: "x86",
      rapid_deploy: false,
      protection: { delete: false },
      deprecated: null,
      deleted: null,
      labels: {},
    };
  }

  function actionJson(a: ActionRecord) {
    return {
      id: a.id,
      command: COMMANDS[a.kind],
      status: a.status,
      progress: a.progress,
      started: iso(a.startedMs),
      finished: a.finishedMs === null ? null : iso(a.finishedMs),
      resources: [{ id: a.serverId, type: "server" }],
      error: a.error,
    };
  }

  function snapshot(id: number): SimulatorServerState | undefined {
    const s = servers.get(id);
    if (!s) return undefined;
    return {
      id: s.id,
      name: s.name,
      status: s.status,
      locked: runningActionFor(s.id) !== undefined,
      ipv4: s.ipv4,
      ipv6: s.ipv6,
      serverType: s.serverType,
      location: s.location,
      acpi: s.acpi,
      runningActionId: runningActionFor(s.id)?.id ?? null,
    };
  }

  // ---- HTTP -----------------------------------------------------------------

  function rateLimitHeaders(remaining: number): Record<string, string> {
    if (!rateLimitCfg) return {};
    const limit = rateLimitCfg.limit;
    const resetSecs = Math.ceil(now() / 1000 + (limit - remaining));
    return {
      "RateLimit-Limit": String(limit),
      "RateLimit-Remaining": String(Math.max(0, Math.floor(remaining))),
      "RateLimit-Reset": String(resetSecs),
    };
  }

  function send(
    res: http.ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const text = typeof body === "string" ? body : JSON.stringify(body);
    res.writeHead(status, {
      "Content-Type": typeof body === "string" ? "text/plain; charset=utf-8" : "application/json",
      "Content-Length": Buffer.byteLength(text),
      ...headers,
    });
    res.end(text);
  }

  function sendError(
    res: http.ServerResponse,
    code: string,
    message: string,
    headers: Record<string, string> = {},
    details: unknown = {},
  ): void {
    send(res, HETZNER_ERROR_STATUS[code] ?? 500, { error: { code, message, details } }, headers);
  }

  function faultMatches(f: HetznerSimulatorFault, req: http.IncomingMessage): boolean {
    if (!f.match) return true;
    if (f.match.method && f.match.method !== req.method) return false;
    if (f.match.path !== undefined) {
      const path = new URL(req.url ?? "/", "http://localhost").pathname.replace(/^\/v1/, "");
      if (typeof f.match.path === "string" ? !path.startsWith(f.match.path) : !f.match.path.test(path)) return false;
    }
    return true;
  }

  function consumeFault(req: http.IncomingMessage): HetznerSimulatorFault | null {
    if (!fault || !faultMatches(fault, req)) return null;
    const f = fault;
    if (Number.isFinite(f.remaining)) {
      f.remaining -= 1;
      if (f.remaining <= 0) fault = null;
    }
    return f;
  }

  function handle(req: http.IncomingMessage, res: http.ServerResponse, f: HetznerSimulatorFault | null, bodyText = ""): void {
    // Infrastructure faults come first: they happen before auth on the real API too.
    if (f?.type === "bad_gateway" || f?.type === "gateway_timeout") {
      const status = f.type === "bad_gateway" ? 502 : 504;
      send(res, status, `<html><body><h1>${status} ${status === 502 ? "Bad Gateway" : "Gateway Time-out"}</h1></body></html>`);
      return;
    }
    if (f?.type === "server_error") {
      if (f.status === 503) sendError(res, "unavailable", "service temporarily unavailable");
      else sendError(res, "server_error", "internal server error");
      return;
    }
    if (f?.type === "rate_limit") {
      const headers = rateLimitHeaders(0);
      if (!rateLimitCfg) {
        headers["RateLimit-Limit"] = "3600";
        headers["RateLimit-Remaining"] = "0";
        headers["RateLimit-Reset"] = String(Math.ceil(now() / 1000 + 3600));
      }
      if (f.retryAfterSeconds !== undefined) headers["Retry-After"] = String(f.retryAfterSeconds);
      sendError(res, "rate_limit_exceeded", "limit of 3600 requests per hour reached", headers);
      return;
    }

    const auth = req.headers.authorization ?? "";
    const match = /^Bearer\s+(\S+)\s*$/i.exec(auth);
    if (!match || (options.token !== undefined && match[1] !== options.token)) {
      sendError(res, "unauthorized", "unable to authenticate");
      return;
    }

    let rl: Record<string, string> = {};
    if (rateLimitCfg) {
      const t = now();
      bucketTokens = Math.min(rateLimitCfg.limit, bucketTokens + Math.max(0, t - bucketUpdatedMs) / 1000);
      bucketUpdatedMs = t;
      if (bucketTokens < 1) {
        sendError(res, "rate_limit_exceeded", `limit of ${rateLimitCfg.limit} requests per hour reached`, rateLimitHeaders(0));
        return;
      }
      bucketTokens -= 1;
      rl = rateLimitHeaders(bucketTokens);
    }

    const apiError = f ? API_ERROR_FAULTS[f.type] : undefined;
    if (apiError && !(apiError.writesOnly && req.method === "GET")) {
      sendError(res, apiError.code, apiError.message, rl);
      return;
    }

    if (f?.type === "invalid_response") {
      if (f.body === "not_json") send(res, 200, "<html>Bad Gateway</html>", rl);
      else send(res, 200, { server: { id: "not-a-number" }, action: { status: "weird" } }, rl);
      return;
    }

    advance();
    const url = new URL(req.url ?? "/", "http://localhost");
    const parts = url.pathname.split("/").filter(Boolean);
    if (parts[0] !== "v1") {
      sendError(res, "not_found", "not found", rl);
      return;
    }
    const p = parts.slice(1);
    const method = req.method ?? "GET";
    const parseId = (s: string | undefined): number | null => (s && /^\d{1,15}$/.test(s) ? Number(s) : null);

    // GET /v1/servers
    // Paginated like Hetzner: `page` (from 1) and `per_page` (default 25, at most 50), ordered by id.
    if (method === "GET" && p.length === 1 && p[0] === "servers") {
      const all = f?.type === "unknown_server" ? [] : [...servers.values()].sort((x, y) => x.id - y.id);
      const perPage = Math.min(50, Math.max(1, Number(url.searchParams.get("per_page") ?? 25) || 25));
      const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
      const lastPage = Math.max(1, Math.ceil(all.length / perPage));
      const list = all.slice((page - 1) * perPage, page * perPage).map(serverJson);
      listRequests += 1;
      send(
        res,
        200,
        {
          servers: list,
          meta: {
            pagination: {
              page,
              per_page: perPage,
              previous_page: page > 1 ? page - 1 : null,
              next_page: page < lastPage ? page + 1 : null,
              last_page: lastPage,
              total_entries: all.length,
            },
          },
        },
        rl,
      );
      return;
    }

    // GET /v1/images?type=backup|snapshot&bound_to=…&page=…&per_page=…
    if (method === "GET" && p.length === 1 && p[0] === "images") {
      const type = url.searchParams.get("type");
      const boundTo = url.searchParams.get("bound_to");
      const all = [...images.values()]
        .filter((i) => (type ? i.type === type : true) && (boundTo ? String(i.boundTo) === boundTo : true))
        .sort((x, y) => y.createdMs - x.createdMs);
      const perPage = Math.min(50, Math.max(1, Number(url.searchParams.get("per_page") ?? 25) || 25));
      const page = Math.max(1, Number(url.searchParams.get("page") ?? 1) || 1);
      const lastPage = Math.max(1, Math.ceil(all.length / perPage));
      send(res, 200, {
        images: all.slice((page - 1) * perPage, page * perPage).map(imageJson),
        meta: { pagination: { page, per_page: perPage, previous_page: page > 1 ? page - 1 : null, next_page: page < lastPage ? page + 1 : null, last_page: lastPage, total_entries: all.length } },
      }, rl);
      return;
    }
    // GET / DELETE /v1/images/{id}
    if (p[0] === "images" && p.length === 2 && (method === "GET" || method === "DELETE")) {
      const id = parseId(p[1]);
      const image = id === null ? undefined : images.get(id);
      if (!image) return sendError(res, "not_found", `image with ID '${p[1]}' not found`, rl);
      if (method === "GET") return send(res, 200, { image: imageJson(image) }, rl);
      images.delete(image.id);
      res.writeHead(204, rl);
      res.end();
      return;
    }

    // GET /v1/actions/{id} and GET /v1/servers/actions/{id}
    const actionPath =
      p[0] === "actions" && p.length === 2 ? p[1] : p[0] === "servers" && p[1] === "actions" && p.length === 3 ? p[2] : undefined;
    if (method === "GET" && actionPath !== undefined) {
      const id = parseId(actionPath);
      if (id === null) return sendError(res, "invalid_input", "invalid action id", rl);
      const a = actions.get(id);
      if (!a) return sendError(res, "not_found", `action with ID '${id}' not found`, rl);
      send(res, 200, { action: actionJson(a) }, rl);
      return;
    }

    if (p[0] === "servers" && p.length >= 2) {
      const id = parseId(p[1]);
      if (id === null) return sendError(res, "invalid_input", "invalid server id", rl);
      const server = f?.type === "unknown_server" ? undefined : servers.get(id);
      if (!server) return sendError(res, "not_found", `server with ID '${id}' not found`, rl);

      // GET /v1/servers/{id}/metrics?type=cpu,disk,network&start=…&end=…&step=…
      if (method === "GET" && p.length === 3 && p[2] === "metrics") {
        const answer = metricsJson(server, url.searchParams);
        if ("error" in answer) return sendError(res, "invalid_input", answer.error, rl);
        send(res, 200, answer, rl);
        return;
      }
      // GET /v1/servers/{id}
      if (method === "GET" && p.length === 2) {
        send(res, 200, { server: serverJson(server) }, rl);
        return;
      }
      // GET /v1/servers/{id}/actions/{action_id}
      if (method === "GET" && p.length === 4 && p[2] === "actions") {
        const aid = parseId(p[3]);
        const a = aid === null ? undefined : actions.get(aid);
        if (!a || a.serverId !== id) return sendError(res, "not_found", `action with ID '${p[3]}' not found`, rl);
        send(res, 200, { action: actionJson(a) }, rl);
        return;
      }
      // POST /v1/servers/{id}/actions/{reboot|poweroff|poweron|shutdown}
      if (method === "POST" && p.length === 4 && p[2] === "actions") {
        const kind = p[3] as ActionKind;
        if (!(kind in COMMANDS)) return sendError(res, "not_found", "not found", rl);
        const running = runningActionFor(id);
        if (running) {
          sendError(res, "locked", `server ${id} is locked by action ${running.id} (${COMMANDS[running.kind]})`, rl);
          return;
        }
        let body: Record<string, unknown> = {};
        try {
          body = bodyText ? (JSON.parse(bodyText) as Record<string, unknown>) : {};
        } catch {
          return sendError(res, "json_error", "invalid JSON", rl);
        }
        if (kind === "create_image") {
          const image = addImage({
            type: body.type === "backup" ? "backup" : "snapshot",
            status: "creating",
            description: typeof body.description === "string" ? body.description : "",
            sizeGb: 2.5,
            diskGb: (SERVER_TYPES[server.serverType] ?? { disk: 40 }).disk,
            createdMs: now(),
            boundTo: body.type === "backup" ? server.id : null,
            createdFrom: { id: server.id, name: server.name },
          });
          const action = startAction(server, kind, { durationMs: actionDurationMs, effect: () => (image.status = "available") });
          send(res, 201, { image: imageJson(image), action: actionJson(action) }, rl);
          return;
        }
        if (kind === "rebuild") {
          const image = images.get(Number(body.image));
          if (!image) return sendError(res, "invalid_input", "image not found", rl);
          const action = startAction(server, kind);
          send(res, 201, { action: actionJson(action), root_password: null }, rl);
          return;
        }
        if (kind === "enable_backup" || kind === "disable_backup") {
          const action = startAction(server, kind, {
            effect: () => {
              server.backupWindow = kind === "enable_backup" ? "22-02" : null;
              // Hetzner deletes a server's backups when backups are switched off.
              if (kind === "disable_backup") for (const i of images.values()) if (i.type === "backup" && i.boundTo === server.id) images.delete(i.id);
            },
          });
          advance();
          send(res, 201, { action: actionJson(action) }, rl);
          return;
        }
        const action = startAction(server, kind);
        send(res, 201, { action: actionJson(action) }, rl);
        return;
      }
    }
    sendError(res, "not_found", "not found", rl);
  }

  const httpServer = http.createServer((req, res) => {
    requestCount += 1;
    // Read the body (most POST actions have none or `{}`), then answer.
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const bodyText = Buffer.concat(chunks).toString("utf8");
      const f = consumeFault(req);
      if (f?.type === "timeout") {
        if (f.delayMs === undefined) return; // never answer; close() destroys the socket
        const timer = setTimeout(() => {
          pendingTimers.delete(timer);
          if (!res.destroyed) safeHandle(req, res, null, bodyText);
        }, f.delayMs);
        pendingTimers.add(timer);
        return;
      }
      safeHandle(req, res, f, bodyText);
    });
  });

  function safeHandle(req: http.IncomingMessage, res: http.ServerResponse, f: HetznerSimulatorFault | null, bodyText = "") {
    try {
      handle(req, res, f, bodyText);
    } catch (err) {
      if (!res.headersSent) sendError(res, "server_error", `simulator error: ${err instanceof Error ? err.message : String(err)}`);
    }
  }

  await new Promise<void>((resolve, reject) => {
    httpServer.once("error", reject);
    httpServer.listen(options.port ?? 0, host, () => {
      httpServer.off("error", reject);
      resolve();
    });
  });
  const port = (httpServer.address() as AddressInfo).port;
  const urlHost = host.includes(":") ? `[${host}]` : host;

  return {
    url: `http://${urlHost}:${port}/v1`,
    port,
    get requestCount() {
      return requestCount;
    },
    get listRequestCount() {
      return listRequests;
    },
    async close() {
      for (const t of pendingTimers) clearTimeout(t);
      pendingTimers.clear();
      await new Promise<void>((resolve) => {
        httpServer.close(() => resolve());
        httpServer.closeAllConnections();
      });
    },
    setFault(next) {
      if (next === null) {
        fault = null;
        return;
      }
      const f = typeof next === "string" ? { type: next } : next;
      fault = { ...f, remaining: f.times ?? Number.POSITIVE_INFINITY };
    },
    addServer,
    getServerState(id) {
      advance();
      return snapshot(id);
    },
    getActionState(id) {
      advance();
      const a = actions.get(id);
      return a && { id: a.id, command: COMMANDS[a.kind], status: a.status, progress: a.progress, serverId: a.serverId };
    },
    failNextAction(error = { code: "action_failed", message: "Action failed" }) {
      failNext = error;
    },
  };
}
