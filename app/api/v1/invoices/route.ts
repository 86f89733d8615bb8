import { parseQuery } from "@/lib/http/body";
import { customerListQuery } from "@/lib/invoices/schemas";
import { listInvoices } from "@/lib/invoices/queries";
import { v1TenantRoute } from "@/lib/doors/v1/route";
import { requireSingleTenant } from "@/lib/doors/v1/tenant";
import { z } from "@/lib/validation";

const query = customerListQuery.extend({ tenant_id: z.string().optional() });

/** The tenant's issued invoices (read only). */
export const GET = v1TenantRoute({ permission: "invoice.read" }, async ({ req, tenant }) => {
  const { page, per_page, status, search } = parseQuery(req, query);
  return listInvoices(requireSingleTenant(tenant).instanceId, { page, perPage: per_page, status, search });
});
