import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { promises as dnsPromises } from "node:dns";
import { checkCname, dnsServersFromEnv } from "@/lib/dns/cname-check";
import { startTestDnsServer, type TestDnsRecord, type TestDnsServer } from "@/lib/dns/test-dns-server";

const EXPECTED = "acme.portal.myit.center";
const SERVER_IP = "49.12.34.56";

const RECORDS: TestDnsRecord[] = [
  { name: "portal.acme.de", type: "CNAME", value: "acme.portal.myit.center" },
  { name: "upper.acme.de", type: "CNAME", value: "ACME.Portal.MyIT.Center." },
  { name: "chain.acme.de", type: "CNAME", value: "alias.acme.de" },
  { name: "alias.acme.de", type: "CNAME", value: "acme.portal.myit.center" },
  { name: "wrong.acme.de", type: "CNAME", value: "elsewhere.example.net" },
  { name: "a-server.acme.de", type: "A", value: SERVER_IP },
  { name: "a-other.acme.de", type: "A", value: "203.0.113.7" },
  { name: "aaaa.acme.de", type: "AAAA", value: "2001:db8::7" },
  { name: "empty.acme.de", type: "NODATA" },
  { name: "gone.acme.de", type: "NXDOMAIN" },
  { name: "servfail.acme.de", type: "SERVFAIL" },
  { name: "hang.acme.de", type: "SLOW" },
  { name: "late.acme.de", type: "SLOW", delayMs: 2500 },
  { name: "late.acme.de", type: "CNAME", value: EXPECTED },
  { name: "quick.acme.de", type: "SLOW", delayMs: 30 },
  { name: "quick.acme.de", type: "CNAME", value: EXPECTED },
];

let dns: TestDnsServer;
const check = (domain: string, extra: { timeoutMs?: number; serverIpv4?: string } = {}) =>
  checkCname(domain, {
    expectedTarget: EXPECTED,
    serverIpv4: extra.serverIpv4 ?? SERVER_IP,
    servers: [dns.address],
    timeoutMs: extra.timeoutMs ?? 3000,
    tries: 1,
  });

beforeAll(async () => {
  dns = await startTestDnsServer({ records: RECORDS });
});
afterAll(async () => {
  await dns.close();
});
beforeEach(() => {
  dns.setRecords(RECORDS);
});

describe("test DNS server", () => {
  it("is a real DNS server on loopback", async () => {
    expect(dns.address).toMatch(/^127\.0\.0\.1:\d+$/);
    const r = new dnsPromises.Resolver({ timeout: 3000, tries: 1 });
    r.setServers([dns.address]);
    expect(await r.resolveCname("portal.acme.de")).toEqual([EXPECTED]);
    expect(await r.resolve4("a-server.acme.de")).toEqual([SERVER_IP]);
    expect(await r.resolve6("aaaa.acme.de")).toEqual(["2001:db8::7"]);
    await expect(r.resolve4("unknown.acme.de")).rejects.toMatchObject({ code: "ENOTFOUND" });
    await expect(r.resolve4("empty.acme.de")).rejects.toMatchObject({ code: "ENODATA" });
    await expect(r.resolve4("servfail.acme.de")).rejects.toMatchObject({ code: "ESERVFAIL" });
  });
});

describe("checkCname", () => {
  it("ok when the CNAME points at the expected target", async () => {
    const r = await check("portal.acme.de");
    expect(r).toMatchObject({ ok: true, status: "ok", found: [EXPECTED], expected: EXPECTED });
    expect(r.message).toContain("portal.acme.de");
  });

  it("compares case-insensitively and ignores trailing dots", async () => {
    const r = await checkCname("Upper.ACME.de.", {
      expectedTarget: "ACME.portal.myit.center.",
      servers: [dns.address],
      timeoutMs: 3000,
      tries: 1,
    });
    expect(r.status).toBe("ok");
    expect(r.expected).toBe(EXPECTED);
  });

  it("accepts a CNAME chain that ends at the expected target", async () => {
    const r = await check("chain.acme.de");
    expect(r.status).toBe("ok");
    expect(r.found).toEqual(["alias.acme.de", EXPECTED]);
  });

  it("nxdomain for unknown names", async () => {
    for (const name of ["unknown.acme.de", "gone.acme.de"]) {
      const r = await check(name);
      expect(r).toMatchObject({ ok: false, status: "nxdomain", found: [] });
      expect(r.message).toContain(name);
      expect(r.message).toContain(EXPECTED);
    }
  });

  it("no_record when the name exists without CNAME/A/AAAA", async () => {
    const r = await check("empty.acme.de");
    expect(r).toMatchObject({ ok: false, status: "no_record", found: [] });
    expect(r.message).toContain("keinen CNAME-Eintrag");
  });

  it("wrong_target reports found vs. expected", async () => {
    const r = await check("wrong.acme.de");
    expect(r).toMatchObject({ ok: false, status: "wrong_target", found: ["elsewhere.example.net"], expected: EXPECTED });
    expect(r.message).toBe(
      "Der CNAME-Eintrag für wrong.acme.de zeigt auf elsewhere.example.net, erwartet wird acme.portal.myit.center. Bitte ändern Sie das Ziel des Eintrags bei Ihrem DNS-Anbieter.",
    );
  });

  it("a_record pointing at the server IP", async () => {
    const r = await check("a-server.acme.de");
    expect(r).toMatchObject({ ok: false, status: "a_record", found: [SERVER_IP], points_to_server_ip: true });
    expect(r.message).toContain(SERVER_IP);
    expect(r.message).toContain("unseres Servers");
  });

  it("a_record not pointing at the server IP", async () => {
    const r = await check("a-other.acme.de");
    expect(r).toMatchObject({ ok: false, status: "a_record", found: ["203.0.113.7"], points_to_server_ip: false });
    expect(r.message).toContain("nicht zu unserem Server");
  });

  it("a_record for AAAA only; points_to_server_ip absent without serverIpv4", async () => {
    const r = await checkCname("aaaa.acme.de", { expectedTarget: EXPECTED, servers: [dns.address], timeoutMs: 3000, tries: 1 });
    expect(r).toMatchObject({ status: "a_record", found: ["2001:db8::7"] });
    expect(r).not.toHaveProperty("points_to_server_ip");
  });

  it("servfail", async () => {
    const r = await check("servfail.acme.de");
    expect(r).toMatchObject({ ok: false, status: "servfail", found: [] });
    expect(r.message).toContain("SERVFAIL");
  });

  it("timeout when the server never answers", async () => {
    const started = Date.now();
    const r = await check("hang.acme.de", { timeoutMs: 300 });
    expect(r).toMatchObject({ ok: false, status: "timeout", found: [] });
    expect(r.message).toContain("nicht rechtzeitig");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("timeout when the answer comes later than timeoutMs", async () => {
    const r = await check("late.acme.de", { timeoutMs: 300 });
    expect(r.status).toBe("timeout");
  });

  it("a slightly delayed answer within the timeout is fine", async () => {
    const r = await check("quick.acme.de", { timeoutMs: 5000 });
    expect(r.status).toBe("ok");
  });

  it("error when no DNS server listens", async () => {
    const tmp = await startTestDnsServer();
    const address = tmp.address;
    await tmp.close();
    const r = await checkCname("portal.acme.de", { expectedTarget: EXPECTED, servers: [address], timeoutMs: 500, tries: 1 });
    expect(r.ok).toBe(false);
    expect(["error", "timeout"]).toContain(r.status);
  });

  it("does not cache: a changed record is seen by the next check", async () => {
    expect((await check("new.acme.de")).status).toBe("nxdomain");
    expect((await check("wrong.acme.de")).status).toBe("wrong_target");
    const before = dns.queryCount();
    dns.setRecords([
      ...RECORDS.filter((r) => r.name !== "wrong.acme.de"),
      { name: "new.acme.de", type: "CNAME", value: EXPECTED, ttl: 3600 },
      { name: "wrong.acme.de", type: "CNAME", value: EXPECTED, ttl: 3600 },
    ]);
    expect((await check("new.acme.de")).status).toBe("ok");
    expect((await check("wrong.acme.de")).status).toBe("ok");
    // and back again: positive answers (TTL 3600) are not cached either
    dns.setRecords(RECORDS);
    expect((await check("new.acme.de")).status).toBe("nxdomain");
    expect((await check("wrong.acme.de")).status).toBe("wrong_target");
    expect(dns.queryCount()).toBeGreaterThanOrEqual(before + 4);
  });
});

describe("dnsServersFromEnv", () => {
  it("parses DNS_RESOLVERS", () => {
    expect(dnsServersFromEnv({ DNS_RESOLVERS: "127.0.0.1:5354, 1.1.1.1  [::1]:53" })).toEqual([
      "127.0.0.1:5354",
      "1.1.1.1",
      "[::1]:53",
    ]);
    expect(dnsServersFromEnv({ DNS_RESOLVERS: " " })).toBeUndefined();
    expect(dnsServersFromEnv({})).toBeUndefined();
  });

  it("checkCname uses DNS_RESOLVERS when no servers are given", async () => {
    const old = process.env.DNS_RESOLVERS;
    process.env.DNS_RESOLVERS = dns.address;
    try {
      const r = await checkCname("wrong.acme.de", { expectedTarget: EXPECTED, timeoutMs: 3000, tries: 1 });
      expect(r.status).toBe("wrong_target");
    } finally {
      if (old === undefined) delete process.env.DNS_RESOLVERS;
      else process.env.DNS_RESOLVERS = old;
    }
  });
});
