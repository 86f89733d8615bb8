import { describe, expect, it } from "vitest";
import { GET as status } from "@/app/api/manage/status/route";
import { POST as v1Login } from "@/app/api/v1/auth/login/route";
import { GET as me } from "@/app/api/v1/auth/me/route";
import { DEMO_PASSWORD } from "@/db/seed";
import { runWithRequestContext, type RequestContext } from "@/lib/observability/request-context";
import { loginAs } from "../admin/helpers";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";

useTestDatabase();

describe("request context", () => {
  it("names the user and instance of an authenticated request for its log lines (manage API and API v1)", async () => {
    const token = await loginAs("admin@firma.de");
    const manage: RequestContext = { requestId: "req-manage" };
    const res = await runWithRequestContext(manage, () => call(status, "GET", "/api/manage/status", { token }));
    expect(res.status).toBe(200);
    expect(manage.userId).toMatch(/^[0-9a-f-]{36}$/);
    expect(manage.instanceId).toBe(res.json.instance.id);

    const login = await call(v1Login, "POST", "/api/v1/auth/login", { body: { email: "admin@firma.de", password: DEMO_PASSWORD }, ip: "198.51.100.201" });
    expect(login.status).toBe(200);
    const v1: RequestContext = { requestId: "req-v1" };
    const answer = await runWithRequestContext(v1, () => call(me, "GET", "/api/v1/auth/me", { token: login.json.access_token }));
    expect(answer.status).toBe(200);
    expect(v1.userId).toBe(manage.userId);
  });

  it("leaves an anonymous request without a user", async () => {
    const ctx: RequestContext = { requestId: "req-anon" };
    const res = await runWithRequestContext(ctx, () => call(status, "GET", "/api/manage/status"));
    expect(res.status).toBe(401);
    expect(ctx.userId).toBeUndefined();
  });
});
