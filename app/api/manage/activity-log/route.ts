import { listActivity } from "@/lib/activity";
import { parseQuery } from "@/lib/http/body";
import { activityQuery } from "@/lib/doors/kit/activity-query";
import { instanceRoute } from "@/lib/doors/manage/route";

export const GET = instanceRoute({ permission: "activity.read" }, async ({ req, instance }) => {
  const { page, per_page, kind, from, to } = parseQuery(req, activityQuery);
  return listActivity(instance.instance.id, { page, perPage: per_page }, { kind, from, to });
});
