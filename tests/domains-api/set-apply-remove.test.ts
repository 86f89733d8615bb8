import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { GET as activityLog } from "@/app/api/manage/activity-log/route";
import { POST as apply } from "@/app/api/manage/domains/apply/route";
import { DELETE as removeMesh, PUT as putMesh } from "@/app/api/manage/domains/custom-meshcentral/route";
import { DELETE as removePortal, PUT as putPortal } from "@/app/api/manage/domains/custom-portal/route";
import { GET as getDomains } from "@/app/api/manage/domains/route";
import { GET as status } from "@/app/api/manage/status/route";
import { customDomains, instances } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { resetConfigForTests } from "@/lib/config";
import { call } from "../helpers/http";
import { createViewer, loginAs, useDomainTestEnv } from "./setup";

const { database, env } = useDomainTestEnv();
const PORTAL = "/api/manage/domains/custom-portal";
const MESH = "/api/manage/domains/custom-meshcentral";

async function acmeRows() {
  const db = database.db();
  const [acme] = await db.select().from(instances).where(eq(instances.name, "acme"));
  return db.select().from(customDomains).where(eq(customDomains.instanceId, acme!.id));
}
const lastApplied = (instance = "acme") => [...env.agent.applied].reverse().find((a) => a.instance === instance);
const portalUrlOfLogin = async () =>
  (await call(login, "POST", "/api/manage/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD }, ip: "192.0.2.77" }))
    .json.instance.portal_url as string;

describe("PUT /api/manage/domains/custom-portal", () => {
  it("refuses invalid names with 422 and saves nothing", async () => {
    const token = await loginAs("admin@firma.de");
    for (const domain of ["https://portal.acme.de", "portal..acme.de", "acme.portal.myit.center", "*.acme.de", "-x.acme.de"]) {
      const res = await call(putPortal, "PUT", PORTAL, { token, body: { domain } });
      expect(res.status, domain).toBe(422);
      expect(res.json.errors.domain).toHaveLength(1);
    }
    expect(await acmeRows()).toHaveLength(0);
    expect(env.agent.applied).toHaveLength(0);
  });

  it("refuses a failed CNAME check with 422 and the diagnosis; nothing is saved or applied", async () => {
    const token = await loginAs("admin@firma.de");
    const wrong = await call(putPortal, "PUT", PORTAL, { token, body: { domain: "wrong.acme.de" } });
    expect(wrong.status).toBe(422);
    expect(wrong.json.message).toMatch(/^Die Domain wurde nicht gespeichert: Der CNAME-Eintrag für wrong\.acme\.de zeigt auf elsewhere\.example\.net/);
    expect(wrong.json.check).toMatchObject({
      ok: false,
      status: "wrong_target",
      found: ["elsewhere.example.net"],
      expected: "acme.portal.myit.center",
      kind: "portal",
    });
    const aRecord = await call(putPortal, "PUT", PORTAL, { token, body: { domain: "a-record.acme.de" } });
    expect(aRecord.status).toBe(422);
    expect(aRecord.json.check).toMatchObject({ status: "a_record", points_to_server_ip: true });
    const missing = await call(putPortal, "PUT", PORTAL, { token, body: { domain: "nicht-da.acme.de" } });
    expect(missing.json.check.status).toBe("nxdomain");
    expect(await acmeRows()).toHaveLength(0);
    expect(env.agent.applied).toHaveLength(0);
  });

  it("saves and applies a correct domain, exactly as documented", async () => {
    const token = await loginAs("admin@firma.de");
    const res = await call(putPortal, "PUT", PORTAL, { token, body: { domain: " Portal.ACME.de " } });
    expect(res.status).toBe(200);
    expect(res.json).toEqual({ message: "Domain gespeichert und auf Server angewendet", applied: true, domain: "portal.acme.de" });
    expect(lastApplied()).toMatchObject({ portal_domain: "portal.acme.de", meshcentral_domain: null });
    const [row] = await acmeRows();
    expect(row).toMatchObject({ kind: "portal", domain: "portal.acme.de", applied: true, lastError: null, lastCheckStatus: "ok" });
    expect(row!.appliedAt).toBeInstanceOf(Date);

    const domains = await call(getDomains, "GET", "/api/manage/domains", { token });
    expect(domains.json).toMatchObject({ custom_portal_domain: "portal.acme.de", portal_url: "https://portal.acme.de" });
    expect(domains.json.portal).toMatchObject({ status: "applied", status_label: "Aktiv", applied: true, active_domain: "portal.acme.de" });
  });

  it("makes portal_url in /status and /auth/login follow the applied custom domain", async () => {
    const token = await loginAs("admin@firma.de");
    const res = await call(status, "GET", "/api/manage/status", { token });
    expect(res.json.domains).toMatchObject({
      portal_domain: "acme.portal.myit.center",
      custom_portal_domain: "portal.acme.de",
      portal_url: "https://portal.acme.de",
    });
    expect(await portalUrlOfLogin()).toBe("https://portal.acme.de");
  });

  it("writes the change to the activity log", async () => {
    const token = await loginAs("admin@firma.de");
    const res = await call(activityLog, "GET", "/api/manage/activity-log?per_page=50", { token });
    const entry = res.json.logs.find((l: { action: string }) => l.action === "domain.portal.set");
    expect(entry).toMatchObject({ level: "info", description: "Eigene Portal-Domain portal.acme.de gespeichert und auf dem Server angewendet" });
  });

  it("converts an IDN to punycode", async () => {
    const token = await loginAs("admin@firma.de");
    const res = await call(putPortal, "PUT", PORTAL, { token, body: { domain: "portal.müller-bau.de" } });
    expect(res.status).toBe(200);
    expect(res.json.domain).toBe("portal.xn--mller-bau-q9a.de");
    expect(lastApplied()?.portal_domain).toBe("portal.xn--mller-bau-q9a.de");
  });

  it("refuses a domain another instance uses (409) and the same domain for the other service (409)", async () => {
    const bergmann = await loginAs("it@bergmann-logistik.de");
    expect((await call(putPortal, "PUT", PORTAL, { token: bergmann, body: { domain: "shared.example.de" } })).status).toBe(200);

    const token = await loginAs("admin@firma.de");
    const queries = env.dns.queryCount();
    const taken = await call(putPortal, "PUT", PORTAL, { token, body: { domain: "SHARED.example.de" } });
    expect(taken.status).toBe(409);
    expect(taken.json.message).toBe("Diese Domain wird bereits von einer anderen Instanz verwendet.");
    expect(env.dns.queryCount()).toBe(queries);

    await call(putPortal, "PUT", PORTAL, { token, body: { domain: "portal.acme.de" } });
    const otherKind = await call(putMesh, "PUT", MESH, { token, body: { domain: "portal.acme.de" } });
    expect(otherKind.status).toBe(409);
    expect(otherKind.json.message).toMatch(/bereits als Portal-Domain eingetragen/);
    expect((await acmeRows()).map((r) => r.domain)).toEqual(["portal.acme.de"]);
  });

  it("is refused for a viewer (403) and without a session (401)", async () => {
    const viewer = await createViewer(database.db());
    const res = await call(putPortal, "PUT", PORTAL, { token: viewer, body: { domain: "portal2.acme.de" } });
    expect(res.status).toBe(403);
    expect(res.json.message).toMatch(/Berechtigung/);
    expect((await call(removePortal, "DELETE", PORTAL, { token: viewer })).status).toBe(403);
    expect((await call(apply, "POST", "/api/manage/domains/apply", { token: viewer })).status).toBe(403);
    expect((await call(putPortal, "PUT", PORTAL, { body: { domain: "portal2.acme.de" } })).status).toBe(401);
    expect((await acmeRows()).map((r) => r.domain)).toEqual(["portal.acme.de"]);
  });
});

describe("apply failures keep the domain", () => {
  it("keeps a domain that the server did not apply, with applied:false, and a retry applies it", async () => {
    const token = await loginAs("admin@firma.de");
    env.agent.setFault("fail");
    const res = await call(putPortal, "PUT", PORTAL, { token, body: { domain: "portal2.acme.de" } });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ applied: false, domain: "portal2.acme.de" });
    expect(res.json.message).toMatch(/^Domain gespeichert, aber noch nicht auf dem Server angewendet: Der Instanz-Server hat die Konfiguration abgelehnt/);
    expect(res.json.message).toMatch(/Erneut anwenden/);

    const [row] = await acmeRows();
    expect(row).toMatchObject({ domain: "portal2.acme.de", applied: false });
    expect(row!.lastError).toMatch(/abgelehnt/);
    const domains = await call(getDomains, "GET", "/api/manage/domains", { token });
    expect(domains.json.portal).toMatchObject({ custom_domain: "portal2.acme.de", status: "failed", applied: false, active_domain: "acme.portal.myit.center" });
    expect(domains.json.portal.last_error).toMatch(/abgelehnt/);
    // Not applied yet: the portal keeps answering under its default domain.
    expect((await call(status, "GET", "/api/manage/status", { token })).json.domains.portal_url).toBe("https://acme.portal.myit.center");

    const logs = await call(activityLog, "GET", "/api/manage/activity-log?per_page=50", { token });
    expect(logs.json.logs[0]).toMatchObject({ action: "domain.portal.apply_failed", level: "warning" });

    const stillFailing = await call(apply, "POST", "/api/manage/domains/apply", { token });
    expect(stillFailing.status).toBe(200);
    expect(stillFailing.json).toMatchObject({ applied: false, portal_domain: "portal2.acme.de" });

    env.agent.setFault(null);
    const retry = await call(apply, "POST", "/api/manage/domains/apply", { token });
    expect(retry.status).toBe(200);
    expect(retry.json).toEqual({
      message: "Domain-Konfiguration auf Server angewendet",
      applied: true,
      portal_domain: "portal2.acme.de",
      meshcentral_domain: null,
    });
    expect(lastApplied()?.portal_domain).toBe("portal2.acme.de");
    const [after] = await acmeRows();
    expect(after).toMatchObject({ applied: true, lastError: null });
    expect(await portalUrlOfLogin()).toBe("https://portal2.acme.de");
  });

  it("reports an agent timeout as not applied and a repeated PUT re-applies", async () => {
    const token = await loginAs("admin@firma.de");
    env.agent.setFault("timeout");
    const res = await call(putPortal, "PUT", PORTAL, { token, body: { domain: "portal3.acme.de" } });
    expect(res.status).toBe(200);
    expect(res.json.applied).toBe(false);
    expect(res.json.message).toMatch(/nicht rechtzeitig geantwortet/);
    expect((await acmeRows())[0]).toMatchObject({ domain: "portal3.acme.de", applied: false });

    env.agent.setFault(null);
    const again = await call(putPortal, "PUT", PORTAL, { token, body: { domain: "portal3.acme.de" } });
    expect(again.json).toEqual({ message: "Domain gespeichert und auf Server angewendet", applied: true, domain: "portal3.acme.de" });
    expect((await acmeRows())[0]).toMatchObject({ applied: true, lastError: null });
  });
});

describe("MeshCentral domain and DELETE", () => {
  it("sets the MeshCentral domain; the server receives both domains", async () => {
    const token = await loginAs("admin@firma.de");
    const wrong = await call(putMesh, "PUT", MESH, { token, body: { domain: "portal4.acme.de" } });
    expect(wrong.status).toBe(422);
    expect(wrong.json.check).toMatchObject({ status: "wrong_target", expected: "acme.remote.myit.center" });

    const res = await call(putMesh, "PUT", MESH, { token, body: { domain: "remote.acme.de" } });
    expect(res.json).toEqual({ message: "Domain gespeichert und auf Server angewendet", applied: true, domain: "remote.acme.de" });
    expect(lastApplied()).toMatchObject({ portal_domain: "portal3.acme.de", meshcentral_domain: "remote.acme.de" });
    const s = await call(status, "GET", "/api/manage/status", { token });
    expect(s.json.domains).toMatchObject({ custom_meshcentral_domain: "remote.acme.de", meshcentral_url: "https://remote.acme.de" });
  });

  it("keeps the domain when removing it fails on the server (502), and removes it on retry", async () => {
    const token = await loginAs("admin@firma.de");
    env.agent.setFault("fail");
    const failed = await call(removeMesh, "DELETE", MESH, { token });
    expect(failed.status).toBe(502);
    expect(failed.json).toMatchObject({ removed: false, domain: "remote.acme.de" });
    expect(failed.json.message).toMatch(/konnte nicht vom Server entfernt werden/);
    const rows = await acmeRows();
    expect(rows.find((r) => r.kind === "meshcentral")).toMatchObject({ domain: "remote.acme.de", applied: true });
    expect(rows.find((r) => r.kind === "meshcentral")!.lastError).toMatch(/Entfernen/);

    env.agent.setFault(null);
    const ok = await call(removeMesh, "DELETE", MESH, { token });
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual({
      message: "Domain entfernt und auf Server angewendet. Es gilt wieder die Standard-Domain acme.remote.myit.center.",
      removed: true,
      applied: true,
      domain: "remote.acme.de",
      active_domain: "acme.remote.myit.center",
    });
    expect(lastApplied()).toMatchObject({ portal_domain: "portal3.acme.de", meshcentral_domain: null });
  });

  it("removes the portal domain: back to the default domain everywhere, logged; a second DELETE is 404", async () => {
    const token = await loginAs("admin@firma.de");
    const res = await call(removePortal, "DELETE", PORTAL, { token });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({ removed: true, domain: "portal3.acme.de", active_domain: "acme.portal.myit.center" });
    expect(lastApplied()).toMatchObject({ portal_domain: null, meshcentral_domain: null });
    expect(await acmeRows()).toHaveLength(0);
    expect(await portalUrlOfLogin()).toBe("https://acme.portal.myit.center");
    expect((await call(status, "GET", "/api/manage/status", { token })).json.domains).toMatchObject({
      custom_portal_domain: null,
      portal_url: "https://acme.portal.myit.center",
    });

    const again = await call(removePortal, "DELETE", PORTAL, { token });
    expect(again.status).toBe(404);
    expect(again.json.message).toBe("Es ist keine eigene Portal-Domain eingerichtet.");

    const logs = await call(activityLog, "GET", "/api/manage/activity-log?per_page=50", { token });
    const actions = logs.json.logs.map((l: { action: string }) => l.action);
    expect(actions).toEqual(expect.arrayContaining(["domain.portal.removed", "domain.meshcentral.removed", "domain.meshcentral.remove_failed", "domain.meshcentral.set"]));
  });
});

describe("concurrency", () => {
  it("serialises concurrent changes: the server ends with exactly the saved configuration", async () => {
    const token = await loginAs("admin@firma.de");
    const results = await Promise.all([
      call(putPortal, "PUT", PORTAL, { token, body: { domain: "portal.acme.de" } }),
      call(putPortal, "PUT", PORTAL, { token, body: { domain: "portal2.acme.de" } }),
      call(putMesh, "PUT", MESH, { token, body: { domain: "remote.acme.de" } }),
      call(putPortal, "PUT", PORTAL, { token, body: { domain: "portal4.acme.de" } }),
    ]);
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    expect(results.every((r) => r.json.applied === true)).toBe(true);
    const rows = await acmeRows();
    expect(rows.every((r) => r.applied)).toBe(true);
    const saved = {
      portal_domain: rows.find((r) => r.kind === "portal")?.domain,
      meshcentral_domain: rows.find((r) => r.kind === "meshcentral")?.domain,
    };
    expect(saved.meshcentral_domain).toBe("remote.acme.de");
    expect(lastApplied()).toMatchObject(saved);
  });

  it("never loses one kind when portal and MeshCentral change at the same time (slow agent)", async () => {
    const token = await loginAs("admin@firma.de");
    await call(removePortal, "DELETE", PORTAL, { token });
    await call(removeMesh, "DELETE", MESH, { token });
    // A proxy in front of the stand-in that holds the first push back: without the
    // per-instance lock the second push (with only its own domain) would be overtaken.
    const delays = [400, 0];
    const proxy = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on("data", (c: Buffer) => chunks.push(c));
      req.on("end", () => {
        const delay = delays.shift() ?? 0;
        setTimeout(async () => {
          const headers = Object.fromEntries(Object.entries(req.headers).filter(([k]) => k.startsWith("x-") || k === "content-type")) as Record<string, string>;
          const upstream = await fetch(env.agent.url + req.url, { method: req.method, headers, body: Buffer.concat(chunks) });
          res.writeHead(upstream.status, { "content-type": "application/json" });
          res.end(await upstream.text());
        }, delay);
      });
    });
    await new Promise<void>((resolve) => proxy.listen(0, "127.0.0.1", resolve));
    process.env.INSTANCE_AGENT_URL = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    resetConfigForTests();
    try {
      const [p, m] = await Promise.all([
        call(putPortal, "PUT", PORTAL, { token, body: { domain: "portal.acme.de" } }),
        call(putMesh, "PUT", MESH, { token, body: { domain: "remote.acme.de" } }),
      ]);
      expect([p.json.applied, m.json.applied]).toEqual([true, true]);
    } finally {
      process.env.INSTANCE_AGENT_URL = env.agent.url;
      resetConfigForTests();
      proxy.closeAllConnections();
      await new Promise((resolve) => proxy.close(resolve));
    }
    expect(lastApplied()).toMatchObject({ portal_domain: "portal.acme.de", meshcentral_domain: "remote.acme.de" });
  });

  it("lets only one of two instances claim the same domain at the same time", async () => {
    const db = database.db();
    const [bergmann] = await db.select().from(instances).where(eq(instances.name, "bergmann"));
    await db.delete(customDomains).where(and(eq(customDomains.instanceId, bergmann!.id)));
    const { RECORDS } = await import("./setup");
    env.dns.setRecords([
      ...RECORDS,
      // One name whose check passes for both instances: directly for acme, through a
      // short CNAME chain for bergmann (a name may hold only one CNAME, RFC 1034 3.6.2).
      { name: "race.example.de", type: "CNAME", value: "acme.portal.myit.center" },
      { name: "acme.portal.myit.center", type: "CNAME", value: "bergmann.portal.myit.center" },
    ]);
    // Both DNS checks must succeed for the race to be about the claim: the suite's 300 ms
    // DNS timeout can pass on a busy machine (a 422 "timeout"), so this test allows more.
    const timeoutBefore = process.env.DNS_TIMEOUT_MS;
    process.env.DNS_TIMEOUT_MS = "3000";
    const tokens = [await loginAs("admin@firma.de"), await loginAs("it@bergmann-logistik.de")];
    const [a, b] = await Promise.all(tokens.map((token) => call(putPortal, "PUT", PORTAL, { token, body: { domain: "race.example.de" } }))).finally(() => {
      process.env.DNS_TIMEOUT_MS = timeoutBefore;
    });
    env.dns.setRecords(RECORDS);
    expect([a.status, b.status].sort(), JSON.stringify([a.json, b.json])).toEqual([200, 409]);
    const owners = await db.select().from(customDomains).where(eq(customDomains.domain, "race.example.de"));
    expect(owners).toHaveLength(1);
  });
});
