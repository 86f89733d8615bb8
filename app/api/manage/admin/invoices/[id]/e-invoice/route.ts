import { staffRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { getEInvoiceForStaff } from "@/lib/invoices/einvoice/service";
import { eInvoiceResponse, parseEInvoiceFormat } from "@/lib/doors/kit/files";

export const GET = staffRoute({ permission: "invoice.read" }, async ({ req, params }) => {
  const id = intIdParam(params, "id", "Rechnung nicht gefunden.");
  return eInvoiceResponse(await getEInvoiceForStaff(id, parseEInvoiceFormat(req)));
});
