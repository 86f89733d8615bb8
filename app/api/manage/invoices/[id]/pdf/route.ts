import { instanceRoute } from "@/lib/http/manage-route";
import { invoiceIdParam, pdfResponse, wantsInline } from "@/lib/invoices/http";
import { getInvoicePdf } from "@/lib/invoices/pdf-archive";

export const GET = instanceRoute({ permission: "invoice.read" }, async ({ req, params, instance }) => {
  return pdfResponse(await getInvoicePdf(instance.instance.id, invoiceIdParam(params)), wantsInline(req));
});
