import { staffRoute } from "@/lib/http/manage-route";
import { intIdParam } from "@/lib/http/params";
import { eInvoiceResponse, getEInvoiceForStaff, parseEInvoiceFormat } from "@/lib/einvoice/service";

export const GET = staffRoute({ permission: "invoice.read" }, async ({ req, params }) => {
  const id = intIdParam(params, "id", "Rechnung nicht gefunden.");
  return eInvoiceResponse(await getEInvoiceForStaff(id, parseEInvoiceFormat(req)));
});
