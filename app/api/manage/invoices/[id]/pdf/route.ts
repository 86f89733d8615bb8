import { instanceRoute } from "@/lib/doors/manage/route";
import { invoiceIdParam } from "@/lib/invoices/params";
import { pdfDownload } from "@/lib/doors/kit/files";
import { archivedPdfSha256, getInvoicePdf } from "@/lib/invoices/pdf-archive";

export const GET = instanceRoute({ permission: "invoice.read" }, async ({ req, params, instance }) => {
  const id = invoiceIdParam(params);
  return pdfDownload(req, { sha256: () => archivedPdfSha256(instance.instance.id, id), load: () => getInvoicePdf(instance.instance.id, id) });
});
