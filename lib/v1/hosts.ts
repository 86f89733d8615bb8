import { and, asc, eq, isNotNull, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { instances, servers } from "@/db/schema";
import { logActivity } from "@/lib/activity";
import type { Principal } from "@/lib/auth/principal";
import { NotFoundError } from "@/lib/errors";
import { getServerView, performServerAction, type ServerAction } from "@/lib/servers/service";
import { SERVER_STATUS_LABELS } from "@/lib/status";
import type { TenantScope } from "./tenant";

/**
 * Hosts of API v1: the instances' Hetzner servers, addressed by their Hetzner
 * server id. Every lookup is limited to the request's tenant scope, so another
 * tenant's host is simply not found (404, no data).
 */
type Row = { server: typeof servers.$inferSelect; instance: { uuid: string; name: string; id: number } };

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
    last_synced_at: s.lastSyncedAt?.toISOString() ?? null,
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

async function findHost(scope: TenantScope, hostId: string): Promise<Row> {
  const id = Number(hostId);
  if (!/^\d{1,12}$/.test(hostId) || !Number.isSafeInteger(id)) throw new NotFoundError("Host nicht gefunden.");
  const [row] = await selectHosts(and(eq(servers.hetznerServerId, id), scopeCondition(scope)));
  if (!row) throw new NotFoundError("Host nicht gefunden.");
  return row;
}

export async function getHost(scope: TenantScope, hostId: string) {
  const row = await findHost(scope, hostId);
  // The server-control service brings the status up to date and adds the latest action.
  const view = await getServerView(row.instance.id);
  const [fresh] = await selectHosts(eq(servers.instanceId, row.instance.id));
  return { host: present(fresh ?? row), action: view.action ?? null, action_running: view.action_running ?? false, sync_error: view.sync_error ?? null };
}

export async function hostAction(scope: TenantScope, hostId: string, action: ServerAction, principal: Principal, ip: string) {
  const row = await findHost(scope, hostId);
  return performServerAction({ instanceId: row.instance.id, action, actor: { userId: principal.userId, name: principal.name }, ip });
}

/** DELETE = unlink: the portal forgets the Hetzner server; the server itself is not touched. */
export async function unlinkHost(scope: TenantScope, hostId: string, principal: Principal, ip: string) {
  const row = await findHost(scope, hostId);
  const db = await getDb();
  await db
    .update(servers)
    .set({ hetznerServerId: null, status: "unknown", healthStatus: "unknown", updatedAt: new Date() })
    .where(and(eq(servers.instanceId, row.instance.id), eq(servers.hetznerServerId, row.server.hetznerServerId!)));
  await logActivity({
    instanceId: row.instance.id,
    userId: principal.userId,
    actorName: principal.name,
    action: "server.unlinked",
    description: `Hetzner-Server ${row.server.name ?? row.server.hetznerServerId} von der Instanz getrennt (API v1)`,
    level: "warning",
    metadata: { hetzner_server_id: row.server.hetznerServerId },
    ip,
  });
  return { message: "Der Host wurde von der Instanz getrennt. Der Hetzner-Server selbst wurde nicht gelöscht.", id: row.server.hetznerServerId };
}
