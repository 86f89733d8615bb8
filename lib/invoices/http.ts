import { ForbiddenError, NotFoundError } from "@/lib/errors";
import { sessionRoute, type SessionContext } from "@/lib/http/manage-route";
import type { Permission } from "@/lib/permissions";

/** Route param "id" → positive integer; anything else is a 404 (never a 500). */
export function invoiceIdParam(params: Record<string, string | string[] | undefined>): number {
  const raw = params.id;
  if (typeof raw !== "string" || !/^\d{1,9}$/.test(raw) || Number(raw) <= 0) {
    throw new NotFoundError("Rechnung nicht gefunden.");
  }
  return Number(raw);
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

/** MSP staff endpoints of the invoicing (no instance of their own; permission per route). */
export function staffRoute(permission: Permission, handler: (ctx: SessionContext) => Promise<Response | Record<string, unknown>>) {
  return sessionRoute(async (ctx) => {
    const { principal } = ctx.auth;
    if (!principal.staff) throw new ForbiddenError("Nur für Mitarbeiter des MSP.");
    if (!principal.permissions.has(permission)) {
      throw new ForbiddenError("Dafür fehlt Ihnen die Berechtigung.", { missing: permission });
    }
    return handler(ctx);
  });
}
