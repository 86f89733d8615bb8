import { instanceRoute } from "@/lib/doors/manage/route";
import { intIdParam } from "@/lib/http/params";
import { getEInvoice } from "@/lib/invoices/einvoice/service";
import { eInvoiceResponse, parseEInvoiceFormat } from "@/lib/doors/kit/files";

/** XML e-invoice (CII/ZUGFeRD or XRechnung per instance setting; `?format=` overrides). */
export const GET = instanceRoute({ permission: "invoice.read" }, async ({ req, params, instance }) => {
  const id = intIdParam(params, "id", "Rechnung nicht gefunden.");
  return eInvoiceResponse(await getEInvoice(instance.instance.id, id, parseEInvoiceFormat(req)));
});
