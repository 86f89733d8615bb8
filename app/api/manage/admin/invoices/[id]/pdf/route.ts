import { invoiceIdParam, pdfResponse, staffRoute, wantsInline } from "@/lib/invoices/http";
import { getInvoicePdfForStaff } from "@/lib/invoices/service";

export const GET = staffRoute("invoice.read", async ({ req, params }) => {
  return pdfResponse(await getInvoicePdfForStaff(invoiceIdParam(params)), wantsInline(req));
});
