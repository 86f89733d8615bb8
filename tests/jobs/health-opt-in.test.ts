import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET, PUT } from "@/app/api/manage/admin/instances/[id]/health-alerts/route";
import { activityLog, instanceHealth, instances } from "@/db/schema";
import { CUSTOMER, loginAs, STAFF, SUPPORT } from "../admin/helpers";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

const database = useTestDatabase();

describe("customer opt-in for health alert mails", () => {
  it("lets staff switch the customer's admins on and off, logged on the instance", async () => {
    const [acme] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
    const id = String(acme!.id);
    const token = await loginAs(STAFF);
    expect((await call(GET, "GET", `/api/manage/admin/instances/${id}/health-alerts`, { token, params: { id } })).json).toEqual({ customer_alerts: false });

    const on = await call(PUT, "PUT", `/api/manage/admin/instances/${id}/health-alerts`, { token, params: { id }, body: { customer_alerts: true } });
    expect(on.status).toBe(200);
    const [row] = await database.db().select().from(instanceHealth).where(eq(instanceHealth.instanceId, acme!.id));
    expect(row!.notifyCustomer).toBe(true);
    const logged = await database
      .db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.instanceId, acme!.id), eq(activityLog.action, "instance.health_alerts_changed")));
    expect(logged).toHaveLength(1);
    expect(logged[0]).toMatchObject({ actorType: "staff" });

    await call(PUT, "PUT", `/api/manage/admin/instances/${id}/health-alerts`, { token, params: { id }, body: { customer_alerts: false } });
    expect((await call(GET, "GET", `/api/manage/admin/instances/${id}/health-alerts`, { token, params: { id } })).json).toEqual({ customer_alerts: false });
  });

  it("refuses customers and support staff, unknown instances and bad bodies", async () => {
    const [acme] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, "acme"));
    const id = String(acme!.id);
    expect((await call(PUT, "PUT", `/api/manage/admin/instances/${id}/health-alerts`, { token: await loginAs(CUSTOMER), params: { id }, body: { customer_alerts: true } })).status).toBe(403);
    expect((await call(PUT, "PUT", `/api/manage/admin/instances/${id}/health-alerts`, { token: await loginAs(SUPPORT), params: { id }, body: { customer_alerts: true } })).status).toBe(403);
    const token = await loginAs(STAFF);
    expect((await call(PUT, "PUT", "/api/manage/admin/instances/999999/health-alerts", { token, params: { id: "999999" }, body: { customer_alerts: true } })).status).toBe(404);
    const bad = await call(PUT, "PUT", `/api/manage/admin/instances/${id}/health-alerts`, { token, params: { id }, body: { customer_alerts: "ja" } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.customer_alerts[0]).toMatch(/true oder false/);
  });
});
