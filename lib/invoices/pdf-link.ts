/**
 * Short-lived signed download links for archived invoice PDFs. A suspended instance reaches only
 * `/auth/*` and `/status` of the manage API, yet its customer must be able to pay against the
 * documents. So the payment block of `/status` carries, per open invoice, a link that is valid on
 * its own for 15 minutes and is served outside the manage API (`GET /api/files/invoices/<id>.pdf`).
 *
 * - Signature: HMAC-SHA256 over invoice id and expiry (Unix seconds), key derived from AUTH_SECRET
 *   with HKDF and its own `info`, so the key signs nothing else and no second secret is managed.
 *   Rotating AUTH_SECRET invalidates every open link (the customer reloads the page).
 * - The signature is checked first (constant-time): anything changed – id, expiry, signature – is
 *   "invalid" (403). Only a genuine link whose time has passed is "expired" (410).
 * - The link names one invoice, nothing else; it carries no session and grants nothing beyond that
 *   invoice's archived PDF.
 */
import { createHmac, hkdfSync } from "node:crypto";
import { config } from "@/lib/config";
import { constantTimeEqual } from "@/lib/crypto/tokens";
import { apiTimestamp } from "@/lib/time";

export const PDF_LINK_TTL_SECONDS = 15 * 60;
export const PDF_LINK_PATH = "/api/files/invoices";

function key(): Buffer {
  return Buffer.from(hkdfSync("sha256", config().AUTH_SECRET, "manage-portal", "manage-portal/invoice-pdf-link/v1", 32));
}

export function pdfLinkSignature(invoiceId: number, expires: number): string {
  return createHmac("sha256", key()).update(`invoice-pdf:${invoiceId}:${expires}`).digest("base64url");
}

/** A link to the invoice's archived PDF, valid for 15 minutes from `now` (a path on this portal). */
export function signedPdfLink(invoiceId: number, now: Date = new Date()) {
  const expires = Math.floor(now.getTime() / 1000) + PDF_LINK_TTL_SECONDS;
  const query = new URLSearchParams({ expires: String(expires), signature: pdfLinkSignature(invoiceId, expires) });
  return { url: `${PDF_LINK_PATH}/${invoiceId}.pdf?${query}`, expires_at: apiTimestamp(new Date(expires * 1000)) };
}

export type PdfLinkCheck = { ok: true; invoiceId: number } | { ok: false; reason: "invalid" | "expired" };

/** Checks a link's parts: the file segment (`<id>.pdf`), `expires` and `signature` of its query. */
export function verifyPdfLink(file: string, expires: string | null, signature: string | null, now: Date = new Date()): PdfLinkCheck {
  const id = /^([1-9]\d{0,9})\.pdf$/.exec(file)?.[1];
  if (!id || !expires || !/^\d{1,12}$/.test(expires) || !signature || !/^[A-Za-z0-9_-]{43}$/.test(signature)) return { ok: false, reason: "invalid" };
  const invoiceId = Number(id);
  const expiresAt = Number(expires);
  if (!constantTimeEqual(signature, pdfLinkSignature(invoiceId, expiresAt))) return { ok: false, reason: "invalid" };
  if (expiresAt * 1000 <= now.getTime()) return { ok: false, reason: "expired" };
  return { ok: true, invoiceId };
}
