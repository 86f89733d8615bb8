/**
 * File answers of both API doors: invoice PDFs, e-invoices, the year archive.
 * One helper (`fileResponse`) sets the download headers for all of them
 * (type, length, Content-Disposition, nosniff, caching), so a fix to one is a
 * fix to all. Archived PDFs never change (GoBD): they get a strong ETag from
 * their SHA-256 and private, immutable caching; everything else is not stored.
 */
import { ValidationError } from "@/lib/errors";

export const ARCHIVED_PDF_CACHE_CONTROL = "private, max-age=31536000, immutable";
const NOT_STORED = "private, no-store";

export type PdfAnswer = { filename: string; bytes: Buffer; sha256?: string | null };

type FileAnswer = {
  filename: string;
  contentType: string;
  body: Uint8Array | ReadableStream<Uint8Array>;
  /** `inline` for the in-browser view, otherwise a download. */
  inline?: boolean;
  etag?: string;
  cacheControl?: string;
};

/** A file download: the one place for Content-Disposition, nosniff and caching of files. */
export function fileResponse(file: FileAnswer) {
  const headers: Record<string, string> = {
    "Content-Type": file.contentType,
    "Content-Disposition": `${file.inline ? "inline" : "attachment"}; filename="${file.filename}"`,
    "Cache-Control": file.cacheControl ?? NOT_STORED,
    "X-Content-Type-Options": "nosniff",
  };
  if (file.body instanceof Uint8Array) headers["Content-Length"] = String(file.body.length);
  if (file.etag) headers.ETag = file.etag;
  return new Response(file.body instanceof Uint8Array ? new Uint8Array(file.body) : file.body, { status: 200, headers });
}

export function pdfEtag(sha256: string) {
  return `"${sha256}"`;
}

/** PDF response; `inline` for the in-browser view, otherwise a download. */
export function pdfResponse(pdf: PdfAnswer, inline: boolean) {
  return fileResponse({
    filename: pdf.filename,
    contentType: "application/pdf",
    body: pdf.bytes,
    inline,
    ...(pdf.sha256 ? { etag: pdfEtag(pdf.sha256), cacheControl: ARCHIVED_PDF_CACHE_CONTROL } : {}),
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
  return fileResponse({ filename: archive.filename, contentType: "application/zip", body: archive.stream });
}

/** An e-invoice file (XML or Factur-X PDF) as a download. */
export function eInvoiceResponse(file: { filename: string; contentType: string; bytes: Buffer }) {
  return fileResponse({ filename: file.filename, contentType: file.contentType, body: file.bytes });
}

export type EInvoiceFormatRequest = { format?: "zugferd" | "xrechnung" | "cii" | "facturx" };

/** `?format=` of the e-invoice endpoints; anything else is a 422. */
export function parseEInvoiceFormat(req: Request): EInvoiceFormatRequest {
  const raw = new URL(req.url).searchParams.get("format");
  if (raw === null || raw === "") return {};
  if (raw === "zugferd" || raw === "xrechnung" || raw === "cii" || raw === "facturx") return { format: raw };
  throw new ValidationError({ format: ["Unbekanntes Format. Erlaubt: zugferd, cii, xrechnung, facturx."] });
}
