import { getInstanceDetail } from "@/lib/admin/instances";
import { intIdParam } from "@/lib/http/params";
import { listActivity } from "@/lib/activity";
import { parseQuery } from "@/lib/http/body";
import { activityQuery } from "@/lib/doors/kit/activity-query";
import { staffRoute } from "@/lib/doors/manage/route";

export const GET = staffRoute({ permission: "tenant.read" }, async ({ req, params }) => {
  const id = intIdParam(params, "id", "Instanz nicht gefunden.");
  const { page, per_page, kind, from, to } = parseQuery(req, activityQuery);
  await getInstanceDetail(id); // 404 for an unknown instance
  return listActivity(id, { page, perPage: per_page }, { kind, from, to });
});
