/**
 * The files door (`/api/files/*`): downloads that carry their own authorisation in a signed,
 * short-lived link instead of a session. It exists for customers whose instance is suspended:
 * they reach only `/auth/*` and `/status` of the manage API, and `/status` hands them links to
 * the PDFs of the invoices they are asked to pay (`lib/invoices/pdf-link.ts`).
 * Errors are `{ message, reason? }` with a German message; nothing is cached.
 */
import { NextResponse, type NextRequest } from "next/server";
import { DomainError, loggableError } from "@/lib/errors";
import { logger } from "@/lib/observability/logger";
import { verifyPdfLink } from "@/lib/invoices/pdf-link";
import { getInvoicePdfForLink } from "@/lib/invoices/pdf-archive";
import { fileResponse } from "@/lib/doors/kit/files";
import { NO_STORE, routeHandler, type RouteParams } from "@/lib/doors/kit/route-handler";

const LINK_ERRORS = {
  invalid: { status: 403, message: "Der Download-Link ist ungültig. Bitte öffnen Sie die Rechnung erneut über die Statusübersicht des Portals." },
  expired: { status: 410, message: "Der Download-Link ist abgelaufen (gültig 15 Minuten). Bitte laden Sie die Statusübersicht neu, um einen neuen Link zu erhalten." },
} as const;

function errorResponse(error: unknown): Response {
  if (error instanceof DomainError) return NextResponse.json({ message: error.message }, { status: error.status, headers: NO_STORE });
  logger().error({ err: loggableError(error), family: "files" }, "unexpected error");
  return NextResponse.json({ message: "Interner Fehler. Bitte später erneut versuchen." }, { status: 500, headers: NO_STORE });
}

export const filesRoute = routeHandler(errorResponse);

/** GET /api/files/invoices/<id>.pdf?expires=…&signature=…: the archived PDF, as a download, never stored. */
export async function signedInvoicePdf(req: NextRequest, params: RouteParams) {
  const url = new URL(req.url);
  const check = verifyPdfLink(String(params.file ?? ""), url.searchParams.get("expires"), url.searchParams.get("signature"));
  if (!check.ok) {
    const { status, message } = LINK_ERRORS[check.reason];
    return NextResponse.json({ message, reason: check.reason }, { status, headers: NO_STORE });
  }
  const pdf = await getInvoicePdfForLink(check.invoiceId);
  return fileResponse({ filename: pdf.filename, contentType: "application/pdf", body: pdf.bytes });
}
