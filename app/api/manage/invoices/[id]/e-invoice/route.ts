import { instanceRoute } from "@/lib/http/manage-route";
import { intIdParam } from "@/lib/http/params";
import { eInvoiceResponse, getEInvoice, parseEInvoiceFormat } from "@/lib/einvoice/service";

/** XML e-invoice (CII/ZUGFeRD or XRechnung per instance setting; `?format=` overrides). */
export const GET = instanceRoute({ permission: "invoice.read" }, async ({ req, params, instance }) => {
  const id = intIdParam(params, "id", "Rechnung nicht gefunden.");
  return eInvoiceResponse(await getEInvoice(instance.instance.id, id, parseEInvoiceFormat(req)));
});
