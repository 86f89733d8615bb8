/**
 * Route helpers of the invoice endpoints: the id param and the PDF answer.
 * Access is declared with the shared wrappers of lib/http/manage-route.ts and
 * lib/v1/route.ts (one per audience), never here.
 */
import { intIdParam, type RouteParamValues } from "@/lib/http/params";

/** Route param "id" → invoice id; anything that is not a valid id is a 404 (never a 500). */
export function invoiceIdParam(params: RouteParamValues): number {
  return intIdParam(params, "id", "Rechnung nicht gefunden.");
}

/** Archived PDFs never change (GoBD): a strong ETag from their SHA-256 and private, immutable caching. */
export const ARCHIVED_PDF_CACHE_CONTROL = "private, max-age=31536000, immutable";

export type PdfAnswer = { filename: string; bytes: Buffer; sha256?: string | null };

export function pdfEtag(sha256: string) {
  return `"${sha256}"`;
}

/** PDF response; `inline` for the in-browser view, otherwise a download. */
export function pdfResponse(pdf: PdfAnswer, inline: boolean) {
  return new Response(new Uint8Array(pdf.bytes), {
    status: 200,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(pdf.bytes.length),
      "Content-Disposition": `${inline ? "inline" : "attachment"}; filename="${pdf.filename}"`,
      ...(pdf.sha256 ? { ETag: pdfEtag(pdf.sha256), "Cache-Control": ARCHIVED_PDF_CACHE_CONTROL } : { "Cache-Control": "private, no-store" }),
      "X-Content-Type-Options": "nosniff",
    },
  });
}

/** Whether `If-None-Match` names this ETag (weak comparison, RFC 9110 13.1.2). */
export function matchesIfNoneMatch(req: Request, etag: string) {
  const header = req.headers.get("if-none-match");
  if (!header) return false;
  return header.split(",").some((candidate) => {
    const tag = candidate.trim();
    return tag === "*" || tag.replace(/^W\//, "") === etag;
  });
}

/**
 * GET of an archived PDF: with a matching `If-None-Match` a 304 from the stored
 * SHA-256 alone (the bytes are not read); otherwise the bytes with their ETag.
 */
export async function pdfDownload(req: Request, source: { sha256: () => Promise<string | null>; load: () => Promise<PdfAnswer> }) {
  if (req.headers.has("if-none-match")) {
    const sha256 = await source.sha256();
    if (sha256 && matchesIfNoneMatch(req, pdfEtag(sha256))) {
      return new Response(null, {
        status: 304,
        headers: { ETag: pdfEtag(sha256), "Cache-Control": ARCHIVED_PDF_CACHE_CONTROL, "X-Content-Type-Options": "nosniff" },
      });
    }
  }
  return pdfResponse(await source.load(), wantsInline(req));
}

export function wantsInline(req: Request) {
  const value = new URL(req.url).searchParams.get("inline");
  return value === "1" || value === "true";
}

/** ZIP download (the accountant's year archive); never cached, it grows with each new invoice. */
export function zipResponse(archive: { filename: string; stream: ReadableStream<Uint8Array> }) {
  return new Response(archive.stream, {
    status: 200,
    headers: {
      "Content-Type": "application/zip",
      "Content-Disposition": `attachment; filename="${archive.filename}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
