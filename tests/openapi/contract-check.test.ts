/**
 * The response check (tests/helpers/contract.ts) finds each kind of violation:
 * an undocumented status, a body that breaks its schema (an extra field in a
 * closed shape, a wrong type), a promised header that is missing, a content
 * type the operation does not declare; and a real answer that is documented
 * passes. The CreatedApiKey answer (201 with `message`) is checked live.
 */
import { describe, expect, it } from "vitest";
import { POST as createKey } from "@/app/api/v1/auth/api-keys/route";
import { GET as v1Me } from "@/app/api/v1/auth/me/route";
import { POST as manageLogin } from "@/app/api/manage/auth/login/route";
import { openApiDocument } from "@/lib/doors/v1/openapi";
import { contractViolations as violationsAgainst, type OpenApiDoc } from "../helpers/contract-core";
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

  it("catches a body missing a required field", () => {
    const { url: _url, ...withoutUrl } = endpoint;
    expect(contractViolations("GET", "/api/v1/webhooks/{id}", json(200, { endpoint: withoutUrl })).join()).toContain("must have required property 'url'");
  });

  it("catches a JSON body where the document promises none (the `never` of generated types)", () => {
    const document = structuredClone(openApiDocument()) as unknown as OpenApiDoc;
    delete document.paths["/api/v1/auth/me"]!.get!.responses["200"]!.content;
    expect(violationsAgainst(document, "GET", "/api/v1/auth/me", json(200, { user: {} }))).toEqual([expect.stringContaining("JSON body, none documented")]);
  });

  it("catches a missing Retry-After on a 429 (promised on every 429)", () => {
    const limited = json(429, { message: "Zu viele Versuche.", retry_after: 60 });
    expect(contractViolations("POST", "/api/manage/auth/login", limited)).toEqual([expect.stringContaining("header Retry-After missing")]);
    expect(contractViolations("POST", "/api/manage/auth/login", json(429, { message: "Zu viele Versuche.", retry_after: 60 }, { "retry-after": "60" }))).toEqual([]);
  });

  it("catches a promised header that is missing (Location of a 201)", () => {
    const created = json(201, { endpoint, secret: "whsec_x" });
    expect(contractViolations("POST", "/api/v1/webhooks", created)).toEqual([expect.stringContaining("header Location missing")]);
    expect(contractViolations("POST", "/api/v1/webhooks", json(201, { endpoint, secret: "whsec_x" }, { location: "/api/v1/webhooks/x" }))).toEqual([]);
  });

  it("catches a content type the operation does not declare", () => {
    const answer = { status: 200, headers: new Headers({ "content-type": "text/html", "content-disposition": "attachment", "cache-control": "no-store" }), text: "<html>" };
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

/**
 * The document as it was on main 8b4da55 (issue 23): auth/me without content, the manage error without
 * its detail fields, no 409 while a server action runs, no response headers. The same check finds the
 * real answers of today's server wrong against it, and right against today's document.
 */
function documentOf8b4da55(): OpenApiDoc {
  const document = structuredClone(openApiDocument()) as unknown as OpenApiDoc & { components: { schemas: Record<string, { properties?: Record<string, unknown> }> } };
  delete document.paths["/api/v1/auth/me"]!.get!.responses["200"]!.content;
  delete document.paths["/api/manage/server/reboot"]!.post!.responses["409"];
  const manageError = document.components.schemas.ManageError!;
  manageError.properties = { message: manageError.properties!.message, errors: manageError.properties!.errors };
  for (const item of Object.values(document.paths)) for (const op of Object.values(item)) for (const response of Object.values(op.responses)) delete response.headers;
  return document;
}

describe("against 8b4da55's document the check fails", () => {
  it("GET /api/v1/auth/me: a JSON body the old document did not describe", async () => {
    const { access_token } = await v1Login("admin@firma.de");
    const res = await call(v1Me, "GET", "/api/v1/auth/me", { token: access_token });
    expect(res.status).toBe(200);
    expect(violationsAgainst(documentOf8b4da55(), "GET", "/api/v1/auth/me", res)).toEqual([expect.stringContaining("JSON body, none documented")]);
    expect(violationsAgainst(openApiDocument() as unknown as OpenApiDoc, "GET", "/api/v1/auth/me", res)).toEqual([]);
  });

  it("a manage 429 carries retry_after, which the old ManageError forbade; a 409 while an action runs was undocumented", async () => {
    let limited: Awaited<ReturnType<typeof call>> | undefined;
    for (let i = 0; i < 15 && !limited; i++) {
      const res = await call(manageLogin, "POST", "/api/manage/auth/login", { body: { email: "admin@firma.de", password: "falsch-falsch" }, ip: "198.51.100.77" });
      if (res.status === 429) limited = res;
    }
    expect(limited?.headers.get("retry-after")).toMatch(/^\d+$/);
    expect(violationsAgainst(documentOf8b4da55(), "POST", "/api/manage/auth/login", limited!).join()).toContain("(retry_after)");
    expect(violationsAgainst(openApiDocument() as unknown as OpenApiDoc, "POST", "/api/manage/auth/login", limited!)).toEqual([]);
    const busy = json(409, { message: "Es läuft bereits eine Server-Aktion." });
    expect(violationsAgainst(documentOf8b4da55(), "POST", "/api/manage/server/reboot", busy)).toEqual([expect.stringContaining("status 409 not documented")]);
    expect(violationsAgainst(openApiDocument() as unknown as OpenApiDoc, "POST", "/api/manage/server/reboot", busy)).toEqual([]);
  });
});
