import { describe, expect, it } from "vitest";
import { ConfigError, parseConfig } from "@/lib/config";

describe("configuration from the environment", () => {
  it("runs with development defaults when nothing is set", () => {
    const cfg = parseConfig({});
    expect(cfg.SESSION_TTL_HOURS).toBe(24);
    expect(cfg.mailTransport).toBe("outbox");
    expect(cfg.AUTH_SECRET.length).toBeGreaterThanOrEqual(32);
  });

  it("names each invalid variable in the error", () => {
    expect(() => parseConfig({ SESSION_TTL_HOURS: "nie", APP_URL: "kein-url" })).toThrow(ConfigError);
    try {
      parseConfig({ SESSION_TTL_HOURS: "nie", APP_URL: "kein-url" });
    } catch (error) {
      expect((error as Error).message).toMatch(/SESSION_TTL_HOURS/);
      expect((error as Error).message).toMatch(/APP_URL/);
    }
  });

  it("chooses Resend when an API key is configured and refuses Resend without one", () => {
    expect(parseConfig({ RESEND_API_KEY: "re_123" }).mailTransport).toBe("resend");
    expect(() => parseConfig({ MAIL_TRANSPORT: "resend" })).toThrow(/RESEND_API_KEY/);
  });

  it("takes the session lifetime from the environment", () => {
    expect(parseConfig({ SESSION_TTL_HOURS: "8" }).SESSION_TTL_HOURS).toBe(8);
  });

  it("refuses to start in production without a mail transport, naming RESEND_API_KEY", () => {
    const production = { NODE_ENV: "production" };
    expect(() => parseConfig(production)).toThrow(/RESEND_API_KEY/);
    expect(parseConfig({ ...production, RESEND_API_KEY: "re_live" }).mailTransport).toBe("resend");
    // An explicit outbox is allowed; it is readable by signed-in MSP staff only (never by the dev tools).
    const outbox = parseConfig({ ...production, MAIL_TRANSPORT: "outbox" });
    expect(outbox.mailTransport).toBe("outbox");
    expect(outbox.devTools).toBe(false);
  });

  it("requires two factors for staff by default in production only; STAFF_REQUIRE_SECOND_FACTOR overrides", () => {
    const production = { NODE_ENV: "production", RESEND_API_KEY: "re_live" };
    expect(parseConfig(production).staffRequireSecondFactor).toBe(true);
    expect(parseConfig({ ...production, STAFF_REQUIRE_SECOND_FACTOR: "false" }).staffRequireSecondFactor).toBe(false);
    expect(parseConfig({ ...production, APP_ENV: "test" }).staffRequireSecondFactor).toBe(false);
    expect(parseConfig({}).staffRequireSecondFactor).toBe(false);
    expect(parseConfig({ STAFF_REQUIRE_SECOND_FACTOR: "true" }).staffRequireSecondFactor).toBe(true);
  });

  it("never turns the development tools on in production", () => {
    expect(parseConfig({ NODE_ENV: "production", RESEND_API_KEY: "re_live", DEV_TOOLS: "true" }).devTools).toBe(false);
    expect(parseConfig({ DEV_TOOLS: "true" }).devTools).toBe(true);
    expect(parseConfig({}).devTools).toBe(true);
  });
});
