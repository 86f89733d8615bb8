import { getInstanceDetail, updateInstance } from "@/lib/admin/instances";
import { instanceIdParam } from "@/lib/admin/params";
import { updateInstanceSchema } from "@/lib/admin/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/http/manage-route";

export const GET = staffRoute({ permission: "tenant.read" }, async ({ params }) => getInstanceDetail(instanceIdParam(params)));

export const PATCH = staffRoute({ permission: "tenant.manage" }, async ({ req, ip, params, auth }) => {
  const id = instanceIdParam(params);
  const input = await parseJsonBody(req, updateInstanceSchema);
  return updateInstance({ principal: auth.principal, ip }, id, input);
});
