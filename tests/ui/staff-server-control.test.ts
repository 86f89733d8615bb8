import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as serverView } from "@/app/api/manage/admin/instances/[id]/server/route";
import { POST as serverAction } from "@/app/api/manage/admin/instances/[id]/server/[action]/route";
import { POST as bulk } from "@/app/api/manage/admin/instances/bulk/route";
import { GET as activity } from "@/app/api/manage/activity-log/route";
import { activityLog, instances } from "@/db/schema";
import { DEMO_SERVERS } from "@/lib/hetzner/simulator";
import { useTestDatabase } from "../helpers/db";
import { useHetznerSimulator } from "../helpers/hetzner";
import { call } from "../helpers/http";
import { CUSTOMER, loginAs, STAFF, SUPPORT } from "../admin/helpers";

const database = useTestDatabase();
useHetznerSimulator({ servers: [...DEMO_SERVERS] });

async function instanceId(name: string) {
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, name));
  return row.id;
}

describe("staff server control", () => {
  it("support (host.power) powers on a customer's server; the customer's log marks it as MSP", async () => {
    const token = await loginAs(SUPPORT);
    const id = await instanceId("bergmann");
    const view = await call(serverView, "GET", `/api/manage/admin/instances/${id}/server`, { token, params: { id: String(id) } });
    expect(view.status).toBe(200);
    expect(view.json.server.hetzner_server_id).toBe(1002);
    expect(view.json.can_control).toBe(true);

    const res = await call(serverAction, "POST", `/api/manage/admin/instances/${id}/server/power-on`, {
      token,
      body: {},
      params: { id: String(id), action: "power-on" },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.message).toBe("Server wird eingeschaltet");

    const [entry] = await database
      .db()
      .select()
      .from(activityLog)
      .where(eq(activityLog.action, "server.power_on"));
    expect(entry.instanceId).toBe(id);
    expect(entry.actorType).toBe("staff");

    const customer = await loginAs("it@bergmann-logistik.de");
    const log = await call(activity, "GET", "/api/manage/activity-log?per_page=5", { token: customer });
    const shown = log.json.logs.find((l: { action: string }) => l.action === "server.power_on");
    expect(shown.actor_type).toBe("staff");
    expect(shown.action_label).toBe("Server einschalten");
  });

  it("refuses customers, unknown actions and unknown instances", async () => {
    const id = await instanceId("acme");
    const customer = await loginAs(CUSTOMER);
    const denied = await call(serverAction, "POST", `/api/manage/admin/instances/${id}/server/reboot`, {
      token: customer,
      body: {},
      params: { id: String(id), action: "reboot" },
    });
    expect(denied.status).toBe(403);
    const staff = await loginAs(STAFF);
    const unknown = await call(serverAction, "POST", `/api/manage/admin/instances/${id}/server/explode`, {
      token: staff,
      body: {},
      params: { id: String(id), action: "explode" },
    });
    expect(unknown.status).toBe(404);
    const missing = await call(serverView, "GET", "/api/manage/admin/instances/999999/server", { token: staff, params: { id: "999999" } });
    expect(missing.status).toBe(404);
  });
});

describe("bulk actions", () => {
  it("runs one action per selected instance and reports each outcome", async () => {
    const token = await loginAs(STAFF);
    const acme = await instanceId("acme");
    const nordlicht = await instanceId("nordlicht");
    const res = await call(bulk, "POST", "/api/manage/admin/instances/bulk", {
      token,
      body: { action: "suspend", instance_ids: [acme, nordlicht], reason: "Sammelsperre Test" },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    // nordlicht is already suspended: it fails alone, acme is suspended.
    expect(res.json.succeeded).toBe(1);
    expect(res.json.failed).toBe(1);
    expect(res.json.message).toBe("1 von 2 Instanzen erfolgreich, 1 fehlgeschlagen.");
    expect(res.json.results.find((r: { instance_id: number }) => r.instance_id === nordlicht).message).toBe("Die Instanz ist bereits gesperrt.");
    const [row] = await database.db().select().from(instances).where(eq(instances.id, acme));
    expect(row.suspended).toBe(true);
  });

  it("validates before acting and checks the action's own permission", async () => {
    const staff = await loginAs(STAFF);
    const acme = await instanceId("bergmann");
    const noReason = await call(bulk, "POST", "/api/manage/admin/instances/bulk", { token: staff, body: { action: "suspend", instance_ids: [acme] } });
    expect(noReason.status).toBe(422);
    expect(noReason.json.errors.reason[0]).toMatch(/Grund/);
    const empty = await call(bulk, "POST", "/api/manage/admin/instances/bulk", { token: staff, body: { action: "reboot", instance_ids: [] } });
    expect(empty.status).toBe(422);

    const support = await loginAs(SUPPORT);
    const denied = await call(bulk, "POST", "/api/manage/admin/instances/bulk", {
      token: support,
      body: { action: "suspend", instance_ids: [acme], reason: "nicht erlaubt" },
    });
    expect(denied.status).toBe(403);
    const [row] = await database.db().select().from(instances).where(eq(instances.id, acme));
    expect(row.suspended).toBe(false);
  });
});
