/**
 * The webhook endpoints of API v1 (the portal's UI uses them too): the secret
 * shown once, permission and tenant scope, enable/disable, rotation, the
 * test event and the delivery log.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { GET as list, POST as create } from "@/app/api/v1/webhooks/route";
import { DELETE as remove, GET as getOne, PATCH as patch } from "@/app/api/v1/webhooks/[id]/route";
import { POST as rotate } from "@/app/api/v1/webhooks/[id]/rotate-secret/route";
import { POST as test } from "@/app/api/v1/webhooks/[id]/test/route";
import { GET as deliveries } from "@/app/api/v1/webhooks/[id]/deliveries/route";
import { resetConfigForTests } from "@/lib/config";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { setTwoFactor, v1Login } from "../v1/helpers";

useTestDatabase();
let customer: string;
let staff: string;
let other: string;

beforeAll(async () => {
  process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS = "true";
  resetConfigForTests();
  for (const email of ["admin@firma.de", "msp-admin@myit.center", "it@bergmann-logistik.de", "support@myit.center"]) await setTwoFactor(email, false);
  customer = (await v1Login("admin@firma.de")).access_token;
  staff = (await v1Login("msp-admin@myit.center")).access_token;
  other = (await v1Login("it@bergmann-logistik.de")).access_token;
});
afterAll(() => {
  delete process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS;
  resetConfigForTests();
});

describe("API v1 /webhooks", () => {
  it("creates an endpoint (201, Location, secret once), lists it without the secret, hides it from other tenants", async () => {
    const res = await call(create, "POST", "/api/v1/webhooks", { token: customer, body: { url: "http://127.0.0.1:9/hook", events: ["invoice.issued", "invoice.paid", "invoice.issued"] } });
    expect(res.status).toBe(201);
    expect(res.json.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{32}$/);
    expect(res.json.endpoint).toMatchObject({ url: "http://127.0.0.1:9/hook", events: ["invoice.issued", "invoice.paid"], enabled: true, tenant_id: expect.any(String) });
    expect(res.headers.get("location")).toBe(`/api/v1/webhooks/${res.json.endpoint.id}`);
    const id = res.json.endpoint.id as string;

    const listed = await call(list, "GET", "/api/v1/webhooks", { token: customer });
    expect(listed.status).toBe(200);
    expect(listed.json.endpoints).toHaveLength(1);
    expect(listed.text).not.toContain(res.json.secret);

    expect((await call(getOne, "GET", `/api/v1/webhooks/${id}`, { token: other, params: { id } })).status).toBe(404);
    expect((await call(list, "GET", "/api/v1/webhooks", { token: other })).json.endpoints).toEqual([]);
    // MSP staff without ?tenant_id: the MSP-wide endpoints, not the tenant's
    expect((await call(list, "GET", "/api/v1/webhooks", { token: staff })).json.endpoints).toEqual([]);
    const tenantId = res.json.endpoint.tenant_id as string;
    expect((await call(list, "GET", `/api/v1/webhooks?tenant_id=${tenantId}`, { token: staff })).json.endpoints).toHaveLength(1);
  });

  it("switches off and on, rotates the secret with an overlap, queues a test event and shows the delivery log", async () => {
    const created = await call(create, "POST", "/api/v1/webhooks", { token: customer, body: { url: "http://127.0.0.1:9/other", events: ["domain.applied"] } });
    const id = created.json.endpoint.id as string;
    const off = await call(patch, "PATCH", `/api/v1/webhooks/${id}`, { token: customer, params: { id }, body: { enabled: false } });
    expect(off.json.endpoint).toMatchObject({ enabled: false, disabled_reason: "manual" });
    const on = await call(patch, "PATCH", `/api/v1/webhooks/${id}`, { token: customer, params: { id }, body: { enabled: true } });
    expect(on.json.endpoint).toMatchObject({ enabled: true, disabled_reason: null });

    const rotated = await call(rotate, "POST", `/api/v1/webhooks/${id}/rotate-secret`, { token: customer, params: { id }, body: { overlap_hours: 2 } });
    expect(rotated.status).toBe(200);
    expect(rotated.json.secret).not.toBe(created.json.secret);
    expect(rotated.json.endpoint.previous_secret_expires_at).toEqual(expect.any(String));

    const queued = await call(test, "POST", `/api/v1/webhooks/${id}/test`, { token: customer, params: { id } });
    expect(queued.status).toBe(202);
    const log = await call(deliveries, "GET", `/api/v1/webhooks/${id}/deliveries`, { token: customer, params: { id } });
    expect(log.json.deliveries).toEqual([expect.objectContaining({ message_id: queued.json.message_id, event_type: "webhook.test", status: "queued", attempts: 0, attempt_log: [] })]);

    expect((await call(remove, "DELETE", `/api/v1/webhooks/${id}`, { token: customer, params: { id } })).status).toBe(200);
    expect((await call(getOne, "GET", `/api/v1/webhooks/${id}`, { token: customer, params: { id } })).status).toBe(404);
  });

  it("validates: unknown event, no events, private target without the setting (422); permission webhook.manage (403)", async () => {
    const bad = await call(create, "POST", "/api/v1/webhooks", { token: customer, body: { url: "https://erp.firma.de/h", events: ["invoice.lost"] } });
    expect(bad.status).toBe(422);
    expect((await call(create, "POST", "/api/v1/webhooks", { token: customer, body: { url: "https://erp.firma.de/h", events: [] } })).status).toBe(422);
    delete process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS;
    resetConfigForTests();
    try {
      const local = await call(create, "POST", "/api/v1/webhooks", { token: customer, body: { url: "https://10.0.0.5/hook", events: ["invoice.paid"] } });
      expect(local.status).toBe(422);
      expect(JSON.stringify(local.json)).toContain("privates Netz");
    } finally {
      process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS = "true";
      resetConfigForTests();
    }
    const support = (await v1Login("support@myit.center")).access_token;
    const denied = await call(list, "GET", "/api/v1/webhooks", { token: support });
    expect(denied.status).toBe(403);
    expect(denied.json).toEqual({ detail: { error: "permission_denied", missing: "webhook.manage" } });
  });
});
