/**
 * The portal's server commands against a stand-in that answers only with the
 * API's own example answers (../shared/references/hetzner/): what production
 * meets since Hetzner stopped sending `server.datacenter`. A power action
 * must finish, the status refresh and the background sync must store the
 * location, and a server status the portal does not know must degrade to
 * "unknown" for that server only.
 */
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { activityLog, instances, rateLimits, serverActions, servers } from "@/db/schema";
import { systemActor } from "@/lib/activity";
import { resetConfigForTests } from "@/lib/config";
import { resetSharedBreakers } from "@/lib/hetzner/breaker";
import { getServerView, performServerAction } from "@/lib/servers/service";
import { syncServers } from "@/lib/servers/sync";
import { useTestDatabase } from "../helpers/db";
import { startReferenceApi } from "../helpers/hetzner-references";

const database = useTestDatabase();
let api: Awaited<ReturnType<typeof startReferenceApi>>;
const KEYS = ["HCLOUD_ENDPOINT", "HCLOUD_TOKEN", "HCLOUD_TIMEOUT_MS"] as const;
const saved: Partial<Record<(typeof KEYS)[number], string>> = {};
const actor = systemActor("serverSync");

beforeAll(async () => {
  api = await startReferenceApi([
    { id: 42, name: "acme", status: "running" },
    { id: 43, name: "bergmann", status: "migrating" },
    { id: 44, name: "kanzlei", status: "hibernating" },
  ]);
  for (const key of KEYS) saved[key] = process.env[key];
  process.env.HCLOUD_ENDPOINT = api.url;
  process.env.HCLOUD_TOKEN = "reference-token";
  process.env.HCLOUD_TIMEOUT_MS = "2000";
  resetConfigForTests();
  // Link the demo instances to the stand-in's servers.
  const db = database.db();
  for (const [name, id] of [["acme", 42], ["bergmann", 43], ["nordlicht", 44]] as const) {
    await db.update(servers).set({ hetznerServerId: id, lastSyncedAt: null }).where(eq(servers.instanceId, await instanceId(name)));
  }
});
afterAll(async () => {
  await api.close();
  for (const key of KEYS) {
    if (saved[key] === undefined) delete process.env[key];
    else process.env[key] = saved[key];
  }
  resetConfigForTests();
});
beforeEach(async () => {
  resetSharedBreakers();
  await database.db().delete(rateLimits);
});

async function instanceId(name: string) {
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, name));
  return row.id;
}

async function view(id: number) {
  await database.db().update(serverActions).set({ polledAt: null });
  return getServerView(id);
}

describe("server commands against the API's example answers", () => {
  it("refreshes the status and stores the location as the datacenter of /status", async () => {
    const acme = await instanceId("acme");
    await performServerAction(actor, { instanceId: acme, action: "refresh-status" });
    const [row] = await database.db().select().from(servers).where(eq(servers.instanceId, acme));
    expect(row).toMatchObject({ status: "online", datacenter: "nbg1", ipv4: "49.13.10.10", serverType: "cx22" });
  });

  it("finishes a power action, and the next one is possible", async () => {
    const acme = await instanceId("acme");
    await performServerAction(actor, { instanceId: acme, action: "power-on" });
    const [open] = await database.db().select().from(serverActions).where(eq(serverActions.instanceId, acme)).orderBy(desc(serverActions.id));
    expect(open.status).toBe("running");

    api.finishAction(open.hetznerActionId!);
    const done = await view(acme);
    expect(done.action).toMatchObject({ action: "power-on", status: "success", progress: 100 });
    expect(done.action_running).toBe(false);
    expect(done.sync_error).toBeNull();

    await expect(performServerAction(actor, { instanceId: acme, action: "power-on" })).resolves.toMatchObject({ action: "power-on" });
    const [next] = await database.db().select().from(serverActions).where(eq(serverActions.instanceId, acme)).orderBy(desc(serverActions.id));
    api.finishAction(next.hetznerActionId!);
    expect((await view(acme)).action).toMatchObject({ status: "success" });
  });

  it("marks a reboot done only when the server reports running again (the action only sends the ACPI signal)", async () => {
    const acme = await instanceId("acme");
    await performServerAction(actor, { instanceId: acme, action: "reboot" });
    const [row] = await database.db().select().from(serverActions).where(eq(serverActions.instanceId, acme)).orderBy(desc(serverActions.id));
    api.setStatus(42, "starting");
    api.finishAction(row.hetznerActionId!);

    const waiting = await view(acme);
    expect(waiting.action).toMatchObject({ action: "reboot", status: "running", progress: null });
    expect(waiting.action?.progress_label).toBe("Neustart-Signal gesendet – warte, bis der Server wieder läuft …");
    expect(waiting.server?.status).toBe("rebooting");

    api.setStatus(42, "running");
    const done = await view(acme);
    expect(done.action).toMatchObject({ status: "success" });
    expect(done.server?.status).toBe("online");
    const logs = await database
      .db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.instanceId, acme), eq(activityLog.action, "server.reboot")))
      .orderBy(desc(activityLog.id));
    expect(logs[0].description).toBe("Server-Neustart abgeschlossen (erfolgreich)");
  });

  it("ends a reboot with a reason when the server does not run again within the grace period", async () => {
    const acme = await instanceId("acme");
    await performServerAction(actor, { instanceId: acme, action: "reboot" });
    const [row] = await database.db().select().from(serverActions).where(eq(serverActions.instanceId, acme)).orderBy(desc(serverActions.id));
    api.setStatus(42, "off");
    api.finishAction(row.hetznerActionId!);
    expect((await view(acme)).action_running).toBe(true);
    // The grace period (SERVER_REBOOT_GRACE_SECONDS) has passed; earlier actions lie further back.
    await database.db().update(serverActions).set({ startedAt: new Date(Date.now() - 60 * 60_000) }).where(eq(serverActions.instanceId, acme));
    await database.db().update(serverActions).set({ startedAt: new Date(Date.now() - 10 * 60_000) }).where(eq(serverActions.id, row.id));
    const failed = await view(acme);
    expect(failed.action).toMatchObject({ status: "error" });
    expect(failed.action?.message).toMatch(/^Das Neustart-Signal wurde gesendet, aber der Server läuft danach nicht wieder \(Status: Ausgeschaltet\)/);
    api.setStatus(42, "running");
  });

  it("syncs the list: known transitional states as they are, an unknown status as unknown for that server only", async () => {
    api.setStatus(42, "running");
    const result = await syncServers();
    expect(result).toMatchObject({ linked: 3, updated: 3, missing: 0, unreadable: 0 });
    const row = async (name: string) => (await database.db().select().from(servers).where(eq(servers.instanceId, await instanceId(name))))[0];
    expect(await row("acme")).toMatchObject({ status: "online", datacenter: "nbg1" });
    expect(await row("bergmann")).toMatchObject({ status: "migrating", healthStatus: "degraded", datacenter: "nbg1" });
    expect(await row("nordlicht")).toMatchObject({ status: "unknown", healthStatus: "unknown" });
  });
});
