import { describe, expect, it } from "vitest";
import { POST as manageLogin } from "@/app/api/manage/auth/login/route";
import { DEMO_PASSWORD } from "@/db/seed";
import { anonymousActor } from "@/lib/activity";
import { completeBrowserTwoFactor, login } from "@/lib/auth/login";
import { findActiveSession } from "@/lib/auth/sessions";
import { TwoFactorRequiredError } from "@/lib/auth/two-factor";
import { useTestDatabase } from "../helpers/db";
import { call } from "../helpers/http";
import { latestCode, setTwoFactor, uniqueIp } from "./helpers";

useTestDatabase();
const email = "admin@firma.de";

describe("browser login with e-mail 2FA", () => {
  it("asks for the code instead of opening a session, then signs in with challenge token + code", async () => {
    await setTwoFactor(email, true);
    const error = await login(anonymousActor(uniqueIp()), { email, password: DEMO_PASSWORD, door: "browser" }).catch((e) => e);
    expect(error).toBeInstanceOf(TwoFactorRequiredError);
    expect(error.message).toMatch(/^2FA_REQUIRED:tx_/);
    const code = await latestCode(email);
    const result = await completeBrowserTwoFactor(anonymousActor(uniqueIp()), { challengeToken: error.challengeToken, code });
    expect(await findActiveSession(result.token)).not.toBeNull();
    // Single use.
    await expect(completeBrowserTwoFactor(anonymousActor(uniqueIp()), { challengeToken: error.challengeToken, code })).rejects.toMatchObject({ status: 401 });
  });

  it("does not accept a browser challenge at the API v1 verify step or a wrong code", async () => {
    await setTwoFactor(email, true);
    const error = await login(anonymousActor(uniqueIp()), { email, password: DEMO_PASSWORD, door: "browser" }).catch((e) => e);
    const code = await latestCode(email);
    const wrong = code === "00000000" ? "11111111" : "00000000";
    await expect(completeBrowserTwoFactor(anonymousActor(uniqueIp()), { challengeToken: error.challengeToken, code: wrong })).rejects.toMatchObject({
      status: 401,
      details: { attempts_remaining: 4 },
    });
    const { POST: verify } = await import("@/app/api/v1/auth/2fa/verify/route");
    const res = await call(verify, "POST", "/api/v1/auth/2fa/verify", { body: { challenge_token: error.challengeToken, code }, ip: uniqueIp() });
    expect(res.status).toBe(401);
  });

  it("manage API login of a 2FA account: 403 with a German hint, no session (documented)", async () => {
    await setTwoFactor(email, true);
    const res = await call(manageLogin, "POST", "/api/manage/auth/login", { body: { email, password: DEMO_PASSWORD }, ip: uniqueIp() });
    expect(res.status).toBe(403);
    expect(res.json).toMatchObject({ two_fa_required: true, message: expect.stringMatching(/Zwei-Faktor/) });
    expect(res.json.token).toBeUndefined();
    // Wrong password still answers 401 (no hint that 2FA is on).
    const wrong = await call(manageLogin, "POST", "/api/manage/auth/login", { body: { email, password: "falsch" }, ip: uniqueIp() });
    expect(wrong.status).toBe(401);
    await setTwoFactor(email, false);
  });
});
