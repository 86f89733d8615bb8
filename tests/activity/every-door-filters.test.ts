/**
 * The activity filters (kind, period) on every door: API v1 for a tenant and for
 * MSP staff across tenants, and the staff's per-instance view, with one schema
 * and the same answers as the customer's manage API. Across tenants the view is
 * bounded: counted to FILTERED_COUNT_CAP, pages end there, and a page is an
 * index walk of migration 0028's partial indexes, never a sort of the table.
 */
import { inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as manageActivity } from "@/app/api/manage/activity-log/route";
import { GET as staffActivity } from "@/app/api/manage/admin/instances/[id]/activity-log/route";
import { POST as manageLogin } from "@/app/api/manage/auth/login/route";
import { GET as v1Activity } from "@/app/api/v1/activity/route";
import { activityLog, instances } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { everyTenantQueries, FILTERED_COUNT_CAP, listActivity } from "@/lib/activity";
import { useTestDatabase } from "../helpers/db";
import { explainScans } from "../helpers/explain";
import { call } from "../helpers/http";
import { uniqueIp, v1Login } from "../v1/helpers";

const database = useTestDatabase();

async function instanceIds(...names: string[]) {
  const rows = await database.db().select({ id: instances.id, name: instances.name, uuid: instances.uuid }).from(instances).where(inArray(instances.name, names));
  return Object.fromEntries(rows.map((r) => [r.name, r]));
}

async function manageToken(email: string) {
  const res = await call(manageLogin, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

/** Replaces the whole log with known entries on acme and bergmann. */
async function seedTwoTenants() {
  const db = database.db();
  const { acme, bergmann } = await instanceIds("acme", "bergmann");
  await db.delete(activityLog);
  await db.insert(activityLog).values([
    { instanceId: acme.id, action: "manage.login", description: "A1", createdAt: new Date("2026-03-01T10:00:00Z") },
    { instanceId: acme.id, action: "server.reboot", description: "A2", createdAt: new Date("2026-03-02T10:00:00Z") },
    { instanceId: bergmann.id, action: "server.power_on", description: "B1", createdAt: new Date("2026-03-02T11:00:00Z") },
    { instanceId: bergmann.id, action: "invoice.issued", description: "B2", createdAt: new Date("2026-03-03T10:00:00Z") },
    { instanceId: acme.id, action: "server.power_off", description: "A3", createdAt: new Date("2026-03-04T10:00:00Z") },
  ]);
  return { acme, bergmann };
}

const descriptions = (json: { logs: { description: string }[] }) => json.logs.map((l) => l.description);

describe("activity filters on every door", () => {
  it("API v1: a tenant's kind and period filter answer as the manage API does", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const token = await manageToken("admin@firma.de");
    await seedTwoTenants();
    for (const query of ["kind=server", "from=2026-03-02&to=2026-03-03", "kind=server&from=2026-03-03", "kind=anmeldung"]) {
      const v1 = await call(v1Activity, "GET", `/api/v1/activity?${query}`, { token: access_token });
      const manage = await call(manageActivity, "GET", `/api/manage/activity-log?${query}`, { token });
      expect(v1.status, query).toBe(200);
      expect(v1.json, query).toEqual(manage.json);
    }
    const server = await call(v1Activity, "GET", "/api/v1/activity?kind=server", { token: access_token });
    expect(descriptions(server.json)).toEqual(["A3", "A2"]);
    expect(server.json.meta).toMatchObject({ total: 2, total_capped: false });
  });

  it("API v1: refuses an unknown kind or a reversed period with 422 and keeps the v1 error shape", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    for (const [query, field] of [["kind=unbekannt", "kind"], ["from=2026-03-05&to=2026-03-01", "to"], ["to=2026-02-30", "to"]] as const) {
      const res = await call(v1Activity, "GET", `/api/v1/activity?${query}`, { token: access_token });
      expect(res.status, query).toBe(422);
      expect(JSON.stringify(res.json), query).toContain(field);
    }
  });

  it("API v1 for MSP staff: without tenant_id the filters apply across tenants, with it to one", async () => {
    const { access_token } = await v1Login("msp-admin@myit.center");
    const { bergmann } = await seedTwoTenants();
    const all = await call(v1Activity, "GET", "/api/v1/activity?kind=server", { token: access_token });
    expect(all.status).toBe(200);
    expect(descriptions(all.json)).toEqual(["A3", "B1", "A2"]);
    const period = await call(v1Activity, "GET", "/api/v1/activity?from=2026-03-02&to=2026-03-03", { token: access_token });
    expect(descriptions(period.json)).toEqual(["B2", "B1", "A2"]);
    const one = await call(v1Activity, "GET", `/api/v1/activity?kind=server&tenant_id=${bergmann.uuid}`, { token: access_token });
    expect(descriptions(one.json)).toEqual(["B1"]);
    expect(one.json.meta.total).toBe(1);
  });

  it("staff per instance: the same filters", async () => {
    const token = await manageToken("msp-admin@myit.center");
    const { acme } = await seedTwoTenants();
    const id = String(acme.id);
    const res = await call(staffActivity, "GET", `/api/manage/admin/instances/${id}/activity-log?kind=server&to=2026-03-03`, { token, params: { id } });
    expect(res.status).toBe(200);
    expect(descriptions(res.json)).toEqual(["A2"]);
    const bad = await call(staffActivity, "GET", `/api/manage/admin/instances/${id}/activity-log?kind=unbekannt`, { token, params: { id } });
    expect(bad.status).toBe(422);
  });

  it("across tenants pages end at the count cap, and a page walks the partial index instead of sorting the table", async () => {
    const db = database.db();
    const { acme, bergmann } = await seedTwoTenants();
    const perPage = 100;
    const rows = Array.from({ length: FILTERED_COUNT_CAP + 600 }, (_, i) => ({
      instanceId: i % 2 ? acme.id : bergmann.id,
      action: i % 4 === 0 ? "manage.login" : "server.reboot",
      description: `X ${i}`,
      createdAt: new Date(Date.UTC(2026, 4, 1) + i * 1000),
    }));
    for (let i = 0; i < rows.length; i += 2000) await db.insert(activityLog).values(rows.slice(i, i + 2000));
    await db.execute(sql`analyze activity_log`);

    const lastPage = FILTERED_COUNT_CAP / perPage;
    const last = await listActivity(null, { page: lastPage, perPage }, {});
    expect(last.meta).toMatchObject({ total: FILTERED_COUNT_CAP, total_capped: true, last_page: lastPage });
    expect(last.logs).toHaveLength(perPage);
    // The newest entry is the last inserted; page `lastPage` ends exactly at the cap's entry.
    expect(last.logs.at(-1)!.description).toBe(`X ${rows.length - FILTERED_COUNT_CAP}`);
    const beyond = await listActivity(null, { page: lastPage + 1, perPage }, {});
    expect(beyond.logs).toEqual([]);
    expect(everyTenantQueries(db, { page: lastPage + 1, perPage }, {}).page).toBeNull();

    // A common kind (75 %) may walk the time index and skip the others; a rare one (25 %) walks its own (or, with a
    // period, the planner may gather its rows through a bitmap of that index).
    for (const filters of [{}, { kind: "server" as const }, { kind: "anmeldung" as const }, { kind: "anmeldung" as const, from: "2026-05-01" }]) {
      const q = everyTenantQueries(db, { page: lastPage, perPage }, filters).page!.toSQL();
      const scans = await explainScans(db, q.sql, q.params);
      const summary = JSON.stringify(scans);
      expect(scans.length, summary).toBeGreaterThan(0);
      for (const scan of scans) {
        // Never a sequential scan; a bitmap heap scan (no index name on the heap node) is bounded below like the others.
        expect(scan.type, summary).toMatch(/^(Index (Only )?Scan|Bitmap Heap Scan)/);
        if (scan.index !== undefined) expect(scan.index, summary).toMatch(/^activity_log_tenants_(kind_)?created_idx$/);
      }
      // Bounded by the cap, not by the table: at most the cap's rows plus a page, and what a filter skips among them.
      expect(scans.reduce((sum, s) => sum + s.rows + s.removed, 0), summary).toBeLessThanOrEqual(2 * (FILTERED_COUNT_CAP + perPage));
    }
    const kindPage = await listActivity(null, { page: 1, perPage: 5 }, { kind: "anmeldung" });
    expect(kindPage.logs.map((l) => l.action)).toEqual(Array(5).fill("manage.login"));
  }, 120_000);
});
