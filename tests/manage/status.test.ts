import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as activity } from "@/app/api/manage/activity-log/route";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { GET as me } from "@/app/api/manage/auth/me/route";
import { POST as logout } from "@/app/api/manage/auth/logout/route";
import { GET as unknownEndpoint } from "@/app/api/manage/[...path]/route";
import { GET as status } from "@/app/api/manage/status/route";
import { activityLog, billing, instances } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

const database = useTestDatabase();
let n = 0;

async function tokenFor(email: string) {
  const res = await call(login, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: `198.18.0.${++n}` });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

describe("GET /api/manage/status", () => {
  it("returns every block of the seed with the documented fields", async () => {
    const res = await call(status, "GET", "/api/manage/status", { token: await tokenFor("admin@firma.de") });
    expect(res.status).toBe(200);
    expect(res.json.instance).toMatchObject({ name: "acme", company_name: "Acme Corp", status: "online" });
    expect(res.json.server).toMatchObject({ status: "online", health_status: "healthy", ipv4: "49.12.34.56", server_type: "cx22", datacenter: "nbg1" });
    expect(res.json.billing).toMatchObject({ status: "active", pricing_tier: "standard", monthly_price: "49,00 €", trial_ends_at: null, paid_until: "2026-12-01" });
    expect(res.json.domains).toMatchObject({
      portal_domain: "acme.portal.myit.center",
      custom_portal_domain: null,
      portal_url: "https://acme.portal.myit.center",
    });
    expect(res.json.version).toEqual({ app_version: "1.2.3", portal_version: "1.0.0" });
    expect(res.json.limits).toEqual({ max_customers: 50, max_devices: 500 });
  });

  it("formats an instance's own monthly price and limit overrides", async () => {
    const db = database.db();
    const [bergmann] = await db.select().from(instances).where(eq(instances.name, "bergmann"));
    await db.update(billing).set({ monthlyPriceCents: 123456 }).where(eq(billing.instanceId, bergmann.id));
    await db.update(instances).set({ maxDevices: 2000 }).where(eq(instances.id, bergmann.id));
    const res = await call(status, "GET", "/api/manage/status", { token: await tokenFor("it@bergmann-logistik.de") });
    expect(res.json.billing.monthly_price).toBe("1.234,56 €");
    expect(res.json.limits).toEqual({ max_customers: 150, max_devices: 2000 });
  });

  it("is reachable for a suspended instance and shows the suspension", async () => {
    const res = await call(status, "GET", "/api/manage/status", { token: await tokenFor("info@nordlicht-design.de") });
    expect(res.status).toBe(200);
    expect(res.json.instance).toMatchObject({ status: "suspended", suspended: true, suspended_reason: "Offene Rechnungen seit über 30 Tagen" });
  });

  it("answers 401 without a session", async () => {
    expect((await call(status, "GET", "/api/manage/status")).status).toBe(401);
  });

  it("answers 403 for MSP staff without an instance", async () => {
    const res = await call(status, "GET", "/api/manage/status", { token: await tokenFor("msp-admin@myit.center") });
    expect(res.status).toBe(403);
  });
});

describe("suspended instances", () => {
  it("reach /auth/* but get 403 everywhere else", async () => {
    const token = await tokenFor("info@nordlicht-design.de");
    expect((await call(me, "GET", "/api/manage/auth/me", { token })).status).toBe(200);
    const denied = await call(activity, "GET", "/api/manage/activity-log", { token });
    expect(denied.status).toBe(403);
    expect(denied.json.message).toMatch(/gesperrt/);
    expect(denied.json.suspended).toBe(true);
    expect((await call(logout, "POST", "/api/manage/auth/logout", { token })).status).toBe(200);
  });

  it("take effect at once for existing sessions", async () => {
    const token = await tokenFor("it@bergmann-logistik.de");
    expect((await call(activity, "GET", "/api/manage/activity-log", { token })).status).toBe(200);
    await database.db().update(instances).set({ suspended: true, suspendedReason: "Test" }).where(eq(instances.name, "bergmann"));
    expect((await call(activity, "GET", "/api/manage/activity-log", { token })).status).toBe(403);
    await database.db().update(instances).set({ suspended: false, suspendedReason: null }).where(eq(instances.name, "bergmann"));
    expect((await call(activity, "GET", "/api/manage/activity-log", { token })).status).toBe(200);
  });
});

describe("GET /api/manage/activity-log", () => {
  it("paginates with per_page and page and reports meta", async () => {
    const token = await tokenFor("admin@firma.de");
    const db = database.db();
    const [acme] = await db.select().from(instances).where(eq(instances.name, "acme"));
    const all = await db.select().from(activityLog).where(eq(activityLog.instanceId, acme.id));
    const total = all.length;
    const first = await call(activity, "GET", "/api/manage/activity-log?per_page=3", { token });
    expect(first.json.meta).toMatchObject({ current_page: 1, last_page: Math.ceil(total / 3), total });
    expect(first.json.logs).toHaveLength(3);
    expect(Object.keys(first.json.logs[0]).sort()).toEqual(["action", "action_label", "actor", "actor_type", "created_at", "description", "id", "level"]);
    const second = await call(activity, "GET", "/api/manage/activity-log?per_page=3&page=2", { token });
    expect(second.json.meta.current_page).toBe(2);
    const ids = new Set([...first.json.logs, ...second.json.logs].map((l: { id: number }) => l.id));
    expect(ids.size).toBe(6);
    const times = first.json.logs.map((l: { created_at: string }) => Date.parse(l.created_at));
    expect([...times].sort((a, b) => b - a)).toEqual(times);
  });

  it("defaults to 20 per page", async () => {
    const token = await tokenFor("admin@firma.de");
    const db = database.db();
    const [acme] = await db.select().from(instances).where(eq(instances.name, "acme"));
    await db.insert(activityLog).values(Array.from({ length: 25 }, (_, i) => ({ instanceId: acme.id, action: "test.entry", description: `Eintrag ${i}` })));
    const res = await call(activity, "GET", "/api/manage/activity-log", { token });
    expect(res.json.logs).toHaveLength(20);
    expect(res.json.meta.last_page).toBeGreaterThan(1);
  });

  it.each(["per_page=0", "per_page=abc", "per_page=101", "page=0", "page=-1"])("rejects %s with 422", async (query) => {
    const res = await call(activity, "GET", `/api/manage/activity-log?${query}`, { token: await tokenFor("admin@firma.de") });
    expect(res.status).toBe(422);
    expect(Object.keys(res.json.errors)[0]).toBe(query.split("=")[0]);
  });

  it("never shows another instance's entries", async () => {
    const token = await tokenFor("it@bergmann-logistik.de");
    const db = database.db();
    const [bergmann] = await db.select().from(instances).where(eq(instances.name, "bergmann"));
    const res = await call(activity, "GET", "/api/manage/activity-log?per_page=100", { token });
    const own = await db.select({ id: activityLog.id }).from(activityLog).where(eq(activityLog.instanceId, bergmann.id));
    expect(res.json.meta.total).toBe(own.length);
    const ownIds = new Set(own.map((r) => r.id));
    expect(res.json.logs.every((l: { id: number }) => ownIds.has(l.id))).toBe(true);
    expect(JSON.stringify(res.json)).not.toMatch(/Thomas Becker|Eintrag/);
  });
});

describe("unknown endpoints", () => {
  it("answer 404 in the API's JSON shape", async () => {
    const res = await call(unknownEndpoint, "GET", "/api/manage/gibt-es-nicht", { outsideContract: "the catch-all 404 route of unknown paths" });
    expect(res.status).toBe(404);
    expect(res.json.message).toBe("Diesen Endpunkt gibt es nicht.");
  });
});
