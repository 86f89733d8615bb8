import fc from "fast-check";
import { domainToASCII, domainToUnicode } from "node:url";
import { describe, expect, it } from "vitest";
import { decodePunycodeLabel, hostForms, toUnicodeHost } from "@/lib/client/hostname";

describe("toUnicodeHost (saved Punycode → what the user reads)", () => {
  it("decodes internationalised labels and leaves the others alone", () => {
    expect(toUnicodeHost("xn--mller-kva.de")).toBe("müller.de");
    expect(toUnicodeHost("portal.xn--bcher-kva.example")).toBe("portal.bücher.example");
    expect(toUnicodeHost("xn--fiqs8s.xn--fiqz9s")).toBe("中国.中國");
    expect(toUnicodeHost("xn--80ak6aa92e.com")).toBe("аррӏе.com");
    expect(toUnicodeHost("acme.portal.myit.center")).toBe("acme.portal.myit.center");
  });

  it("RFC 3492 sample strings decode to their Unicode text", () => {
    // RFC 3492 section 7.1 (A) Arabic (Egyptian), (L) Japanese, (S) ASCII with a hyphen.
    expect(decodePunycodeLabel("egbpdaj6bu4bxfgehfvwxn")).toBe("ليهمابتكلموشعربي؟");
    expect(decodePunycodeLabel("3B-ww4c5e180e575a65lsy2b")).toBe("3年B組金八先生");
    expect(decodePunycodeLabel("-> $1.00 <--")).toBe("-> $1.00 <-");
  });

  it("shows a malformed or non-canonical xn-- label as stored, never as another name", () => {
    expect(toUnicodeHost("xn--.de")).toBe("xn--.de");
    expect(toUnicodeHost("xn--zzzzzzzzzzzzzzzzzzzz.de")).toBe("xn--zzzzzzzzzzzzzzzzzzzz.de");
    expect(toUnicodeHost("xn--abc-.de")).toBe("xn--abc-.de");
    // "xn--ab" decodes to two control characters, which are no host name.
    expect(toUnicodeHost("xn--ab.de")).toBe("xn--ab.de");
    // "xn--wca" is "Ü" (upper case), which a browser would send as "xn--tda" ("ü"): not the stored name.
    expect(decodePunycodeLabel("wca")).toBe("Ü");
    expect(toUnicodeHost("xn--wca.de")).toBe("xn--wca.de");
  });

  it("agrees with Node's domainToUnicode for every valid internationalised host", () => {
    const label = fc
      .array(fc.constantFrom(..."abcdefghijklmnopqrstuvwxyz0123456789äöüßéçñøåæœ中國日本語аеорстуі"), { minLength: 1, maxLength: 12 })
      .map((chars) => chars.join(""));
    fc.assert(
      fc.property(fc.array(label, { minLength: 2, maxLength: 4 }), (labels) => {
        const ascii = domainToASCII(labels.join("."));
        fc.pre(ascii !== "");
        expect(toUnicodeHost(ascii)).toBe(domainToUnicode(ascii));
      }),
      { numRuns: 300 },
    );
  });
});

describe("hostForms", () => {
  it("uses the typed Unicode form when it maps to the checked name, else decodes the ASCII name", () => {
    expect(hostForms("xn--mller-kva.de", "Müller.de")).toEqual({ unicode: "müller.de", ascii: "xn--mller-kva.de" });
    expect(hostForms("xn--mller-kva.de", null)).toEqual({ unicode: "müller.de", ascii: "xn--mller-kva.de" });
    expect(hostForms("xn--mller-kva.de", "other.de")).toEqual({ unicode: "müller.de", ascii: "xn--mller-kva.de" });
    expect(hostForms("portal.acme.de", "Portal.Acme.de")).toEqual({ unicode: "portal.acme.de", ascii: "portal.acme.de" });
  });
});
