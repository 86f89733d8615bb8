/**
 * Usage against limits: the instance counts its customers and devices and
 * answers a signed request through the instance agent; /status keeps
 * `limits` and adds `usage` with the warning levels (80 %, 100 %); staff sort
 * the instance list by usage; a failed question keeps the last numbers.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { POST as login } from "@/app/api/manage/auth/login/route";
import { GET as listInstances } from "@/app/api/manage/admin/instances/route";
import { GET as status } from "@/app/api/manage/status/route";
import { instances } from "@/db/schema";
import { DEMO_PASSWORD } from "@/db/seed";
import { resetConfigForTests } from "@/lib/config";
import { createInstanceAgentClient } from "@/lib/instance-agent/client";
import { startInstanceAgentStandIn, type InstanceAgentStandIn } from "@/lib/instance-agent/stand-in";
import { presentUsage, refreshAllUsage, refreshUsage, usageLevel } from "@/lib/instances/usage";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

const SECRET = "usage-test-secret-0123456789";
const database = useTestDatabase();
let agent: InstanceAgentStandIn;
const saved = { url: process.env.INSTANCE_AGENT_URL, secret: process.env.INSTANCE_AGENT_SECRET };
let ip = 0;

beforeAll(async () => {
  agent = await startInstanceAgentStandIn({ secret: SECRET });
  process.env.INSTANCE_AGENT_URL = agent.url;
  process.env.INSTANCE_AGENT_SECRET = SECRET;
  resetConfigForTests();
});
afterAll(async () => {
  await agent.close();
  for (const [key, value] of [["INSTANCE_AGENT_URL", saved.url], ["INSTANCE_AGENT_SECRET", saved.secret]] as const) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
  resetConfigForTests();
});

async function loginAs(email: string) {
  return (await call(login, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: `198.51.100.${++ip}` })).json.token as string;
}
async function instanceId(name: string) {
  const [row] = await database.db().select({ id: instances.id }).from(instances).where(eq(instances.name, name));
  return row.id;
}

describe("usage against limits", () => {
  it("asks every instance with a signed request and shows usage next to the unchanged limits in /status", async () => {
    expect(await refreshAllUsage()).toEqual({ asked: 3, failed: 0 });
    const token = await loginAs("admin@firma.de");
    const res = await call(status, "GET", "/api/manage/status", { token });
    expect(res.json.limits).toEqual({ max_customers: 50, max_devices: 500 });
    // acme reports 42 of 50 customers (84 %) and 431 of 500 devices (86.2 %).
    expect(res.json.usage).toMatchObject({ customers: 42, devices: 431, customers_percent: 84, devices_percent: 86.2, percent: 86.2, level: "warning", level_label: "Bald ausgeschöpft", error: null });
  });

  it("a wrong signature is refused by the agent; the last numbers stay with the reason", async () => {
    const acme = await instanceId("acme");
    const wrong = createInstanceAgentClient({ baseUrl: agent.url, secret: "not-the-secret-at-all" });
    const row = await refreshUsage(acme, { client: wrong });
    expect(row).toMatchObject({ customers: 42, devices: 431 });
    expect(row?.error).toMatch(/abgelehnt/);
    await refreshUsage(acme);
  });

  it("staff sort instances by usage, the fullest first", async () => {
    agent.usage.set("bergmann", { customers: 10, devices: 100 });
    await refreshAllUsage();
    const token = await loginAs("msp-admin@myit.center");
    const byUsage = await call(listInstances, "GET", "/api/manage/admin/instances?sort=usage", { token });
    expect(byUsage.status).toBe(200);
    // nordlicht 20/20 customers (100 %), acme 86.2 %, bergmann 10/150 and 100/1500 (6.7 %).
    expect(byUsage.json.instances.map((i: { name: string }) => i.name)).toEqual(["nordlicht", "acme", "bergmann"]);
    expect(byUsage.json.instances[0].usage).toMatchObject({ level: "exceeded", percent: 107 });
    const byName = await call(listInstances, "GET", "/api/manage/admin/instances", { token });
    expect(byName.json.instances.map((i: { name: string }) => i.name)).toEqual(["acme", "bergmann", "nordlicht"]);
    expect((await call(listInstances, "GET", "/api/manage/admin/instances?sort=devices", { token })).status).toBe(422);
  });

  it("levels: below 80 % ok, from 80 % warning, from 100 % exceeded", () => {
    expect(usageLevel(79.9)).toBe("ok");
    expect(usageLevel(80)).toBe("warning");
    expect(usageLevel(100)).toBe("exceeded");
    expect(usageLevel(null)).toBe("unknown");
    expect(presentUsage(undefined, { max_customers: 10, max_devices: 10 })).toMatchObject({ customers: null, percent: null, level: "unknown" });
  });
});
