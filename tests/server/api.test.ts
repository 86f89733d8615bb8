import { and, desc, eq, like } from "drizzle-orm";
import { beforeEach, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { GET as serverView } from "@/app/api/manage/server/route";
import { POST as powerOff } from "@/app/api/manage/server/power-off/route";
import { POST as powerOn } from "@/app/api/manage/server/power-on/route";
import { POST as reboot } from "@/app/api/manage/server/reboot/route";
import { POST as refreshStatus } from "@/app/api/manage/server/refresh-status/route";
import { GET as status } from "@/app/api/manage/status/route";
import { activityLog, instances, rateLimits, serverActions, servers, userRoles, users } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { systemActor } from "@/lib/activity";
import { hashPassword } from "@/lib/auth/passwords";
import { DEMO_SERVERS } from "@/lib/hetzner/simulator";
import { performServerAction, getServerView } from "@/lib/servers/service";
import { usingPostgres, useTestDatabase } from "../helpers/db";
import { useHetznerSimulator } from "../helpers/hetzner";
import { call } from "../helpers/http";

// The client's retries of a Hetzner `conflict` wait 5 ms here instead of 1 s.
process.env.HETZNER_RETRY_BASE_MS = "5";
const database = useTestDatabase();
const ACTION_MS = 10_000;
const clock = { t: Date.now() };
const simulator = useHetznerSimulator({ servers: [...DEMO_SERVERS], actionDurationMs: ACTION_MS, now: () => clock.t }, 400);

beforeEach(async () => {
  simulator.sim().setFault(null);
  // Every case starts with a fresh per-instance action budget.
  await database.db().delete(rateLimits);
});

let ipCounter = 0;
const freshIp = () => `198.51.100.${++ipCounter}`;

async function loginAs(email: string) {
  const res = await call(login, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: freshIp() });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

async function instanceId(name: string) {
  const [row] = await database.db().select().from(instances).where(eq(instances.name, name));
  return row.id;
}

/** The UI polls at most once per second per action; tests poll right away. */
async function poll(token: string) {
  await database.db().update(serverActions).set({ polledAt: null });
  const res = await call(serverView, "GET", "/api/manage/server", { token });
  expect(res.status).toBe(200);
  return res.json;
}

async function latestLog(id: number, action: string) {
  return database
    .db()
    .select()
    .from(activityLog)
    .where(and(eq(activityLog.instanceId, id), eq(activityLog.action, action)))
    .orderBy(desc(activityLog.id));
}

async function finishRunningActions() {
  clock.t += ACTION_MS + 1;
}

describe("GET /api/manage/server", () => {
  it("shows the stored server, no action, and whether the user may control it", async () => {
    const token = await loginAs("admin@firma.de");
    const res = await call(serverView, "GET", "/api/manage/server", { token });
    expect(res.status).toBe(200);
    expect(res.json.server).toMatchObject({
      hetzner_server_id: 1001,
      status: "online",
      status_label: "Online",
      health_status: "healthy",
      ipv4: "49.12.34.56",
      server_type: "cx22",
      datacenter: "nbg1",
    });
    expect(res.json.action).toBeNull();
    expect(res.json.action_running).toBe(false);
    expect(res.json.can_control).toBe(true);
  });

  it("needs a session", async () => {
    const res = await call(serverView, "GET", "/api/manage/server");
    expect(res.status).toBe(401);
  });
});

describe("POST /api/manage/server/reboot", () => {
  it("triggers the reboot, shows progress and finalizes the status when Hetzner reports the end", async () => {
    const token = await loginAs("admin@firma.de");
    const acme = await instanceId("acme");
    const res = await call(reboot, "POST", "/api/manage/server/reboot", { token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ message: "Server Neustart wurde ausgelöst", action: "reboot" });
    expect(simulator.sim().getServerState(1001)?.locked).toBe(true);

    const [row] = await database.db().select().from(servers).where(eq(servers.instanceId, acme));
    expect(row.status).toBe("rebooting");

    clock.t += ACTION_MS / 4;
    const mid = await poll(token);
    expect(mid.action_running).toBe(true);
    expect(mid.action).toMatchObject({ action: "reboot", action_label: "Neustart", status: "running", actor: "Thomas Becker" });
    expect(mid.action.progress).toBeGreaterThanOrEqual(20);
    expect(mid.action.progress).toBeLessThan(100);
    expect(mid.server.status).toBe("rebooting");
    expect(mid.server.status_label).toBe("Startet neu");

    // A second action while one runs is refused.
    const second = await call(powerOff, "POST", "/api/manage/server/power-off", { token });
    expect(second.status).toBe(409);
    expect(second.json.message).toMatch(/bereits eine Server-Aktion/);

    await finishRunningActions();
    const done = await poll(token);
    expect(done.action_running).toBe(false);
    expect(done.action).toMatchObject({ status: "success", progress: 100 });
    expect(done.server).toMatchObject({ status: "online", health_status: "healthy" });

    const logs = await latestLog(acme, "server.reboot");
    const descriptions = logs.map((l) => l.description);
    expect(descriptions).toContain("Server-Neustart ausgelöst");
    expect(descriptions).toContain("Server-Neustart abgeschlossen (erfolgreich)");
    expect(logs.every((l) => l.actorName === "Thomas Becker")).toBe(true);
    // Finalized exactly once even when polled again.
    await poll(token);
    expect((await latestLog(acme, "server.reboot")).filter((l) => l.description.includes("abgeschlossen"))).toHaveLength(1);
  });

  it("records a Hetzner action that ends with an error", async () => {
    const token = await loginAs("admin@firma.de");
    const acme = await instanceId("acme");
    simulator.sim().failNextAction({ code: "action_failed", message: "reboot failed" });
    expect((await call(reboot, "POST", "/api/manage/server/reboot", { token })).status).toBe(200);
    await finishRunningActions();
    const view = await poll(token);
    expect(view.action).toMatchObject({ status: "error" });
    expect(view.action.message).toMatch(/Hetzner meldet einen Fehler/);
    const [log] = await latestLog(acme, "server.reboot");
    expect(log.level).toBe("error");
    expect(log.description).toMatch(/fehlgeschlagen/);
  });
});

describe("POST /api/manage/server/power-off and power-on", () => {
  it("shuts down gracefully, waits for off, then powers on again", async () => {
    const token = await loginAs("admin@firma.de");
    const acme = await instanceId("acme");
    const off = await call(powerOff, "POST", "/api/manage/server/power-off", { token });
    expect(off.status).toBe(200);
    expect(off.json).toEqual({ message: "Server wird heruntergefahren", action: "power-off" });
    const [row] = await database.db().select().from(serverActions).where(eq(serverActions.instanceId, acme)).orderBy(desc(serverActions.id));
    expect(row.command).toBe("shutdown_server");

    const mid = await poll(token);
    expect(mid.server.status).toBe("stopping");
    await finishRunningActions();
    const done = await poll(token);
    expect(done.action).toMatchObject({ action: "power-off", status: "success" });
    // Switched off on purpose: "Aus", not "Gestört".
    expect(done.server).toMatchObject({ status: "off", status_label: "Ausgeschaltet", health_status: "off", health_status_label: "Aus" });

    const on = await call(powerOn, "POST", "/api/manage/server/power-on", { token });
    expect(on.status).toBe(200);
    expect(on.json).toEqual({ message: "Server wird eingeschaltet", action: "power-on" });
    expect((await poll(token)).server.status).toBe("starting");
    await finishRunningActions();
    const up = await poll(token);
    expect(up.action).toMatchObject({ action: "power-on", status: "success" });
    expect(up.server.status).toBe("online");

    const st = await call(status, "GET", "/api/manage/status", { token });
    expect(st.json.server).toMatchObject({ status: "online", health_status: "healthy" });
  });

  it("offers a forced power off when the guest ignores the ACPI shutdown", async () => {
    const token = await loginAs("admin@firma.de");
    const acme = await instanceId("acme");
    simulator.sim().addServer({ id: 2001, name: "acme-noacpi", acpi: false, serverType: "cx22", location: "nbg1" });
    await database.db().update(servers).set({ hetznerServerId: 2001 }).where(eq(servers.instanceId, acme));
    try {
      expect((await call(powerOff, "POST", "/api/manage/server/power-off", { token })).status).toBe(200);
      const waiting = await poll(token);
      expect(waiting.action).toMatchObject({ status: "running", progress: null });
      expect(waiting.action.progress_label).toMatch(/warte/);
      expect(waiting.can_force_power_off).toBe(false);

      // The grace period (SERVER_SHUTDOWN_GRACE_SECONDS) has passed.
      await database.db().update(serverActions).set({ startedAt: new Date(Date.now() - 10 * 60_000) }).where(eq(serverActions.instanceId, acme));
      const ignored = await poll(token);
      expect(ignored.action).toMatchObject({ status: "error" });
      expect(ignored.action.message).toMatch(/nicht auf das Herunterfahren reagiert/);
      expect(ignored.can_force_power_off).toBe(true);
      expect(ignored.server.status).toBe("online");

      const forced = await call(powerOff, "POST", "/api/manage/server/power-off", { token, body: { force: true } });
      expect(forced.status).toBe(200);
      expect(forced.json.action).toBe("power-off");
      const [row] = await database.db().select().from(serverActions).where(eq(serverActions.instanceId, acme)).orderBy(desc(serverActions.id));
      expect(row.command).toBe("stop_server");
      await finishRunningActions();
      const off = await poll(token);
      expect(off.action).toMatchObject({ action_label: "Ausschalten (erzwungen)", forced: true, status: "success" });
      expect(off.server.status).toBe("off");
    } finally {
      await database.db().update(servers).set({ hetznerServerId: 1001 }).where(eq(servers.instanceId, acme));
    }
  });

  it("rejects a malformed body with German messages", async () => {
    const token = await loginAs("admin@firma.de");
    const bad = await call(powerOff, "POST", "/api/manage/server/power-off", { token, body: { force: "ja" } });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.force[0]).toMatch(/true oder false/);
    const broken = await call(powerOff, "POST", "/api/manage/server/power-off", { token, rawBody: "{nope", headers: { "content-type": "application/json" } });
    expect(broken.status).toBe(400);
  });
});

describe("POST /api/manage/server/refresh-status", () => {
  it("reads the server from Hetzner and stores status, IP, type and location", async () => {
    const token = await loginAs("it@bergmann-logistik.de");
    const bergmann = await instanceId("bergmann");
    const res = await call(refreshStatus, "POST", "/api/manage/server/refresh-status", { token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ message: "Server-Status wurde aktualisiert", action: "refresh-status" });
    const st = await call(status, "GET", "/api/manage/status", { token });
    // Simulator server 1002 is off, 116.203.45.67, cpx21, fsn1-dc14.
    expect(st.json.server).toMatchObject({ status: "off", ipv4: "116.203.45.67", server_type: "cpx21", datacenter: "fsn1", health_status: "off" });
    const [log] = await latestLog(bergmann, "server.refresh_status");
    expect(log.description).toBe("Server-Status aktualisiert: Ausgeschaltet");
    expect(log.actorName).toBe("Claudia Bergmann");
  });
});

describe("errors", () => {
  it("422 when the instance has no Hetzner server", async () => {
    const token = await loginAs("it@bergmann-logistik.de");
    const bergmann = await instanceId("bergmann");
    await database.db().update(servers).set({ hetznerServerId: null }).where(eq(servers.instanceId, bergmann));
    try {
      for (const [handler, action] of [[reboot, "reboot"], [powerOff, "power-off"], [powerOn, "power-on"], [refreshStatus, "refresh-status"]] as const) {
        const res = await call(handler, "POST", `/api/manage/server/${action}`, { token });
        expect(res.status).toBe(422);
        expect(res.json.message).toBe("Kein Hetzner-Server zugeordnet");
      }
      const view = await call(serverView, "GET", "/api/manage/server", { token });
      expect(view.json).toMatchObject({ server: null, message: "Kein Hetzner-Server zugeordnet" });
    } finally {
      await database.db().update(servers).set({ hetznerServerId: 1002 }).where(eq(servers.instanceId, bergmann));
    }
  });

  it(`429 beyond 3 actions per minute: 10 parallel requests, exactly 3 pass (${usingPostgres ? "PostgreSQL" : "PGlite"})`, async () => {
    const token = await loginAs("it@bergmann-logistik.de");
    const results = await Promise.all(
      Array.from({ length: 10 }, () => call(refreshStatus, "POST", "/api/manage/server/refresh-status", { token })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(3);
    const limited = results.filter((r) => r.status === 429);
    expect(limited).toHaveLength(7);
    const retryAfter = Number(limited[0].headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    expect(limited[0].json.message).toMatch(/Zu viele Anfragen/);
    // The budget is shared by all four endpoints.
    expect((await call(reboot, "POST", "/api/manage/server/reboot", { token })).status).toBe(429);
  });

  it("10 parallel reboots: 7 rate-limited, exactly one reaches Hetzner's lock first", async () => {
    const token = await loginAs("admin@firma.de");
    const results = await Promise.all(Array.from({ length: 10 }, () => call(reboot, "POST", "/api/manage/server/reboot", { token })));
    expect(results.filter((r) => r.status === 429)).toHaveLength(7);
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(2);
    await finishRunningActions();
    await poll(token);
  });

  const faults = [
    { name: "Hetzner 500", fault: "server_error" as const, text: /interner Fehler/ },
    { name: "Hetzner 503", fault: { type: "server_error" as const, status: 503 as const }, text: /vorübergehend nicht erreichbar/ },
    { name: "Hetzner 429", fault: "rate_limit" as const, text: /Zu viele Anfragen an Hetzner/ },
    { name: "unknown server", fault: "unknown_server" as const, text: /nicht gefunden/ },
    { name: "invalid answer", fault: "invalid_response" as const, text: /unerwartete Antwort/ },
    { name: "no answer (timeout)", fault: "timeout" as const, text: /nicht rechtzeitig/ },
    { name: "a lasting conflict (409)", fault: "conflict" as const, text: /wegen einer gleichzeitigen Änderung am Server abgelehnt/ },
    { name: "a read-only token", fault: "token_readonly" as const, text: /darf nur lesen; Server-Aktionen sind damit nicht möglich/ },
    { name: "Hetzner maintenance", fault: "maintenance" as const, text: /Wartungsarbeiten/ },
    { name: "a server locked by Hetzner", fault: "resource_locked" as const, text: /bei Hetzner gesperrt.*Support/ },
    { name: "the server's protection", fault: "protected" as const, text: /gegen diese Aktion geschützt/ },
    { name: "a switched-off endpoint (410)", fault: "deprecated_api_endpoint" as const, text: /Schnittstelle, die Hetzner abgeschaltet hat/ },
    { name: "a gateway's 502", fault: "bad_gateway" as const, text: /ob die Aktion ausgeführt wurde, ist unklar/ },
    { name: "a gateway's 504", fault: "gateway_timeout" as const, text: /ob die Aktion ausgeführt wurde, ist unklar/ },
  ];
  for (const f of faults) {
    it(`500 with a German message on ${f.name}, logged with its outcome`, async () => {
      const token = await loginAs("admin@firma.de");
      const acme = await instanceId("acme");
      simulator.sim().setFault(f.fault);
      const res = await call(reboot, "POST", "/api/manage/server/reboot", { token });
      simulator.sim().setFault(null);
      expect(res.status).toBe(500);
      expect(res.json.message).toMatch(/^Server-Aktion fehlgeschlagen: /);
      expect(res.json.message).toMatch(f.text);
      expect(res.text).not.toMatch(/test-token|stack|at \//);
      const [log] = await latestLog(acme, "server.reboot");
      expect(log.level).toBe("error");
      expect(log.actorName).toBe("Thomas Becker");
      expect(log.description).toMatch(/^Server-Neustart fehlgeschlagen: /);
      // The stored status is untouched.
      const [row] = await database.db().select().from(servers).where(eq(servers.instanceId, acme));
      expect(row.status).toBe("online");
    });
  }

  it("a single 409 conflict is retried: the user sees the reboot start, not a failure", async () => {
    const token = await loginAs("admin@firma.de");
    simulator.sim().setFault({ type: "conflict", times: 1 });
    const res = await call(reboot, "POST", "/api/manage/server/reboot", { token });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ message: "Server Neustart wurde ausgelöst", action: "reboot" });
    await finishRunningActions();
    expect((await poll(token)).action).toMatchObject({ action: "reboot", status: "success" });
  });

  it("403 for a suspended instance", async () => {
    const token = await loginAs("info@nordlicht-design.de");
    for (const [handler, action] of [[reboot, "reboot"], [powerOff, "power-off"], [powerOn, "power-on"], [refreshStatus, "refresh-status"]] as const) {
      const res = await call(handler, "POST", `/api/manage/server/${action}`, { token });
      expect(res.status).toBe(403);
      expect(res.json.message).toMatch(/gesperrt/);
    }
    expect((await call(serverView, "GET", "/api/manage/server", { token })).status).toBe(403);
  });

  it("403 for a read-only user; the view says so", async () => {
    const acme = await instanceId("acme");
    const db = database.db();
    const [viewer] = await db
      .insert(users)
      .values({ email: "leser@firma.de", name: "Lea Leser", instanceId: acme, passwordHash: await hashPassword(DEMO_PASSWORD) })
      .returning();
    await db.insert(userRoles).values({ userId: viewer.id, roleKey: "customer_viewer" });
    const token = await loginAs("leser@firma.de");
    const res = await call(reboot, "POST", "/api/manage/server/reboot", { token });
    expect(res.status).toBe(403);
    const view = await call(serverView, "GET", "/api/manage/server", { token });
    expect(view.status).toBe(200);
    expect(view.json.can_control).toBe(false);
  });

  it("401 without a session", async () => {
    expect((await call(reboot, "POST", "/api/manage/server/reboot")).status).toBe(401);
  });
});

describe("service contract (used by the v1 hosts resource)", () => {
  it("performServerAction and getServerView work without HTTP", async () => {
    const acme = await instanceId("acme");
    const result = await performServerAction(systemActor("serverSync"), { instanceId: acme, action: "refresh-status" });
    expect(result).toEqual({ message: "Server-Status wurde aktualisiert", action: "refresh-status" });
    const view = await getServerView(acme);
    expect(view.server?.hetzner_server_id).toBe(1001);
    const logs = await database
      .db()
      .select()
      .from(activityLog)
      .where(and(eq(activityLog.instanceId, acme), like(activityLog.actorName, "System (Server-Abgleich)")));
    expect(logs).toHaveLength(1);
    expect(logs[0]).toMatchObject({ action: "server.refresh_status", actorType: "system", userId: null, ip: null });
  });
});

describe("an action never stays open because reading the server fails", () => {
  it("a finished power on closes although the server cannot be read; the next action is possible", async () => {
    const token = await loginAs("it@bergmann-logistik.de");
    expect((await call(powerOn, "POST", "/api/manage/server/power-on", { token })).status).toBe(200);
    simulator.sim().setFault({ type: "invalid_response", match: { method: "GET", path: "/servers/1002" } });
    await finishRunningActions();
    const done = await poll(token);
    simulator.sim().setFault(null);
    expect(done.action).toMatchObject({ action: "power-on", status: "success" });
    expect(done.action.message).toBe("Die Aktion ist abgeschlossen; der neue Server-Status konnte noch nicht abgefragt werden.");
    expect(done.action_running).toBe(false);
    const next = await call(powerOff, "POST", "/api/manage/server/power-off", { token });
    expect(next.status).toBe(200);
    await finishRunningActions();
    expect((await poll(token)).action).toMatchObject({ action: "power-off", status: "success" });
  });

  it("a reboot whose server answers in a shape that cannot be read ends with the reason at once", async () => {
    const token = await loginAs("admin@firma.de");
    expect((await call(reboot, "POST", "/api/manage/server/reboot", { token })).status).toBe(200);
    simulator.sim().setFault({ type: "invalid_response", match: { method: "GET", path: "/servers/1001" } });
    await finishRunningActions();
    const failed = await poll(token);
    simulator.sim().setFault(null);
    expect(failed.action).toMatchObject({ action: "reboot", status: "error" });
    expect(failed.action.message).toBe(
      "Das Neustart-Signal wurde gesendet, aber der Server-Status konnte nicht abgefragt werden: Hetzner hat eine unerwartete Antwort geliefert.",
    );
    expect((await call(reboot, "POST", "/api/manage/server/reboot", { token })).status).toBe(200);
    await finishRunningActions();
    expect((await poll(token)).action).toMatchObject({ action: "reboot", status: "success" });
  });

  it("an outage while waiting keeps the action open with a note, and closes it after the grace period", async () => {
    const token = await loginAs("admin@firma.de");
    const acme = await instanceId("acme");
    expect((await call(reboot, "POST", "/api/manage/server/reboot", { token })).status).toBe(200);
    simulator.sim().setFault({ type: "server_error", status: 503, match: { method: "GET", path: "/servers/1001" } });
    await finishRunningActions();
    const waiting = await poll(token);
    expect(waiting.action_running).toBe(true);
    expect(waiting.sync_error).toMatch(/vorübergehend nicht erreichbar/);

    await database.db().update(serverActions).set({ startedAt: new Date(Date.now() - 60 * 60_000) }).where(eq(serverActions.instanceId, acme));
    const [row] = await database.db().select().from(serverActions).where(eq(serverActions.instanceId, acme)).orderBy(desc(serverActions.id));
    await database.db().update(serverActions).set({ startedAt: new Date(Date.now() - 10 * 60_000) }).where(eq(serverActions.id, row.id));
    const closed = await poll(token);
    simulator.sim().setFault(null);
    expect(closed.action).toMatchObject({ status: "error" });
    expect(closed.action.message).toMatch(/^Das Neustart-Signal wurde gesendet, aber der Server-Status konnte nicht abgefragt werden: .*vorübergehend nicht erreichbar/);
    expect(closed.action_running).toBe(false);
  });
});

describe("finalizing across processes", () => {
  it("parallel pollers finalize an action exactly once", async () => {
    const token = await loginAs("admin@firma.de");
    const acme = await instanceId("acme");
    expect((await call(reboot, "POST", "/api/manage/server/reboot", { token })).status).toBe(200);
    await finishRunningActions();
    await database.db().update(serverActions).set({ polledAt: null });
    const views = await Promise.all(Array.from({ length: 6 }, () => getServerView(acme)));
    // Whoever did not win the poll claim still answers from the database.
    expect(views.every((v) => v.server?.hetzner_server_id === 1001)).toBe(true);
    const final = await poll(token);
    expect(final.action).toMatchObject({ action: "reboot", status: "success" });
    const [row] = await database.db().select().from(serverActions).where(eq(serverActions.instanceId, acme)).orderBy(desc(serverActions.id));
    const finished = (await latestLog(acme, "server.reboot")).filter(
      (l) => l.metadata?.outcome === "success" && l.metadata?.hetzner_action_id === row.hetznerActionId,
    );
    expect(finished).toHaveLength(1);
  });
});
