import { instanceRoute } from "@/lib/http/manage-route";
import { invoiceIdParam } from "@/lib/invoices/http";
import { getInvoice } from "@/lib/invoices/queries";

export const GET = instanceRoute({ permission: "invoice.read" }, async ({ params, instance }) => {
  return { invoice: await getInvoice(instance.instance.id, invoiceIdParam(params)) };
});
