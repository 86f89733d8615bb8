import { listActivity } from "@/lib/activity";
import { parseQuery } from "@/lib/http/body";
import { activityQuery } from "@/lib/doors/kit/activity-query";
import { v1TenantRoute } from "@/lib/doors/v1/route";
import { tenantInstanceId } from "@/lib/doors/v1/tenant";
import { z } from "@/lib/validation";

const query = activityQuery.and(z.object({ tenant_id: z.string().optional() }));

export const GET = v1TenantRoute({ permission: "activity.read" }, async ({ req, tenant }) => {
  const { page, per_page, kind, from, to } = parseQuery(req, query);
  return listActivity(tenantInstanceId(tenant), { page, perPage: per_page }, { kind, from, to });
});
