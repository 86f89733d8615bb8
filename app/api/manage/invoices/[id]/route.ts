import { instanceRoute } from "@/lib/doors/manage/route";
import { invoiceIdParam } from "@/lib/invoices/params";
import { getInvoice } from "@/lib/invoices/queries";

export const GET = instanceRoute({ permission: "invoice.read" }, async ({ params, instance }) => {
  return { invoice: await getInvoice(instance.instance.id, invoiceIdParam(params)) };
});
