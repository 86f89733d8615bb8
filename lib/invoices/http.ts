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

/** PDF response; `inline` for the in-browser view, otherwise a download. */
export function pdfResponse(pdf: { filename: string; bytes: Buffer }, inline: boolean) {
  return new Response(new Uint8Array(pdf.bytes), {
    status: 200,
    headers: {
      "Content-Type": "application/pdf",
      "Content-Length": String(pdf.bytes.length),
      "Content-Disposition": `${inline ? "inline" : "attachment"}; filename="${pdf.filename}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}

export function wantsInline(req: Request) {
  const value = new URL(req.url).searchParams.get("inline");
  return value === "1" || value === "true";
}
