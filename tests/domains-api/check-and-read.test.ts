import { describe, expect, it } from "vitest";
import { GET as getDomains } from "@/app/api/manage/domains/route";
import { POST as checkCname } from "@/app/api/manage/domains/check-cname/route";
import { call } from "../helpers/http";
import { createViewer, loginAs, useDomainTestEnv } from "./setup";

const { database, env } = useDomainTestEnv();
const check = (token: string, body: unknown) => call(checkCname, "POST", "/api/manage/domains/check-cname", { token, body });

describe("GET /api/manage/domains", () => {
  it("needs a session", async () => {
    const res = await call(getDomains, "GET", "/api/manage/domains");
    expect(res.status).toBe(401);
    expect(res.json.message).toMatch(/Nicht angemeldet/);
  });

  it("shows the default domains, no custom ones and the CNAME targets", async () => {
    const token = await loginAs("admin@firma.de");
    const res = await call(getDomains, "GET", "/api/manage/domains", { token });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      portal_domain: "acme.portal.myit.center",
      custom_portal_domain: null,
      portal_url: "https://acme.portal.myit.center",
      meshcentral_domain: "acme.remote.myit.center",
      custom_meshcentral_domain: null,
      meshcentral_url: "https://acme.remote.myit.center",
      cname_target: { portal: "acme.portal.myit.center", meshcentral: "acme.remote.myit.center" },
      server_ipv4: "49.12.34.56",
      can_write: true,
    });
    expect(res.json.portal).toMatchObject({
      kind: "portal",
      default_domain: "acme.portal.myit.center",
      custom_domain: null,
      active_domain: "acme.portal.myit.center",
      status: "default",
      status_label: "Standard-Domain aktiv",
      applied: false,
      last_error: null,
    });
    expect(res.json.meshcentral.cname_target).toBe("acme.remote.myit.center");
  });

  it("is readable by a viewer, who may not write", async () => {
    const token = await createViewer(database.db());
    const res = await call(getDomains, "GET", "/api/manage/domains", { token });
    expect(res.status).toBe(200);
    expect(res.json.can_write).toBe(false);
  });

  it("is closed to suspended instances and to staff without an instance", async () => {
    const suspended = await call(getDomains, "GET", "/api/manage/domains", { token: await loginAs("info@nordlicht-design.de") });
    expect(suspended.status).toBe(403);
    expect(suspended.json.message).toMatch(/gesperrt/);
    const staff = await call(getDomains, "GET", "/api/manage/domains", { token: await loginAs("msp-admin@myit.center") });
    expect(staff.status).toBe(403);
  });
});

describe("POST /api/manage/domains/check-cname", () => {
  it("confirms a correct CNAME record", async () => {
    const token = await loginAs("admin@firma.de");
    const res = await check(token, { domain: "Portal.Acme.DE." });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      ok: true,
      status: "ok",
      kind: "portal",
      domain: "portal.acme.de",
      found: ["acme.portal.myit.center"],
      expected: "acme.portal.myit.center",
    });
    expect(res.json.message).toMatch(/zeigt korrekt auf acme\.portal\.myit\.center/);
    expect(typeof res.json.checked_at).toBe("string");
  });

  it("checks against the MeshCentral target with kind=meshcentral, and recognises it without kind", async () => {
    const token = await loginAs("admin@firma.de");
    const explicit = await check(token, { domain: "remote.acme.de", kind: "meshcentral" });
    expect(explicit.json).toMatchObject({ ok: true, kind: "meshcentral", expected: "acme.remote.myit.center" });
    const inferred = await check(token, { domain: "remote.acme.de" });
    expect(inferred.json).toMatchObject({ ok: true, kind: "meshcentral" });
    const wrongKind = await check(token, { domain: "portal.acme.de", kind: "meshcentral" });
    expect(wrongKind.json).toMatchObject({ ok: false, status: "wrong_target", found: ["acme.portal.myit.center"] });
  });

  it("shows found vs. expected for a CNAME to the wrong target", async () => {
    const res = await check(await loginAs("admin@firma.de"), { domain: "wrong.acme.de" });
    expect(res.status).toBe(200);
    expect(res.json).toMatchObject({
      ok: false,
      status: "wrong_target",
      found: ["elsewhere.example.net"],
      expected: "acme.portal.myit.center",
    });
    expect(res.json.message).toContain("elsewhere.example.net");
    expect(res.json.message).toContain("erwartet wird acme.portal.myit.center");
  });

  it("reports an A record instead of a CNAME and whether it points at the server", async () => {
    const token = await loginAs("admin@firma.de");
    const server = await check(token, { domain: "a-record.acme.de" });
    expect(server.json).toMatchObject({ ok: false, status: "a_record", found: ["49.12.34.56"], points_to_server_ip: true });
    expect(server.json.message).toMatch(/statt eines CNAME/);
    const other = await check(token, { domain: "other-ip.acme.de" });
    expect(other.json).toMatchObject({ ok: false, status: "a_record", points_to_server_ip: false });
    expect(other.json.message).toContain("49.12.34.56");
  });

  it("reports a missing name, SERVFAIL and a timeout in German", async () => {
    const token = await loginAs("admin@firma.de");
    const missing = await check(token, { domain: "fehlt.acme.de" });
    expect(missing.json).toMatchObject({ ok: false, status: "nxdomain" });
    expect(missing.json.message).toMatch(/keinen DNS-Eintrag/);
    expect(missing.json.message).toContain("acme.portal.myit.center");
    const servfail = await check(token, { domain: "servfail.acme.de" });
    expect(servfail.json).toMatchObject({ ok: false, status: "servfail" });
    const slow = await check(token, { domain: "slow.acme.de" });
    expect(slow.json).toMatchObject({ ok: false, status: "timeout" });
    expect(slow.json.message).toMatch(/nicht rechtzeitig/);
  });

  it("does not cache a negative answer: a record created after a failed check is found", async () => {
    const token = await loginAs("admin@firma.de");
    const before = await check(token, { domain: "neu.acme.de" });
    expect(before.json.status).toBe("nxdomain");
    const { RECORDS } = await import("./setup");
    env.dns.setRecords([...RECORDS, { name: "neu.acme.de", type: "CNAME", value: "acme.portal.myit.center" }]);
    try {
      const after = await check(token, { domain: "neu.acme.de" });
      expect(after.json).toMatchObject({ ok: true, status: "ok" });
    } finally {
      env.dns.setRecords(RECORDS);
    }
  });

  it("refuses invalid host names with a field error, before any DNS query", async () => {
    const token = await loginAs("admin@firma.de");
    const queries = env.dns.queryCount();
    const cases: [unknown, RegExp][] = [
      [{ domain: "https://portal.acme.de/login" }, /ohne https:\/\/ oder Pfad/],
      [{ domain: "portal.acme.de:8443" }, /ohne Port/],
      [{ domain: "kunde.portal.myit.center" }, /gehören dem Anbieter/],
      [{ domain: "" }, /Hostnamen angeben/],
      [{ domain: "localhost" }, /vollständigen Hostnamen/],
      [{ domain: `${"a".repeat(64)}.acme.de` }, /zu lang/],
      [{ domain: "49.12.34.56" }, /keine IP-Adresse/],
      [{}, /Hostnamen angeben/],
      [{ domain: 42 }, /Hostnamen angeben/],
    ];
    for (const [body, message] of cases) {
      const res = await check(token, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(res.json.errors.domain[0]).toMatch(message);
    }
    const badKind = await check(token, { domain: "portal.acme.de", kind: "mail" });
    expect(badKind.status).toBe(422);
    expect(badKind.json.errors.kind).toBeDefined();
    expect(env.dns.queryCount()).toBe(queries);
  });

  it("answers malformed JSON with 400", async () => {
    const res = await call(checkCname, "POST", "/api/manage/domains/check-cname", {
      token: await loginAs("admin@firma.de"),
      rawBody: "{domain:",
      headers: { "content-type": "application/json" },
    });
    expect(res.status).toBe(400);
    expect(res.json.message).toMatch(/kein gültiges JSON/);
  });

  it("limits DNS look-ups per instance (429 with Retry-After)", async () => {
    const token = await loginAs("it@bergmann-logistik.de");
    let last = await check(token, { domain: "portal.bergmann.de" });
    for (let i = 0; i < 30 && last.status === 200; i++) last = await check(token, { domain: "portal.bergmann.de" });
    expect(last.status).toBe(429);
    expect(Number(last.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(last.json.message).toMatch(/Zu viele Anfragen/);
  });
});
