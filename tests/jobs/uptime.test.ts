/**
 * 90 days of uptime from the health probes: per URL and day the checks and
 * failures, incidents from the first failed probe to the next good one (one
 * open incident per URL, however many probes fail), the answer of the
 * uptime endpoints for the customer and staff, and the demo's seeded history.
 */
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { GET as staffUptime } from "@/app/api/manage/admin/instances/[id]/server/uptime/route";
import { GET as uptime } from "@/app/api/manage/server/uptime/route";
import { instances, uptimeDays, uptimeIncidents } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { resetConfigForTests } from "@/lib/config";
import { probeInstance } from "@/lib/health/probe";
import { startHealthStandIn, type HealthStandIn } from "@/lib/health/stand-in";
import { durationLabel, getUptime, uptimeResponse } from "@/lib/health/uptime";
import { loadInstanceContext } from "@/lib/instances/present";
import { todayIsoDate } from "@/lib/invoices/calc";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

const database = useTestDatabase();
let standIn: HealthStandIn;
const saved = process.env.HEALTH_PROBE_URL_TEMPLATE;
let ip = 0;

beforeAll(async () => {
  standIn = await startHealthStandIn();
  process.env.HEALTH_PROBE_URL_TEMPLATE = standIn.template;
  resetConfigForTests();
});
afterAll(async () => {
  await standIn.close();
  if (saved === undefined) delete process.env.HEALTH_PROBE_URL_TEMPLATE;
  else process.env.HEALTH_PROBE_URL_TEMPLATE = saved;
  resetConfigForTests();
});
beforeEach(() => standIn.failing.clear());

async function instanceId(name: string) {
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, name));
  return row.id;
}

describe("uptime from the probes", () => {
  it("counts checks and failures per URL and day, and keeps one incident per outage", async () => {
    const acme = await instanceId("acme");
    const db = database.db();
    await db.delete(uptimeDays).where(eq(uptimeDays.instanceId, acme));
    await db.delete(uptimeIncidents).where(eq(uptimeIncidents.instanceId, acme));
    const ctx = await loadInstanceContext(acme);

    await probeInstance(acme);
    standIn.failing.add(ctx.instance.meshcentralDomain);
    await probeInstance(acme);
    await probeInstance(acme);
    const open = await db.select().from(uptimeIncidents).where(eq(uptimeIncidents.instanceId, acme));
    expect(open).toHaveLength(1);
    expect(open[0]).toMatchObject({ target: "meshcentral", endedAt: null, lastError: "HTTP 503" });

    standIn.failing.clear();
    await probeInstance(acme);
    const [closed] = await db.select().from(uptimeIncidents).where(eq(uptimeIncidents.instanceId, acme));
    expect(closed.endedAt).not.toBeNull();
    expect(closed.endedAt!.getTime()).toBeGreaterThanOrEqual(closed.startedAt.getTime());

    const today = todayIsoDate(new Date());
    const days = await db.select().from(uptimeDays).where(and(eq(uptimeDays.instanceId, acme), eq(uptimeDays.day, today)));
    expect(Object.fromEntries(days.map((d) => [d.target, [d.checks, d.failures]]))).toEqual({ portal: [4, 0], meshcentral: [4, 2] });

    const view = await getUptime(acme);
    const mesh = view.targets.find((t) => t.target === "meshcentral")!;
    expect(mesh.bars).toHaveLength(90);
    expect(mesh.bars[89]).toEqual({ day: today, checks: 4, failures: 2, uptime_percent: 50 });
    expect(mesh.bars[0].uptime_percent).toBeNull(); // never probed that day
    expect(mesh.uptime_percent).toBe(50);
    expect(mesh.incidents).toEqual([expect.objectContaining({ ongoing: false, last_error: "HTTP 503", duration_label: "1 Min." })]);
    expect(view.targets.find((t) => t.target === "portal")!.uptime_percent).toBe(100);
  });

  it("the demo shows 90 days with incidents on first start, for the customer and for staff", async () => {
    const nordlicht = await instanceId("nordlicht");
    const staff = (await call(login, "POST", "/api/manage/auth/login", { body: { email: "support@myit.center", password: DEMO_PASSWORD }, ip: `198.51.100.${++ip}` })).json.token;
    const res = await call(staffUptime, "GET", `/api/manage/admin/instances/${nordlicht}/server/uptime`, { token: staff, params: { id: String(nordlicht) } });
    expect(res.status).toBe(200);
    const body = uptimeResponse.parse(res.json);
    const portal = body.targets.find((t) => t.target === "portal")!;
    expect(portal.url).toBe("https://nordlicht.portal.myit.center");
    expect(portal.incidents[0]).toMatchObject({ ongoing: true, ended_at: null, last_error: "HTTP 503" });
    expect(portal.incidents).toHaveLength(2);
    // The ongoing incident began at 14:00 UTC yesterday: 600 failed minutes then, every minute since midnight today.
    // (How low the 90-day figure is depends on the time of day the demo was seeded, so it is computed, not fixed.)
    const [yesterday, today] = portal.bars.slice(-2);
    expect(yesterday).toMatchObject({ checks: 1440, failures: 600 });
    expect(today!.failures).toBe(today!.checks);
    const checks = portal.bars.reduce((sum, bar) => sum + bar.checks, 0);
    const failures = portal.bars.reduce((sum, bar) => sum + bar.failures, 0);
    expect(failures).toBe(600 + today!.checks + 31); // and the closed 31-minute incident 45 days ago
    expect(portal.uptime_percent).toBe(Math.floor(((checks - failures) / checks) * 10_000) / 100);
    expect(portal.uptime_percent).toBeLessThan(100);

    const customer = (await call(login, "POST", "/api/manage/auth/login", { body: { email: "it@bergmann-logistik.de", password: DEMO_PASSWORD }, ip: `198.51.100.${++ip}` })).json.token;
    const own = uptimeResponse.parse((await call(uptime, "GET", "/api/manage/server/uptime", { token: customer })).json);
    // Switched off for the last two days: no bars, not counted as down.
    expect(own.targets[0].bars.slice(-2).map((b) => b.uptime_percent)).toEqual([null, null]);
    expect(own.targets[0].incidents).toEqual([expect.objectContaining({ duration_label: "12 Min.", last_error: "Nicht erreichbar (ECONNREFUSED)" })]);
    expect((await call(staffUptime, "GET", `/api/manage/admin/instances/${nordlicht}/server/uptime`, { token: customer, params: { id: String(nordlicht) } })).status).toBe(403);
  });

  it("labels durations in German", () => {
    expect(durationLabel(20)).toBe("1 Min.");
    expect(durationLabel(23 * 60)).toBe("23 Min.");
    expect(durationLabel(125 * 60)).toBe("2 Std. 5 Min.");
    expect(durationLabel(3 * 3600)).toBe("3 Std.");
    expect(durationLabel(28 * 3600)).toBe("1 Tag 4 Std.");
    expect(durationLabel(50 * 3600)).toBe("2 Tage 2 Std.");
  });
});
