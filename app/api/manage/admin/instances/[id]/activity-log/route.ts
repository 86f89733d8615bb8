import { getInstanceDetail } from "@/lib/admin/instances";
import { instanceIdParam } from "@/lib/admin/params";
import { listActivity } from "@/lib/activity";
import { parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/http/manage-route";
import { pageQuery, z } from "@/lib/validation";

const schema = z.object(pageQuery);

export const GET = staffRoute({ permission: "tenant.read" }, async ({ req, params }) => {
  const id = instanceIdParam(params);
  const { page, per_page } = parseQuery(req, schema);
  await getInstanceDetail(id); // 404 for an unknown instance
  return listActivity(id, { page, perPage: per_page });
});
