/**
 * Health probes against the local stand-in endpoints: history (short, capped),
 * health_status derived from the latest probes, "Aus" for a server switched
 * off on purpose, and exactly one alert mail per incident plus one recovery
 * mail, however many probes run.
 */
import { and, eq, isNull, like } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { activityLog, healthChecks, instanceHealth, instances, mailOutbox, servers, users } from "@/db/schema";
import { staffDashboard } from "@/lib/admin/dashboard";
import { resetConfigForTests } from "@/lib/config";
import { setCustomerAlerts } from "@/lib/health/alerts";
import { HISTORY_PER_TARGET, probeInstance, runHealthProbes } from "@/lib/health/probe";
import { startHealthStandIn, type HealthStandIn } from "@/lib/health/stand-in";
import { loadInstanceContext } from "@/lib/instances/present";
import { instanceStatus } from "@/lib/status";
import { useTestDatabase } from "../helpers/db";

const database = useTestDatabase();
let standIn: HealthStandIn;
const saved = { template: process.env.HEALTH_PROBE_URL_TEMPLATE, after: process.env.HEALTH_ALERT_AFTER_MINUTES };

beforeAll(async () => {
  standIn = await startHealthStandIn();
  process.env.HEALTH_PROBE_URL_TEMPLATE = standIn.template;
  process.env.HEALTH_ALERT_AFTER_MINUTES = "5";
  resetConfigForTests();
});
afterAll(async () => {
  await standIn.close();
  for (const [key, value] of [["HEALTH_PROBE_URL_TEMPLATE", saved.template], ["HEALTH_ALERT_AFTER_MINUTES", saved.after]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetConfigForTests();
});
beforeEach(() => standIn.failing.clear());

async function instanceId(name: string) {
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, name));
  return row.id;
}

async function healthMails(kind: "Störung" | "Behoben") {
  return database.db().select().from(mailOutbox).where(like(mailOutbox.subject, `${kind}:%`));
}

async function statusHealth(id: number) {
  return (await instanceStatus(await loadInstanceContext(id))).server;
}

describe("health probe", () => {
  it("probes portal and MeshCentral of running servers only, and derives health_status from the latest probes", async () => {
    const acme = await instanceId("acme");
    const bergmann = await instanceId("bergmann");
    const run = await runHealthProbes();
    expect(run.probed).toBe(2); // acme and nordlicht run; bergmann is off
    const rows = await database.db().select().from(healthChecks).where(eq(healthChecks.instanceId, acme));
    expect(rows.map((r) => r.url).sort()).toEqual([`${standIn.url}/acme.portal.myit.center/`, `${standIn.url}/acme.remote.myit.center/`]);
    expect(rows.every((r) => r.ok && r.statusCode === 200)).toBe(true);
    expect(await database.db().select().from(healthChecks).where(eq(healthChecks.instanceId, bergmann))).toHaveLength(0);

    const ctx = await loadInstanceContext(acme);
    standIn.failing.add(ctx.instance.meshcentralDomain);
    await probeInstance(acme);
    expect(await statusHealth(acme)).toMatchObject({ health_status: "degraded", health_status_label: "Eingeschränkt" });
    standIn.failing.add(ctx.instance.portalDomain);
    await probeInstance(acme);
    expect(await statusHealth(acme)).toMatchObject({ health_status: "unhealthy", health_status_label: "Gestört" });
    standIn.failing.clear();
    await probeInstance(acme);
    expect(await statusHealth(acme)).toMatchObject({ health_status: "healthy", health_status_label: "Gesund" });
  });

  it("shows a server switched off on purpose as \"Aus\", not as a problem", async () => {
    const bergmann = await instanceId("bergmann");
    await database.db().update(servers).set({ healthStatus: "off", status: "off" }).where(eq(servers.instanceId, bergmann));
    expect(await statusHealth(bergmann)).toMatchObject({ status: "off", health_status: "off", health_status_label: "Aus" });
    const dashboard = await staffDashboard();
    expect(dashboard.servers_not_healthy.map((s: { instance_name: string }) => s.instance_name)).not.toContain("bergmann");
  });

  it("keeps a short history: the latest 50 probes per URL", async () => {
    const acme = await instanceId("acme");
    for (let i = 0; i < HISTORY_PER_TARGET + 5; i++) await probeInstance(acme);
    const rows = await database.db().select().from(healthChecks).where(and(eq(healthChecks.instanceId, acme), eq(healthChecks.target, "portal")));
    expect(rows).toHaveLength(HISTORY_PER_TARGET);
  });

  it("mails staff once when a probe has failed for the configured time, and once on recovery", async () => {
    const nordlicht = await instanceId("nordlicht");
    const ctx = await loadInstanceContext(nordlicht);
    const staff = await database.db().select().from(users).where(and(isNull(users.instanceId), eq(users.active, true)));
    expect(staff.length).toBeGreaterThan(0);
    standIn.failing.add(ctx.instance.portalDomain);

    // Failing, but not yet for 5 minutes: no mail.
    for (let i = 0; i < 3; i++) expect((await probeInstance(nordlicht)).alert).toBe("failing");
    expect(await healthMails("Störung")).toHaveLength(0);

    // The failure started 6 minutes ago: one mail per staff member, then silence.
    await database.db().update(instanceHealth).set({ failingSince: new Date(Date.now() - 6 * 60_000) }).where(eq(instanceHealth.instanceId, nordlicht));
    expect((await probeInstance(nordlicht)).alert).toBe("alerted");
    for (let i = 0; i < 5; i++) await probeInstance(nordlicht);
    await runHealthProbes();
    const down = await healthMails("Störung");
    expect(down).toHaveLength(staff.length);
    expect(down.map((m) => m.to).sort()).toEqual(staff.map((s) => s.email).sort());
    expect(down[0].text).toMatch(/Nordlicht Design UG \(nordlicht\).*nicht vollständig erreichbar/);
    expect(down[0].text).toContain("HTTP 503");

    // Recovery: one mail per staff member, however many good probes follow.
    standIn.failing.clear();
    expect((await probeInstance(nordlicht)).alert).toBe("recovered");
    for (let i = 0; i < 5; i++) expect((await probeInstance(nordlicht)).alert).toBe("none");
    expect(await healthMails("Behoben")).toHaveLength(staff.length);
    expect(await healthMails("Störung")).toHaveLength(staff.length);

    const logs = await database.db().select().from(activityLog).where(eq(activityLog.instanceId, nordlicht));
    expect(logs.filter((l) => l.action === "server.health_down")).toHaveLength(1);
    expect(logs.filter((l) => l.action === "server.health_recovered")).toHaveLength(1);
  });

  it("a short failure that recovers before the alert time sends nothing", async () => {
    await database.db().delete(mailOutbox);
    const acme = await instanceId("acme");
    const ctx = await loadInstanceContext(acme);
    standIn.failing.add(ctx.instance.portalDomain);
    await probeInstance(acme);
    standIn.failing.clear();
    expect((await probeInstance(acme)).alert).toBe("none");
    expect(await database.db().select().from(mailOutbox)).toHaveLength(0);
  });

  it("mails the customer's admins too when the instance opted in", async () => {
    await database.db().delete(mailOutbox);
    process.env.HEALTH_ALERT_AFTER_MINUTES = "0";
    resetConfigForTests();
    try {
      const acme = await instanceId("acme");
      await database.db().transaction((tx) => setCustomerAlerts(tx, acme, true));
      standIn.failing.add("acme.*");
      expect((await probeInstance(acme)).alert).toBe("alerted");
      expect((await probeInstance(acme)).alert).toBe("failing");
      const recipients = (await healthMails("Störung")).map((m) => m.to);
      expect(recipients).toContain("admin@firma.de");
      expect(recipients.filter((r) => r === "admin@firma.de")).toHaveLength(1);
    } finally {
      process.env.HEALTH_ALERT_AFTER_MINUTES = "5";
      resetConfigForTests();
    }
  });
});
