/**
 * Zod schemas for the subset of the Hetzner Cloud API the portal uses, and the
 * normalized (camelCase) types the client returns.
 *
 * The raw schemas only require the fields the portal reads; unknown fields are
 * ignored so that additions on Hetzner's side do not break the portal.
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

export const rawServerSchema = z.object({
  id: resourceId,
  name: z.string(),
  status: z.enum(SERVER_STATUSES),
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
  }),
  datacenter: z.object({
    name: z.string(),
    description: z.string().optional(),
    location: z.object({
      name: z.string(),
      city: z.string().optional(),
      country: z.string().optional(),
      network_zone: z.string().optional(),
    }),
  }),
});
export type HetznerRawServer = z.infer<typeof rawServerSchema>;

export const serverResponseSchema = z.object({ server: rawServerSchema });

/** `GET /servers`: one page of servers and the pagination block (`next_page` null on the last page). */
export const serverListResponseSchema = z.object({
  servers: z.array(rawServerSchema),
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
  /** Datacenter name, e.g. `nbg1-dc3`. */
  datacenter: string;
  /** Location name, e.g. `nbg1`. */
  location: string;
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

export function toServer(raw: HetznerRawServer): HetznerServer {
  return {
    id: raw.id,
    name: raw.name,
    status: raw.status,
    locked: raw.locked,
    publicIpv4: raw.public_net.ipv4?.ip ?? null,
    publicIpv6: raw.public_net.ipv6?.ip ?? null,
    serverType: raw.server_type.name,
    datacenter: raw.datacenter.name,
    location: raw.datacenter.location.name,
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
