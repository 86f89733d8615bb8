/**
 * The background server sync (job `server-sync`, every
 * SERVER_SYNC_INTERVAL_MINUTES): reads every server of the Hetzner project
 * with the list endpoint — one call per page of 50, never one per server —
 * and stores status, name, IP, type and location of every linked server;
 * a server Hetzner lists in a shape the portal cannot read (or with a status
 * it does not know) becomes `unknown` on its own, the others are stored as
 * usual; then it finishes open power actions, so an action ends (and is logged) even
 * when nobody has the server page open.
 *
 * Rate limit: the client waits between pages when Hetzner's bucket is empty
 * and retries a page after 429/5xx with back-off (lib/hetzner/client.ts). Open
 * actions are only polled while at least RATE_LIMIT_RESERVE requests remain,
 * so the sync never eats the budget users need for their own actions; what is
 * left over is picked up by the next run or the UI's own polling.
 *
 * Idempotent: every write is the current state from Hetzner; actions are
 * claimed and closed with conditional updates (lib/servers/service.ts), so two
 * workers running the sync at once log each outcome once.
 */
import { and, inArray, isNotNull, eq, ne } from "drizzle-orm";
import { getDb } from "@/db/client";
import { serverActions, servers } from "@/db/schema";
import type { HetznerClient } from "@/lib/hetzner/client";
import { hetznerClient } from "@/lib/hetzner/configured";
import { currentHealth } from "@/lib/servers/health";
import { logger } from "@/lib/observability/logger";
import { storeServer, syncActions } from "./service";

/** Requests left in Hetzner's bucket below which the sync stops polling actions. */
export const RATE_LIMIT_RESERVE = 100;

export type ServerSyncResult = {
  /** Linked servers in the portal. */
  linked: number;
  /** Servers found in Hetzner's list and stored. */
  updated: number;
  /** Linked servers Hetzner does not list (deleted or another project): status `unknown`. */
  missing: number;
  /** Linked servers Hetzner lists in a shape the portal cannot read: status `unknown`. */
  unreadable: number;
  /** Open power actions that were polled. */
  actions_polled: number;
  /** Open actions left for later because the rate limit is low. */
  actions_deferred: number;
};

export async function syncServers(options: { client?: HetznerClient } = {}): Promise<ServerSyncResult> {
  const db = await getDb();
  const linked = await db
    .select({ instanceId: servers.instanceId, hetznerServerId: servers.hetznerServerId })
    .from(servers)
    .where(isNotNull(servers.hetznerServerId));
  const result: ServerSyncResult = { linked: linked.length, updated: 0, missing: 0, unreadable: 0, actions_polled: 0, actions_deferred: 0 };
  if (linked.length === 0) return result;

  const client = options.client ?? (await hetznerClient());
  const log = logger().child({ component: "server-sync" });
  const unreadable = new Set<number>();
  const listed = new Map(
    (
      await client.listServers({
        onBackoff: (b) => log.warn({ page: b.page, wait_ms: b.waitMs, err: b.error }, "Hetzner list backs off"),
        onInvalidServer: (i) => {
          if (i.id !== null) unreadable.add(i.id);
          log.warn({ hetzner_server_id: i.id, issues: i.issues }, "Hetzner listed a server the portal cannot read");
        },
      })
    ).map((s) => [s.id, s]),
  );

  const open = await db
    .select({ instanceId: serverActions.instanceId, action: serverActions.action })
    .from(serverActions)
    .where(inArray(serverActions.status, ["running", "waiting"]));
  const withOpenAction = new Set(open.map((a) => a.instanceId));

  for (const row of linked) {
    const server = listed.get(row.hetznerServerId!);
    if (!server && unreadable.has(row.hetznerServerId!)) {
      await db
        .update(servers)
        .set({ status: "unknown", healthStatus: await currentHealth(db, row.instanceId, "unknown"), lastSyncedAt: new Date(), updatedAt: new Date() })
        .where(eq(servers.instanceId, row.instanceId));
      result.unreadable++;
      continue;
    }
    if (!server) {
      const [changed] = await db
        .update(servers)
        .set({ status: "unknown", healthStatus: await currentHealth(db, row.instanceId, "unknown"), lastSyncedAt: new Date(), updatedAt: new Date() })
        .where(and(eq(servers.instanceId, row.instanceId), ne(servers.status, "unknown")))
        .returning({ id: servers.instanceId });
      if (changed) log.warn({ instance_id: row.instanceId, hetzner_server_id: row.hetznerServerId }, "linked server not listed by Hetzner");
      result.missing++;
      continue;
    }
    // While an action runs its own polling owns the status (e.g. "rebooting"); it is finished below.
    if (withOpenAction.has(row.instanceId)) continue;
    if (server.status !== server.rawStatus) log.warn({ hetzner_server_id: server.id, status: server.rawStatus }, "Hetzner reports a server status the portal does not know");
    await storeServer(row.instanceId, server);
    result.updated++;
  }

  for (const instanceId of withOpenAction) {
    const remaining = client.getRateLimit()?.remaining;
    if (remaining !== null && remaining !== undefined && remaining < RATE_LIMIT_RESERVE) {
      result.actions_deferred++;
      continue;
    }
    await syncActions(instanceId, client, { throttle: true });
    result.actions_polled++;
  }
  if (result.actions_deferred > 0) log.warn({ deferred: result.actions_deferred }, "Hetzner rate limit low: open actions left for the next run");
  return result;
}

/** Cron expression for SERVER_SYNC_INTERVAL_MINUTES (UTC). */
export function syncSchedule(minutes: number): string {
  if (minutes < 60) return `*/${minutes} * * * *`;
  const hours = Math.max(1, Math.round(minutes / 60));
  return hours >= 24 ? "0 0 * * *" : `0 */${hours} * * *`;
}
