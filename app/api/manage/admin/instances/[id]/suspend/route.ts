import { suspendInstance } from "@/lib/admin/instances";
import { instanceIdParam } from "@/lib/admin/params";
import { suspendSchema } from "@/lib/admin/schemas";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/http/manage-route";

export const POST = staffRoute({ permission: "tenant.manage" }, async ({ req, ip, params, auth }) => {
  const id = instanceIdParam(params);
  const { reason } = await parseJsonBody(req, suspendSchema);
  return suspendInstance({ principal: auth.principal, ip }, id, reason);
});
