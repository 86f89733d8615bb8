import { intIdParam } from "@/lib/http/params";
import { getEInvoice } from "@/lib/invoices/einvoice/service";
import { eInvoiceResponse, parseEInvoiceFormat } from "@/lib/doors/kit/files";
import { v1TenantRoute } from "@/lib/doors/v1/route";
import { requireSingleTenant } from "@/lib/doors/v1/tenant";

export const GET = v1TenantRoute({ permission: "invoice.read" }, async ({ req, tenant, params }) => {
  const id = intIdParam(params, "id", "Rechnung nicht gefunden.");
  return eInvoiceResponse(await getEInvoice(requireSingleTenant(tenant).instanceId, id, parseEInvoiceFormat(req)));
});
