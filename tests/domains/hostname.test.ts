import { describe, expect, it } from "vitest";
import { HOSTNAME_ERRORS, normalizeCustomDomain } from "@/lib/domains/hostname";

const opts = { mspZone: "myit.center" };
const norm = (s: string) => normalizeCustomDomain(s, opts);

function expectOk(input: string, domain: string) {
  expect(norm(input)).toEqual({ ok: true, domain });
}
function expectError(input: string, match: string | RegExp) {
  const r = norm(input);
  expect(r.ok, `${input} should be refused`).toBe(false);
  if (!r.ok) {
    if (typeof match === "string") expect(r.error).toBe(match);
    else expect(r.error).toMatch(match);
  }
}

describe("normalizeCustomDomain", () => {
  it("accepts plain host names, lower-cases and trims", () => {
    expectOk("portal.acme.de", "portal.acme.de");
    expectOk("  Portal.ACME.De  ", "portal.acme.de");
    expectOk("acme.de", "acme.de");
    expectOk("a-b.c-d.example.com", "a-b.c-d.example.com");
    expectOk("123.acme.io", "123.acme.io");
  });

  it("strips exactly one trailing dot", () => {
    expectOk("portal.acme.de.", "portal.acme.de");
    expectError("portal.acme.de..", HOSTNAME_ERRORS.emptyLabel);
  });

  it("converts IDN to punycode", () => {
    expectOk("bücher.de", "xn--bcher-kva.de");
    expectOk("Portal.BÜCHER.de", "portal.xn--bcher-kva.de");
    expectOk("portal.xn--bcher-kva.de", "portal.xn--bcher-kva.de");
    expectOk("münchen.example.xn--p1ai", "xn--mnchen-3ya.example.xn--p1ai");
  });

  it("refuses scheme and path", () => {
    for (const input of [
      "https://portal.acme.de",
      "http://portal.acme.de/",
      "portal.acme.de/login",
      "//portal.acme.de",
      "portal.acme.de?x=1",
      "portal.acme.de#top",
      "user@portal.acme.de",
    ]) {
      expectError(input, HOSTNAME_ERRORS.schemeOrPath);
    }
    expect(HOSTNAME_ERRORS.schemeOrPath).toBe("Bitte nur den Hostnamen angeben, ohne https:// oder Pfad.");
  });

  it("refuses ports", () => {
    expectError("portal.acme.de:443", HOSTNAME_ERRORS.port);
    expectError("portal.acme.de:", HOSTNAME_ERRORS.port);
  });

  it("refuses IP addresses", () => {
    for (const input of ["49.12.34.56", "49.12.34.56.", "49.12.34.56:80", "::1", "[2001:db8::1]", "[2001:db8::1]:443"]) {
      expectError(input, HOSTNAME_ERRORS.ipAddress);
    }
  });

  it("refuses wildcards, whitespace and invalid characters", () => {
    expectError("*.acme.de", HOSTNAME_ERRORS.wildcard);
    expectError("portal acme.de", HOSTNAME_ERRORS.whitespace);
    expectError("por_tal.acme.de", HOSTNAME_ERRORS.invalidChars);
    expectError("portal!.acme.de", HOSTNAME_ERRORS.invalidChars);
    expectError("-portal.acme.de", HOSTNAME_ERRORS.hyphenEdge);
    expectError("portal-.acme.de", HOSTNAME_ERRORS.hyphenEdge);
  });

  it("refuses empty input and single labels / bad TLDs", () => {
    expectError("", HOSTNAME_ERRORS.empty);
    expectError("   ", HOSTNAME_ERRORS.empty);
    expectError("localhost", HOSTNAME_ERRORS.tooFewLabels);
    expectError("portal.acme.d", HOSTNAME_ERRORS.invalidTld);
    expectError("portal.acme.123", HOSTNAME_ERRORS.invalidTld);
    expectError("portal..acme.de", HOSTNAME_ERRORS.emptyLabel);
    expectError(".acme.de", HOSTNAME_ERRORS.emptyLabel);
  });

  it("enforces label and total length limits", () => {
    const label63 = "a".repeat(63);
    expectOk(`${label63}.acme.de`, `${label63}.acme.de`);
    expectError(`${"a".repeat(64)}.acme.de`, /zu lang \(höchstens 63 Zeichen/);

    // 253 characters total is allowed, 254 is not.
    const labels = Array.from({ length: 4 }, () => "b".repeat(61)); // 4*61 + 3 dots = 247
    const base = `${labels.join(".")}.ab.de`; // 247 + 6 = 253
    expect(base.length).toBe(253);
    expectOk(base, base);
    expectError(`${labels.join(".")}.abc.de`, HOSTNAME_ERRORS.tooLong);
    expectError(`${"a.".repeat(600)}de`, HOSTNAME_ERRORS.tooLong);
  });

  it("checks lengths on the punycode form", () => {
    // 54 accented characters (fine as Unicode) expand to 72 ASCII characters.
    const accents = "äöüßéèêëïîôûçñåøæœáíóúàìòùâ".repeat(2);
    expect(accents.length).toBeLessThanOrEqual(63);
    expectError(`${accents}.acme.de`, /zu lang \(höchstens 63 Zeichen/);
  });

  it("refuses the MSP's own zone and everything below it", () => {
    expectError("myit.center", /myit\.center/);
    expectError("portal.myit.center", /gehören dem Anbieter/);
    expectError("ACME.Portal.MyIT.Center.", /gehören dem Anbieter/);
    expectOk("notmyit.center", "notmyit.center");
    expectOk("myit.center.acme.de", "myit.center.acme.de");
    // zone given with trailing dot / upper case
    expect(normalizeCustomDomain("x.myit.center", { mspZone: "MyIT.Center." }).ok).toBe(false);
  });
});
