import { eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { GET as activityRoute } from "@/app/api/v1/activity/route";
import { GET as listKeys, POST as createKey } from "@/app/api/v1/auth/api-keys/route";
import { DELETE as revokeKey } from "@/app/api/v1/auth/api-keys/[id]/route";
import { POST as hostActionRoute } from "@/app/api/v1/hosts/[id]/[action]/route";
import { DELETE as deleteHost, GET as getHostRoute } from "@/app/api/v1/hosts/[id]/route";
import { GET as hostsRoute } from "@/app/api/v1/hosts/route";
import { GET as invoicesRoute } from "@/app/api/v1/invoices/route";
import { GET as invoiceRoute } from "@/app/api/v1/invoices/[id]/route";
import { GET as tenantRoute } from "@/app/api/v1/tenants/[id]/route";
import { POST as suspendRoute } from "@/app/api/v1/tenants/[id]/suspend/route";
import { POST as unsuspendRoute } from "@/app/api/v1/tenants/[id]/unsuspend/route";
import { GET as tenantsRoute } from "@/app/api/v1/tenants/route";
import { activityLog, apiKeys, instances, rateLimits, servers, userRoles, users } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { hashPassword } from "@/lib/auth/passwords";
import { hashToken } from "@/lib/crypto/tokens";
import { DEMO_SERVERS } from "@/lib/hetzner/simulator";
import { useTestDatabase } from "../helpers/db";
import { useHetznerSimulator } from "../helpers/hetzner";
import { call } from "../helpers/http";
import { v1Login } from "./helpers";

const database = useTestDatabase();
const simulator = useHetznerSimulator({ servers: [...DEMO_SERVERS], actionDurationMs: 50 });

async function tenantUuid(name: string) {
  const [row] = await database.db().select().from(instances).where(eq(instances.name, name));
  return row.uuid;
}

async function createViewer(email: string, instanceName: string) {
  const [inst] = await database.db().select().from(instances).where(eq(instances.name, instanceName));
  const [user] = await database.db()
    .insert(users)
    .values({ email, name: "Lena Leser", instanceId: inst.id, passwordHash: await hashPassword(DEMO_PASSWORD) })
    .onConflictDoNothing()
    .returning();
  if (user) await database.db().insert(userRoles).values({ userId: user.id, roleKey: "customer_viewer" });
}

async function createPat(token: string, scope: "read" | "read_write", name = "skript") {
  const res = await call(createKey, "POST", "/api/v1/auth/api-keys", { token, body: { name, scope, expires_at: "2099-01-01T00:00:00Z" } });
  expect(res.status).toBe(201);
  return res.json as { id: string; token: string; prefix: string };
}

describe("hosts", () => {
  it("lists only the caller's own hosts", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const res = await call(hostsRoute, "GET", "/api/v1/hosts", { token: access_token });
    expect(res.status).toBe(200);
    expect(res.json.hosts).toHaveLength(1);
    expect(res.json.hosts[0]).toMatchObject({ id: 1001, tenant_name: "acme", ipv4: "49.12.34.56" });
  });

  it("gets a host and triggers a power action through the server-control service", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const one = await call(getHostRoute, "GET", "/api/v1/hosts/1001", { token: access_token, params: { id: "1001" } });
    expect(one.status).toBe(200);
    expect(one.json.host.id).toBe(1001);
    const action = await call(hostActionRoute, "POST", "/api/v1/hosts/1001/refresh-status", { token: access_token, params: { id: "1001", action: "refresh-status" } });
    expect(action.status).toBe(200);
    expect(action.json.action).toBe("refresh-status");
    const unknown = await call(hostActionRoute, "POST", "/api/v1/hosts/1001/explode", { token: access_token, params: { id: "1001", action: "explode" } });
    expect(unknown.status).toBe(404);
  });

  it("answers another tenant's host with 404 and no data", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const res = await call(getHostRoute, "GET", "/api/v1/hosts/1002", { token: access_token, params: { id: "1002" } });
    expect(res.status).toBe(404);
    expect(JSON.stringify(res.json)).not.toMatch(/bergmann|1002/);
    const power = await call(hostActionRoute, "POST", "/api/v1/hosts/1002/reboot", { token: access_token, params: { id: "1002", action: "reboot" } });
    expect(power.status).toBe(404);
  });

  it("refuses ?tenant_id of another tenant for a normal user with 403", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const other = await tenantUuid("bergmann");
    const res = await call(hostsRoute, "GET", `/api/v1/hosts?tenant_id=${other}`, { token: access_token });
    expect(res.status).toBe(403);
    expect(res.json.detail.error).toBe("tenant_forbidden");
    expect(JSON.stringify(res.json)).not.toContain("1002");
    const own = await call(hostsRoute, "GET", `/api/v1/hosts?tenant_id=${await tenantUuid("acme")}`, { token: access_token });
    expect(own.status).toBe(200);
  });

  it("denies delete without host.delete in the exact seed shape", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const res = await call(deleteHost, "DELETE", "/api/v1/hosts/1001", { token: access_token, params: { id: "1001" } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ detail: { error: "permission_denied", missing: "host.delete" } });
  });

  it("denies power actions to a viewer (host.power missing)", async () => {
    await createViewer("leser@firma.de", "acme");
    const { access_token } = await v1Login("leser@firma.de");
    expect((await call(hostsRoute, "GET", "/api/v1/hosts", { token: access_token })).status).toBe(200);
    const res = await call(hostActionRoute, "POST", "/api/v1/hosts/1001/reboot", { token: access_token, params: { id: "1001", action: "reboot" } });
    expect(res.status).toBe(403);
    expect(res.json).toEqual({ detail: { error: "permission_denied", missing: "host.power" } });
  });

  it("super-admin: all tenants without tenant_id, one tenant with it, and may unlink", async () => {
    const { access_token } = await v1Login("msp-admin@myit.center");
    const all = await call(hostsRoute, "GET", "/api/v1/hosts", { token: access_token });
    expect(all.status).toBe(200);
    expect(all.json.hosts.map((h: { id: number }) => h.id).sort()).toEqual([1001, 1002, 1003]);
    const bergmann = await tenantUuid("bergmann");
    const one = await call(hostsRoute, "GET", `/api/v1/hosts?tenant_id=${bergmann}`, { token: access_token });
    expect(one.json.hosts.map((h: { id: number }) => h.id)).toEqual([1002]);
    const wrongScope = await call(getHostRoute, "GET", `/api/v1/hosts/1001?tenant_id=${bergmann}`, { token: access_token, params: { id: "1001" } });
    expect(wrongScope.status).toBe(404);
    const unknownTenant = await call(hostsRoute, "GET", "/api/v1/hosts?tenant_id=00000000-0000-4000-8000-000000000000", { token: access_token });
    expect(unknownTenant.status).toBe(404);
    const badTenant = await call(hostsRoute, "GET", "/api/v1/hosts?tenant_id=kaputt", { token: access_token });
    expect(badTenant.status).toBe(422);

    const del = await call(deleteHost, "DELETE", `/api/v1/hosts/1003`, { token: access_token, params: { id: "1003" } });
    expect(del.status).toBe(200);
    const [row] = await database.db().select().from(servers).innerJoin(instances, eq(instances.id, servers.instanceId)).where(eq(instances.name, "nordlicht"));
    expect(row.servers.hetznerServerId).toBeNull();
    const gone = await call(getHostRoute, "GET", "/api/v1/hosts/1003", { token: access_token, params: { id: "1003" } });
    expect(gone.status).toBe(404);
    const logged = await database.db().select().from(activityLog).where(eq(activityLog.action, "server.unlinked"));
    expect(logged).toHaveLength(1);
  });
});

describe("personal access tokens", () => {
  it("are shown once, stored hashed with a recognisable prefix, listed without secrets", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const pat = await createPat(access_token, "read_write", "deploy-script");
    expect(pat.token).toMatch(/^mpat_[A-Za-z0-9_-]{40,}$/);
    expect(pat.token.startsWith(pat.prefix)).toBe(true);
    const [row] = await database.db().select().from(apiKeys).where(eq(apiKeys.id, pat.id));
    expect(row.tokenHash).toBe(hashToken(pat.token));
    const list = await call(listKeys, "GET", "/api/v1/auth/api-keys", { token: access_token });
    expect(list.status).toBe(200);
    const item = list.json.api_keys.find((k: { id: string }) => k.id === pat.id);
    expect(item).toMatchObject({ name: "deploy-script", scope: "read_write", prefix: pat.prefix, last_used_at: null, expires_at: "2099-01-01T00:00:00+00:00" });
    expect(JSON.stringify(list.json)).not.toContain(pat.token);
    expect(item.token).toBeUndefined();
  });

  it("carry the user's permissions and tenant; last use is recorded", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const pat = await createPat(access_token, "read_write");
    const hosts = await call(hostsRoute, "GET", "/api/v1/hosts", { token: pat.token });
    expect(hosts.status).toBe(200);
    expect(hosts.json.hosts.map((h: { id: number }) => h.id)).toEqual([1001]);
    const del = await call(deleteHost, "DELETE", "/api/v1/hosts/1001", { token: pat.token, params: { id: "1001" } });
    expect(del.json).toEqual({ detail: { error: "permission_denied", missing: "host.delete" } });
    const other = await call(hostsRoute, "GET", `/api/v1/hosts?tenant_id=${await tenantUuid("bergmann")}`, { token: pat.token });
    expect(other.status).toBe(403);
    const [row] = await database.db().select().from(apiKeys).where(eq(apiKeys.id, pat.id));
    expect(row.lastUsedAt).not.toBeNull();
  });

  it("read scope blocks every write with 403", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const pat = await createPat(access_token, "read");
    expect((await call(hostsRoute, "GET", "/api/v1/hosts", { token: pat.token })).status).toBe(200);
    const power = await call(hostActionRoute, "POST", "/api/v1/hosts/1001/reboot", { token: pat.token, params: { id: "1001", action: "reboot" } });
    expect(power.status).toBe(403);
    expect(power.json.detail.error).toBe("insufficient_scope");
    const create = await call(createKey, "POST", "/api/v1/auth/api-keys", { token: pat.token, body: { name: "x", scope: "read" } });
    expect(create.status).toBe(403);
    const revoke = await call(revokeKey, "DELETE", `/api/v1/auth/api-keys/${pat.id}`, { token: pat.token, params: { id: pat.id } });
    expect(revoke.status).toBe(403);
  });

  it("stop working when revoked or expired", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const pat = await createPat(access_token, "read");
    const revoke = await call(revokeKey, "DELETE", `/api/v1/auth/api-keys/${pat.id}`, { token: access_token, params: { id: pat.id } });
    expect(revoke.status).toBe(200);
    expect((await call(hostsRoute, "GET", "/api/v1/hosts", { token: pat.token })).status).toBe(401);
    const again = await call(revokeKey, "DELETE", `/api/v1/auth/api-keys/${pat.id}`, { token: access_token, params: { id: pat.id } });
    expect(again.status).toBe(404);

    const expiring = await createPat(access_token, "read");
    await database.db().update(apiKeys).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(apiKeys.id, expiring.id));
    expect((await call(hostsRoute, "GET", "/api/v1/hosts", { token: expiring.token })).status).toBe(401);
  });

  it("cannot revoke another user's key", async () => {
    const admin = await v1Login("admin@firma.de");
    const pat = await createPat(admin.access_token, "read");
    const other = await v1Login("it@bergmann-logistik.de");
    const res = await call(revokeKey, "DELETE", `/api/v1/auth/api-keys/${pat.id}`, { token: other.access_token, params: { id: pat.id } });
    expect(res.status).toBe(404);
  });

  it("validates name, scope and expiry with German 422 errors", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const res = await call(createKey, "POST", "/api/v1/auth/api-keys", { token: access_token, body: { name: "", scope: "admin", expires_at: "morgen" } });
    expect(res.status).toBe(422);
    expect(Object.keys(res.json.detail.errors).sort()).toEqual(["expires_at", "name", "scope"]);
    const past = await call(createKey, "POST", "/api/v1/auth/api-keys", { token: access_token, body: { name: "alt", scope: "read", expires_at: "2001-01-01T00:00:00Z" } });
    expect(past.status).toBe(422);
    expect(past.json.detail.errors.expires_at[0]).toMatch(/Zukunft/);
  });
});

describe("tenants (super-admin)", () => {
  it("lists and gets tenants; customers are denied", async () => {
    const staff = await v1Login("msp-admin@myit.center");
    const list = await call(tenantsRoute, "GET", "/api/v1/tenants", { token: staff.access_token });
    expect(list.status).toBe(200);
    expect(list.json.tenants.map((t: { name: string }) => t.name)).toEqual(["acme", "bergmann", "nordlicht"]);
    const id = await tenantUuid("acme");
    const one = await call(tenantRoute, "GET", `/api/v1/tenants/${id}`, { token: staff.access_token, params: { id } });
    expect(one.json.tenant).toMatchObject({ id, name: "acme", suspended: false });
    const customer = await v1Login("admin@firma.de");
    const denied = await call(tenantsRoute, "GET", "/api/v1/tenants", { token: customer.access_token });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ detail: { error: "permission_denied", missing: "tenant.read" } });
  });

  it("suspends and unsuspends with an activity log entry; the tenant's users are blocked meanwhile", async () => {
    const staff = await v1Login("msp-admin@myit.center");
    const customer = await v1Login("it@bergmann-logistik.de");
    const id = await tenantUuid("bergmann");
    const suspend = await call(suspendRoute, "POST", `/api/v1/tenants/${id}/suspend`, { token: staff.access_token, params: { id }, body: { reason: "Zahlungsrückstand" } });
    expect(suspend.status).toBe(200);
    expect(suspend.json.tenant).toMatchObject({ suspended: true, suspended_reason: "Zahlungsrückstand" });
    const blocked = await call(hostsRoute, "GET", "/api/v1/hosts", { token: customer.access_token });
    expect(blocked.status).toBe(403);
    expect(blocked.json.detail.error).toBe("tenant_suspended");
    const twice = await call(suspendRoute, "POST", `/api/v1/tenants/${id}/suspend`, { token: staff.access_token, params: { id }, body: { reason: "x" } });
    expect(twice.status).toBe(409);
    const noReason = await call(suspendRoute, "POST", `/api/v1/tenants/${id}/suspend`, { token: staff.access_token, params: { id }, body: {} });
    expect(noReason.status).toBe(422);
    const unsuspend = await call(unsuspendRoute, "POST", `/api/v1/tenants/${id}/unsuspend`, { token: staff.access_token, params: { id } });
    expect(unsuspend.status).toBe(200);
    expect((await call(hostsRoute, "GET", "/api/v1/hosts", { token: customer.access_token })).status).toBe(200);
    const [inst] = await database.db().select().from(instances).where(eq(instances.uuid, id));
    const logs = await database.db().select().from(activityLog).where(eq(activityLog.instanceId, inst.id));
    expect(logs.map((l) => l.action)).toEqual(expect.arrayContaining(["instance.suspended", "instance.reactivated"]));
    expect(logs.find((l) => l.action === "instance.suspended")).toMatchObject({ level: "warning", actorType: "staff", description: "Instanz gesperrt. Grund: Zahlungsrückstand" });
  });

  it("support staff may read tenants but not suspend them", async () => {
    const [admin] = await database.db().select().from(users).where(eq(users.email, "msp-admin@myit.center"));
    const [support] = await database.db()
      .insert(users)
      .values({ email: "support-v1@myit.center", name: "Sam Support", instanceId: null, passwordHash: admin.passwordHash })
      .returning();
    await database.db().insert(userRoles).values({ userId: support.id, roleKey: "msp_support" });
    const { access_token } = await v1Login("support-v1@myit.center");
    expect((await call(tenantsRoute, "GET", "/api/v1/tenants", { token: access_token })).status).toBe(200);
    const id = await tenantUuid("acme");
    const res = await call(suspendRoute, "POST", `/api/v1/tenants/${id}/suspend`, { token: access_token, params: { id }, body: { reason: "x" } });
    expect(res.json).toEqual({ detail: { error: "permission_denied", missing: "tenant.manage" } });
  });
});

describe("activity and invoices", () => {
  it("reads the own activity log; staff without tenant_id read every tenant's, with it one tenant's", async () => {
    const customer = await v1Login("admin@firma.de");
    const res = await call(activityRoute, "GET", "/api/v1/activity?per_page=5", { token: customer.access_token });
    expect(res.status).toBe(200);
    expect(res.json.logs.length).toBeGreaterThan(0);
    expect(res.json.meta.per_page).toBe(5);
    const staff = await v1Login("msp-admin@myit.center");
    const all = await call(activityRoute, "GET", "/api/v1/activity?per_page=100", { token: staff.access_token });
    expect(all.status).toBe(200);
    const withTenant = await call(activityRoute, "GET", `/api/v1/activity?tenant_id=${await tenantUuid("acme")}&per_page=100`, { token: staff.access_token });
    expect(withTenant.status).toBe(200);
    expect(all.json.meta.total).toBeGreaterThan(withTenant.json.meta.total);
  });

  it("reads the own invoices; staff without tenant_id get every tenant's, each naming its tenant", async () => {
    const customer = await v1Login("admin@firma.de");
    const res = await call(invoicesRoute, "GET", "/api/v1/invoices?per_page=100", { token: customer.access_token });
    expect(res.status).toBe(200);
    expect(Array.isArray(res.json.invoices)).toBe(true);
    const staff = await v1Login("msp-admin@myit.center");
    const all = await call(invoicesRoute, "GET", "/api/v1/invoices?per_page=100", { token: staff.access_token });
    expect(all.status).toBe(200);
    const tenants = new Set(all.json.invoices.map((i: { tenant_id: string }) => i.tenant_id));
    expect(tenants.has(await tenantUuid("acme"))).toBe(true);
    expect(tenants.size).toBeGreaterThan(1);
    const own = await call(invoicesRoute, "GET", `/api/v1/invoices?per_page=100&tenant_id=${await tenantUuid("acme")}`, { token: staff.access_token });
    expect(own.json.invoices.map((i: { id: number }) => i.id)).toEqual(res.json.invoices.map((i: { id: number }) => i.id));
    // a single invoice is found in whichever tenant it belongs to; for the customer another tenant's is 404
    const ownIds = new Set(res.json.invoices.map((i: { id: number }) => i.id));
    const foreign = all.json.invoices.find((i: { id: number }) => !ownIds.has(i.id));
    const id = String(foreign.id);
    expect((await call(invoiceRoute, "GET", `/api/v1/invoices/${id}`, { token: staff.access_token, params: { id } })).status).toBe(200);
    expect((await call(invoiceRoute, "GET", `/api/v1/invoices/${id}`, { token: customer.access_token, params: { id } })).status).toBe(404);
  });
});

describe("rate limits", () => {
  it("allows 600 requests per minute and user, then 429 with Retry-After", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const [user] = await database.db().select().from(users).where(eq(users.email, "admin@firma.de"));
    // Put the counter just below the limit instead of sending 600 requests.
    await database.db().delete(rateLimits).where(eq(rateLimits.key, `v1:user:${user.id}`));
    await database.db().insert(rateLimits).values({ key: `v1:user:${user.id}`, windowStart: new Date(), count: 599 });
    expect((await call(hostsRoute, "GET", "/api/v1/hosts", { token: access_token })).status).toBe(200);
    const res = await call(hostsRoute, "GET", "/api/v1/hosts", { token: access_token });
    expect(res.status).toBe(429);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(res.json.detail.error).toBe("rate_limited");
    await database.db().delete(rateLimits).where(eq(rateLimits.key, `v1:user:${user.id}`));
  });
});
