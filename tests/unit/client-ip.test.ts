import { afterEach, describe, expect, it } from "vitest";
import { resetConfigForTests } from "@/lib/config";
import { clientIp } from "@/lib/http/client-ip";

afterEach(() => {
  delete process.env.TRUSTED_PROXY_HOPS;
  resetConfigForTests();
});

describe("client IP behind trusted proxies", () => {
  it("takes the address the nearest proxy appended, not what the client claims", () => {
    const headers = new Headers({ "x-forwarded-for": "6.6.6.6, 203.0.113.9" });
    expect(clientIp(headers)).toBe("203.0.113.9");
  });

  it("skips as many entries as there are trusted proxies", () => {
    process.env.TRUSTED_PROXY_HOPS = "2";
    resetConfigForTests();
    expect(clientIp(new Headers({ "x-forwarded-for": "6.6.6.6, 198.51.100.4, 10.0.0.2" }))).toBe("198.51.100.4");
  });

  it("normalises IPv4-mapped IPv6 and copes with a missing header", () => {
    expect(clientIp(new Headers({ "x-forwarded-for": "::ffff:192.0.2.1" }))).toBe("192.0.2.1");
    expect(clientIp(new Headers())).toBe("unknown");
  });
});
