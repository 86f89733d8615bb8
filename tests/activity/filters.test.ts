import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as activity } from "@/app/api/manage/activity-log/route";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { activityLog, instances } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { actionKind, actionsOfKind, ACTIVITY_ACTIONS, ACTIVITY_KIND_KEYS, type ActivityAction } from "@/lib/activity/actions";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

const database = useTestDatabase();
let n = 0;

async function tokenFor(email: string) {
  const res = await call(login, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: `198.18.1.${++n}` });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

async function acmeId() {
  const [acme] = await database.db().select().from(instances).where(eq(instances.name, "acme"));
  return acme.id;
}

/** Fresh entries at known times (UTC instants) on acme; the seeded rows are removed so totals are exact. */
async function seedEntries(entries: { action: string; at: string }[]) {
  const db = database.db();
  const instanceId = await acmeId();
  await db.delete(activityLog).where(eq(activityLog.instanceId, instanceId));
  await db.insert(activityLog).values(entries.map((e, i) => ({ instanceId, action: e.action, description: `Test ${i}`, createdAt: new Date(e.at) })));
}

describe("activity kinds", () => {
  it("put every catalog code in exactly one kind; unknown areas in none", () => {
    const all = ACTIVITY_KIND_KEYS.flatMap((kind) => actionsOfKind(kind));
    expect(all.sort()).toEqual(Object.keys(ACTIVITY_ACTIONS).sort());
    expect(actionKind("manage.login")).toBe("anmeldung");
    expect(actionKind("manage.password_changed")).toBe("konto");
    expect(actionKind("server.reboot")).toBe("server");
    expect(actionKind("domain.portal.set")).toBe("domains");
    expect(actionKind("billing.run_started" as ActivityAction)).toBe("rechnungen");
    expect(actionKind("instance.suspended")).toBe("verwaltung");
    expect(actionKind("test.unknown")).toBeNull();
    expect(actionKind("nodot")).toBeNull();
  });
});

describe("GET /api/manage/activity-log filters", () => {
  it("filters by kind and counts exactly", async () => {
    const token = await tokenFor("admin@firma.de");
    await seedEntries([
      { action: "manage.login", at: "2026-03-01T10:00:00Z" },
      { action: "manage.logout", at: "2026-03-01T11:00:00Z" },
      { action: "server.reboot", at: "2026-03-02T10:00:00Z" },
      { action: "invoice.issued", at: "2026-03-03T10:00:00Z" },
      { action: "test.unknown", at: "2026-03-04T10:00:00Z" },
    ]);
    const res = await call(activity, "GET", "/api/manage/activity-log?kind=anmeldung", { token });
    expect(res.status).toBe(200);
    expect(res.json.logs.map((l: { action: string }) => l.action)).toEqual(["manage.logout", "manage.login"]);
    expect(res.json.meta).toMatchObject({ current_page: 1, last_page: 1, total: 2, total_capped: false });
    const server = await call(activity, "GET", "/api/manage/activity-log?kind=server", { token });
    expect(server.json.logs.map((l: { action: string }) => l.action)).toEqual(["server.reboot"]);
  });

  it("filters by Berlin calendar days, both ends inclusive", async () => {
    await seedEntries([
      // 2026-03-01 23:30 in Berlin (UTC+1) is still March 1st there.
      { action: "manage.login", at: "2026-03-01T22:30:00Z" },
      // 2026-03-02 00:30 in Berlin.
      { action: "server.reboot", at: "2026-03-01T23:30:00Z" },
      { action: "server.power_on", at: "2026-03-03T22:59:00Z" },
      { action: "server.power_off", at: "2026-03-03T23:00:00Z" },
    ]);
    const token = await tokenFor("admin@firma.de");
    const res = await call(activity, "GET", "/api/manage/activity-log?from=2026-03-02&to=2026-03-03", { token });
    expect(res.status).toBe(200);
    expect(res.json.logs.map((l: { action: string }) => l.action)).toEqual(["server.power_on", "server.reboot"]);
    expect(res.json.meta.total).toBe(2);
    const onlyFrom = await call(activity, "GET", "/api/manage/activity-log?from=2026-03-04&kind=server", { token });
    expect(onlyFrom.json.logs.map((l: { action: string }) => l.action)).toEqual(["server.power_off"]);
  });

  it("counts a kind exactly beyond the old cap of 10,000 and pages to its last entry", async () => {
    const db = database.db();
    const instanceId = await acmeId();
    await db.delete(activityLog).where(eq(activityLog.instanceId, instanceId));
    const rows = Array.from({ length: 10_005 }, (_, i) => ({ instanceId, action: i % 2 ? "server.reboot" : "invoice.issued", description: `R ${i}` }));
    for (let i = 0; i < rows.length; i += 2000) await db.insert(activityLog).values(rows.slice(i, i + 2000));
    const token = await tokenFor("admin@firma.de");
    const res = await call(activity, "GET", "/api/manage/activity-log?kind=server&per_page=100&page=2", { token });
    expect(res.json.meta).toMatchObject({ total: 5_002, total_capped: false, last_page: 51, current_page: 2 });
    expect(res.json.logs).toHaveLength(100);
    const last = await call(activity, "GET", "/api/manage/activity-log?kind=rechnungen&per_page=100&page=51", { token });
    expect(last.json.meta).toMatchObject({ total: 5_003, last_page: 51 });
    // The oldest three invoice entries: rows 4, 2 and 0.
    expect(last.json.logs.map((l: { description: string }) => l.description)).toEqual(["R 4", "R 2", "R 0"]);
    const unfiltered = await call(activity, "GET", "/api/manage/activity-log?per_page=100", { token });
    expect(unfiltered.json.meta.total).toBe(10_005 + 1); // + this login
  }, 60_000);

  it("keeps the unfiltered contract: no extra meta keys", async () => {
    const token = await tokenFor("admin@firma.de");
    const res = await call(activity, "GET", "/api/manage/activity-log?per_page=5&kind=&from=", { token });
    expect(res.status).toBe(200);
    expect(Object.keys(res.json).sort()).toEqual(["logs", "meta"]);
    expect(Object.keys(res.json.meta).sort()).toEqual(["current_page", "last_page", "per_page", "total"]);
  });

  it.each([
    ["kind=unbekannt", "kind"],
    ["from=2026-13-01", "from"],
    ["from=gestern", "from"],
    ["to=2026-02-30", "to"],
    ["from=2026-03-05&to=2026-03-01", "to"],
  ])("rejects %s with 422", async (query, field) => {
    const res = await call(activity, "GET", `/api/manage/activity-log?${query}`, { token: await tokenFor("admin@firma.de") });
    expect(res.status).toBe(422);
    expect(Object.keys(res.json.errors)).toContain(field);
  });
});
