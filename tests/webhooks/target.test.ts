/** Webhook targets: private networks are refused unless explicitly allowed (never in production). */
import { afterEach, describe, expect, it } from "vitest";
import { parseConfig, resetConfigForTests } from "@/lib/config";
import { checkTargetUrl, isPrivateAddress } from "@/lib/webhooks/target";
import { postWebhook } from "@/lib/webhooks/deliver";

afterEach(() => {
  delete process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS;
  resetConfigForTests();
});

const target = (url: string) => ({ url, messageId: "msg_test", body: "{}", secrets: [`whsec_${Buffer.alloc(24, 1).toString("base64")}`] });

describe("webhook targets", () => {
  it("knows the private, loopback and reserved ranges (IPv4, IPv6, IPv4-mapped)", () => {
    for (const address of ["127.0.0.1", "10.1.2.3", "172.20.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "::1", "fd00::1", "fe80::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1", "::ffff:7f00:1"]) {
      expect(isPrivateAddress(address), address).toBe(true);
    }
    for (const address of ["1.1.1.1", "88.198.1.1", "2a01:4f8::1", "::ffff:8.8.8.8"]) {
      expect(isPrivateAddress(address), address).toBe(false);
    }
  });

  it("refuses http, loopback, private literals and credentials when registering", () => {
    expect(() => checkTargetUrl("http://erp.firma.de/hook")).toThrow();
    expect(() => checkTargetUrl("https://127.0.0.1/hook")).toThrow();
    expect(() => checkTargetUrl("https://[::1]/hook")).toThrow();
    expect(() => checkTargetUrl("https://[::ffff:127.0.0.1]/hook")).toThrow();
    expect(() => checkTargetUrl("https://localhost/hook")).toThrow();
    expect(() => checkTargetUrl("https://user:pw@erp.firma.de/hook")).toThrow();
    expect(checkTargetUrl("https://erp.firma.de/hook")).toBe("https://erp.firma.de/hook");
  });

  it("refuses at delivery a host name that resolves to loopback (checked when connecting)", async () => {
    const result = await postWebhook(target("http://localhost:9/hook"));
    expect(result.ok).toBe(false);
    expect(result.error).toContain("lokalen oder privaten Netz");
    const literal = await postWebhook(target("http://127.0.0.1:9/hook"));
    expect(literal.error).toContain("lokalen oder privaten Netz");
  });

  it("allows local targets only with the explicit setting, and never in production", () => {
    process.env.WEBHOOKS_ALLOW_PRIVATE_TARGETS = "true";
    resetConfigForTests();
    expect(checkTargetUrl("http://127.0.0.1:4000/hook")).toBe("http://127.0.0.1:4000/hook");
    const production = parseConfig({
      NODE_ENV: "production",
      WEBHOOKS_ALLOW_PRIVATE_TARGETS: "true",
      AUTH_SECRET: "x".repeat(40),
      JWT_SIGNING_KEYS: "k:" + "y".repeat(40),
      INSTANCE_AGENT_URL: "https://agent.example",
      INSTANCE_AGENT_SECRET: "z".repeat(20),
      RESEND_API_KEY: "re_test",
    });
    expect(production.webhooksAllowPrivateTargets).toBe(false);
    expect(parseConfig({}).webhooksAllowPrivateTargets).toBe(false);
  });
});
