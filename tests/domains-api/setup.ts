import { eq } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, expect } from "vitest";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { instances, userRoles, users } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { hashPassword } from "@/lib/auth/passwords";
import { resetConfigForTests } from "@/lib/config";
import { startTestDnsServer, type TestDnsRecord, type TestDnsServer } from "@/lib/dns/test-dns-server";
import { startInstanceAgentStandIn, type InstanceAgentStandIn } from "@/lib/instance-agent/stand-in";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

export const AGENT_SECRET = "domains-api-test-secret";

export const RECORDS: TestDnsRecord[] = [
  { name: "portal.acme.de", type: "CNAME", value: "acme.portal.myit.center" },
  { name: "portal2.acme.de", type: "CNAME", value: "acme.portal.myit.center" },
  { name: "portal3.acme.de", type: "CNAME", value: "acme.portal.myit.center" },
  { name: "portal4.acme.de", type: "CNAME", value: "acme.portal.myit.center" },
  { name: "remote.acme.de", type: "CNAME", value: "acme.remote.myit.center" },
  { name: "portal.xn--mller-bau-q9a.de", type: "CNAME", value: "acme.portal.myit.center" },
  { name: "wrong.acme.de", type: "CNAME", value: "elsewhere.example.net" },
  { name: "a-record.acme.de", type: "A", value: "49.12.34.56" },
  { name: "other-ip.acme.de", type: "A", value: "203.0.113.7" },
  { name: "servfail.acme.de", type: "SERVFAIL" },
  { name: "slow.acme.de", type: "SLOW" },
  { name: "portal.bergmann.de", type: "CNAME", value: "bergmann.portal.myit.center" },
  { name: "shared.example.de", type: "CNAME", value: "bergmann.portal.myit.center" },
];

/**
 * A fresh database with the demo data, a real DNS server on loopback and the
 * instance-agent stand-in, wired into the app's configuration.
 */
export function useDomainTestEnv() {
  const database = useTestDatabase();
  const env = { dns: undefined as unknown as TestDnsServer, agent: undefined as unknown as InstanceAgentStandIn };
  const saved: Record<string, string | undefined> = {};
  const set = (key: string, value: string) => {
    if (!(key in saved)) saved[key] = process.env[key];
    process.env[key] = value;
  };
  beforeAll(async () => {
    env.dns = await startTestDnsServer({ records: RECORDS, defaultTtl: 1 });
    env.agent = await startInstanceAgentStandIn({ secret: AGENT_SECRET });
    set("DNS_RESOLVERS", env.dns.address);
    set("DNS_TIMEOUT_MS", "300");
    set("INSTANCE_AGENT_URL", env.agent.url);
    set("INSTANCE_AGENT_SECRET", AGENT_SECRET);
    set("INSTANCE_AGENT_TIMEOUT_MS", "700");
    resetConfigForTests();
  });
  afterAll(async () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
    resetConfigForTests();
    await env.agent?.close();
    await env.dns?.close();
  });
  beforeEach(() => {
    env.agent.setFault(null);
  });
  return { database, env };
}

let ipCounter = 0;
export async function loginAs(email: string) {
  const res = await call(login, "POST", "/api/manage/auth/login", {
    body: { email, password: DEMO_PASSWORD },
    ip: `198.51.${Math.floor(++ipCounter / 200)}.${ipCounter % 200}`,
  });
  expect(res.status).toBe(200);
  return res.json.token as string;
}

/** A customer_viewer of acme (read-only). */
export async function createViewer(db: import("@/db/client").Db, email = "leser@firma.de") {
  const [acme] = await db.select().from(instances).where(eq(instances.name, "acme"));
  const [user] = await db
    .insert(users)
    .values({ email, name: "Lea Leser", instanceId: acme!.id, passwordHash: await hashPassword(DEMO_PASSWORD) })
    .returning();
  await db.insert(userRoles).values({ userId: user!.id, roleKey: "customer_viewer" });
  return loginAs(email);
}
