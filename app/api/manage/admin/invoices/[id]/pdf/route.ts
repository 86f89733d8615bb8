import { staffRoute } from "@/lib/http/manage-route";
import { invoiceIdParam, pdfResponse, wantsInline } from "@/lib/invoices/http";
import { getInvoicePdfForStaff } from "@/lib/invoices/pdf-archive";

export const GET = staffRoute({ permission: "invoice.read" }, async ({ req, params }) => {
  return pdfResponse(await getInvoicePdfForStaff(invoiceIdParam(params)), wantsInline(req));
});
