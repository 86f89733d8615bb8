import { listActivity } from "@/lib/activity";
import { parseQuery } from "@/lib/http/body";
import { instanceRoute } from "@/lib/http/manage-route";
import { pageQuery, z } from "@/lib/validation";

const schema = z.object(pageQuery);

export const GET = instanceRoute({ permission: "activity.read" }, async ({ req, instance }) => {
  const { page, per_page } = parseQuery(req, schema);
  return listActivity(instance.instance.id, { page, perPage: per_page });
});
