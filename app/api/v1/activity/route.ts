import { listActivity } from "@/lib/activity";
import { parseQuery } from "@/lib/http/body";
import { v1TenantRoute } from "@/lib/doors/v1/route";
import { requireSingleTenant } from "@/lib/doors/v1/tenant";
import { pageQuery, z } from "@/lib/validation";

const query = z.object({ ...pageQuery, tenant_id: z.string().optional() });

export const GET = v1TenantRoute({ permission: "activity.read" }, async ({ req, tenant }) => {
  const { page, per_page } = parseQuery(req, query);
  return listActivity(requireSingleTenant(tenant).instanceId, { page, perPage: per_page });
});
