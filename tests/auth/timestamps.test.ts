import { describe, expect, it } from "vitest";
import { POST as manageLoginRoute } from "@/app/api/manage/auth/login/route";
import { GET as listKeys, POST as createKey } from "@/app/api/v1/auth/api-keys/route";
import { GET as listSessions } from "@/app/api/v1/auth/sessions/route";
import { DEMO_PASSWORD } from "@/db/seed";
import { API_TIMESTAMP_PATTERN } from "@/lib/time";
import { openApiDocument } from "@/lib/doors/v1/openapi";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { uniqueIp, v1Login } from "../v1/helpers";

useTestDatabase();
const email = "admin@firma.de";

describe("auth endpoints write timestamps as the contract does", () => {
  it("manage login, sessions and API keys use 2026-03-04T10:00:00+00:00", async () => {
    const manage = await call(manageLoginRoute, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(manage.json.expires_at).toMatch(API_TIMESTAMP_PATTERN);

    const { access_token } = await v1Login(email);
    const headers = { authorization: `Bearer ${access_token}` };
    const sessions = await call(listSessions, "GET", "/api/v1/auth/sessions", { headers });
    expect(sessions.status).toBe(200);
    expect(sessions.json.sessions.length).toBeGreaterThanOrEqual(2);
    for (const s of sessions.json.sessions) {
      expect(s.created_at).toMatch(API_TIMESTAMP_PATTERN);
      expect(s.last_used_at).toMatch(API_TIMESTAMP_PATTERN);
    }
    expect(sessions.json.sessions.filter((s: { current: boolean }) => s.current)).toHaveLength(1);

    const created = await call(createKey, "POST", "/api/v1/auth/api-keys", {
      headers,
      body: { name: "zeit", scope: "read", expires_at: "2030-01-01T12:00:00.500Z" },
    });
    expect(created.status).toBe(201);
    expect(created.json.created_at).toMatch(API_TIMESTAMP_PATTERN);
    expect(created.json.expires_at).toBe("2030-01-01T12:00:00+00:00");
    expect(created.json.last_used_at).toBeNull();
    const listed = await call(listKeys, "GET", "/api/v1/auth/api-keys", { headers });
    expect(listed.json.api_keys[0]).toMatchObject({ name: "zeit", expires_at: "2030-01-01T12:00:00+00:00" });
  });

  it("documents those fields as date-time in the OpenAPI document", () => {
    type Prop = { format?: string; anyOf?: Prop[] };
    const schemas = (openApiDocument() as unknown as { components: { schemas: Record<string, { properties: Record<string, Prop> }> } }).components.schemas;
    const format = (p: Prop) => p.format ?? p.anyOf?.find((x) => x.format)?.format;
    for (const field of ["created_at", "last_used_at", "expires_at"]) expect(format(schemas.ApiKey.properties[field])).toBe("date-time");
    for (const field of ["created_at", "last_used_at"]) expect(format(schemas.Session.properties[field])).toBe("date-time");
  });
});
