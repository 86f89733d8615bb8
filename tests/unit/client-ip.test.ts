import { afterEach, describe, expect, it } from "vitest";
import { resetConfigForTests } from "@/lib/config";
import { clientIp } from "@/lib/http/client-ip";

afterEach(() => {
  delete process.env.TRUSTED_PROXY_HOPS;
  resetConfigForTests();
});

describe("client IP as route code sees it", () => {
  it("takes the address the portal server determined (internal header)", () => {
    const headers = new Headers({ "x-manage-client-ip": "::ffff:198.51.100.4", "x-forwarded-for": "6.6.6.6", "x-real-ip": "7.7.7.7" });
    expect(clientIp(headers)).toBe("198.51.100.4");
  });

  it("trusts no forwarded header by default (TRUSTED_PROXY_HOPS=0)", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }))).toBe("unknown");
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6", "x-real-ip": "192.0.2.5" }))).toBe("192.0.2.5");
    expect(clientIp(new Headers())).toBe("unknown");
  });

  it("with proxies configured, skips as many entries as there are trusted proxies", () => {
    process.env.TRUSTED_PROXY_HOPS = "1";
    resetConfigForTests();
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" }))).toBe("203.0.113.9");
    process.env.TRUSTED_PROXY_HOPS = "2";
    resetConfigForTests();
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.2" }))).toBe("198.51.100.4");
    // Fewer entries than proxies: nothing in the header is trustworthy.
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6" }))).toBe("unknown");
  });

  it("normalises IPv4-mapped IPv6", () => {
    process.env.TRUSTED_PROXY_HOPS = "1";
    resetConfigForTests();
    expect(clientIp(new Headers({ "x-forwarded-for": "::ffff:192.0.2.1" }))).toBe("192.0.2.1");
  });
});
