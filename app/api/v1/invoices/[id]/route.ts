import { NotFoundError } from "@/lib/errors";
import { getInvoice } from "@/lib/invoices/service";
import { v1TenantRoute } from "@/lib/v1/route";
import { requireSingleTenant } from "@/lib/v1/tenant";

export const GET = v1TenantRoute({ permission: "invoice.read" }, async ({ tenant, params }) => {
  const id = String(params.id);
  if (!/^\d{1,12}$/.test(id)) throw new NotFoundError("Rechnung nicht gefunden.");
  return { invoice: await getInvoice(requireSingleTenant(tenant).instanceId, Number(id)) };
});
