import { intIdParam } from "@/lib/http/params";
import { eInvoiceResponse, getEInvoice, parseEInvoiceFormat } from "@/lib/einvoice/service";
import { v1TenantRoute } from "@/lib/v1/route";
import { requireSingleTenant } from "@/lib/v1/tenant";

export const GET = v1TenantRoute({ permission: "invoice.read" }, async ({ req, tenant, params }) => {
  const id = intIdParam(params, "id", "Rechnung nicht gefunden.");
  return eInvoiceResponse(await getEInvoice(requireSingleTenant(tenant).instanceId, id, parseEInvoiceFormat(req)));
});
