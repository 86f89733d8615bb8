import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as listInstances, POST as createInstance } from "@/app/api/manage/admin/instances/route";
import { GET as getInstance, PATCH as patchInstance } from "@/app/api/manage/admin/instances/[id]/route";
import { DELETE as unlinkServer, PUT as linkServer } from "@/app/api/manage/admin/instances/[id]/server/route";
import { POST as suspend } from "@/app/api/manage/admin/instances/[id]/suspend/route";
import { POST as reactivate } from "@/app/api/manage/admin/instances/[id]/reactivate/route";
import { GET as instanceActivity } from "@/app/api/manage/admin/instances/[id]/activity-log/route";
import { GET as dashboard } from "@/app/api/manage/admin/dashboard/route";
import { GET as tiers } from "@/app/api/manage/admin/tiers/route";
import { PATCH as patchTier } from "@/app/api/manage/admin/tiers/[key]/route";
import { GET as status } from "@/app/api/manage/status/route";
import { GET as activity } from "@/app/api/manage/activity-log/route";
import { GET as me } from "@/app/api/manage/auth/me/route";
import { instances, invoicePayments, invoices, servers } from "@/db/schema";
import { DEMO_SERVERS } from "@/lib/hetzner/simulator";
import { useTestDatabase } from "../helpers/db";
import { useHetznerSimulator } from "../helpers/hetzner";
import { call } from "../helpers/http";
import { CUSTOMER, loginAs, STAFF, SUPPORT } from "./helpers";

const database = useTestDatabase();

// Linking looks the server up at Hetzner: the simulator knows the demo servers plus 4711 and 2002.
useHetznerSimulator({
  servers: [
    ...DEMO_SERVERS,
    { id: 4711, name: "kanzlei-schmidt", status: "running", ipv4: "78.46.1.2", serverType: "cx22", location: "nbg1" },
    { id: 2002, name: "bergmann-neu", status: "off", ipv4: "78.46.3.4", serverType: "cx32", location: "fsn1" },
  ],
});

async function instanceId(name: string) {
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, name));
  return row.id;
}

async function lastLog(token: string, id: number) {
  const res = await call(instanceActivity, "GET", `/api/manage/admin/instances/${id}/activity-log?per_page=1`, { token, params: { id: String(id) } });
  expect(res.status).toBe(200);
  return res.json.logs[0];
}

describe("permissions of the staff API", () => {
  it("answers 401 without a session and 403 with a German message to a customer admin, on every endpoint", async () => {
    const customer = await loginAs(CUSTOMER);
    const id = String(await instanceId("acme"));
    const cases: [Parameters<typeof call>[0], string, string, unknown?][] = [
      [listInstances, "GET", "/api/manage/admin/instances"],
      [createInstance, "POST", "/api/manage/admin/instances", { name: "neu", company_name: "Neu GmbH", pricing_tier: "starter" }],
      [getInstance, "GET", `/api/manage/admin/instances/${id}`],
      [patchInstance, "PATCH", `/api/manage/admin/instances/${id}`, { pricing_tier: "starter" }],
      [linkServer, "PUT", `/api/manage/admin/instances/${id}/server`, { hetzner_server_id: 5 }],
      [unlinkServer, "DELETE", `/api/manage/admin/instances/${id}/server`],
      [suspend, "POST", `/api/manage/admin/instances/${id}/suspend`, { reason: "Test" }],
      [reactivate, "POST", `/api/manage/admin/instances/${id}/reactivate`, {}],
      [instanceActivity, "GET", `/api/manage/admin/instances/${id}/activity-log`],
      [dashboard, "GET", "/api/manage/admin/dashboard"],
      [tiers, "GET", "/api/manage/admin/tiers"],
      [patchTier, "PATCH", "/api/manage/admin/tiers/starter", { monthly_price: 1 }],
    ];
    for (const [handler, method, path, body] of cases) {
      const params = { id, key: "starter" };
      const anonymous = await call(handler, method, path, { body, params });
      expect(anonymous.status, `${method} ${path}`).toBe(401);
      const denied = await call(handler, method, path, { body, params, token: customer });
      expect(denied.status, `${method} ${path}`).toBe(403);
      expect(denied.json.message).toBe("Kein Zugriff: Dieser Bereich ist MSP-Mitarbeitern vorbehalten.");
    }
    // Nothing changed.
    const [acme] = await database.db().select().from(instances).where(eq(instances.name, "acme"));
    expect(acme.suspended).toBe(false);
    expect(acme.pricingTier).toBe("standard");
  });

  it("lets MSP support read but not change (403 naming the missing permission)", async () => {
    const support = await loginAs(SUPPORT);
    const id = String(await instanceId("acme"));
    expect((await call(listInstances, "GET", "/api/manage/admin/instances", { token: support })).status).toBe(200);
    expect((await call(getInstance, "GET", `/api/manage/admin/instances/${id}`, { token: support, params: { id } })).status).toBe(200);
    const denied = await call(suspend, "POST", `/api/manage/admin/instances/${id}/suspend`, { token: support, params: { id }, body: { reason: "Test" } });
    expect(denied.status).toBe(403);
    expect(denied.json).toMatchObject({ message: "Dafür fehlt Ihnen die Berechtigung.", missing: "tenant.manage" });
    const create = await call(createInstance, "POST", "/api/manage/admin/instances", {
      token: support,
      body: { name: "neu", company_name: "Neu GmbH", pricing_tier: "starter" },
    });
    expect(create.status).toBe(403);
    const tier = await call(patchTier, "PATCH", "/api/manage/admin/tiers/starter", { token: support, params: { key: "starter" }, body: { monthly_price: 1 } });
    expect(tier.status).toBe(403);
  });
});

describe("instance list", () => {
  it("lists all instances with server state, billing state and open invoice amount", async () => {
    const token = await loginAs(STAFF);
    const res = await call(listInstances, "GET", "/api/manage/admin/instances", { token });
    expect(res.status).toBe(200);
    expect(res.json.instances.map((i: { name: string }) => i.name)).toEqual(["acme", "bergmann", "nordlicht"]);
    const nordlicht = res.json.instances[2];
    expect(nordlicht).toMatchObject({
      status: "suspended",
      status_label: "Gesperrt",
      suspended_reason: "Offene Rechnungen seit über 30 Tagen",
      server: { hetzner_server_id: 1003, status: "online", health_status: "healthy" },
      billing: { status: "past_due", status_label: "Zahlung überfällig" },
    });
    expect(typeof nordlicht.billing.open_amount).toBe("number");
    expect(res.json.meta).toMatchObject({ current_page: 1, total: 3 });
  });

  it("computes the open amount from issued, unpaid invoices", async () => {
    const token = await loginAs(STAFF);
    const id = await instanceId("bergmann");
    const before = await call(getInstance, "GET", `/api/manage/admin/instances/${id}`, { token, params: { id: String(id) } });
    const base = before.json.instance.billing.open_amount as number;
    const [inv] = await database
      .db()
      .insert(invoices)
      .values({
        instanceId: id,
        title: "Test",
        invoiceNumber: "RE-TEST-0001",
        invoiceDate: "2026-01-01",
        dueDate: "2026-01-15",
        servicePeriodStart: "2026-01-01",
        servicePeriodEnd: "2026-01-31",
        recipient: { company_name: "Bergmann" } as never,
        grossCents: 10_000,
        netCents: 8403,
        vatCents: 1597,
        issuedAt: new Date(),
      })
      .returning();
    await database.db().insert(invoicePayments).values({ invoiceId: inv.id, paymentDate: "2026-01-10", amountCents: 2500, method: "bank_transfer" });
    const after = await call(getInstance, "GET", `/api/manage/admin/instances/${id}`, { token, params: { id: String(id) } });
    expect(after.json.instance.billing.open_amount).toBeCloseTo(base + 75, 2);
    expect(after.json.instance.billing.overdue_count).toBeGreaterThanOrEqual(1);
    const dash = await call(dashboard, "GET", "/api/manage/admin/dashboard", { token });
    expect(dash.json.invoices.overdue.some((o: { instance_name: string }) => o.instance_name === "bergmann")).toBe(true);
  });

  it("searches and filters by status, billing status and tier", async () => {
    const token = await loginAs(STAFF);
    const q = async (query: string) => {
      const res = await call(listInstances, "GET", `/api/manage/admin/instances?${query}`, { token });
      expect(res.status, query).toBe(200);
      return res.json.instances.map((i: { name: string }) => i.name);
    };
    expect(await q("search=logistik")).toEqual(["bergmann"]);
    expect(await q("search=ACME")).toEqual(["acme"]);
    expect(await q("search=%25")).toEqual([]);
    expect(await q("status=suspended")).toEqual(["nordlicht"]);
    expect(await q("status=online")).toEqual(["acme"]);
    expect(await q("status=offline")).toEqual(["bergmann"]);
    expect(await q("billing_status=past_due")).toEqual(["nordlicht"]);
    expect(await q("pricing_tier=professional")).toEqual(["bergmann"]);
    expect(await q("per_page=1&page=2")).toEqual(["bergmann"]);
    const bad = await call(listInstances, "GET", "/api/manage/admin/instances?status=kaputt&per_page=0", { token });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.errors).sort()).toEqual(["per_page", "status"]);
  });

  it("answers 404 for unknown or malformed instance ids", async () => {
    const token = await loginAs(STAFF);
    for (const id of ["999999", "abc", "1.5", "-1", "99999999999999"]) {
      const res = await call(getInstance, "GET", `/api/manage/admin/instances/${id}`, { token, params: { id } });
      expect(res.status, id).toBe(404);
      expect(res.json.message).toBe("Instanz nicht gefunden.");
    }
  });
});

describe("creating an instance", () => {
  it("creates it with default domains, billing and server, logged with the staff member's name", async () => {
    const token = await loginAs(STAFF);
    const res = await call(createInstance, "POST", "/api/manage/admin/instances", {
      token,
      body: { name: " Kanzlei-Schmidt ", company_name: "Kanzlei Schmidt", pricing_tier: "starter", hetzner_server_id: 4711 },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(201);
    expect(res.json.instance).toMatchObject({
      name: "kanzlei-schmidt",
      company_name: "Kanzlei Schmidt",
      status: "provisioning",
      pricing_tier: "starter",
      portal_domain: "kanzlei-schmidt.portal.myit.center",
      meshcentral_domain: "kanzlei-schmidt.remote.myit.center",
      server: { hetzner_server_id: 4711, ipv4: "78.46.1.2", status: "online" },
      billing: { status: "trial" },
    });
    const log = await lastLog(token, res.json.instance.id);
    expect(log).toMatchObject({ action: "instance.created", actor: "Sabine Krüger" });
    expect(log.description).toContain("Kanzlei");
  });

  it("refuses a duplicate name, DNS-unsafe names, unknown tiers and taken servers with 422 per field", async () => {
    const token = await loginAs(STAFF);
    const post = (body: unknown) => call(createInstance, "POST", "/api/manage/admin/instances", { token, body });
    const dup = await post({ name: "acme", company_name: "Noch eine Acme", pricing_tier: "starter" });
    expect(dup.status).toBe(422);
    expect(dup.json.errors.name).toEqual(["Dieser Instanzname ist bereits vergeben."]);
    for (const name of ["-acme", "acme-", "a", "mit leerzeichen", "umläut", "a.b", "x".repeat(41), "www", "a--b"]) {
      const bad = await post({ name, company_name: "Firma", pricing_tier: "starter" });
      expect(bad.status, name).toBe(422);
      expect(bad.json.errors.name, name).toHaveLength(1);
    }
    const tier = await post({ name: "tier-test", company_name: "Firma", pricing_tier: "gold" });
    expect(tier.status).toBe(422);
    expect(tier.json.errors.pricing_tier).toEqual(["Diesen Tarif gibt es nicht."]);
    const server = await post({ name: "server-test", company_name: "Firma", pricing_tier: "starter", hetzner_server_id: 1001 });
    expect(server.status).toBe(422);
    expect(server.json.errors.hetzner_server_id[0]).toContain("acme");
    const missing = await post({});
    expect(missing.status).toBe(422);
    expect(Object.keys(missing.json.errors).sort()).toEqual(["company_name", "name", "pricing_tier"]);
    const types = await post({ name: 5, company_name: "Firma", pricing_tier: "starter", hetzner_server_id: "x" });
    expect(types.status).toBe(422);
    const count = await database.db().select().from(instances);
    expect(count.map((i) => i.name).sort()).not.toContain("tier-test");
  });

  it("of two concurrent creations with the same name exactly one succeeds", async () => {
    const token = await loginAs(STAFF);
    const body = { name: "parallel", company_name: "Parallel GmbH", pricing_tier: "starter" };
    const results = await Promise.all([
      call(createInstance, "POST", "/api/manage/admin/instances", { token, body }),
      call(createInstance, "POST", "/api/manage/admin/instances", { token, body }),
      call(createInstance, "POST", "/api/manage/admin/instances", { token, body }),
    ]);
    expect(results.map((r) => r.status).sort()).toEqual([201, 422, 422]);
    const rows = await database.db().select().from(instances).where(eq(instances.name, "parallel"));
    expect(rows).toHaveLength(1);
  });
});

describe("editing an instance", () => {
  it("changes tier and limits, reflected in the customer's /status, and logs it", async () => {
    const staff = await loginAs(STAFF);
    const customer = await loginAs(CUSTOMER);
    const id = await instanceId("acme");
    const res = await call(patchInstance, "PATCH", `/api/manage/admin/instances/${id}`, {
      token: staff,
      params: { id: String(id) },
      body: { pricing_tier: "professional", max_devices: 2000 },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.instance.limits).toMatchObject({ max_customers: 150, max_devices: 2000, max_devices_override: 2000 });
    const s = await call(status, "GET", "/api/manage/status", { token: customer });
    expect(s.json.billing).toMatchObject({ pricing_tier: "professional", pricing_tier_label: "Professional", monthly_price: "99,00 €" });
    expect(s.json.limits).toEqual({ max_customers: 150, max_devices: 2000 });
    const log = await lastLog(staff, id);
    expect(log).toMatchObject({ action: "instance.updated", actor: "Sabine Krüger" });
    expect(log.description).toContain("Tarif: Standard → Professional");
    // null resets to the tier's limit
    const back = await call(patchInstance, "PATCH", `/api/manage/admin/instances/${id}`, {
      token: staff,
      params: { id: String(id) },
      body: { max_devices: null },
    });
    expect(back.json.instance.limits.max_devices).toBe(1500);
  });

  it("refuses empty and invalid edits with 422", async () => {
    const staff = await loginAs(STAFF);
    const id = String(await instanceId("acme"));
    const empty = await call(patchInstance, "PATCH", `/api/manage/admin/instances/${id}`, { token: staff, params: { id }, body: {} });
    expect(empty.status).toBe(422);
    const bad = await call(patchInstance, "PATCH", `/api/manage/admin/instances/${id}`, {
      token: staff,
      params: { id },
      body: { max_customers: -1, pricing_tier: "gold" },
    });
    expect(bad.status).toBe(422);
    expect(bad.json.errors.max_customers).toBeDefined();
    const tier = await call(patchInstance, "PATCH", `/api/manage/admin/instances/${id}`, { token: staff, params: { id }, body: { pricing_tier: "gold" } });
    expect(tier.status).toBe(422);
    expect(tier.json.errors.pricing_tier).toEqual(["Diesen Tarif gibt es nicht."]);
    const malformed = await call(patchInstance, "PATCH", `/api/manage/admin/instances/${id}`, {
      token: staff,
      params: { id },
      rawBody: "{kaputt",
      headers: { "content-type": "application/json" },
    });
    expect(malformed.status).toBe(400);
  });

  it("links and unlinks a Hetzner server; a server belongs to one instance only", async () => {
    const staff = await loginAs(STAFF);
    const customer = await loginAs("it@bergmann-logistik.de");
    const id = await instanceId("bergmann");
    const params = { id: String(id) };
    const taken = await call(linkServer, "PUT", `/api/manage/admin/instances/${id}/server`, { token: staff, params, body: { hetzner_server_id: 1001 } });
    expect(taken.status).toBe(422);
    const unlink = await call(unlinkServer, "DELETE", `/api/manage/admin/instances/${id}/server`, { token: staff, params });
    expect(unlink.status).toBe(200);
    expect(unlink.json.instance.server).toMatchObject({ hetzner_server_id: null, status: "none" });
    expect((await call(status, "GET", "/api/manage/status", { token: customer })).json.server.status).toBe("none");
    expect((await lastLog(staff, id)).action).toBe("server.unlinked");
    const again = await call(unlinkServer, "DELETE", `/api/manage/admin/instances/${id}/server`, { token: staff, params });
    expect(again.status).toBe(409);
    const link = await call(linkServer, "PUT", `/api/manage/admin/instances/${id}/server`, { token: staff, params, body: { hetzner_server_id: 2002 } });
    expect(link.status).toBe(200);
    expect(link.json.instance.server.hetzner_server_id).toBe(2002);
    const [row] = await database.db().select().from(servers).where(eq(servers.instanceId, id));
    expect(row).toMatchObject({ hetznerServerId: 2002, ipv4: "78.46.3.4", serverType: "cx32", datacenter: "fsn1", status: "off" });
    expect(await lastLog(staff, id)).toMatchObject({ action: "server.linked", actor: "Sabine Krüger", description: "Hetzner-Server 2002 verknüpft" });
    const bad = await call(linkServer, "PUT", `/api/manage/admin/instances/${id}/server`, { token: staff, params, body: { hetzner_server_id: "abc" } });
    expect(bad.status).toBe(422);
    const unknown = await call(linkServer, "PUT", `/api/manage/admin/instances/${id}/server`, { token: staff, params, body: { hetzner_server_id: 999999 } });
    expect(unknown.status).toBe(422);
    expect(unknown.json.errors.hetzner_server_id[0]).toBe("Bei Hetzner gibt es keinen Server mit der ID 999999.");
    const [kept] = await database.db().select().from(servers).where(eq(servers.instanceId, id));
    expect(kept.hetznerServerId).toBe(2002);
  });
});

describe("suspension", () => {
  it("suspends at once for existing customer sessions (only /auth/* and /status) and reactivates", async () => {
    const staff = await loginAs(STAFF);
    const customer = await loginAs(CUSTOMER);
    const id = await instanceId("acme");
    const params = { id: String(id) };
    expect((await call(activity, "GET", "/api/manage/activity-log", { token: customer })).status).toBe(200);

    const noReason = await call(suspend, "POST", `/api/manage/admin/instances/${id}/suspend`, { token: staff, params, body: {} });
    expect(noReason.status).toBe(422);
    expect(noReason.json.errors.reason).toBeDefined();

    const res = await call(suspend, "POST", `/api/manage/admin/instances/${id}/suspend`, {
      token: staff,
      params,
      body: { reason: "Zahlungsverzug" },
    });
    expect(res.status).toBe(200);
    expect(res.json.instance).toMatchObject({ status: "suspended", suspended: true, suspended_reason: "Zahlungsverzug" });

    const blocked = await call(activity, "GET", "/api/manage/activity-log", { token: customer });
    expect(blocked.status).toBe(403);
    expect(blocked.json.message).toContain("Zahlungsverzug");
    const st = await call(status, "GET", "/api/manage/status", { token: customer });
    expect(st.status).toBe(200);
    expect(st.json.instance).toMatchObject({ status: "suspended", suspended_reason: "Zahlungsverzug" });
    expect((await call(me, "GET", "/api/manage/auth/me", { token: customer })).status).toBe(200);

    const twice = await call(suspend, "POST", `/api/manage/admin/instances/${id}/suspend`, { token: staff, params, body: { reason: "Nochmal" } });
    expect(twice.status).toBe(409);

    const log = await lastLog(staff, id);
    expect(log).toMatchObject({ action: "instance.suspended", level: "warning", actor: "Sabine Krüger" });
    expect(log.description).toBe("Instanz gesperrt. Grund: Zahlungsverzug");

    const back = await call(reactivate, "POST", `/api/manage/admin/instances/${id}/reactivate`, { token: staff, params, body: { reason: "bezahlt" } });
    expect(back.status).toBe(200);
    expect(back.json.instance.suspended).toBe(false);
    expect((await call(activity, "GET", "/api/manage/activity-log", { token: customer })).status).toBe(200);
    expect(await lastLog(staff, id)).toMatchObject({ action: "instance.reactivated", actor: "Sabine Krüger", description: "Sperre aufgehoben. Notiz: bezahlt" });
    const notSuspended = await call(reactivate, "POST", `/api/manage/admin/instances/${id}/reactivate`, { token: staff, params });
    expect(notSuspended.status).toBe(409);
  });
});

describe("pricing tiers", () => {
  it("edits label and limits, reflected in /status of every instance on the tier; a new price needs a date", async () => {
    const staff = await loginAs(STAFF);
    const customer = await loginAs("it@bergmann-logistik.de");
    const list = await call(tiers, "GET", "/api/manage/admin/tiers", { token: staff });
    expect(list.json.tiers.map((t: { key: string }) => t.key)).toEqual(["starter", "standard", "professional"]);
    const id = await instanceId("bergmann");
    const logBefore = await lastLog(staff, id);
    const res = await call(patchTier, "PATCH", "/api/manage/admin/tiers/professional", {
      token: staff,
      params: { key: "professional" },
      body: { label: "Profi", monthly_price: 99, max_customers: 200, max_devices: 2500 },
    });
    expect(res.status, JSON.stringify(res.json)).toBe(200);
    expect(res.json.tier).toMatchObject({ label: "Profi", monthly_price: 99, monthly_price_label: "99,00 €", max_customers: 200 });
    const s = await call(status, "GET", "/api/manage/status", { token: customer });
    expect(s.json.billing).toMatchObject({ pricing_tier_label: "Profi", monthly_price: "99,00 €" });
    expect(s.json.limits).toEqual({ max_customers: 200, max_devices: 2500 });
    // a staff-level entry only: the customer's log does not list tier edits
    expect(await lastLog(staff, id)).toEqual(logBefore);
    const priced = await call(patchTier, "PATCH", "/api/manage/admin/tiers/professional", { token: staff, params: { key: "professional" }, body: { monthly_price: 119.5 } });
    expect(priced.status).toBe(422);
    expect(Object.keys(priced.json.errors)).toEqual(["monthly_price"]);

    const bad = await call(patchTier, "PATCH", "/api/manage/admin/tiers/professional", {
      token: staff,
      params: { key: "professional" },
      body: { monthly_price: 1.234, max_devices: -5, label: "" },
    });
    expect(bad.status).toBe(422);
    expect(Object.keys(bad.json.errors).sort()).toEqual(["label", "max_devices", "monthly_price"]);
    const unknown = await call(patchTier, "PATCH", "/api/manage/admin/tiers/gold", { token: staff, params: { key: "gold" }, body: { monthly_price: 1 } });
    expect(unknown.status).toBe(404);
  });
});

describe("staff dashboard", () => {
  it("shows instances by status, unhealthy servers and recent activity across tenants", async () => {
    const staff = await loginAs(STAFF);
    // bergmann's server (relinked above) is off on purpose, which is no problem; make it fail its probes.
    await database.db().update(servers).set({ status: "online", healthStatus: "unhealthy" }).where(eq(servers.instanceId, await instanceId("bergmann")));
    const res = await call(dashboard, "GET", "/api/manage/admin/dashboard", { token: staff });
    expect(res.status).toBe(200);
    expect(res.json.instances.total).toBeGreaterThanOrEqual(3);
    const suspended = res.json.instances.by_status.find((s: { status: string }) => s.status === "suspended");
    expect(suspended.count).toBeGreaterThanOrEqual(1);
    expect(res.json.servers_not_healthy.map((s: { instance_name: string }) => s.instance_name)).toContain("bergmann");
    expect(res.json.recent_activity.length).toBeGreaterThan(0);
    const names = new Set(res.json.recent_activity.map((a: { instance_name: string }) => a.instance_name));
    expect(names.size).toBeGreaterThan(1);
  });
});
