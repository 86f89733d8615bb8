import { invoiceIdParam } from "@/lib/invoices/params";
import { getInvoice } from "@/lib/invoices/queries";
import { v1TenantRoute } from "@/lib/doors/v1/route";
import { requireSingleTenant } from "@/lib/doors/v1/tenant";

export const GET = v1TenantRoute({ permission: "invoice.read" }, async ({ tenant, params }) => {
  return { invoice: await getInvoice(requireSingleTenant(tenant).instanceId, invoiceIdParam(params)) };
});
