import { instanceRoute } from "@/lib/http/manage-route";
import { invoiceIdParam } from "@/lib/invoices/http";
import { getInvoice } from "@/lib/invoices/service";

export const GET = instanceRoute({ permission: "invoice.read" }, async ({ params, instance }) => {
  return { invoice: await getInvoice(instance.instance.id, invoiceIdParam(params)) };
});
