import { describe, expect, it } from "vitest";
import { POST as manageLogin } from "@/app/api/manage/auth/login/route";
import { PUT as changePassword } from "@/app/api/manage/auth/password/route";
import { GET as me } from "@/app/api/v1/auth/me/route";
import { POST as refreshRoute } from "@/app/api/v1/auth/refresh/route";
import { DEMO_PASSWORD } from "@/db/seed";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { v1Login } from "./helpers";

useTestDatabase();

describe("a password change ends the API v1 tokens as well", () => {
  it("revokes the user's refresh-token families and their access tokens", async () => {
    const tokens = await v1Login("admin@firma.de");
    expect((await call(me, "GET", "/api/v1/auth/me", { token: tokens.access_token })).status).toBe(200);

    const session = await call(manageLogin, "POST", "/api/manage/auth/login", {
      body: { email: "admin@firma.de", password: DEMO_PASSWORD },
      ip: "198.18.5.1",
    });
    const changed = await call(changePassword, "PUT", "/api/manage/auth/password", {
      token: session.json.token,
      body: { current_password: DEMO_PASSWORD, password: "ganz-neues-passwort", password_confirmation: "ganz-neues-passwort" },
    });
    expect(changed.status).toBe(200);

    expect((await call(me, "GET", "/api/v1/auth/me", { token: tokens.access_token })).status).toBe(401);
    const refreshed = await call(refreshRoute, "POST", "/api/v1/auth/refresh", { token: tokens.refresh_token });
    expect(refreshed.status).toBe(401);
  });
});
