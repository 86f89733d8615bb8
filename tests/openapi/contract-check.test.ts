/**
 * The response check (tests/helpers/contract.ts) finds each kind of violation:
 * an undocumented status, a body that breaks its schema (an extra field in a
 * closed shape, a wrong type), a promised header that is missing, a content
 * type the operation does not declare; and a real answer that is documented
 * passes. The CreatedApiKey answer (201 with `message`) is checked live.
 */
import { describe, expect, it } from "vitest";
import { POST as createKey } from "@/app/api/v1/auth/api-keys/route";
import { useTestDatabase } from "../helpers/db";
import { contractViolations, expectDocumented } from "../helpers/contract";
import { call } from "../helpers/http";
import { setTwoFactor, v1Login } from "../v1/helpers";

useTestDatabase();

const json = (status: number, body: unknown, headers: Record<string, string> = {}) => ({
  status,
  headers: new Headers({ "content-type": "application/json", ...headers }),
  json: body,
});
const endpoint = {
  id: "6f1c1b8e-8d1f-4c55-9a43-0d2b4b8d2f10",
  tenant_id: null,
  url: "https://erp.firma.de/h",
  description: "",
  events: ["invoice.paid"],
  enabled: true,
  disabled_reason: null,
  previous_secret_expires_at: null,
  failing_since: null,
  created_at: "2026-12-04T10:00:00+00:00",
};

describe("the response check", () => {
  it("passes a documented answer", () => {
    expect(contractViolations("GET", "/api/v1/webhooks/{id}", json(200, { endpoint }))).toEqual([]);
  });

  it("catches an undocumented status code", () => {
    expect(contractViolations("GET", "/api/v1/webhooks/{id}", json(409, { detail: { error: "conflict" } }))).toEqual([
      expect.stringContaining("status 409 not documented"),
    ]);
  });

  it("catches a body that breaks its schema: an extra field in a closed shape, a wrong type", () => {
    expect(contractViolations("GET", "/api/v1/webhooks/{id}", json(200, { endpoint: { ...endpoint, secret: "whsec_x" } })).join()).toContain("(secret)");
    expect(contractViolations("GET", "/api/v1/webhooks/{id}", json(200, { endpoint: { ...endpoint, enabled: "yes" } })).join()).toContain("/endpoint/enabled");
  });

  it("catches a promised header that is missing (Location of a 201)", () => {
    const created = json(201, { endpoint, secret: "whsec_x" });
    expect(contractViolations("POST", "/api/v1/webhooks", created)).toEqual([expect.stringContaining("header Location missing")]);
    expect(contractViolations("POST", "/api/v1/webhooks", json(201, { endpoint, secret: "whsec_x" }, { location: "/api/v1/webhooks/x" }))).toEqual([]);
  });

  it("catches a content type the operation does not declare", () => {
    const answer = { status: 200, headers: new Headers({ "content-type": "text/html", "content-disposition": "attachment" }), text: "<html>" };
    expect(contractViolations("GET", "/api/v1/invoices/{id}/e-invoice", answer)).toEqual([expect.stringContaining("content type text/html not documented")]);
  });

  it("POST /api/v1/auth/api-keys: the 201 carrying the new token is valid against CreatedApiKey", async () => {
    await setTwoFactor("admin@firma.de", false);
    const { access_token } = await v1Login("admin@firma.de");
    const res = await call(createKey, "POST", "/api/v1/auth/api-keys", { token: access_token, body: { name: "vertrag", scope: "read" } });
    expect(res.status).toBe(201);
    expect(res.json.message).toEqual(expect.any(String));
    expectDocumented("POST", "/api/v1/auth/api-keys", res);
  });
});
