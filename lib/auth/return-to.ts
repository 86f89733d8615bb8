/**
 * Where a login returns to (`/login?next=/rechnungen/5`): only paths of this
 * origin. Absolute URLs, protocol-relative `//host`, backslash tricks and
 * the auth pages themselves fall back to the start page. Pure, so the login
 * form and the server share it.
 */
const AUTH_PAGES = ["/login", "/passwort-vergessen", "/passwort-zuruecksetzen"];

export function safeReturnPath(raw: string | null | undefined): string {
  if (!raw || typeof raw !== "string" || raw.length > 1000) return "/";
  if (!raw.startsWith("/") || raw.startsWith("//") || raw.includes("\\")) return "/";
  if (/[\u0000-\u001f]/.test(raw)) return "/";
  let url: URL;
  try {
    url = new URL(raw, "http://same.origin");
  } catch {
    return "/";
  }
  if (url.origin !== "http://same.origin") return "/";
  if (AUTH_PAGES.some((p) => url.pathname === p || url.pathname.startsWith(`${p}/`))) return "/";
  return `${url.pathname}${url.search}${url.hash}`;
}
