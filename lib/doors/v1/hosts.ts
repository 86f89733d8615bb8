import { and, asc, eq, isNotNull, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { instances, servers } from "@/db/schema";
import type { Actor } from "@/lib/activity";
import { NotFoundError } from "@/lib/errors";
import { parseIntId } from "@/lib/http/params";
import { unlinkServer } from "@/lib/instances/commands";
import { SERVER_STATUS_LABELS } from "@/lib/servers/labels";
import { getServerView, performServerAction, type ServerAction } from "@/lib/servers/service";
import { apiTimestamp } from "@/lib/time";
import type { TenantScope } from "./tenant";

/**
 * Hosts of API v1: the instances' Hetzner servers, addressed by their Hetzner
 * server id. Every lookup is limited to the request's tenant scope, so another
 * tenant's host is simply not found (404, no data). Power actions and unlink
 * are the server commands every door shares.
 */
type Row = { server: typeof servers.$inferSelect; instance: { uuid: string; name: string; id: number } };

const NOT_FOUND = "Host nicht gefunden.";

function present(row: Row) {
  const s = row.server;
  return {
    id: s.hetznerServerId!,
    tenant_id: row.instance.uuid,
    tenant_name: row.instance.name,
    name: s.name,
    status: s.status,
    status_label: SERVER_STATUS_LABELS[s.status] ?? s.status,
    health_status: s.healthStatus,
    ipv4: s.ipv4,
    server_type: s.serverType,
    datacenter: s.datacenter,
    last_synced_at: apiTimestamp(s.lastSyncedAt),
  };
}

function scopeCondition(scope: TenantScope): SQL | undefined {
  return scope.kind === "tenant" ? eq(servers.instanceId, scope.instanceId) : undefined;
}

async function selectHosts(where: SQL | undefined) {
  const db = await getDb();
  return db
    .select({ server: servers, instance: { uuid: instances.uuid, name: instances.name, id: instances.id } })
    .from(servers)
    .innerJoin(instances, eq(instances.id, servers.instanceId))
    .where(and(isNotNull(servers.hetznerServerId), where))
    .orderBy(asc(instances.name));
}

export async function listHosts(scope: TenantScope) {
  const rows = await selectHosts(scopeCondition(scope));
  return { hosts: rows.map(present) };
}

/** Host ids are Hetzner server ids in an `integer` column: anything out of range is 404. */
async function findHost(scope: TenantScope, hostId: string): Promise<Row> {
  const id = parseIntId(hostId);
  if (id === null) throw new NotFoundError(NOT_FOUND);
  const [row] = await selectHosts(and(eq(servers.hetznerServerId, id), scopeCondition(scope)));
  if (!row) throw new NotFoundError(NOT_FOUND);
  return row;
}

/** The linked host of one instance, as GET /hosts/{id} shows it. */
export async function getHostOf(instanceId: number) {
  const [row] = await selectHosts(eq(servers.instanceId, instanceId));
  if (!row) throw new NotFoundError(NOT_FOUND);
  return present(row);
}

export async function getHost(scope: TenantScope, hostId: string) {
  const row = await findHost(scope, hostId);
  // The server-control service brings the status up to date and adds the latest action.
  const view = await getServerView(row.instance.id);
  const [fresh] = await selectHosts(eq(servers.instanceId, row.instance.id));
  return { host: present(fresh ?? row), action: view.action ?? null, action_running: view.action_running ?? false, sync_error: view.sync_error ?? null };
}

export async function hostAction(scope: TenantScope, hostId: string, action: ServerAction, actor: Actor) {
  const row = await findHost(scope, hostId);
  return performServerAction(actor, { instanceId: row.instance.id, action });
}

/** DELETE = unlink: the portal forgets the Hetzner server (id, IP, type, datacenter); the server itself is not touched. */
export async function unlinkHost(scope: TenantScope, hostId: string, actor: Actor) {
  const row = await findHost(scope, hostId);
  const { previous } = await unlinkServer(actor, { instanceId: row.instance.id, hetznerServerId: row.server.hetznerServerId! });
  return { message: "Der Host wurde von der Instanz getrennt. Der Hetzner-Server selbst wurde nicht gelöscht.", id: previous };
}
