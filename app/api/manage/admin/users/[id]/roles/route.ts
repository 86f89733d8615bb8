import { userIdParam } from "@/lib/admin/params";
import { setRolesSchema } from "@/lib/admin/schemas";
import { setUserRoles } from "@/lib/admin/users";
import { parseJsonBody } from "@/lib/http/body";
import { staffRoute } from "@/lib/http/manage-route";

export const PUT = staffRoute({ permission: "user.manage" }, async ({ req, ip, params, auth }) => {
  const id = userIdParam(params);
  const { roles } = await parseJsonBody(req, setRolesSchema);
  return setUserRoles({ principal: auth.principal, ip }, id, roles);
});
