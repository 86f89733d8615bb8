import { describe, expect, it } from "vitest";
import { GET as openapi } from "@/app/api/v1/openapi.json/route";
import { GET as unknown } from "@/app/api/v1/[...path]/route";
import { call } from "../helpers/http";

describe("GET /api/v1/openapi.json", () => {
  it("serves an OpenAPI 3.1 document generated from the zod schemas, covering v1 and the manage API", async () => {
    const res = await call(openapi, "GET", "/api/v1/openapi.json");
    expect(res.status).toBe(200);
    expect(res.json.openapi).toBe("3.1.0");
    for (const path of ["/api/v1/auth/login", "/api/v1/auth/2fa/verify", "/api/v1/auth/refresh", "/api/v1/auth/api-keys", "/api/v1/hosts", "/api/v1/tenants", "/api/manage/auth/login", "/api/manage/server/reboot"]) {
      expect(res.json.paths[path], path).toBeDefined();
    }
    const schemas = res.json.components.schemas;
    expect(schemas.TokenResponse.properties).toHaveProperty("refresh_token");
    expect(schemas.CreateApiKeyRequest.properties.scope.enum).toEqual(["read", "read_write"]);
    expect(schemas.TwoFactorVerifyRequest.properties.code.pattern).toBeDefined();
  });

  it("answers unknown v1 endpoints with 404 in the v1 error shape", async () => {
    const res = await call(unknown, "GET", "/api/v1/gibtsnicht", { outsideContract: "the catch-all 404 route of unknown paths" });
    expect(res.status).toBe(404);
    expect(res.json.detail.error).toBe("not_found");
  });
});
