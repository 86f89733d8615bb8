import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { DELETE as stop, GET as current, POST as start } from "@/app/api/manage/admin/impersonation/route";
import { POST as suspend } from "@/app/api/manage/admin/instances/[id]/suspend/route";
import { GET as instanceActivity } from "@/app/api/manage/admin/instances/[id]/activity-log/route";
import { GET as activity } from "@/app/api/manage/activity-log/route";
import { GET as me } from "@/app/api/manage/auth/me/route";
import { POST as logout } from "@/app/api/manage/auth/logout/route";
import { GET as status } from "@/app/api/manage/status/route";
import { instances, staffImpersonations } from "@/db/schema";
import { instanceRoute } from "@/lib/doors/manage/route";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { CUSTOMER, loginAs, STAFF, SUPPORT } from "./helpers";

const database = useTestDatabase();

/** Any instance-scoped write endpoint. */
const writeEndpoint = instanceRoute({}, async () => ({ ok: true }));

async function instanceId(name: string) {
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, name));
  return row.id;
}

describe("Ansicht als Kunde (read-only)", () => {
  it("serves the customer's instance to instance-scoped GETs, refuses every write, and is logged", async () => {
    const staff = await loginAs(STAFF);
    const other = await loginAs(STAFF);
    const id = await instanceId("acme");
    expect((await call(status, "GET", "/api/manage/status", { token: staff })).status).toBe(403);

    const res = await call(start, "POST", "/api/manage/admin/impersonation", { token: staff, body: { instance_id: id } });
    expect(res.status).toBe(200);
    expect(res.json.impersonation).toMatchObject({ instance_id: id, company_name: "Acme Corp", read_only: true });

    const s = await call(status, "GET", "/api/manage/status", { token: staff });
    expect(s.status).toBe(200);
    expect(s.json.instance.name).toBe("acme");
    expect((await call(activity, "GET", "/api/manage/activity-log", { token: staff })).status).toBe(200);
    const who = await call(me, "GET", "/api/manage/auth/me", { token: staff });
    expect(who.json.instance.name).toBe("acme");
    expect(who.json.impersonation.company_name).toBe("Acme Corp");
    expect(who.json.user.staff).toBe(true);

    const write = await call(writeEndpoint, "POST", "/x", { token: staff, outsideContract: "a synthetic instance route, no API operation" });
    expect(write.status).toBe(403);
    expect(write.json.message).toMatch(/^Nur-Lese-Ansicht/);
    const staffWrite = await call(suspend, "POST", "/api/manage/admin/instances/{id}/suspend", { token: staff, params: { id: String(id) }, body: { reason: "Test" } });
    expect(staffWrite.status).toBe(403);
    expect(staffWrite.json.message).toMatch(/^Nur-Lese-Ansicht/);
    const [acme] = await database.db().select().from(instances).where(eq(instances.id, id));
    expect(acme.suspended).toBe(false);

    // Only this session is affected.
    expect((await call(status, "GET", "/api/manage/status", { token: other })).status).toBe(403);
    expect((await call(current, "GET", "/api/manage/admin/impersonation", { token: other })).json.impersonation).toBeNull();

    const ended = await call(stop, "DELETE", "/api/manage/admin/impersonation", { token: staff });
    expect(ended.status).toBe(200);
    expect((await call(status, "GET", "/api/manage/status", { token: staff })).status).toBe(403);
    expect((await call(stop, "DELETE", "/api/manage/admin/impersonation", { token: staff })).status).toBe(409);

    const log = await call(instanceActivity, "GET", "/x?per_page=2", { token: staff, params: { id: String(id) } });
    expect(log.json.logs.map((l: { action: string }) => l.action)).toEqual(["admin.impersonation_ended", "admin.impersonation_started"]);
    expect(log.json.logs[1]).toMatchObject({ description: "Ansicht als Kunde (nur lesen) geöffnet", actor: "Sabine Krüger" });
  });

  it("is stored in PostgreSQL per session and ends with the session", async () => {
    const staff = await loginAs(SUPPORT);
    const id = await instanceId("bergmann");
    expect((await call(start, "POST", "/api/manage/admin/impersonation", { token: staff, body: { instance_id: id } })).status).toBe(200);
    const rows = await database.db().select().from(staffImpersonations).where(eq(staffImpersonations.instanceId, id));
    expect(rows).toHaveLength(1);
    await call(logout, "POST", "/api/manage/auth/logout", { token: staff });
    expect((await call(status, "GET", "/api/manage/status", { token: staff })).status).toBe(401);
  });

  it("shows a suspended instance as the customer sees it", async () => {
    const staff = await loginAs(STAFF);
    const id = await instanceId("nordlicht");
    await call(start, "POST", "/api/manage/admin/impersonation", { token: staff, body: { instance_id: id } });
    expect((await call(status, "GET", "/api/manage/status", { token: staff })).json.instance.status).toBe("suspended");
    expect((await call(activity, "GET", "/api/manage/activity-log", { token: staff })).status).toBe(403);
  });

  it("is refused to customers and for unknown instances", async () => {
    const customer = await loginAs(CUSTOMER);
    expect((await call(start, "POST", "/api/manage/admin/impersonation", { token: customer, body: { instance_id: 1 } })).status).toBe(403);
    const staff = await loginAs(STAFF);
    expect((await call(start, "POST", "/api/manage/admin/impersonation", { token: staff, body: { instance_id: 99999 } })).status).toBe(404);
    expect((await call(start, "POST", "/api/manage/admin/impersonation", { token: staff, body: { instance_id: "x" } })).status).toBe(422);
  });
});
