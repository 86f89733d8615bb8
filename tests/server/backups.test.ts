/**
 * Backups and snapshots through the manage API against the simulator: status
 * with price, "Snapshot erstellen" (limited, logged), deleting only the own
 * server's snapshots, backups on/off as a recurring billing item, and the
 * staff-only restore with a typed confirmation.
 */
import { and, desc, eq } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { POST as restore } from "@/app/api/manage/admin/instances/[id]/server/restore/route";
import { GET as backupsView, PUT as setBackups } from "@/app/api/manage/server/backups/route";
import { GET as serverView } from "@/app/api/manage/server/route";
import { POST as createSnapshot } from "@/app/api/manage/server/snapshots/route";
import { DELETE as deleteSnapshot } from "@/app/api/manage/server/snapshots/[id]/route";
import { activityLog, billingPlanItems, instances, rateLimits, serverActions } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { DEMO_SERVERS } from "@/lib/hetzner/simulator";
import { useTestDatabase } from "../helpers/db";
import { useHetznerSimulator } from "../helpers/hetzner";
import { call } from "../helpers/http";

const database = useTestDatabase();
const simulator = useHetznerSimulator({ servers: [...DEMO_SERVERS], actionDurationMs: 1500 }, 3000);
let ip = 0;

beforeEach(async () => {
  simulator.sim().setFault(null);
  await database.db().delete(rateLimits);
});

async function loginAs(email: string) {
  return (await call(login, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: `198.51.100.${++ip}` })).json.token as string;
}
async function instanceId(name: string) {
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, name));
  return row.id;
}

describe("backups and snapshots", () => {
  it("shows backup status with window and price, the last backups and the snapshots", async () => {
    const token = await loginAs("admin@firma.de");
    const res = await call(backupsView, "GET", "/api/manage/server/backups", { token });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      backups_enabled: true,
      backup_window: "22-02",
      backup_window_label: "22:00–02:00 Uhr (UTC)",
      backup_price_cents: 76, // 20 % of 3,79 €
      backup_price_label: "0,76 € netto im Monat (20 % des Serverpreises)",
      snapshot_limit: 3,
      can_create_snapshot: true,
    });
    expect(res.json.backups).toHaveLength(7);
    expect(res.json.snapshots).toEqual([expect.objectContaining({ description: "Vor dem Update auf Version 2.4", status_label: "Verfügbar" })]);
  });

  it("creates snapshots up to the limit, one per 10 minutes, logged; deletes only its own", async () => {
    const token = await loginAs("admin@firma.de");
    const acme = await instanceId("acme");
    const created = await call(createSnapshot, "POST", "/api/manage/server/snapshots", { token, body: { description: "Vor Wartung" } });
    expect(created.status).toBe(201);
    expect(created.json.snapshot).toMatchObject({ description: "Vor Wartung", status_label: "Wird erstellt" });
    const [log] = await database.db().select().from(activityLog).where(and(eq(activityLog.instanceId, acme), eq(activityLog.action, "server.snapshot_created"))).orderBy(desc(activityLog.id));
    expect(log).toMatchObject({ description: "Snapshot „Vor Wartung“ erstellt", actorName: "Thomas Becker" });

    const again = await call(createSnapshot, "POST", "/api/manage/server/snapshots", { token, body: { description: "Noch einer" } });
    expect(again.status).toBe(429);
    await database.db().delete(rateLimits);
    // While Hetzner still takes the image the server is locked: a conflict, not a failure.
    const locked = await call(createSnapshot, "POST", "/api/manage/server/snapshots", { token, body: { description: "Zu früh" } });
    expect(locked.status).toBe(409);
    expect(locked.json.message).toMatch(/läuft gerade eine andere Aktion/);
    await database.db().delete(rateLimits);
    await new Promise((r) => setTimeout(r, 1700));
    expect((await call(createSnapshot, "POST", "/api/manage/server/snapshots", { token, body: { description: "Dritter" } })).status).toBe(201);
    await database.db().delete(rateLimits);
    await new Promise((r) => setTimeout(r, 1700));
    const full = await call(createSnapshot, "POST", "/api/manage/server/snapshots", { token, body: { description: "Vierter" } });
    expect(full.status).toBe(409);
    expect(full.json.message).toBe("Es gibt bereits 3 Snapshots. Bitte zuerst einen löschen.");
    expect((await call(createSnapshot, "POST", "/api/manage/server/snapshots", { token, body: { description: " " } })).status).toBe(422);

    const view = (await call(backupsView, "GET", "/api/manage/server/backups", { token })).json;
    expect(view.can_create_snapshot).toBe(false);
    const backupId = view.backups[0].id;
    expect((await call(deleteSnapshot, "DELETE", `/api/manage/server/snapshots/${backupId}`, { token, params: { id: String(backupId) } })).status).toBe(404);
    const other = await loginAs("it@bergmann-logistik.de");
    const own = view.snapshots[0].id;
    expect((await call(deleteSnapshot, "DELETE", `/api/manage/server/snapshots/${own}`, { token: other, params: { id: String(own) } })).status).toBe(404);
    const deleted = await call(deleteSnapshot, "DELETE", `/api/manage/server/snapshots/${own}`, { token, params: { id: String(own) } });
    expect(deleted.status).toBe(200);
    expect((await call(backupsView, "GET", "/api/manage/server/backups", { token })).json.snapshots).toHaveLength(2);
  });

  it("switching backups on adds one recurring billing item at 20 % of the server price; off ends it", async () => {
    const token = await loginAs("it@bergmann-logistik.de");
    const bergmann = await instanceId("bergmann");
    const items = () => database.db().select().from(billingPlanItems).where(eq(billingPlanItems.instanceId, bergmann));
    const before = (await call(backupsView, "GET", "/api/manage/server/backups", { token })).json;
    expect(before).toMatchObject({ backups_enabled: false, backup_price_cents: 151 }); // 20 % of 7,55 €

    expect((await call(setBackups, "PUT", "/api/manage/server/backups", { token, body: { enabled: true } })).status).toBe(200);
    expect((await call(setBackups, "PUT", "/api/manage/server/backups", { token, body: { enabled: true } })).status).toBe(200);
    const open = (await items()).filter((i) => i.source === "hetzner_backup");
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ unitPriceCents: 151, quantityMilli: 1000, endsOn: null, description: "Hetzner-Backups (20 % des Serverpreises)" });
    expect((await call(backupsView, "GET", "/api/manage/server/backups", { token })).json.backups_enabled).toBe(true);

    expect((await call(setBackups, "PUT", "/api/manage/server/backups", { token, body: { enabled: false } })).status).toBe(200);
    const closed = (await items()).filter((i) => i.source === "hetzner_backup");
    expect(closed).toHaveLength(1);
    expect(closed[0].endsOn).not.toBeNull();
    const [log] = await database.db().select().from(activityLog).where(and(eq(activityLog.instanceId, bergmann), eq(activityLog.action, "server.backups_enabled")));
    expect(log.description).toBe("Backups eingeschaltet (1,51 € netto im Monat)");
  });

  it("restoring is for staff only, with the server's name typed as confirmation", async () => {
    const acme = await instanceId("acme");
    const staff = await loginAs("support@myit.center");
    const customer = await loginAs("admin@firma.de");
    const { backups } = (await call(backupsView, "GET", "/api/manage/server/backups", { token: customer })).json;
    const path = `/api/manage/admin/instances/${acme}/server/restore`;
    const params = { id: String(acme) };
    expect((await call(restore, "POST", path, { token: customer, params, body: { image_id: backups[0].id, confirmation: "acme" } })).status).toBe(403);
    const wrong = await call(restore, "POST", path, { token: staff, params, body: { image_id: backups[0].id, confirmation: "acm" } });
    expect(wrong.status).toBe(422);
    expect(wrong.json.errors.confirmation[0]).toBe("Zur Bestätigung bitte den Servernamen „acme“ eintippen.");

    const ok = await call(restore, "POST", path, { token: staff, params, body: { image_id: backups[0].id, confirmation: "acme" } });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({ message: "Server wird aus dem Abbild wiederhergestellt", action: "rebuild" });
    expect(simulator.sim().getServerState(1001)?.status).toBe("rebuilding");
    await new Promise((r) => setTimeout(r, 1700));
    await database.db().update(serverActions).set({ polledAt: null });
    const view = (await call(serverView, "GET", "/api/manage/server", { token: customer })).json;
    expect(view.action).toMatchObject({ action: "rebuild", action_label: "Wiederherstellung", status: "success" });
    expect(view.server.status).toBe("online");
    const [log] = await database.db().select().from(activityLog).where(and(eq(activityLog.instanceId, acme), eq(activityLog.action, "server.rebuild"))).orderBy(desc(activityLog.id));
    expect(log.description).toBe("Wiederherstellung des Servers abgeschlossen (erfolgreich)");
  });
});
