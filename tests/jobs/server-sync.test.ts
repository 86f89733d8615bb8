/**
 * The background server sync against the Hetzner simulator: one list call
 * per page (never one per server), statuses stored, open power actions
 * finished without anyone polling, rate limits and 5xx answered with back-off.
 */
import { and, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { activityLog, instances, serverActions, servers } from "@/db/schema";
import { systemActor } from "@/lib/activity";
import { createHetznerClient } from "@/lib/hetzner/client";
import { HetznerServerError } from "@/lib/hetzner/errors";
import { DEMO_SERVERS } from "@/lib/hetzner/simulator";
import { resetSharedBreakers } from "@/lib/hetzner/breaker";
import { performServerAction } from "@/lib/servers/service";
import { syncSchedule, syncServers } from "@/lib/servers/sync";
import { useTestDatabase } from "../helpers/db";
import { useHetznerSimulator } from "../helpers/hetzner";

const database = useTestDatabase();
const clock = { t: Date.now() };
const simulator = useHetznerSimulator({ servers: [...DEMO_SERVERS], actionDurationMs: 10_000, now: () => clock.t }, 2000);

beforeEach(() => {
  simulator.sim().setFault(null);
  resetSharedBreakers();
});

async function instanceId(name: string) {
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, name));
  return row.id;
}

async function serverOf(id: number) {
  const [row] = await database.db().select().from(servers).where(eq(servers.instanceId, id));
  return row;
}

describe("server sync job", () => {
  it("reads all servers with one list call per page and stores every linked server", async () => {
    const sim = simulator.sim();
    // 3 demo servers + 57 others: 60 servers = 2 pages of 50.
    for (let n = 0; n < 57; n++) sim.addServer({ id: 5000 + n, name: `other-${n}` });
    const bergmann = await instanceId("bergmann");
    const acme = await instanceId("acme");
    await database.db().update(servers).set({ status: "unknown", healthStatus: "unknown", ipv4: null, lastSyncedAt: null }).where(eq(servers.instanceId, bergmann));
    await database.db().update(servers).set({ status: "unknown", lastSyncedAt: null }).where(eq(servers.instanceId, acme));

    const requestsBefore = sim.requestCount;
    const listsBefore = sim.listRequestCount;
    const result = await syncServers();

    expect(sim.listRequestCount - listsBefore).toBe(2);
    expect(sim.requestCount - requestsBefore).toBe(2);
    expect(result).toMatchObject({ linked: 3, updated: 3, missing: 0, actions_polled: 0 });
    expect(await serverOf(bergmann)).toMatchObject({ status: "off", healthStatus: "off", ipv4: "116.203.45.67", datacenter: "fsn1" });
    expect(await serverOf(acme)).toMatchObject({ status: "online", healthStatus: "healthy" });
    expect((await serverOf(acme)).lastSyncedAt).not.toBeNull();
  });

  it("marks a linked server that Hetzner no longer lists as unknown", async () => {
    const acme = await instanceId("acme");
    await database.db().update(servers).set({ hetznerServerId: 9_999_999 }).where(eq(servers.instanceId, acme));
    try {
      const result = await syncServers();
      expect(result.missing).toBe(1);
      expect(await serverOf(acme)).toMatchObject({ status: "unknown", healthStatus: "unknown" });
    } finally {
      await database.db().update(servers).set({ hetznerServerId: 1001 }).where(eq(servers.instanceId, acme));
      await syncServers();
    }
  });

  it("finishes an open power action without anyone polling, and logs its outcome once", async () => {
    const bergmann = await instanceId("bergmann");
    const actor = systemActor("serverSync");
    await performServerAction(actor, { instanceId: bergmann, action: "power-on" });
    const [open] = await database.db().select().from(serverActions).where(eq(serverActions.instanceId, bergmann));
    expect(open.status).toBe("running");

    clock.t += 11_000; // the simulated action is over
    await database.db().update(serverActions).set({ polledAt: null });
    const first = await syncServers();
    expect(first.actions_polled).toBe(1);
    const [done] = await database.db().select().from(serverActions).where(eq(serverActions.id, open.id));
    expect(done.status).toBe("success");
    expect(await serverOf(bergmann)).toMatchObject({ status: "online" });

    await database.db().update(serverActions).set({ polledAt: null });
    await syncServers();
    const outcomes = await database
      .db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.instanceId, bergmann), eq(activityLog.action, "server.power_on")));
    expect(outcomes.filter((l) => (l.metadata as { outcome?: string }).outcome === "success")).toHaveLength(1);
  });

  it("backs off on 429 and 5xx and then reads the page", async () => {
    const sim = simulator.sim();
    const client = createHetznerClient({ baseUrl: sim.url, token: "t", timeoutMs: 2000 });
    const waits: number[] = [];
    sim.setFault({ type: "rate_limit", retryAfterSeconds: 1, times: 1 });
    const afterRateLimit = await client.listServers({ onBackoff: (b) => waits.push(b.waitMs) });
    expect(waits).toEqual([1000]);
    expect(afterRateLimit.length).toBeGreaterThanOrEqual(3);

    sim.setFault({ type: "server_error", times: 2 });
    const afterOutage = await client.listServers({ onBackoff: (b) => waits.push(b.waitMs) });
    expect(waits).toEqual([1000, 1000, 2000]);
    expect(afterOutage.length).toBe(afterRateLimit.length);

    sim.setFault({ type: "server_error" });
    await expect(client.listServers({ retries: 1 })).rejects.toBeInstanceOf(HetznerServerError);
  });

  it("turns the configured interval into a cron schedule", () => {
    expect(syncSchedule(5)).toBe("*/5 * * * *");
    expect(syncSchedule(1)).toBe("*/1 * * * *");
    expect(syncSchedule(120)).toBe("0 */2 * * *");
    expect(syncSchedule(1440)).toBe("0 0 * * *");
  });
});
