/**
 * The return path after sign-in (`/login?next=…`) only ever leads to a page of
 * this app. Each hostile variant is also checked the way a browser would read
 * the resulting `Location:` header: resolved against the app's origin, it must
 * stay on that origin.
 */
import { describe, expect, it } from "vitest";
import { safeReturnPath } from "@/lib/auth/return-to";

const ORIGIN = "https://portal.example";

const hostile: string[] = [
  // dot segments that collapse into a protocol-relative path
  "/.//evil.example",
  "/..//evil.example",
  "/./..//evil.example",
  "/a/..//evil.example",
  "/a/../..//evil.example/x",
  "/%2e//evil.example",
  "/%2e%2e//evil.example",
  "/%2E%2E//evil.example",
  "/.%2e//evil.example",
  "/%2e./%2e%2e//evil.example",
  "/.///evil.example",
  "/..///evil.example",
  // protocol-relative and scheme forms
  "//evil.example",
  "///evil.example",
  "////evil.example",
  "https://evil.example",
  "http://evil.example/",
  "HTTPS://evil.example",
  "javascript:alert(1)",
  "JaVaScRiPt:alert(1)",
  "data:text/html,<script>alert(1)</script>",
  "vbscript:msgbox(1)",
  "mailto:a@evil.example",
  "evil.example",
  "rechnungen",
  "",
  // backslashes (browsers treat them as slashes in special URLs)
  "/\\evil.example",
  "\\\\evil.example",
  "/\\/evil.example",
  "\\/evil.example",
  "/.\\/evil.example",
  "/..\\\\evil.example",
  // whitespace and control characters that URL parsing strips
  "/\t/evil.example",
  "/\n/evil.example",
  "/\r/evil.example",
  " //evil.example",
  "/ /evil.example",
  "/\u0000/evil.example",
  "/\u000b/evil.example",
  "/\u00a0/evil.example",
  "/\u3000/evil.example",
  "/\u2028/evil.example",
  "/\ufeff/evil.example",
  "/\u200b/evil.example",
  // lone surrogates
  "/\ud800/evil.example",
  "/rechnungen\udc00",
  // auth pages, API routes and build assets are no place to return to
  "/login",
  "/login?next=//evil.example",
  "/LOGIN",
  "/passwort-vergessen",
  "/passwort-zuruecksetzen/abc",
  "/./login",
  "/x/../login",
  "/api/v1/auth/logout",
  "/api/manage/auth/logout",
  "/API/manage/auth/logout",
  "/_next/static/x.js",
  // length
  `/${"a".repeat(1000)}`,
];

const kept: [string, string][] = [
  ["/rechnungen/5", "/rechnungen/5"],
  ["/rechnungen?status=offen#x", "/rechnungen?status=offen#x"],
  ["/", "/"],
  ["/konto", "/konto"],
  ["/verwaltung/instanzen/3", "/verwaltung/instanzen/3"],
  ["/./konto", "/konto"],
  ["/a/../konto", "/konto"],
  ["/konto?next=//evil.example", "/konto?next=//evil.example"],
  ["/suche?q=%C3%BC", "/suche?q=%C3%BC"],
  ["/%F0%9F%98%80", "/%F0%9F%98%80"],
];

function browserTarget(path: string): URL {
  return new URL(path, ORIGIN);
}

describe("safeReturnPath", () => {
  it("is tested with at least 50 hostile variants", () => {
    expect(hostile.length).toBeGreaterThanOrEqual(50);
    expect(new Set(hostile).size).toBe(hostile.length);
  });

  it.each(hostile.map((h) => [JSON.stringify(h), h]))("refuses %s", (_, raw) => {
    const result = safeReturnPath(raw);
    expect(result).toBe("/");
  });

  it.each(kept)("keeps %s", (raw, expected) => {
    expect(safeReturnPath(raw)).toBe(expected);
  });

  it("never returns a path a browser would take to another origin", () => {
    for (const raw of [...hostile, ...kept.map(([r]) => r)]) {
      const result = safeReturnPath(raw);
      expect(browserTarget(result).origin, JSON.stringify(raw)).toBe(ORIGIN);
      expect(result.startsWith("/") && !result.startsWith("//") && !result.includes("\\"), JSON.stringify(raw)).toBe(true);
    }
  });

  it("handles null and undefined", () => {
    expect(safeReturnPath(null)).toBe("/");
    expect(safeReturnPath(undefined)).toBe("/");
  });
});
