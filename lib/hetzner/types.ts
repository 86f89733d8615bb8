/**
 * Zod schemas for the subset of the Hetzner Cloud API the portal uses, and the
 * normalized (camelCase) types the client returns.
 *
 * The raw schemas only require the fields the portal reads; unknown fields are
 * ignored so that additions on Hetzner's side do not break the portal. The
 * shape is today's API (checked against the examples written from Hetzner's
 * own wire schema, tests/hetzner/contract.test.ts): since 2026-07-01 a server
 * has no `datacenter`, its place is the top-level `location` object.
 *
 * Enumerations Hetzner may extend are read leniently: a server status the
 * portal does not know becomes `unknown` for that server only (`rawStatus`
 * keeps what Hetzner sent), so one new value cannot break a whole list.
 */
import { z } from "zod";

/** Server statuses documented by Hetzner. */
export const SERVER_STATUSES = [
  "running",
  "initializing",
  "starting",
  "stopping",
  "off",
  "deleting",
  "migrating",
  "rebuilding",
  "unknown",
] as const;
export type HetznerServerStatus = (typeof SERVER_STATUSES)[number];

function isServerStatus(value: string): value is HetznerServerStatus {
  return (SERVER_STATUSES as readonly string[]).includes(value);
}

export const ACTION_STATUSES = ["running", "success", "error"] as const;
export type HetznerActionStatus = (typeof ACTION_STATUSES)[number];

/** Error object in the body of every non-2xx answer: `{ "error": { code, message, details } }`. */
export const apiErrorBodySchema = z.object({
  error: z.object({
    code: z.string(),
    message: z.string(),
    details: z.unknown().optional(),
  }),
});
export type HetznerApiErrorBody = z.infer<typeof apiErrorBodySchema>;

const isoDate = z.string().refine((s) => !Number.isNaN(Date.parse(s)), "not an ISO-8601 date");
const resourceId = z.number().int().nonnegative();

export const rawLocationSchema = z.object({
  name: z.string(),
  description: z.string().optional(),
  city: z.string().optional(),
  country: z.string().optional(),
  network_zone: z.string().optional(),
});

export const rawServerSchema = z.object({
  id: resourceId,
  name: z.string(),
  status: z.string(),
  created: isoDate,
  locked: z.boolean(),
  public_net: z.object({
    ipv4: z
      .object({
        ip: z.string(),
        blocked: z.boolean().optional(),
        dns_ptr: z.string().nullable().optional(),
      })
      .nullable(),
    ipv6: z
      .object({
        ip: z.string(),
        blocked: z.boolean().optional(),
      })
      .nullable()
      .optional(),
  }),
  server_type: z.object({
    name: z.string(),
    description: z.string().optional(),
    cores: z.number().optional(),
    memory: z.number().optional(),
    disk: z.number().optional(),
    /** Per location; amounts are decimal strings in EUR (`"4.5100"`). */
    prices: z
      .array(z.object({ location: z.string(), price_monthly: z.object({ net: z.string(), gross: z.string() }) }).passthrough())
      .optional(),
  }),
  location: rawLocationSchema,
  /** `HH-HH` UTC (e.g. `22-02`) while backups are on, `null` when off. */
  backup_window: z.string().nullable().optional(),
  included_traffic: z.number().nullable().optional(),
  outgoing_traffic: z.number().nullable().optional(),
  ingoing_traffic: z.number().nullable().optional(),
  primary_disk_size: z.number().optional(),
});
export type HetznerRawServer = z.infer<typeof rawServerSchema>;

export const serverResponseSchema = z.object({ server: rawServerSchema });

/** `GET /servers`: one page of servers and the pagination block (`next_page` null on the last page). */
export const serverListResponseSchema = z.object({
  // Checked one by one by the client: one server of a shape the portal cannot read must not hide the others.
  servers: z.array(z.unknown()),
  meta: z
    .object({
      pagination: z
        .object({
          page: z.number().int(),
          per_page: z.number().int(),
          next_page: z.number().int().nullable(),
          last_page: z.number().int().nullable().optional(),
          total_entries: z.number().int().nullable().optional(),
        })
        .optional(),
    })
    .optional(),
});

export const rawActionSchema = z.object({
  id: resourceId,
  command: z.string(),
  status: z.enum(ACTION_STATUSES),
  progress: z.number().min(0).max(100),
  started: isoDate,
  finished: isoDate.nullable(),
  resources: z.array(z.object({ id: resourceId, type: z.string() })),
  error: z.object({ code: z.string(), message: z.string() }).nullable(),
});
export type HetznerRawAction = z.infer<typeof rawActionSchema>;

export const actionResponseSchema = z.object({ action: rawActionSchema });

/** Metric types of `GET /servers/{id}/metrics`. */
export const METRIC_TYPES = ["cpu", "disk", "network"] as const;
export type HetznerMetricType = (typeof METRIC_TYPES)[number];

/**
 * `GET /servers/{id}/metrics`: one series per name (`cpu`, `disk.0.iops.read`,
 * `network.0.bandwidth.in` …), each a list of `[unix seconds, "value as string"]`.
 */
export const metricsResponseSchema = z.object({
  metrics: z.object({
    start: isoDate,
    end: isoDate,
    step: z.number().positive(),
    time_series: z.record(
      z.string(),
      z.object({ values: z.array(z.tuple([z.number(), z.union([z.string(), z.number()])])) }),
    ),
  }),
});
export type HetznerRawMetrics = z.infer<typeof metricsResponseSchema>;

/** Normalized metrics: values as numbers (`null` where Hetzner sent something that is not a number). */
export interface HetznerMetrics {
  start: Date;
  end: Date;
  /** Seconds between two samples (Hetzner widens it so no series has more than 500 samples). */
  step: number;
  series: Record<string, { t: number; v: number | null }[]>;
}

export function toMetrics(raw: HetznerRawMetrics): HetznerMetrics {
  const series: HetznerMetrics["series"] = {};
  for (const [name, { values }] of Object.entries(raw.metrics.time_series)) {
    series[name] = values.map(([t, v]) => {
      const n = typeof v === "number" ? v : Number(v);
      return { t, v: Number.isFinite(n) ? n : null };
    });
  }
  return { start: new Date(raw.metrics.start), end: new Date(raw.metrics.end), step: raw.metrics.step, series };
}

/** Normalized server as returned by `client.getServer()`. */
export interface HetznerServer {
  id: number;
  name: string;
  status: HetznerServerStatus;
  /** `true` while an action is running on the server (new actions get `locked`). */
  locked: boolean;
  /** Public IPv4 address, `null` if the server has none. */
  publicIpv4: string | null;
  /** Public IPv6 network (e.g. `2a01:4f8:1c1c:abcd::/64`), `null` if none. */
  publicIpv6: string | null;
  /** Server type name, e.g. `cx22`. */
  serverType: string;
  /** vCPUs of the server type (CPU metrics are percent per vCPU); `null` when Hetzner does not say. */
  cores: number | null;
  /** Location name, e.g. `nbg1` (the portal's `datacenter` field shows this). */
  location: string;
  /** City and country of the location, e.g. `Nuremberg`, `DE`; `null` when not sent. */
  city: string | null;
  country: string | null;
  networkZone: string | null;
  /** Status as Hetzner sent it (differs from `status` only when it is a value the portal does not know). */
  rawStatus: string;
  /** Backup window (`22-02`, UTC) while backups are on; `null` when they are off. */
  backupWindow: string | null;
  /** Disk size in GB. */
  diskGb: number | null;
  /** Monthly net price of the server type at the server's location, in cents; `null` when Hetzner sends none. */
  monthlyPriceNetCents: number | null;
  created: Date;
}

/** Normalized action as returned by the power actions and `client.getAction()`. */
export interface HetznerAction {
  id: number;
  /** e.g. `reboot_server`, `stop_server`, `start_server`, `shutdown_server`. */
  command: string;
  status: HetznerActionStatus;
  /** 0–100 */
  progress: number;
  started: Date;
  finished: Date | null;
  resources: { id: number; type: string }[];
  error: { code: string; message: string } | null;
}

function monthlyNetCents(raw: HetznerRawServer): number | null {
  const price = raw.server_type.prices?.find((p) => p.location === raw.location.name);
  const euros = price ? Number(price.price_monthly.net) : Number.NaN;
  return Number.isFinite(euros) ? Math.round(euros * 100) : null;
}

/** An image: a backup (bound to its server) or a snapshot (kept after the server is gone). */
export const rawImageSchema = z.object({
  id: resourceId,
  type: z.string(),
  status: z.string(),
  description: z.string().nullable().optional(),
  /** GB the image takes; null while it is being created. */
  image_size: z.number().nullable().optional(),
  disk_size: z.number().optional(),
  created: isoDate,
  bound_to: z.number().nullable().optional(),
  created_from: z.object({ id: resourceId, name: z.string() }).nullable().optional(),
  labels: z.record(z.string(), z.string()).optional(),
});
export const imageResponseSchema = z.object({ image: rawImageSchema });
export const imageListResponseSchema = z.object({
  images: z.array(rawImageSchema),
  meta: serverListResponseSchema.shape.meta,
});

export interface HetznerImage {
  id: number;
  /** `backup`, `snapshot` (or `system`, `app`, which the portal does not list). */
  type: string;
  /** `available`, `creating`, `unavailable`. */
  status: string;
  description: string | null;
  sizeGb: number | null;
  created: Date;
  /** Server a backup belongs to. */
  boundTo: number | null;
  /** Server the image was taken from. */
  createdFrom: number | null;
}

export function toImage(raw: z.infer<typeof rawImageSchema>): HetznerImage {
  return {
    id: raw.id,
    type: raw.type,
    status: raw.status,
    description: raw.description ?? null,
    sizeGb: raw.image_size ?? null,
    created: new Date(raw.created),
    boundTo: raw.bound_to ?? null,
    createdFrom: raw.created_from?.id ?? null,
  };
}

export function toServer(raw: HetznerRawServer): HetznerServer {
  return {
    id: raw.id,
    name: raw.name,
    status: isServerStatus(raw.status) ? raw.status : "unknown",
    locked: raw.locked,
    publicIpv4: raw.public_net.ipv4?.ip ?? null,
    publicIpv6: raw.public_net.ipv6?.ip ?? null,
    serverType: raw.server_type.name,
    cores: raw.server_type.cores ?? null,
    location: raw.location.name,
    city: raw.location.city ?? null,
    country: raw.location.country ?? null,
    networkZone: raw.location.network_zone ?? null,
    rawStatus: raw.status,
    backupWindow: raw.backup_window ?? null,
    diskGb: raw.primary_disk_size ?? raw.server_type.disk ?? null,
    monthlyPriceNetCents: monthlyNetCents(raw),
    created: new Date(raw.created),
  };
}

export function toAction(raw: HetznerRawAction): HetznerAction {
  return {
    id: raw.id,
    command: raw.command,
    status: raw.status,
    progress: raw.progress,
    started: new Date(raw.started),
    finished: raw.finished === null ? null : new Date(raw.finished),
    resources: raw.resources.map((r) => ({ id: r.id, type: r.type })),
    error: raw.error,
  };
}
