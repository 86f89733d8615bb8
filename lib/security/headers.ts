/**
 * Security headers of every answer. Pages get a Content-Security-Policy with a
 * fresh nonce per request (proxy.ts), so no inline script runs unless Next.js
 * itself put it there; `style-src 'unsafe-inline'` stays because React style
 * attributes need it (styles cannot run code). Development adds
 * `'unsafe-eval'`, which React's dev build needs for its error overlay.
 */
export function contentSecurityPolicy(nonce: string, dev: boolean) {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self'",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "frame-src 'self'",
    ...(dev ? [] : ["upgrade-insecure-requests"]),
  ].join("; ");
}

export const PERMISSIONS_POLICY =
  "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=(), browsing-topics=(), publickey-credentials-get=(self)";

/** Strict-Transport-Security only when the portal is served over https (never on plain-http development). */
export function strictTransportSecurity(appUrl: string | undefined) {
  return appUrl?.startsWith("https://") ? "max-age=63072000; includeSubDomains" : null;
}
