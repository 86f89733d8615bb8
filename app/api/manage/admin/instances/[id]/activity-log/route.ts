import { getInstanceDetail } from "@/lib/admin/instances";
import { intIdParam } from "@/lib/http/params";
import { listActivity } from "@/lib/activity";
import { parseQuery } from "@/lib/http/body";
import { staffRoute } from "@/lib/doors/manage/route";
import { pageQuery, z } from "@/lib/validation";

const schema = z.object(pageQuery);

export const GET = staffRoute({ permission: "tenant.read" }, async ({ req, params }) => {
  const id = intIdParam(params, "id", "Instanz nicht gefunden.");
  const { page, per_page } = parseQuery(req, schema);
  await getInstanceDetail(id); // 404 for an unknown instance
  return listActivity(id, { page, perPage: per_page });
});
