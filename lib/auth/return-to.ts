/**
 * Where a login returns to (`/login?next=/rechnungen/5`): only pages of this
 * app. The raw value is resolved against a stand-in origin and the *result*
 * is checked, not the input: dot segments and tabs are removed by URL
 * parsing, so `/.//evil.example` or `/\t/evil.example` only become
 * `//evil.example` after resolution. The returned path must resolve to
 * itself again on the same origin (a browser reading `Location:` does the
 * same resolution), must not start with `//` or contain a backslash, and must
 * not be an auth page, an API route or a build asset. Anything else falls
 * back to the start page. Pure, so the login form and the server share it.
 */
const BASE = "http://same.origin";
const AUTH_PAGES = ["/login", "/passwort-vergessen", "/passwort-zuruecksetzen"];
const NOT_PAGES = ["/api", "/_next"];

function underAny(pathname: string, prefixes: string[]): boolean {
  const lower = pathname.toLowerCase();
  return prefixes.some((p) => lower === p || lower.startsWith(`${p}/`));
}

export function safeReturnPath(raw: string | null | undefined): string {
  if (!raw || typeof raw !== "string" || raw.length > 1000) return "/";
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return "/";
  // Control characters, whitespace and lone surrogates: URL parsing would
  // silently drop or rewrite them, so the checked text is not what a browser sees.
  if (/[\u0000-\u0020\u007f-\u009f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u2060\u3000\ufeff]/.test(raw)) return "/";
  if (/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/.test(raw)) return "/";
  let url: URL;
  try {
    url = new URL(raw, BASE);
  } catch {
    return "/";
  }
  if (url.origin !== BASE) return "/";
  const path = `${url.pathname}${url.search}${url.hash}`;
  if (!path.startsWith("/") || path.startsWith("//") || path.includes("\\")) return "/";
  let again: URL;
  try {
    again = new URL(path, "https://other.origin");
  } catch {
    return "/";
  }
  if (again.origin !== "https://other.origin" || `${again.pathname}${again.search}${again.hash}` !== path) return "/";
  if (underAny(url.pathname, AUTH_PAGES) || underAny(url.pathname, NOT_PAGES)) return "/";
  return path;
}
