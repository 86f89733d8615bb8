import { staffRoute } from "@/lib/doors/manage/route";
import { invoiceIdParam } from "@/lib/invoices/params";
import { pdfResponse, wantsInline } from "@/lib/doors/kit/files";
import { getInvoicePdfForStaff } from "@/lib/invoices/pdf-archive";

export const GET = staffRoute({ permission: "invoice.read" }, async ({ req, params }) => {
  return pdfResponse(await getInvoicePdfForStaff(invoiceIdParam(params)), wantsInline(req));
});
