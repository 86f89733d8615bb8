/**
 * Request paths whose percent-encoding does not decode (`%C0%AE`, `%FF%FE`,
 * an encoded lone surrogate, a stray `%`): Next's router decodes every
 * dynamic segment and answers a plain-text 500 when that fails. The portal's
 * request listener refuses such paths first with a 400 in the API family's
 * JSON error shape. The query string is not checked here: URLSearchParams
 * replaces undecodable bytes with U+FFFD and the schemas judge the rest.
 */
const MESSAGE = "Die Adresse enthält eine ungültige Prozent-Kodierung.";

export function malformedRequestPath(url: string): boolean {
  const path = url.split(/[?#]/, 1)[0];
  if (!path.includes("%")) return false;
  try {
    decodeURIComponent(path);
    return false;
  } catch {
    return true;
  }
}

/** Status, content type and body of the 400 for `url`'s family. */
export function malformedPathAnswer(url: string): { status: 400; contentType: string; body: string } {
  if (url.startsWith("/api/v1/")) {
    return { status: 400, contentType: "application/json; charset=utf-8", body: JSON.stringify({ detail: { error: "bad_request", message: MESSAGE } }) };
  }
  if (url.startsWith("/api/")) return { status: 400, contentType: "application/json; charset=utf-8", body: JSON.stringify({ message: MESSAGE }) };
  return { status: 400, contentType: "text/plain; charset=utf-8", body: MESSAGE };
}
