import { parseQuery } from "@/lib/http/body";
import { instanceRoute } from "@/lib/doors/manage/route";
import { customerListQuery } from "@/lib/invoices/schemas";
import { listInvoices } from "@/lib/invoices/queries";

export const GET = instanceRoute({ permission: "invoice.read" }, async ({ req, instance }) => {
  const { page, per_page, ...filters } = parseQuery(req, customerListQuery);
  return listInvoices(instance.instance.id, { page, perPage: per_page, ...filters });
});
